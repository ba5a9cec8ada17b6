"""The PostgreSQL store's per-channel tables: subscriptions, channel settings and the sent log.

Claims are made by the database, never by process memory, so several processes may share it:
``begin_delivery`` is one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` (PostgreSQL locks the
conflicting row and re-checks the condition on its latest version, so of two attempts racing
for an expired lease exactly one gets it); renewals and failures are conditional ``UPDATE``s.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

import asyncpg

from bot.store.postgres.base import PgBase, ts
from bot.store.postgres.rows import delivery_from_row, settings_from_row, subscription_from_row
from bot.store.records import (
    DELIVERY_LEASE,
    ChannelSettings,
    Delivery,
    Platform,
    Subscription,
    new_delivery_key,
)

_BY_KEY = "SELECT * FROM deliveries WHERE delivery_key = $1"


class PgChannelStore(PgBase):
    """Subscriptions, channel settings and the exactly-once sent log on PostgreSQL."""

    async def subscribe(self, subscription: Subscription) -> Subscription:
        s = subscription
        async with self._transaction() as db:
            row = await db.fetchrow(
                """INSERT INTO subscriptions AS old (platform, channel, topic, local_time,
                    timezone, sentences, enabled, tenant) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (platform, channel, topic) DO UPDATE SET
                    local_time = excluded.local_time, timezone = excluded.timezone,
                    sentences = excluded.sentences, enabled = excluded.enabled,
                    tenant = coalesce(excluded.tenant, old.tenant)
                RETURNING *""",
                s.platform,
                s.channel,
                s.topic,
                s.local_time,
                s.timezone,
                s.sentences,
                s.enabled,
                s.tenant,
            )
        return subscription_from_row(row)

    async def unsubscribe(self, platform: Platform, channel: str, topic: str | None = None) -> int:
        async with self._transaction() as db:
            rows = await db.fetch(
                """DELETE FROM subscriptions WHERE platform = $1 AND channel = $2
                    AND ($3::text IS NULL OR topic = $3) RETURNING id""",
                platform,
                channel,
                topic,
            )
        return len(rows)

    async def disable_subscriptions(
        self,
        platform: Platform,
        *,
        channels: Iterable[str] | None = None,
        tenant: str | None = None,
    ) -> list[Subscription]:
        names = None if channels is None else list(channels)
        async with self._transaction() as db:
            rows = await db.fetch(
                """UPDATE subscriptions SET enabled = false WHERE platform = $1 AND enabled
                    AND (($2::text[] IS NULL AND $3::text IS NULL) OR tenant = $3
                        OR channel = ANY(coalesce($2, '{}')))
                RETURNING *""",
                platform,
                names,
                tenant,
            )
        return sorted((subscription_from_row(row) for row in rows), key=lambda s: s.id or 0)

    async def list_subscriptions(
        self,
        *,
        platform: Platform | None = None,
        channel: str | None = None,
        include_disabled: bool = False,
    ) -> list[Subscription]:
        rows = await self._read(
            """SELECT * FROM subscriptions WHERE ($1::text IS NULL OR platform = $1)
                AND ($2::text IS NULL OR channel = $2) AND ($3 OR enabled)
            ORDER BY platform, channel, topic""",
            platform,
            channel,
            include_disabled,
        )
        return [subscription_from_row(row) for row in rows]

    async def channel_settings(self, platform: Platform, channel: str) -> ChannelSettings:
        rows = await self._read(
            "SELECT * FROM channel_settings WHERE platform = $1 AND channel = $2",
            platform,
            channel,
        )
        return settings_from_row(rows[0]) if rows else ChannelSettings(platform, channel)

    async def save_channel_settings(self, settings: ChannelSettings) -> ChannelSettings:
        s = settings
        async with self._transaction() as db:
            row = await db.fetchrow(
                """INSERT INTO channel_settings (platform, channel, sentences, auto_summarize,
                    language) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (platform, channel) DO UPDATE SET sentences = excluded.sentences,
                    auto_summarize = excluded.auto_summarize, language = excluded.language
                RETURNING *""",
                s.platform,
                s.channel,
                s.sentences,
                s.auto_summarize,
                s.language,
            )
        return settings_from_row(row)

    # --- the sent log ---

    async def begin_delivery(
        self,
        platform: Platform,
        channel: str,
        topic: str,
        digest_date: date,
        *,
        owner: str | None = None,
        lease: timedelta = DELIVERY_LEASE,
        at: datetime | None = None,
    ) -> Delivery:
        key = new_delivery_key(platform, channel, topic, digest_date)
        now = ts(at or self._clock())
        assert now is not None
        until = now + lease if owner is not None else None
        async with self._transaction() as db:
            # A sent row, or a pending one whose lease is live, comes back untouched.
            row = await db.fetchrow(
                """INSERT INTO deliveries AS d (platform, channel, topic, digest_date,
                    delivery_key, state, attempts, created_at, lease_owner, lease_until)
                    VALUES ($1, $2, $3, $4, $5, 'pending', 1, $6, $7, $8)
                ON CONFLICT (delivery_key) DO UPDATE SET state = 'pending',
                    attempts = d.attempts + 1, lease_owner = excluded.lease_owner,
                    lease_until = excluded.lease_until
                WHERE d.state != 'sent' AND (d.state = 'failed' OR d.lease_until IS NULL
                    OR d.lease_until <= $6)
                RETURNING *""",
                platform,
                channel,
                topic,
                digest_date,
                key,
                now,
                owner,
                until,
            )
            row = row or await db.fetchrow(_BY_KEY, key)
        return delivery_from_row(row)

    async def renew_delivery(
        self,
        delivery_key: str,
        owner: str,
        *,
        lease: timedelta = DELIVERY_LEASE,
        at: datetime | None = None,
    ) -> bool:
        until = ts((at or self._clock()) + lease)
        async with self._transaction() as db:
            row = await db.fetchrow(
                """UPDATE deliveries SET lease_until = $1 WHERE delivery_key = $2
                    AND lease_owner = $3 AND state = 'pending' RETURNING id""",
                until,
                delivery_key,
                owner,
            )
        return row is not None

    async def finish_delivery(
        self,
        delivery_key: str,
        *,
        message_ref: str | None = None,
        article_ids: Iterable[int] = (),
        at: datetime | None = None,
    ) -> Delivery:
        when = ts(at or self._clock())
        async with self._transaction() as db:
            row = await db.fetchrow(
                """UPDATE deliveries SET state = 'sent', message_ref = $1, sent_at = $2,
                    last_error = NULL, lease_owner = NULL, lease_until = NULL
                WHERE delivery_key = $3 AND state != 'sent' RETURNING *""",
                message_ref,
                when,
                delivery_key,
            ) or await db.fetchrow(_BY_KEY, delivery_key)
            if row is None:
                raise KeyError(f"no delivery {delivery_key}")
            delivery = delivery_from_row(row)
            await self._log_sent(db, delivery, list(dict.fromkeys(article_ids)), when)
        return delivery

    async def _log_sent(
        self, db: asyncpg.Connection, delivery: Delivery, ids: list[int], when: datetime | None
    ) -> None:
        """Mark ``ids`` sent to the delivery's channel (an article sent before keeps its mark)."""
        if not ids:
            return
        await db.execute(
            """INSERT INTO sent_articles (platform, channel, article_id, delivery_id, sent_at)
            SELECT $1, $2, id, $3, $4 FROM unnest($5::bigint[]) AS id
            ON CONFLICT DO NOTHING""",
            delivery.platform,
            delivery.channel,
            delivery.id,
            when,
            ids,
        )

    async def fail_delivery(
        self,
        delivery_key: str,
        error: str,
        *,
        owner: str | None = None,
        at: datetime | None = None,
    ) -> Delivery:
        async with self._transaction() as db:
            row = await db.fetchrow(
                """UPDATE deliveries SET state = 'failed', last_error = $1, lease_owner = NULL,
                    lease_until = NULL
                WHERE delivery_key = $2 AND state != 'sent'
                    AND ($3::text IS NULL OR lease_owner = $3) RETURNING *""",
                error,
                delivery_key,
                owner,
            ) or await db.fetchrow(_BY_KEY, delivery_key)
        if row is None:
            raise KeyError(f"no delivery {delivery_key}")
        return delivery_from_row(row)

    async def get_delivery(self, delivery_key: str) -> Delivery | None:
        rows = await self._read(_BY_KEY, delivery_key)
        return delivery_from_row(rows[0]) if rows else None

    async def pending_deliveries(self) -> list[Delivery]:
        rows = await self._read(
            "SELECT * FROM deliveries WHERE state = 'pending' ORDER BY created_at, id"
        )
        return [delivery_from_row(row) for row in rows]

    async def already_sent_article_ids(
        self, platform: Platform, channel: str, article_ids: Iterable[int]
    ) -> set[int]:
        rows = await self._read(
            """SELECT article_id FROM sent_articles WHERE platform = $1 AND channel = $2
                AND article_id = ANY($3::bigint[])""",
            platform,
            channel,
            list(article_ids),
        )
        return {row[0] for row in rows}
