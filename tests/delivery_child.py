"""Child process of the crash test: delivers one day's digest to five channels, maybe killed.

    python tests/delivery_child.py DBPATH PLATFORM_URL [DIGEST_DATE] [--hold WHERE:K]

It opens the store, makes sure channels c1..c5 are subscribed and the day's articles stored
(three new ones a day, so that every day's digest has something the earlier ones did not show),
prints ``ready``, runs ``DigestDelivery.deliver`` for each channel (one line per outcome), then
prints ``done``. ``--hold WHERE:K`` stops for good at the K-th time this run reaches WHERE:
``begun`` right after ``begin_delivery`` (when the builder is called), ``sending`` just before
the POST, ``answered`` right after the platform answered it (before ``finish_delivery``). It
prints ``hold WHERE CHANNEL`` first, so that the parent can kill it there.

The digest builder and seed data are shared with the in-process scheduler and delivery tests.
Only what a run needs is imported, so that the twenty-odd restarts stay fast.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

import aiohttp
from platform_fake import PlatformSink

from bot.digests.delivery import BuiltDigest, DeliveryInProgress, DigestDelivery
from bot.models import Article, Digest, Story, Summary
from bot.store import Store, Subscription, open_store

PLATFORM = "slack"
TOPIC = "migration"
CHANNELS = ("c1", "c2", "c3", "c4", "c5")
# Short, so that a restart soon takes over the digest a killed run was sending (after asking the
# platform); the run renews it every third of that while it sends.
LEASE = timedelta(seconds=0.6)
SEED_ARTICLES = (
    Article(
        text="The border agency reported 12,000 crossings in October.",
        title="Crossings fall in October",
        url="https://news.example/crossings",
        source="Example News",
    ),
    Article(
        text="A court paused the new asylum rule on Tuesday.",
        title="Court pauses asylum rule",
        url="https://news.example/court",
        source="Example Wire",
    ),
    Article(
        text="Three shelters opened in the city to house 450 people.",
        title="City opens shelters",
        url="https://news.example/shelters",
        source="Example Post",
    ),
)


async def seed_articles(store: Store, articles: Sequence[Article] = SEED_ARTICLES) -> list[int]:
    """Store the seed articles (a known one is not stored twice); their ids."""
    return [(await store.upsert_article(article))[0].id for article in articles]


def day_articles(day: date) -> tuple[Article, ...]:
    """The seed articles as if published anew on ``day``: their own URLs, titles and texts."""
    return tuple(
        replace(
            article,
            url=f"{article.url}/{day.isoformat()}",
            title=f"{article.title} ({day.isoformat()})",
            text=f"{article.text} Reported on {day.isoformat()}.",
        )
        for article in SEED_ARTICLES
    )


class StoreDigestBuilder:
    """A ``DigestBuilder`` making a small real digest of the store's recent articles.

    Like ``bot.digests.service.DigestService``, it leaves out the articles already logged as sent
    to the channel, so that a sent log missing a digest's articles shows as a repeat.

    ``delay_s`` makes building slow (a digest still in flight at shutdown); ``on_build`` runs
    first, right after ``begin_delivery`` committed the pending row.
    """

    def __init__(
        self,
        store: Store,
        *,
        delay_s: float = 0.0,
        on_build: Callable[[Subscription], Awaitable[None]] | None = None,
    ) -> None:
        self._store = store
        self._delay_s = delay_s
        self._on_build = on_build
        self.builds: list[str] = []  # channels, in the order their digests were built

    async def for_subscription(
        self, subscription: Subscription, *, since: datetime, until: datetime
    ) -> BuiltDigest:
        self.builds.append(subscription.channel)
        if self._on_build is not None:
            await self._on_build(subscription)
        if self._delay_s:
            await asyncio.sleep(self._delay_s)
        recent = await self._store.articles_since(since)
        sent = await self._store.already_sent_article_ids(
            subscription.platform, subscription.channel, [row.id for row in recent]
        )
        stored = [row for row in recent if row.id not in sent]
        stories = []
        for row in stored:
            article = row.as_article()
            summary = Summary(article, sentences=(article.text,), figures=(), method="lead")
            stories.append(Story(summary=summary, articles=(article,), figures=()))
        digest = Digest(topic=subscription.topic, since=since, until=until, stories=tuple(stories))
        return BuiltDigest(digest, tuple(row.id for row in stored))


class Holds:
    """Stops the run for good at the K-th event of one kind, after telling the parent."""

    def __init__(self, spec: str | None) -> None:
        self._where, self._number = spec.split(":") if spec else ("", "0")
        self._seen: Counter[str] = Counter()

    async def reached(self, where: str, channel: str) -> None:
        self._seen[where] += 1
        if where == self._where and self._seen[where] == int(self._number):
            print(f"hold {where} {channel}", flush=True)
            await asyncio.sleep(3600)  # the parent kills us here


class HoldingSink(PlatformSink):
    """The platform sink, with hold points before a post and after its answer."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession, holds: Holds) -> None:
        super().__init__(base_url, session)
        self._holds = holds

    async def send_digest(
        self, channel: str, digest: Digest, *, delivery_key: str, language: str
    ) -> str | None:
        await self._holds.reached("sending", channel)
        ref = await super().send_digest(
            channel, digest, delivery_key=delivery_key, language=language
        )
        await self._holds.reached("answered", channel)
        return ref


async def run(db_path: str, platform_url: str, digest_date: date, hold: str | None) -> None:
    holds = Holds(hold)
    store = await open_store(db_path)
    try:
        await seed_articles(store, day_articles(digest_date))
        for channel in CHANNELS:
            await store.subscribe(Subscription(PLATFORM, channel, TOPIC))

        async def on_build(subscription: Subscription) -> None:
            await holds.reached("begun", subscription.channel)

        async with aiohttp.ClientSession() as session:
            sink = HoldingSink(platform_url, session, holds)
            delivery = DigestDelivery(
                store,
                StoreDigestBuilder(store, on_build=on_build),
                {PLATFORM: sink},
                lease=LEASE,
            )
            print("ready", flush=True)
            for subscription in await store.list_subscriptions(platform=PLATFORM):
                while True:
                    try:
                        outcome = await delivery.deliver(subscription, digest_date)
                        break
                    except DeliveryInProgress:
                        # The killed run's lease: wait it out, as the scheduler's retry would.
                        await asyncio.sleep(LEASE.total_seconds() / 2)
                print(f"{subscription.channel} {outcome}", flush=True)
    finally:
        await store.aclose()
    print("done", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db_path")
    parser.add_argument("platform_url")
    parser.add_argument("digest_date", nargs="?", default="2026-11-28", type=date.fromisoformat)
    parser.add_argument("--hold", help="begun:K, sending:K or answered:K")
    args = parser.parse_args()
    asyncio.run(run(args.db_path, args.platform_url, args.digest_date, args.hold))


if __name__ == "__main__":
    main()
