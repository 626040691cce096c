"""Debian's ``redis-server`` for the tests (devtools/redis.py): skipped locally when it is
missing, a failure in CI (where ``.ci/run`` installs it)."""

from __future__ import annotations

import os

import pytest

from devtools.redis import RedisServer, find_redis_server

__all__ = ["MISSING", "RedisServer", "find_redis_server", "in_ci", "require_redis_server"]

MISSING = "redis-server not found: Redis room-store tests skipped; install Debian's redis-server"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def require_redis_server() -> str:
    """The binary, or skip (locally) / fail (in CI, where ``.ci/run`` installs it)."""
    path = find_redis_server()
    if path is None:
        if in_ci():
            pytest.fail(f"CI=true: {MISSING.replace('skipped', 'cannot run')}", pytrace=False)
        pytest.skip(MISSING)
    return path
