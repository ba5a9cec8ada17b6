"""Malformed Slack requests and Discord gateway events: logged and ignored, or answered with one
sentence; the adapter keeps working and no exception reaches the event loop's handler.

Slack: signed HTTP requests (slash command, event_callback, message shortcut, block_actions)
with fields missing or of the wrong type, bodies that are not JSON, a JSON array, a huge body;
and, since HTTP forms carry only text, Socket Mode envelopes with numbers and objects where
text belongs. Discord: INTERACTION_CREATE and MESSAGE_CREATE events sent by the fake gateway
to the real discord.py client. After each bad payload a good request is answered.
"""

from __future__ import annotations

import asyncio
import copy
import gc
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from fakes import discord_payloads as p
from fakes.discord_api import EPHEMERAL, FakeDiscord, FakeInteraction
from fakes.discord_harness import discord_rig
from fakes.slack_harness import SlackRig, slack_rig
from fakes.slack_payloads import event_body, message_event, shortcut_payload, slash_command_body

from adapters.discord.guards import GENERIC_FAILURE, UNREADABLE
from adapters.slack.handlers import MALFORMED, NO_LINK
from bot.commands import HELP
from bot.config import Settings
from bot.store import ChannelSettings

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
LINK = "<http://127.0.0.1:9/article.html>"  # nothing listens there: no page is ever fetched
HELP_START = " ".join(HELP.split()[:2])  # "Newsbrief summarizes"
Payload = dict[str, Any]


@pytest.fixture
async def loop_errors() -> AsyncIterator[list[Payload]]:
    """Everything that reaches the running loop's exception handler during the test."""
    loop = asyncio.get_running_loop()
    recorded: list[Payload] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: recorded.append(context))
    yield recorded
    loop.set_exception_handler(previous)


def unhandled(recorded: list[Payload]) -> list[str]:
    gc.collect()  # a task whose exception nobody retrieved is reported when it is collected
    return [str(context.get("exception") or context.get("message")) for context in recorded]


def warned(caplog: pytest.LogCaptureFixture) -> bool:
    return any(record.levelno >= logging.WARNING for record in caplog.records)


# --- Slack ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlackCase:
    """A request built against the rig; the HTTP status and the one-sentence answer expected."""

    name: str
    build: Callable[[SlackRig], tuple[str, str]]  # -> (body, content type)
    status: int
    answer: str | None = None  # posted to the response_url "bad", if any


def slash(**changes: str | None) -> Callable[[SlackRig], tuple[str, str]]:
    def build(rig: SlackRig) -> tuple[str, str]:
        form = slash_command_body("help", rig.fake.response_url("bad"), channel="C0NEWS", user="U1")
        fields: dict[str, str] = dict(parse_qsl(form, keep_blank_values=True))
        for key, value in changes.items():
            if value is None:
                fields.pop(key, None)
            else:
                fields[key] = value
        return urlencode(fields), FORM

    return build


def event(payload: Any, **top: Any) -> Callable[[SlackRig], tuple[str, str]]:
    def build(rig: SlackRig) -> tuple[str, str]:
        return json.dumps(event_body(payload, f"Ev{uuid.uuid4().hex}") | top), JSON

    return build


def message_without(*keys: str, **changes: Any) -> Payload:
    message = message_event(f"read this {LINK}") | changes
    return {key: value for key, value in message.items() if key not in keys}


def shortcut(**changes: Any) -> Callable[[SlackRig], tuple[str, str]]:
    def build(rig: SlackRig) -> tuple[str, str]:
        message = {"type": "message", "user": "U2", "ts": "1700000300.000400", "text": LINK}
        payload = shortcut_payload(
            message, rig.fake.response_url("bad"), channel="C0NEWS", user="U1"
        )
        for key, value in changes.items():
            if value is None:
                payload.pop(key, None)
            else:
                payload[key] = value
        return urlencode({"payload": json.dumps(payload)}), FORM

    return build


def raw(body: str, content_type: str) -> Callable[[SlackRig], tuple[str, str]]:
    return lambda rig: (body, content_type)


def interactive(payload: Payload) -> Callable[[SlackRig], tuple[str, str]]:
    return raw(urlencode({"payload": json.dumps(payload)}), FORM)


HUGE = json.dumps({"type": "event_callback", "token": "x" * 2**21})
BLOCK_ACTIONS = {"type": "block_actions", "team": {"id": "T0NEWSROOM"}, "user": {"id": "U1"}}

SLACK_HTTP_CASES = [
    SlackCase("slash: no channel_id", slash(channel_id=None), 200, MALFORMED),
    SlackCase("slash: empty channel_id", slash(channel_id=""), 200, MALFORMED),
    SlackCase("slash: no user_id", slash(user_id=None), 200, MALFORMED),
    SlackCase("slash: no response_url", slash(response_url=None), 200),
    SlackCase("slash: response_url not a URL", slash(response_url="12345"), 200),
    SlackCase("slash: no text (= help)", slash(text=None), 200, HELP_START),
    SlackCase("slash: another command", slash(command="/weather"), 404),
    SlackCase("event: no event", raw(json.dumps({"type": "event_callback"}), JSON), 404),
    SlackCase("event: event without type", event(message_without("type")), 404),
    # bolt's own middleware fails on it; bolt logs it and answers 500 (Slack never sends this)
    SlackCase("event: event is a string", event("message"), 500),
    SlackCase("event: user as an object", event(message_event(LINK, user={"id": "U1"})), 200),
    SlackCase("event: text as a number", event(message_event(LINK) | {"text": 42}), 200),
    SlackCase("event: text as a list", event(message_event(LINK) | {"text": [LINK]}), 200),
    SlackCase("event: no channel", event(message_without("channel")), 200),
    SlackCase("event: channel as a list", event(message_without(channel=["C0NEWS"])), 200),
    SlackCase("event: no ts", event(message_without("ts", "event_ts")), 200),
    SlackCase("event: event_id as a list", event(message_event(LINK), event_id=["Ev1"]), 200),
    SlackCase("event: unknown type, user 7", event({"type": "reaction_added", "user": 7}), 400),
    SlackCase("shortcut: no channel", shortcut(channel=None), 200, MALFORMED),
    SlackCase("shortcut: user as a string", shortcut(user="U1"), 200, MALFORMED),
    SlackCase("shortcut: message as a string", shortcut(message="hi"), 200, NO_LINK),
    SlackCase("shortcut: ts as a number", shortcut(message={"ts": 1.5}), 200, MALFORMED),
    SlackCase("shortcut: no response_url", shortcut(response_url=None), 200),
    SlackCase("shortcut: unknown callback_id", shortcut(callback_id="nope"), 404),
    SlackCase("block_actions: no actions", interactive(BLOCK_ACTIONS), 404),
    # bolt's own middleware fails on these; bolt logs it and answers 500 (Slack never sends them)
    SlackCase("block_actions: actions [1]", interactive(BLOCK_ACTIONS | {"actions": [1]}), 500),
    SlackCase("block_actions: actions 'x'", interactive(BLOCK_ACTIONS | {"actions": "x"}), 500),
    SlackCase("body: malformed JSON", raw('{"type": "event_callback", ', JSON), 400),
    SlackCase("body: a JSON array", raw("[1, 2]", JSON), 400),
    SlackCase("body: payload= is not JSON", raw(urlencode({"payload": "{nope"}), FORM), 400),
    SlackCase("body: 2 MB", raw(HUGE, JSON), 413),
    SlackCase("body: empty", raw("", JSON), 404),
    SlackCase("body: a form of nothing Slack sends", raw("a=b", FORM), 404),
]  # fmt: skip


@pytest.mark.parametrize("case", SLACK_HTTP_CASES, ids=lambda case: case.name)
async def test_a_malformed_slack_request_is_logged_and_ignored(
    settings: Settings,
    loop_errors: list[Payload],
    caplog: pytest.LogCaptureFixture,
    case: SlackCase,
) -> None:
    async with slack_rig(settings) as rig:
        await rig.store.save_channel_settings(
            ChannelSettings("slack", "C0NEWS", auto_summarize=True)
        )
        body, content_type = case.build(rig)
        caplog.clear()
        status, _ = await rig.deliver(body, content_type=content_type)
        async with asyncio.timeout(5):
            await rig.adapter.drain()
        answers = [post.body["text"] for post in rig.fake.responses_to("bad")]
        logged = warned(caplog)
        await rig.slash_command("help", key="good")  # and the bot still works
        good = await rig.fake.wait_for_response("good")

    assert status == case.status
    assert [answer[: len(case.answer or "")] for answer in answers] == (
        [case.answer] if case.answer else []
    )
    assert rig.fake.posts() == []  # nothing was posted in a channel
    if not case.answer and status == 200:
        assert logged  # ignored, but not silently
    assert good.body["text"].startswith(HELP_START)
    assert unhandled(loop_errors) == []


SOCKET_CASES = [
    ("slash_commands", "text as a number", {"text": 42}, MALFORMED),
    ("slash_commands", "channel_id as a list", {"channel_id": ["C0NEWS"]}, MALFORMED),
    ("slash_commands", "user_id as an object", {"user_id": {"id": "U1"}}, MALFORMED),
    ("interactive", "message ts as a number", {"message": {"ts": 1, "text": LINK}}, MALFORMED),
    ("interactive", "channel id as a number", {"channel": {"id": 5}}, MALFORMED),
    ("events_api", "text as a list", {"text": [LINK]}, None),
    ("events_api", "user as a number", {"user": 7}, None),
]


@pytest.mark.parametrize(("kind", "name", "changes", "answer"), SOCKET_CASES)
async def test_a_malformed_socket_mode_envelope_is_logged_and_ignored(
    settings: Settings,
    loop_errors: list[Payload],
    caplog: pytest.LogCaptureFixture,
    kind: str,
    name: str,
    changes: Payload,
    answer: str | None,
) -> None:
    async with slack_rig(settings, socket_mode=True) as rig:
        await rig.store.save_channel_settings(
            ChannelSettings("slack", "C0NEWS", auto_summarize=True)
        )
        response_url = rig.fake.response_url("bad")
        if kind == "slash_commands":
            form = slash_command_body("help", response_url, channel="C0NEWS", user="U1")
            payload: Payload = dict(parse_qsl(form)) | changes
        elif kind == "interactive":
            message = {"type": "message", "user": "U2", "ts": "1.5", "text": LINK}
            payload = shortcut_payload(message, response_url, channel="C0NEWS", user="U1")
            payload |= changes
        else:
            payload = event_body(message_event(LINK) | changes, "Ev0SOCKET")
        caplog.clear()
        ack = await rig.fake.send_envelope(kind, payload)
        async with asyncio.timeout(5):
            await rig.adapter.drain()
        answers = [post.body["text"] for post in rig.fake.responses_to("bad")]
        logged = warned(caplog)
        good = slash_command_body("help", rig.fake.response_url("good"), channel="C0", user="U1")
        await rig.fake.send_envelope("slash_commands", dict(parse_qsl(good)))
        after = await rig.fake.wait_for_response("good")

    assert set(ack) == {"envelope_id"}  # acknowledged like any other
    assert answers == ([answer] if answer else [])
    assert logged and rig.fake.posts() == []
    assert after.body["text"].startswith(HELP_START)
    assert unhandled(loop_errors) == []


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
