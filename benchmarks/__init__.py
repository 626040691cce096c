"""Speed and capacity measurements; run each from the repository root as
``python -m benchmarks.<name>`` (figures and commands in docs/benchmarks.md)."""
