"""The command layer as a user meets it: a conversation with the console chat, for real."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from webserver import WebServer

from adapters.console import ConsoleAdapter
from adapters.runner import run_bot
from bot.chat.commands import Commands, find_links
from bot.chat.requests import Caller, Request
from bot.config import Settings
from bot.service import Summarizer
from bot.store import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures"
SEED_HTML = (FIXTURES / "seed" / "bbc-us-mexico-migration.html").read_bytes()
FEED = (FIXTURES / "feeds" / "guardian.rss").read_bytes()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await open_store(tmp_path / "nb.db") as opened:
        yield opened


@pytest.fixture
async def chat(settings: Settings, store: Store) -> AsyncIterator[ConsoleAdapter]:
    async with Summarizer(settings) as summarizer:
        yield ConsoleAdapter(Commands(summarizer, store), stdin=io.StringIO(), stdout=io.StringIO())


async def say(chat: ConsoleAdapter, line: str) -> str:
    """Send one line; the replies' text (summaries rendered as the console shows them)."""
    replies = await chat.handle_line(line)
    out = io.StringIO()
    chat._out = out
    for reply in replies:
        chat._show(reply)
    return out.getvalue()


async def test_pasting_a_link_gets_a_summary_with_figures(chat, web: WebServer) -> None:
    web.respond("/story", SEED_HTML, content_type="text/html")
    answer = await say(chat, f"have a look at {web.url('/story')} please")
    assert answer.startswith("US and Mexico look to stem")
    assert "Key figures" in answer and "190,000" in answer


async def test_commands_work_without_a_slash_and_help_says_so(chat) -> None:
    answer = await say(chat, "help")
    assert "subscriptions" in answer and "may start with / or not" in answer
    assert "This channel has no daily digest" in await say(chat, "subscriptions") or (
        "no" in await say(chat, "SUBSCRIPTIONS")
    )
    # A pasted article that happens to start with a command word is still an article.
    article = "Help arrived for 1,200 migrants on Tuesday. " * 8
    assert "Key figures" in await say(chat, article)


async def test_summarize_reads_a_saved_page_or_text_file(chat, tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_bytes(SEED_HTML)
    answer = await say(chat, f"/summarize {page}")
    assert answer.startswith("US and Mexico look to stem") and "190,000" in answer
    text = tmp_path / "story.txt"
    text.write_text(
        (FIXTURES.parent.parent / "examples" / "bbc-us-mexico-migration.txt").read_text()
    )
    two = await say(chat, f"summarize 2 {text}")
    assert "190,000" in two or "Key figures" in two
    assert "key figures in" in await say(chat, "figures")
    assert "sentence" in await say(chat, "sources")
    assert "between 1 and 10" in await say(chat, f"summarize 0 {text}")
    assert "too short" in await say(chat, f"summarize {tmp_path / 'missing.txt'}")


async def test_subscribe_settings_and_unsubscribe(chat, store: Store) -> None:
    answer = await say(chat, "/subscribe 7:30 America/Mexico_City")
    assert "every day at 07:30 America/Mexico_City" in answer
    [subscription] = await store.list_subscriptions(platform="console", channel="console")
    assert (subscription.topic, subscription.local_time) == ("migration", "07:30")

    assert "is not a time zone" in await say(chat, "/subscribe 07:00 Mars/Olympus")
    assert "is not a time" in await say(chat, "/subscribe 25:00")
    assert "4 sentences" in await say(chat, "/settings sentences 4 autosummarize on")
    settings = await store.channel_settings("console", "console")
    assert settings.sentences == 4 and settings.auto_summarize
    assert "can't set" in await say(chat, "/settings sentences 99")
    assert "Unsubscribed" in await say(chat, "/unsubscribe")
    assert await store.list_subscriptions(platform="console", channel="console") == []
    assert "no digest subscription" in await say(chat, "/unsubscribe")


async def test_feeds_add_checks_the_feed_and_remove(chat, store: Store, web: WebServer) -> None:
    web.respond("/rss", FEED, content_type="application/rss+xml")
    web.respond("/not-a-feed", b"<html><body>hello</body></html>", content_type="text/html")
    assert "Added the feed" in await say(chat, f"/feeds add {web.url('/rss')}")
    assert [f.url for f in await store.list_feeds()] == [web.url("/rss")]
    refused = await say(chat, f"/feeds add {web.url('/not-a-feed')}")
    assert "feed" in refused.lower() and len(await store.list_feeds()) == 1
    assert web.url("/rss") in await say(chat, "/feeds list")
    assert "Removed" in await say(chat, f"/feeds remove {web.url('/rss')}")
    assert await store.list_feeds() == []


async def test_failures_are_one_sentence(chat, web: WebServer) -> None:
    web.respond("/gone", b"", status=404)
    for line, expected in [
        (f"/summarize {web.url('/gone')}", "404"),
        ("/summarize ftp://example.com/story", "http"),
        ("/summarize too short to be an article", "too short"),
        ("/frobnicate", "don't know the command"),
        ("hello there", "or help"),
    ]:
        answer = await say(chat, line)
        assert expected in answer, (line, answer)
        assert answer.count("\n") == 1 and "Traceback" not in answer


async def test_rights_are_checked(settings: Settings, store: Store) -> None:
    async with Summarizer(settings) as summarizer:
        commands = Commands(summarizer, store)
        reader = Caller("slack", "C1", "U1", can_manage=False)
        for text in ("subscribe", "unsubscribe", "feeds add http://x", "settings sentences 2"):
            reply = await commands.handle(Request(reader, text))
            assert reply.error and reply.ephemeral and "manage" in reply.text
        assert not (await commands.handle(Request(reader, "settings"))).error


def test_links_are_found_in_chat_text() -> None:
    text = "see <https://a.example/x|this> and https://b.example/y, also (https://c.example/z)."
    assert find_links(text) == ["https://a.example/x", "https://b.example/y", "https://c.example/z"]


async def test_run_without_tokens_is_a_console_chat(
    settings: Settings, web: WebServer, tmp_path: Path
) -> None:
    web.respond("/story", SEED_HTML, content_type="text/html")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("# an empty feed list: nothing to poll in this test\n")
    settings = settings.model_copy(update={"db_path": tmp_path / "run.db", "feeds_file": feeds})
    stdin = io.StringIO(f"/subscribe 06:00 Europe/Madrid\n{web.url('/story')}\n/quit\n")
    stdout = io.StringIO()
    await asyncio.wait_for(run_bot(settings, stdin=stdin, stdout=stdout), 30)
    text = stdout.getvalue()
    assert "every day at 06:00 Europe/Madrid" in text
    assert "190,000" in text
    async with await open_store(tmp_path / "run.db") as store:
        assert len(await store.list_subscriptions()) == 1
        assert await store.integrity_check()
