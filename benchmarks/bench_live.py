"""Live class benchmark: N simulated students following the teacher and answering, over real
websockets, across two app processes behind HAProxy, with the SQLite and the Redis store.

Each student is a :class:`devtools.streamlit_internals.Tab`: it opens the join link, and then
behaves as Streamlit's frontend does (every ``st.fragment(run_every=…)`` rerun on its timer,
the address bar, the page switches the server makes). Students are pinned alternately to
process 1 and 2 by HAProxy's sticky cookie; the teacher's tab is on process 1. For each store:

1. **idle cost**: the teacher on the Playground, idle; the server processes' CPU (both, from
   /proc) over ``--idle`` s before the students join (baseline) and with the N students
   connected and following; the difference per student, in % of one core;
2. **teacher move → student view updated**: ``--moves`` times, every ``--every`` s, the teacher
   sets T (a real rerun of the teacher's tab), or with ``--page-moves`` opens another lesson;
   for every student, the time from the teacher's message to the end of the student's run
   that shows the teacher's new settings on the teacher's page (its address bar carries
   them): a run of the page's sections for a change of T, a page's whole run (or two: the
   student's page, then a switch) for another lesson. p50/p95/max over all (move, student)
   pairs; a student that has not followed within ``--timeout`` s counts as missed. CPU over
   this phase too, and the server CPU a follow costs (above the idle following's);
3. **N answers → N counted**: the teacher opens the class page (students follow) and presses
   "Ask the room"; every student picks an option, a third of them change their mind; the
   store must then hold exactly N answers, and exactly the final choices.

Not part of ``make test``. Loopback only. Results in docs/benchmarks.md ("Live class").

    .venv/bin/python -m benchmarks.bench_live                  # N = 100, SQLite then Redis
    .venv/bin/python -m benchmarks.bench_live --n 20 --store sqlite --moves 3
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

from benchmarks import perfkit
from deploy.balanced import STORES, Balanced
from devtools.streamlit_internals import Tab
from softmax_ui.text import WORD_JOINER

LIVE_KEYS = ("room", "member", "lead", "teacher")
T_VALUES = (2.5, 0.5, 3.0, 0.25, 4.0, 1.5, 0.75, 2.0, 3.5, 0.4)
PAGE_MOVES = (
    "Softmax_vs_Sigmoid_vs_ReLU",
    "Naive_vs_Stable",
    "Temperature_and_Sampling",
    "Gradients_and_Cross_Entropy",
    "Playground",
)
"""With ``--page-moves``: the lessons the teacher opens in turn (from the Playground)."""
MAX_N = 300


def shown_as(option: str) -> str:
    """The answer a radio option stands for: the page shows options through
    ``softmax_ui.text.md`` (Markdown escapes, HTML entities, word joiners)."""
    return html.unescape(re.sub(r"\\(.)", r"\1", option.replace(WORD_JOINER, "")))


def lesson(query: str) -> dict[str, str]:
    """The lesson state in an address bar's query (no live-class keys)."""
    return {k: v for k, v in parse_qsl(query) if k not in LIVE_KEYS}


@dataclass
class Result:
    store: str
    n: int
    joined: int = 0
    join_seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    missed: int = 0
    in_place: int = 0
    """Follows shown by a run of the page's sections (not a whole run of the page)."""
    moves: int = 0
    baseline_cpu_pct: float = float("nan")
    idle_cpu_pct: float = float("nan")
    moving_cpu_pct: float = float("nan")
    moving_seconds: float = float("nan")
    client_cpu_pct: float = float("nan")
    answers_sent: int = 0
    answers_counted: int = -1
    answers_match: bool = False
    count_seconds: float = float("nan")
    exceptions: int = 0
    tracebacks: int = 0
    per_process: dict[str, int] = field(default_factory=dict)

    def row(self) -> dict:
        s = perfkit.summary([v * 1000 for v in self.latencies])
        per_student = (self.idle_cpu_pct - self.baseline_cpu_pct) / max(1, self.joined)
        moving = (self.moving_cpu_pct - self.baseline_cpu_pct) / max(1, self.joined)
        # Server CPU a follow costs: the moving phase's CPU above the idle following's.
        follows = max(1, self.moves * self.joined)
        extra = (self.moving_cpu_pct - self.idle_cpu_pct) / 100 * self.moving_seconds
        return {
            "store": self.store,
            "N": self.n,
            "joined": self.joined,
            "join_s": self.join_seconds,
            "moves": self.moves,
            "follow_p50_ms": s["median"],
            "follow_p95_ms": s["p95"],
            "follow_max_ms": s["max"],
            "missed": self.missed,
            "shown_in_place": self.in_place,
            "baseline_cpu_pct": self.baseline_cpu_pct,
            "idle_cpu_pct": self.idle_cpu_pct,
            "idle_cpu_pct_per_student": per_student,
            "moving_cpu_pct": self.moving_cpu_pct,
            "moving_cpu_pct_per_student": moving,
            "cpu_ms_per_follow": 1000 * extra / follows,
            "students_per_core_idle": 100 / per_student if per_student > 0 else float("nan"),
            "students_per_core_moving": 100 / moving if moving > 0 else float("nan"),
            "load_gen_cpu_pct": self.client_cpu_pct,
            "answers_sent": self.answers_sent,
            "answers_counted": self.answers_counted,
            "answers_match": self.answers_match,
            "count_s": self.count_seconds,
            "exceptions": self.exceptions,
            "tracebacks": self.tracebacks,
            "students_per_process": self.per_process,
        }


def describe(tab: Tab) -> str:
    """What a tab last saw (for a student who missed a move or an answer)."""
    last = [
        f"{'fragment' if d.fragment else 'page'}{'' if d.ok else ' (not ok)'}"
        f" {time.perf_counter() - d.at:.1f} s ago"
        for d in tab.drawn[-4:]
    ]
    member = dict(parse_qsl(tab.query)).get("member", "?")
    return (
        f"member {member}, query {tab.query[:60]}, timers {len(tab._timers)}, "
        f"radios {len(tab.radios)}, last runs {last}"
    )


def cpu(pids: list[int]) -> float:
    return sum(perfkit.cpu_seconds(p) for p in pids)


async def measure_cpu(pids: list[int], seconds: float) -> tuple[float, float]:
    """% of one core used by ``pids`` and by this process over the next ``seconds``."""
    s0, c0, t0 = cpu(pids), perfkit.cpu_seconds(os.getpid()), time.monotonic()
    await asyncio.sleep(seconds)
    wall = time.monotonic() - t0
    return (
        100 * (cpu(pids) - s0) / wall,
        100 * (perfkit.cpu_seconds(os.getpid()) - c0) / wall,
    )


async def run_class(app: Balanced, args: argparse.Namespace, result: Result) -> None:
    timeout = args.timeout
    teacher = Tab(app.url, "Live_class", headers=app.pin(1), timeout=60)
    students: list[Tab] = []
    try:
        # Warm both processes (the first run of a page pays its imports), then start a class.
        for process in (1, 2):
            for path in ("Live_class", "Playground"):
                async with Tab(app.url, path, headers=app.pin(process), timeout=60) as warm:
                    await warm.wait_for(lambda w=warm: any(not d.fragment for d in w.drawn))
        await teacher.open()
        await teacher.wait_for(lambda: "Start a class" in teacher.buttons)
        await teacher.click("Start a class")
        await teacher.wait_for(lambda: "lead=1" in teacher.query)
        code = dict(parse_qsl(teacher.query))["room"]
        await teacher.go("Playground")
        await teacher.wait_for(lambda: teacher.book.by_key("w:T_slider") is not None)
        await asyncio.sleep(2)
        result.baseline_cpu_pct, _ = await measure_cpu(app.pids, args.idle)

        # N students join from the link, alternately on process 1 and 2, and follow.
        view = lesson(teacher.query)
        t_join = time.monotonic()
        for i in range(args.n):
            tab = Tab(app.url, "Live_class", f"room={code}", headers=app.pin(1 + i % 2))
            tab.timeout = 60
            students.append(tab)
            await tab.open()
            await asyncio.sleep(1 / args.join_rate)
        followed = [
            s.wait_for(
                lambda s=s: any(not d.fragment and lesson(d.query) == view for d in s.drawn), 120
            )
            for s in students
        ]
        done = await asyncio.gather(*followed, return_exceptions=True)
        result.joined = sum(1 for d in done if d is None)
        result.join_seconds = time.monotonic() - t_join
        result.per_process = dict(Counter(f"app{1 + i % 2}" for i in range(args.n)))
        print(f"  {result.joined}/{args.n} joined and following in {result.join_seconds:.1f} s")
        await asyncio.sleep(3)
        result.idle_cpu_pct, _ = await measure_cpu(app.pids, args.idle)
        print(
            f"  idle: server CPU {result.idle_cpu_pct:.0f} % "
            f"(baseline {result.baseline_cpu_pct:.0f} %)"
        )

        # The teacher moves T; every student must show it.
        s0, c0, w0 = cpu(app.pids), perfkit.cpu_seconds(os.getpid()), time.monotonic()
        for move in range(args.moves):
            t_value = T_VALUES[move % len(T_VALUES)]
            before = teacher.query
            t0 = time.perf_counter()
            if args.page_moves:
                path = PAGE_MOVES[move % len(PAGE_MOVES)]
                what = path
                await teacher.go(path)
                await teacher.wait_for(
                    lambda t0=t0: any(d.at > t0 and not d.fragment and d.ok for d in teacher.drawn)
                )
            else:
                what = f"T = {t_value}"
                await teacher.set_widget("w:T_slider", [t_value])
                await teacher.wait_for(lambda b=before: teacher.query != b)
            view, page = lesson(teacher.query), teacher.page_hash

            def showing(s: Tab, view: dict = view, page: str = page, t0: float = t0):
                return next(
                    (
                        d
                        for d in s.drawn
                        if d.at > t0 and d.ok and d.page_hash == page and lesson(d.query) == view
                    ),
                    None,
                )

            def shown(s: Tab, t0: float = t0) -> float | None:
                run = showing(s)
                return None if run is None else run.at - t0

            waits = [s.wait_for(lambda s=s: shown(s) is not None, timeout) for s in students]
            await asyncio.gather(*waits, return_exceptions=True)
            for s in students:
                latency = shown(s)
                if latency is None:
                    result.missed += 1
                    print(f"    missed: {describe(s)}")
                else:
                    result.latencies.append(latency)
                    result.in_place += showing(s).fragment
            result.moves += 1
            late = [v for v in result.latencies[-len(students) :]]
            print(
                f"  move {move + 1}: {what}: p95 {perfkit.pct(late, 95) * 1000:.0f} ms, "
                f"missed {result.missed}",
                flush=True,
            )
            await asyncio.sleep(max(0.0, args.every - (time.perf_counter() - t0)))
        wall = time.monotonic() - w0
        result.moving_cpu_pct = 100 * (cpu(app.pids) - s0) / wall
        result.moving_seconds = wall
        result.client_cpu_pct = 100 * (perfkit.cpu_seconds(os.getpid()) - c0) / wall

        # The teacher asks the room; every student answers, a third change their minds.
        await teacher.go("Live_class")
        await teacher.wait_for(lambda: "Ask the room" in teacher.buttons)
        await teacher.click("Ask the room")
        rooms = app.store()
        await teacher.wait_for(lambda: rooms.current_poll(code) is not None)
        poll = rooms.current_poll(code).id
        waits = [s.wait_for(lambda s=s: bool(s.radios), 60) for s in students]
        await asyncio.gather(*waits, return_exceptions=True)
        final: dict[int, str] = {}
        t_answer = time.monotonic()
        for i, s in enumerate(students):
            if not s.radios:
                continue
            options = list(s.radios[next(reversed(s.radios))].options)
            await s.choose(options[i % len(options)])
            result.answers_sent += 1
            final[i] = shown_as(options[i % len(options)])
        for i, s in enumerate(students):
            if s.radios and i % 3 == 0:
                options = list(s.radios[next(reversed(s.radios))].options)
                await s.choose(options[(i + 1) % len(options)])
                final[i] = shown_as(options[(i + 1) % len(options)])
        deadline = time.monotonic() + 60
        expected = sorted(final.values())
        while time.monotonic() < deadline and sorted(rooms.answers(code, poll)) != expected:
            await asyncio.sleep(0.2)
        result.count_seconds = time.monotonic() - t_answer
        await asyncio.sleep(3)  # more fragment rounds: nothing counted twice
        counted = rooms.answers(code, poll)
        result.answers_counted = len(counted)
        result.answers_match = sorted(counted) == expected
        for i, s in enumerate(students):
            member = dict(parse_qsl(s.query)).get("member", "")
            stored = rooms.answer_of(code, poll, member)
            if stored != final.get(i):
                print(f"  student {i}: stored {stored!r}, chose {final.get(i)!r}; {describe(s)}")
        result.exceptions = sum(t.exceptions for t in (teacher, *students))
        rooms.close()
    finally:
        await asyncio.gather(*(t.close() for t in (teacher, *students)), return_exceptions=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="students")
    ap.add_argument("--store", nargs="+", choices=STORES, default=list(STORES))
    ap.add_argument("--moves", type=int, default=10, help="teacher moves")
    ap.add_argument("--every", type=float, default=5.0, help="seconds between moves")
    ap.add_argument(
        "--page-moves", action="store_true", help="the teacher opens another lesson at each move"
    )
    ap.add_argument("--idle", type=float, default=20.0, help="seconds of each CPU measurement")
    ap.add_argument("--join-rate", type=float, default=10.0, help="students joining per second")
    ap.add_argument("--timeout", type=float, default=20.0, help="a student missed a move after")
    ap.add_argument("--target-ms", type=float, default=2000, help="p95 target")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args(argv)
    if not 1 <= args.n <= MAX_N:
        ap.error(f"--n must be in 1..{MAX_N}")

    print(f"live class benchmark: {perfkit.machine_note()}; N = {args.n}, stores {args.store}")
    rows = []
    for store in args.store:
        result = Result(store, args.n)
        with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp:
            print(f"{store}: 2 processes behind HAProxy", flush=True)
            with Balanced(2, store=store, workdir=Path(tmp)) as app:
                asyncio.run(run_class(app, args, result))
                result.tracebacks = len(app.tracebacks())
        rows.append(result.row())
    print()
    print(
        perfkit.table(
            [
                [
                    r["store"],
                    r["joined"],
                    r["moves"],
                    r["follow_p50_ms"],
                    r["follow_p95_ms"],
                    r["follow_max_ms"],
                    r["missed"],
                    r["shown_in_place"],
                    f"{r['answers_sent']} → {r['answers_counted']}"
                    + ("" if r["answers_match"] else " (mismatch)"),
                    r["idle_cpu_pct"],
                    r["idle_cpu_pct_per_student"],
                    r["moving_cpu_pct"],
                    r["cpu_ms_per_follow"],
                    r["students_per_core_moving"],
                    r["load_gen_cpu_pct"],
                ]
                for r in rows
            ],
            [
                "store",
                "N",
                "moves",
                "follow p50 ms",
                "p95 ms",
                "max ms",
                "missed",
                "shown by sections",
                "answers sent → counted",
                "idle server CPU %",
                "idle % per student",
                "moving server CPU %",
                "server CPU ms per follow",
                "students per core (moving)",
                "load-gen CPU %",
            ],
        )
    )
    bad = [
        r["store"]
        for r in rows
        if r["follow_p95_ms"] > args.target_ms
        or r["missed"]
        or r["answers_counted"] != r["joined"]
        or not r["answers_match"]
        or r["tracebacks"]
    ]
    print("\ntargets met" if not bad else f"\ntargets missed with: {bad}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"args": vars(args) | {"json": str(args.json)}, "rows": rows}, indent=1, default=str
            )
        )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
