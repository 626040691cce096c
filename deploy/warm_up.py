"""Warm every app process behind the balancer: each page's first run, before students arrive.

A cold Streamlit process imports pandas, pyarrow and plotly on its first script run; when many
students open the link at the same moment, those first runs import them concurrently in several
script threads, and one can fail with "partially initialized module 'pandas'" (seen in
load tests on a cold process). One sequential first run per page and process avoids that.

    python deploy/warm_up.py http://127.0.0.1:8600 --processes 2
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import perfkit  # noqa: E402


async def warm(url: str, processes: int) -> int:
    pages = perfkit.discover_pages(ROOT)
    failures = 0
    # the balancer spreads new sessions round-robin: `processes` rounds reach every process
    for page in pages * processes:
        session = perfkit.Session(url, page, timeout=60)
        try:
            await session.connect()
            result = await session.first_run()
            failures += result.status != 0 or result.exception
        except (OSError, TimeoutError) as err:
            print(f"warm_up: {page.label}: {err}", file=sys.stderr)
            failures += 1
        finally:
            await session.close()
    return failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("url")
    ap.add_argument("--processes", type=int, default=1)
    args = ap.parse_args(argv)
    failures = asyncio.run(warm(args.url.rstrip("/"), max(1, args.processes)))
    if failures:
        print(f"warm_up: {failures} page run(s) failed", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
