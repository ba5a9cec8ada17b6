"""Scheduled digest delivery, exactly once per channel, topic and day, through the sent log."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from bot.models import Digest
from bot.store import Platform, Store, Subscription

log = logging.getLogger(__name__)


class DigestSink(Protocol):
    """What an adapter offers the scheduler: post a digest, and find one already posted."""

    async def send_digest(
        self, channel: str, digest: Digest, *, delivery_key: str, language: str
    ) -> str | None:
        """Post the digest (split over several messages if needed); returns a message ref.

        Raises on failure after the adapter's own retries; the delivery is retried later.
        """
        ...

    async def find_delivery(self, channel: str, delivery_key: str) -> str | None:
        """The ref of a message carrying ``delivery_key`` posted by the bot, if there is one."""
        ...


@dataclass(frozen=True, slots=True)
class BuiltDigest:
    """A digest and the store ids of the articles it shows (logged as sent with it)."""

    digest: Digest
    article_ids: tuple[int, ...]


class DigestBuilder(Protocol):
    async def for_subscription(
        self, subscription: Subscription, *, since: datetime, until: datetime
    ) -> BuiltDigest: ...


class DigestDelivery:
    """Builds and posts a subscription's digest, recording it before and after sending."""

    def __init__(
        self,
        store: Store,
        builder: DigestBuilder,
        sinks: Mapping[Platform, DigestSink],
        *,
        window: timedelta = timedelta(hours=24),
    ) -> None:
        self._store = store
        self._builder = builder
        self._sinks = dict(sinks)
        self._window = window

    def add_sink(self, platform: Platform, sink: DigestSink) -> None:
        self._sinks[platform] = sink

    async def deliver(self, subscription: Subscription, digest_date: date) -> str:
        """Deliver the day's digest unless it already went out; returns what happened."""
        sink = self._sinks.get(subscription.platform)
        if sink is None:
            return "no adapter for this platform is running"
        delivery = await self._store.begin_delivery(
            subscription.platform, subscription.channel, subscription.topic, digest_date
        )
        if delivery.state == "sent":
            return "already sent"
        key = delivery.delivery_key
        until = datetime.now(UTC)
        try:
            built = await self._builder.for_subscription(
                subscription, since=until - self._window, until=until
            )
            if delivery.attempts > 1:
                # An earlier attempt may have posted before the process died: ask the platform,
                # and log the same window's articles as sent so they are not repeated tomorrow.
                posted = await sink.find_delivery(subscription.channel, key)
                if posted is not None:
                    await self._store.finish_delivery(
                        key, message_ref=posted, article_ids=built.article_ids
                    )
                    return "found already posted"
            settings = await self._store.channel_settings(
                subscription.platform, subscription.channel
            )
            ref = await sink.send_digest(
                subscription.channel, built.digest, delivery_key=key, language=settings.language
            )
        except Exception as err:
            await self._store.fail_delivery(key, f"{type(err).__name__}: {err}")
            raise
        await self._store.finish_delivery(key, message_ref=ref, article_ids=built.article_ids)
        return f"sent {len(built.digest.stories)} stories"
