"""The room store's interface, its limits and the checks every implementation shares.

A *room* is one live class: a short join code, a teacher key (only its SHA-256 is stored),
the teacher's current view (page slug + query string + a version that grows on every
change), the anonymous students who joined (a random member id each, a last-seen time and
whether they follow the teacher), and the polls the teacher opened with one answer per
student each.

Only the teacher key drives a room: every teacher action takes the key and checks it
against the stored hash here, in the store, so no page code can forget to. Everything a
client sends is bounded (answer and nickname length, question size, number of polls and
students) and join-code guessing is rate-limited per client.

Pure Python: no Streamlit. Time comes from an injected clock so expiry is tested exactly.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import time
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from softmax_ui.i18n import N_, _

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
"""Join-code characters nobody misreads on a projector: no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B."""
CODE_LENGTH = 6
"""22⁶ ≈ 1.1 × 10⁸ codes: with 10 guesses per 5 minutes per client, guessing is hopeless."""
MEMBER_ID = re.compile(r"[A-Za-z0-9_-]{16}")
TEACHER_KEY = re.compile(r"[A-Za-z0-9_-]{32}")
DEVICE = re.compile(r"[A-Za-z0-9_-]{32}")
"""A browser's own secret (the page script's cookie, softmax_ui.live.DEVICE_COOKIE)."""
SLUG = re.compile(r"[A-Za-z0-9_]{0,64}")

MAX_QUERY_CHARS = 6000
MAX_QUESTION_CHARS = 20_000
MAX_ANSWER_CHARS = 120
MAX_NICKNAME_CHARS = 24
NICKNAME_BOX_CHARS = 200
"""What the nickname box takes (the first :data:`MAX_NICKNAME_CHARS` are kept)."""
MAX_POLLS = 200
POLL_STATES = ("open", "closed", "revealed")


class RoomError(Exception):
    """A refused room operation; the message is meant for the person who tried it.

    The message is English, marked with ``N_``, with ``{name}`` placeholders filled from
    ``values``: ``str(err)`` is the English sentence, :meth:`translated` the reader's.

    >>> str(NotAllowed("A class holds at most {n} questions.", n=200))
    'A class holds at most 200 questions.'
    """

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message.format(**values) if values else message)
        self.message, self.values = message, values

    def translated(self) -> str:
        """The message in the reader's language (softmax_ui.i18n)."""
        text = _(self.message)
        return text.format(**self.values) if self.values else text


class NoSuchRoom(RoomError):
    pass


class NotTeacher(RoomError):
    pass


class RoomFull(RoomError):
    pass


class RateLimited(RoomError):
    pass


class NotAllowed(RoomError):
    """A request the room's rules refuse (a closed poll, an oversized payload, ...)."""


@dataclass(frozen=True)
class Settings:
    max_students: int = 200
    """Students connected at once (a reloading student keeps their place)."""
    idle_seconds: float = 6 * 3600.0
    """A room nobody has touched for this long is gone (and cleaned up)."""
    connected_seconds: float = 20.0
    """A student counts as connected if seen (a heartbeat) this recently."""
    join_failures: int = 10
    """Wrong join codes one browser may try per window (one address, when the browser sends
    no secret) ..."""
    network_join_failures: int = 100
    """... and all the browsers of one address together (a class behind one school router
    shares its address: a student's ten typos kept the whole room out, also by the link, a
    tour; 100 per 5 minutes still needs years to find a code) ..."""
    join_window_seconds: float = 300.0
    """... of this many seconds."""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Limits from ``SOFTMAX_ROOM_MAX_STUDENTS`` and ``SOFTMAX_ROOM_IDLE_HOURS``."""
        env = dict(os.environ if env is None else env)
        kwargs: dict[str, float | int] = {}
        if env.get("SOFTMAX_ROOM_MAX_STUDENTS"):
            kwargs["max_students"] = max(1, int(env["SOFTMAX_ROOM_MAX_STUDENTS"]))
        if env.get("SOFTMAX_ROOM_IDLE_HOURS"):
            kwargs["idle_seconds"] = max(60.0, float(env["SOFTMAX_ROOM_IDLE_HOURS"]) * 3600)
        return cls(**kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class View:
    slug: str
    """The page's URL path (``""`` is the landing page)."""
    query: str
    """The lesson state's URL query string (``softmax_ui.state.to_query``)."""
    version: int


@dataclass(frozen=True)
class Room:
    code: str
    created: float
    last_active: float
    view: View | None
    broadcasting: bool
    poll: int
    """The current poll's id; 0 before the first poll."""


@dataclass(frozen=True)
class Poll:
    id: int
    question: str
    """The question as the teacher's page serialised it (JSON text)."""
    status: str
    opened: float
    asked: int | None = None
    """How many students it was put to when it closed (:meth:`RoomStore.asked`); ``None``
    while it is open, and for one an earlier version of the app closed."""


class Presence(NamedTuple):
    connected: int
    following: int


@dataclass(frozen=True)
class Created:
    code: str
    teacher_key: str
    """Shown once, to the teacher; the store keeps only its hash."""


# --- checks shared by every implementation ------------------------------------------------------


def hash_key(key: str) -> str:
    """SHA-256 of a teacher key (32 random URL-safe characters: no slow hash is needed)."""
    return hashlib.sha256(key.encode("ascii", "replace")).hexdigest()


def device_key(device: str, code: str) -> str:
    """The teacher key of class ``code`` started in the browser whose secret is ``device``
    (:data:`DEVICE`): HMAC-SHA256 of the code under that secret, 32 URL-safe characters.

    That browser can lead its class again after a server restart or a reload, whose new
    session knows no teacher (the address bar holds no key: the projector shows it); nobody
    without the secret can. The key still reveals nothing of the secret.

    >>> key = device_key("d" * 32, "ACDEFH")
    >>> bool(TEACHER_KEY.fullmatch(key)), key == device_key("d" * 32, "ACDEFH")
    (True, True)
    >>> key == device_key("e" * 32, "ACDEFH"), key == device_key("d" * 32, "ACDEFJ")
    (False, False)
    """
    digest = hmac.new(device.encode("ascii"), code.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:32]


def new_key(code: str, device: str | None) -> str:
    """A new class's teacher key: :func:`device_key` for a browser's secret, else random."""
    if device is not None and DEVICE.fullmatch(device):
        return device_key(device, code)
    return new_teacher_key()


def key_matches(key: str | None, stored_hash: str) -> bool:
    if not isinstance(key, str) or not TEACHER_KEY.fullmatch(key):
        return False
    return hmac.compare_digest(hash_key(key), stored_hash)


def normalise_code(text: str) -> str:
    """A join code as typed (``' acd-efh '``) in its stored form (``'ACDEFH'``), or ``''``."""
    cleaned = re.sub(r"[\s\-_.]", "", str(text)[:40]).upper()
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return ""
    return cleaned


def spaced_code(code: str) -> str:
    """A join code as every screen writes it, in two groups of three (the projector read
    "EJU JTD", the bars and the student's page "EJUJTD"); :func:`normalise_code` reads
    either back.

    >>> spaced_code("EJUJTD"), normalise_code(spaced_code("EJUJTD"))
    ('EJU JTD', 'EJUJTD')
    """
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_member_id() -> str:
    return secrets.token_urlsafe(12)


def new_teacher_key() -> str:
    return secrets.token_urlsafe(24)


def check_member(member: str) -> str:
    if not isinstance(member, str) or not MEMBER_ID.fullmatch(member):
        raise NotAllowed(N_("That member id is not one this app gives out."))
    return member


def clean_nickname(text: str) -> str:
    """A nickname as stored: no control characters, single spaces, at most 24 characters."""
    text = str(text)[:NICKNAME_BOX_CHARS]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    # stripped after the cut: a name cut after a space read "as **abcdefghijklmnopqrstuvw **"
    # with the asterisks shown, Markdown's bold left open (a tour)
    return " ".join(text.split())[:MAX_NICKNAME_CHARS].rstrip()


def nickname_cut(text: str) -> bool:
    """Whether :func:`clean_nickname` cuts ``text`` short (more than its spaces and control
    characters): the student is told (a 45-character name was kept as its first 24 without a
    word: a tour).

    >>> nickname_cut("  Ada   Lovelace "), nickname_cut("x" * 25)
    (False, True)
    """
    kept = "".join(ch for ch in str(text) if unicodedata.category(ch)[0] != "C")
    return len(" ".join(kept.split())) > MAX_NICKNAME_CHARS


def check_answer(answer: str) -> str:
    if not isinstance(answer, str):
        raise NotAllowed(N_("An answer is text."))
    if not answer.strip():
        raise NotAllowed(N_("The answer is empty."))
    if len(answer) > MAX_ANSWER_CHARS:
        raise NotAllowed(N_("An answer is at most {n} characters."), n=MAX_ANSWER_CHARS)
    if any(unicodedata.category(ch)[0] == "C" for ch in answer):
        raise NotAllowed(N_("An answer cannot contain control characters."))
    return answer


def check_view(slug: str, query: str) -> None:
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        raise NotAllowed(N_("That is not a page of this app."))
    if not isinstance(query, str) or len(query) > MAX_QUERY_CHARS:
        raise NotAllowed(N_("A view's settings are at most {n} characters."), n=MAX_QUERY_CHARS)


def check_question(question: str) -> None:
    if not isinstance(question, str) or not 0 < len(question) <= MAX_QUESTION_CHARS:
        raise NotAllowed(N_("A question is 1 to {n} characters."), n=MAX_QUESTION_CHARS)


def still_following(flag: object, when: object, since: float) -> bool:
    """Whether a member counts as following (:meth:`RoomStore.heartbeat`): their last word
    was "following" (``flag`` 1) and a beat said so at ``since`` or later (``when``, a time; 0
    or missing for a member an earlier version wrote, who counts on the flag alone). The
    SQLite store asks the same in SQL.

    >>> still_following("1", "100.5", since=90.0), still_following("1", "80", since=90.0)
    (True, False)
    >>> still_following("0", "100", since=90.0), still_following("1", None, since=90.0)
    (False, True)
    """
    if str(flag) != "1":
        return False
    at = float(when or 0)
    return at == 0 or at >= since


def client_key(client: str | None) -> str:
    """What the rate limit counts by: the client's address, bounded (``'?'`` if unknown)."""
    return (str(client) if client else "?")[:64]


def attempt_keys(client: str | None, browser: str | None) -> tuple[str, str]:
    """What the join rate limit counts by: the address (:func:`client_key`) and the browser
    there, by a hash of its secret (:data:`DEVICE`); the address twice for a browser that
    sent none. A browser can send a new secret each time, so the address has its own,
    higher limit (:attr:`Settings.network_join_failures`).

    >>> attempt_keys("10.0.0.1", None)
    ('10.0.0.1', '10.0.0.1')
    >>> attempt_keys("10.0.0.1", "d" * 32)[1].startswith("10.0.0.1|")
    True
    """
    address = client_key(client)
    if browser is None or not DEVICE.fullmatch(browser):
        return address, address
    return address, f"{address}|{hash_key(browser)[:16]}"


NO_ROOM = N_("There is no open class with that code (check it on the projector).")
TOO_MANY = N_("Too many wrong codes from this device: wait a few minutes, then try again.")
TOO_MANY_HERE = N_(
    "Too many wrong codes from this network: wait a few minutes, then try again. (Many "
    "devices here share one address, and together they typed many wrong codes.)"
)
FULL = N_("This class is full: ask the teacher.")
NOT_TEACHER = N_("Only the teacher's own link can do that.")


class RoomStore(ABC):
    """The one interface of a room store. See the module docstring."""

    def __init__(self, settings: Settings | None = None, clock: Callable[[], float] | None = None):
        self.settings = settings or Settings()
        self.clock = clock or time.time

    def _since(self) -> float:
        """Seen at this time or later: connected (:attr:`Settings.connected_seconds`)."""
        return self.clock() - self.settings.connected_seconds

    # rooms
    @abstractmethod
    def create_room(self, device: str | None = None) -> Created:
        """A new room with a fresh join code and teacher key (:func:`new_key`: one the
        browser whose secret is ``device`` can make again)."""

    @abstractmethod
    def room(self, code: str) -> Room | None:
        """The room, or ``None`` if there is none (or it expired)."""

    @abstractmethod
    def is_teacher(self, code: str, key: str | None) -> bool:
        """Whether ``key`` is the room's teacher key (constant-time comparison)."""

    @abstractmethod
    def set_broadcasting(self, code: str, key: str, on: bool) -> None: ...

    @abstractmethod
    def set_view(self, code: str, key: str, slug: str, query: str) -> int:
        """Make (slug, query) the room's current view; returns its version (unchanged if
        the view is the same)."""

    @abstractmethod
    def end_class(self, code: str, key: str) -> None:
        """End the class for everyone: the room, its students, questions and answers are
        deleted now (as an idle room's are after ``settings.idle_seconds``). A student's next
        check finds no room and is told the class has ended."""

    # students
    @abstractmethod
    def join(
        self,
        code: str,
        client: str | None,
        member: str | None = None,
        nickname: str = "",
        browser: str | None = None,
    ) -> str:
        """Join (or rejoin, with ``member``) the room; returns the member id.

        Raises :class:`RateLimited` after too many wrong codes from the browser ``browser``
        (its secret) at the address ``client``, or from that address (:func:`attempt_keys`),
        :class:`NoSuchRoom`, :class:`RoomFull`.
        """

    @abstractmethod
    def heartbeat(self, code: str, member: str, following: bool | None) -> bool:
        """Mark ``member`` as seen now; ``False`` if they are not in the room (any more).

        ``following``: ``True``, a session of theirs follows the teacher now; ``False``, the
        session that said so has stopped (said once, at the change); ``None``, no news (an
        exploring session's beat). A member counts as following while a beat within
        :attr:`Settings.connected_seconds` said so and none said ``False`` since, as a member
        who joined does (:func:`still_following`): a student's two tabs, one following and
        one exploring, count as following. (Each beat said one or the other, and the
        teacher's count went 0, 0, 0, 1, 0 with whichever tab beat last: a navigation tour.)
        The store keeps the last word as a flag (1 or 0, as earlier versions did, which may
        share the store during an upgrade) and, apart, when a beat last said following."""

    @abstractmethod
    def leave(self, code: str, member: str) -> None:
        """``member`` leaves the room: no longer counted, and their answer to the question
        still open is withdrawn (a student who left and joined again, a new member, answered
        twice: the projector read "6 of 4 connected students answered", a tour). Answers to
        closed questions stay, the class's record."""

    @abstractmethod
    def presence(self, code: str) -> Presence: ...

    @abstractmethod
    def asked(self, code: str, poll: int) -> int:
        """How many students the poll is put to: while it is open, those connected now and
        those who answered it and are gone since (one who answered and closed the browser had
        the projector read "4 of 3 connected students answered": a tour); once closed, as many
        as when it closed, recorded then (:attr:`Poll.asked`: students who came after the
        reveal made it "3 of 6 students answered" beside 3 connected, a tour, and a count kept
        by the teacher's page was lost on a reload). Never fewer than its answers."""

    @abstractmethod
    def nickname(self, code: str, member: str) -> str: ...

    @abstractmethod
    def set_nickname(self, code: str, member: str, nickname: str) -> str:
        """Give ``member`` a nickname (cleaned: :func:`clean_nickname`; ``""`` removes it);
        returns it as stored. A student who joined by the link or the QR code had no box
        for one. Raises :class:`NoSuchRoom`, or :class:`NotAllowed` for a non-member."""

    # polls
    @abstractmethod
    def open_poll(self, code: str, key: str, question: str) -> int:
        """Open a new poll (closing the current one); returns its id."""

    @abstractmethod
    def set_poll_status(self, code: str, key: str, poll: int, status: str) -> None:
        """``closed`` (no more answers) or ``revealed`` (closed, answer shown)."""

    @abstractmethod
    def poll(self, code: str, poll: int) -> Poll | None: ...

    @abstractmethod
    def polls(self, code: str) -> list[Poll]: ...

    @abstractmethod
    def answer(self, code: str, member: str, poll: int, answer: str) -> None:
        """Record (or change) ``member``'s answer while the poll is open."""

    @abstractmethod
    def answer_of(self, code: str, poll: int, member: str) -> str | None: ...

    @abstractmethod
    def answers(self, code: str, poll: int) -> list[str]:
        """Every answer to the poll, one per member, no member ids."""

    # housekeeping
    @abstractmethod
    def cleanup(self) -> int:
        """Delete rooms idle for longer than ``settings.idle_seconds``; returns how many."""

    def close(self) -> None:  # noqa: B027 (optional hook)
        """Release connections."""

    # helpers for implementations
    def _expired(self, last_active: float, now: float) -> bool:
        return now - last_active > self.settings.idle_seconds

    def current_poll(self, code: str) -> Poll | None:
        room = self.room(code)
        return self.poll(code, room.poll) if room and room.poll else None
