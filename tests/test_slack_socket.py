"""Socket Mode: the real bolt handler connects to the fake's apps.connections.open websocket."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fakes.slack_harness import slack_rig
from fakes.slack_payloads import event_body, message_event, shortcut_payload, slash_command_body
from webserver import WebServer

from bot.config import Settings

SEED = "/seed/bbc-us-mexico-migration.html"


async def test_socket_mode_connects_and_answers_a_slash_command(
    settings: Settings, web: WebServer
) -> None:
    async with slack_rig(settings, socket_mode=True) as rig:
        assert rig.adapter.port is None  # no HTTP server in Socket Mode
        (opened,) = rig.fake.calls_to("apps.connections.open")
        assert opened.status == 200
        form = slash_command_body(
            f"summarize {web.url(SEED)}", rig.fake.response_url("sock"), channel="C0NEWS", user="U1"
        )
        ack = await rig.fake.send_envelope("slash_commands", dict(parse_qsl(form)))
        post = await rig.fake.wait_for_response("sock")
    assert set(ack) == {"envelope_id"}  # an empty ack, sent before the work
    assert post.body["response_type"] == "in_channel"
    assert "more than *190,000* apprehensions" in str(post.body["blocks"])


async def test_socket_mode_events_are_acked_and_retries_dropped(
    settings: Settings, web: WebServer
) -> None:
    async with slack_rig(settings, socket_mode=True) as rig:
        form = slash_command_body(
            "settings autosummarize on", rig.fake.response_url("on"), channel="C0NEWS", user="U1"
        )
        await rig.fake.send_envelope("slash_commands", dict(parse_qsl(form)))
        await rig.fake.wait_for_response("on")
        event = event_body(message_event(f"<{web.url(SEED)}>", ts="1700000500.000100"), "Ev0SOCK")
        acks = [
            await rig.fake.send_envelope("events_api", event, retry_attempt=attempt)
            for attempt in (0, 1, 2)
        ]
        await rig.adapter.drain(5)
        posts = rig.fake.posts("C0NEWS")
    assert [ack["envelope_id"] for ack in acks] == [
        a["envelope_id"] for a in rig.fake.socket_acks[-3:]
    ]
    assert len(posts) == 1 and posts[0]["thread_ts"] == "1700000500.000100"


async def test_socket_mode_message_shortcut(settings: Settings, web: WebServer) -> None:
    async with slack_rig(settings, socket_mode=True) as rig:
        message = {
            "type": "message",
            "user": "U2",
            "ts": "1700000600.000100",
            "text": f"<{web.url(SEED)}>",
        }
        payload = shortcut_payload(message, rig.fake.response_url("s"), channel="C0NEWS", user="U1")
        await rig.fake.send_envelope("interactive", payload)
        (reply,) = await rig.fake.wait_for_posts(1, "C0NEWS")
    assert reply["thread_ts"] == "1700000600.000100"
