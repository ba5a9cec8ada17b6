"""Scheduled digests through the Slack adapter: subscribed channel, limits, outages, no repeats."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from fakes.slack_harness import SlackRig, slack_rig
from webserver import WebServer

from adapters.slack import SlackAdapter
from adapters.slack.outbox import SlackUnavailableError
from bot import metrics
from bot.config import Settings
from bot.digests.builder import DigestCandidate, build_digest
from bot.digests.delivery import BuiltDigest, DigestDelivery
from bot.models import Digest, Story, Summary
from bot.store import Subscription

SEED = "/seed/bbc-us-mexico-migration.html"
DAY = date(2024, 3, 5)
PACE_S = 20.0


class SeedDigests:
    """A DigestBuilder over real summaries of the seed article (``copies`` stories of it)."""

    def __init__(self, rig: SlackRig, url: str, copies: int = 1) -> None:
        self._rig = rig
        self._url = url
        self._copies = copies
        self.built = 0

    async def for_subscription(
        self, subscription: Subscription, *, since: datetime, until: datetime
    ) -> BuiltDigest:
        self.built += 1
        summary = await self._rig.commands.summarizer.summarize(self._url)
        if self._copies == 1:
            candidates = [DigestCandidate(summary)]
            digest = build_digest(
                candidates,
                topic=subscription.topic,
                since=datetime(2000, 1, 1, tzinfo=UTC),
                until=until,
            )
        else:
            digest = Digest(subscription.topic, since, until, tuple(_copies(summary, self._copies)))
        return BuiltDigest(digest, ())


def _copies(summary: Summary, count: int) -> list[Story]:
    stories = []
    for number in range(1, count + 1):
        article = replace(
            summary.article, title=f"Story {number}", canonical_url=f"https://n.example/{number}"
        )
        copy = replace(summary, article=article)
        stories.append(Story(summary=copy, articles=(article,), figures=summary.figures))
    return stories


async def subscribe(rig: SlackRig, channel: str = "C0NEWS") -> Subscription:
    await rig.slash_command("subscribe migration 07:00 Europe/Madrid", key="sub", channel=channel)
    confirmation = await rig.fake.wait_for_response("sub")
    assert confirmation.body["text"].startswith("Subscribed: the migration digest")
    (subscription,) = await rig.store.list_subscriptions(platform="slack", channel=channel)
    # The confirmation was posted in the channel (to check the bot may post there); the
    # tests below count only the digest's own posts and calls.
    assert rig.fake.posts(channel)[0]["text"].startswith("Subscribed: the migration digest")
    rig.fake.forget()
    return subscription


def parts(rig: SlackRig, channel: str = "C0NEWS") -> list[tuple[int, int]]:
    return [
        (m["metadata"]["event_payload"]["part"], m["metadata"]["event_payload"]["parts"])
        for m in rig.fake.posts(channel)
    ]


async def test_digest_goes_to_the_subscribed_channel_once(
    settings: Settings, web: WebServer
) -> None:
    async with slack_rig(settings) as rig:
        subscription = await subscribe(rig)
        delivery = DigestDelivery(
            rig.store, SeedDigests(rig, web.url(SEED)), {"slack": rig.adapter}
        )
        assert await delivery.deliver(subscription, DAY) == "sent 1 stories"
        assert await delivery.deliver(subscription, DAY) == "already sent"
        (message,) = rig.fake.posts("C0NEWS")
    assert message["metadata"] == {
        "event_type": "newsbrief_digest",
        "event_payload": {"key": "digest:slack:C0NEWS:2024-03-05:migration", "part": 1, "parts": 1},
    }
    assert message["blocks"][0]["text"]["text"] == "Migration news digest"
    assert "US and Mexico look to stem" in str(message["blocks"]) and "190,000" in str(
        message["blocks"]
    )
    assert message["text"].startswith("Migration news digest: US and Mexico look to stem")


async def test_rate_limit_is_waited_out_and_the_digest_posted_once(
    settings: Settings, web: WebServer
) -> None:
    async with slack_rig(settings) as rig:
        subscription = await subscribe(rig)
        rig.fake.fail_next("chat.postMessage", 429, retry_after=1)
        limited = metrics.REGISTRY.get_sample_value(
            "newsbrief_platform_rate_limited_total", {"platform": "slack"}
        )
        delivery = DigestDelivery(
            rig.store, SeedDigests(rig, web.url(SEED)), {"slack": rig.adapter}
        )
        assert await delivery.deliver(subscription, DAY) == "sent 1 stories"
        calls = rig.fake.calls_to("chat.postMessage")
    assert [call.status for call in calls] == [429, 200]
    after = metrics.REGISTRY.get_sample_value(
        "newsbrief_platform_rate_limited_total", {"platform": "slack"}
    )
    assert after == (limited or 0.0) + 1  # counted on /metrics
    assert calls[1].at - calls[0].at >= 1.0  # Retry-After: 1 was honoured
    assert parts(rig) == [(1, 1)]


async def test_long_digest_is_split_paced_and_in_order(settings: Settings, web: WebServer) -> None:
    options = {"post_interval": 0.2}
    async with slack_rig(settings, adapter_options=options) as rig:
        subscription = await subscribe(rig)
        builder = SeedDigests(rig, web.url(SEED), copies=30)
        delivery = DigestDelivery(rig.store, builder, {"slack": rig.adapter})
        await delivery.deliver(subscription, DAY)
        calls = rig.fake.calls_to("chat.postMessage")
    total = len(calls)
    assert total > 1 and parts(rig) == [(n, total) for n in range(1, total + 1)]
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(calls)]
    assert min(gaps) >= 0.19  # about one message per interval per channel
    titles = [
        b["text"]["text"] for m in rig.fake.posts() for b in m["blocks"] if "|Story " in str(b)
    ]
    numbers = [int(t.split("|Story ")[1].split(">")[0]) for t in titles]
    assert numbers == list(range(1, 31))


async def test_an_outage_delays_the_digest_without_losing_or_repeating_it(
    settings: Settings, web: WebServer
) -> None:
    async with slack_rig(settings) as rig:
        subscription = await subscribe(rig)
        builder = SeedDigests(rig, web.url(SEED))
        delivery = DigestDelivery(rig.store, builder, {"slack": rig.adapter})
        rig.fake.fail_next("chat.postMessage", 503, times=100, html=True)
        with pytest.raises(SlackUnavailableError):
            await delivery.deliver(subscription, DAY)
        assert rig.fake.posts() == []
        failed = await rig.store.get_delivery("digest:slack:C0NEWS:2024-03-05:migration")
        assert failed is not None and failed.state != "sent"
        rig.fake.heal()
        assert await delivery.deliver(subscription, DAY) == "sent 1 stories"
        assert await delivery.deliver(subscription, DAY) == "already sent"
        statuses = [call.status for call in rig.fake.calls_to("chat.postMessage")]
    assert statuses == [503] * 4 + [200]  # first attempt and 3 retries, then the later delivery
    assert parts(rig) == [(1, 1)]


async def test_a_post_that_failed_late_is_found_instead_of_repeated(
    settings: Settings, web: WebServer
) -> None:
    """Slack stored the message and still answered 500: the retry asks history first."""
    async with slack_rig(settings) as rig:
        subscription = await subscribe(rig)
        rig.fake.fail_next("chat.postMessage", 500, committed=True)
        delivery = DigestDelivery(
            rig.store, SeedDigests(rig, web.url(SEED)), {"slack": rig.adapter}
        )
        assert await delivery.deliver(subscription, DAY) == "sent 1 stories"
        history = rig.fake.calls_to("conversations.history")
    assert parts(rig) == [(1, 1)]
    assert history and history[0].args["include_all_metadata"] in {"1", "true", True}


async def test_after_a_crash_mid_digest_only_the_missing_parts_are_posted(
    settings: Settings, web: WebServer
) -> None:
    async with slack_rig(settings) as rig:
        subscription = await subscribe(rig)
        builder = SeedDigests(rig, web.url(SEED), copies=30)
        first = DigestDelivery(rig.store, builder, {"slack": rig.adapter})
        rig.fake.fail_next("chat.postMessage", 500, after=1, times=100)
        with pytest.raises(SlackUnavailableError):
            await first.deliver(subscription, DAY)
        ((_, total),) = parts(rig)  # part 1 went out, then Slack failed
        assert total >= 2
        rig.fake.heal()
        # A new process: a fresh adapter with no memory, the same store and Slack.
        restarted = SlackAdapter(rig.settings, rig.commands, post_interval=0.0, retry_backoff=0.05)
        await restarted.start()
        try:
            second = DigestDelivery(rig.store, builder, {"slack": restarted})
            assert await second.deliver(subscription, DAY) == "sent 30 stories"
        finally:
            await restarted.aclose()
    assert parts(rig) == [(n, total) for n in range(1, total + 1)]  # each part once, in order


async def test_find_delivery_ignores_other_apps_and_unknown_keys(settings: Settings) -> None:
    async with slack_rig(settings) as rig:
        metadata = {
            "event_type": "newsbrief_digest",
            "event_payload": {"key": "k", "part": 1, "parts": 1},
        }
        rig.fake.messages["C0NEWS"] = [
            {
                "type": "message",
                "ts": "1.1",
                "bot_id": "B0IMPOSTOR",
                "text": "x",
                "metadata": metadata,
            },
        ]
        assert await rig.adapter.find_delivery("C0NEWS", "k") is None
        rig.fake.messages["C0NEWS"].append(
            {
                "type": "message",
                "ts": "1.2",
                "bot_id": "B0NEWSBOT",
                "text": "x",
                "metadata": metadata,
            }
        )
        assert await rig.adapter.find_delivery("C0NEWS", "k") == "1.2"
        assert await rig.adapter.find_delivery("C0NEWS", "other") is None


async def test_concurrent_digests_to_two_channels_do_not_wait_for_each_other(
    settings: Settings, web: WebServer
) -> None:
    # Posts to one channel are paced PACE_S apart: two channels sharing a pace would take
    # PACE_S or more, far over the generous bound below.
    async with slack_rig(settings, adapter_options={"post_interval": PACE_S}) as rig:
        # Stored directly: a subscribe command's confirmation post would start each pace.
        one, two = [
            await rig.store.subscribe(Subscription("slack", channel, timezone="UTC"))
            for channel in ("C0ONE", "C0TWO")
        ]
        delivery = DigestDelivery(
            rig.store, SeedDigests(rig, web.url(SEED)), {"slack": rig.adapter}
        )
        started = asyncio.get_running_loop().time()
        await asyncio.gather(delivery.deliver(one, DAY), delivery.deliver(two, DAY))
        elapsed = asyncio.get_running_loop().time() - started
    assert len(rig.fake.posts("C0ONE")) == len(rig.fake.posts("C0TWO")) == 1
    assert elapsed < PACE_S / 2  # pacing is per channel
