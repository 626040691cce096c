"""The room store on Redis, for app processes on several machines (``redis://host:port/db``).

Each check-then-write (join a room that may be full, answer a poll that may have closed,
count a wrong join code) is one Lua script, so it is atomic on the Redis server whatever
the number of app processes. Expiry follows the store's clock (``last_active`` in the
room's hash, and a sorted set of rooms by it that :meth:`cleanup` reads); every key also
carries a Redis TTL a little longer than the idle limit, as a backstop.

Keys (``prefix`` defaults to ``softmax:``): ``room:C`` (hash), ``seen:C`` (sorted set of
members by last heartbeat), ``following:C`` (1 or 0), ``following_at:C`` (when a beat last
said following) and ``nick:C`` (hashes by member),
``poll:C:N`` (hash), ``answers:C:N`` (hash member → answer), ``rooms`` (sorted set),
``attempts:ADDRESS`` and ``attempts:ADDRESS|BROWSER`` (sorted sets of wrong-code times:
:func:`~softmax_ui.rooms.base.attempt_keys`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import redis

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
    still_following,
)

_LIVE = """
local last = redis.call('HGET', KEYS[1], 'last_active')
if (not last) or (tonumber(ARGV[1]) - tonumber(last) > tonumber(ARGV[2])) then
  return 0
end
"""

JOIN = """
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - tonumber(ARGV[3]))
redis.call('ZREMRANGEBYSCORE', KEYS[8], '-inf', now - tonumber(ARGV[3]))
if redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[4]) then return 'limited' end
if KEYS[8] ~= KEYS[4] and redis.call('ZCARD', KEYS[8]) >= tonumber(ARGV[12]) then
  return 'limited_here'
end
local last = redis.call('HGET', KEYS[1], 'last_active')
if (not last) or (now - tonumber(last) > tonumber(ARGV[2])) then
  for _, key in ipairs({KEYS[4], KEYS[8]}) do
    redis.call('ZADD', key, now, ARGV[9])
    redis.call('EXPIRE', key, math.ceil(tonumber(ARGV[3])) + 60)
  end
  return 'noroom'
end
local member = ARGV[7]
if not redis.call('ZSCORE', KEYS[2], member) then
  if redis.call('ZCOUNT', KEYS[2], ARGV[5], '+inf') >= tonumber(ARGV[6]) then return 'full' end
  redis.call('HSET', KEYS[3], member, ARGV[8])
  redis.call('HSET', KEYS[5], member, 1)
  redis.call('HSET', KEYS[7], member, ARGV[1])
end
redis.call('ZADD', KEYS[2], now, member)
redis.call('HSET', KEYS[1], 'last_active', now)
redis.call('ZADD', KEYS[6], now, ARGV[11])
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[10]) end
redis.call('EXPIRE', KEYS[5], ARGV[10])
redis.call('EXPIRE', KEYS[7], ARGV[10])
return 'ok'
"""

HEARTBEAT = (
    _LIVE
    + """
if not redis.call('ZSCORE', KEYS[2], ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[3], ARGV[3], ARGV[4]) end
if ARGV[4] == '1' then
  redis.call('HSET', KEYS[5], ARGV[3], ARGV[1])
  redis.call('EXPIRE', KEYS[5], ARGV[6])
end
redis.call('HSET', KEYS[1], 'last_active', ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[1], ARGV[5])
return 1
"""
)

ANSWER = (
    _LIVE
    + """
if not redis.call('ZSCORE', KEYS[2], ARGV[3]) then return 'notmember' end
if redis.call('HGET', KEYS[3], 'status') ~= 'open' then return 'closed' end
redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
redis.call('EXPIRE', KEYS[4], ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[1], 'last_active', ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[1], ARGV[6])
return 'ok'
"""
)

SET_VIEW = """
if redis.call('HGET', KEYS[1], 'view_slug') == ARGV[1]
   and redis.call('HGET', KEYS[1], 'view_query') == ARGV[2] then
  return tonumber(redis.call('HGET', KEYS[1], 'view_version'))
end
redis.call('HSET', KEYS[1], 'view_slug', ARGV[1], 'view_query', ARGV[2], 'last_active', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return redis.call('HINCRBY', KEYS[1], 'view_version', 1)
"""

ASKED_LUA = """
local function asked(seen, answers, since)
  local there, n = {}, 0
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', seen, since, '+inf')) do
    there[m] = true
    n = n + 1
  end
  for _, m in ipairs(redis.call('HKEYS', answers)) do
    if not there[m] then n = n + 1 end
  end
  return n
end
"""
"""The students a poll is put to now (:meth:`RoomStore.asked`): those seen since ``since``
and those who answered it and are gone since, once each; run where a poll closes, so its
count is recorded in the same step."""

OPEN_POLL = (
    ASKED_LUA
    + """
local poll = tonumber(redis.call('HGET', KEYS[1], 'poll')) + 1
if poll > tonumber(ARGV[5]) then return -1 end
local prefix = ARGV[4]
if poll > 1 then
  local old = prefix .. (poll - 1)
  if redis.call('HGET', old, 'status') == 'open' then
    redis.call('HSET', old, 'status', 'closed',
               'asked', asked(KEYS[3], ARGV[7] .. (poll - 1), ARGV[8]))
  end
end
local key = prefix .. poll
redis.call('HSET', key, 'question', ARGV[1], 'status', 'open', 'opened', ARGV[2])
redis.call('EXPIRE', key, ARGV[3])
redis.call('HSET', KEYS[1], 'poll', poll, 'last_active', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[6])
return poll
"""
)

SET_POLL_STATUS = (
    ASKED_LUA
    + """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'status') == 'open' then
  redis.call('HSET', KEYS[1], 'asked', asked(KEYS[2], KEYS[3], ARGV[2]))
end
redis.call('HSET', KEYS[1], 'status', ARGV[1])
return 1
"""
)
"""Close or reveal a poll; one still open has its count recorded in the same step (a
student joining between a read and the write was counted, or not, by chance)."""


LEAVE = """
redis.call('ZREM', KEYS[1], ARGV[1])
for i = 2, 4 do redis.call('HDEL', KEYS[i], ARGV[1]) end
local poll = tonumber(redis.call('HGET', KEYS[5], 'poll') or '0') or 0
if poll > 0 and redis.call('HGET', ARGV[2] .. poll, 'status') == 'open' then
  redis.call('HDEL', ARGV[3] .. poll, ARGV[1])
end
return 1
"""
"""A student leaves: gone from the class, and their answer to the open question taken back,
in one step (read apart, a Close landing between the read of the poll and the deletion
took back an answer to a question closed a moment before)."""


class RedisRoomStore(RoomStore):
    def __init__(
        self,
        url: str,
        settings: Settings | None = None,
        clock: Callable[[], float] | None = None,
        *,
        prefix: str = "softmax:",
    ) -> None:
        super().__init__(settings, clock)
        self.redis = redis.Redis.from_url(url, decode_responses=True, socket_timeout=5.0)
        self.prefix = prefix
        self._join = self.redis.register_script(JOIN)
        self._heartbeat = self.redis.register_script(HEARTBEAT)
        self._answer = self.redis.register_script(ANSWER)
        self._set_view = self.redis.register_script(SET_VIEW)
        self._open_poll = self.redis.register_script(OPEN_POLL)
        self._leave = self.redis.register_script(LEAVE)
        self._set_poll_status = self.redis.register_script(SET_POLL_STATUS)

    # --- keys ---------------------------------------------------------------------------------

    def _k(self, *parts: Any) -> str:
        return self.prefix + ":".join(str(p) for p in parts)

    @property
    def _ttl(self) -> int:
        return int(self.settings.idle_seconds) + 3600

    def _live(self, code: str) -> tuple[str, dict[str, str]] | None:
        code = normalise_code(code)
        if not code:
            return None
        data = self.redis.hgetall(self._k("room", code))
        if not data or self._expired(float(data["last_active"]), self.clock()):
            return None
        return code, data

    def _teacher(self, code: str, key: str) -> str:
        live = self._live(code)
        if live is None:
            raise NoSuchRoom(NO_ROOM)
        if not key_matches(key, live[1]["key_hash"]):
            raise NotTeacher(NOT_TEACHER)
        return live[0]

    def _touch(self, code: str) -> None:
        now = self.clock()
        pipe = self.redis.pipeline()
        pipe.hset(self._k("room", code), "last_active", now)
        pipe.zadd(self._k("rooms"), {code: now})
        pipe.expire(self._k("room", code), self._ttl)
        pipe.execute()

    # --- rooms --------------------------------------------------------------------------------

    def create_room(self, device: str | None = None) -> Created:
        self.cleanup()
        now = self.clock()
        while True:
            code = new_code()
            key = new_key(code, device)
            fields = {
                "key_hash": hash_key(key),
                "created": now,
                "last_active": now,
                "view_version": 0,
                "broadcasting": 1,
                "poll": 0,
            }
            if self.redis.hsetnx(self._k("room", code), "key_hash", fields["key_hash"]):
                self.redis.hset(self._k("room", code), mapping=fields)
                self.redis.expire(self._k("room", code), self._ttl)
                self.redis.zadd(self._k("rooms"), {code: now})
                return Created(code, key)

    def room(self, code: str) -> Room | None:
        live = self._live(code)
        if live is None:
            return None
        code, d = live
        view = (
            View(d["view_slug"], d.get("view_query", ""), int(d["view_version"]))
            if "view_slug" in d
            else None
        )
        return Room(
            code,
            float(d["created"]),
            float(d["last_active"]),
            view,
            d.get("broadcasting") == "1",
            int(d.get("poll", 0)),
        )

    def is_teacher(self, code: str, key: str | None) -> bool:
        live = self._live(code)
        return live is not None and key_matches(key, live[1]["key_hash"])

    def set_broadcasting(self, code: str, key: str, on: bool) -> None:
        code = self._teacher(code, key)
        self.redis.hset(self._k("room", code), "broadcasting", int(on))
        self._touch(code)

    def set_view(self, code: str, key: str, slug: str, query: str) -> int:
        check_view(slug, query)
        code = self._teacher(code, key)
        return int(
            self._set_view(
                keys=[self._k("room", code), self._k("rooms")],
                args=[slug, query, self.clock(), code],
            )
        )

    def end_class(self, code: str, key: str) -> None:
        self._delete(self._teacher(code, key))

    # --- students -----------------------------------------------------------------------------

    def join(
        self,
        code: str,
        client: str | None,
        member: str | None = None,
        nickname: str = "",
        browser: str | None = None,
    ) -> str:
        member = check_member(member) if member is not None else new_member_id()
        address, here = attempt_keys(client, browser)
        now = self.clock()
        s = self.settings
        normal = normalise_code(code) or "-"
        result = self._join(
            keys=[
                self._k("room", normal),
                self._k("seen", normal),
                self._k("nick", normal),
                self._k("attempts", here),
                self._k("following", normal),
                self._k("rooms"),
                self._k("following_at", normal),
                self._k("attempts", address),
            ],
            args=[
                now,
                s.idle_seconds,
                s.join_window_seconds,
                s.join_failures,
                now - s.connected_seconds,
                s.max_students,
                member,
                clean_nickname(nickname),
                f"{now}:{secrets.token_hex(4)}",
                self._ttl,
                normal,
                s.network_join_failures,
            ],
        )
        if result == "limited":
            raise RateLimited(TOO_MANY)
        if result == "limited_here":
            raise RateLimited(TOO_MANY_HERE)
        if result == "noroom":
            raise NoSuchRoom(NO_ROOM)
        if result == "full":
            raise RoomFull(FULL)
        return member

    def heartbeat(self, code: str, member: str, following: bool | None) -> bool:
        check_member(member)
        code = normalise_code(code) or "-"
        said = {True: "1", False: "0", None: ""}[following]  # "": no news
        return bool(
            self._heartbeat(
                keys=[
                    self._k("room", code),
                    self._k("seen", code),
                    self._k("following", code),
                    self._k("rooms"),
                    self._k("following_at", code),
                ],
                args=[self.clock(), self.settings.idle_seconds, member, said, code, self._ttl],
            )
        )

    def leave(self, code: str, member: str) -> None:
        check_member(member)
        code = normalise_code(code) or "-"
        # Gone, the member answers nothing more (ANSWER checks ``seen``), so the question
        # open now is the last they could answer: only the last question can be open.
        self._leave(
            keys=[
                self._k("seen", code),
                self._k("following", code),
                self._k("following_at", code),
                self._k("nick", code),
                self._k("room", code),
            ],
            args=[member, self._k("poll", code, ""), self._k("answers", code, "")],
        )

    def asked(self, code: str, poll: int) -> int:
        code = normalise_code(code) or "-"
        status, recorded = self.redis.hmget(self._k("poll", code, int(poll)), "status", "asked")
        if status not in (None, "open") and recorded is not None:
            return int(recorded)
        # not closed (or closed by an earlier version): put to the students there now
        connected = set(self.redis.zrangebyscore(self._k("seen", code), self._since(), "+inf"))
        answered = set(self.redis.hkeys(self._k("answers", code, int(poll))))
        return len(connected | answered)

    def presence(self, code: str) -> Presence:
        code = normalise_code(code) or "-"
        since = self._since()
        members = self.redis.zrangebyscore(self._k("seen", code), since, "+inf")
        if not members:
            return Presence(0, 0)
        flags = self.redis.hmget(self._k("following", code), members)
        times = self.redis.hmget(self._k("following_at", code), members)
        return Presence(
            len(members),
            sum(
                still_following(flag, when, since) for flag, when in zip(flags, times, strict=True)
            ),
        )

    def nickname(self, code: str, member: str) -> str:
        return self.redis.hget(self._k("nick", normalise_code(code) or "-"), member) or ""

    def set_nickname(self, code: str, member: str, nickname: str) -> str:
        check_member(member)
        cleaned = clean_nickname(nickname)
        live = self._live(code)
        if live is None:
            raise NoSuchRoom(NO_ROOM)
        if self.redis.zscore(self._k("seen", live[0]), member) is None:
            raise NotAllowed(N_("Join the class first."))
        self.redis.hset(self._k("nick", live[0]), member, cleaned)
        return cleaned

    # --- polls --------------------------------------------------------------------------------

    def open_poll(self, code: str, key: str, question: str) -> int:
        check_question(question)
        code = self._teacher(code, key)
        prefix = self._k("poll", code, "")
        answers = self._k("answers", code, "")
        args = [question, self.clock(), self._ttl, prefix, MAX_POLLS, code, answers, self._since()]
        keys = [self._k("room", code), self._k("rooms"), self._k("seen", code)]
        poll = int(self._open_poll(keys=keys, args=args))
        if poll < 0:
            raise NotAllowed(N_("A class holds at most {n} questions."), n=MAX_POLLS)
        return poll

    def set_poll_status(self, code: str, key: str, poll: int, status: str) -> None:
        if status not in ("closed", "revealed"):
            raise NotAllowed(N_("A poll can be closed or revealed."))
        code = self._teacher(code, key)
        keys = [
            self._k("poll", code, int(poll)),
            self._k("seen", code),
            self._k("answers", code, int(poll)),
        ]
        if not self._set_poll_status(keys=keys, args=[status, self._since()]):
            raise NotAllowed(N_("There is no such question in this class."))
        self._touch(code)

    def poll(self, code: str, poll: int) -> Poll | None:
        d = self.redis.hgetall(self._k("poll", normalise_code(code) or "-", int(poll)))
        if not d:
            return None
        asked = int(d["asked"]) if "asked" in d else None
        return Poll(int(poll), d["question"], d["status"], float(d["opened"]), asked)

    def polls(self, code: str) -> list[Poll]:
        room = self.room(code)
        if room is None:
            return []
        found = (self.poll(room.code, i) for i in range(1, room.poll + 1))
        return [p for p in found if p is not None]

    def answer(self, code: str, member: str, poll: int, answer: str) -> None:
        check_member(member)
        check_answer(answer)
        code = normalise_code(code) or "-"
        result = self._answer(
            keys=[
                self._k("room", code),
                self._k("seen", code),
                self._k("poll", code, int(poll)),
                self._k("answers", code, int(poll)),
                self._k("rooms"),
            ],
            args=[self.clock(), self.settings.idle_seconds, member, answer, self._ttl, code],
        )
        if result == 0:
            raise NoSuchRoom(NO_ROOM)
        if result == "notmember":
            raise NotAllowed(N_("Join the class first."))
        if result == "closed":
            raise NotAllowed(N_("This question is closed: answers are no longer taken."))

    def answer_of(self, code: str, poll: int, member: str) -> str | None:
        return self.redis.hget(self._k("answers", normalise_code(code) or "-", int(poll)), member)

    def answers(self, code: str, poll: int) -> list[str]:
        return self.redis.hvals(self._k("answers", normalise_code(code) or "-", int(poll)))

    # --- housekeeping -------------------------------------------------------------------------

    def cleanup(self) -> int:
        old = self.redis.zrangebyscore(
            self._k("rooms"), "-inf", self.clock() - self.settings.idle_seconds
        )
        for code in old:
            self._delete(code)
        return len(old)

    def _delete(self, code: str) -> None:
        """The room ``code`` and all it holds."""
        polls = int(self.redis.hget(self._k("room", code), "poll") or 0)
        kinds = ("room", "seen", "following", "following_at", "nick")
        keys = [self._k(kind, code) for kind in kinds]
        for i in range(1, polls + 1):
            keys += [self._k("poll", code, i), self._k("answers", code, i)]
        pipe = self.redis.pipeline()
        pipe.delete(*keys)
        pipe.zrem(self._k("rooms"), code)
        pipe.execute()

    def close(self) -> None:
        self.redis.close()
