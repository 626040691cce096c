"""What every test shares: Hypothesis's settings.

Property tests check facts, never time (timing is the benchmarks'): Hypothesis's default
200-ms deadline per example failed test_winner_as_T_goes_to_0_is_the_largest_logit_or_a_tie
on a machine busy with a browser beside the tests. The profile is loaded here, before any
test module is imported (a ``@settings(...)`` takes the defaults of its import), unless the
command line names another (``--hypothesis-profile``).
"""

from __future__ import annotations

import pytest
from hypothesis import settings

settings.register_profile("softmax", deadline=None)


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("hypothesis_profile", default=None) is None:
        settings.load_profile("softmax")
