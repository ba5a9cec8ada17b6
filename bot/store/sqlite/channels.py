"""The SQLite store's per-channel tables: subscriptions, channel settings and the sent log."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from bot.store.records import (
    DELIVERY_LEASE,
    ChannelSettings,
    Delivery,
    Platform,
    Subscription,
    new_delivery_key,
)
from bot.store.rows import delivery_from_row, settings_from_row, subscription_from_row
from bot.store.sqlite.base import SQLiteBase
from bot.store.sqlite.schema import to_db_time


class SQLiteChannelStore(SQLiteBase):
    """Subscriptions, channel settings and the exactly-once sent log on SQLite."""

    # --- subscriptions and channel settings ---

    async def subscribe(self, subscription: Subscription) -> Subscription:
        s = subscription
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                """INSERT INTO subscriptions (platform, channel, topic, local_time, timezone,
                    sentences, enabled, tenant) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (platform, channel, topic) DO UPDATE SET
                    local_time = excluded.local_time, timezone = excluded.timezone,
                    sentences = excluded.sentences, enabled = excluded.enabled,
                    tenant = coalesce(excluded.tenant, tenant)
                RETURNING *""",
                (
                    s.platform,
                    s.channel,
                    s.topic,
                    s.local_time,
                    s.timezone,
                    s.sentences,
                    int(s.enabled),
                    s.tenant,
                ),
            )
        return subscription_from_row(next(iter(rows)))

    async def unsubscribe(self, platform: Platform, channel: str, topic: str | None = None) -> int:
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                """DELETE FROM subscriptions WHERE platform = ? AND channel = ?
                    AND (? IS NULL OR topic = ?) RETURNING id""",
                (platform, channel, topic, topic),
            )
        return len(list(rows))

    async def disable_subscriptions(
        self,
        platform: Platform,
        *,
        channels: Iterable[str] | None = None,
        tenant: str | None = None,
    ) -> list[Subscription]:
        # No channels and no tenant: every subscription of the platform (its token is gone).
        names = None if channels is None else json.dumps(list(channels))
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                """UPDATE subscriptions SET enabled = 0 WHERE platform = ? AND enabled
                    AND ((? IS NULL AND ? IS NULL) OR tenant = ?
                        OR channel IN (SELECT value FROM json_each(coalesce(?, '[]'))))
                RETURNING *""",
                (platform, names, tenant, tenant, names),
            )
        return [subscription_from_row(row) for row in rows]

    async def list_subscriptions(
        self,
        *,
        platform: Platform | None = None,
        channel: str | None = None,
        include_disabled: bool = False,
    ) -> list[Subscription]:
        rows = await self._read(
            """SELECT * FROM subscriptions WHERE (? IS NULL OR platform = ?)
                AND (? IS NULL OR channel = ?) AND (? OR enabled)
            ORDER BY platform, channel, topic""",
            (platform, platform, channel, channel, int(include_disabled)),
        )
        return [subscription_from_row(row) for row in rows]

    async def channel_settings(self, platform: Platform, channel: str) -> ChannelSettings:
        rows = await self._read(
            "SELECT * FROM channel_settings WHERE platform = ? AND channel = ?",
            (platform, channel),
        )
        return settings_from_row(rows[0]) if rows else ChannelSettings(platform, channel)

    async def save_channel_settings(self, settings: ChannelSettings) -> ChannelSettings:
        s = settings
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                """INSERT INTO channel_settings (platform, channel, sentences, auto_summarize,
                    language) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (platform, channel) DO UPDATE SET sentences = excluded.sentences,
                    auto_summarize = excluded.auto_summarize, language = excluded.language
                RETURNING *""",
                (s.platform, s.channel, s.sentences, int(s.auto_summarize), s.language),
            )
        return settings_from_row(next(iter(rows)))

    # --- the sent log ---
    # Every sent-log write is a durable transaction (synchronous=FULL, see SQLiteBase).

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
        now = at or self._clock()
        until = to_db_time(now + lease) if owner is not None else None
        async with self._transaction(durable=True) as db:
            # A sent row comes back untouched, and so does a pending one whose lease is live (its
            # sender is at work); a failed one, or a pending one whose lease ran out (its sender
            # died), is claimed again.
            rows = await db.execute_fetchall(
                """INSERT INTO deliveries (platform, channel, topic, digest_date, delivery_key,
                    state, attempts, created_at, lease_owner, lease_until)
                    VALUES (?, ?, ?, ?, ?, 'pending', 1, ?, ?, ?)
                ON CONFLICT (delivery_key) DO UPDATE SET state = 'pending',
                    attempts = attempts + 1, lease_owner = excluded.lease_owner,
                    lease_until = excluded.lease_until
                WHERE state != 'sent' AND (state = 'failed' OR lease_until IS NULL
                    OR lease_until <= ?)
                RETURNING *""",
                (
                    platform,
                    channel,
                    topic,
                    digest_date.isoformat(),
                    key,
                    to_db_time(now),
                    owner,
                    until,
                    to_db_time(now),
                ),
            )
            rows = list(rows) or list(
                await db.execute_fetchall("SELECT * FROM deliveries WHERE delivery_key = ?", (key,))
            )
        return delivery_from_row(rows[0])

    async def renew_delivery(
        self,
        delivery_key: str,
        owner: str,
        *,
        lease: timedelta = DELIVERY_LEASE,
        at: datetime | None = None,
    ) -> bool:
        # Not durable: a renewal lost in a power cut only makes the lease look expired, and the
        # attempt taking over asks the platform before sending.
        until = to_db_time((at or self._clock()) + lease)
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                """UPDATE deliveries SET lease_until = ? WHERE delivery_key = ?
                    AND lease_owner = ? AND state = 'pending' RETURNING id""",
                (until, delivery_key, owner),
            )
        return bool(list(rows))

    async def finish_delivery(
        self,
        delivery_key: str,
        *,
        message_ref: str | None = None,
        article_ids: Iterable[int] = (),
        at: datetime | None = None,
    ) -> Delivery:
        when = to_db_time(at or self._clock())
        async with self._transaction(durable=True) as db:
            rows = list(
                await db.execute_fetchall(
                    """UPDATE deliveries SET state = 'sent', message_ref = ?, sent_at = ?,
                        last_error = NULL, lease_owner = NULL, lease_until = NULL
                    WHERE delivery_key = ? AND state != 'sent' RETURNING *""",
                    (message_ref, when, delivery_key),
                )
            ) or list(
                await db.execute_fetchall(
                    "SELECT * FROM deliveries WHERE delivery_key = ?", (delivery_key,)
                )
            )
            if not rows:
                raise KeyError(f"no delivery {delivery_key}")
            delivery = delivery_from_row(rows[0])
            await db.executemany(
                """INSERT OR IGNORE INTO sent_articles (platform, channel, article_id,
                    delivery_id, sent_at) VALUES (?, ?, ?, ?, ?)""",
                [
                    (delivery.platform, delivery.channel, article_id, delivery.id, when)
                    for article_id in dict.fromkeys(article_ids)
                ],
            )
        return delivery

    async def fail_delivery(
        self,
        delivery_key: str,
        error: str,
        *,
        owner: str | None = None,
        at: datetime | None = None,
    ) -> Delivery:
        async with self._transaction(durable=True) as db:
            # With an owner, only while it holds the lease: an attempt that lost it must not
            # free a row another attempt is sending.
            rows = list(
                await db.execute_fetchall(
                    """UPDATE deliveries SET state = 'failed', last_error = ?, lease_owner = NULL,
                        lease_until = NULL
                    WHERE delivery_key = ? AND state != 'sent'
                        AND (? IS NULL OR lease_owner = ?) RETURNING *""",
                    (error, delivery_key, owner, owner),
                )
            ) or list(
                await db.execute_fetchall(
                    "SELECT * FROM deliveries WHERE delivery_key = ?", (delivery_key,)
                )
            )
        if not rows:
            raise KeyError(f"no delivery {delivery_key}")
        return delivery_from_row(rows[0])

    async def get_delivery(self, delivery_key: str) -> Delivery | None:
        rows = await self._read("SELECT * FROM deliveries WHERE delivery_key = ?", (delivery_key,))
        return delivery_from_row(rows[0]) if rows else None

    async def pending_deliveries(self) -> list[Delivery]:
        rows = await self._read(
            "SELECT * FROM deliveries WHERE state = 'pending' ORDER BY created_at, id"
        )
        return [delivery_from_row(row) for row in rows]

    async def already_sent_article_ids(
        self, platform: Platform, channel: str, article_ids: Iterable[int]
    ) -> set[int]:
        # One JSON parameter instead of one placeholder per id (SQLite caps placeholders).
        rows = await self._read(
            """SELECT article_id FROM sent_articles WHERE platform = ? AND channel = ?
                AND article_id IN (SELECT value FROM json_each(?))""",
            (platform, channel, json.dumps(list(article_ids))),
        )
        return {row[0] for row in rows}
