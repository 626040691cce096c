"""Profile each page's rerun after a slider change (pyinstrument) and say what dominates.

Runs every page in AppTest (entry point switched to the page, as the app's tests do), moves the
same slider as ``bench_rerun.py`` ``--runs`` times, and samples the script thread with
pyinstrument during the script body (callbacks included). Every sample is put in one bucket by
its call stack, first match wins:

  figure build         inside softmax_ui/figures*.py (go.Figure, add_*, update_*: validation)
  plotly → JSON        inside st.plotly_chart (figure copy + plotly.io.to_json)
  dataframe → Arrow    inside st.dataframe / st.table (pandas + pyarrow conversion)
  numerics             inside softmax_core
  widgets              inside streamlit/elements/widgets (slider, number_input, …)
  lesson state/URL     inside softmax_ui/session.py or state.py (outside the widgets)
  other elements       any other streamlit element (markdown, columns, metric, …)
  page & rest          everything else

Prints ms per rerun per bucket and page, and writes the full call trees to
``test-artifacts/profiles/<page>.txt`` (and ``.html``).

Not measured here: the work Streamlit does after the body (its forced ``gc.collect(2)``,
``runner.postScriptGC``) and sending the deltas; ``bench_rerun.py`` measures those on the
real server.

    .venv/bin/python -m benchmarks.profile_rerun
    .venv/bin/python -m benchmarks.profile_rerun --pages Naive --runs 60
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks import perfkit
from benchmarks.bench_rerun import next_apptest_value, pick_apptest_widget
from devtools import ARTIFACTS
from devtools.pages import AppPage
from devtools.streamlit_internals import script_runs_wrapped

BUCKETS = [
    ("figure build", ("softmax_ui/figures",)),
    ("plotly → JSON", ("streamlit/elements/plotly_chart.py",)),
    ("dataframe → Arrow", ("streamlit/elements/arrow.py", "streamlit/dataframe_util.py")),
    ("numerics", ("softmax_core/",)),
    ("widgets", ("streamlit/elements/widgets/",)),
    ("lesson state/URL", ("softmax_ui/session.py", "softmax_ui/state.py")),
    ("other elements", ("streamlit/elements/", "streamlit/delta_generator")),
]
REST = "page & rest"


def bucket_of(stack: list[str]) -> str:
    files = [frame.split("\x00")[1] if "\x00" in frame else frame for frame in stack]
    for name, markers in BUCKETS:
        if any(m in f for f in files for m in markers):
            return name
    return REST


class BodyProfiler:
    """pyinstrument around every script body Streamlit runs while :attr:`active`, as a wrapper
    for :func:`~devtools.streamlit_internals.script_runs_wrapped`."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.sessions: list = []
        self.active = False

    def __call__(self, run):
        from pyinstrument import Profiler

        if not self.active:
            return run()
        profiler = Profiler(interval=self.interval)
        profiler.start()
        try:
            return run()
        finally:
            self.sessions.append(profiler.stop())


def profile_page(page: AppPage, runs: int, interval: float, out_dir: Path) -> dict:
    from pyinstrument.renderers import ConsoleRenderer, HTMLRenderer
    from pyinstrument.session import Session
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(perfkit.APP_DIR / "app.py"), default_timeout=60)
    if page.script != "app.py":
        at.switch_page(page.script)
    at.run()
    widget, kind = pick_apptest_widget(at)
    if at.exception or widget is None:
        return {}
    key = widget.key
    prof = BodyProfiler(interval)
    with script_runs_wrapped(prof):
        for i in range(runs + 3):
            prof.active = i >= 3
            w = at.slider(key=key) if kind == "slider" else at.number_input(key=key)
            w.set_value(next_apptest_value(w, kind, i + 1))
            at.run()
    if not prof.sessions:
        return {}
    session = prof.sessions[0]
    for s in prof.sessions[1:]:
        session = Session.combine(session, s)
    totals: Counter = Counter()
    for stack, seconds in session.frame_records:
        totals[bucket_of(stack)] += seconds
    slug = page.name
    text = ConsoleRenderer(unicode=False, color=False, show_all=False).render(session)
    (out_dir / f"{slug}.txt").write_text(text)
    (out_dir / f"{slug}.html").write_text(HTMLRenderer().render(session))
    n = len(prof.sessions)
    return {"widget": key, "runs": n} | {k: v / n * 1000 for k, v in totals.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pages", nargs="*", help="page names (substring match); default: all")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--interval", type=float, default=0.0005, help="sampling interval (s)")
    args = ap.parse_args(argv)

    pages = perfkit.pages_to_measure(args.pages)
    os.chdir(perfkit.APP_DIR)
    out_dir = ARTIFACTS / "profiles"
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"profile_rerun: {perfkit.machine_note()}; app {perfkit.APP_DIR}")
    names = [b for b, _ in BUCKETS] + [REST]
    rows = []
    t0 = time.monotonic()
    for page in pages:
        res = profile_page(page, args.runs, args.interval, out_dir)
        if not res:
            continue
        total = sum(res.get(b, 0.0) for b in names)
        top = max(names, key=lambda b: res.get(b, 0.0))
        rows.append(
            [page.name, res["widget"], total]
            + [res.get(b, 0.0) for b in names]
            + [f"{top} ({100 * res.get(top, 0) / total:.0f}%)"]
        )
    print()
    print(perfkit.table(rows, ["page", "widget", "body ms", *names, "dominant"]))
    print(f"\ncall trees: {out_dir}/<page>.txt|.html ({time.monotonic() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
