"""The embedded room store: one SQLite file in WAL mode, shared by every app process.

WAL lets readers (every student's heartbeat and poll check) run while one writer commits;
writes take the database lock up front (``BEGIN IMMEDIATE``) so a check-then-write such as
"is the room full? then add the student" is atomic across threads and processes. Each
thread gets its own connection (Streamlit runs sessions on several threads).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from softmax_ui.i18n import N_
from softmax_ui.rooms.base import (
    FULL,
    MAX_POLLS,
    NO_ROOM,
    NOT_TEACHER,
    TOO_MANY,
    TOO_MANY_HERE,
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
    attempt_keys,
    check_answer,
    check_member,
    check_question,
    check_view,
    clean_nickname,
    hash_key,
    key_matches,
    new_code,
    new_key,
    new_member_id,
    normalise_code,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY, key_hash TEXT NOT NULL, created REAL NOT NULL,
    last_active REAL NOT NULL, view_slug TEXT, view_query TEXT,
    view_version INTEGER NOT NULL DEFAULT 0, broadcasting INTEGER NOT NULL DEFAULT 1,
    poll INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS members (
    code TEXT NOT NULL, member TEXT NOT NULL, nickname TEXT NOT NULL DEFAULT '',
    last_seen REAL NOT NULL, following INTEGER NOT NULL DEFAULT 1,
    following_at REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (code, member));
CREATE TABLE IF NOT EXISTS polls (
    code TEXT NOT NULL, id INTEGER NOT NULL, question TEXT NOT NULL, status TEXT NOT NULL,
    opened REAL NOT NULL, PRIMARY KEY (code, id));
CREATE TABLE IF NOT EXISTS answers (
    code TEXT NOT NULL, poll INTEGER NOT NULL, member TEXT NOT NULL, answer TEXT NOT NULL,
    PRIMARY KEY (code, poll, member));
CREATE TABLE IF NOT EXISTS attempts (client TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_by_client ON attempts (client, at);
"""


ASKED = (
    "(SELECT COUNT(*) FROM members m WHERE m.code = polls.code AND m.last_seen >= :since)"
    " + (SELECT COUNT(*) FROM answers a WHERE a.code = polls.code AND a.poll = polls.id"
    " AND NOT EXISTS (SELECT 1 FROM members m WHERE m.code = a.code AND m.member = a.member"
    " AND m.last_seen >= :since))"
)
"""The students a row of ``polls`` is put to now (:meth:`RoomStore.asked`): one expression,
so one snapshot (a student leaving between two reads was counted twice: a review)."""
RECORD_ASKED = f"asked = CASE WHEN status = 'open' THEN {ASKED} ELSE asked END"
"""In an UPDATE that closes a poll: its count, recorded as it closes (once)."""


class SQLiteRoomStore(RoomStore):
    def __init__(
        self,
        path: str | Path,
        settings: Settings | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(settings, clock)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._db().executescript(SCHEMA)
        self._add_column("members", "following_at REAL NOT NULL DEFAULT 0")
        self._add_column("polls", "asked INTEGER")

    def _add_column(self, table: str, column: str) -> None:
        """``column`` added to ``table`` of a file an earlier version wrote (several processes
        may try at once: the first one adds it)."""
        name = column.split()[0]
        known = {row[1] for row in self._db().execute(f"PRAGMA table_info({table})")}
        if name in known:
            return
        try:
            self._db().execute(f"ALTER TABLE {table} ADD COLUMN {column}")
        except sqlite3.OperationalError as err:
            if "duplicate column" not in str(err):
                raise

    # --- connections --------------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=10000")
            self._local.db = db
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except RoomError:
            db.execute("COMMIT")  # a refusal keeps what it recorded (a wrong join code)
            raise
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # --- rooms --------------------------------------------------------------------------------

    def _live_room(self, db: sqlite3.Connection, code: str) -> tuple | None:
        code = normalise_code(code)
        if not code:
            return None
        row = db.execute("SELECT * FROM rooms WHERE code = ?", (code,)).fetchone()
        if row is None or self._expired(row[3], self.clock()):
            return None
        return row

    def _teacher_room(self, db: sqlite3.Connection, code: str, key: str) -> tuple:
        row = self._live_room(db, code)
        if row is None:
            raise NoSuchRoom(NO_ROOM)
        if not key_matches(key, row[1]):
            raise NotTeacher(NOT_TEACHER)
        return row

    def _touch(self, db: sqlite3.Connection, code: str) -> None:
        db.execute("UPDATE rooms SET last_active = ? WHERE code = ?", (self.clock(), code))

    def create_room(self, device: str | None = None) -> Created:
        self.cleanup()
        with self._write() as db:
            while True:
                code = new_code()
                if db.execute("SELECT 1 FROM rooms WHERE code = ?", (code,)).fetchone() is None:
                    break
            key = new_key(code, device)
            now = self.clock()
            db.execute(
                "INSERT INTO rooms (code, key_hash, created, last_active) VALUES (?, ?, ?, ?)",
                (code, hash_key(key), now, now),
            )
        return Created(code, key)

    def room(self, code: str) -> Room | None:
        row = self._live_room(self._db(), code)
        if row is None:
            return None
        code, _, created, last_active, slug, query, version, broadcasting, poll = row
        view = View(slug, query, version) if slug is not None else None
        return Room(code, created, last_active, view, bool(broadcasting), poll)

    def is_teacher(self, code: str, key: str | None) -> bool:
        row = self._live_room(self._db(), code)
        return row is not None and key_matches(key, row[1])

    def set_broadcasting(self, code: str, key: str, on: bool) -> None:
        with self._write() as db:
            row = self._teacher_room(db, code, key)
            db.execute("UPDATE rooms SET broadcasting = ? WHERE code = ?", (int(on), row[0]))
            self._touch(db, row[0])

    def set_view(self, code: str, key: str, slug: str, query: str) -> int:
        check_view(slug, query)
        with self._write() as db:
            row = self._teacher_room(db, code, key)
            if (row[4], row[5]) == (slug, query):
                return row[6]
            db.execute(
                "UPDATE rooms SET view_slug = ?, view_query = ?, view_version = view_version + 1,"
                " last_active = ? WHERE code = ?",
                (slug, query, self.clock(), row[0]),
            )
            return row[6] + 1

    def end_class(self, code: str, key: str) -> None:
        with self._write() as db:
            self._delete(db, [self._teacher_room(db, code, key)[0]])

    # --- students -----------------------------------------------------------------------------

    def join(
        self,
        code: str,
        client: str | None,
        member: str | None = None,
        nickname: str = "",
        browser: str | None = None,
    ) -> str:
        address, here = attempt_keys(client, browser)
        now = self.clock()
        window = now - self.settings.join_window_seconds
        with self._write() as db:

            def failures(key: str) -> int:
                return db.execute(
                    "SELECT COUNT(*) FROM attempts WHERE client = ? AND at > ?", (key, window)
                ).fetchone()[0]

            if failures(here) >= self.settings.join_failures:
                raise RateLimited(TOO_MANY)
            if here != address and failures(address) >= self.settings.network_join_failures:
                raise RateLimited(TOO_MANY_HERE)
            row = self._live_room(db, code)
            if row is None:
                db.executemany(
                    "INSERT INTO attempts VALUES (?, ?)", [(k, now) for k in {address, here}]
                )
                raise NoSuchRoom(NO_ROOM)
            code = row[0]
            if member is not None:
                check_member(member)
                known = db.execute(
                    "SELECT 1 FROM members WHERE code = ? AND member = ?", (code, member)
                ).fetchone()
            else:
                known = None
            if known is None:
                connected = db.execute(
                    "SELECT COUNT(*) FROM members WHERE code = ? AND last_seen >= ?",
                    (code, now - self.settings.connected_seconds),
                ).fetchone()[0]
                if connected >= self.settings.max_students:
                    raise RoomFull(FULL)
                member = member or new_member_id()
                db.execute(
                    "INSERT INTO members (code, member, nickname, last_seen, following_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (code, member, clean_nickname(nickname), now, now),
                )
            else:
                db.execute(
                    "UPDATE members SET last_seen = ? WHERE code = ? AND member = ?",
                    (now, code, member),
                )
            self._touch(db, code)
            assert member is not None
            return member

    def heartbeat(self, code: str, member: str, following: bool | None) -> bool:
        check_member(member)
        with self._write() as db:
            row = self._live_room(db, code)
            if row is None:
                return False
            now = self.clock()
            flag = None if following is None else int(following)  # None: no news
            changed = db.execute(
                "UPDATE members SET last_seen = ?, following = COALESCE(?, following),"
                " following_at = CASE WHEN ? = 1 THEN ? ELSE following_at END"
                " WHERE code = ? AND member = ?",
                (now, flag, flag, now, row[0], member),
            ).rowcount
            if changed:
                self._touch(db, row[0])
            return bool(changed)

    def leave(self, code: str, member: str) -> None:
        check_member(member)
        code = normalise_code(code)
        with self._write() as db:
            db.execute("DELETE FROM members WHERE code = ? AND member = ?", (code, member))
            db.execute(
                "DELETE FROM answers WHERE code = ? AND member = ? AND poll IN"
                " (SELECT id FROM polls WHERE code = ? AND status = 'open')",
                (code, member, code),
            )

    def presence(self, code: str) -> Presence:
        since = self._since()
        connected, following = (
            self._db()
            .execute(
                "SELECT COUNT(*), COALESCE(SUM(following = 1"
                " AND (following_at = 0 OR following_at >= ?)), 0) FROM members"
                " WHERE code = ? AND last_seen >= ?",
                (since, normalise_code(code), since),
            )
            .fetchone()
        )
        return Presence(int(connected), int(following))

    def asked(self, code: str, poll: int) -> int:
        code = normalise_code(code)
        recorded = (
            self._db()
            .execute(
                "SELECT asked FROM polls WHERE code = ? AND id = ? AND status != 'open'",
                (code, int(poll)),
            )
            .fetchone()
        )
        if recorded is not None and recorded[0] is not None:
            return int(recorded[0])
        # not closed (or closed by an earlier version): put to the students there now
        asked = (
            self._db()
            .execute(
                f"SELECT {ASKED} FROM (SELECT :code AS code, :id AS id) AS polls",
                {"code": code, "id": int(poll), "since": self._since()},
            )
            .fetchone()[0]
        )
        return int(asked)

    def nickname(self, code: str, member: str) -> str:
        row = (
            self._db()
            .execute(
                "SELECT nickname FROM members WHERE code = ? AND member = ?",
                (normalise_code(code), member),
            )
            .fetchone()
        )
        return row[0] if row else ""

    def set_nickname(self, code: str, member: str, nickname: str) -> str:
        check_member(member)
        cleaned = clean_nickname(nickname)
        with self._write() as db:
            row = self._live_room(db, code)
            if row is None:
                raise NoSuchRoom(NO_ROOM)
            if not db.execute(
                "UPDATE members SET nickname = ? WHERE code = ? AND member = ?",
                (cleaned, row[0], member),
            ).rowcount:
                raise NotAllowed(N_("Join the class first."))
        return cleaned

    # --- polls --------------------------------------------------------------------------------

    def open_poll(self, code: str, key: str, question: str) -> int:
        check_question(question)
        with self._write() as db:
            row = self._teacher_room(db, code, key)
            code, poll = row[0], row[8] + 1
            if poll > MAX_POLLS:
                raise NotAllowed(N_("A class holds at most {n} questions."), n=MAX_POLLS)
            db.execute(
                f"UPDATE polls SET {RECORD_ASKED}, status = 'closed'"
                " WHERE code = :code AND status = 'open'",
                {"code": code, "since": self._since()},
            )
            db.execute(
                "INSERT INTO polls (code, id, question, status, opened)"
                " VALUES (?, ?, ?, 'open', ?)",
                (code, poll, question, self.clock()),
            )
            db.execute("UPDATE rooms SET poll = ? WHERE code = ?", (poll, code))
            self._touch(db, code)
            return poll

    def set_poll_status(self, code: str, key: str, poll: int, status: str) -> None:
        if status not in ("closed", "revealed"):
            raise NotAllowed(N_("A poll can be closed or revealed."))
        with self._write() as db:
            row = self._teacher_room(db, code, key)
            changed = db.execute(
                f"UPDATE polls SET {RECORD_ASKED}, status = :status"
                " WHERE code = :code AND id = :id",
                {"status": status, "code": row[0], "id": int(poll), "since": self._since()},
            ).rowcount
            if not changed:
                raise NotAllowed(N_("There is no such question in this class."))
            self._touch(db, row[0])

    def poll(self, code: str, poll: int) -> Poll | None:
        row = (
            self._db()
            .execute(
                "SELECT id, question, status, opened, asked FROM polls WHERE code = ? AND id = ?",
                (normalise_code(code), poll),
            )
            .fetchone()
        )
        return Poll(*row) if row else None

    def polls(self, code: str) -> list[Poll]:
        rows = (
            self._db()
            .execute(
                "SELECT id, question, status, opened, asked FROM polls WHERE code = ? ORDER BY id",
                (normalise_code(code),),
            )
            .fetchall()
        )
        return [Poll(*row) for row in rows]

    def answer(self, code: str, member: str, poll: int, answer: str) -> None:
        check_member(member)
        check_answer(answer)
        with self._write() as db:
            row = self._live_room(db, code)
            if row is None:
                raise NoSuchRoom(NO_ROOM)
            code = row[0]
            if not db.execute(
                "SELECT 1 FROM members WHERE code = ? AND member = ?", (code, member)
            ).fetchone():
                raise NotAllowed(N_("Join the class first."))
            status = db.execute(
                "SELECT status FROM polls WHERE code = ? AND id = ?", (code, poll)
            ).fetchone()
            if status is None or status[0] != "open":
                raise NotAllowed(N_("This question is closed: answers are no longer taken."))
            db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?) ON CONFLICT (code, poll, member)"
                " DO UPDATE SET answer = excluded.answer",
                (code, poll, member, answer),
            )
            db.execute(
                "UPDATE members SET last_seen = ? WHERE code = ? AND member = ?",
                (self.clock(), code, member),
            )
            self._touch(db, code)

    def answer_of(self, code: str, poll: int, member: str) -> str | None:
        row = (
            self._db()
            .execute(
                "SELECT answer FROM answers WHERE code = ? AND poll = ? AND member = ?",
                (normalise_code(code), poll, member),
            )
            .fetchone()
        )
        return row[0] if row else None

    def answers(self, code: str, poll: int) -> list[str]:
        rows = (
            self._db()
            .execute(
                "SELECT answer FROM answers WHERE code = ? AND poll = ? ORDER BY rowid",
                (normalise_code(code), poll),
            )
            .fetchall()
        )
        return [row[0] for row in rows]

    # --- housekeeping -------------------------------------------------------------------------

    @staticmethod
    def _delete(db: sqlite3.Connection, codes: list[str]) -> None:
        for table in ("answers", "polls", "members", "rooms"):
            db.executemany(f"DELETE FROM {table} WHERE code = ?", [(c,) for c in codes])

    def cleanup(self) -> int:
        now = self.clock()
        with self._write() as db:
            old = [
                row[0]
                for row in db.execute(
                    "SELECT code FROM rooms WHERE last_active < ?",
                    (now - self.settings.idle_seconds,),
                )
            ]
            self._delete(db, old)
            db.execute(
                "DELETE FROM attempts WHERE at < ?", (now - self.settings.join_window_seconds,)
            )
        return len(old)
