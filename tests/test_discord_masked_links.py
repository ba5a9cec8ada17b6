"""No masked link ("[label](target)") written by an article, a feed or a user stays live on Discord.

A masked link shows one address and opens another. Discord renders them in message content,
embed descriptions and field values; the bot must escape every one of them in every path:
summary and digest embeds, and the text replies that echo a feed's title (``feeds add``,
``feeds list``). End to end through the local Discord fake.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from fakes.discord_harness import discord_rig
from webserver import WebServer

from adapters.discord.rendering import render
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.chat.requests import Caller, Reply
from bot.config import Settings
from bot.models import Article, Digest, FigureConflict, KeyFigure, Story, Summary

ISSUE_SENTENCE = (
    "See [the report](https://a.example/r) and [bbc.co.uk/news](https://evil.example/phish)."
)
FEED_TITLE = "[Official BBC feed](https://evil.example/x)"
NESTED = (
    "[a [b] c](https://evil.example/n) \\[x](https://evil.example/e) [**y**](<https://e.example>)"
)
SINCE, UNTIL = datetime(2024, 3, 4, tzinfo=UTC), datetime(2024, 3, 6, tzinfo=UTC)
FEED = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>{FEED_TITLE}</title><link>https://wire.example/</link><description>news</description>
<item><title>{FEED_TITLE}</title><link>https://wire.example/1</link></item></channel></rss>"""
# Embed footers are plain text in Discord (no markdown), so they are left out.
SKIP = frozenset({"footer", "url", "nonce", "id", "channel_id", "message_id", "guild_id"})


def live_masked_links(text: str) -> list[str]:
    """Masked links Discord would render: "[...](" with escaped characters taken out first."""
    unescaped = re.sub(r"\\.", "", text, flags=re.DOTALL)
    return re.findall(r"\[[^\n]*?\]\(\s*<?\w+:", unescaped)


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() if key not in SKIP for s in strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings(item)]
    return []


def live_in(payload: object) -> list[str]:
    return [hit for text in strings(payload) for hit in live_masked_links(text)]


def hostile_digest() -> Digest:
    article = Article(
        text="Body. " * 40,
        title=f"Shelter {ISSUE_SENTENCE}",
        url="https://news.example.org/story",
        source=FEED_TITLE,
        published=SINCE,
    )
    figure = KeyFigure(
        value=1200, surface="1,200", sentence=ISSUE_SENTENCE, counted=FEED_TITLE, period=NESTED
    )
    summary = Summary(article, (ISSUE_SENTENCE, NESTED), (figure,), "newsbrief")
    conflict = FigureConflict(FEED_TITLE, (("1,200", FEED_TITLE), ("1,300", NESTED)))
    story = Story(summary, (article,), (figure,), conflicts=(conflict,))
    return Digest(
        topic="migration",
        since=SINCE,
        until=UNTIL,
        stories=(story,),
        more_stories=2,
        more_links=("https://x.example/[bbc.co.uk](https://evil.example/m)", NESTED),
        feeds_failed=(f"{FEED_TITLE} could not be read.",),
    )


class FixedDigests:
    async def preview(self, caller: Caller, topic: str, *, sentences: int, now: datetime) -> Digest:
        return hostile_digest()


def test_the_detector_sees_what_discord_would_render() -> None:
    assert len(live_masked_links(ISSUE_SENTENCE)) == 2
    assert live_masked_links(FEED_TITLE) and live_masked_links(NESTED)
    assert live_masked_links("\\\\[x](https://e.example)")  # an escaped backslash escapes nothing
    assert not live_masked_links("\\[x\\](https://e.example)")


def test_quote_leaves_no_link_of_a_sentence_live_and_keeps_its_words() -> None:
    for text in (ISSUE_SENTENCE, FEED_TITLE, NESTED):
        quoted = render.quote(text)
        assert live_in(quoted) == [], quoted
        assert re.sub(r"\\(.)", r"\1", quoted).replace("%5B", "[").replace("%5D", "]") == text


def test_every_rendering_of_a_hostile_digest_and_text_is_inert() -> None:
    replies = [
        Reply(digest=hostile_digest()),
        Reply(summary=hostile_digest().stories[0].summary),
        Reply(text=f"Added the feed {FEED_TITLE} (3 items now)."),
        Reply(text=("x" * 1999) + FEED_TITLE),  # a cut right at an escaping backslash
    ]
    for reply in replies:
        for outgoing in render.reply_messages(reply):
            payload = {
                "content": outgoing.content,
                "embeds": [embed.to_dict() for embed in outgoing.embeds or []],
            }
            assert live_in(payload) == [], payload


async def test_nothing_the_discord_bot_sends_holds_a_live_masked_link(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/feed.xml", FEED, content_type="application/rss+xml")
    options = {"digests": FixedDigests(), "limits": SummarizeLimits()}
    async with discord_rig(settings, commands_options=options) as rig:
        fake = rig.fake
        interactions = [
            await fake.invoke("feeds add", {"url": web.url("/feed.xml")}),
            await fake.invoke("feeds list"),
            await fake.invoke("digest"),
        ]
        for interaction in interactions:
            await fake.wait_for(lambda i=interaction: i.replies)
        await rig.adapter.send_digest(
            fake.channel_id("digest"), hostile_digest(), delivery_key="k", language="en"
        )
        await fake.wait_for(lambda: len(fake.bot_messages("digest")) >= 1)
        payloads = fake.bot_payloads()

    sent = json.dumps(payloads, ensure_ascii=False)
    assert "Official BBC feed" in sent and "bbc.co.uk/news" in sent  # the words are there
    assert len(payloads) >= 4
    for payload in payloads:
        assert live_in(payload.get("data", payload)) == [], payload
