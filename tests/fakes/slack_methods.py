"""The Web API methods of the fake Slack (tests/fakes/slack_api.py): what each one answers."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Callable
from typing import Any

from fakes.slack_payloads import BOT_ID, BOT_USER_ID, TEAM_ID, block_limit_problem

Json = dict[str, Any]


class SlackWorkspace:
    """One workspace's state as the Web API methods see it; FakeSlack serves it over HTTP."""

    port: int
    messages: dict[str, list[Json]]  # channel -> messages, oldest first
    not_in_channel: set[str]
    admins: set[str]
    owners: set[str]
    _ts: itertools.count[int]
    current_token: str
    team_of: Callable[[str], Any]  # FakeOAuth.team_of

    def _auth_test(self, _args: Json) -> Json:
        team = self.team_of(self.current_token)  # the workspace of the token asking
        return {
            "ok": True,
            "url": "https://newsroom.slack.com/",
            "team": team.name if team else "Newsroom",
            "user": "newsbrief",
            "team_id": team.team_id if team else TEAM_ID,
            "user_id": team.bot_user_id if team else BOT_USER_ID,
            "bot_id": team.bot_id if team else BOT_ID,
        }

    def _post_message(self, args: Json) -> Json:
        channel = args.get("channel")
        blocks = args.get("blocks") or []
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.not_in_channel:
            return {"ok": False, "error": "not_in_channel"}
        if not args.get("text") and not blocks:
            return {"ok": False, "error": "no_text"}
        if problem := block_limit_problem(blocks):
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        ts = f"{1_700_000_000 + next(self._ts)}.000100"
        kept = ("text", "thread_ts", "reply_broadcast", "metadata")
        team = self.team_of(self.current_token)  # the bot of the workspace whose token posted
        bot_id, bot_user = (team.bot_id, team.bot_user_id) if team else (BOT_ID, BOT_USER_ID)
        message = {"type": "message", "ts": ts, "bot_id": bot_id, "user": bot_user}
        message |= {"blocks": blocks} | {key: args[key] for key in kept if key in args}
        self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _history(self, args: Json) -> Json:
        channel = args.get("channel", "")
        if channel in self.not_in_channel:
            return {"ok": False, "error": "not_in_channel"}
        with_metadata = str(args.get("include_all_metadata", "")).lower() in {"1", "true"}
        newest_first = [
            {k: v for k, v in message.items() if k != "metadata" or with_metadata}
            for message in reversed(self.messages.get(channel, []))
        ]
        limit, start = int(args.get("limit", 100)), int(args.get("cursor") or 0)
        more = start + limit < len(newest_first)
        return {
            "ok": True,
            "messages": newest_first[start : start + limit],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _users_info(self, args: Json) -> Json:
        user = args.get("user")
        if not user:
            return {"ok": False, "error": "user_not_found"}
        owner = user in self.owners
        return {
            "ok": True,
            "user": {
                "id": user,
                "team_id": TEAM_ID,
                "is_bot": False,
                "is_admin": owner or user in self.admins,
                "is_owner": owner,
            },
        }

    def _connections_open(self, _args: Json) -> Json:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket?ticket={uuid.uuid4()}"}


WEB_METHODS: dict[str, Callable[[SlackWorkspace, Json], Json]] = {
    "auth.test": SlackWorkspace._auth_test,
    "chat.postMessage": SlackWorkspace._post_message,
    "conversations.history": SlackWorkspace._history,
    "apps.connections.open": SlackWorkspace._connections_open,
    "users.info": SlackWorkspace._users_info,
}
