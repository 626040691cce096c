"""Development tools shared by the tests, the benchmarks, ``deploy/`` and ``scripts/``.

The app never imports this package. Dependencies run one way: ``tests``, ``benchmarks``,
``deploy`` and ``scripts`` import ``devtools``; ``devtools`` imports only the app's page table
(:mod:`softmax_ui.catalog`) and third-party packages, never a test or a benchmark.

* :mod:`devtools.pages`: the app's pages and the URL path of each, from the catalog.
* :mod:`devtools.server`: ``streamlit run serve.py`` (the app and its headers) on a free
  loopback port.
* :mod:`devtools.loopback`: whether a URL or host stays on this machine.
* :mod:`devtools.browser`: Debian's Chromium through Playwright, every request watched.
* :mod:`devtools.streamlit_internals`: the one module that uses Streamlit's non-public parts
  (its websocket protocol, its script runner, its page-file naming rule).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
"""The repository root: the app (``app.py``, ``pages/``) is run from here."""
ARTIFACTS = ROOT / "test-artifacts"
"""Screenshots, server logs and profiles (ignored by git)."""
