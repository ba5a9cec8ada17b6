"""Smaller hostile cases: bidi overrides on the console, mrkdwn in Slack feed titles, and a
database file deleted while the bot runs."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.slack_harness import slack_rig
from webserver import WebServer

from adapters.console import ConsoleAdapter
from bot.chat.commands import Commands
from bot.chat.limits.ratelimit import SummarizeLimits
from bot.config import Settings
from bot.service import Summarizer
from bot.store import open_store

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# "evil.exe" shown as "exe.live" and the like: every bidi embedding, override and isolate.
TRICK = "Report \u202egnp.exe\u202c and \u2066isolated\u2069 \u2067rtl\u2069 \x1b[2J"
BODY = " ".join(
    f"Paragraph {n}: officials said on Monday that 1,200 migrants arrived at the shelter near"
    " the river crossing, and volunteers asked the city for more cots and blankets."
    for n in range(6)
)
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{TRICK}</title>
</head><body><article><h1>{TRICK}</h1><p>{TRICK} {BODY}</p></article></body></html>"""
MARKED = "*Official* _BBC_ ~feed~ `x`"
FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>{title}</title><link>https://wire.example/</link><description>news</description>
<item><title>One</title><link>https://wire.example/1</link></item></channel></rss>"""


@pytest.fixture
async def console(settings: Settings, tmp_path: Path) -> AsyncIterator[ConsoleAdapter]:
    async with await open_store(tmp_path / "nb.db") as store, Summarizer(settings) as summarizer:
        commands = Commands(summarizer, store, limits=SummarizeLimits())
        yield ConsoleAdapter(commands, stdin=io.StringIO(), stdout=io.StringIO())


async def chat(console: ConsoleAdapter, *lines: str) -> str:
    """Run the console over ``lines`` as typed input; everything it printed."""
    console._stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    console._out = io.StringIO()
    await console.start()
    await console.run()
    return console._out.getvalue()


async def test_the_console_prints_no_bidi_override_or_escape(
    console: ConsoleAdapter, web: WebServer
) -> None:
    web.respond("/story", PAGE)
    web.respond("/feed.xml", FEED.format(title=TRICK), content_type="application/rss+xml")
    printed = await chat(
        console, web.url("/story"), f"/feeds add {web.url('/feed.xml')}", "/feeds list"
    )

    assert "gnp.exe" in printed and "isolated" in printed  # the words are there
    assert printed.count("Report gnp.exe and isolated rtl") >= 3  # summary, add and list
    assert not set(BIDI + "\x1b") & set(printed), [c for c in printed if c in BIDI + "\x1b"]


async def test_slack_feeds_list_cannot_be_formatted_by_a_feed_title(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/feed.xml", FEED.format(title=MARKED), content_type="application/rss+xml")
    async with slack_rig(settings) as rig:
        bodies = []
        for key, command in (
            ("add", f"feeds add {web.url('/feed.xml')}"),
            ("list", "feeds list"),
            ("sub", "subscribe 07:00 America/Mexico_City"),
        ):
            await rig.slash_command(command, key=key)
            bodies.append((await rig.fake.wait_for_response(key)).body)

    for body in bodies[:2]:
        shown = body["blocks"][0]["text"]["text"] + body["text"]
        assert "Official" in shown and "BBC" in shown
        assert not re.search(r"[*_~`]", shown), shown
    assert "America/Mexico_City" in bodies[2]["blocks"][0]["text"]["text"]  # as it is typed


async def test_a_database_deleted_while_running_is_noticed_and_said(
    console: ConsoleAdapter, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = await chat(console, "/settings sentences 4")
    assert "4 sentences" in before
    for path in tmp_path.glob("nb.db*"):
        path.unlink()

    after = await chat(console, "/settings sentences 5", "/subscribe 07:00")

    assert after.count("was deleted or replaced while the bot was running") == 2
    assert "Settings here" not in after and "Subscribed" not in after
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "deleted or replaced" in errors[0].getMessage()


async def test_ctrl_d_ending_a_paste_summarizes_it_and_ends_the_chat(
    console: ConsoleAdapter,
) -> None:
    article = (Path(__file__).parents[1] / "examples" / "bbc-us-mexico-migration.txt").read_text()
    # No closing empty lines: the input simply ends (Ctrl-D) after the pasted article.
    printed = await asyncio.wait_for(chat(console, "/paste", *article.splitlines()), timeout=60)

    assert "Key figures" in printed and "190,000" in printed
