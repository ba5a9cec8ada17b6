"""`newsbrief migrate-store`: a SQLite store filled through the real API, copied by the CLI into
a real PostgreSQL server, read back through the PostgreSQL store."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from store_fixtures import DAY, STORY, T0, article

from bot.models import Article
from bot.store import DeliveredStory, SQLiteStore, Store, Subscription, feed_item_key
from bot.store.postgres import PostgresStore
from bot.store.records.alerts import Watch, WatchHit
from bot.store.records.controls import SummaryControls
from bot.store.records.filters import ChannelFilter
from summarizers.types import KeyFigure, TextSummary

ROOT = Path(__file__).resolve().parents[1]
FEED = "https://feeds.example/rss"
SUMMARY = TextSummary(
    sentences=("More than 190,000 people crossed the border in November.",),
    figures=(
        KeyFigure(190000.0, "190,000", "More than 190,000 people crossed.", "more than", "people"),
    ),
    method="newsbrief",
    lang="en",
)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_")}
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=120,
    )


async def fill(store: Store) -> dict[str, object]:
    """One of everything, through the Store API only."""
    first, _ = await store.upsert_article(
        article("https://a.example/1", title="Border", published=T0 - timedelta(hours=2)),
        keys=[feed_item_key(FEED, "guid-1")],
        topic_score=0.8,
    )
    second, _ = await store.upsert_article(
        article("https://a.example/2", "Boats reached Lampedusa.")
    )
    await store.save_summary(first.id, SUMMARY)
    await store.add_feed(FEED, "Wire")
    await store.add_tenant_feed("slack:T1", "https://feeds.example/other", undated=["https://x/1"])
    await store.link_article_feeds([("https://a.example/1", FEED)])
    await store.feed_failed(FEED, "timeout")
    await store.subscribe(Subscription("slack", "C1", tenant="slack:T1", timezone="Europe/Madrid"))
    await store.subscribe(Subscription("discord", "D1", enabled=False))
    from bot.store import ChannelSettings

    await store.save_channel_settings(ChannelSettings("slack", "C1", 5, True, "es"))
    delivery = await store.begin_delivery("slack", "C1", "migration", DAY, owner="me")
    story = DeliveredStory("a1", "Border", (first.id,), ("Wire",), SUMMARY.figures, ("en",))
    await store.plan_delivery(
        delivery.delivery_key, "me", tenant="slack:T1", article_ids=[first.id], stories=[story]
    )
    await store.complete_delivery(delivery.delivery_key, message_ref="1700.1")
    await store.begin_delivery("slack", "C1", "economy", DAY, owner="other")  # left pending
    watch = await store.add_watch(Watch("slack", "C1", "slack:T1", "people", condition="above",
                                        threshold=1000.0))  # fmt: skip
    assert watch.id is not None
    await store.record_watch_hit(
        WatchHit(watch.id, first.id, 190000.0, "190,000 people", "November", "en", T0, True)
    )
    await store.add_channel_filter(
        ChannelFilter("slack", "C1", "migration", "exclude", "word", "oil")
    )
    await store.save_controls(
        SummaryControls("k1", "slack", "slack:T1", "C1", Article(text=STORY, url="https://a.example/1"),
                        "newsbrief", ("lead",))
    )  # fmt: skip
    return {"first": first, "second": second, "watch": watch}


async def snapshot(store: Store, ids: dict[str, object]) -> list[object]:
    first, second, watch = ids["first"], ids["second"], ids["watch"]
    return [
        await store.get_article(first.id),  # type: ignore[attr-defined]
        await store.get_article(second.id),  # type: ignore[attr-defined]
        await store.article_for_url(feed_item_key(FEED, "guid-1")),
        await store.get_summary(first.id, "newsbrief"),  # type: ignore[attr-defined]
        await store.list_feeds(),
        await store.tenant_feeds("slack:T1"),
        await store.list_subscriptions(include_disabled=True),
        await store.channel_settings("slack", "C1"),
        await store.sent_digests("slack", "C1", DAY),
        await store.pending_deliveries(),
        await store.delivered_stories("slack:T1", "slack", "C1", since=T0 - timedelta(days=1)),
        await store.list_watches(),
        await store.watch_hits(watch.id),  # type: ignore[attr-defined]
        await store.channel_filters("slack", "C1"),
        await store.get_controls("k1"),
        await store.articles_for_tenant("slack:T1", [first.id, second.id]),  # type: ignore[attr-defined]
        [a.id for a in await store.search_articles("slack:T1", ["lampedusa"])],
    ]


async def test_migrate_store_copies_every_table_and_the_postgres_store_reads_it(
    tmp_path: Path, pg_dsn: str
) -> None:
    path = tmp_path / "newsbrief.db"
    async with await SQLiteStore.open(path, clock=lambda: T0) as source:
        ids = await fill(source)
        before = await snapshot(source, ids)

    result = cli("migrate-store", "--from", f"sqlite:///{path}", "--to", pg_dsn)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and lines[0].startswith("Copied ") and "articles 2" in lines[1]
    assert "watch_hits 1" in lines[1] and lines[2].startswith("Row counts match.")
    async with await PostgresStore.open(pg_dsn, clock=lambda: T0) as target:
        assert await snapshot(target, ids) == before
        third, new = await target.upsert_article(article("https://a.example/3", "A new story."))
        assert new and third.id > max(ids["first"].id, ids["second"].id)  # type: ignore[attr-defined]
        sub = await target.subscribe(Subscription("slack", "C9"))
        assert sub.id is not None and sub.id > 2

    again = cli("migrate-store", "--from", str(path), "--to", pg_dsn)
    assert again.returncode == 1
    assert again.stderr.startswith("newsbrief: The PostgreSQL database already holds")
    assert again.stderr.count("\n") == 1
    forced = cli("migrate-store", "--from", str(path), "--to", pg_dsn, "--force")
    assert forced.returncode == 0, forced.stderr
    async with await PostgresStore.open(pg_dsn, clock=lambda: T0) as target:
        assert await target.get_article(3) is None  # replaced by the copy
        assert await snapshot(target, ids) == before


def test_migrate_store_says_what_is_wrong_in_one_sentence(tmp_path: Path) -> None:
    missing = cli("migrate-store", "--from", str(tmp_path / "none.db"), "--to", "postgresql://h/d")
    assert missing.stderr == f"newsbrief: There is no SQLite database at {tmp_path / 'none.db'}.\n"
    assert not (tmp_path / "none.db.lock").exists()
    not_pg = cli("migrate-store", "--from", str(tmp_path / "x.db"), "--to", "mysql://u:s3cret@h/d")
    assert not_pg.returncode != 0 and not_pg.stderr.count("\n") == 1
    assert "s3cret" not in not_pg.stderr
