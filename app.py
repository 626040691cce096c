"""Softmax, taught live: the landing page.

Run with ``make run`` (or ``streamlit run serve.py``, which adds the security headers). The
lessons are the scripts in ``pages/``; shared state, controls and figures live in
``softmax_ui``, the maths in ``softmax_core``.
"""

import numpy as np
import streamlit as st

from softmax_core import softmax
from softmax_ui.catalog import HOME, LESSONS, LIVE, WORKSHOP, Page
from softmax_ui.i18n import _
from softmax_ui.page import lesson
from softmax_ui.presets import PRESETS
from softmax_ui.tables import markdown_table
from softmax_ui.text import join_names, number_list, prose_number, significant

lesson(
    HOME,
    _(
        "A network's last layer gives one score per class, called a **logit**. Softmax turns "
        "those scores into probabilities: every output is positive, they add up to 1, and the "
        "largest logit gets the largest share."
    ),
)

st.latex(r"\operatorname{softmax}(z)_i = \frac{e^{z_i / T}}{\sum_{j=1}^{K} e^{z_j / T}}")
st.markdown(
    _("Here *K* is the number of classes and *T* the temperature (1 unless said otherwise).")
)

st.header(_("A worked example"))
labels = list(PRESETS["Dog / cat / bird"].labels_in())
z = np.array([2.0, 1.0, 0.1])
exps = np.exp(z)
p = softmax(z)
st.markdown(
    _("An image classifier looks at a photo and outputs the logits z = [{z}] for {names}.").format(
        z=number_list([prose_number(v) for v in z]), names=join_names(labels)
    )
)
st.markdown(
    markdown_table(
        {
            _("class"): labels,
            _("logit z"): z,
            "exp(z)": exps,
            "softmax = exp(z) / Σ": p,
        },
        # computed columns to one precision: 0.6590 beside 0.2424 and 0.09857
        formats={"exp(z)": significant, "softmax = exp(z) / Σ": significant},
    )
)
st.markdown(
    _(
        "Σ exp(z) = {terms} = **{total}**, so the photo is a dog with probability "
        "{dog_exp} / {total} = **{dog}**, a cat with **{cat}** and a bird with **{bird}** "
        "(they sum to {sum})."
    ).format(
        terms=" + ".join(prose_number(e) for e in exps),
        total=prose_number(exps.sum()),
        dog_exp=prose_number(exps[0]),
        dog=prose_number(p[0], 3),
        cat=prose_number(p[1], 3),
        bird=prose_number(p[2], 3),
        sum=prose_number(p.sum()),
    )
)
st.caption(
    _(
        "Computed live by this app's tested core. A widely copied article gives "
        "[0.73, 0.25, 0.02] for this example; that is wrong, as the sum above shows."
    )
)


def menu_entry(item: Page) -> None:
    """A page's link: its title in bold, then what it is for."""
    st.page_link(
        item.path,
        label=_("**{title}**: {blurb}").format(title=_(item.title), blurb=_(item.blurb)),
        icon=item.icon,
    )


st.header(_("The lessons"))
for item in LESSONS:
    menu_entry(item)

st.header(_("For teachers"))
for item in (WORKSHOP, LIVE):
    menu_entry(item)
st.markdown(
    _(
        "Every page also has a **Share this view** link and a **presenter view** in the "
        "sidebar: large type for a projector, with the controls you choose hidden from the "
        "students' view. Nothing is loaded from the internet, so the app works on a classroom "
        "network without Wi-Fi."
    )
)
