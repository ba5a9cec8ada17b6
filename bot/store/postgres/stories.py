"""The PostgreSQL store's story log: what each digest is posting, and each channel's stories."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

import asyncpg

from bot.store.postgres.base import ts
from bot.store.postgres.channels import PgChannelStore
from bot.store.postgres.rows import delivery_from_row, story_from_row
from bot.store.records import Delivery, Platform
from bot.store.records.story_log import (
    DeliveredStory,
    figures_to_json,
    stories_from_json,
    stories_to_json,
)

# A story already logged keeps its first post and headline; its article ids grow (each once,
# in id order), its outlets grow in the order first shown, its figures become the latest.
_LOG_STORY = """INSERT INTO delivered_stories AS s (tenant, platform, channel, story_key,
        headline, article_ids, outlets, figures, message_ref, delivery_id, first_sent, last_sent)
    VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10, $11, $11)
    ON CONFLICT (tenant, platform, channel, story_key) DO UPDATE SET
        article_ids = (SELECT coalesce(jsonb_agg(DISTINCT v ORDER BY v), '[]')
            FROM jsonb_array_elements(s.article_ids || excluded.article_ids) AS v),
        outlets = s.outlets || coalesce((SELECT jsonb_agg(v ORDER BY n)
            FROM jsonb_array_elements(excluded.outlets) WITH ORDINALITY AS o (v, n)
            WHERE NOT s.outlets @> jsonb_build_array(v)), '[]'),
        figures = excluded.figures,
        message_ref = coalesce(s.message_ref, excluded.message_ref),
        last_sent = excluded.last_sent"""


class PgStoryStore(PgChannelStore):
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
        async with self._transaction() as db:
            row = await db.fetchrow(
                """UPDATE deliveries SET tenant = $1, planned_articles = $2::jsonb,
                    planned_stories = $3
                WHERE delivery_key = $4 AND state = 'pending' AND lease_owner = $5 RETURNING id""",
                tenant,
                ids,
                stories_to_json(stories),
                delivery_key,
                owner,
            )
        return row is not None

    async def complete_delivery(
        self,
        delivery_key: str,
        *,
        message_ref: str | None = None,
        story_refs: Mapping[str, str] | None = None,
        article_ids: Iterable[int] = (),
        at: datetime | None = None,
    ) -> Delivery:
        when = ts(at or self._clock())
        async with self._transaction() as db:
            # FOR UPDATE: a second completion of the same digest waits, then finds it sent.
            plan = await db.fetchrow(
                "SELECT * FROM deliveries WHERE delivery_key = $1 FOR UPDATE", delivery_key
            )
            if plan is None:
                raise KeyError(f"no delivery {delivery_key}")
            if plan["state"] == "sent":
                return delivery_from_row(plan)
            row = await db.fetchrow(
                """UPDATE deliveries SET state = 'sent', message_ref = $1, sent_at = $2,
                    last_error = NULL, lease_owner = NULL, lease_until = NULL
                WHERE delivery_key = $3 RETURNING *""",
                message_ref,
                when,
                delivery_key,
            )
            delivery = delivery_from_row(row)
            planned = plan["planned_articles"]
            ids = json.loads(planned) if planned is not None else list(article_ids)
            await self._log_sent(db, delivery, [int(i) for i in dict.fromkeys(ids)], when)
            if plan["tenant"]:
                stories = stories_from_json(plan["planned_stories"])
                await self._log_stories(
                    db, plan["tenant"], delivery, stories, story_refs or {}, when
                )
        return delivery

    async def _log_stories(
        self,
        db: asyncpg.Connection,
        tenant: str,
        delivery: Delivery,
        stories: Sequence[DeliveredStory],
        refs: Mapping[str, str],
        when: datetime | None,
    ) -> None:
        for story in stories:
            langs = story.figure_langs or ("en",) * len(story.figures)
            await db.execute(
                _LOG_STORY,
                tenant,
                delivery.platform,
                delivery.channel,
                story.story_key,
                story.headline,
                json.dumps(list(story.article_ids)),
                json.dumps(list(story.outlets), ensure_ascii=False),
                figures_to_json(story.figures, langs),
                refs.get(story.story_key) or delivery.message_ref,
                delivery.id,
                when,
            )

    async def delivered_stories(
        self, tenant: str, platform: Platform, channel: str, *, since: datetime
    ) -> list[DeliveredStory]:
        rows = await self._read(
            """SELECT * FROM delivered_stories WHERE tenant = $1 AND platform = $2
                AND channel = $3 AND last_sent >= $4 ORDER BY first_sent, story_key""",
            tenant,
            platform,
            channel,
            ts(since),
        )
        return [story_from_row(row) for row in rows]
