"""Tokens and signing secrets never appear in logs, errors or anything the bot sends.

A full run against the local Slack and Discord fakes with known fake secrets and every logger
at DEBUG (aiohttp, slack_sdk, slack-bolt, discord.py included), with the redaction the CLI
installs (bot.logging_setup): summaries, a failure, a digest, a forged signature, a Slack API
error, Socket Mode, and start-ups refused for a bad token. Then the captured logs (messages,
arguments, tracebacks), stdout/stderr, every error message and every body the bot sent are
searched for each secret, and for the credentials the libraries put in URLs and bodies
(Discord interaction tokens, Slack's verification token).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from fakes.discord_api import FakeDiscord
from fakes.discord_harness import discord_settings
from fakes.slack_api import FakeSlack
from fakes.slack_harness import slack_rig
from fakes.slack_payloads import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, slash_command_body
from pydantic import SecretStr
from webserver import WebServer

from adapters.discord import DiscordAdapter
from adapters.slack import SlackAdapter
from bot.chat.commands import Commands
from bot.config import Settings
from bot.errors import ConfigurationError
from bot.logging_setup import REDACTED, install_redaction, redact, uninstall_redaction
from bot.models import Digest
from bot.service import Summarizer
from bot.store import open_store

SEED_HTML = (
    Path(__file__).parent / "fixtures" / "seed" / "bbc-us-mexico-migration.html"
).read_bytes()
DISCORD_TOKEN = "MTE5ODc2NTQzMjEwOTg3NjU0Mw.GdSecr.discord-bot-token-do-not-log"
WRONG_SLACK_TOKEN = "xoxb-1111-revoked-slack-token-do-not-log"
WRONG_DISCORD_TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAwMA.GwRong.revoked-discord-token"
VERIFICATION_TOKEN = "deprecated-verification-token"  # what the fake Slack sends in payloads
SECRETS = {
    "Slack bot token": BOT_TOKEN,
    "Slack signing secret": SIGNING_SECRET,
    "Slack app token": APP_TOKEN,
    "Discord token": DISCORD_TOKEN,
    "revoked Slack token": WRONG_SLACK_TOKEN,
    "revoked Discord token": WRONG_DISCORD_TOKEN,
    "Slack verification token": VERIFICATION_TOKEN,
}
DIGEST = Digest("migration", datetime(2024, 3, 4, tzinfo=UTC), datetime(2024, 3, 5, tzinfo=UTC), ())


class Everything(logging.Handler):
    """Keeps every record from every logger: formatted (with traceback), args and extras."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []
        self.loggers: set[str] = set()
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.loggers.add(record.name)
        self.texts.append(self.format(record))
        extras = {k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRIBUTES}
        if record.name == "aiohttp.access":
            # The fakes' access logs (the bot's own server has none): their structured
            # extras repeat the raw request line, which only a JSON formatter would print.
            extras = {}
        self.texts.append(repr((record.msg, record.args, extras)))


_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


@pytest.fixture
def all_logs() -> Iterator[Everything]:
    """Every record of the test, at DEBUG, redacted as `newsbrief` does it."""
    handler = Everything()
    root = logging.getLogger()
    saved = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(saved)
        uninstall_redaction()


@contextlib.asynccontextmanager
async def idle_commands(settings: Settings) -> AsyncIterator[Commands]:
    """A complete command layer, for adapters that fail before they use it."""
    async with await open_store(settings.db_path) as store, Summarizer(settings) as summarizer:
        yield Commands(summarizer, store)


def leaks(haystacks: dict[str, str], secrets: dict[str, str]) -> list[str]:
    return [
        f"{name} in {where}"
        for name, secret in secrets.items()
        for where, text in haystacks.items()
        if secret in text
    ]


async def test_no_secret_leaks_from_a_full_run(
    settings: Settings, web: WebServer, all_logs: Everything, capfd: pytest.CaptureFixture[str]
) -> None:
    web.respond("/story", SEED_HTML)
    web.respond("/gone", "<h1>Gone</h1>", status=404)
    story, gone = web.url("/story"), web.url("/gone")
    seen: list[str] = []  # error messages and everything the bot sent
    configured = {
        "slack_bot_token": SecretStr(BOT_TOKEN),
        "slack_signing_secret": SecretStr(SIGNING_SECRET),
        "slack_app_token": SecretStr(APP_TOKEN),
        "discord_token": SecretStr(DISCORD_TOKEN),
    }
    install_redaction(settings.model_copy(update=configured))  # as the CLI does at start

    # --- Slack over HTTP: summary, failure, forged signature, API error, digest ---
    async with slack_rig(settings) as rig:
        await rig.slash_command(f"summarize {story}", key="ok")
        await rig.slash_command(f"summarize {gone}", key="404")
        status, body = await rig.slash_command(f"summarize {story}", key="bad", secret="x" * 32)
        assert status == 401
        await rig.fake.wait_for_response("ok")
        await rig.fake.wait_for_response("404")
        rig.fake.fail_next("chat.postMessage", 500, times=1)
        await rig.adapter.send_digest("C0NEWS", DIGEST, delivery_key="k1", language="en")
        await rig.adapter.drain(5)
        assert [call.status for call in rig.fake.calls_to("chat.postMessage")] == [500, 200]
        seen += [body, *(json.dumps(post.body) for post in rig.fake.responses)]
        seen += [json.dumps(call.args) for call in rig.fake.calls]

    # --- Slack Socket Mode ---
    async with slack_rig(settings, socket_mode=True) as rig:
        form = slash_command_body(
            f"summarize {story}", rig.fake.response_url("s"), channel="C1", user="U1"
        )
        await rig.fake.send_envelope("slash_commands", dict(parse_qsl(form)))
        seen.append(json.dumps((await rig.fake.wait_for_response("s")).body))

    # --- Slack refuses the token at start ---
    async with FakeSlack() as fake, idle_commands(settings) as commands:
        wrong = fake.settings_update() | {"slack_bot_token": SecretStr(WRONG_SLACK_TOKEN)}
        adapter = SlackAdapter(settings.model_copy(update=wrong), commands)
        with pytest.raises(ConfigurationError) as refused:
            await adapter.start()
        seen.append(f"{refused.value} {refused.value!r}")

    # --- Discord: summary, failure, digest ---
    async with FakeDiscord(token=DISCORD_TOKEN) as fake:
        bot_settings = discord_settings(settings, fake)
        async with (
            await open_store(bot_settings.db_path) as store,
            Summarizer(bot_settings) as summarizer,
        ):
            adapter = DiscordAdapter(
                bot_settings, Commands(summarizer, store), guild_ready_timeout=0.05
            )
            await adapter.start(timeout=10)
            try:
                ok = await fake.invoke("summarize", {"url-or-text": story})
                bad = await fake.invoke("summarize", {"url-or-text": gone})
                await fake.wait_for(lambda: ok.replies and bad.callbacks)
                channel = fake.channel_id("digest")
                await adapter.send_digest(channel, DIGEST, delivery_key="k2", language="en")
            finally:
                await adapter.aclose()
        seen += [json.dumps(payload) for payload in fake.bot_payloads()]
        interaction_tokens = {f"interaction {t}": t for t in fake.interactions.by_token}

    # --- Discord refuses the token at start ---
    async with FakeDiscord(token=DISCORD_TOKEN) as fake, idle_commands(settings) as commands:
        wrong_token = SecretStr(WRONG_DISCORD_TOKEN)
        adapter = DiscordAdapter(
            discord_settings(settings, fake, discord_token=wrong_token), commands
        )
        with pytest.raises(Exception) as login_failed:
            await adapter.start(timeout=10)
        seen.append(f"{login_failed.value} {login_failed.value!r}")

    captured = capfd.readouterr()
    haystacks = {
        "logs": "\n".join(all_logs.texts),
        "stdout/stderr": captured.out + captured.err,
        "messages and bodies": "\n".join(seen),
    }
    assert len(interaction_tokens) == 2
    assert {"discord.http", "slack_sdk.web.async_base_client", "aiohttp.access"} <= all_logs.loggers
    assert REDACTED in haystacks["logs"]  # there was something to redact
    assert leaks(haystacks, SECRETS | interaction_tokens) == []


# --- the redaction itself ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (  # discord.py at DEBUG, answering an interaction
            "Webhook ID 130 with POST https://discord.com/api/v10/webhooks/130/aW50ZXJhY3Rpb246"
            "MTIzNDU2Nzg5?wait=1 has returned status code 200",
            "webhooks/130/[redacted]?wait=1",
        ),
        (
            "POST https://discord.com/api/v10/interactions/131/aW50ZXJhY3Rpb24/callback",
            "interactions/131/[redacted]/callback",
        ),
        (  # slack-bolt at INFO, on a bad signature
            "Invalid request signature detected (body: token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0"
            "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0%2F1%2FqUx9SeCrEt&x=1)",
            "token=[redacted]&team_id=T0&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F"
            "[redacted]&x=1",
        ),
        (  # slack_sdk at DEBUG, a response_url post
            "Sending a request - url: https://hooks.slack.com/actions/T0/1/qUx9SeCrEt, body: {}",
            "url: https://hooks.slack.com/actions/[redacted], body: {}",
        ),
        (
            'Received message (data: {"payload": {"token": "gIkuvaNzQIHg97ATvDxqgjtO", "x": 1}})',
            '{"token": "[redacted]", "x": 1}',
        ),
        ("wss://wss-primary.slack.com/link/?ticket=4e2c-77b1&app_id=A1", "?ticket=[redacted]&app"),
        (f"headers: {{'Authorization': 'Bot {DISCORD_TOKEN}'}}", "'Authorization': '[redacted]'"),
        (f"Authorization: Bearer {BOT_TOKEN}", "Authorization: [redacted]"),
        (f"token {BOT_TOKEN} and {APP_TOKEN} and {DISCORD_TOKEN}.", "token [redacted] and [r"),
        ("8 tokens counted; the token is fine", "8 tokens counted; the token is fine"),
    ],
)
def test_token_shaped_text_is_redacted(line: str, kept: str) -> None:
    redacted = redact(line, secrets=())
    assert kept in redacted, redacted
    for secret in (
        "aW50ZXJh",
        "gIkuvaN",
        "qUx9SeCrEt",
        "4e2c",
        DISCORD_TOKEN,
        BOT_TOKEN,
        APP_TOKEN,
    ):
        assert secret not in redacted


def test_configured_secrets_are_redacted_wherever_they_show(
    settings: Settings, all_logs: Everything
) -> None:
    install_redaction(settings.model_copy(update={"slack_signing_secret": SecretStr("s3cr3t!x")}))
    log = logging.getLogger("newsbrief.test")
    log.warning("plain %s and %r", "s3cr3t!x", {"k": "s3cr3t!x"})
    try:
        raise RuntimeError("failed with s3cr3t!x in the message")
    except RuntimeError:
        log.exception("boom")
    late = Everything()  # a handler added after install_redaction is covered too
    logging.getLogger().addHandler(late)
    try:
        log.debug("late s3cr3t!x")
    finally:
        logging.getLogger().removeHandler(late)
    uninstall_redaction()
    log.info("after uninstall s3cr3t!x")

    text = "\n".join(all_logs.texts)
    assert text.count("s3cr3t!x") == 2  # only the record made after uninstall (2 views)
    assert "RuntimeError: failed with [redacted] in the message" in text
    assert "late [redacted]" in "\n".join(late.texts)
