"""Issue 13 for the content modules (explanations, quiz, live questions, figure builders):
every string they show is in the es and fr catalogues, and what they build in Spanish or
French has no English sentence left, the same Plotly placeholders and the same maths.
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from softmax_core import diagnose_naive, entropy, sample_counts, softmax
from softmax_ui import explain, live_questions, quiz
from softmax_ui.catalog import GRADIENTS
from softmax_ui.figures import exponent_bars, grouped_bars, probability_bars
from softmax_ui.figures_temperature import (
    entropy_vs_temperature,
    filtered_bars,
    probability_vs_temperature,
    sample_frequencies,
)
from softmax_ui.figures_training import (
    derivative_curves,
    gradient_bars,
    jacobian_heatmap,
    loss_history,
    reliability_diagram,
)
from softmax_ui.i18n import LOCALES, language
from softmax_ui.state import LessonState
from tests.ui.conftest import assert_healthy, open_page

ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    "softmax_ui/explain.py",
    "softmax_ui/quiz.py",
    "softmax_ui/live_questions.py",
    "softmax_ui/figures.py",
    "softmax_ui/figures_temperature.py",
    "softmax_ui/figures_training.py",
]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
LANGS = ("es", "fr")
BRACES = re.compile(r"(?<!%)\{[^{}]*\}")
PLOTLY = re.compile(r"%\{[^{}]*\}")


def extracted(module: str) -> list[tuple[str | None, tuple[str, ...]]]:
    """(context, msgids) of every string ``module`` marks for translation."""
    out = []
    for _line, message, _comments, context in extract_from_file(
        "python", str(ROOT / module), keywords=KEYWORDS
    ):
        ids = message if isinstance(message, tuple) else (message,)
        out.append((context, tuple(m for m in ids if m)))
    return out


def catalogue(lang: str):
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=lang)


def placeholders(text: str) -> tuple[set[str], set[str]]:
    return set(BRACES.findall(text)), set(PLOTLY.findall(text))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("module", MODULES)
def test_every_string_of_the_content_modules_is_translated(module, lang):
    """Complete, not fuzzy, the same placeholders, and Babel's own checks pass."""
    cat = catalogue(lang)
    assert cat.num_plurals == 2
    found = extracted(module)
    assert found, module
    for context, ids in found:
        message = cat.get(ids[0] if len(ids) == 1 else ids, context=context)
        assert message is not None, (lang, ids)
        assert not message.fuzzy, (lang, ids)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == len(ids) if len(ids) > 1 else len(strings) == 1, (lang, ids)
        assert all(strings), (lang, ids)
        for string in strings:
            assert placeholders(string) == placeholders(ids[-1]), (lang, ids, string)
        assert not list(message.check(cat)), (lang, ids)


def english_phrases() -> set[str]:
    """The English runs of 3+ words between the placeholders of every msgid of the modules
    (a run the page shows in Spanish or French must not be among them)."""
    phrases = set()
    for module in MODULES:
        for _context, ids in extracted(module):
            for msgid in ids:
                for run in re.split(r"%?\{[^{}]*\}|<[^>]*>", msgid):
                    words = re.findall(r"[A-Za-z][a-z]+", run)
                    if len(words) >= 3:
                        phrases.add(" ".join(words))
    return phrases


def strings(value) -> list[str]:
    """Every string inside a figure's JSON, a dataclass or nested containers."""
    if isinstance(value, str):
        return [value]
    if hasattr(value, "to_plotly_json"):
        return strings(value.to_plotly_json())
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings(v)]
    if hasattr(value, "__dataclass_fields__"):
        return [
            s
            for f in value.__dataclass_fields__
            if f not in STORED
            for s in strings(getattr(value, f))
        ]
    return []


STORED = {"values"}
"""Dataclass fields that are never shown: a verdict's right numbers as answers are stored
("0.33", the Python way; shown through ``live_questions.tally_text``)."""


LABELS = ("perro", "gato", "pájaro")
Z = (2.0, 1.0, 0.1)


def build_figures() -> list:
    p = softmax(np.array(Z))
    ts = np.geomspace(0.05, 20, 9)
    sweep = np.array([softmax(np.array(Z), temperature=t) for t in ts])
    return [
        probability_bars(LABELS, p),
        probability_bars(LABELS, [np.nan, 0.0, np.inf], reserve_legend=True),
        probability_bars(LABELS * 3, np.full(9, 1 / 9)),
        grouped_bars(LABELS, {"α": p, "β": p}, title="x"),
        exponent_bars(
            LABELS, [100.0, 1.0, -120.0], overflow=88.7, underflow=-103.9, dtype="float32"
        ),
        probability_vs_temperature(LABELS, ts, sweep, temperature=1.0, current=p),
        entropy_vs_temperature(
            ts, [entropy(r) for r in sweep], temperature=1.0, current=entropy(p), n_classes=3
        ),
        sample_frequencies(LABELS, p, [1234, 400, 100], seed=7),
        sample_frequencies(LABELS, p, [1, 0, 0], seed=7),
        filtered_bars(LABELS, p, {"α": [1.0, 0.0, 0.0]}, title="x"),
        gradient_bars(LABELS, p - [1, 0, 0], target=0),
        gradient_bars(LABELS * 3, np.zeros(9), target=0),
        jacobian_heatmap(LABELS, np.diag(p) - np.outer(p, p), temperature=0.5),
        loss_history([1.0, 0.5, 0.2]),
        derivative_curves(np.linspace(-3, 3, 7), {"α": np.ones(7)}, marks={"α": ([1.0], [1.0])}),
        reliability_diagram({"α": (np.array([0.5]), np.array([0.4]), np.array([10]))}),
    ]


def build_explanations() -> list[str]:
    out = []
    for z, dtype in [
        ([1000.0, 1.0, 2.0], "float32"),
        ([-1000.0, -1000.0, -999.0], "float32"),
        ([1.0, 2.0, 3.0], "float64"),
        ([np.nan, 1.0, -np.inf], "float32"),
        ([-np.inf, -np.inf, -np.inf], "float64"),
        ([np.inf, 1.0, 0.0], "float16"),
        ([80.0, 80.0, -90.0], "float32"),
        ([11.0, 0.0, -20.0], "float16"),
    ]:
        d = diagnose_naive(np.array(z), temperature=1.0, dtype=dtype)
        out += [explain.naive_summary(d), explain.dtype_note(d), *explain.naive_reasons(d)]
    e = np.array([3.0, 3.0, -50.0])
    out += [explain.stable_fix(LABELS, e), explain.log_sum_exp_trick(LABELS, e)]
    out += [explain.stable_fix(LABELS, np.array(Z))]
    for z in (Z, (1.0, 1.0, 0.0), (1.0, 1.0, 1.0)):
        p = softmax(np.array(z))
        ts = np.geomspace(0.05, 20, 9)
        sweep = np.array([softmax(np.array(z), temperature=t) for t in ts])
        h = [entropy(r) for r in sweep]
        out += [
            explain.temperature_effect(LABELS, z, 1.0),
            explain.entropy_sweep_alt(ts, h, 3, all_tied=len(set(z)) == 1),
            explain.temperature_limits(LABELS, z, ts, sweep, h, 1.0, entropy(p)),
            explain.sampling_gap(LABELS, p, sample_counts(p, 1000, 1)),
            explain.sampling_gap(LABELS, np.array([0.5, 0.5, 0.0]), np.array([1, 1, 0])),
            explain.sampling_gap(LABELS, np.array([0.5, 0.25, 0.25]), np.array([2, 0, 0])),
            explain.filters_explained(LABELS, z, p, 1, 0.9, requested_k=1),
            explain.filters_explained(LABELS, z, p, 2, 1.0, requested_k=9),
        ]
    out.append(
        explain.filters_explained(
            LABELS, (1.0, 1.0, -800.0), np.array([0.5, 0.5, 0.0]), 1, 1.0, requested_k=1
        )
    )
    out.append(
        explain.filters_explained(
            LABELS, (1.0, 0.0, -800.0), np.array([0.7, 0.3, 0.0]), 3, 1.0, requested_k=3
        )
    )
    return out


def quiz_rounds() -> list[tuple[quiz.Question, quiz.Verdict, list]]:
    """Every kind on a few logits: the question, its verdict and a candidate answer each."""
    out = []
    for z in (Z, (1.0, 1.0, 0.0), (40.0, 0.0, 0.0), (0.0, 0.0, 0.0)):
        for kind in quiz.KINDS:
            for seed in range(3):
                q = quiz.new_question(np.random.default_rng(seed), z, LABELS, kind=kind)
                candidates = list(q.options) or [0, 0.5, 1, 2, 3, 50, 100, 1000, "x"]
                # a number no right answer could be, so that the verdict has its hint too
                out.append((q, quiz.check(q, "x" if q.options else -5), candidates))
    return out


def live_rounds() -> list:
    out = []
    for z in (Z, (1.0, 1.0, 0.0)):
        state = LessonState(logits=z, labels=LABELS)
        polls = []
        for i, kind in enumerate(live_questions.KIND_NAMES):
            q = live_questions.ask(kind, state, np.random.default_rng(i))
            answers = [str(q.options[0])] if q.options else ["0.33", "1"]
            polls.append((i, q, answers))
            out += [q.prompt, quiz.lesson_title(q), quiz.describe(q)]
            out += [live_questions.judge(q, "x"), live_questions.kind_name(kind)]
            out += [live_questions.option_text(o) for o in q.options]
            for bad in ("nope", "nan", "1e20"):
                try:
                    live_questions.answer_text(q, bad)
                except ValueError as error:
                    out.append(str(error))
        rows = live_questions.report(polls)
        for row in rows:
            out += [row.prompt, row.logits, row.right_answer]
            out += [live_questions.tally_text(row.tally, a) for a in row.tally.answers]
        out.append(live_questions.report_csv(rows))
        many = [f"{v}.00" for v in range(20)]
        tally = live_questions.tally(live_questions.ask("uniform_T_to_inf", state, None), many)
        out += [live_questions.tally_text(tally, a) for a in tally.answers]
    return out


def build(module: str) -> list[str]:
    if module.startswith("softmax_ui/figures"):
        return strings(build_figures())
    if module == "softmax_ui/explain.py":
        return build_explanations()
    if module == "softmax_ui/quiz.py":
        rounds = quiz_rounds()
        shown = [
            (q.prompt, v, [quiz.option_text(o) for o in q.options], quiz.lesson_title(q))
            for q, v, _c in rounds
        ]
        return [*strings(shown), quiz.describe(rounds[0][0])]
    return strings(live_rounds())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "module",
    [
        "softmax_ui/figures.py",
        "softmax_ui/explain.py",
        "softmax_ui/quiz.py",
        "softmax_ui/live_questions.py",
    ],
)
def test_nothing_english_is_left(module, lang):
    """Built in Spanish or French, no English run of 3+ words from the catalogue is shown
    (and in English every one of them is, so the check can see them)."""
    phrases = english_phrases()

    def runs(texts: list[str]) -> set[str]:
        shown = " ".join(" ".join(re.findall(r"[A-Za-z][a-z]+", t)) for t in texts)
        return {p for p in phrases if re.search(rf"\b{re.escape(p)}\b", shown)}

    with language(lang):
        left = runs(build(module))
    assert not left, (lang, sorted(left)[:10])
    with language("en"):
        assert runs(build(module)), "the check sees English when there is some"


def hover_placeholders(fig) -> list[set[str]]:
    return [set(PLOTLY.findall(str(t.hovertemplate or ""))) for t in fig.data]


@pytest.mark.parametrize("lang", LANGS)
def test_hover_templates_keep_their_plotly_placeholders(lang):
    english = [hover_placeholders(f) for f in build_figures()]
    with language(lang):
        translated = [hover_placeholders(f) for f in build_figures()]
    assert translated == english
    assert any(any(s) for s in english)


@pytest.mark.parametrize("lang", LANGS)
def test_quiz_answers_do_not_depend_on_the_language(lang):
    """The same questions (same seeds), judged in English and in Spanish or French, accept
    the same answers; a question drawn in one language is judged the same in another."""
    english = quiz_rounds()
    with language(lang):
        translated = quiz_rounds()
    for (q_en, _v, candidates), (q_tr, _w, _c) in zip(english, translated, strict=True):
        assert (q_en.kind, q_en.logits, q_en.options, q_en.settings) == (
            q_tr.kind,
            q_tr.logits,
            q_tr.options,
            q_tr.settings,
        )
        for answer in candidates:
            right = quiz.check(q_en, answer).correct
            with language(lang):
                assert quiz.check(q_en, answer).correct == right, (q_en.kind, answer)
                assert quiz.check(q_tr, answer).correct == right, (q_en.kind, answer)


SAME_IN_EVERY_LANGUAGE = {"nats", "softmax", "argmax", "logit", "logits", "gradient"}


def chart_words(fig) -> list[str]:
    """Every text of a chart a reader reads as words, in a fixed order: title, axis and
    colour-bar titles, annotations, trace names, bar texts and hover templates."""
    spec = fig.to_plotly_json()
    layout = spec["layout"]
    out = [layout.get("title", {}).get("text", "")]
    out += [layout.get(a, {}).get("title", {}).get("text", "") for a in ("xaxis", "yaxis")]
    out += [a.get("text", "") for a in layout.get("annotations", [])]
    for trace in spec["data"]:
        out += [str(trace.get("name", "")), str(trace.get("hovertemplate", ""))]
        out += [t for t in trace.get("text", None) or [] if isinstance(t, str)]
        out.append(str(trace.get("colorbar", {}).get("title", {}).get("text", "")))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_word_changes_with_the_language(lang):
    """Catches a string never wrapped in _() (so absent from the catalogue): a chart text
    with an English word in it must read differently in Spanish or French."""
    english = [chart_words(f) for f in build_figures()]
    with language(lang):
        translated = [chart_words(f) for f in build_figures()]
    same = []
    for fig_en, fig_tr in zip(english, translated, strict=True):
        for en, tr in zip(fig_en, fig_tr, strict=True):
            text = re.sub(r"%\{[^}]*\}|<[^>]*>", " ", en)
            words = {w.lower() for w in re.findall(r"[^\W\d_]{4,}", text)}
            if en == tr and words - SAME_IN_EVERY_LANGUAGE - set(LABELS):
                same.append(en)
    assert not same, (lang, same)


ENGLISH_WORDS = {"the", "is", "are", "with", "which", "of", "to", "from", "than", "its", "their"}
"""Words no Spanish or French sentence here uses ("and" is left to join_names, in text.py)."""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "module", ["softmax_ui/explain.py", "softmax_ui/quiz.py", "softmax_ui/live_questions.py"]
)
def test_no_english_word_in_the_prose(module, lang):
    """Catches an English sentence never wrapped in _() (so absent from the catalogue)."""
    with language(lang):
        texts = build(module)
    found = {w for t in texts for w in re.findall(r"[a-z]+", t) if w in ENGLISH_WORDS}
    assert not found, (lang, found, [t for t in texts if set(re.findall(r"[a-z]+", t)) & found][:3])
    english = {w for t in build(module) for w in re.findall(r"[a-z]+", t)}
    assert english >= {"the", "is", "of"}, "the check sees English when there is some"


@pytest.mark.parametrize("kind", [*quiz.KINDS, *live_questions.PREDICT])
def test_a_question_is_worded_in_the_language_of_whoever_reads_it(kind):
    """Drawn in French (a teacher's live question, sent as JSON), read in Spanish: the
    prompt is worded again from the kind and settings, and the answers stay the same."""
    state = LessonState(logits=Z, labels=LABELS)
    with language("fr"):
        drawn = live_questions.ask(kind, state, np.random.default_rng(3))
        french = drawn.prompt
        sent = live_questions.to_json(drawn)
    with language("es"):
        received = live_questions.from_json(sent)
        spanish = received.prompt
        assert spanish == live_questions.ask(kind, state, np.random.default_rng(3)).prompt
        right = [o for o in received.options if live_questions.judge(received, o).correct]
    with language("en"):
        english = received.prompt
        assert right == [o for o in drawn.options if live_questions.judge(drawn, o).correct]
    assert len({french, spanish, english}) == 3, (french, spanish, english)


@pytest.mark.parametrize("lang", LANGS)
def test_quiz_verdicts_write_decimals_the_readers_way(lang):
    """A verdict's answer and its computation, read in Spanish or French, write decimals with
    a comma ("la respuesta es 0,86", not 0.86), as the rest of the page does."""
    for q, _verdict, _candidates in quiz_rounds():
        with language(lang):
            verdict = quiz.check(q, None)
            for text in (verdict.answer, *verdict.proof):
                assert not re.search(r"\d\.\d", text), (q.kind, text)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "module", ["softmax_ui/explain.py", "softmax_ui/quiz.py", "softmax_ui/live_questions.py"]
)
def test_no_decimal_point_in_the_prose(module, lang):
    """In Spanish or French every decimal in the explanations is written with a comma (the
    float limits were printed with repr, "709.782712893384")."""
    with language(lang):
        texts = build(module)  # the after-class CSV too: its numbers are the reader's
    # Spanish groups thousands with a point (1.000 draws): not a decimal
    found = [t for t in texts if re.search(r"\d\.\d", re.sub(r"\b[1-9]\d{0,2}(\.\d{3})+\b", "", t))]
    assert not found, found[:3]
    assert any(re.search(r"\d\.\d", t) for t in build(module)), "English has decimal points"


@pytest.mark.parametrize(
    "module", ["softmax_ui/explain.py", "softmax_ui/quiz.py", "softmax_ui/live_questions.py"]
)
def test_french_puts_a_space_before_colons_and_semicolons(module):
    """French writes a (narrow) no-break space before ":", ";", "?" and "!": a live question's
    proof read "à T = 1: 0,66524" and "logits z = 3; 1; 0,5" (a teacher's tour), written
    outside the catalogue or as a typed list."""
    with language("fr"):
        texts = [t for t in build(module) if "\n" not in t]  # not the CSV: ";" separates cells
    tight = re.compile(r"(?<![\s\u00a0\u202f/:])[:;?!](?=[\s*)]|$)")
    found = [
        (m.group(0), t[max(0, m.start() - 30) : m.end() + 10])
        for t in texts
        for m in tight.finditer(t)
    ]
    assert not found, found[:5]


@pytest.mark.parametrize(("lang", "name"), [("es", "sigmoide′(x)"), ("fr", "sigmoïde′(x)")])
def test_the_derivative_chart_names_sigmoid_in_the_readers_language(lang, name):
    """The ReLU tab's legend said "sigmoid′(x)" and "sigmoid′(x) en tus logits" above a text
    that says sigmoide′ (found by a student tour)."""
    at = open_page(GRADIENTS.path, {"tab": "relu", "lang": lang})
    assert_healthy(at)
    names = [
        trace.get("name", "")
        for chart in at.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
    ]
    assert name in names, names
    assert not [n for n in names if "sigmoid′" in n], names


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_no_preset_class_name_starts_with_an_article(lang):
    """The app's sentences put a preposition before a class name ("softmax donne à {name}",
    "la composante de {name}"): the French next-word preset's "le tapis" read "à le tapis",
    "de le canapé" (a student tour; Spanish "a el sofá"). A preset's names carry no article
    (the next-word story shows where one goes: "sur le/la …")."""
    from softmax_ui.presets import PRESETS

    articles = re.compile(r"^(le|la|les|l'|el|los|las|un|une|una|uno) ", re.IGNORECASE)
    with language(lang):
        names = [name for preset in PRESETS.values() for name in preset.labels_in()]
    found = [name for name in names if articles.match(name)]
    assert not found, found
    assert len(names) > 20


@pytest.mark.parametrize(
    ("lang", "up", "down"), [("es", "hasta", "desde"), ("fr", "jusqu'à", "à partir de")]
)
def test_the_float64_range_reads_up_to_and_down_to(lang, up, down):
    """ "exp(x) … supérieure à 0 pour x jusqu'à -745,13" read as "up to", the other way
    round (a French student's tour): the range's lower end is "from" it."""
    d = diagnose_naive(np.array([1.0, 2.0, 3.0]), temperature=1.0, dtype="float64")
    with language(lang):
        note = explain.dtype_note(d)
    assert f"{up} 709" in note and f"{down} -745" in note, note


def test_french_naive_reasons_put_a_space_before_the_colon():
    """ "pomme: (z + c)/T = 1000 dépasse…" under Naive vs stable (a French teacher's tour)."""
    at = open_page(
        "pages/3_Naive_vs_Stable.py", {"lang": "fr", "z": "1000,1,2", "labels": "pomme,b,c"}
    )
    assert_healthy(at)
    reasons = [m.value for m in at.markdown if m.value.startswith("- **pomme**")]
    assert reasons and reasons[0].startswith("- **pomme**\u00a0: "), reasons


def test_french_never_writes_de_or_que_before_a_class_name():
    """A class name stands where the sentence needs "de" or "que" before it: "la composante
    de oiseau", "la somme est au moins 1 (de oiseau)" (the example's own bird: a teacher's
    tour; French elides "de" before a vowel, "d'oiseau"). Every French sentence that puts a
    class name after "de", "du", "que", "le" or "la" names it as "la classe {name}" (or
    "des classes {names}"), whatever the name's first letter."""
    before = re.compile(r"(?:^|[\s(])(de|du|que|le|la|qu'|d')\s*\{(?:name|names|label|target)\}")
    with (LOCALES / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    found = [
        text
        for message in catalog
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
        if text and before.search(text)
    ]
    assert not found, found
