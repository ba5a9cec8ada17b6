"""bolt listeners for the slash command, pasted links, the message shortcut and summary buttons.

Each listener only acknowledges and starts a tracked task; the task turns the Slack payload
into a core call (``Commands.handle`` / ``Commands.on_message``) and posts the rendered Reply.
A payload without the fields the bot needs (or with a number or an object where text belongs)
is logged and ignored, answered with one sentence where Slack gave a response_url.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Collection, Coroutine
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError

from adapters.slack.admins import WorkspaceAdmins
from adapters.slack.buttons import ACTION_ID, answer_messages, summary_messages, view_of
from adapters.slack.lifecycle import INVITE_FIRST, INVITE_FIRST_MESSAGE
from adapters.slack.outbox import Outbox
from adapters.slack.rendering.fields import MalformedPayloadError, optional_text, required_text
from adapters.slack.rendering.render import text_message
from adapters.slack.rendering.safety import incoming_text
from bot.chat.commands import GENERIC_FAILURE, Commands, find_links
from bot.chat.requests import Caller, Reply, Request
from bot.store import StoreError

log = logging.getLogger(__name__)

COMMAND = "/newsbrief"
SHORTCUT_CALLBACK_ID = "summarize_article"
RESPONSE_URL_POSTS = 5  # Slack accepts 5 posts per response_url (in 30 minutes)
SEEN_EVENTS = 10_000
EVENT_CLAIM = timedelta(hours=1)  # Slack retries an event for about 5 minutes
NO_LINK = "That message has no article link to summarize."
MALFORMED = "Slack sent that request incomplete, so I could not act on it; please try again."

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
        self._admins = WorkspaceAdmins(outbox.client)
        self._seen_events: OrderedDict[str, None] = OrderedDict()
        self._replica = uuid.uuid4().hex  # this process, as holder of its event claims
        self.tasks: set[asyncio.Task[None]] = set()

    def register(self, app: AsyncApp) -> None:
        app.middleware(self.skip_retries)
        app.command(COMMAND)(self.on_command)
        app.shortcut(SHORTCUT_CALLBACK_ID)(self.on_shortcut)
        app.event("message")(self.on_message)
        app.action(ACTION_ID)(self.on_button)  # More, Figures, Sources under a summary

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
        self._spawn(self._run_command(command), _response_url(command))

    async def on_shortcut(self, ack: Ack, shortcut: Payload) -> None:
        await ack()
        self._spawn(self._run_shortcut(shortcut), _response_url(shortcut))

    async def on_button(self, ack: Ack, body: Payload, action: Payload) -> None:
        await ack()
        self._spawn(self._run_button(body, action), _response_url(body))

    async def on_message(self, body: Payload, event: Payload, context: AsyncBoltContext) -> None:
        # Bot posts, edits, joins and every other subtype are not someone pasting a link.
        if event.get("subtype") or event.get("bot_id") or not event.get("user"):
            return
        try:
            event_id = optional_text(body, "event_id")
            text = optional_text(event, "text") or ""
            required_text(event, "user")
        except MalformedPayloadError as err:
            log.warning("Ignored a malformed Slack message event: %s", err)
            return
        if not await self._first_delivery(event_id):
            return
        bot_user_id = context.bot_user_id or self._bot_user_id  # per workspace in OAuth mode
        addressed = bool(bot_user_id) and f"<@{bot_user_id}>" in text
        if addressed or find_links(incoming_text(text)):
            team = optional_text(body, "team_id")
            self._spawn(self._run_pasted(event, team, addressed=addressed), None)

    async def _first_delivery(self, event_id: str | None) -> bool:
        """False for an event id seen before, by this process or another replica.

        The claim is a lease row named after the event (``EVENT_CLAIM`` long), so replicas
        behind one load balancer handle each event once; an id in this process's bounded memory
        is a repeat for sure and skips the database. Slack's retries carry X-Slack-Retry-Num
        (dropped above). If the database cannot be reached the event is handled (a rare
        duplicate answer beats a lost one).
        """
        if not event_id:
            return True
        if event_id in self._seen_events:
            return False
        try:
            first = await self._commands.store.acquire_lease(
                f"slack-event:{event_id}", self._replica, EVENT_CLAIM
            )
        except StoreError as err:
            log.warning("could not claim Slack event %s in the database: %s", event_id, err)
            first = True
        self._seen_events[event_id] = None
        if len(self._seen_events) > SEEN_EVENTS:
            self._seen_events.popitem(last=False)
        return first

    # --- work after the ack ----------------------------------------------------------------

    async def _run_command(self, command: Payload) -> None:
        caller = await self._caller(
            required_text(command, "channel_id"),
            required_text(command, "user_id"),
            optional_text(command, "team_id"),
        )
        text = incoming_text(optional_text(command, "text") or "")
        response_url = required_text(command, "response_url")
        reply = await self._commands.handle(Request(caller, text))
        if text.split()[:1] in (["more"], ["figures"], ["sources"]):  # a button's answer, typed
            for message in answer_messages(reply)[:RESPONSE_URL_POSTS]:
                if not await self._outbox.respond(response_url, message, in_channel=False):
                    return
            return
        await self._answer(response_url, caller.channel, reply)

    async def _run_shortcut(self, shortcut: Payload) -> None:
        channel = required_text(shortcut, "channel", "id")
        caller = await self._caller(
            channel, required_text(shortcut, "user", "id"), optional_text(shortcut, "team", "id")
        )
        links = find_links(incoming_text(optional_text(shortcut, "message", "text") or ""))
        thread = optional_text(shortcut, "message", "thread_ts") or optional_text(
            shortcut, "message", "ts"
        )
        response_url = required_text(shortcut, "response_url")
        if not links:
            await self._outbox.respond(response_url, text_message(NO_LINK), in_channel=False)
            return
        reply = await self._commands.handle(Request(caller, f"summarize {links[0]}"))
        if reply.error:
            await self._answer(response_url, caller.channel, reply)
            return
        try:
            for slack_message in summary_messages(reply):
                await self._outbox.post(caller.channel, slack_message, thread_ts=thread)
        except SlackApiError as err:  # e.g. not_in_channel: the bot was never invited
            log.info("thread reply refused (%s); answering through response_url", err)
            await self._answer(response_url, caller.channel, reply)

    async def _run_button(self, body: Payload, action: Payload) -> None:
        """A summary button's answer, only to the one who pressed it (ephemeral).

        The button's value is only a key to look up: the core checks it against the workspace
        and channel the click came from, and the answer comes from the stored article.
        """
        caller = Caller(
            "slack",
            required_text(body, "channel", "id"),
            required_text(body, "user", "id"),
            tenant=optional_text(body, "team", "id")
            or optional_text(body, "user", "team_id")
            or "",
        )
        response_url = required_text(body, "response_url")
        view = view_of(required_text(action, "action_id")) or ""
        reply = await self._commands.expand(caller, optional_text(action, "value") or "", view)
        for message in answer_messages(reply):
            if not await self._outbox.respond(response_url, message, in_channel=False):
                return

    async def _run_pasted(self, event: Payload, team: str | None, *, addressed: bool) -> None:
        # A pasted link only asks for a summary: no right to check, so no users.info call.
        caller = Caller(
            "slack",
            required_text(event, "channel"),
            required_text(event, "user"),
            tenant=team or "",
        )
        thread = optional_text(event, "thread_ts") or required_text(event, "ts")
        text = incoming_text(optional_text(event, "text") or "")
        replies = await self._commands.on_message(caller, text, addressed=addressed)
        for reply in replies:
            for message in summary_messages(reply):
                await self._outbox.post(caller.channel, message, thread_ts=thread)

    async def _answer(self, response_url: str, channel: str, reply: Reply) -> None:
        """Send a reply through the response_url, or into the channel when it is too long."""
        invite = reply.error and reply.text == INVITE_FIRST
        messages = [INVITE_FIRST_MESSAGE] if invite else summary_messages(reply)
        in_channel = not reply.ephemeral
        if len(messages) <= RESPONSE_URL_POSTS or not in_channel:
            for message in messages[:RESPONSE_URL_POSTS]:
                if not await self._outbox.respond(response_url, message, in_channel=in_channel):
                    return
            return
        for message in messages:
            await self._outbox.post(channel, message)

    async def _caller(self, channel: str, user: str, team: str | None) -> Caller:
        """The Caller; without SLACK_MANAGERS, workspace admins and owners manage."""
        if self._managers:
            can_manage = user in self._managers
        else:
            can_manage = await self._admins.is_admin(user)
        return Caller("slack", channel, user, can_manage=can_manage, tenant=team or "")

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
        except MalformedPayloadError as err:
            log.warning("Ignored a malformed Slack request: %s", err)
            if response_url:
                with contextlib.suppress(Exception):
                    await self._outbox.respond(
                        response_url, text_message(MALFORMED), in_channel=False
                    )
        except Exception:
            log.exception("Slack request failed")
            if response_url:
                with contextlib.suppress(Exception):
                    await self._outbox.respond(
                        response_url, text_message(GENERIC_FAILURE), in_channel=False
                    )


def _response_url(payload: Payload) -> str | None:
    """The payload's response_url if it is an https or http URL (the only thing posted to)."""
    url = payload.get("response_url")
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None
