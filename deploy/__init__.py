"""Several app processes behind HAProxy (``deploy/scale_out.sh``); the Python helpers run from
the repository root as ``python -m deploy.<name>``."""
