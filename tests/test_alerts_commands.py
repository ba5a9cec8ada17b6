"""watch / watches / unwatch through the command layer, per tenant; alerts on Discord and console.

The commands run through ``Commands.handle`` as every adapter calls it. Discord's alert goes out
through the adapter's own poster to the fake Discord (no mentions allowed, pings defused); the
console prints it.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from digest_site import NewsSite, article_page
from fakes.discord_harness import discord_rig
from test_mentions import HOSTILE, discord_body_pings
from webserver import WebServer

from adapters.console import ConsoleAdapter
from bot.alerts.service import AlertService
from bot.chat.commands import Commands
from bot.chat.requests import Caller, Reply, Request
from bot.config import Settings
from bot.digests.service import DigestService
from bot.service import Summarizer
from bot.store import Store, open_store

NOW = datetime.now(UTC).replace(microsecond=0)
EDITOR = Caller("slack", "C1", "U1", can_manage=True, tenant="T1")
READER = Caller("slack", "C1", "U2", can_manage=False, tenant="T1")
OTHER_WORKSPACE = Caller("slack", "C1", "U3", can_manage=True, tenant="T2")


async def run(commands: Commands, caller: Caller, text: str) -> Reply:
    return await commands.handle(Request(caller, text))


@pytest.fixture
async def commands(settings: Settings) -> AsyncIterator[Commands]:
    store: Store = await open_store(settings.db_path)
    summarizer = Summarizer(settings)
    yield Commands(summarizer, store)
    await summarizer.aclose()
    await store.aclose()


async def test_watch_list_and_remove(commands: Commands) -> None:
    first = await run(commands, EDITOR, "watch deaths Mediterranean")
    second = await run(commands, EDITOR, "watch apprehensions above 200,000")
    third = await run(commands, EDITOR, 'watch "asylum claims" change 10%')
    listed = await run(commands, READER, "watches")  # anyone may look
    removed = await run(commands, EDITOR, "unwatch 2")
    after = await run(commands, EDITOR, "watches")

    assert not (first.error or second.error or third.error)
    assert first.text.startswith("Watching #1 deaths, Mediterranean")
    assert listed.text.splitlines() == [
        "Figure alerts here:",
        "#1 deaths, Mediterranean",
        "#2 apprehensions, above 200,000",
        "#3 asylum claims, change 10%",
    ]
    assert removed.text == "Removed figure alert #2."
    assert "#2" not in after.text and "#3 asylum claims" in after.text


async def test_only_managers_change_alerts(commands: Commands) -> None:
    await run(commands, EDITOR, "watch deaths")
    refused = [await run(commands, READER, text) for text in ("watch muertes", "unwatch 1")]

    assert all(r.error for r in refused)
    assert {r.text for r in refused} == {"Only people who can manage this channel can change that."}
    assert len(await commands.store.list_watches()) == 1


async def test_tenants_never_see_or_remove_each_others_alerts(commands: Commands) -> None:
    await run(commands, EDITOR, "watch deaths")
    theirs = await run(commands, OTHER_WORKSPACE, "watches")  # same channel id, other workspace
    removal = await run(commands, OTHER_WORKSPACE, "unwatch 1")

    assert theirs.text == "No figure alerts here; add one with watch deaths."
    assert removal.error and removal.text == "There is no figure alert #1 in this channel."
    assert [w.tenant for w in await commands.store.list_watches()] == ["slack:T1"]


@pytest.mark.parametrize(
    "text",
    [
        "watch",
        "watch above 100",
        "watch deaths above",
        "watch deaths above lots",
        "watch deaths change 0%",
        "watch 1234",
        f"watch {'x' * 61}",
        "unwatch",
        "unwatch deaths",
        "unwatch 99",
    ],
)
async def test_bad_input_is_one_sentence(commands: Commands, text: str) -> None:
    reply = await run(commands, EDITOR, text)

    assert reply.error
    assert reply.text.count(". ") == 0 and reply.text.endswith(".")
    assert await commands.store.list_watches() == []


def hostile_site(web: WebServer) -> str:
    """A feed whose one article quotes every ping syntax in its apprehensions sentence."""
    site = NewsSite(web, NOW)
    record = site.articles["synthetic-wire-a"]
    text = record["text"].replace(
        "more than 190,000 apprehensions", f"{HOSTILE} more than 190,000 apprehensions", 1
    )
    page = article_page(record["title"], text, outlet="Wire A", published=NOW)
    web.respond("/a/hostile", page, content_type="text/html")
    entry = site.page("synthetic-wire-a", "/a/talks", outlet="Wire A")
    return site.feed("Border desk", "/feed.xml", [replace(entry, path="/a/hostile")])


async def test_discord_alert_is_one_message_with_no_pings(
    settings: Settings, web: WebServer
) -> None:
    url = hostile_site(web)
    async with discord_rig(settings) as rig:
        channel = rig.fake.channel_id()
        caller = Caller("discord", channel, "42", can_manage=True, tenant="G1")
        await rig.store.add_feed(url)
        reply = await run(rig.commands, caller, "watch detenciones")  # Spanish word, English text
        digests = DigestService(rig.settings, rig.store, rig.commands.summarizer)
        digests.on_ingested = AlertService(
            rig.store, {"discord": rig.adapter.post_notice}
        ).on_ingested
        await digests.refresh()
        await digests.refresh()
        messages = [m for m in rig.fake.bot_messages() if "Figure alert" in m["content"]]

    assert not reply.error
    assert len(messages) == 1
    assert "190,000 apprehensions, in November" in messages[0]["content"]
    assert messages[0]["allowed_mentions"] == {"parse": []}
    assert discord_body_pings(messages[0]) == []


async def test_console_prints_the_alert(settings: Settings, web: WebServer) -> None:
    site = NewsSite(web, NOW)
    url = site.feed("Desk", "/feed.xml", [site.page("seed-bbc", "/bbc/us-mexico", outlet="BBC")])
    out = io.StringIO()
    async with await open_store(settings.db_path) as store, Summarizer(settings) as summarizer:
        commands = Commands(summarizer, store)
        console = ConsoleAdapter(commands, stdin=io.StringIO(), stdout=out)
        await store.add_feed(url)
        (reply,) = await console.handle_line("/watch migrants")
        digests = DigestService(settings, store, summarizer)
        digests.on_ingested = AlertService(store, {"console": console.post_notice}).on_ingested
        await digests.refresh()

    assert reply.text.startswith("Watching #1 migrants")
    printed = out.getvalue()
    assert printed.count("Figure alert (#1 migrants)") == 1
    assert "migrants" in printed.split("Figure alert (#1 migrants):")[1].splitlines()[0]
    assert web.url("/bbc/us-mexico") in printed


async def test_discord_slash_commands_watch_list_and_unwatch(settings: Settings) -> None:
    async with discord_rig(settings) as rig:
        made = await rig.fake.invoke(
            "watch", {"what": "deaths", "place": "Rio Grande", "condition": "above 10"}
        )
        await rig.fake.wait_for(lambda: made.replies)
        refused = await rig.fake.invoke("unwatch", {"alert": 1}, manager=False)
        await rig.fake.wait_for(lambda: refused.callbacks)
        listed = await rig.fake.invoke("watches", manager=False)
        await rig.fake.wait_for(lambda: listed.replies)
        kept = await rig.store.list_watches()
        removed = await rig.fake.invoke("unwatch", {"alert": 1})
        await rig.fake.wait_for(lambda: removed.replies)
        left = await rig.store.list_watches()

    (watch,) = kept
    assert (watch.what, watch.place, watch.condition, watch.threshold) == (
        "deaths",
        "Rio Grande",
        "above",
        10,
    )
    assert watch.platform == "discord" and watch.tenant.startswith("discord:")
    assert "#1 deaths, Rio Grande, above 10" in str(listed.replies)
    assert left == []
