"""The SQLite store's story log: what each digest is posting, and each channel's stories."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import aiosqlite

from bot.store.records import Delivery, Platform
from bot.store.records.story_log import (
    DeliveredStory,
    figures_from_json,
    figures_to_json,
    stories_from_json,
    stories_to_json,
)
from bot.store.rows import delivery_from_row
from bot.store.sqlite.channels import SQLiteChannelStore
from bot.store.sqlite.schema import from_db_time, to_db_time


class SQLiteStoryStore(SQLiteChannelStore):
    """A pending digest's plan (its articles and stories) and the per-channel story log."""

    async def plan_delivery(
        self,
        delivery_key: str,
        owner: str,
        *,
        tenant: str,
        article_ids: Iterable[int],
        stories: Sequence[DeliveredStory] = (),
    ) -> bool:
        if not tenant:
            raise ValueError("A delivery plan needs its tenant.")
        ids = json.dumps(list(dict.fromkeys(article_ids)))
        # Durable: the plan must be on disk before the post it describes can go out.
        async with self._transaction(durable=True) as db:
            rows = await db.execute_fetchall(
                """UPDATE deliveries SET tenant = ?, planned_articles = ?, planned_stories = ?
                WHERE delivery_key = ? AND state = 'pending' AND lease_owner = ? RETURNING id""",
                (tenant, ids, stories_to_json(stories), delivery_key, owner),
            )
        return bool(list(rows))

    async def complete_delivery(
        self,
        delivery_key: str,
        *,
        message_ref: str | None = None,
        story_refs: Mapping[str, str] | None = None,
        article_ids: Iterable[int] = (),
        at: datetime | None = None,
    ) -> Delivery:
        now = at or self._clock()
        when = to_db_time(now)
        async with self._transaction(durable=True) as db:
            found = list(
                await db.execute_fetchall(
                    "SELECT * FROM deliveries WHERE delivery_key = ?", (delivery_key,)
                )
            )
            if not found:
                raise KeyError(f"no delivery {delivery_key}")
            if found[0]["state"] == "sent":
                return delivery_from_row(found[0])
            plan = found[0]
            rows = list(
                await db.execute_fetchall(
                    """UPDATE deliveries SET state = 'sent', message_ref = ?, sent_at = ?,
                        last_error = NULL, lease_owner = NULL, lease_until = NULL
                    WHERE delivery_key = ? RETURNING *""",
                    (message_ref, when, delivery_key),
                )
            )
            delivery = delivery_from_row(rows[0])
            # What the attempt that posted planned wins over what this caller rebuilt: after a
            # crash, a rebuilt digest may hold articles that arrived since and were never shown.
            planned = plan["planned_articles"]
            ids = json.loads(planned) if planned is not None else list(article_ids)
            await db.executemany(
                """INSERT OR IGNORE INTO sent_articles (platform, channel, article_id,
                    delivery_id, sent_at) VALUES (?, ?, ?, ?, ?)""",
                [
                    (delivery.platform, delivery.channel, int(article_id), delivery.id, when)
                    for article_id in dict.fromkeys(ids)
                ],
            )
            tenant = plan["tenant"]
            if tenant:
                refs = story_refs or {}
                await self._log_stories(
                    db, tenant, delivery, stories_from_json(plan["planned_stories"]), refs, when
                )
        return delivery

    async def _log_stories(
        self,
        db: aiosqlite.Connection,
        tenant: str,
        delivery: Delivery,
        stories: Sequence[DeliveredStory],
        refs: Mapping[str, str],
        when: str | None,
    ) -> None:
        for story in stories:
            ref = refs.get(story.story_key) or delivery.message_ref
            langs = story.figure_langs or ("en",) * len(story.figures)
            # A story already logged keeps its first post and headline (updates reply under
            # them); its articles and outlets grow and its figures become the latest shown.
            await db.execute(
                """INSERT INTO delivered_stories (tenant, platform, channel, story_key, headline,
                    article_ids, outlets, figures, message_ref, delivery_id, first_sent,
                    last_sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant, platform, channel, story_key) DO UPDATE SET
                    article_ids = (SELECT json_group_array(value) FROM (SELECT DISTINCT value
                        FROM (SELECT value FROM json_each(delivered_stories.article_ids)
                            UNION SELECT value FROM json_each(excluded.article_ids)))),
                    outlets = (SELECT json_group_array(value) FROM (SELECT value
                        FROM json_each(delivered_stories.outlets) UNION ALL SELECT value
                        FROM json_each(excluded.outlets) WHERE value NOT IN
                            (SELECT value FROM json_each(delivered_stories.outlets)))),
                    figures = excluded.figures,
                    message_ref = coalesce(delivered_stories.message_ref, excluded.message_ref),
                    last_sent = excluded.last_sent""",
                (
                    tenant,
                    delivery.platform,
                    delivery.channel,
                    story.story_key,
                    story.headline,
                    json.dumps(list(story.article_ids)),
                    json.dumps(list(story.outlets), ensure_ascii=False),
                    figures_to_json(story.figures, langs),
                    ref,
                    delivery.id,
                    when,
                    when,
                ),
            )

    async def delivered_stories(
        self, tenant: str, platform: Platform, channel: str, *, since: datetime
    ) -> list[DeliveredStory]:
        rows = await self._read(
            """SELECT * FROM delivered_stories WHERE tenant = ? AND platform = ? AND channel = ?
                AND last_sent >= ? ORDER BY first_sent, story_key""",
            (tenant, platform, channel, to_db_time(since)),
        )
        return [_story_from_row(row) for row in rows]


def _story_from_row(row: sqlite3.Row) -> DeliveredStory:
    figures, langs = figures_from_json(row["figures"])
    return DeliveredStory(
        story_key=row["story_key"],
        headline=row["headline"],
        article_ids=tuple(int(i) for i in json.loads(row["article_ids"])),
        outlets=tuple(str(o) for o in json.loads(row["outlets"])),
        figures=figures,
        figure_langs=langs,
        message_ref=row["message_ref"],
        first_sent=from_db_time(row["first_sent"]),
        last_sent=from_db_time(row["last_sent"]),
    )
