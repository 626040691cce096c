"""Fixtures for the room-store tests: every test runs against SQLite and against Redis.

Imported by the test modules (not a conftest.py: two conftest.py files in folders without
``__init__.py`` clash when pytest is given both folders).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from softmax_ui.rooms import RoomStore, Settings
from softmax_ui.rooms.sqlite_store import SQLiteRoomStore
from tests.rooms.redis_server import RedisServer, require_redis_server

_prefixes = itertools.count()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    binary = require_redis_server()
    server = RedisServer(binary, tmp_path_factory.mktemp("redis")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


StoreFactory = Callable[..., RoomStore]


@pytest.fixture(params=["sqlite", "redis"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def make_store(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, clock: Clock
) -> Iterator[StoreFactory]:
    """``make_store(settings=None)``: a store on this test's database (SQLite file or Redis
    key prefix); every call opens a new connection to the same data, as a second app
    process or a restarted server would."""
    opened: list[RoomStore] = []
    prefix = f"test{next(_prefixes)}:"

    def make(settings: Settings | None = None, clock_: Callable[[], float] = clock) -> RoomStore:
        if backend == "sqlite":
            store: RoomStore = SQLiteRoomStore(tmp_path / "rooms.sqlite3", settings, clock_)
        else:
            from softmax_ui.rooms.redis_store import RedisRoomStore

            server = request.getfixturevalue("redis_server")
            store = RedisRoomStore(server.url, settings, clock_, prefix=prefix)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(make_store: StoreFactory) -> RoomStore:
    return make_store()
