"""Slack and Discord failing while the bot answers and posts digests: what arrives, and how often.

The matrix is {Slack, Discord} x {summary reply, digest} x {429 with Retry-After, 500, timeout
(the fake holds the request past the client's timeout), dropped connection (the fake closes the
socket mid-request)}; 500, timeout and drop come in two kinds: the platform did NOT store the
message (the common case: exactly once, always) or stored it and the answer was lost ("stored").
The real adapters talk to the local fakes; each test counts what the fake recorded after it
recovered. Cells the adapter tests already prove are left to them:

- Slack summary, 429: test_slack_http.test_rate_limited_response_url_is_retried_and_delivered_once
  (the same response_url path, with the help reply)
- Slack digest, 429: test_slack_digests.test_rate_limit_is_waited_out_and_the_digest_posted_once
- Slack digest, 5xx: test_slack_digests.test_an_outage_delays_the_digest_without_losing_or_...
- Slack digest, 500 stored: test_slack_digests.test_a_post_that_failed_late_is_found_instead_...
- Discord digest, 429: test_discord_digests.test_a_429_on_posting_is_waited_out_and_the_...
- Discord digest, 500 stored: test_discord_digests.test_a_lost_answer_does_not_post_the_digest_twice
- Discord digest, drop: test_discord_digests.test_an_outage_mid_digest_delays_it_and_the_retry_...

The one cell that cannot be exactly once is a Slack summary whose post Slack stored while the
answer was lost: a response_url (or chat.postMessage thread reply) has no idempotency key and no
way to ask whether it arrived, so the adapter retries and the reply is AT LEAST ONCE (a rare
duplicate beats a question left unanswered). Discord's reply edits the "thinking..." message,
which is idempotent, and digests carry their delivery key on both platforms: exactly once.
"""

from __future__ import annotations

import asyncio
import functools
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import discord
import pytest
from fakes.discord_api import FakeDiscord, FakeInteraction
from fakes.discord_harness import DiscordRig, discord_rig
from fakes.slack_harness import SlackRig, slack_rig
from webserver import WebServer

from adapters.discord.rendering.render import read_marker
from bot.config import Settings
from bot.digests.delivery import BuiltDigest, DigestDelivery
from bot.models import Digest, Story, Summary
from bot.service import summarize_article
from bot.store import Subscription
from bot.web.extract import extract_article

SEED = "/seed/bbc-us-mexico-migration.html"
SEED_HTML = (Path(__file__).parent / "fixtures" / SEED.lstrip("/")).read_bytes()
TITLE = "US and Mexico look to stem ‘unprecedented’ migrant flow"
DAY = date(2024, 3, 5)
TIMEOUT = 0.25  # the adapters' request timeout in these tests
HOLD = 60.0  # a stalled request is held this long (until the fake closes): never answered
BOUND = 10.0  # every delivery here ends well within this, or the adapter waited on a stall
SETTLE = 0.2  # Discord: time for a (wrong) second answer to land after the retry
MESSAGES = r"/channels/\d+/messages$"

Guarantee = Literal["exactly once", "at least once"]
Fault = tuple[str, bool]  # (kind, stored by the platform before failing)

ALL_FAULTS: list[Fault] = [
    ("429", False),
    ("500", False),
    ("500", True),
    ("timeout", False),
    ("timeout", True),
    ("drop", False),
    ("drop", True),
]


def fault_id(fault: Fault) -> str:
    kind, stored = fault
    return f"{kind}-stored" if stored else kind


@functools.cache
def seed_summary() -> Summary:
    article = extract_article(SEED_HTML, "https://www.bbc.com/news/world-us-canada-67832911")
    return summarize_article(article, 3, "newsbrief")


class OneStory:
    """A DigestBuilder with the seed article as its only story (these tests are about posting)."""

    async def for_subscription(
        self, subscription: Subscription, *, since: datetime, until: datetime
    ) -> BuiltDigest:
        summary = seed_summary()
        story = Story(summary=summary, articles=(summary.article,), figures=summary.figures)
        return BuiltDigest(Digest(subscription.topic, since, until, (story,)), ())


async def deliver_until_sent(delivery: DigestDelivery, subscription: Subscription) -> list[str]:
    """Deliver as the scheduler does: a failed attempt is retried later, here at once."""
    outcomes = []
    async with asyncio.timeout(BOUND):
        for _ in range(3):
            try:
                outcomes.append(await delivery.deliver(subscription, DAY))
            except Exception as err:  # the scheduler logs it and retries the delivery
                outcomes.append(type(err).__name__)
                continue
            break
    return outcomes


# --- Slack ----------------------------------------------------------------------------------


def slack_fault(rig: SlackRig, method: str, fault: Fault, *, times: int = 1) -> None:
    kind, stored = fault
    options: dict[str, Any] = {"committed": stored, "times": times}
    if kind == "429":
        rig.fake.fail_next(method, 429, retry_after=1, **options)
    elif kind == "500":
        rig.fake.fail_next(method, 500, **options)
    elif kind == "timeout":
        rig.fake.fail_next(method, 503, hold=HOLD, **options)
    else:
        rig.fake.fail_next(method, 502, hang_up=True, **options)


def slack_options() -> dict[str, Any]:
    return {"adapter_options": {"request_timeout": TIMEOUT}}


def slack_reply_guarantee(fault: Fault) -> Guarantee:
    return "at least once" if fault[1] else "exactly once"


@pytest.mark.parametrize("fault", ALL_FAULTS[1:], ids=fault_id)
async def test_slack_summary_reply_through_response_url(
    settings: Settings, web: WebServer, fault: Fault
) -> None:
    async with slack_rig(settings, **slack_options()) as rig:
        slack_fault(rig, "response_url", fault)
        status, _ = await rig.slash_command(f"summarize {web.url(SEED)}", key="r")
        await rig.fake.wait_for_response("r", timeout=BOUND)
        async with asyncio.timeout(BOUND):  # every acknowledged request was answered
            await rig.adapter.drain()
        posts = rig.fake.responses_to("r")
        attempts = rig.fake.calls_to("response_url")

    assert status == 200
    assert len(attempts) >= 2  # it failed, then was retried
    assert all(post.body["blocks"][0]["text"]["text"] == TITLE for post in posts)
    if slack_reply_guarantee(fault) == "exactly once":
        assert len(posts) == 1
    else:  # stored, answer lost, retried: no idempotency key on a response_url
        assert len(posts) == 2


@pytest.mark.parametrize("fault", [f for f in ALL_FAULTS if f[0] != "429"], ids=fault_id)
async def test_slack_summary_reply_in_a_thread(
    settings: Settings, web: WebServer, fault: Fault
) -> None:
    """The Summarize article shortcut answers with chat.postMessage in the message's thread."""
    async with slack_rig(settings, **slack_options()) as rig:
        slack_fault(rig, "chat.postMessage", fault)
        message = {"type": "message", "user": "U0REPORTER", "ts": "1700000300.000400"}
        await rig.shortcut(message | {"text": f"<{web.url(SEED)}>"}, key="s")
        await rig.fake.wait_for_posts(1)
        async with asyncio.timeout(BOUND):  # every acknowledged request was answered
            await rig.adapter.drain()
        posts = rig.fake.posts("C0NEWS")
        attempts = rig.fake.calls_to("chat.postMessage")

    assert len(attempts) >= 2  # it failed, then was retried
    assert all(post["thread_ts"] == "1700000300.000400" for post in posts)
    assert len(posts) == (1 if slack_reply_guarantee(fault) == "exactly once" else 2)


SLACK_DIGEST_GAPS: list[Fault] = [
    ("timeout", False),
    ("timeout", True),
    ("drop", False),
    ("drop", True),
]


@pytest.mark.parametrize("fault", SLACK_DIGEST_GAPS, ids=fault_id)
async def test_slack_digest_exactly_once(settings: Settings, fault: Fault) -> None:
    async with slack_rig(settings, **slack_options()) as rig:
        subscription = await rig.store.subscribe(Subscription("slack", "C0DIGEST"))
        delivery = DigestDelivery(rig.store, OneStory(), {"slack": rig.adapter})
        # Four failures in a row outlast the adapter's own three retries: the delivery fails
        # and the scheduler's next attempt finishes it (a stored post is found, not repeated).
        slack_fault(rig, "chat.postMessage", fault, times=4)
        outcomes = await deliver_until_sent(delivery, subscription)
        posts = rig.fake.posts("C0DIGEST")
        record = await rig.store.get_delivery("digest:slack:C0DIGEST:2024-03-05:migration")

    assert outcomes[-1] in {"sent 1 stories", "found already posted"}, outcomes
    assert record is not None and record.state == "sent"
    assert len(posts) == 1
    assert posts[0]["metadata"]["event_payload"]["part"] == 1


# --- Discord --------------------------------------------------------------------------------

ANSWER_POST = r"/webhooks/\d+/[^/]+$"  # a follow-up message
ANSWER_EDIT = r"/webhooks/\d+/[^/]+/messages/@original$"  # the "thinking..." message edited


def discord_fault(fake: FakeDiscord, method: str, path: str, fault: Fault) -> None:
    kind, stored = fault
    if kind == "429":
        fake.fail(method, path, status=429, retry_after=0.2)
    elif kind == "500":
        fake.fail(method, path, status=500, after_store=stored)
    elif kind == "timeout":
        fake.stall(method, path, seconds=HOLD, after_store=stored)
    else:
        fake.outage(method, path, after_store=stored)


def discord_options() -> dict[str, Any]:
    return {"adapter_options": {"request_timeout": TIMEOUT}}


def answers(interaction: FakeInteraction) -> list[dict[str, Any]]:
    return [m for m in interaction.replies if m.get("content") or m.get("embeds")]


@pytest.mark.parametrize("fault", ALL_FAULTS, ids=fault_id)
async def test_discord_summary_reply_exactly_once(
    settings: Settings, web: WebServer, fault: Fault
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings, **discord_options()) as rig:
        # Whichever way the answer goes out (edit of the placeholder or a follow-up), it fails.
        discord_fault(rig.fake, "PATCH", ANSWER_EDIT, fault)
        discord_fault(rig.fake, "POST", ANSWER_POST, fault)
        interaction = await rig.fake.invoke("summarize", {"url-or-text": web.url("/story")})

        def attempts() -> int:
            return len(
                rig.fake.calls_to("PATCH", ANSWER_EDIT) + rig.fake.calls_to("POST", ANSWER_POST)
            )

        await rig.fake.wait_for(lambda: answers(interaction), timeout=BOUND)
        await rig.fake.wait_for(lambda: attempts() >= 2, timeout=BOUND)  # failed, then retried
        await asyncio.sleep(SETTLE)

    (reply,) = answers(interaction)
    assert reply["embeds"][0]["title"] == TITLE


DISCORD_DIGEST_GAPS: list[Fault] = [
    ("500", False),
    ("timeout", False),
    ("timeout", True),
    ("drop", True),
]


async def discord_digest_channel(rig: DiscordRig) -> Subscription:
    channel = rig.fake.channel_id("digest")
    return await rig.store.subscribe(Subscription("discord", channel))


@pytest.mark.parametrize("fault", DISCORD_DIGEST_GAPS, ids=fault_id)
async def test_discord_digest_exactly_once(settings: Settings, fault: Fault) -> None:
    async with discord_rig(settings, **discord_options()) as rig:
        subscription = await discord_digest_channel(rig)
        delivery = DigestDelivery(rig.store, OneStory(), {"discord": rig.adapter})
        discord_fault(rig.fake, "POST", MESSAGES, fault)
        rig.fake.nonce_window = 0  # prove it without Discord's nonce check: the key finds it
        outcomes = await deliver_until_sent(delivery, subscription)
        posts = rig.fake.bot_messages("digest")
        attempts = rig.fake.calls_to("POST", MESSAGES)
        record = await rig.store.get_delivery(
            f"digest:discord:{subscription.channel}:2024-03-05:migration"
        )

    assert len(outcomes) >= 2 or len(attempts) >= 2  # the fault was felt, and overcome
    assert outcomes[-1] in {"sent 1 stories", "found already posted"}, outcomes
    assert record is not None and record.state == "sent"
    assert len(posts) == 1
    marker = read_marker([discord.Embed.from_dict(e) for e in posts[0]["embeds"]])
    assert marker is not None and marker[:2] == (1, 1)
