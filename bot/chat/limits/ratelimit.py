"""Per-user and per-channel limits on summarize requests: sliding windows, bounded memory.

A rate is written ``COUNT/WINDOW`` ("5/60s", "20/1m", "100/h") or ``off``. ``Commands`` checks
``SummarizeLimits`` before every summary (typed command, pasted link, context menu); a refused
request raises ``RateLimitedError``, whose message says when to try again.

Hand-written rather than the ``limits`` package: that one reads the wall clock itself (tests
would have to sleep or patch time) and its in-memory storage runs a timer thread for expiry;
what is needed here is one small sliding window with an injectable clock and idle-key eviction.
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator

from bot.chat.requests import Caller
from bot.errors import NewsbriefError

__all__ = [
    "Rate",
    "RateLimitedError",
    "RateSetting",
    "SlidingWindowLimiter",
    "SummarizeLimits",
]

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)?\s*([smh]?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0}
MAX_KEYS = 50_000  # callers remembered per limiter; ~50k * a few hundred bytes at most

Clock = Callable[[], float]


class RateLimitedError(NewsbriefError):
    """Too many requests from one user or channel; ``retry_after`` is in seconds."""

    metric_outcome = "rate_limited"  # how bot.metrics counts a summary refused for this

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Rate:
    """At most ``count`` requests in any ``window_s`` seconds."""

    count: int
    window_s: float

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """``"5/60s"`` -> Rate(5, 60.0); ``"off"`` -> None; ValueError if malformed."""
        if text.strip().lower() == "off":
            return None
        match = _RATE.match(text)
        if not match or not (match[2] or match[3]):
            raise ValueError(f"{text!r} is not a rate; write it like 5/60s, 20/1m or off")
        count, window = int(match[1]), float(match[2] or 1) * _UNIT_SECONDS[match[3].lower()]
        if count < 1 or window <= 0:
            raise ValueError(f"{text!r} must allow at least 1 request in a window over 0 seconds")
        return cls(count, window)


def _valid_rate(text: str) -> str:
    Rate.parse(text)
    return text


RateSetting = Annotated[str, AfterValidator(_valid_rate)]
"""A settings field type: a rate string checked when the settings load."""


class SlidingWindowLimiter:
    """Remembers each key's recent request times; a key is refused while its window is full.

    Memory: at most ``rate.count`` times per key; keys idle for a whole window are evicted as
    new keys arrive, and past ``max_keys`` the least recently seen key is forgotten.
    """

    def __init__(self, rate: Rate, *, clock: Clock = time.monotonic, max_keys: int = MAX_KEYS):
        self.rate = rate
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[Hashable, deque[float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._hits)

    def retry_after(self, key: Hashable) -> float:
        """Seconds until ``key`` may make a request (0 if it may now); records nothing."""
        now = self._clock()
        hits = self._hits.get(key)
        if hits is None:
            return 0.0
        while hits and hits[0] <= now - self.rate.window_s:
            hits.popleft()
        if len(hits) < self.rate.count:
            return 0.0
        return hits[0] + self.rate.window_s - now

    def record(self, key: Hashable) -> None:
        """Count one request by ``key`` now."""
        now = self._clock()
        hits = self._hits.get(key)
        if hits is None:
            self._evict(now)
            hits = self._hits[key] = deque(maxlen=self.rate.count)
        else:
            self._hits.move_to_end(key)
        hits.append(now)

    def _evict(self, now: float) -> None:
        # Keys are kept in order of their last request, so idle ones are at the front.
        idle_before = now - self.rate.window_s
        while self._hits:
            oldest_key, hits = next(iter(self._hits.items()))
            if hits and hits[-1] > idle_before and len(self._hits) < self._max_keys:
                break
            del self._hits[oldest_key]


class SummarizeLimits:
    """The per-user and per-channel limits on summaries; a ``None`` rate is no limit."""

    def __init__(
        self,
        user: Rate | None = None,
        channel: Rate | None = None,
        *,
        clock: Clock = time.monotonic,
        max_keys: int = MAX_KEYS,
    ) -> None:
        self.users = SlidingWindowLimiter(user, clock=clock, max_keys=max_keys) if user else None
        self.channels = (
            SlidingWindowLimiter(channel, clock=clock, max_keys=max_keys) if channel else None
        )

    @classmethod
    def from_rates(
        cls, user: str, channel: str, *, clock: Clock = time.monotonic
    ) -> SummarizeLimits:
        """Limits from setting strings such as ``"5/60s"`` and ``"off"``."""
        return cls(Rate.parse(user), Rate.parse(channel), clock=clock)

    async def acheck(self, caller: Caller) -> None:
        """``check``, awaitable: what ``Commands`` calls (shared limits ask the database)."""
        self.check(caller)

    def check(self, caller: Caller) -> None:
        """Count one summary for ``caller``, or raise RateLimitedError (counting nothing)."""
        self.refuse_if_full(caller)
        self.record(caller)

    def refuse_if_full(self, caller: Caller) -> None:
        """Raise RateLimitedError if this process's own windows for ``caller`` are full."""
        if self.users is not None:
            wait = self.users.retry_after((caller.platform, caller.user))
            if wait > 0:
                raise user_refusal(wait)
        if self.channels is not None:
            wait = self.channels.retry_after((caller.platform, caller.channel))
            if wait > 0:
                raise channel_refusal(wait)

    def record(self, caller: Caller) -> None:
        """Count one summary for ``caller`` in this process's windows."""
        user_key = (caller.platform, caller.user)
        channel_key = (caller.platform, caller.channel)
        if self.users is not None:
            self.users.record(user_key)
        if self.channels is not None:
            self.channels.record(channel_key)


def user_refusal(wait: float) -> RateLimitedError:
    return RateLimitedError(
        f"You're summarizing a lot right now; try again in {_seconds(wait)}.", wait
    )


def channel_refusal(wait: float) -> RateLimitedError:
    return RateLimitedError(
        f"This channel is asking for a lot of summaries right now; try again in {_seconds(wait)}.",
        wait,
    )


def _seconds(wait: float) -> str:
    whole = max(1, math.ceil(wait))
    return "1 second" if whole == 1 else f"{whole} seconds"
