"""What editors type in chat: 12-hour times, any IANA zone, the default zone, subscriptions,
an inline summary length and Slack's own help lines, through console, Slack and Discord."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.discord_harness import discord_rig
from fakes.slack_harness import slack_rig
from pydantic import ValidationError
from webserver import WebServer

from adapters.console import ConsoleAdapter
from bot.chat.commands import Commands
from bot.config import Settings
from bot.service import Summarizer
from bot.store import Store, open_store

SEED_HTML = (
    Path(__file__).parent / "fixtures" / "seed" / "bbc-us-mexico-migration.html"
).read_bytes()
NOW = datetime(2024, 3, 5, 10, 0, tzinfo=UTC)  # a Tuesday


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with await open_store(tmp_path / "nb.db") as opened:
        yield opened


async def console(settings: Settings, store: Store) -> tuple[ConsoleAdapter, Summarizer]:
    summarizer = Summarizer(settings)
    commands = Commands(summarizer, store, clock=lambda: NOW)
    return ConsoleAdapter(commands, stdin=io.StringIO(), stdout=io.StringIO()), summarizer


async def say(chat: ConsoleAdapter, line: str) -> str:
    replies = await chat.handle_line(line)
    out = io.StringIO()
    chat._out = out
    for reply in replies:
        chat._show(reply)
    return out.getvalue()


async def test_twelve_hour_times_and_any_iana_key_subscribe(settings: Settings, store: Store):
    chat, summarizer = await console(settings, store)
    async with summarizer:
        assert "every day at 07:00 EST" in await say(chat, "/subscribe 7am EST")
        assert "every day at 19:30 America/Mexico_City" in await say(
            chat, "/subscribe 7:30pm america/mexico_city"
        )
        assert "every day at 07:00 Japan" in await say(chat, "/subscribe 7 am japan")
        assert "every day at 00:15 UTC" in await say(chat, "/subscribe 12:15am")
        assert "is not a time" in await say(chat, "/subscribe 13pm")
        assert "not a time zone" in await say(chat, "/subscribe 7am America/Argentina")
    (subscription,) = await store.list_subscriptions(platform="console", channel="console")
    assert (subscription.local_time, subscription.timezone) == ("00:15", "UTC")


async def test_the_default_time_zone_setting_is_used_and_checked(
    settings: Settings, store: Store
) -> None:
    zoned = settings.model_copy(update={"default_timezone": "Europe/Madrid"})
    chat, summarizer = await console(zoned, store)
    async with summarizer:
        assert "every day at 07:00 Europe/Madrid" in await say(chat, "/subscribe 7am")
        assert "migration at 07:00 Europe/Madrid" in await say(chat, "/help")
    assert type(settings)(default_timezone="est").default_timezone == "EST"
    for wrong in ("Mars/Olympus", "America/Argentina", ""):
        with pytest.raises(ValidationError, match="must be an IANA time zone"):
            type(settings)(default_timezone=wrong)


async def test_subscriptions_lists_each_digest_and_its_next_run(
    settings: Settings, store: Store
) -> None:
    chat, summarizer = await console(settings, store)
    async with summarizer:
        assert "no daily digest" in await say(chat, "/subscriptions")
        await say(chat, "/subscribe 7am Europe/Madrid")
        answer = await say(chat, "/subscriptions")
    assert "Daily digests in this channel (1):" in answer
    # 10:00 UTC on Tuesday is 11:00 in Madrid: the next 07:00 there is Wednesday's.
    assert "migration daily at 07:00 Europe/Madrid: next Wed 06 Mar 07:00 (CET)" in answer


async def test_summarize_takes_a_length_before_the_link(
    settings: Settings, store: Store, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML, content_type="text/html")
    chat, summarizer = await console(settings, store)
    async with summarizer:
        five = await say(chat, f"/summarize 5 {web.url('/story')}")
        one = await say(chat, f"/summarize 1 {web.url('/story')}")
        too_long = await say(chat, f"/summarize 11 {web.url('/story')}")
    assert five.startswith("US and Mexico look to stem")
    bullets = re.compile(r"^  • ", re.MULTILINE)
    summary_part = lambda text: text.split("Key figures")[0]  # noqa: E731
    assert len(bullets.findall(summary_part(five))) == 5
    assert len(bullets.findall(summary_part(one))) == 1
    assert "1 to 10 sentences" in too_long and too_long.count("\n") == 1
    from bot.chat.parsing import summary_length  # new in this change: not at module level

    pasted = "3 people died when the boat capsized off the coast, officials said."
    assert summary_length(pasted) == (None, pasted)  # pasted text, not a length


async def test_slack_help_names_the_slash_command_the_shortcut_and_mentions(
    settings: Settings,
) -> None:
    async with slack_rig(settings) as rig:
        await rig.slash_command("help", key="help")
        response = await rig.fake.wait_for_response("help")
        await rig.slash_command("subscribe 7:30pm EST", key="sub")
        await rig.fake.wait_for_response("sub")
        await rig.slash_command("subscriptions", key="list")
        listing = await rig.fake.wait_for_response("list")
    blocks = response.body["blocks"]
    assert blocks[0]["text"]["text"].startswith("```Newsbrief summarizes")
    after = "\n".join(block["text"]["text"] for block in blocks[1:])
    assert "/newsbrief summarize 5" in after
    assert "Summarize article" in after and "Newsbrief &lt;link&gt;" in after
    assert "subscriptions" in blocks[0]["text"]["text"]
    assert "migration daily at 19:30 EST: next" in listing.body["text"]


async def test_discord_lists_subscriptions_and_takes_a_summary_length(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings) as rig:
        sub = await rig.fake.invoke("subscribe", {"time": "7am", "timezone": "est"})
        await rig.fake.wait_for(lambda: sub.replies)
        listing = await rig.fake.invoke("subscriptions")
        await rig.fake.wait_for(lambda: listing.replies)
        options = {"url-or-text": web.url("/story"), "sentences": 2}
        summary = await rig.fake.invoke("summarize", options)
        await rig.fake.wait_for(lambda: summary.replies)
    assert "every day at 07:00 EST" in sub.replies[0]["content"]
    assert "migration daily at 07:00 EST: next" in listing.replies[0]["content"]
    (embed,) = summary.replies[0]["embeds"]
    assert embed["description"].count("• ") == 2
