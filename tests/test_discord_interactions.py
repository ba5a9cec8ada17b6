"""Slash commands and the context menu, through the real discord.py client and a local Discord."""

from __future__ import annotations

import json
from pathlib import Path

from fakes.discord_api import EPHEMERAL, LOADING, FakeDiscord
from fakes.discord_harness import discord_rig, discord_settings
from fakes.discord_payloads import BOT_PERMISSIONS, EMBED_LINKS
from fakes.discord_payloads import message as message_payload
from webserver import WebServer

from adapters.discord import DiscordAdapter
from bot.chat.commands import Commands
from bot.config import Settings
from bot.service import Summarizer
from bot.store import open_store

SEED_HTML = (
    Path(__file__).parent / "fixtures" / "seed" / "bbc-us-mexico-migration.html"
).read_bytes()
TITLE = "US and Mexico look to stem ‘unprecedented’ migrant flow"


async def test_summarize_defers_then_posts_an_embed_with_summary_and_figures(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings) as rig:
        interaction = await rig.fake.invoke("summarize", {"url-or-text": web.url("/story")})
        await rig.fake.wait_for(lambda: interaction.replies)

    (_, first), *_ = interaction.callbacks
    assert first["type"] == 5  # deferred: "Newsbrief is thinking..."
    assert not (first.get("data") or {}).get("flags", 0) & EPHEMERAL
    assert len(interaction.callbacks) == 1
    (reply,) = interaction.replies
    assert not reply["flags"] & (EPHEMERAL | LOADING)
    (embed,) = reply["embeds"]
    assert embed["title"] == TITLE
    assert embed["url"] == "https://www.bbc.com/news/world-us-canada-67832911"
    assert "crack down on migrant smugglers" in embed["description"]
    figure_names = [field["name"] for field in embed["fields"]]
    assert any("190,000" in name and "apprehensions" in name for name in figure_names)
    assert embed["footer"]["text"] == "BBC News · 2023-12-28"
    assert reply["allowed_mentions"] == {"parse": []}


async def test_a_failed_summary_comes_back_privately_in_one_sentence(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/gone", "<h1>Not here</h1>", status=404)
    async with discord_rig(settings) as rig:
        interaction = await rig.fake.invoke("summarize", {"url-or-text": web.url("/gone")})
        await rig.fake.wait_for(lambda: interaction.replies)

    placeholder = interaction.messages[0]
    assert placeholder.get("deleted")  # the public "thinking..." went away
    (reply,) = interaction.replies
    assert reply["flags"] & EPHEMERAL
    assert reply["content"].count(".") == 1 and "404" in reply["content"]
    assert "embeds" not in reply or not reply["embeds"]


async def test_summarize_article_context_menu_summarizes_the_linked_page(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings) as rig:
        target = message_payload(
            rig.fake.channel_id(), rig.fake.reader, f"worth reading: {web.url('/story')}"
        )
        interaction = await rig.fake.invoke_message_command("Summarize article", target)
        await rig.fake.wait_for(lambda: interaction.replies)

    assert interaction.callbacks[0][1]["type"] == 5
    (reply,) = interaction.replies
    assert reply["embeds"][0]["title"] == TITLE
    assert web.hits["/story"] == 1


async def test_context_menu_on_a_message_without_an_article_answers_privately(
    settings: Settings,
) -> None:
    async with discord_rig(settings) as rig:
        target = message_payload(rig.fake.channel_id(), rig.fake.reader, "")
        interaction = await rig.fake.invoke_message_command("Summarize article", target)
        await rig.fake.wait_for(lambda: interaction.replies)

    (_, callback), *_ = interaction.callbacks
    assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["content"] == "That message has no link or article text to summarize."


async def test_subscribe_is_refused_without_manage_channels(settings: Settings) -> None:
    async with discord_rig(settings) as rig:
        interaction = await rig.fake.invoke("subscribe", {"time": "08:00"}, manager=False)
        await rig.fake.wait_for(lambda: interaction.replies)
        subscriptions = await rig.store.list_subscriptions(platform="discord")

    (_, callback), *_ = interaction.callbacks
    assert callback["type"] == 4  # refused at once, no "thinking..." shown to the channel
    assert callback["data"]["flags"] & EPHEMERAL
    assert "Manage Channels" in callback["data"]["content"]
    assert subscriptions == []


async def test_subscribe_with_manage_channels_saves_the_subscription(settings: Settings) -> None:
    async with discord_rig(settings) as rig:
        options = {"time": "06:30", "timezone": "America/Mexico_City"}
        interaction = await rig.fake.invoke("subscribe", options, manager=True)
        await rig.fake.wait_for(lambda: interaction.replies)
        (subscription,) = await rig.store.list_subscriptions(platform="discord")

    assert subscription.channel == rig.fake.channel_id()
    assert (subscription.local_time, subscription.timezone) == ("06:30", "America/Mexico_City")
    (reply,) = interaction.replies
    assert reply["content"].startswith("Subscribed:")
    assert not reply["flags"] & EPHEMERAL


async def test_subscribe_where_the_bot_cannot_post_says_which_permissions_it_needs(
    settings: Settings,
) -> None:
    async with discord_rig(settings) as rig:
        cannot_embed = BOT_PERMISSIONS & ~EMBED_LINKS
        interaction = await rig.fake.invoke("subscribe", bot_permissions=cannot_embed)
        await rig.fake.wait_for(lambda: interaction.replies)
        subscriptions = await rig.store.list_subscriptions(platform="discord")

    (_, callback), *_ = interaction.callbacks
    assert callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["content"] == (
        "I can't post digests here; give Newsbrief Embed Links in this channel first."
    )
    assert subscriptions == []


async def test_admin_commands_are_hidden_from_members_by_default(settings: Settings) -> None:
    async with discord_rig(settings) as rig:
        commands = {c["name"]: c for c in rig.fake.commands["global"]}

    assert int(commands["subscribe"]["default_member_permissions"]) == 1 << 4
    assert int(commands["unsubscribe"]["default_member_permissions"]) == 1 << 4
    assert commands["summarize"]["default_member_permissions"] is None
    assert commands["Summarize article"]["type"] == 3


async def test_time_zone_autocomplete_offers_matching_zones(settings: Settings) -> None:
    async with discord_rig(settings) as rig:
        interaction = await rig.fake.invoke("subscribe", {"timezone": "mexico"}, focused="timezone")
        await rig.fake.wait_for(lambda: interaction.callbacks)

    (_, callback), *_ = interaction.callbacks
    assert callback["type"] == 8
    values = [choice["value"] for choice in callback["data"]["choices"]]
    assert "America/Mexico_City" in values and len(values) <= 25
    assert all("mexico" in value.lower() for value in values)


async def test_settings_change_and_show(settings: Settings) -> None:
    async with discord_rig(settings) as rig:
        change = await rig.fake.invoke("settings", {"autosummarize": True, "sentences": 2})
        await rig.fake.wait_for(lambda: change.replies)
        show = await rig.fake.invoke("settings", manager=False)
        await rig.fake.wait_for(lambda: show.replies)
        saved = await rig.store.channel_settings("discord", rig.fake.channel_id())

    assert (saved.auto_summarize, saved.sentences) == (True, 2)
    assert not change.replies[0]["flags"] & EPHEMERAL
    assert show.callbacks[0][1]["data"]["flags"] & EPHEMERAL  # only the caller sees it
    assert "2 sentences" in show.replies[0]["content"]


async def test_feeds_add_is_refused_without_manage_channels_but_list_is_open(
    settings: Settings,
) -> None:
    async with discord_rig(settings) as rig:
        add = await rig.fake.invoke("feeds add", {"url": "https://example.com/feed"}, manager=False)
        listing = await rig.fake.invoke("feeds list", manager=False)
        await rig.fake.wait_for(lambda: add.replies and listing.replies)
        feeds = await rig.store.list_feeds()

    assert "Manage Channels" in add.replies[0]["content"]
    assert feeds == []
    assert listing.replies[0]["content"].startswith("No feeds yet")


async def test_help_answers_at_once_and_lists_the_slash_commands(settings: Settings) -> None:
    async with discord_rig(settings) as rig:
        interaction = await rig.fake.invoke("help")
        await rig.fake.wait_for(lambda: interaction.replies)

    (_, callback), *_ = interaction.callbacks
    assert callback["type"] == 4 and callback["data"]["flags"] & EPHEMERAL
    for command in ("/summarize", "/subscribe", "/feeds add", "/settings", "Summarize article"):
        assert command in callback["data"]["content"]


async def test_an_article_mentioning_everyone_pings_nobody(
    settings: Settings, web: WebServer
) -> None:
    pings = b"@everyone @here <@123456789012345678> <@&223456789012345678>:"
    pinging = SEED_HTML.replace(
        b"The US and Mexico have vowed", pings + b" The US and Mexico have vowed"
    ).replace(b'content="US and Mexico look', b'content="@everyone US and Mexico look')
    web.respond("/pinging", pinging)
    async with discord_rig(settings) as rig:
        interaction = await rig.fake.invoke("summarize", {"url-or-text": web.url("/pinging")})
        await rig.fake.wait_for(lambda: interaction.replies)
        payloads = rig.fake.bot_payloads()

    sent = json.dumps(payloads, ensure_ascii=False)
    assert "US and Mexico have vowed" in sent  # the sentence is there ...
    assert "@\u200beveryone US and Mexico look" in sent  # the title too
    for ping in ("@everyone", "@here", "<@123456789012345678>", "<@&223456789012345678>"):
        assert ping not in sent  # ... but defused
    for payload in payloads:
        data = payload.get("data", payload)
        if data.get("content") or data.get("embeds"):
            assert data["allowed_mentions"] == {"parse": []}


async def test_commands_are_synced_only_when_they_changed(settings: Settings) -> None:
    async with FakeDiscord() as fake:
        bot_settings = discord_settings(settings, fake, discord_gateway_url=None)
        async with await open_store(bot_settings.db_path) as store, Summarizer(bot_settings) as s:
            for _ in range(2):
                adapter = DiscordAdapter(bot_settings, Commands(s, store), guild_ready_timeout=0.05)
                await adapter.start(timeout=10)
                await adapter.aclose()

    assert fake.command_syncs == ["global"]  # the second start found nothing to change
    assert fake.gateway.identifies == 2
    assert len(fake.calls_to("GET", r"/gateway/bot$")) == 2  # no gateway URL set: asked the API


async def test_guild_ids_sync_commands_to_those_guilds(settings: Settings) -> None:
    async with discord_rig(settings, discord_guild_ids="") as plain:
        assert plain.fake.command_syncs == ["global"]
    async with FakeDiscord() as fake:
        guild = str(fake.guild_id)
        bot_settings = discord_settings(settings, fake, discord_guild_ids=guild)
        async with await open_store(bot_settings.db_path) as store, Summarizer(bot_settings) as s:
            adapter = DiscordAdapter(bot_settings, Commands(s, store), guild_ready_timeout=0.05)
            await adapter.start(timeout=10)
            try:
                interaction = await fake.invoke("help")
                await fake.wait_for(lambda: interaction.replies)
            finally:
                await adapter.aclose()

    assert fake.command_syncs == [guild]
    assert {c["name"] for c in fake.commands[guild]} >= {"summarize", "Summarize article"}
