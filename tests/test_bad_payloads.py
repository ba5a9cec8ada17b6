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
import gc
import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from fakes.slack_harness import SlackRig, slack_rig
from fakes.slack_payloads import event_body, message_event, shortcut_payload, slash_command_body

from adapters.slack.handlers import MALFORMED, NO_LINK
from bot.chat.commands import HELP
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
