"""The fake Slack's side of the OAuth install flow, and a bot token per installed workspace.

``authorize`` is Slack's consent page: it "installs" in ``installing_team`` at once and sends
the browser back to the app's redirect URL with a one-time code; ``oauth.v2.access`` trades the
code (with the app's client id and secret, as HTTP Basic) for a new bot token of that team;
``auth.test`` answers for whichever token asks. ``uninstall`` revokes a team's tokens.
"""

from __future__ import annotations

import base64
import itertools
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from aiohttp import web

from fakes.slack_payloads import APP_ID, BOT_ID, BOT_TOKEN, BOT_USER_ID, TEAM_ID

Json = dict[str, object]
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret-3333"


@dataclass(frozen=True, slots=True)
class FakeTeam:
    """A workspace the fake knows: its ids as auth.test and oauth.v2.access give them."""

    team_id: str
    name: str
    bot_user_id: str
    bot_id: str


class FakeOAuth:
    """Installed workspaces and their tokens (mixed into FakeSlack)."""

    def __init__(self) -> None:
        self.teams: dict[str, FakeTeam] = {
            TEAM_ID: FakeTeam(TEAM_ID, "Newsroom", BOT_USER_ID, BOT_ID)
        }
        self.tokens: dict[str, str] = {BOT_TOKEN: TEAM_ID}  # live bot token -> team id
        self.issued: dict[str, str] = dict(self.tokens)  # every token ever given -> team id
        self.redirect_url: str | None = None  # the app's configured redirect URL
        self.installing_team = TEAM_ID  # whose admin consents on the next authorize
        self.authorize_requests: list[dict[str, str]] = []
        self.current_token = ""  # the token of the Web API call being answered
        self._codes: dict[str, tuple[str, str]] = {}  # code -> (team id, scopes asked)
        self._serial = itertools.count(1)

    def add_team(self, team_id: str, name: str) -> FakeTeam:
        team = FakeTeam(team_id, name, f"U0BOT{team_id}", f"B0BOT{team_id}")
        self.teams[team_id] = team
        return team

    def uninstall(self, team_id: str) -> None:
        """What Slack does before sending app_uninstalled: the team's tokens stop working."""
        for token in [t for t, team in self.tokens.items() if team == team_id]:
            del self.tokens[token]

    def team_of(self, token: str) -> FakeTeam | None:
        team = self.tokens.get(token)
        return self.teams.get(team) if team else None

    async def _authorize(self, request: web.Request) -> web.Response:
        query = dict(request.query)
        self.authorize_requests.append(query)
        target = query.get("redirect_uri") or self.redirect_url
        if query.get("client_id") != CLIENT_ID or not target:
            return web.Response(status=400, text="invalid_client_id or no redirect URL")
        code = secrets.token_hex(8)
        self._codes[code] = (self.installing_team, query.get("scope", ""))
        back = {"code": code} | ({"state": query["state"]} if "state" in query else {})
        raise web.HTTPFound(f"{target}?{urlencode(back)}")

    def _oauth_access(self, args: Json, authorization: str) -> Json:
        client_id, client_secret = args.get("client_id"), args.get("client_secret")
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, client_secret = decoded.partition(":")
        if client_id != CLIENT_ID or client_secret != CLIENT_SECRET:
            return {"ok": False, "error": "invalid_client"}
        granted = self._codes.pop(str(args.get("code")), None)
        if granted is None:
            return {"ok": False, "error": "invalid_code"}
        team_id, scopes = granted
        team = self.teams[team_id]
        token = f"xoxb-{team_id}-{next(self._serial)}-{secrets.token_hex(6)}"
        self.tokens[token] = self.issued[token] = team_id
        return {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": "U0ADMIN"},
            "scope": scopes,
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": team.bot_user_id,
            "team": {"id": team.team_id, "name": team.name},
            "enterprise": None,
            "is_enterprise_install": False,
        }
