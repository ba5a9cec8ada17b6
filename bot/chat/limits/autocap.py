"""The hourly cap on auto-summaries (links pasted in a channel with auto-summarize on).

A busy channel must not become a wall of summaries: past the cap the bot stays quiet until
the hour's oldest auto-summary ages out, and says so once, in the channel language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from bot.chat.limits.ratelimit import Rate, SlidingWindowLimiter
from bot.chat.requests import Caller

HOUR_S = 3600.0

NOTES = {
    "en": "I have summarized {count} pasted links here in the last hour, the most I do "
    "unasked; I'll start again in {minutes} min. Mention me with a link to get one now.",
    "es": "Ya resumí {count} enlaces pegados aquí en la última hora, el máximo sin que me lo "
    "pidan; volveré a hacerlo en {minutes} min. Mencióname con un enlace para tener uno ya.",
}


class AutoSummaryCap:
    """At most ``per_hour`` auto-summaries per channel; one note each time the cap is hit."""

    def __init__(self, per_hour: int, clock: Callable[[], float]) -> None:
        self._limiter = SlidingWindowLimiter(Rate(per_hour, HOUR_S), clock=clock)
        self._noted: SlidingWindowLimiter = SlidingWindowLimiter(Rate(1, HOUR_S), clock=clock)
        self.per_hour = per_hour

    def admit(self, caller: Caller) -> Literal["yes", "note", "quiet"]:
        """ "yes" (counted), or a refusal: "note" the first time in a full hour, then "quiet"."""
        key = (caller.platform, caller.channel)
        wait = self._limiter.retry_after(key)
        if wait <= 0:
            self._limiter.record(key)
            return "yes"
        if self._noted.retry_after(key) > 0:
            return "quiet"
        self._noted.record(key)
        return "note"

    def note(self, caller: Caller, language: str) -> str:
        minutes = max(1, round(self._limiter.retry_after((caller.platform, caller.channel)) / 60))
        return NOTES.get(language, NOTES["en"]).format(count=self.per_hour, minutes=minutes)
