"""Rooms for the live class: one interface (:class:`RoomStore`), two stores.

* :class:`~softmax_ui.rooms.sqlite_store.SQLiteRoomStore`, the default: a file
  ``rooms.sqlite3`` under the data directory (``SOFTMAX_DATA_DIR``, default ``.data/`` in the
  app's folder), shared by every app process on the machine (``deploy/scale_out.sh``).
* :class:`~softmax_ui.rooms.redis_store.RedisRoomStore` when ``SOFTMAX_ROOMS_URL`` is a
  ``redis://`` (or ``rediss://``) URL: app processes on several machines.

Pure Python (no Streamlit); see :mod:`softmax_ui.rooms.base` for the rules every store keeps.
"""

from __future__ import annotations

import os
from pathlib import Path

from softmax_ui.rooms.base import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_ANSWER_CHARS,
    MAX_NICKNAME_CHARS,
    NICKNAME_BOX_CHARS,
    Created,
    NoSuchRoom,
    NotAllowed,
    NotTeacher,
    Poll,
    Presence,
    RateLimited,
    Room,
    RoomError,
    RoomFull,
    RoomStore,
    Settings,
    View,
    clean_nickname,
    nickname_cut,
    normalise_code,
    spaced_code,
)

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR_ENV = "SOFTMAX_DATA_DIR"
URL_ENV = "SOFTMAX_ROOMS_URL"
PREFIX_ENV = "SOFTMAX_ROOMS_PREFIX"
DB_NAME = "rooms.sqlite3"

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MAX_ANSWER_CHARS",
    "MAX_NICKNAME_CHARS",
    "NICKNAME_BOX_CHARS",
    "Created",
    "NoSuchRoom",
    "NotAllowed",
    "NotTeacher",
    "Poll",
    "Presence",
    "RateLimited",
    "Room",
    "RoomError",
    "RoomFull",
    "RoomStore",
    "Settings",
    "View",
    "clean_nickname",
    "data_dir",
    "nickname_cut",
    "normalise_code",
    "open_store",
    "spaced_code",
]


def data_dir(env: dict[str, str] | None = None) -> Path:
    """Where the SQLite store lives: ``$SOFTMAX_DATA_DIR`` or ``.data/`` in the app's folder.

    >>> data_dir({"SOFTMAX_DATA_DIR": "/srv/softmax"})
    PosixPath('/srv/softmax')
    >>> data_dir({}).name
    '.data'
    """
    env = dict(os.environ if env is None else env)
    chosen = env.get(DATA_DIR_ENV, "").strip()
    return Path(chosen) if chosen else ROOT / ".data"


def open_store(env: dict[str, str] | None = None) -> RoomStore:
    """The store the settings choose: Redis for a ``redis://`` URL, else SQLite."""
    env = dict(os.environ if env is None else env)
    url = env.get(URL_ENV, "").strip()
    settings = Settings.from_env(env)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from softmax_ui.rooms.redis_store import RedisRoomStore

        return RedisRoomStore(url, settings, prefix=env.get(PREFIX_ENV) or "softmax:")
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
    elif url:
        raise ValueError(f"{URL_ENV} must be a redis:// or sqlite:/// URL, not {url[:40]!r}.")
    else:
        path = data_dir(env) / DB_NAME
    from softmax_ui.rooms.sqlite_store import SQLiteRoomStore

    return SQLiteRoomStore(path, settings)
