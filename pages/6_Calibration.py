"""Lesson 6: softmax outputs are confidences; temperature scaling calibrates them."""

import streamlit as st

from softmax_ui.calibration_study import N_BINS, N_SAMPLES, cached_calibration_study
from softmax_ui.catalog import CALIBRATION
from softmax_ui.controls import paired_slider, redraw_button, seed_input
from softmax_ui.figures_training import before_and_after, reliability_diagram
from softmax_ui.i18n import _, group
from softmax_ui.page import chart, font_size, lesson, visible
from softmax_ui.session import current, section
from softmax_ui.shared_figures import shared
from softmax_ui.spoken import announce
from softmax_ui.tables import reliability_table
from softmax_ui.text import ordered, percent_rounded, prose_number, significant

lesson(
    CALIBRATION,
    _(
        "A classifier that gives its answer a probability of 0.95 should be right 95 times out "
        "of 100. Modern networks are often "
        "*overconfident*: their softmax outputs are larger than their accuracy. One number, a "
        "temperature fitted after training, fixes much of it without changing a single "
        "prediction."
    ),
)


@section("lesson")
def body() -> None:
    state = current()
    # "New data" under the seed it changes: in a column of its own beside three others it
    # read "Ne / w / da / ta" on a tablet with the sidebar open (a tablet tour)
    classes_col, over_col, seed_col = st.columns(3, vertical_alignment="bottom")
    with classes_col:
        paired_slider(
            ("calib_classes", "calib_classes_number"),
            _("Number of classes"),
            min_value=3,
            max_value=10,
            step=1,
            number_label=_("Classes (3 to 10)"),
            said_as=_("the number of classes"),
            get=lambda s: s.calib_classes,
            put=lambda s, v: s.replace(calib_classes=int(v)),
        )
    with over_col:
        paired_slider(
            ("overconfidence", "overconfidence_number"),
            _("Overconfidence (1 = calibrated)"),
            min_value=0.25,
            max_value=10.0,
            step=0.25,
            number_label=_("Overconfidence (0.25 to 10)"),
            said_as=_("the overconfidence"),
            number_format="%.2f",
            help=_(
                "The synthetic model multiplies its well-calibrated logits by this factor: above "
                "1 it is overconfident, below 1 underconfident."
            ),
            get=lambda s: s.overconfidence,
            put=lambda s, v: s.replace(overconfidence=float(v)),
        )
    with seed_col:
        seed_input("calib_seed", _("Data seed"))
        redraw_button(_("New data"))

    with st.spinner(_("Fitting the temperature…")):
        study = cached_calibration_study(state.calib_classes, state.overconfidence, state.seed)
    before, after, T = study.before, study.after, study.temperature
    # one spelling of T on the whole page (the metric read 2.955, the legend 2.95), never
    # printed as 1 unless it is exactly 1
    fitted = ordered(T, 1.0, digits=4)[0]

    st.header(_("Reliability before and after temperature scaling"))
    a, b, c, d = st.columns(4)
    a.metric(_("Fitted temperature T"), fitted)
    b.metric(
        _("ECE (test half)"),
        significant(after.ece, 3),
        delta=_("{change} from {before}").format(
            change=significant(after.ece - before.ece, 3), before=significant(before.ece, 3)
        ),
        delta_color="inverse",
        help=_(
            "Expected calibration error: the average gap between confidence and accuracy over "
            "{n} confidence bins, weighted by how many predictions fall in each. 0 is perfect."
        ).format(n=N_BINS),
    )
    c.metric(
        _("NLL per example (test half)"),
        prose_number(after.nll, 4),
        delta=_("{change} from {before}").format(
            change=prose_number(after.nll - before.nll, 3), before=prose_number(before.nll, 4)
        ),
        delta_color="inverse",
    )
    d.metric(
        _("Accuracy (test half)"),
        percent_rounded(after.accuracy),
        delta=_("unchanged") if after.accuracy == before.accuracy else _("changed"),
        delta_color="off",
        delta_arrow="off",
    )

    chart(
        shared(
            reliability_diagram,
            before_and_after(before.bins, after.bins, fitted),
            font_size=font_size(),
        ),
        alt=_(
            "Reliability diagram: accuracy against confidence in {n} bins, before scaling "
            "(ECE {before}) and after dividing by T = {t} (ECE {after}); the diagonal is perfect "
            "calibration."
        ).format(
            n=N_BINS,
            before=significant(before.ece, 3),
            t=fitted,
            after=significant(after.ece, 3),
        ),
        key="reliability_chart",
        docked=True,
    )
    announce(
        _("Fitted temperature {t}; expected calibration error from {before} to {after}.").format(
            t=fitted,
            before=significant(before.ece, 3),
            after=significant(after.ece, 3),
        )
    )

    changed = study.predictions_changed
    if visible("explanation"):
        # what the test half says of the scaling, as the metrics above show it
        worse = {
            ("ece", "nll"): _("the ECE and the NLL"),
            ("ece",): _("the ECE"),
            ("nll",): _("the NLL"),
        }.get(study.worse_on_test, "")
        if study.close_to_one:
            direction = _("close to calibrated: a T this close to 1 changes its outputs little")
        elif T > 1:
            direction = (
                _("overconfident on the validation half: T > 1 softens its outputs")
                if worse
                else _("overconfident: T > 1 softens its outputs")
            )
        else:
            direction = (
                _("underconfident on the validation half: T < 1 sharpens its outputs")
                if worse
                else _("underconfident: T < 1 sharpens its outputs")
            )
        pct = percent_rounded
        st.markdown(
            _(
                "The data: {n} examples from a synthetic {k}-class model whose logits were "
                "multiplied by {over} (seed {seed}), shuffled into two halves. {n_fit} are the "
                "**validation half**: T is chosen there to minimise the negative log-likelihood "
                "(from {nll_before} to {nll_after} nats). The other {n_test} are the **test "
                "half**, never seen by the fit, where everything above is measured.\n\n"
                "The fitted **T = {t}** says the model is {direction}. Before scaling, its "
                "average confidence is {conf_before} for an accuracy of {acc_before}; after, "
                "{conf_after} for {acc_after}. ECE goes from {ece_before} to {ece_after}."
            ).format(
                n=group(N_SAMPLES),
                k=state.calib_classes,
                over=prose_number(state.overconfidence),
                seed=state.seed,
                n_fit=group(study.n_fit),
                nll_before=prose_number(study.fit_nll_before, 4),
                nll_after=prose_number(study.fit_nll_after, 4),
                n_test=group(study.n_test),
                t=fitted,
                direction=direction,
                conf_before=pct(before.mean_confidence),
                acc_before=pct(before.accuracy),
                conf_after=pct(after.mean_confidence),
                acc_after=pct(after.accuracy),
                ece_before=significant(before.ece, 3),
                ece_after=significant(after.ece, 3),
            )
            + "\n\n"
            + (
                # near a calibrated model (overconfidence 1) the T fitted on one half is that
                # half's chance, and the test half may fare worse: say so, not "it corrects"
                _(
                    "**Here scaling did not help:** on the test half it made {worse} worse. "
                    "The model was close to calibrated already (ECE {ece_before} before "
                    "scaling), and a T fitted on {n_fit} examples also fits their chance. "
                    "Temperature scaling pays where the model is clearly over- or "
                    "underconfident: try an overconfidence of {over} or {under}."
                ).format(
                    worse=worse,
                    over=prose_number(3),
                    under=prose_number(0.5),
                    ece_before=significant(before.ece, 3),
                    n_fit=group(study.n_fit),
                )
                + "\n\n"
                if worse
                else ""
            )
            + (
                _(
                    "**What did not change:** dividing every logit by the same positive T keeps "
                    "their order, so the predicted class is the same for all {n_test} test "
                    "examples and the accuracy stays {acc}."
                ).format(n_test=group(study.n_test), acc=pct(after.accuracy))
                if not changed
                else _(
                    "**What barely changed:** dividing every logit by the same positive T keeps "
                    "their order, yet float rounding broke a near-tie for {changed} of the "
                    "{n_test} test examples, so the accuracy went from {before} to {after}."
                ).format(
                    changed=group(changed),
                    n_test=group(study.n_test),
                    before=pct(before.accuracy),
                    after=pct(after.accuracy),
                )
            )
        )
        st.subheader(_("Confidences, not guaranteed probabilities"))
        st.markdown(
            _(
                "Softmax always returns numbers that look like probabilities: positive, summing "
                "to 1. Nothing in the formula makes them *calibrated*. Training with "
                "cross-entropy keeps pushing the right logit up, and a large network can drive "
                "its training loss towards 0 by growing all its logits, which makes the softmax "
                "sharper than its real accuracy justifies. So read a softmax output as the "
                "model's confidence.\n\n"
                "**Temperature scaling fixes** a uniform over- or under-confidence: one number, "
                "fitted on held-out data after training, rescales every output. **It does not "
                "fix** a model that is overconfident on some inputs and underconfident on "
                "others, inputs unlike the training data (it can still be sure and wrong there), "
                "or the accuracy itself: a wrong prediction stays wrong, only less sure of "
                "itself. And it only holds for data like the validation half it was fitted on."
            )
        )

    if visible("table"):
        st.subheader(_("The bins"))
        # Two tables of four columns, side by side (one above the other on a phone, where seven
        # columns did not fit), rather than one of seven.
        for column, (heading, scores) in zip(
            st.columns(2),
            (
                (_("Before: softmax(z)"), before),
                (_("After: softmax(z / {t})").format(t=fitted), after),
            ),
            strict=True,
        ):
            column.markdown(f"**{heading}**")
            column.markdown(reliability_table(scores.bins))
        st.caption(_("Empty bins show –: no prediction had that confidence."))


body()
