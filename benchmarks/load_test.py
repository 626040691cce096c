"""Load test: N simulated students on real Streamlit sessions, one interaction every 2 s each.

Each student opens a real websocket to ``/_stcore/stream`` (the protocol a browser speaks,
built with Streamlit's own protobufs), does the page's first run, then every ``--interval``
seconds moves a slider one notch (the temperature slider, else a logit slider) by sending a
``rerun_script`` BackMsg with every widget's state, and times it until the server's
``script_finished`` ForwardMsg. The widget ids are learnt from the first run's deltas.

For each N it reports p50/p95/p99 of that latency, the server process's CPU (from
/proc/<pid>/stat), the bytes per interaction, and the first N whose p95 exceeds the target.

Bounded: N ≤ 400, each step ≤ 300 s, the whole run ≤ 40 min, every wait has a timeout;
loopback only (a non-loopback ``--url`` is refused).

    .venv/bin/python -m benchmarks.load_test                        # own server, N = 10…150
    .venv/bin/python -m benchmarks.load_test --n 10 25 50 --duration 30
    .venv/bin/python -m benchmarks.load_test --url http://127.0.0.1:8600 --pid 1234
    .venv/bin/python -m benchmarks.load_test --own-example   # each student's own logits
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import perfkit
from devtools.loopback import loopback_url
from devtools.pages import AppPage
from devtools.streamlit_internals import Session

MAX_N = 400
MAX_STEP_SECONDS = 300
MAX_TOTAL_SECONDS = 40 * 60
DEFAULT_NS = (10, 25, 50, 75, 100, 150)


@dataclass
class StepResult:
    n: int
    latencies: list[float] = field(default_factory=list)
    first_runs: list[float] = field(default_factory=list)
    bytes_received: list[int] = field(default_factory=list)
    bytes_sent: list[int] = field(default_factory=list)
    errors: int = 0
    late: int = 0
    wall: float = 0.0
    server_cpu: float = float("nan")
    client_cpu: float = float("nan")
    backends: Counter = field(default_factory=Counter)

    def row(self) -> dict:
        s = perfkit.summary([v * 1000 for v in self.latencies])
        return {
            "N": self.n,
            "interactions": s["n"],
            "p50_ms": s["median"],
            "p95_ms": s["p95"],
            "p99_ms": s["p99"],
            "max_ms": s["max"],
            "first_run_p50_ms": perfkit.pct([v * 1000 for v in self.first_runs], 50),
            "rate_per_s": s["n"] / self.wall if self.wall else 0.0,
            "server_cpu_pct": self.server_cpu,
            "client_cpu_pct": self.client_cpu,
            "kb_per_interaction": perfkit.pct(self.bytes_received, 50) / 1024,
            "kb_sent_per_interaction": perfkit.pct(self.bytes_sent, 50) / 1024,
            "errors": self.errors,
            "late_sends": self.late,
            "students_per_backend": dict(self.backends),
        }


async def student(
    i: int,
    url: str,
    pages: list[AppPage],
    start: float,
    measure_from: float,
    end: float,
    interval: float,
    timeout: float,
    headers: dict[str, str],
    result: StepResult,
    own_example: bool = False,
) -> None:
    rng = random.Random(i)
    page = pages[i % len(pages)]
    # Each student walks the slider from its own point and place (within ±16 steps), so the
    # students do not move to the same values at the same time: charts of the same view are
    # built once for every session that shows it (softmax_ui.shared_figures), and a class in
    # lockstep would measure that sharing rather than students exploring on their own.
    session = Session(url, page, timeout=timeout, headers=headers)
    if own_example:
        # logits of its own (a link with z=…): no chart it draws is one another student drew,
        # so nothing is shared (softmax_ui.shared_figures), as when each types their own
        session.query = own_logits(i)
    session.step, session.walk_offset = rng.randrange(24), rng.randrange(-16, 17)
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    try:
        await session.connect()
        sticky = [f"{k}={v}" for k, v in sorted(session.cookies.items()) if not k.startswith("_")]
        result.backends[",".join(sticky) or "direct"] += 1
        first = await session.first_run()
        result.first_runs.append(first.seconds)
        # one interaction every `interval` s, at a random phase, on a fixed schedule
        t_next = time.monotonic() + rng.uniform(0, interval)
        while True:
            await asyncio.sleep(max(0.0, t_next - time.monotonic()))
            if time.monotonic() >= end:
                break
            r = await session.interact()
            if not r.ok:
                result.errors += 1
            if time.monotonic() - r.seconds >= measure_from:
                result.latencies.append(r.seconds)
                result.bytes_received.append(r.bytes_received)
                result.bytes_sent.append(r.bytes_sent)
            t_next += interval
            if t_next < time.monotonic():  # the answer took longer than the interval
                result.late += 1
                t_next = time.monotonic()
    except (OSError, TimeoutError, asyncio.TimeoutError, LookupError, Exception) as err:
        result.errors += 1
        if result.errors <= 3:
            print(f"  student {i}: {type(err).__name__}: {err}", file=sys.stderr)
    finally:
        await session.close()


def own_logits(i: int) -> str:
    """Student ``i``'s link query: the example's logits with the first one moved by i/1000,
    distinct for every student (``z=2.001,1,0.1``).

    >>> own_logits(0), own_logits(7)
    ('z=2,1,0.1', 'z=2.007,1,0.1')
    """
    first = f"{2 + i / 1000:.3f}".rstrip("0").rstrip(".")
    return f"z={first},1,0.1"


async def run_step(
    n: int,
    url: str,
    pages: list[AppPage],
    *,
    ramp: float,
    warmup: float,
    duration: float,
    interval: float,
    timeout: float,
    headers: dict[str, str],
    server_pids: list[int],
    own_example: bool = False,
) -> StepResult:
    result = StepResult(n)
    t0 = time.monotonic()
    measure_from = t0 + ramp + warmup
    end = measure_from + duration
    tasks = [
        asyncio.create_task(
            student(
                i,
                url,
                pages,
                t0 + ramp * i / n,
                measure_from,
                end,
                interval,
                timeout,
                headers,
                result,
                own_example,
            )
        )
        for i in range(n)
    ]
    await asyncio.sleep(max(0.0, measure_from - time.monotonic()))
    cpu0 = _cpu(server_pids)
    me0 = perfkit.cpu_seconds(os.getpid())
    w0 = time.monotonic()
    await asyncio.sleep(max(0.0, end - time.monotonic()))
    w1 = time.monotonic()
    if server_pids:
        result.server_cpu = 100 * (_cpu(server_pids) - cpu0) / (w1 - w0)
    result.client_cpu = 100 * (perfkit.cpu_seconds(os.getpid()) - me0) / (w1 - w0)
    result.wall = w1 - w0
    # let the last interactions finish (bounded), then close everything
    _done, pending = await asyncio.wait(tasks, timeout=timeout + 5)
    for t in pending:
        t.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return result


def _cpu(pids: list[int]) -> float:
    """CPU seconds of the server processes (summed over them: several behind a balancer)."""
    return sum(perfkit.cpu_seconds(p) for p in pids)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=list(DEFAULT_NS), help="students per step")
    ap.add_argument("--duration", type=float, default=30, help="measured seconds per step")
    ap.add_argument("--warmup", type=float, default=6, help="unmeasured seconds after ramp-up")
    ap.add_argument("--ramp", type=float, default=None, help="ramp-up seconds (default N/10)")
    ap.add_argument("--interval", type=float, default=2.0, help="seconds between interactions")
    ap.add_argument("--timeout", type=float, default=30, help="per-run timeout (s)")
    ap.add_argument("--target-ms", type=float, default=500, help="p95 target")
    ap.add_argument(
        "--page", nargs="*", default=["Playground"], help="page name(s); 'all' = every lesson"
    )
    ap.add_argument(
        "--url", type=loopback_url, help="a running server or balancer on loopback; default: own"
    )
    ap.add_argument("--pid", type=int, nargs="*", help="server pid(s) for CPU, with --url")
    ap.add_argument("--server-arg", action="append", default=[], help="extra `streamlit run` flag")
    ap.add_argument("--header", action="append", default=[], help="extra 'Name: value' header")
    ap.add_argument("--stop-after-break", action="store_true", help="stop at the first N > target")
    ap.add_argument(
        "--own-example",
        action="store_true",
        help="each student opens the page with logits of its own (nothing shared)",
    )
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args(argv)

    if any(n < 1 or n > MAX_N for n in args.n):
        ap.error(f"every N must be in 1..{MAX_N}")
    if args.duration + args.warmup > MAX_STEP_SECONDS:
        ap.error(f"duration + warmup must be ≤ {MAX_STEP_SECONDS} s")
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}

    pages = perfkit.pages_to_measure(None if args.page == ["all"] else args.page)
    pages = [p for p in pages if not p.is_landing]
    if not pages:
        ap.error("--page: choose at least one lesson (the landing page has no slider)")

    print(f"load test: {perfkit.machine_note()}; pages {[p.name for p in pages]}")
    deadline = time.monotonic() + MAX_TOTAL_SECONDS
    results: list[StepResult] = []

    def go(url: str, pids: list[int]) -> None:
        # warm the server: every page once, so the first step does not pay the imports
        asyncio.run(_warm(url, pages, headers, sessions=max(1, len(pids))))
        for n in args.n:
            ramp = args.ramp if args.ramp is not None else max(2.0, n / 10)
            if time.monotonic() + ramp + args.warmup + args.duration + 40 > deadline:
                print(f"  stopping before N={n}: the whole run is capped at {MAX_TOTAL_SECONDS} s")
                break
            r = asyncio.run(
                run_step(
                    n,
                    url,
                    pages,
                    ramp=ramp,
                    warmup=args.warmup,
                    duration=args.duration,
                    interval=args.interval,
                    timeout=args.timeout,
                    headers=headers,
                    server_pids=pids,
                    own_example=args.own_example,
                )
            )
            results.append(r)
            row = r.row()
            print(
                f"  N={n:4d}: p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
                f"p99 {row['p99_ms']:7.1f} ms  {row['rate_per_s']:5.1f}/s  "
                f"server CPU {row['server_cpu_pct']:5.0f}%  errors {r.errors}  "
                f"backends {dict(sorted(r.backends.items()))}",
                flush=True,
            )
            if args.stop_after_break and row["p95_ms"] > args.target_ms:
                break
            time.sleep(3)  # let closed sessions be cleaned up

    if args.url:
        go(args.url, args.pid or [])
    else:
        with perfkit.server(args.server_arg) as server:
            go(server.url, [server.pid])

    rows = [r.row() for r in results]
    print()
    print(
        perfkit.table(
            [
                [
                    r["N"],
                    r["interactions"],
                    r["p50_ms"],
                    r["p95_ms"],
                    r["p99_ms"],
                    r["rate_per_s"],
                    r["server_cpu_pct"],
                    r["client_cpu_pct"],
                    r["kb_per_interaction"],
                    r["errors"],
                ]
                for r in rows
            ],
            [
                "N",
                "interactions",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "runs/s",
                "server CPU %",
                "load-gen CPU %",
                "KB/interaction",
                "errors",
            ],
        )
    )
    broken = [r["N"] for r in rows if r["p95_ms"] > args.target_ms or r["errors"]]
    if broken:
        print(f"\np95 first exceeds {args.target_ms:g} ms (or errors) at N = {broken[0]}")
    else:
        print(f"\np95 ≤ {args.target_ms:g} ms at every N measured")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"args": vars(args) | {"json": str(args.json)}, "steps": rows},
                indent=1,
                default=str,
            )
        )
    return 0


async def _warm(url: str, pages: list[AppPage], headers: dict[str, str], sessions: int = 1) -> None:
    """Every page once per server process (a balancer spreads new sessions round-robin)."""
    for page in pages * sessions:
        s = Session(url, page, headers=headers)
        await s.connect()
        try:
            await s.first_run()
            await s.interact()
        finally:
            await s.close()


if __name__ == "__main__":
    sys.exit(main())
