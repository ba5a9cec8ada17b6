"""Per-user and per-channel summary limits shared by every replica through the database.

The windows are rows (``Store.take_rate_slots``); this process keeps its own windows too, as a
fast first check that cannot be wrong: a hit is counted here only after the database counted it,
so this process's hits are a subset of everyone's, and a window full here is full everywhere.
A window with room here says nothing about the others, so the database decides then.
"""

from __future__ import annotations

import logging
import time

from bot.chat.limits.ratelimit import (
    Clock,
    Rate,
    SummarizeLimits,
    channel_refusal,
    user_refusal,
)
from bot.chat.requests import Caller
from bot.store import Store, StoreError
from bot.store.records.leases import RateSlot

log = logging.getLogger(__name__)


class SharedSummarizeLimits(SummarizeLimits):
    """``SummarizeLimits`` whose windows are counted in the store, across replicas."""

    def __init__(
        self,
        store: Store,
        user: Rate | None = None,
        channel: Rate | None = None,
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(user, channel, clock=clock)
        self._store = store

    @classmethod
    def shared_from_rates(cls, store: Store, user: str, channel: str) -> SharedSummarizeLimits:
        return cls(store, Rate.parse(user), Rate.parse(channel))

    async def acheck(self, caller: Caller) -> None:
        self.refuse_if_full(caller)
        slots: list[RateSlot] = []
        if self.users is not None:
            rate = self.users.rate
            slots.append(
                RateSlot(f"user:{caller.platform}:{caller.user}", rate.count, rate.window_s)
            )
        if self.channels is not None:
            rate = self.channels.rate
            key = f"channel:{caller.platform}:{caller.channel}"
            slots.append(RateSlot(key, rate.count, rate.window_s))
        if not slots:
            return
        try:
            refused = await self._store.take_rate_slots(slots)
        except StoreError as err:
            # A database hiccup must not refuse summaries: this process's windows still apply.
            log.warning("shared rate limits unavailable, counting in this process only: %s", err)
            refused = None
        if refused is not None:
            is_user = slots[refused.index].key.startswith("user:")
            raise (user_refusal if is_user else channel_refusal)(refused.retry_after)
        self.record(caller)
