"""Malformed Discord gateway events (INTERACTION_CREATE, MESSAGE_CREATE) sent by the fake
gateway to the real discord.py client: ignored or answered in one sentence, the bot stays online,
a good request is answered next, and nothing reaches the event loop's exception handler."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable
from typing import Any

import pytest
from fakes import discord_payloads as p
from fakes.discord_api import EPHEMERAL, FakeDiscord, FakeInteraction
from fakes.discord_harness import discord_rig
from test_bad_payloads import Payload, loop_errors, unhandled, warned

from adapters.discord.guards import GENERIC_FAILURE, UNREADABLE
from bot.config import Settings

__all__ = ["loop_errors"]  # the fixture, imported for pytest

# --- Discord --------------------------------------------------------------------------------


def interaction(fake: FakeDiscord, name: str = "summarize", **data: Any) -> Payload:
    """A well-formed INTERACTION_CREATE for ``name`` from a channel manager, to be broken."""
    command = fake._command_data(name, data.pop("kind", 1))
    member = p.member(fake.editor, permissions=p.MEMBER_PERMISSIONS | p.MANAGE_CHANNELS)
    return p.interaction(
        application_id=fake.app_id,
        kind=2,
        data=command | {"options": []} | data,
        guild_id=fake.guild_id,
        channel=fake.channels["news"],
        member_payload=member,
    )


def option(name: str, value: Any, kind: int = 3) -> Payload:
    return {"name": name, "type": kind, "value": value}


def without(payload: Payload, *keys: str) -> Payload:
    return {key: value for key, value in payload.items() if key not in keys}


def changed(payload: Payload, path: tuple[str, ...], value: Any) -> Payload:
    copied = copy.deepcopy(payload)
    target = copied
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copied


Build = Callable[[FakeDiscord], Payload]
NUMBER = option("url-or-text", 5, kind=4)
PERMISSIONS = ("member", "permissions")
BAD_SETTING = "I can't set "


def settings_with(*options: Payload) -> Build:
    return lambda fake: interaction(fake, "settings", options=list(options))


def member_without_user(fake: FakeDiscord) -> Payload:
    payload = interaction(fake)
    return payload | {"member": without(payload["member"], "user")}


INTERACTION_CASES: list[tuple[str, Build, str | None]] = [
    ("no data", lambda f: without(interaction(f), "data"), UNREADABLE),
    ("data is a string", lambda f: interaction(f) | {"data": "summarize"}, UNREADABLE),
    ("no member, no user", lambda f: without(interaction(f), "member"), UNREADABLE),
    ("member without user", member_without_user, None),
    ("member is a string", lambda f: interaction(f) | {"member": "editor"}, None),
    ("permissions not a number", lambda f: changed(interaction(f), PERMISSIONS, "all"), None),
    ("no channel_id", lambda f: without(interaction(f), "channel_id", "channel"), UNREADABLE),
    ("id not a snowflake", lambda f: interaction(f) | {"id": "abc"}, None),
    ("unknown interaction type", lambda f: interaction(f) | {"type": 99}, None),
    ("component without custom_id", lambda f: interaction(f) | {"type": 3}, None),
    ("modal submit without data", lambda f: without(interaction(f), "data") | {"type": 5}, None),
    ("unknown command", lambda f: interaction(f, "frobnicate"), UNREADABLE),
    ("required option missing", lambda f: interaction(f, "summarize"), UNREADABLE),
    ("options is an object", lambda f: interaction(f, options={"url-or-text": "x"}), UNREADABLE),
    ("string option given a number", lambda f: interaction(f, options=[NUMBER]), GENERIC_FAILURE),
    # discord.py leaves ranges and choices to Discord; the core refuses them in one sentence
    ("integer option given a word", settings_with(option("sentences", "ten")), BAD_SETTING),
    ("integer option out of range", settings_with(option("sentences", 99, 4)), BAD_SETTING),
    ("choice not offered", settings_with(option("language", "fr")), BAD_SETTING),
    ("group without subcommand", lambda f: interaction(f, "feeds"), UNREADABLE),
    ("menu without target", lambda f: interaction(f, "Summarize article", kind=3), UNREADABLE),
]


def message(fake: FakeDiscord) -> Payload:
    """A reader's message mentioning the bot with a link, to be broken."""
    text = f"<@{fake.bot['id']}> summarize http://127.0.0.1:9/article.html"
    payload = p.message(fake.channel_id(), fake.reader, text, guild_id=fake.guild_id)
    return payload | {"member": p.member(fake.reader), "mentions": [fake.bot]}


MESSAGE_CASES: list[tuple[str, Build]] = [
    ("content is a list", lambda f: message(f) | {"content": ["hi"]}),
    ("content is null", lambda f: message(f) | {"content": None}),
    ("no author", lambda f: without(message(f), "author")),
    ("author is a string", lambda f: message(f) | {"author": "reader"}),
    ("no channel_id", lambda f: without(message(f), "channel_id")),
    ("id not a snowflake", lambda f: message(f) | {"id": "abc"}),
    ("mentions is a string", lambda f: message(f) | {"mentions": "everyone"}),
    ("embeds is a number", lambda f: message(f) | {"embeds": 3}),
]


def track(fake: FakeDiscord, payload: Payload) -> FakeInteraction | None:
    """Record the interaction so the fake can take its answer (as far as the payload allows)."""
    token, interaction_id = payload.get("token"), payload.get("id")
    if not isinstance(token, str) or not isinstance(interaction_id, str):
        return None
    channel = str(payload.get("channel_id") or fake.channel_id())
    record = FakeInteraction(interaction_id, token, channel, time.monotonic())
    fake.interactions.by_token[token] = record
    return record


async def still_answers(fake: FakeDiscord) -> str:
    good = await fake.invoke("help")
    await fake.wait_for(lambda: good.replies)
    await asyncio.sleep(0.2)  # anything the bad event started has had time to answer
    return str(good.replies[0]["content"])


@pytest.mark.parametrize(
    ("name", "build", "answer"), INTERACTION_CASES, ids=[c[0] for c in INTERACTION_CASES]
)
async def test_a_malformed_interaction_is_ignored_or_answered_in_one_sentence(
    settings: Settings,
    loop_errors: list[Payload],
    caplog: pytest.LogCaptureFixture,
    name: str,
    build: Build,
    answer: str | None,
) -> None:
    async with discord_rig(settings) as rig:
        payload = build(rig.fake)
        record = track(rig.fake, payload)
        caplog.clear()
        await rig.fake.gateway.dispatch("INTERACTION_CREATE", payload)
        if answer is not None:
            assert record is not None
            await rig.fake.wait_for(lambda: record.replies)
        help_text = await still_answers(rig.fake)
        logged = warned(caplog)
        connections = list(rig.fake.gateway.connections)

    replies = record.replies if record is not None else []
    if answer is None:
        assert replies == [] and logged
    else:
        (reply,) = replies
        assert reply["content"].startswith(answer) and reply["flags"] & EPHEMERAL
        assert reply["content"].count(".") == 1 and reply["content"].endswith(".")
    assert "/summarize" in help_text
    assert connections == ["/gateway"]  # the same connection throughout: it never dropped
    assert unhandled(loop_errors) == []


@pytest.mark.parametrize(("name", "build"), MESSAGE_CASES, ids=[c[0] for c in MESSAGE_CASES])
async def test_a_malformed_message_is_logged_and_ignored(
    settings: Settings,
    loop_errors: list[Payload],
    caplog: pytest.LogCaptureFixture,
    name: str,
    build: Build,
) -> None:
    async with discord_rig(settings, message_content=True) as rig:
        caplog.clear()
        await rig.fake.gateway.dispatch("MESSAGE_CREATE", build(rig.fake))
        help_text = await still_answers(rig.fake)
        logged = warned(caplog)
        posted = rig.fake.calls_to("POST", r"/channels/\d+/messages")

    assert posted == [] and logged
    assert "/summarize" in help_text
    assert rig.fake.gateway.connections == ["/gateway"]
    assert unhandled(loop_errors) == []
