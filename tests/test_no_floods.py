"""No floods (issue 14, item 7): an hourly cap on auto-summaries per channel with one note,
and no link previews on the bot's posts (Slack unfurls off, Discord embeds of bare links
suppressed). End to end through the Slack and Discord fakes, in English and Spanish."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.discord_harness import discord_rig
from fakes.slack_harness import SlackRig, slack_rig
from fakes.slack_payloads import BOT_USER_ID, message_event
from webserver import WebServer

from bot.chat.limits.ratelimit import SummarizeLimits
from bot.config import Settings
from bot.store import ChannelSettings

SEED_HTML = (
    Path(__file__).parent / "fixtures" / "seed" / "bbc-us-mexico-migration.html"
).read_bytes()
SUPPRESS_EMBEDS = 1 << 2


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 3, 5, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def paste(rig: SlackRig, number: int, link: str) -> None:
    event = message_event(f"look {link}?n={number}", ts=f"1700000{number:03d}.000100")
    await rig.event(event, event_id=f"Ev{number}")
    async with asyncio.timeout(10):
        await rig.adapter.drain()


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("en", "I have summarized 2 pasted links here in the last hour"),
        ("es", "Ya resumí 2 enlaces pegados aquí en la última hora"),
    ],
)
async def test_auto_summaries_stop_at_the_hourly_cap_with_one_note(
    settings: Settings, web: WebServer, language: str, note: str
) -> None:
    web.respond("/story", SEED_HTML)
    capped = settings.model_copy(update={"auto_summaries_per_hour": 2})
    clock = Clock()
    options = {"limits": SummarizeLimits(), "clock": clock}
    async with slack_rig(capped, commands_options=options) as rig:
        await rig.store.save_channel_settings(
            ChannelSettings("slack", "C0NEWS", auto_summarize=True, language=language)
        )
        for number in range(1, 6):
            await paste(rig, number, web.url("/story"))
        texts = [post["text"] for post in rig.fake.posts("C0NEWS")]
        clock.now += timedelta(hours=1, minutes=1)
        await paste(rig, 6, web.url("/story"))
        after_an_hour = [post["text"] for post in rig.fake.posts("C0NEWS")][len(texts) :]

    notes = [text for text in texts if note in text]
    assert len(texts) == 3 and len(notes) == 1  # 2 summaries, then one note, then silence
    assert texts[-1] == notes[0]
    assert len(after_an_hour) == 1 and note not in after_an_hour[0]  # summaries again


async def test_an_addressed_link_is_not_capped(settings: Settings, web: WebServer) -> None:
    web.respond("/story", SEED_HTML)
    capped = settings.model_copy(update={"auto_summaries_per_hour": 1})
    async with slack_rig(capped, commands_options={"limits": SummarizeLimits()}) as rig:
        await rig.store.save_channel_settings(
            ChannelSettings("slack", "C0NEWS", auto_summarize=True)
        )
        await paste(rig, 1, web.url("/story"))
        await paste(rig, 2, web.url("/story"))  # the note
        for number in (3, 4):
            mention = message_event(
                f"<@{BOT_USER_ID}> {web.url('/story')}?n={number}", ts=f"1700000{number:03d}.000100"
            )
            await rig.event(mention, event_id=f"Ev{number}")
            async with asyncio.timeout(10):
                await rig.adapter.drain()
        posts = rig.fake.posts("C0NEWS")

    assert len(posts) == 4


async def test_slack_posts_and_responses_never_unfurl(settings: Settings, web: WebServer) -> None:
    web.respond("/story", SEED_HTML)
    async with slack_rig(settings, commands_options={"limits": SummarizeLimits()}) as rig:
        await rig.store.save_channel_settings(
            ChannelSettings("slack", "C0NEWS", auto_summarize=True)
        )
        await paste(rig, 1, web.url("/story"))
        await rig.slash_command(f"summarize {web.url('/story')}", key="s")
        await rig.fake.wait_for_response("s")
        calls = rig.fake.calls_to("chat.postMessage")
        responses = rig.fake.responses

    assert calls and responses
    for body in [call.args for call in calls] + [post.body for post in responses]:
        assert body.get("unfurl_links") in (False, "false") and body.get("unfurl_media") in (
            False,
            "false",
        )


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Border desk</title>
<link>https://news.example.org/</link><description>d</description>
<item><title>Crossings fall</title><link>https://news.example.org/a</link></item>
</channel></rss>"""


async def test_discord_text_with_bare_links_gets_no_link_previews(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/feed.xml", FEED, content_type="application/rss+xml")
    async with discord_rig(settings, commands_options={"limits": SummarizeLimits()}) as rig:
        added = await rig.fake.invoke("feeds add", {"url": web.url("/feed.xml")})
        await rig.fake.wait_for(lambda: added.replies)
        interaction = await rig.fake.invoke("feeds list")
        await rig.fake.wait_for(lambda: interaction.replies)
        payloads = rig.fake.bot_payloads()

    texts = [p.get("data", p) for p in payloads if "://" in (p.get("data", p).get("content") or "")]
    assert texts  # the feed list names feeds by their addresses
    assert all((text.get("flags") or 0) & SUPPRESS_EMBEDS for text in texts)
