"""The distributed Slack app: bolt's OAuth install flow with installations in Newsbrief's store.

``/slack/install`` sends the installer to Slack's consent page with a one-time ``state`` (kept
in the database, so any replica can finish the install); ``/slack/oauth_redirect`` trades the
code for the workspace's bot token (``oauth.v2.access``) and stores it. Each request is then
authorized from the store (``StoreAuthorize``: one indexed read, no ``auth.test`` round trip).
A failed install answers one sentence; tokens are never logged.
"""

from __future__ import annotations

import html
import logging
import secrets
from typing import Any
from urllib.parse import urljoin

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.error import BoltError
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.workspaces import ACTIVE
from bot.config import Settings
from bot.store import Store, StoreError
from bot.store.records.installations import (
    OAUTH_STATE_SECONDS,
    SlackInstallation,
    workspace_key,
)

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
FAILURES = {
    "invalid_state": "This install link has expired or was already used; start again at "
    f"{INSTALL_PATH}.",
    "invalid_browser": "This install was started in another browser (or cookies are off); "
    f"start again at {INSTALL_PATH} in this one.",
    "access_denied": "The installation was cancelled in Slack, so nothing was installed.",
    "missing_code": f"Slack sent no install code; start again at {INSTALL_PATH}.",
    "invalid_code": f"Slack did not accept the install code; start again at {INSTALL_PATH}.",
    "storage_error": "The installation could not be saved; try again in a minute.",
}


class StoreInstallations(AsyncInstallationStore):
    """bolt's installation store over ``Store``: bot installations only (no user tokens)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def store(self) -> Store:
        return self._store

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        key = workspace_key(
            installation.team_id, installation.enterprise_id, installation.is_enterprise_install
        )
        if key is None or not installation.bot_token:
            raise BoltError("Slack's answer named no workspace or no bot token.")
        row = SlackInstallation(
            workspace=key,
            bot_token=installation.bot_token,
            team_id=installation.team_id,
            team_name=installation.team_name,
            enterprise_id=installation.enterprise_id,
            is_enterprise_install=bool(installation.is_enterprise_install),
            bot_id=installation.bot_id,
            bot_user_id=installation.bot_user_id,
            scopes=",".join(installation.bot_scopes or ()),
            installer=installation.user_id,
        )
        try:
            await self._store.save_slack_installation(row)
        except StoreError as err:
            raise BoltError(str(err)) from None
        log.info(
            "Newsbrief was installed in Slack workspace %s by %s (scopes: %s)",
            key,
            installation.user_id,
            row.scopes,
        )

    async def find(
        self, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool
    ) -> SlackInstallation | None:
        """The installation serving a request: the workspace's own, else its organisation's
        org-wide one."""
        key = workspace_key(team_id, enterprise_id, bool(is_enterprise_install))
        found = await self._store.slack_installation(key) if key else None
        if found is None and enterprise_id and key != enterprise_id:
            org = await self._store.slack_installation(enterprise_id)
            found = org if org is not None and org.is_enterprise_install else None
        return found

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = await self.find(enterprise_id, team_id, bool(is_enterprise_install))
        if found is None:
            return None
        return Bot(
            enterprise_id=found.enterprise_id,
            team_id=found.team_id,
            team_name=found.team_name,
            bot_token=found.bot_token,
            bot_id=found.bot_id or "",
            bot_user_id=found.bot_user_id or "",
            bot_scopes=found.scopes,
            is_enterprise_install=found.is_enterprise_install,
            installed_at=found.installed_at.timestamp() if found.installed_at else None,
        )

    async def async_delete_bot(
        self, *, enterprise_id: str | None, team_id: str | None, **_: Any
    ) -> None:
        await self.forget(enterprise_id, team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, **_: Any
    ) -> None:
        await self.forget(enterprise_id, team_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.forget(enterprise_id, team_id)

    async def forget(self, enterprise_id: str | None, team_id: str | None) -> bool:
        """Delete the workspace's installation (else the org-wide one); whether one was there."""
        for key in (team_id, enterprise_id):
            if key and await self._store.delete_slack_installation(key):
                return True
        return False


class StoreStates(AsyncOAuthStateStore):
    """bolt's state store over ``Store``: a random state, good once, for 10 minutes."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        await self._store.save_oauth_state(state)
        return state

    async def async_consume(self, state: str) -> bool:
        if not state:
            return False
        return await self._store.consume_oauth_state(state)


class StoreAuthorize(AsyncAuthorize):
    """Authorize each request from its workspace's stored installation, and make that
    workspace the active one (``workspaces.ACTIVE``) for the work the request starts."""

    def __init__(self, installations: StoreInstallations) -> None:
        super().__init__()
        self._installations = installations

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_: Any,
    ) -> AuthorizeResult | None:
        found = await self._installations.find(
            enterprise_id, team_id, bool(context.is_enterprise_install)
        )
        if found is None:
            log.warning(
                "Ignored a request from Slack workspace %s: Newsbrief is not installed there",
                team_id or enterprise_id,
            )
            return None
        ACTIVE.set(found)  # this request's task, and the tasks it starts (they copy it)
        return AuthorizeResult(
            enterprise_id=found.enterprise_id or enterprise_id,
            team_id=found.team_id or team_id,
            bot_id=found.bot_id,
            bot_user_id=found.bot_user_id,
            bot_token=found.bot_token,
            bot_scopes=found.scopes,
            user_id=user_id,
        )


def oauth_app(
    settings: Settings, installations: StoreInstallations, client: AsyncWebClient, logger: Any
) -> AsyncApp:
    """bolt's app in OAuth mode: our stores, our pages, Slack's authorize URL."""
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    api = settings.slack_api_url.rstrip("/") + "/"
    secret = settings.slack_signing_secret
    oauth = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=[s.strip() for s in settings.slack_scopes.split(",") if s.strip()],
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        install_path=INSTALL_PATH,
        install_page_rendering_enabled=False,  # straight to Slack's consent page
        redirect_uri_path=REDIRECT_PATH,
        callback_options=AsyncCallbackOptions(success=_installed, failure=_failed),
        # https://slack.com/api/ -> https://slack.com/oauth/v2/authorize (a GovSlack or
        # local fake API address gets its own host's page)
        authorization_url=urljoin(api, "../oauth/v2/authorize"),
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=StoreStates(installations.store),
        state_expiration_seconds=OAUTH_STATE_SECONDS,
        logger=logger,
    )
    return AsyncApp(
        name="newsbrief",
        client=client,  # a token-less template: bolt gives each request its workspace's token
        # bolt accepts an AsyncAuthorize object next to OAuth settings: ours reads the stored
        # installation without bolt's auth.test call on every request.
        authorize=StoreAuthorize(installations),
        oauth_settings=oauth,
        signing_secret=secret.get_secret_value() if secret else "",
        process_before_response=True,
        logger=logger,
    )


def add_oauth_routes(server: web.Application, app: AsyncApp) -> None:
    """Serve bolt's install and redirect pages on the events server."""
    flow = app.oauth_flow
    assert flow is not None

    async def install(request: web.Request) -> web.Response:
        return await to_aiohttp_response(
            await flow.handle_installation(await to_bolt_request(request))
        )

    async def redirect(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

    server.router.add_get(INSTALL_PATH, install)
    server.router.add_get(REDIRECT_PATH, redirect)


def _page(status: int, sentence: str, args: AsyncSuccessArgs | AsyncFailureArgs) -> BoltResponse:
    body = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Newsbrief</title>'
        f"</head><body><p>{html.escape(sentence)}</p></body></html>"
    )
    cookie = args.settings.state_utils.build_set_cookie_for_deletion()
    headers = {"Content-Type": "text/html; charset=utf-8", "Set-Cookie": [cookie]}
    return BoltResponse(status=status, body=body, headers=headers)


async def _installed(args: AsyncSuccessArgs) -> BoltResponse:
    team = args.installation.team_name or args.installation.enterprise_name or "your workspace"
    sentence = (
        f"Newsbrief is installed in {team}: invite it to a channel with /invite @Newsbrief, "
        "then try /newsbrief help."
    )
    return _page(200, sentence, args)


async def _failed(args: AsyncFailureArgs) -> BoltResponse:
    log.warning("A Slack install failed: %s", args.reason)
    sentence = FAILURES.get(args.reason, f"The installation failed; start again at {INSTALL_PATH}.")
    return _page(args.suggested_status_code, sentence, args)
