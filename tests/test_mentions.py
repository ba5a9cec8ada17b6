"""Nothing the bot posts can mention anyone, whatever an article, feed or user message holds.

Every mention syntax of both platforms is planted in an article (title, sentences, outlet,
link, figure parts), a digest (stories, outlets, conflicts, more links, failed feeds), a feed
title, and the user input the bot echoes in its answers. Then:

* every renderer (Slack Block Kit summary/digest/text, Discord embeds/digest parts/text
  chunks) renders every reply kind, and no ping syntax survives;
* end to end through each platform's fake, every body the bot sent (Slack response_url posts
  and chat.postMessage; Discord interaction answers, channel messages and thread names) is
  checked the same way, and every Discord message carries ``allowed_mentions: {parse: []}``.

The renderers' own tests (test_slack_render, test_discord_render) prove the escaping rules;
this module proves no path skips them. The console is not a ping risk and is left out.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fakes.discord_harness import DiscordRig, discord_rig
from fakes.discord_payloads import message as message_payload
from fakes.slack_harness import slack_rig
from fakes.slack_payloads import message_event
from webserver import WebServer

from adapters.discord.rendering import render as discord_render
from adapters.slack.rendering import render as slack_render
from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.chat.requests import Caller, Reply, Request
from bot.config import Settings
from bot.digests.builder import DigestCandidate, build_digest
from bot.models import Digest, FigureConflict, Summary
from bot.service import Summarizer, summarize_article
from bot.store import ChannelSettings, Store, open_store
from bot.web.extract import extract_article

MENTIONS = [
    "@everyone", "@here", "@channel", "@Everyone", "<!channel>", "<!here>", "<!everyone>",
    "<!channel|channel>", "<@U123>", "<@W024BE7LH|bob>", "<@!123>", "<@&456>", "<#C789>",
    "<#C024BE7LR|general>", "<#123>", "<!subteam^S1>", "<!subteam^S1|@editors>",
    "<@123456789012345678>", "<@!123456789012345678>", "<@&223456789012345678>",
]  # fmt: skip
HOSTILE = " ".join(MENTIONS)
ESCAPED = html.escape(HOSTILE)
HOSTILE_URL = "https://news.example.org/story?to=@everyone&cc=<!channel>"
SINCE, UNTIL = datetime(2024, 3, 4, tzinfo=UTC), datetime(2024, 3, 6, tzinfo=UTC)
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Shelter {ESCAPED} braces for arrivals</title>
<meta property="og:site_name" content="The {ESCAPED} Gazette">
<meta property="article:published_time" content="2024-03-05T09:30:00Z"></head>
<body><article><h1>Shelter {ESCAPED} braces for arrivals</h1>
<p>Shelter managers said on Monday that more than 1,200 migrants arrived over the weekend,
a record for March, and a volunteer wrote {ESCAPED} on the door.</p>
<p>The mayor's office, reached as {ESCAPED}, said about 300 cots would be delivered by
Wednesday to the shelter near the river crossing.</p>
<p>Officials said the county spent $2.5 million on emergency housing last year, and organisers
wrote {ESCAPED} to every supporter of the network.</p>
<p>Aid groups said the arrivals came mostly from Venezuela and Honduras and that families had
travelled for weeks, according to {ESCAPED} in the group chat.</p>
</article></body></html>"""
FEED = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>{ESCAPED} Wire</title><link>https://wire.example/</link><description>news</description>
<item><title>{ESCAPED}</title><link>https://wire.example/1</link><description>{ESCAPED}</description>
</item></channel></rss>"""

# Slack: <!channel>, <!here>, <!everyone>, <!subteam^..>, <@user>, <#channel>, and bare @here
# or @channel where a client might parse names. Link targets are not text and are left out.
SLACK_PINGS = re.compile(
    r"<(?:!(?:channel|here|everyone|subteam)|@|#)|(?<![\w.+-])@(?:here|channel|everyone)\b",
    re.IGNORECASE,
)
SLACK_LINK_TARGET = re.compile(r"<(?:https?|mailto):[^|>\s]*")
# Discord: @everyone, @here, <@id>, <@!id>, <@&id>, <#id>; with markdown escapes removed too.
DISCORD_PINGS = re.compile(r"@(?:everyone|here)\b|<(?:@[!&]?|#)\d+>", re.IGNORECASE)


def slack_pings(text: str) -> list[str]:
    """Ping syntax in Slack text; besides links, only our own <!date^...> tokens may open <."""
    text = SLACK_LINK_TARGET.sub("<LINK", text)
    strays = re.findall(r"<(?!LINK|!date\^)\S{0,12}", text)
    return SLACK_PINGS.findall(text) + strays


def discord_pings(text: str) -> list[str]:
    return DISCORD_PINGS.findall(text) + DISCORD_PINGS.findall(text.replace("\\", ""))


def strings(value: object, *, skip: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every string inside a JSON-like value (dict keys in ``skip`` left out)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from strings(item, skip=skip)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item, skip=skip)


DISCORD_SKIP = frozenset({"url", "nonce", "id", "channel_id", "message_id", "guild_id"})


def slack_body_pings(body: dict[str, Any]) -> list[str]:
    return [
        hit for text in strings(body, skip=frozenset({"metadata"})) for hit in slack_pings(text)
    ]


def discord_body_pings(body: object) -> list[str]:
    return [hit for text in strings(body, skip=DISCORD_SKIP) for hit in discord_pings(text)]


# --- hostile content ---------------------------------------------------------------------


@cache
def hostile_summary() -> Summary:
    """The real pipeline on the hostile page, with every figure part and the link made hostile."""
    article = extract_article(PAGE.encode(), "https://news.example.org/story")
    summary = summarize_article(replace(article, canonical_url=HOSTILE_URL), 10, "newsbrief")
    assert HOSTILE in summary.article.title and HOSTILE in (summary.article.source or "")
    assert all(HOSTILE in sentence for sentence in summary.sentences)
    figures = [
        replace(f, qualifier=HOSTILE, counted=HOSTILE, period=HOSTILE) for f in summary.figures
    ]
    return replace(summary, figures=(*figures, *summary.figures))


@cache
def hostile_digest(copies: int = 1) -> Digest:
    """A digest built by build_digest from the hostile article, with every field hostile."""
    lead = hostile_summary()
    wire = "https://wire.example/1"
    other = replace(lead.article, source=f"Wire {HOSTILE}", url=wire, canonical_url=wire)
    candidates = [DigestCandidate(lead), DigestCandidate(replace(lead, article=other))]
    candidates += [_another_story(lead, number) for number in range(copies - 1)]
    digest = build_digest(candidates, topic="migration", since=SINCE, until=UNTIL, limit=copies)
    conflict = FigureConflict(HOSTILE, ((HOSTILE, HOSTILE), ("1,300", f"Wire {HOSTILE}")))
    stories = tuple(replace(story, conflicts=(conflict,)) for story in digest.stories)
    assert len(stories[0].outlets) == 2  # both outlets, each with a hostile name
    return replace(
        digest,
        stories=stories,
        more_stories=3,
        more_links=(HOSTILE_URL, f"https://x.example/{HOSTILE}", "https://y.example/@here"),
        feeds_failed=(f"{HOSTILE} could not be read.",),
    )


def _another_story(summary: Summary, number: int) -> DigestCandidate:
    article = replace(
        summary.article,
        title=f"Story {number} {HOSTILE}",
        canonical_url=f"https://n.example/{number}?x=@here",
        text=f"Story {number}. " * 40,
    )
    return DigestCandidate(replace(summary, article=article))


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await open_store(tmp_path / "nb.db") as opened:
        yield opened


async def echoed_replies(commands: Commands, feed_url: str, caller: Caller) -> dict[str, Reply]:
    """The command layer's text answers that repeat a feed's or the user's words."""
    replies = {
        "feeds add": await commands.handle(Request(caller, f"feeds add {feed_url}")),
        "feeds list": await commands.handle(Request(caller, "feeds list")),
        "help": await commands.handle(Request(caller, "help")),
    }
    for number, mention in enumerate(MENTIONS):
        for command in (f"{mention}", f"subscribe {mention}", f"settings language {mention}"):
            replies[f"{command.split()[0]} {number}"] = await commands.handle(
                Request(caller, command)
            )
    replies["feeds remove"] = await commands.handle(Request(caller, f"feeds remove {HOSTILE}"))
    for echoed in ("feeds add", "feeds list"):  # feedparser drops the <!...> forms itself
        assert "@everyone" in replies[echoed].text and "<@&456>" in replies[echoed].text
    assert sum("@everyone" in reply.text for reply in replies.values()) >= 4  # echoes happen
    return replies


@pytest.fixture
async def every_reply(settings: Settings, store: Store, web: WebServer) -> dict[str, Reply]:
    """One of each reply kind, hostile: summary, digests, and every echoing text answer."""
    web.respond("/feed.xml", FEED, content_type="application/rss+xml")
    async with Summarizer(settings) as summarizer:
        commands = Commands(summarizer, store, limits=SummarizeLimits())
        manager = Caller("slack", "C1", "U1", can_manage=True)
        replies = await echoed_replies(commands, web.url("/feed.xml"), manager)
    return replies | {
        "summary": Reply(summary=hostile_summary()),
        "summary es": Reply(summary=hostile_summary(), language="es"),
        "digest": Reply(digest=hostile_digest()),
        "long digest": Reply(digest=hostile_digest(40)),
        "failure": Reply.failure(f"That page from {HOSTILE} could not be read."),
    }


# --- every renderer ----------------------------------------------------------------------


def test_every_slack_rendering_is_inert(every_reply: dict[str, Reply]) -> None:
    rendered = 0
    for name, reply in every_reply.items():
        for message in slack_render.reply_messages(reply):
            assert slack_body_pings(message.payload()) == [], name
            rendered += 1
    assert rendered > len(every_reply)  # the long digest went out as several messages
    assert slack_render.figure_mrkdwn(hostile_summary().figures[0]).count("&lt;") >= 10


def test_every_discord_rendering_is_inert(every_reply: dict[str, Reply]) -> None:
    for name, reply in every_reply.items():
        for outgoing in discord_render.reply_messages(reply):
            payload = {
                "content": outgoing.content,
                "embeds": [embed.to_dict() for embed in outgoing.embeds or []],
            }
            assert discord_body_pings(payload) == [], name
    parts = discord_render.digest_parts(hostile_digest(40), delivery_key="slack:C1:migration")
    assert len(parts) > 1
    for part in parts:
        assert discord_body_pings([embed.to_dict() for embed in part.embeds]) == []


def test_the_hostile_input_really_holds_every_ping() -> None:
    raw = " ".join([HOSTILE, HOSTILE_URL])
    assert len(set(slack_pings(raw))) >= 8 and len(set(discord_pings(raw))) >= 6


# --- end to end: Slack -------------------------------------------------------------------


class FixedDigests:
    """The digest previewer the `digest` command asks: answers the hostile digest."""

    async def preview(self, caller: Caller, topic: str, *, sentences: int, now: datetime) -> Digest:
        return hostile_digest()


async def test_nothing_the_slack_app_sends_can_ping(settings: Settings, web: WebServer) -> None:
    web.respond("/story", PAGE)
    web.respond("/feed.xml", FEED, content_type="application/rss+xml")
    story = web.url("/story")
    options = {"digests": FixedDigests(), "limits": SummarizeLimits()}
    async with slack_rig(settings, commands_options=options) as rig:
        commands = {
            "on": "settings autosummarize on",
            "summary": f"summarize {story}",
            "digest": "digest",
            "add": f"feeds add {web.url('/feed.xml')}",
            "list": "feeds list",
            "echo": "@everyone",
            "topic": "subscribe @here",
            "setting": "settings language @channel",
            "help": "help",
            "failure": f"summarize {web.url('/missing')}",
        }
        for key, text in commands.items():
            await rig.slash_command(text, key=key)
            await rig.fake.wait_for_response(key)
        await rig.event(message_event(f"see <{story}>", ts="1.1"), event_id="Ev1")
        await rig.shortcut({"type": "message", "user": "U2", "ts": "1.2", "text": story}, key="s")
        await rig.adapter.send_digest("C0NEWS", hostile_digest(), delivery_key="k", language="en")
        await rig.fake.wait_for_posts(3, "C0NEWS")
        await rig.adapter.drain(5)
        bodies = [post.body for post in rig.fake.responses] + rig.fake.posts()

    assert len(bodies) >= len(commands) + 3
    sent = json.dumps(bodies, ensure_ascii=False)
    assert "＠everyone" in sent and "&lt;!channel&gt;" in sent  # the words are there, inert
    for body in bodies:
        assert slack_body_pings(body) == [], body


# --- end to end: Discord -----------------------------------------------------------------


async def auto_summarize(rig: DiscordRig) -> None:
    await rig.store.save_channel_settings(
        ChannelSettings("discord", rig.fake.channel_id("news"), auto_summarize=True)
    )


async def test_nothing_the_discord_bot_sends_can_ping(settings: Settings, web: WebServer) -> None:
    web.respond("/story", PAGE)
    web.respond("/feed.xml", FEED, content_type="application/rss+xml")
    story = web.url("/story")
    options = {"digests": FixedDigests(), "limits": SummarizeLimits()}
    async with discord_rig(settings, message_content=True, commands_options=options) as rig:
        fake = rig.fake
        await auto_summarize(rig)
        interactions = [
            await fake.invoke("summarize", {"url-or-text": story}),
            await fake.invoke("digest"),
            await fake.invoke("feeds add", {"url": web.url("/feed.xml")}),
            await fake.invoke("feeds list"),
            await fake.invoke("subscribe", {"topic": "@everyone"}),
            await fake.invoke("help"),
            await fake.invoke("summarize", {"url-or-text": web.url("/missing")}),
            await fake.invoke_message_command(
                "Summarize article", message_payload(fake.channel_id(), fake.reader, story)
            ),
        ]
        for interaction in interactions:
            await fake.wait_for(lambda i=interaction: i.replies)
        pasted = await fake.post_message(f"have a look {story}")  # auto: a thread
        await fake.post_message(f"<@{fake.bot['id']}> {story}")  # addressed: a reply
        await rig.adapter.send_digest(
            fake.channel_id("digest"), hostile_digest(), delivery_key="k", language="en"
        )
        await fake.wait_for(lambda: fake.bot_messages(pasted["id"]))
        await fake.wait_for(lambda: len(fake.bot_messages("news")) >= 1)
        payloads = fake.bot_payloads()
        threads = [call.body for call in fake.calls_to("POST", r"/threads$")]

    assert len(payloads) >= len(interactions) + 3 and len(threads) == 1
    sent = json.dumps(payloads, ensure_ascii=False)
    assert "@\u200beveryone" in sent and "<\u200b@&456>" in sent  # the words are there, inert
    assert discord_body_pings(threads) == [] and "@\u200beveryone" in threads[0]["name"]
    for payload in payloads:
        data = payload.get("data", payload)  # interaction callbacks wrap the message in data
        assert discord_body_pings(data) == [], data
        if data.get("content") or data.get("embeds"):
            assert data["allowed_mentions"]["parse"] == [], data
