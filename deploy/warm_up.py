"""Warm every app process behind the balancer: each page's first run, before students arrive.

A cold Streamlit process imports pandas, pyarrow and plotly on its first script run; when many
students open the link at the same moment, those first runs import them concurrently in several
script threads, and one can fail with "partially initialized module 'pandas'" (seen in
load tests on a cold process). One sequential first run per page and process avoids that.

    python -m deploy.warm_up http://127.0.0.1:8600 --processes 2     (from the repository root)
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from devtools.loopback import loopback_url
from devtools.pages import app_pages
from devtools.streamlit_internals import Session


async def warm(url: str, processes: int) -> int:
    """One first run of every page on each of ``processes`` processes; returns the failures."""
    failures = 0
    # the balancer spreads new sessions round-robin: `processes` rounds reach every process
    for page in app_pages() * processes:
        session = Session(url, page, timeout=60)
        try:
            await session.connect()
            result = await session.first_run()
            failures += not result.ok
        except (OSError, TimeoutError) as err:
            print(f"warm_up: {page}: {err}", file=sys.stderr)
            failures += 1
        finally:
            await session.close()
    return failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("url", type=loopback_url, help="the balancer (loopback)")
    ap.add_argument("--processes", type=int, default=1)
    args = ap.parse_args(argv)
    failures = asyncio.run(warm(args.url, max(1, args.processes)))
    if failures:
        print(f"warm_up: {failures} page run(s) failed", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
