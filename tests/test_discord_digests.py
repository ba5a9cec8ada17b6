"""Scheduled digests posted to Discord through DigestDelivery: in order, paced, exactly once."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
from fakes.discord_api import EPHEMERAL
from fakes.discord_harness import DiscordRig, discord_rig

from adapters.discord.rendering.render import read_marker
from bot import metrics
from bot.chat.requests import Caller
from bot.config import Settings
from bot.digests.delivery import BuiltDigest, DigestDelivery
from bot.models import Digest, Story, Summary
from bot.service import Summarizer
from bot.store import Subscription

SEED_HTML = (
    Path(__file__).parent / "fixtures" / "seed" / "bbc-us-mexico-migration.html"
).read_bytes()
DAY = date(2023, 12, 28)
MESSAGES = r"/channels/\d+/messages$"


class FixedDigests:
    """A DigestBuilder that always builds the same stories (the tests are about posting)."""

    def __init__(self, digest: Digest) -> None:
        self.digest = digest

    async def for_subscription(
        self, subscription: Subscription, *, since: datetime, until: datetime
    ) -> BuiltDigest:
        return BuiltDigest(replace(self.digest, since=since, until=until), ())


class FixedPreview:
    """A DigestPreviewer for /digest that shows the same stories."""

    def __init__(self, digest: Digest) -> None:
        self.digest = digest

    async def preview(self, caller: Caller, topic: str, *, sentences: int, now: datetime) -> Digest:
        return self.digest


@pytest.fixture
async def seed_summary(settings: Settings) -> Summary:
    async with Summarizer(settings) as summarizer:
        return await summarizer.summarize_html(SEED_HTML, "https://www.bbc.com/news/67832911")


def digest_of(summary: Summary, stories: int) -> Digest:
    story_list = []
    for number in range(stories):
        article = replace(summary.article, title=f"Story {number:02d}")
        story = replace(summary, article=article)
        story_list.append(Story(summary=story, articles=(article,), figures=summary.figures))
    now = datetime.now(UTC)
    return Digest("migration", now - timedelta(days=1), now, tuple(story_list))


async def subscribe_digest_channel(rig: DiscordRig) -> Subscription:
    interaction = await rig.fake.invoke("subscribe", {"time": "07:00"}, channel="digest")
    await rig.fake.wait_for(lambda: interaction.replies)
    (subscription,) = await rig.store.list_subscriptions(platform="discord")
    return subscription


def posted_titles(rig: DiscordRig) -> list[str]:
    return [e["title"] for m in rig.fake.bot_messages("digest") for e in m["embeds"]]


async def test_a_digest_goes_to_the_subscribed_channel(
    settings: Settings, seed_summary: Summary
) -> None:
    async with discord_rig(settings) as rig:
        subscription = await subscribe_digest_channel(rig)
        delivery = DigestDelivery(rig.store, FixedDigests(digest_of(seed_summary, 2)), {})
        delivery.add_sink(rig.adapter.platform, rig.adapter)

        outcome = await delivery.deliver(subscription, DAY)
        again = await delivery.deliver(subscription, DAY)

    assert outcome == "sent 2 stories" and again == "already sent"
    (message,) = rig.fake.bot_messages("digest")
    assert posted_titles(rig) == ["Migration news digest", "Story 00", "Story 01"]
    assert message["embeds"][1]["url"] == "https://www.bbc.com/news/world-us-canada-67832911"
    assert message["allowed_mentions"] == {"parse": []}
    assert rig.fake.bot_messages("news") == []


async def test_a_long_digest_is_posted_in_order_over_several_messages(
    settings: Settings, seed_summary: Summary
) -> None:
    async with discord_rig(settings) as rig:
        subscription = await subscribe_digest_channel(rig)
        delivery = DigestDelivery(rig.store, FixedDigests(digest_of(seed_summary, 14)), {})
        delivery.add_sink("discord", rig.adapter)

        await delivery.deliver(subscription, DAY)

    messages = rig.fake.bot_messages("digest")
    assert len(messages) >= 2
    assert posted_titles(rig)[1:] == [f"Story {n:02d}" for n in range(14)]
    for message in messages:
        assert len(message["embeds"]) <= 10


async def test_a_429_on_posting_is_waited_out_and_the_digest_arrives_once(
    settings: Settings, seed_summary: Summary
) -> None:
    async with discord_rig(settings) as rig:
        subscription = await subscribe_digest_channel(rig)
        delivery = DigestDelivery(rig.store, FixedDigests(digest_of(seed_summary, 1)), {})
        delivery.add_sink("discord", rig.adapter)
        rig.fake.fail("POST", MESSAGES, status=429, retry_after=0.2)
        limited = metrics.REGISTRY.get_sample_value(
            "newsbrief_platform_rate_limited_total", {"platform": "discord"}
        )

        outcome = await delivery.deliver(subscription, DAY)
        posts = rig.fake.calls_to("POST", MESSAGES)

    assert outcome == "sent 1 stories"
    assert len(posts) == 2  # refused once, then accepted
    assert posts[1].at - posts[0].at >= 0.2  # discord.py waited retry_after
    assert len(rig.fake.bot_messages("digest")) == 1
    after = metrics.REGISTRY.get_sample_value(
        "newsbrief_platform_rate_limited_total", {"platform": "discord"}
    )
    assert after == (limited or 0.0) + 1  # counted on /metrics


async def test_a_lost_answer_does_not_post_the_digest_twice(
    settings: Settings, seed_summary: Summary
) -> None:
    async with discord_rig(settings) as rig:
        subscription = await subscribe_digest_channel(rig)
        delivery = DigestDelivery(rig.store, FixedDigests(digest_of(seed_summary, 1)), {})
        delivery.add_sink("discord", rig.adapter)
        # Discord stores the message, but its answer is a 500: discord.py posts again.
        rig.fake.fail("POST", MESSAGES, status=500, after_store=True)

        await delivery.deliver(subscription, DAY)
        posts = rig.fake.calls_to("POST", MESSAGES)

    assert len(posts) == 2 and posts[0].body["nonce"] == posts[1].body["nonce"]
    assert len(rig.fake.bot_messages("digest")) == 1  # the nonce made the retry a no-op


async def test_an_outage_mid_digest_delays_it_and_the_retry_posts_only_the_rest(
    settings: Settings, seed_summary: Summary
) -> None:
    async with discord_rig(settings) as rig:
        subscription = await subscribe_digest_channel(rig)
        delivery = DigestDelivery(rig.store, FixedDigests(digest_of(seed_summary, 14)), {})
        delivery.add_sink("discord", rig.adapter)
        rig.fake.outage("POST", MESSAGES, after=1)  # part 1 goes out, then Discord is gone
        rig.fake.nonce_window = 0  # and the retry comes too late for Discord's nonce check

        with pytest.raises(aiohttp.ServerDisconnectedError):
            await delivery.deliver(subscription, DAY)
        stopped_after = len(rig.fake.bot_messages("digest"))
        outcome = await delivery.deliver(subscription, DAY)  # the scheduler's retry

    assert stopped_after == 1
    assert outcome.startswith("sent")
    markers = [read_marker_of(m) for m in rig.fake.bot_messages("digest")]
    total = markers[0][1]
    assert [part for part, _ in markers] == list(range(1, total + 1))  # each part once, in order
    assert posted_titles(rig)[1:] == [f"Story {n:02d}" for n in range(14)]


async def test_after_a_crash_a_posted_digest_is_found_not_sent_again(
    settings: Settings, seed_summary: Summary
) -> None:
    async with discord_rig(settings) as rig:
        subscription = await subscribe_digest_channel(rig)
        digest = digest_of(seed_summary, 14)
        # The process posted the digest, then died before recording it as sent.
        pending = await rig.store.begin_delivery("discord", subscription.channel, "migration", DAY)
        sent = await rig.adapter.send_digest(
            subscription.channel, digest, delivery_key=pending.delivery_key, language="en"
        )
        ref = sent.ref
        posted = len(rig.fake.bot_messages("digest"))
        delivery = DigestDelivery(rig.store, FixedDigests(digest), {"discord": rig.adapter})

        outcome = await delivery.deliver(subscription, DAY)
        record = await rig.store.get_delivery(pending.delivery_key)

    assert outcome == "found already posted"
    assert len(rig.fake.bot_messages("digest")) == posted
    assert record is not None and record.message_ref == ref


async def test_digest_posts_are_paced(settings: Settings, seed_summary: Summary) -> None:
    async with discord_rig(settings, adapter_options={"digest_pacing": 0.3}) as rig:
        channel = rig.fake.channel_id("digest")
        await rig.adapter.send_digest(
            channel, digest_of(seed_summary, 14), delivery_key="digest:paced", language="en"
        )
        posts = rig.fake.calls_to("POST", MESSAGES)

    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(posts)]
    assert len(posts) >= 2 and min(gaps) >= 0.29


def read_marker_of(message: dict[str, Any]) -> tuple[int, int]:
    marker = read_marker([discord.Embed.from_dict(e) for e in message["embeds"]])
    assert marker is not None
    return marker[0], marker[1]


async def test_the_digest_command_answers_with_the_digest_over_several_messages(
    settings: Settings, seed_summary: Summary
) -> None:
    preview = FixedPreview(digest_of(seed_summary, 14))
    async with discord_rig(settings, commands_options={"digests": preview}) as rig:
        interaction = await rig.fake.invoke("digest")

        def embeds() -> list[dict[str, Any]]:
            return [e for m in interaction.replies for e in m.get("embeds", [])]

        await rig.fake.wait_for(lambda: len(embeds()) == 15)

    assert interaction.callbacks[0][1]["type"] == 5
    assert len(interaction.replies) >= 2
    assert [e["title"] for e in embeds()] == [
        "Migration news digest",
        *(f"Story {n:02d}" for n in range(14)),
    ]
    assert all(not m["flags"] & EPHEMERAL for m in interaction.replies)
