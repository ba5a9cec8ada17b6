"""bolt listeners for the slash command, pasted links and the message shortcut.

Each listener only acknowledges and starts a tracked task; the task turns the Slack payload
into a core call (``Commands.handle`` / ``Commands.on_message``) and posts the rendered Reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Collection, Coroutine
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError

from adapters.slack.outbox import Outbox
from adapters.slack.render import reply_messages, text_message
from adapters.slack.safety import incoming_text
from bot.commands import Commands, find_links
from bot.requests import Caller, Reply, Request

log = logging.getLogger(__name__)

COMMAND = "/newsbrief"
SHORTCUT_CALLBACK_ID = "summarize_article"
RESPONSE_URL_POSTS = 5  # Slack accepts 5 posts per response_url (in 30 minutes)
SEEN_EVENTS = 10_000
NO_LINK = "That message has no article link to summarize."
FAILED = "Something went wrong on my side; please try again later."

Ack = Callable[[], Awaitable[None]]
Payload = dict[str, Any]


class SlackHandlers:
    """The bot's listeners and the work they start after the ack."""

    def __init__(
        self,
        commands: Commands,
        outbox: Outbox,
        *,
        bot_user_id: str | None,
        managers: Collection[str] = (),
    ) -> None:
        self._commands = commands
        self._outbox = outbox
        self._bot_user_id = bot_user_id
        self._managers = frozenset(managers)
        self._seen_events: OrderedDict[str, None] = OrderedDict()
        self.tasks: set[asyncio.Task[None]] = set()

    def register(self, app: AsyncApp) -> None:
        app.middleware(self.skip_retries)
        app.command(COMMAND)(self.on_command)
        app.shortcut(SHORTCUT_CALLBACK_ID)(self.on_shortcut)
        app.event("message")(self.on_message)

    # --- listeners: acknowledge, then work in a task -----------------------------------------

    async def skip_retries(
        self, req: AsyncBoltRequest, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Acknowledge Slack's retried deliveries and drop them: the first one is being handled.

        Socket Mode marks first deliveries with retry_attempt 0, HTTP sends no header at all.
        """
        retry = (req.headers.get("x-slack-retry-num") or ["0"])[0]
        if retry.isdigit() and int(retry) > 0:
            return BoltResponse(status=200, body="")
        await next()  # bolt's async middleware chain continues after this returns
        return None

    async def on_command(self, ack: Ack, command: Payload) -> None:
        await ack()
        self._spawn(self._run_command(command), command.get("response_url"))

    async def on_shortcut(self, ack: Ack, shortcut: Payload) -> None:
        await ack()
        self._spawn(self._run_shortcut(shortcut), shortcut.get("response_url"))

    async def on_message(self, body: Payload, event: Payload) -> None:
        # Bot posts, edits, joins and every other subtype are not someone pasting a link.
        if event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return
        if not self._first_delivery(body.get("event_id")):
            return
        text = event.get("text") or ""
        addressed = bool(self._bot_user_id) and f"<@{self._bot_user_id}>" in text
        if addressed or find_links(incoming_text(text)):
            self._spawn(self._run_pasted(event, addressed=addressed), None)

    def _first_delivery(self, event_id: str | None) -> bool:
        """False for an event id seen before (bounded memory of recent ids).

        This covers redeliveries that reach this process; across restarts, Slack's retries
        carry X-Slack-Retry-Num (dropped above) and only come within its short retry window.
        """
        if not event_id:
            return True
        if event_id in self._seen_events:
            return False
        self._seen_events[event_id] = None
        if len(self._seen_events) > SEEN_EVENTS:
            self._seen_events.popitem(last=False)
        return True

    # --- work after the ack ----------------------------------------------------------------

    async def _run_command(self, command: Payload) -> None:
        caller = self._caller(command["channel_id"], command["user_id"])
        text = incoming_text(command.get("text") or "")
        reply = await self._commands.handle(Request(caller, text))
        await self._answer(command["response_url"], caller.channel, reply)

    async def _run_shortcut(self, shortcut: Payload) -> None:
        caller = self._caller(shortcut["channel"]["id"], shortcut["user"]["id"])
        message = shortcut.get("message") or {}
        links = find_links(incoming_text(message.get("text") or ""))
        response_url = shortcut["response_url"]
        if not links:
            await self._outbox.respond(response_url, text_message(NO_LINK), in_channel=False)
            return
        reply = await self._commands.handle(Request(caller, f"summarize {links[0]}"))
        if reply.error:
            await self._answer(response_url, caller.channel, reply)
            return
        thread = message.get("thread_ts") or message.get("ts")
        try:
            for slack_message in reply_messages(reply):
                await self._outbox.post(caller.channel, slack_message, thread_ts=thread)
        except SlackApiError as err:  # e.g. not_in_channel: the bot was never invited
            log.info("thread reply refused (%s); answering through response_url", err)
            await self._answer(response_url, caller.channel, reply)

    async def _run_pasted(self, event: Payload, *, addressed: bool) -> None:
        caller = self._caller(event["channel"], event["user"])
        text = incoming_text(event.get("text") or "")
        replies = await self._commands.on_message(caller, text, addressed=addressed)
        thread = event.get("thread_ts") or event["ts"]
        for reply in replies:
            for message in reply_messages(reply):
                await self._outbox.post(caller.channel, message, thread_ts=thread)

    async def _answer(self, response_url: str, channel: str, reply: Reply) -> None:
        """Send a reply through the response_url, or into the channel when it is too long."""
        messages = reply_messages(reply)
        in_channel = not reply.ephemeral
        if len(messages) <= RESPONSE_URL_POSTS or not in_channel:
            for message in messages[:RESPONSE_URL_POSTS]:
                if not await self._outbox.respond(response_url, message, in_channel=in_channel):
                    return
            return
        for message in messages:
            await self._outbox.post(channel, message)

    def _caller(self, channel: str, user: str) -> Caller:
        can_manage = not self._managers or user in self._managers
        return Caller(platform="slack", channel=channel, user=user, can_manage=can_manage)

    def _spawn(self, work: Coroutine[Any, Any, None], response_url: str | None) -> None:
        task = asyncio.create_task(self._guarded(work, response_url))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _guarded(self, work: Coroutine[Any, Any, None], response_url: str | None) -> None:
        """Run acknowledged work; a crash becomes one ephemeral sentence when Slack can take it."""
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("Slack request failed")
            if response_url:
                with contextlib.suppress(Exception):
                    await self._outbox.respond(response_url, text_message(FAILED), in_channel=False)
