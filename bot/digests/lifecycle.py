"""Subscriptions that can no longer be delivered: paused, with a log line saying why.

Paused when the platform says the channel or the install is gone, and when a digest failed
(every retry of the day given up) three days in a row.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Protocol

from bot.store import Platform, Store, Subscription, delivery_key

log = logging.getLogger(__name__)


class Unscheduler(Protocol):
    def unschedule(self, subscription: Subscription) -> None: ...


async def pause_subscriptions(
    store: Store,
    scheduler: Unscheduler | None,
    platform: Platform,
    reason: str,
    *,
    channels: Iterable[str] | None = None,
    tenant: str | None = None,
) -> list[Subscription]:
    """Pause (in the store and the scheduler) what ``reason`` made undeliverable; log it."""
    paused = await store.disable_subscriptions(platform, channels=channels, tenant=tenant)
    for subscription in paused:
        if scheduler is not None:
            scheduler.unschedule(subscription)
        log.warning(
            "Paused the %s digest of %s channel %s: %s",
            subscription.topic,
            platform,
            subscription.channel,
            reason,
        )
    return paused


FAILED_DAYS = 3
# Posts a short text in a channel; raises when it cannot (bot.chat.replies.subscribe).
Poster = Callable[[str, str], Awaitable[None]]


async def pause_if_failing(
    store: Store,
    scheduler: Unscheduler | None,
    posters: Mapping[str, Poster],
    subscription: Subscription,
    digest_date: date,
    *,
    days: int = FAILED_DAYS,
) -> bool:
    """After a day given up: pause the subscription if its last ``days`` digests all failed.

    Said where someone will see it: a WARNING log line, and a last message in the channel when
    the platform still takes one. Returns whether it was paused.
    """
    s = subscription
    rows = [
        await store.get_delivery(
            delivery_key(s.platform, s.channel, s.topic, digest_date - timedelta(days=back))
        )
        for back in range(days)
    ]
    if any(row is None or row.state != "failed" for row in rows):
        return False
    last_error = rows[0].last_error if rows[0] is not None else None
    await store.subscribe(replace(s, enabled=False))
    if scheduler is not None:
        scheduler.unschedule(s)
    log.warning(
        "Paused the %s digest of %s channel %s: it failed %d days in a row (last error: %s)",
        s.topic,
        s.platform,
        s.channel,
        days,
        last_error,
    )
    poster = posters.get(s.platform)
    if poster is not None:
        text = (
            f"The daily {s.topic} digest could not be posted here for {days} days in a row, so "
            "it is paused; subscribe again to restart it."
        )
        with contextlib.suppress(Exception):  # the channel may be the reason it fails
            await poster(s.channel, text)
    return True
