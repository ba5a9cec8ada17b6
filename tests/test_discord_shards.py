"""NEWSBRIEF_DISCORD_SHARDS: the real discord.py AutoShardedClient over two shards of the fake
gateway, each server's events on the shard that owns it; "auto" takes Discord's recommended count;
a bad value is one sentence at start."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import discord
import pytest
from discord.http import Route
from fakes.discord_api import FakeDiscord
from fakes.discord_components import buttons, press
from fakes.discord_harness import DiscordRig, discord_rig, discord_settings
from test_discord_digests import FixedDigests, digest_of, seed_summary
from test_startup_errors import run_cli
from webserver import WebServer

from adapters.check import run_checks
from bot.config import Settings
from bot.digests.delivery import DigestDelivery
from bot.errors import ConfigurationError
from bot.models import Summary
from bot.store import ChannelSettings

__all__ = ["seed_summary"]  # the fixture, used here

ROOT = Path(__file__).resolve().parents[1]
SEED_HTML = (ROOT / "tests" / "fixtures" / "seed" / "bbc-us-mexico-migration.html").read_bytes()
TITLE = "US and Mexico look to stem ‘unprecedented’ migrant flow"
TWO_SERVERS = {"other_guilds": ["b"]}  # channels news, digest (first server); b-news, b-digest


def events_on(rig: DiscordRig, shard: int, kind: str) -> list[dict[str, object]]:
    """The ``kind`` events the fake sent over ``shard``'s session."""
    session = rig.fake.gateway.sessions[shard]
    return [event["d"] for event in session.events if event["t"] == kind]


def guild_of(rig: DiscordRig, channel: str) -> int:
    return rig.fake.guild_of(rig.fake.channel_id(channel))


def owner(rig: DiscordRig, channel: str, shards: int = 2) -> int:
    """The shard Discord sends this channel's server's events to (its own rule, not the fake's)."""
    return (guild_of(rig, channel) >> 22) % shards


async def wait_for(rig: DiscordRig, predicate: Callable[[], object]) -> None:
    await rig.fake.wait_for(predicate, timeout=10)


async def readiness(rig: DiscordRig, *, up: bool) -> tuple[bool, str]:
    """The adapter's readiness once it is ``up`` (or not); fails after 10 s."""
    for _ in range(1000):
        state = await rig.adapter.connected()
        if state[0] is up:
            return state
        await asyncio.sleep(0.01)
    raise AssertionError(f"readiness stayed {state}")


async def test_two_shards_identify_and_each_server_lives_on_its_own_shard(
    settings: Settings,
) -> None:
    async with discord_rig(settings, discord_shards=2, fake_options=TWO_SERVERS) as rig:
        client = rig.adapter.client
        assert isinstance(client, discord.AutoShardedClient)
        first, second = guild_of(rig, "news"), guild_of(rig, "b-news")
        ready = await rig.adapter.connected()

        assert sorted(rig.fake.gateway.identified) == [(0, 2), (1, 2)]
        assert client.shard_count == 2 and sorted(client.shards) == [0, 1]
        # discord.py's idea of each server's shard is Discord's, and they differ
        shard_of = {g.id: g.shard_id for g in client.guilds}
        assert shard_of == {first: (first >> 22) % 2, second: (second >> 22) % 2}
        assert shard_of[first] != shard_of[second]
        for guild_id, shard in shard_of.items():
            (created,) = events_on(rig, shard, "GUILD_CREATE")
            assert created["id"] == str(guild_id)
            (ready_event,) = events_on(rig, shard, "READY")
            assert ready_event["shard"] == [shard, 2]
        assert ready == (True, "ready in 2 servers on 2 shards")


async def answered_in_one_server(rig: DiscordRig, web: WebServer, prefix: str) -> None:
    """A slash command, its More button, a pasted link and a subscribe in the server whose
    channels start with ``prefix``: each arrives over that server's shard only and is answered."""
    shard = owner(rig, f"{prefix}news")
    before = len(events_on(rig, shard, "INTERACTION_CREATE"))
    elsewhere = len(events_on(rig, 1 - shard, "INTERACTION_CREATE"))

    asked = await rig.fake.invoke(
        "summarize", {"url-or-text": web.url("/story")}, channel=f"{prefix}news"
    )
    await wait_for(rig, lambda: asked.replies)
    (summary,) = asked.replies
    assert summary["embeds"][0]["title"] == TITLE
    assert len(events_on(rig, shard, "INTERACTION_CREATE")) == before + 1
    assert len(events_on(rig, 1 - shard, "INTERACTION_CREATE")) == elsewhere

    more = next(b for b in buttons(summary) if b["label"] == "More")  # a dynamic item
    pressed = await press(rig.fake, summary, more["custom_id"], channel=f"{prefix}news")
    await wait_for(rig, lambda: pressed.replies)
    assert pressed.replies[0]["embeds"][0]["title"] == TITLE

    channel_id = rig.fake.channel_id(f"{prefix}news")
    await rig.store.save_channel_settings(
        ChannelSettings("discord", channel_id, auto_summarize=True)
    )
    posted = await rig.fake.post_message(f"Seen this? {web.url('/story')}", channel=f"{prefix}news")
    assert posted["id"] in [m["id"] for m in events_on(rig, shard, "MESSAGE_CREATE")]
    await wait_for(rig, lambda: rig.fake.bot_messages(posted["id"]))
    (threaded,) = rig.fake.bot_messages(posted["id"])
    assert threaded["embeds"][0]["title"] == TITLE

    subscribing = await rig.fake.invoke("subscribe", {"time": "07:00"}, channel=f"{prefix}digest")
    await wait_for(rig, lambda: subscribing.replies)


async def test_commands_links_buttons_and_digests_are_answered_on_both_shards(
    settings: Settings, web: WebServer, seed_summary: Summary
) -> None:
    web.respond("/story", SEED_HTML)
    async with discord_rig(
        settings, message_content=True, discord_shards=2, fake_options=TWO_SERVERS
    ) as rig:
        await answered_in_one_server(rig, web, "")
        await answered_in_one_server(rig, web, "b-")
        subscriptions = await rig.store.list_subscriptions(platform="discord")
        delivery = DigestDelivery(rig.store, FixedDigests(digest_of(seed_summary, 1)), {})
        delivery.add_sink("discord", rig.adapter)
        outcomes = [await delivery.deliver(s, date(2023, 12, 28)) for s in subscriptions]

    assert sorted(s.channel for s in subscriptions) == sorted(
        rig.fake.channel_id(name) for name in ("digest", "b-digest")
    )
    assert outcomes == ["sent 1 stories", "sent 1 stories"]
    for channel in ("digest", "b-digest"):
        (message,) = rig.fake.bot_messages(channel)
        assert [e["title"] for e in message["embeds"]] == ["Migration news digest", "Story 00"]


async def test_a_dropped_shard_resumes_alone_and_the_logs_name_it(
    settings: Settings, web: WebServer, caplog: pytest.LogCaptureFixture
) -> None:
    web.respond("/story", SEED_HTML)
    caplog.set_level(logging.INFO, logger="adapters.discord")
    async with discord_rig(settings, discord_shards=2, fake_options=TWO_SERVERS) as rig:
        shard = owner(rig, "b-news")
        await wait_for(rig, lambda: f"Discord shard {shard} is ready in 1 servers" in caplog.text)
        await rig.fake.gateway.drop(shard=shard)
        await wait_for(rig, lambda: rig.fake.gateway.resumes == 1)
        asked = await rig.fake.invoke(
            "summarize", {"url-or-text": web.url("/story")}, channel="b-news"
        )
        await wait_for(rig, lambda: asked.replies)
        await wait_for(rig, lambda: f"Discord shard {shard} resumed" in caplog.text)

    assert rig.fake.gateway.identifies == 2  # one per shard, none again
    assert asked.replies[0]["embeds"][0]["title"] == TITLE
    for line in (
        "Discord shard 0 connected",
        "Discord shard 1 connected",
        f"Discord shard {shard} disconnected",
        f"Discord shard {shard} resumed its session",
        "is ready in 2 servers on 2 shards",
    ):
        assert line in caplog.text
    assert f"Discord shard {1 - shard} disconnected" not in caplog.text


async def test_readiness_waits_for_a_reconnecting_shard(settings: Settings) -> None:
    async with discord_rig(settings, discord_shards=2, fake_options=TWO_SERVERS) as rig:
        gateway = rig.fake.gateway
        gateway.accepting.clear()  # the shard cannot come back yet
        await gateway.drop(shard=1)
        away = await readiness(rig, up=False)
        gateway.accepting.set()
        await wait_for(rig, lambda: gateway.resumes == 1)
        back = await readiness(rig, up=True)

    assert away == (False, "reconnecting shard 1 of 2")
    assert back == (True, "ready in 2 servers on 2 shards")


async def test_a_bot_that_must_shard_and_does_not_is_told_which_setting_to_change(
    settings: Settings,
) -> None:
    must_shard = TWO_SERVERS | {"required_shards": 2}  # Discord's 4011 below 2 shards
    with pytest.raises(ConfigurationError) as refused:
        async with discord_rig(settings, fake_options=must_shard):
            pass
    async with discord_rig(
        settings, discord_shards="auto", fake_options=must_shard | {"shards": 2}
    ) as rig:
        ready = await rig.adapter.connected()

    assert str(refused.value) == (
        "Discord requires more gateway shards for this bot's servers; set "
        "NEWSBRIEF_DISCORD_SHARDS=auto (or a larger number)."
    )
    assert ready == (True, "ready in 2 servers on 2 shards")


async def test_a_running_bot_that_discord_starts_to_require_sharding_logs_the_setting(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    async with discord_rig(settings) as rig:
        gateway = rig.fake.gateway
        gateway.required_shards = 2  # the bot grew past the limit
        assert gateway.session is not None
        gateway.session.session_id = "expired"  # it cannot resume: IDENTIFY again, refused
        await gateway.drop()
        await wait_for(rig, lambda: 4011 in gateway.closed_codes)
        await wait_for(rig, lambda: "The Discord connection stopped" in caplog.text)

    (stopped,) = [r for r in caplog.records if "The Discord connection stopped" in r.message]
    assert stopped.levelno == logging.ERROR
    assert "set NEWSBRIEF_DISCORD_SHARDS=auto" in stopped.message


async def test_run_exits_78_with_one_sentence_when_discord_requires_sharding(
    tmp_path: Path,
) -> None:
    async with FakeDiscord(required_shards=2) as fake:
        code, err = await run_cli(
            tmp_path,
            DISCORD_TOKEN=fake.token,
            DISCORD_API_URL=fake.api_url,
            DISCORD_GATEWAY_URL=fake.gateway_url,
            DISCORD_STATE_FILE=str(tmp_path / "discord-state.json"),
        )

    assert code == 78, err
    lines = [line for line in err.splitlines() if line.startswith("newsbrief: ")]
    assert lines == [
        "newsbrief: Discord requires more gateway shards for this bot's servers; set "
        "NEWSBRIEF_DISCORD_SHARDS=auto (or a larger number)."
    ]
    assert fake.token not in err and "Traceback" not in err


async def test_closing_disconnects_every_shard_cleanly(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    api_before = Route.BASE
    async with discord_rig(settings, discord_shards=2, fake_options=TWO_SERVERS) as rig:
        sessions = list(rig.fake.gateway.sessions.values())
        assert all(session.socket is not None for session in sessions)
        assert rig.fake.api_url == Route.BASE
        await rig.adapter.aclose()
        await wait_for(rig, lambda: all(session.socket is None for session in sessions))
        assert await rig.adapter.connected() == (False, "not connected")
        assert api_before == Route.BASE  # the endpoints are given back at once

    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_auto_takes_the_count_discord_recommends(settings: Settings) -> None:
    options = TWO_SERVERS | {"shards": 2}
    async with discord_rig(settings, discord_shards="auto", fake_options=options) as rig:
        asked = rig.fake.calls_to("GET", r"/gateway/bot$")
        ready = await rig.adapter.connected()

    assert asked  # the recommended count was read from GET /gateway/bot
    assert sorted(rig.fake.gateway.identified) == [(0, 2), (1, 2)]
    assert ready == (True, "ready in 2 servers on 2 shards")


async def test_without_the_setting_one_connection_identifies_without_a_shard(
    settings: Settings,
) -> None:
    async with discord_rig(settings, fake_options=TWO_SERVERS) as rig:
        client = rig.adapter.client
        ready = await rig.adapter.connected()

    assert not isinstance(client, discord.AutoShardedClient)
    assert rig.fake.gateway.identified == [(0, 1)]
    assert ready == (True, "ready in 2 servers")


@pytest.mark.parametrize(("setting", "shown"), [(None, "unset (one connection)"), (2, "2")])
async def test_check_shows_the_recommended_count_next_to_the_setting(
    settings: Settings, setting: int | None, shown: str
) -> None:
    async with FakeDiscord(shards=3) as fake:
        checked = discord_settings(settings, fake, discord_shards=setting)
        (item,) = [i for i in await run_checks(checked) if i.name == "Discord"]

    assert item.ok
    assert item.detail == (
        f"token accepted for Newsbrief; Discord recommends 3 shards, "
        f"NEWSBRIEF_DISCORD_SHARDS is {shown}"
    )


@pytest.mark.parametrize("value", ["0", "-1", "many", "2.5"])
def test_a_bad_shard_count_is_one_sentence_at_start(tmp_path: Path, value: str) -> None:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEWSBRIEF_", "SLACK_", "DISCORD"))
    }
    result = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "run"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**clean, "PYTHONPATH": str(ROOT), "NEWSBRIEF_DISCORD_SHARDS": value},
        cwd=tmp_path,
        timeout=60,
    )

    assert result.returncode == 78, result.stderr  # EX_CONFIG, as every setting
    assert result.stderr.startswith("newsbrief: NEWSBRIEF_DISCORD_SHARDS must be auto or")
    assert f"got '{value}'" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(("value", "read"), [("2", 2), (" AUTO ", "auto"), ("", None)])
def test_good_shard_settings_are_read(value: str, read: int | str | None) -> None:
    assert Settings(_env_file=None, NEWSBRIEF_DISCORD_SHARDS=value).discord_shards == read
