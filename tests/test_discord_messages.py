"""Pasted links and @mentions through the real discord.py client, with and without the
message-content intent; and a gateway that drops and resumes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fakes.discord_harness import DiscordRig, discord_rig
from fakes.discord_payloads import INTENT_MESSAGE_CONTENT
from fakes.discord_payloads import user as user_payload
from webserver import WebServer

from bot.config import Settings
from bot.errors import ConfigurationError
from bot.store import ChannelSettings

SEED_HTML = (
    Path(__file__).parent / "fixtures" / "seed" / "bbc-us-mexico-migration.html"
).read_bytes()
TITLE = "US and Mexico look to stem ‘unprecedented’ migrant flow"


async def auto_summarize(rig: DiscordRig, channel: str = "news") -> None:
    await rig.store.save_channel_settings(
        ChannelSettings("discord", rig.fake.channel_id(channel), auto_summarize=True)
    )


async def settle(rig: DiscordRig) -> None:
    """Let the bot finish anything it was going to do (it answers in well under a second)."""
    await asyncio.sleep(0.5)


async def test_with_the_content_intent_a_pasted_link_gets_a_summary_in_a_thread(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings, message_content=True) as rig:
        await auto_summarize(rig)
        posted = await rig.fake.post_message(f"Have you seen {web.url('/story')} ?")
        await rig.fake.wait_for(lambda: rig.fake.bot_messages(posted["id"]))
        await settle(rig)
        threads = rig.fake.calls_to("POST", rf"/messages/{posted['id']}/threads$")

    assert rig.fake.gateway.wants(INTENT_MESSAGE_CONTENT)  # requested: the app allows it
    assert len(threads) == 1 and threads[0].body["name"] == TITLE
    (summary,) = rig.fake.bot_messages(posted["id"])  # the thread has the message's id
    assert summary["embeds"][0]["title"] == TITLE
    assert summary["allowed_mentions"] == {"parse": []}
    assert rig.fake.bot_messages("news") == []  # nothing in the channel itself


async def test_a_pasted_link_is_ignored_where_auto_summarize_is_off(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings, message_content=True) as rig:
        await rig.fake.post_message(f"Have you seen {web.url('/story')} ?")
        await settle(rig)

    assert web.hits["/story"] == 0
    assert rig.fake.calls_to("POST", r"/messages") == []


async def test_without_the_content_intent_pasted_links_are_not_seen(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings, message_content=False) as rig:
        await auto_summarize(rig)
        await rig.fake.post_message(f"Have you seen {web.url('/story')} ?")
        await settle(rig)

    assert not rig.fake.gateway.wants(INTENT_MESSAGE_CONTENT)  # never asked for it
    assert web.hits["/story"] == 0
    assert rig.fake.calls_to("POST", r"/messages") == []


async def test_without_the_content_intent_a_mention_with_a_link_gets_a_reply(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings, message_content=False) as rig:
        bot_id = rig.fake.bot["id"]
        posted = await rig.fake.post_message(f"<@{bot_id}> summarize {web.url('/story')}")
        await rig.fake.wait_for(lambda: rig.fake.bot_messages("news"))

    (reply,) = rig.fake.bot_messages("news")
    assert str(reply["message_reference"]["message_id"]) == posted["id"]
    assert reply["embeds"][0]["title"] == TITLE
    assert reply["allowed_mentions"] == {"parse": [], "replied_user": False}


async def test_a_mention_without_a_link_says_what_to_send(settings: Settings) -> None:
    async with discord_rig(settings) as rig:
        await rig.fake.post_message(f"<@{rig.fake.bot['id']}> hello")
        await rig.fake.wait_for(lambda: rig.fake.bot_messages("news"))

    (reply,) = rig.fake.bot_messages("news")
    assert reply["content"] == "Send me an article link and I'll summarize it."


async def test_bot_messages_are_never_answered(settings: Settings, web: WebServer) -> None:
    web.respond("/story", SEED_HTML)
    other_bot = user_payload(4242, "OtherBot", bot=True)
    async with discord_rig(settings, message_content=True) as rig:
        await auto_summarize(rig)
        await rig.fake.post_message(f"news: {web.url('/story')}", author=other_bot)
        await rig.fake.post_message(
            f"<@{rig.fake.bot['id']}> {web.url('/story')}", author=other_bot
        )
        await settle(rig)

    assert web.hits["/story"] == 0
    assert rig.fake.calls_to("POST", r"/messages") == []


async def test_a_message_delivered_twice_is_answered_once(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings, message_content=True) as rig:
        await auto_summarize(rig)
        posted = await rig.fake.post_message(f"{web.url('/story')}")
        await rig.fake.gateway.dispatch("MESSAGE_CREATE", posted)  # the same event again
        await rig.fake.wait_for(lambda: rig.fake.bot_messages(posted["id"]))
        await settle(rig)

    assert len(rig.fake.calls_to("POST", r"/threads$")) == 1
    assert len(rig.fake.bot_messages(posted["id"])) == 1
    assert web.hits["/story"] == 1


async def test_asking_for_a_disallowed_content_intent_fails_start_up(settings: Settings) -> None:
    with pytest.raises(ConfigurationError, match="message content intent"):
        async with discord_rig(
            settings, message_content=False, adapter_options={"message_content": True}
        ):
            pass


async def test_after_a_dropped_connection_the_bot_resumes_and_misses_nothing(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(settings) as rig:
        await rig.fake.gateway.drop()
        # Sent while the bot is away: Discord replays it when the session resumes.
        interaction = await rig.fake.invoke("summarize", {"url-or-text": web.url("/story")})
        await rig.fake.wait_for(lambda: interaction.replies)

    assert rig.fake.gateway.identifies == 1
    assert rig.fake.gateway.resumes == 1
    assert rig.fake.gateway.connections == ["/gateway", "/gateway-resume"]
    assert interaction.replies[0]["embeds"][0]["title"] == TITLE


async def test_a_reconnect_request_resumes_the_session(settings: Settings) -> None:
    async with discord_rig(settings) as rig:
        await rig.fake.gateway.reconnect_request()
        await rig.fake.wait_for(lambda: rig.fake.gateway.resumes == 1)
        interaction = await rig.fake.invoke("help")
        await rig.fake.wait_for(lambda: interaction.replies)

    assert rig.fake.gateway.identifies == 1
