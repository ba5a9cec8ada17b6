"""Scheduled digest delivery, exactly once per channel, topic and day, through the sent log.

Before posting, the attempt records its plan on the pending row (``Store.plan_delivery``: the
article ids and stories it is about to post); a digest found already posted after a crash logs
that plan, so exactly-once holds for articles, and story updates know what was really shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from bot.models import Digest
from bot.store import (
    DELIVERY_LEASE,
    OPERATOR_TENANT,
    DeliveredStory,
    Platform,
    Store,
    StoreError,
    Subscription,
)

log = logging.getLogger(__name__)


class DeliveryInProgress(Exception):
    """Another live attempt (this process or another) holds the digest's lease; try later."""


def attempt_owner() -> str:
    """A lease owner id naming this host, process and attempt (for an operator reading rows)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True, slots=True)
class PostedDigest:
    """What a sink posted: its first message's ref, and the ref of the message showing each
    story (by index in ``Digest.stories``), which that story's later updates reply under."""

    ref: str | None
    story_refs: Mapping[int, str] = field(default_factory=dict)


class DigestSink(Protocol):
    """What an adapter offers the scheduler: post a digest, and find one already posted."""

    async def send_digest(
        self, channel: str, digest: Digest, *, delivery_key: str, language: str
    ) -> str | PostedDigest | None:
        """Post the digest (split over several messages if needed); returns a message ref, or
        a ``PostedDigest`` with each story's message too.

        ``digest.updates`` are posted after the stories, each as a reply under its
        ``thread_ref`` where the platform has replies (else as a message marked as an update).
        Raises on failure after the adapter's own retries; the delivery is retried later.
        """
        ...

    async def find_delivery(self, channel: str, delivery_key: str) -> str | None:
        """The ref of a message carrying ``delivery_key`` posted by the bot, if there is one."""
        ...


@dataclass(frozen=True, slots=True)
class BuiltDigest:
    """A digest and the store ids of the articles it shows (logged as sent with it).

    ``stories`` are the story log entries posting it writes (its new stories, and the earlier
    stories its updates extend); ``story_keys`` the key of each of ``digest.stories``, in order.
    """

    digest: Digest
    article_ids: tuple[int, ...]
    stories: tuple[DeliveredStory, ...] = ()
    story_keys: tuple[str, ...] = ()


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
        lease: timedelta = DELIVERY_LEASE,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._clock = clock  # the end of each digest's window
        self._store = store
        self._builder = builder
        self._sinks = dict(sinks)
        self._window = window
        self._lease = lease

    def add_sink(self, platform: Platform, sink: DigestSink) -> None:
        self._sinks[platform] = sink

    async def deliver(self, subscription: Subscription, digest_date: date) -> str:
        """Deliver the day's digest unless it already went out; returns what happened."""
        sink = self._sinks.get(subscription.platform)
        if sink is None:
            return "no adapter for this platform is running"
        owner = attempt_owner()
        delivery = await self._store.begin_delivery(
            subscription.platform,
            subscription.channel,
            subscription.topic,
            digest_date,
            owner=owner,
            lease=self._lease,
        )
        if delivery.state == "sent":
            return "already sent"
        key = delivery.delivery_key
        if delivery.lease_owner != owner:
            # Raised, not returned: the scheduler retries later, and takes over if that sender
            # died meanwhile (its lease then runs out).
            raise DeliveryInProgress(
                f"digest {key} is being sent by {delivery.lease_owner} (lease until "
                f"{delivery.lease_until})"
            )
        async with self._renewing(key, owner):
            try:
                return await self._send(subscription, sink, key, owner, delivery.attempts)
            except asyncio.CancelledError:
                # Shutdown: this sender is going away, so end its lease now; the next start
                # takes the digest over at once (asking the platform first).
                with contextlib.suppress(Exception):
                    await self._store.renew_delivery(key, owner, lease=timedelta(0))
                raise

    async def _send(
        self, subscription: Subscription, sink: DigestSink, key: str, owner: str, attempts: int
    ) -> str:
        until = self._clock()
        try:
            built = await self._builder.for_subscription(
                subscription, since=until - self._window, until=until
            )
            if attempts > 1:
                # An earlier attempt may have posted before the process died: ask the platform.
                # If it did, the articles and stories that attempt planned are logged as sent
                # (the rebuilt digest may hold articles that arrived since and were never shown);
                # the rebuilt ids only count for a row pending from before plans were recorded.
                posted = await sink.find_delivery(subscription.channel, key)
                if posted is not None:
                    await self._store.complete_delivery(
                        key, message_ref=posted, article_ids=built.article_ids
                    )
                    return "found already posted"
            planned = await self._store.plan_delivery(
                key,
                owner,
                tenant=subscription.tenant or OPERATOR_TENANT,
                article_ids=built.article_ids,
                stories=built.stories,
            )
            if not planned:
                raise DeliveryInProgress(f"digest {key}: this attempt lost its lease")
            settings = await self._store.channel_settings(
                subscription.platform, subscription.channel
            )
            result = await sink.send_digest(
                subscription.channel, built.digest, delivery_key=key, language=settings.language
            )
        except Exception as err:
            await self._store.fail_delivery(key, f"{type(err).__name__}: {err}", owner=owner)
            raise
        posted_digest = result if isinstance(result, PostedDigest) else PostedDigest(result)
        story_refs = {
            built.story_keys[index]: ref
            for index, ref in posted_digest.story_refs.items()
            if index < len(built.story_keys)
        }
        await self._store.complete_delivery(
            key,
            message_ref=posted_digest.ref,
            story_refs=story_refs,
            article_ids=built.article_ids,
        )
        shown = f"sent {len(built.digest.stories)} stories"
        updates = len(built.digest.updates)
        return f"{shown} and {updates} updates" if updates else shown

    @contextlib.asynccontextmanager
    async def _renewing(self, key: str, owner: str) -> AsyncIterator[None]:
        """Renew the lease every third of its length while the block builds and sends."""

        async def renew() -> None:
            while True:
                await asyncio.sleep(self._lease.total_seconds() / 3)
                try:
                    held = await self._store.renew_delivery(key, owner, lease=self._lease)
                except StoreError as err:  # busy: the next round tries again
                    log.warning("could not renew the lease of digest %s: %s", key, err)
                    continue
                if not held:
                    log.warning("lost the lease of digest %s while sending it", key)
                    return

        renewer = asyncio.create_task(renew())
        try:
            yield
        finally:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer
