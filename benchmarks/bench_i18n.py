"""What the languages cost a rerun: the translation lookups and locale number formatting.

    .venv/bin/python -m benchmarks.bench_i18n

Inside a real script run (AppTest, so ``_()`` reads the session's language the way a page
does), it times one call of ``_()``, ``prose_number`` (against its English-only version) and
``format_logits`` in English and in Spanish, then counts how many of each one run of every
page makes in Spanish, and prints the added cost per rerun (calls × extra time per call).
Best of several rounds, so other processes add little noise.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
CALLS = 20_000
ROUNDS = 5

PER_CALL = """
import json, timeit
import streamlit as st
from softmax_ui import i18n
from softmax_ui.i18n import _
from softmax_ui.state import format_logits
from softmax_ui.text import _prose, prose_number

def best(stmt):
    return min(timeit.repeat(stmt, number={calls}, repeat={rounds}, globals=globals())) / {calls}

out = {{}}
for lang in ("en", "es"):
    i18n.switch_to(lang)
    out[lang] = {{
        "_": best('_("Temperature T")'),
        "prose_number": best("prose_number(0.6590011388859679)"),
        "format_logits": best("format_logits((2.0, 1.0, 0.1))"),
    }}
# text._prose is the formatter prose_number was before the languages (English only).
out["old"] = best("_prose(0.6590011388859679, 4)")
st.session_state["result"] = json.dumps(out)
"""


def per_call() -> dict:
    at = AppTest.from_string(PER_CALL.format(calls=CALLS, rounds=ROUNDS), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return json.loads(at.session_state["result"])


def calls_per_run() -> dict[str, dict[str, int]]:
    """How many times one run of each page (in Spanish) calls ``_()`` and ``prose_number``."""
    from softmax_ui import catalog, i18n, text

    counts: dict[str, dict[str, int]] = {}
    original_gettext, original_prose = i18n.translations, text.localize
    seen = {"_": 0, "number": 0}

    def counting_translations(lang):
        seen["_"] += 1
        return original_gettext(lang)

    def counting_localize(number):
        seen["number"] += 1
        return original_prose(number)

    i18n.translations = counting_translations  # every _(), ngettext, pgettext goes through it
    text.localize = counting_localize  # every prose number, percentage, bound goes through it
    try:
        for page in catalog.PAGES:
            at = AppTest.from_file(str(ROOT / catalog.HOME.path), default_timeout=60)
            at.query_params["lang"] = "es"
            if page is not catalog.HOME:
                at.switch_page(page.path)
            at.run()
            seen.update({"_": 0, "number": 0})
            at.run()  # a rerun, the session already set up
            counts[page.title] = dict(seen)
    finally:
        i18n.translations, text.localize = original_gettext, original_prose
    return counts


def main() -> None:
    costs = per_call()
    print("per call, best of", ROUNDS, "rounds of", CALLS, "(microseconds)")
    for lang in ("en", "es"):
        row = "  ".join(f"{name} {1e6 * t:.2f}" for name, t in costs[lang].items())
        print(f"  {lang}: {row}")
    print(f"  prose_number before the languages: {1e6 * costs['old']:.2f}")
    extra_number = costs["es"]["prose_number"] - costs["old"]
    extra_lookup = costs["es"]["_"]
    print("per rerun in Spanish (calls × cost; a page's rerun is tens of milliseconds):")
    start = time.perf_counter()
    for title, seen in calls_per_run().items():
        added = seen["_"] * extra_lookup + seen["number"] * extra_number
        print(
            f"  {title:28} {seen['_']:4d} lookups, {seen['number']:4d} numbers: "
            f"+{1e3 * added:.2f} ms"
        )
    print(f"(counted in {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
