"""Subscriptions that can no longer be delivered are paused, with a log line saying why.

Slack: ``channel_archive``, the bot removed from a channel (``member_left_channel`` naming the
bot, ``channel_left``), ``app_uninstalled`` and ``tokens_revoked``. Discord: the bot removed
from a server, a channel deleted. Through the real adapters and the local fake platforms.
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from fakes.discord_harness import discord_rig
from fakes.slack_harness import SlackRig, slack_rig
from fakes.slack_payloads import BOT_USER_ID

from bot.config import Settings
from bot.store import Store


async def enabled_channels(store: Store, platform: str) -> set[str]:
    subscriptions = await store.list_subscriptions(platform=platform)  # type: ignore[arg-type]
    return {subscription.channel for subscription in subscriptions}


async def wait_for_channels(store: Store, platform: str, expected: set[str]) -> None:
    deadline = time.monotonic() + 10
    while await enabled_channels(store, platform) != expected:
        assert time.monotonic() < deadline, await enabled_channels(store, platform)
        await asyncio.sleep(0.02)


async def slack_subscribe(rig: SlackRig, *channels: str) -> None:
    for channel in channels:
        await rig.slash_command("subscribe 07:00 UTC", key=channel, channel=channel)
        reply = await rig.fake.wait_for_response(channel)
        assert reply.body["text"].startswith("Subscribed"), reply.body
    await wait_for_channels(rig.store, "slack", set(channels))


async def test_slack_channel_events_pause_that_channels_digests(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.digests.lifecycle")
    async with slack_rig(settings) as rig:
        await slack_subscribe(rig, "C0NEWS", "C0DESK", "C0WIRE", "C0ARTS")
        # Someone else leaving a channel changes nothing.
        left = {"type": "member_left_channel", "user": "U0EDITOR", "channel": "C0NEWS"}
        await rig.event(left, event_id="Ev1")
        await rig.event(
            {"type": "channel_archive", "channel": "C0DESK", "user": "U1"}, event_id="Ev2"
        )
        await wait_for_channels(rig.store, "slack", {"C0NEWS", "C0WIRE", "C0ARTS"})
        kicked = {"type": "member_left_channel", "user": BOT_USER_ID, "channel": "C0WIRE"}
        await rig.event(kicked, event_id="Ev3")
        await rig.event({"type": "channel_left", "channel": "C0ARTS"}, event_id="Ev4")
        await wait_for_channels(rig.store, "slack", {"C0NEWS"})
        paused = await rig.store.list_subscriptions(platform="slack", include_disabled=True)
    assert {s.channel for s in paused if not s.enabled} == {"C0DESK", "C0WIRE", "C0ARTS"}
    lines = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "Paused the migration digest of slack channel C0DESK: the channel was archived" in lines
    assert (
        "Paused the migration digest of slack channel C0WIRE: the bot was removed from the channel"
    ) in lines


@pytest.mark.parametrize(
    "event",
    [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"bot": [BOT_USER_ID]}},
    ],
    ids=["app_uninstalled", "tokens_revoked"],
)
async def test_slack_uninstall_or_revoked_token_pauses_every_digest(
    settings: Settings, event: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.digests.lifecycle")
    async with slack_rig(settings) as rig:
        await slack_subscribe(rig, "C0NEWS", "C0DESK")
        user_tokens_only = {"type": "tokens_revoked", "tokens": {"oauth": ["U0EDITOR"]}}
        await rig.event(user_tokens_only, event_id="Ev0")  # a person's token: digests go on
        await rig.event(event, event_id="Ev1")
        await wait_for_channels(rig.store, "slack", set())
    assert sum("Paused the migration digest" in r.getMessage() for r in caplog.records) == 2


async def test_discord_channel_deleted_and_server_removal_pause_digests(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.digests.lifecycle")
    async with discord_rig(settings) as rig:
        for channel in ("news", "digest"):
            interaction = await rig.fake.invoke("subscribe", {"time": "07:00"}, channel=channel)
            await rig.fake.wait_for(lambda interaction=interaction: interaction.replies)
        news, digest = rig.fake.channel_id("news"), rig.fake.channel_id("digest")
        await wait_for_channels(rig.store, "discord", {news, digest})
        await rig.fake.gateway.dispatch("CHANNEL_DELETE", rig.fake.channels["digest"])
        await wait_for_channels(rig.store, "discord", {news})
        await rig.fake.gateway.dispatch(
            "GUILD_DELETE", {"id": str(rig.fake.guild_id), "unavailable": False}
        )
        await wait_for_channels(rig.store, "discord", set())
    lines = [r.getMessage() for r in caplog.records]
    assert f"Paused the migration digest of discord channel {digest}: the channel was deleted" in (
        lines
    )
    assert any(f"channel {news}: the bot was removed from server" in line for line in lines)


async def test_slack_subscribe_where_the_bot_is_not_says_invite_me_first(
    settings: Settings,
) -> None:
    async with slack_rig(settings) as rig:
        rig.fake.not_in_channel.add("C0OUT")
        await rig.slash_command("subscribe 07:00 UTC", key="out", channel="C0OUT")
        refused = await rig.fake.wait_for_response("out")
        assert await rig.store.list_subscriptions(platform="slack", include_disabled=True) == []

        # Invited: the confirmation is a real post in the channel.
        rig.fake.not_in_channel.discard("C0OUT")
        await rig.slash_command("subscribe 07:00 UTC", key="in", channel="C0OUT")
        done = await rig.fake.wait_for_response("in")
        [posted] = rig.fake.posts("C0OUT")
        [kept] = await rig.store.list_subscriptions(platform="slack")

        # Changing it after the bot was removed keeps the digest as it was.
        rig.fake.not_in_channel.add("C0OUT")
        await rig.slash_command("subscribe 09:30 UTC", key="later", channel="C0OUT")
        again = await rig.fake.wait_for_response("later")
        [still] = await rig.store.list_subscriptions(platform="slack")
    assert refused.body["response_type"] == "ephemeral"
    assert refused.body["text"] == "Invite me first: `/invite @Newsbrief`, then subscribe again."
    assert done.body["text"].startswith("Subscribed") and posted["text"] == done.body["text"]
    assert again.body["text"].startswith("Invite me first")
    assert (still.local_time, still.enabled) == (kept.local_time, True) == ("07:00", True)
