"""The real slack-bolt app over HTTP: signed slash commands, events and shortcuts, end to end."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web as aioweb
from fakes.slack_api import FakeSlack
from fakes.slack_harness import SlackRig, slack_rig
from fakes.slack_payloads import BOT_ID, BOT_USER_ID, message_event
from pydantic import SecretStr
from webserver import WebServer

from adapters.slack import SlackAdapter
from bot import metrics
from bot.chat.commands import Commands
from bot.config import Settings
from bot.errors import ConfigurationError
from bot.service import Summarizer
from bot.store import open_store

SEED = "/seed/bbc-us-mexico-migration.html"
MENTIONS_PAGE = "/slack/mentions.html"
PINGS = re.compile(
    r"<(!(channel|here|everyone|subteam)|@|#)|(?<![\w.+-])@(here|channel|everyone)\b"
)


@pytest.fixture
async def rig(settings: Settings) -> AsyncIterator[SlackRig]:
    async with slack_rig(settings) as started:
        yield started


@pytest.fixture
async def idle_commands(settings: Settings) -> AsyncIterator[Commands]:
    """A complete command layer, for adapters that fail before they use it."""
    async with await open_store(settings.db_path) as store, Summarizer(settings) as summarizer:
        yield Commands(summarizer, store)


def texts(body: dict[str, object]) -> str:
    return json.dumps(body.get("blocks", []), ensure_ascii=False) + str(body.get("text", ""))


def held_article(web: WebServer, release: asyncio.Event) -> str:
    """The seed article, served only once ``release`` is set (a slow news site)."""
    page = (web.fixtures / SEED.lstrip("/")).read_bytes()

    async def handler(request: aioweb.Request) -> aioweb.Response:
        await release.wait()
        return aioweb.Response(body=page, content_type="text/html")

    web.route("/slow/article.html", handler)
    return web.url("/slow/article.html")


async def test_summarize_is_acknowledged_first_then_answered_with_figures(
    rig: SlackRig, web: WebServer
) -> None:
    summaries_ok, acks = _sample("newsbrief_summaries_total", outcome="ok"), _acks("slack")
    release = asyncio.Event()
    url = held_article(web, release)
    # The page is held until the ack has come back: an ack that waited for the summary would
    # never come (Slack allows 3 s; the bound below is only there to fail instead of hang).
    status, body = await asyncio.wait_for(rig.slash_command(f"summarize {url}", key="r1"), 10)
    assert (status, body) == (200, "")
    assert rig.fake.responses == []
    release.set()
    post = await rig.fake.wait_for_response("r1")
    assert post.body["response_type"] == "in_channel"
    blocks = post.body["blocks"]
    assert blocks[0]["text"]["text"] == "US and Mexico look to stem ‘unprecedented’ migrant flow"
    figures = next(b["text"]["text"] for b in blocks if "Key figures" in b["text"].get("text", ""))
    assert "more than *190,000* apprehensions" in figures
    assert "up to *10,000* people crossing (per day)" in figures
    assert post.body["text"].startswith("US and Mexico look to stem")
    assert len(rig.fake.calls_to("auth.test")) == 1  # at start, never on a request's path
    assert _sample("newsbrief_summaries_total", outcome="ok") == summaries_ok + 1
    assert _acks("slack") == acks + 1  # /metrics: the slash command's acknowledgement


def _sample(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def _acks(platform: str) -> float:
    return _sample("newsbrief_ack_seconds_count", platform=platform)


async def test_bad_signature_is_refused_and_nothing_runs(rig: SlackRig, web: WebServer) -> None:
    status, _ = await rig.slash_command(f"summarize {web.url(SEED)}", key="r1", secret="wrong")
    assert status == 401
    await rig.adapter.drain(2)
    assert rig.fake.responses == [] and web.hits[SEED] == 0


async def test_stale_timestamp_is_refused(rig: SlackRig, web: WebServer) -> None:
    old = int(time.time()) - 10 * 60
    status, _ = await rig.slash_command(f"summarize {web.url(SEED)}", key="r1", timestamp=old)
    assert status == 401
    await rig.adapter.drain(2)
    assert web.hits[SEED] == 0


async def test_url_verification_answers_the_challenge(rig: SlackRig) -> None:
    body = json.dumps(
        {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV", "type": "url_verification"}
    )
    status, text = await rig.deliver(body, content_type="application/json")
    assert status == 200 and "3eZbrw1aBm2rZgRNFdxV" in text


async def test_failure_is_one_ephemeral_sentence(rig: SlackRig, web: WebServer) -> None:
    refused = _sample("newsbrief_summaries_total", outcome="refused")
    await rig.slash_command(f"summarize {web.url('/no/such/page.html')}", key="r1")
    post = await rig.fake.wait_for_response("r1")
    assert _sample("newsbrief_summaries_total", outcome="refused") == refused + 1
    assert post.body["response_type"] == "ephemeral"
    assert re.fullmatch(r"[^.]+\(?.*\)?\.", post.body["text"]), post.body["text"]
    assert "404" in post.body["text"]


async def test_help_and_unknown_commands_are_ephemeral(rig: SlackRig) -> None:
    await rig.slash_command("", key="help")
    await rig.slash_command("frobnicate", key="bad")
    help_post = await rig.fake.wait_for_response("help")
    bad = await rig.fake.wait_for_response("bad")
    assert help_post.body["response_type"] == "ephemeral" and "subscribe" in help_post.body["text"]
    assert bad.body == bad.body | {"response_type": "ephemeral"}
    assert bad.body["text"] == "I don't know the command 'frobnicate'; try help."


async def test_pasted_link_gets_one_threaded_reply_despite_retries(
    rig: SlackRig, web: WebServer
) -> None:
    await rig.slash_command("settings autosummarize on", key="on")
    await rig.fake.wait_for_response("on")
    event = message_event(f"Worth a read <{web.url(SEED)}>", ts="1700000200.000300")
    for options in ({}, {"retry_num": 1}, {"retry_num": 2}, {}):  # retries, then a repeat id
        status, _ = await rig.event(event, event_id="Ev0PASTED", **options)
        assert status == 200
    await rig.adapter.drain(5)
    (reply,) = rig.fake.posts("C0NEWS")
    assert reply["thread_ts"] == "1700000200.000300"
    assert reply["blocks"][0]["type"] == "header"
    assert web.hits[SEED] == 1


async def test_a_retry_is_dropped_even_if_its_first_delivery_never_arrived(
    rig: SlackRig, web: WebServer
) -> None:
    """After a restart the id memory is empty; the retry header alone keeps the reply single."""
    await rig.slash_command("settings autosummarize on", key="on")
    await rig.fake.wait_for_response("on")
    status, _ = await rig.event(message_event(f"<{web.url(SEED)}>"), event_id="Ev0R", retry_num=1)
    await rig.adapter.drain(5)
    assert status == 200 and rig.fake.posts() == [] and web.hits[SEED] == 0


async def test_bot_messages_edits_and_other_subtypes_get_no_reply(
    rig: SlackRig, web: WebServer
) -> None:
    await rig.slash_command("settings autosummarize on", key="on")
    await rig.fake.wait_for_response("on")
    link = f"<{web.url(SEED)}>"
    ignored = [
        message_event(link, bot_id="B0OTHER", subtype="bot_message"),
        message_event(link, bot_id=BOT_ID, user=BOT_USER_ID),  # the bot's own message
        {
            **message_event("", subtype="message_changed"),
            "message": {"type": "message", "user": "U0EDITOR", "text": link, "ts": "1.2"},
        },
        message_event(link, subtype="channel_join"),
    ]
    for number, event in enumerate(ignored):
        status, _ = await rig.event(event, event_id=f"Ev0IGNORED{number}")
        assert status == 200
    await rig.adapter.drain(5)
    assert rig.fake.posts() == [] and web.hits[SEED] == 0


async def test_pasted_link_is_left_alone_where_autosummarize_is_off(
    rig: SlackRig, web: WebServer
) -> None:
    await rig.event(message_event(f"<{web.url(SEED)}>"), event_id="Ev0OFF")
    await rig.adapter.drain(5)
    assert rig.fake.posts() == [] and web.hits[SEED] == 0


async def test_mentioning_the_bot_with_a_link_answers_even_with_autosummarize_off(
    rig: SlackRig, web: WebServer
) -> None:
    event = message_event(f"<@{BOT_USER_ID}> summarize <{web.url(SEED)}>")
    await rig.event(event, event_id="Ev0ADDRESSED")
    (reply,) = await rig.fake.wait_for_posts(1)
    assert reply["thread_ts"] == event["ts"]


async def test_message_shortcut_replies_in_the_thread(rig: SlackRig, web: WebServer) -> None:
    message = {"type": "message", "user": "U0REPORTER", "ts": "1700000300.000400"}
    message["text"] = f"Have you seen <{web.url(SEED)}|this>?"
    status, _ = await rig.shortcut(message, key="s1")
    assert status == 200
    (reply,) = await rig.fake.wait_for_posts(1, "C0NEWS")
    assert reply["thread_ts"] == "1700000300.000400"
    assert "190,000" in texts(reply)


async def test_shortcut_outside_the_bots_channels_answers_through_response_url(
    rig: SlackRig, web: WebServer
) -> None:
    rig.fake.not_in_channel.add("C0PRIVATE")
    message = {"type": "message", "user": "U0REPORTER", "ts": "1.5", "text": f"<{web.url(SEED)}>"}
    await rig.shortcut(message, key="s2", channel="C0PRIVATE")
    post = await rig.fake.wait_for_response("s2")
    assert post.body["response_type"] == "in_channel" and "190,000" in texts(post.body)


async def test_shortcut_on_a_message_without_a_link(rig: SlackRig) -> None:
    await rig.shortcut({"type": "message", "user": "U1", "ts": "1.6", "text": "no link"}, key="s3")
    post = await rig.fake.wait_for_response("s3")
    assert post.body["response_type"] == "ephemeral"
    assert post.body["text"] == "That message has no article link to summarize."


async def test_article_text_cannot_ping_the_channel(rig: SlackRig, web: WebServer) -> None:
    await rig.slash_command("settings sentences 10", key="ten")
    await rig.fake.wait_for_response("ten")
    await rig.slash_command(f"summarize {web.url(MENTIONS_PAGE)}", key="m")
    post = await rig.fake.wait_for_response("m")
    rendered = texts(post.body)
    assert "A volunteer posted a sign reading &lt;!channel&gt; and &lt;!here&gt;" in rendered
    assert "reached as &lt;＠U024BE7LH&gt;" in rendered and "＠everyone" in rendered
    assert not PINGS.search(rendered), rendered
    assert "∗urgent∗ ˍtodayˍ ∼maybe∼" in rendered


async def test_rate_limited_response_url_is_retried_and_delivered_once(
    rig: SlackRig,
) -> None:
    rig.fake.fail_next("response_url", 429, retry_after=1)
    await rig.slash_command("help", key="h")
    await rig.fake.wait_for_response("h", timeout=5)
    await rig.adapter.drain(5)
    assert [call.status for call in rig.fake.calls_to("response_url")] == [429, 200]
    assert len(rig.fake.responses_to("h")) == 1


async def test_only_listed_managers_may_change_a_channel(settings: Settings) -> None:
    async with slack_rig(settings, adapter_options={"managers": {"U0BOSS"}}) as rig:
        await rig.slash_command("subscribe 07:00 UTC", key="editor", user="U0EDITOR")
        await rig.slash_command("subscribe 07:00 UTC", key="boss", user="U0BOSS")
        refused = await rig.fake.wait_for_response("editor")
        done = await rig.fake.wait_for_response("boss")
    assert refused.body["response_type"] == "ephemeral"
    assert refused.body["text"].startswith("Only people who can manage this channel")
    assert done.body["response_type"] == "ephemeral"  # the channel got it as a real post
    assert done.body["text"].startswith("Subscribed: the migration digest")


async def test_a_refused_token_stops_start_up_with_one_sentence(
    settings: Settings, idle_commands: Commands
) -> None:
    async with FakeSlack() as fake:
        wrong = fake.settings_update() | {"slack_bot_token": SecretStr("xoxb-revoked")}
        adapter = SlackAdapter(settings.model_copy(update=wrong), idle_commands)
        refused = r"^Slack refused SLACK_BOT_TOKEN \(invalid_auth\)\.$"
        with pytest.raises(ConfigurationError, match=refused):
            await adapter.start()
        assert adapter.port is None  # nothing left listening


async def test_missing_settings_are_named(settings: Settings, idle_commands: Commands) -> None:
    with pytest.raises(ConfigurationError, match="SLACK_BOT_TOKEN is not set"):
        SlackAdapter(settings, idle_commands)
    token_only = settings.model_copy(update={"slack_bot_token": SecretStr("xoxb-1")})
    with pytest.raises(ConfigurationError, match="SLACK_SIGNING_SECRET is required"):
        SlackAdapter(token_only, idle_commands)
