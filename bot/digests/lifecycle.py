"""Subscriptions that can no longer be delivered: paused, with a log line saying why."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol

from bot.store import Platform, Store, Subscription

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
