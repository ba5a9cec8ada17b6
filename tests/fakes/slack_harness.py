"""The real core and the real Slack adapter against a FakeSlack, and Slack's signed requests.

Tests read like a conversation::

    async with slack_rig(settings) as rig:
        status, _ = await rig.slash_command("summarize https://...", key="r1")
        post = await rig.fake.wait_for_response("r1")
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from adapters.slack import EVENTS_PATH, SlackAdapter
from bot.chat.commands import Commands
from bot.config import Settings
from bot.service import Summarizer
from bot.store import Store, open_store
from fakes.slack_api import FakeSlack
from fakes.slack_payloads import event_body, shortcut_payload, slash_command_body

FORM = "application/x-www-form-urlencoded"


@dataclass
class SlackRig:
    """Everything a Slack test talks to, and Slack's side of the HTTP conversation."""

    fake: FakeSlack
    adapter: SlackAdapter
    commands: Commands
    store: Store
    settings: Settings
    session: aiohttp.ClientSession

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.port}{EVENTS_PATH}"

    async def deliver(
        self,
        body: str,
        *,
        content_type: str,
        retry_num: int | None = None,
        timestamp: int | None = None,
        secret: str | None = None,
    ) -> tuple[int, str]:
        """POST ``body`` to the bot signed as Slack does; returns (status, response text)."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        verifier = SignatureVerifier(self.fake.signing_secret if secret is None else secret)
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body) or "",
        }
        if retry_num is not None:
            headers |= {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        async with self.session.post(self.events_url, data=body.encode(), headers=headers) as resp:
            return resp.status, await resp.text()

    async def slash_command(
        self,
        text: str,
        *,
        key: str,
        channel: str = "C0NEWS",
        user: str = "U0EDITOR",
        **options: Any,
    ) -> tuple[int, str]:
        url = self.fake.response_url(key)
        body = slash_command_body(text, url, channel=channel, user=user)
        return await self.deliver(body, content_type=FORM, **options)

    async def event(
        self, event: dict[str, Any], *, event_id: str, **options: Any
    ) -> tuple[int, str]:
        body = json.dumps(event_body(event, event_id))
        return await self.deliver(body, content_type="application/json", **options)

    async def shortcut(
        self,
        message: dict[str, Any],
        *,
        key: str,
        channel: str = "C0NEWS",
        user: str = "U0EDITOR",
        **options: Any,
    ) -> tuple[int, str]:
        payload = shortcut_payload(message, self.fake.response_url(key), channel=channel, user=user)
        body = urlencode({"payload": json.dumps(payload)})
        return await self.deliver(body, content_type=FORM, **options)


@asynccontextmanager
async def slack_rig(
    settings: Settings,
    *,
    socket_mode: bool = False,
    adapter_options: dict[str, Any] | None = None,
    commands_options: dict[str, Any] | None = None,
) -> AsyncIterator[SlackRig]:
    """A started bot (store, summarizer, commands, Slack adapter) talking to a fresh FakeSlack."""
    async with FakeSlack() as fake:
        bot_settings = settings.model_copy(update=fake.settings_update(socket_mode=socket_mode))
        store = await open_store(bot_settings.db_path)
        summarizer = Summarizer(bot_settings)
        commands = Commands(summarizer, store, **(commands_options or {}))
        options = {"post_interval": 0.0, "retry_backoff": 0.05} | (adapter_options or {})
        adapter = SlackAdapter(bot_settings, commands, **options)
        session = aiohttp.ClientSession()
        try:
            await adapter.start()
            yield SlackRig(fake, adapter, commands, store, bot_settings, session)
        finally:
            await adapter.aclose()
            await session.close()
            await summarizer.aclose()
            await store.aclose()
