"""One ``DigestDelivery.deliver`` call at a time: what it posts, what it logs, what it answers.

A real store and the fake platform over HTTP, in-process (the crash test runs the same code in a
child process). These pin what the sink is given (the last 24 hours, the channel's language),
what the sent log keeps (the digest's articles, on a normal send and when the digest is found
already posted after a crash) and the outcome the scheduler logs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from delivery_child import StoreDigestBuilder, day_articles, seed_articles
from platform_fake import FakePlatform, PlatformSink

from bot.digests.delivery import DigestDelivery
from bot.models import Article, Digest
from bot.store import ChannelSettings, Store, Subscription, delivery_key, open_store

DAY = date(2026, 6, 10)
SUB = Subscription("slack", "c1")
KEY = delivery_key("slack", "c1", "migration", DAY)


class RecordingSink(PlatformSink):
    """The platform sink, keeping each digest and language it was asked to post."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession) -> None:
        super().__init__(base_url, session)
        self.sent: list[tuple[Digest, str]] = []

    async def send_digest(
        self, channel: str, digest: Digest, *, delivery_key: str, language: str
    ) -> str | None:
        self.sent.append((digest, language))
        return await super().send_digest(
            channel, digest, delivery_key=delivery_key, language=language
        )


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await open_store(tmp_path / "newsbrief.db") as opened:
        await opened.subscribe(SUB)
        yield opened


@pytest.fixture
async def platform() -> AsyncIterator[FakePlatform]:
    async with FakePlatform() as fake:
        yield fake


@pytest.fixture
async def sink(platform: FakePlatform) -> AsyncIterator[RecordingSink]:
    async with aiohttp.ClientSession() as session:
        yield RecordingSink(platform.url, session)


def titles(digest: Digest) -> list[str]:
    return [story.title for story in digest.stories]


async def test_a_digest_shows_the_last_day_and_logs_its_articles_so_tomorrow_skips_them(
    store: Store, platform: FakePlatform, sink: RecordingSink
) -> None:
    now = datetime.now(UTC)
    old = Article(
        text="A story from three days ago.",
        title="Old story",
        url="https://news.example/old",
        published=now - timedelta(days=3),
    )
    await seed_articles(store, [*day_articles(DAY), old])
    delivery = DigestDelivery(store, StoreDigestBuilder(store), {"slack": sink})

    assert await delivery.deliver(SUB, DAY) == "sent 3 stories"
    [(digest, language)] = sink.sent
    assert sorted(titles(digest)) == sorted(a.title or "" for a in day_articles(DAY))
    assert digest.until - digest.since == timedelta(hours=24)
    assert now <= digest.until <= datetime.now(UTC)
    assert language == "en"

    # The next day shows only what is new since.
    await seed_articles(store, day_articles(DAY + timedelta(days=1)))
    assert await delivery.deliver(SUB, DAY + timedelta(days=1)) == "sent 3 stories"
    tomorrow = titles(sink.sent[-1][0])
    assert sorted(tomorrow) == sorted(a.title or "" for a in day_articles(DAY + timedelta(1)))


async def test_a_digest_goes_out_in_the_channel_language(
    store: Store, platform: FakePlatform, sink: RecordingSink
) -> None:
    await seed_articles(store, day_articles(DAY))
    await store.save_channel_settings(ChannelSettings("slack", "c1", language="es"))
    delivery = DigestDelivery(store, StoreDigestBuilder(store), {"slack": sink})
    await delivery.deliver(SUB, DAY)
    assert [language for _, language in sink.sent] == ["es"]


async def test_a_digest_found_already_posted_logs_its_articles_and_is_not_posted_again(
    store: Store, platform: FakePlatform, sink: RecordingSink
) -> None:
    await seed_articles(store, day_articles(DAY))
    # An earlier attempt posted, then the process died before the sent log said so.
    await store.begin_delivery("slack", "c1", "migration", DAY)
    first = await StoreDigestBuilder(store).for_subscription(
        SUB, since=datetime.now(UTC) - timedelta(days=1), until=datetime.now(UTC)
    )
    ref = await sink.send_digest("c1", first.digest, delivery_key=KEY, language="en")
    delivery = DigestDelivery(store, StoreDigestBuilder(store), {"slack": sink})

    assert await delivery.deliver(SUB, DAY) == "found already posted"
    row = await store.get_delivery(KEY)
    assert row is not None and (row.state, row.message_ref) == ("sent", ref)
    assert len(platform.messages) == 1
    ids = set(first.article_ids)
    assert len(ids) == 3
    assert await store.already_sent_article_ids("slack", "c1", ids) == ids

    # Posting the same day again is refused; the next day does not repeat the articles.
    assert await delivery.deliver(SUB, DAY) == "already sent"
    assert await delivery.deliver(SUB, DAY + timedelta(days=1)) == "sent 0 stories"
    assert titles(sink.sent[-1][0]) == []


async def test_a_failed_post_is_logged_with_the_error_type(
    store: Store, platform: FakePlatform, sink: RecordingSink
) -> None:
    await seed_articles(store, day_articles(DAY))
    platform.fail_next_posts(1)
    delivery = DigestDelivery(store, StoreDigestBuilder(store), {"slack": sink})
    with pytest.raises(aiohttp.ClientResponseError):
        await delivery.deliver(SUB, DAY)
    row = await store.get_delivery(KEY)
    assert row is not None and row.state == "failed"
    assert (row.last_error or "").startswith("ClientResponseError: 503")


async def test_a_platform_without_an_adapter_records_nothing_until_one_is_added(
    store: Store, platform: FakePlatform, sink: RecordingSink
) -> None:
    await seed_articles(store, day_articles(DAY))
    delivery = DigestDelivery(store, StoreDigestBuilder(store), {})
    assert await delivery.deliver(SUB, DAY) == "no adapter for this platform is running"
    assert await store.get_delivery(KEY) is None
    delivery.add_sink("slack", sink)
    assert await delivery.deliver(SUB, DAY) == "sent 3 stories"
    assert len(platform.messages) == 1
