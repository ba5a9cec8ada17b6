"""The distributed Slack app end to end: two workspaces installed through bolt's OAuth flow
against the fake Slack, each answered and sent digests with its own token, then one uninstalled
(its installation gone, its digests paused) while the other keeps working; bad installs answer
one sentence."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from fakes.slack_api import FakeSlack
from fakes.slack_harness import FORM, SlackRig
from fakes.slack_oauth import CLIENT_ID, CLIENT_SECRET
from fakes.slack_payloads import event_body, message_event, slash_command_body
from pydantic import SecretStr
from store_fixtures import Opener
from webserver import WebServer

from adapters.slack import SlackAdapter
from adapters.slack.oauth import REDIRECT_PATH
from bot.chat.commands import Commands
from bot.config import Settings
from bot.digests.builder import DigestCandidate, build_digest
from bot.digests.delivery import BuiltDigest, DigestDelivery
from bot.errors import PlatformError
from bot.service import Summarizer
from bot.store import Subscription, delivery_key, open_store

SEED = "/seed/bbc-us-mexico-migration.html"
DAY = date(2024, 3, 5)
NORTH, SOUTH = "T1NORTH", "T2SOUTH"
CHANNEL = {NORTH: "C1NORTH", SOUTH: "C2SOUTH"}


@asynccontextmanager
async def oauth_rig(settings: Settings, opener: Opener | None = None) -> AsyncIterator[SlackRig]:
    """The real adapter in OAuth mode (no SLACK_BOT_TOKEN) against a fake Slack of two teams,
    on the SQLite file of ``settings`` or the store ``opener`` opens."""
    async with FakeSlack() as fake:
        fake.add_team(NORTH, "North Desk")
        fake.add_team(SOUTH, "South Desk")
        update = fake.settings_update() | {
            "slack_bot_token": None,
            "slack_client_id": CLIENT_ID,
            "slack_client_secret": SecretStr(CLIENT_SECRET),
        }
        bot_settings = settings.model_copy(update=update)
        store = await (opener() if opener else open_store(bot_settings.db_path))
        summarizer = Summarizer(bot_settings)
        commands = Commands(summarizer, store)
        adapter = SlackAdapter(bot_settings, commands, post_interval=0.0, retry_backoff=0.05)
        # The test is the installer's browser: it carries the state cookie by hand.
        session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        try:
            await adapter.start()
            fake.redirect_url = f"http://127.0.0.1:{adapter.port}/slack/oauth_redirect"
            yield SlackRig(fake, adapter, commands, store, bot_settings, session)
        finally:
            await adapter.aclose()
            await session.close()
            await summarizer.aclose()
            await store.aclose()


def base(rig: SlackRig) -> str:
    return f"http://127.0.0.1:{rig.adapter.port}"


async def start_install(rig: SlackRig, team: str) -> tuple[str, str]:
    """/slack/install, then Slack's consent page: the redirect back (with code) and the cookie."""
    rig.fake.installing_team = team
    async with rig.session.get(base(rig) + "/slack/install", allow_redirects=False) as resp:
        assert resp.status == 302
        consent, cookie = resp.headers["Location"], resp.headers["Set-Cookie"].split(";")[0]
    async with rig.session.get(consent, allow_redirects=False) as resp:
        assert resp.status == 302
        return resp.headers["Location"], cookie


async def install(rig: SlackRig, team: str) -> str:
    back, cookie = await start_install(rig, team)
    async with rig.session.get(back, headers={"Cookie": cookie}) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.text()


async def event(rig: SlackRig, team: str, payload: dict[str, object], event_id: str) -> int:
    bot_user = rig.fake.teams[team].bot_user_id
    body = json.dumps(event_body(payload, event_id, team=team, bot_user=bot_user))
    status, _ = await rig.deliver(body, content_type="application/json")
    return status


async def subscribe(rig: SlackRig, team: str) -> Subscription:
    channel = CHANNEL[team]
    url = rig.fake.response_url(f"sub-{team}")
    body = slash_command_body(
        "subscribe migration 07:00 Europe/Madrid", url, channel=channel, user="U1", team=team
    )
    await rig.deliver(body, content_type=FORM)
    confirmation = await rig.fake.wait_for_response(f"sub-{team}")
    assert confirmation.body["text"].startswith("Subscribed"), confirmation.body
    (subscription,) = await rig.store.list_subscriptions(platform="slack", channel=channel)
    return subscription


def posting_teams(rig: SlackRig, channel: str) -> list[str]:
    """The workspace of the token behind each chat.postMessage to ``channel``."""
    calls = [c for c in rig.fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]
    return [rig.fake.issued.get(c.token, "unknown token") for c in calls]


class SeedDigests:
    """A digest of one real summary of the seed article."""

    def __init__(self, rig: SlackRig, url: str) -> None:
        self._rig, self._url = rig, url

    async def for_subscription(
        self, subscription: Subscription, *, since: datetime, until: datetime
    ) -> BuiltDigest:
        summary = await self._rig.commands.summarizer.summarize(self._url)
        start = datetime(2000, 1, 1, tzinfo=UTC)
        digest = build_digest(
            [DigestCandidate(summary)], topic="migration", since=start, until=until
        )
        return BuiltDigest(digest, ())


async def test_two_workspaces_installed_each_answered_with_its_own_token_then_one_uninstalled(
    settings: Settings, web: WebServer, caplog: pytest.LogCaptureFixture, open_backend: Opener
) -> None:
    caplog.set_level(logging.INFO)
    async with oauth_rig(settings, open_backend) as rig:  # on SQLite and on PostgreSQL
        fake = rig.fake
        assert "North Desk" in await install(rig, NORTH)
        assert "South Desk" in await install(rig, SOUTH)
        asked = fake.authorize_requests[0]
        assert asked["client_id"] == CLIENT_ID and "chat:write" in asked["scope"].split(",")
        north = await rig.store.slack_installation(NORTH)
        assert north is not None and north.bot_user_id == fake.teams[NORTH].bot_user_id
        assert fake.team_of(north.bot_token) == fake.teams[NORTH]

        # A summary in each workspace: a mention answered in its thread with that team's token.
        for number, team in enumerate((NORTH, SOUTH)):
            mention = f"<@{fake.teams[team].bot_user_id}> <{web.url(SEED)}>"
            assert (
                await event(rig, team, message_event(mention, channel=CHANNEL[team]), f"Ev{number}")
                == 200
            )
            await fake.wait_for_posts(1, CHANNEL[team])
        assert posting_teams(rig, CHANNEL[NORTH]) == [NORTH]
        assert posting_teams(rig, CHANNEL[SOUTH]) == [SOUTH]

        # A digest in each: subscribed (the confirmation posted with the team's token), then
        # delivered outside any request, with the token of the channel's workspace.
        subscriptions = {team: await subscribe(rig, team) for team in (NORTH, SOUTH)}
        assert subscriptions[NORTH].tenant == f"slack:{NORTH}"
        delivery = DigestDelivery(
            rig.store, SeedDigests(rig, web.url(SEED)), {"slack": rig.adapter}
        )
        for team in (NORTH, SOUTH):
            assert await delivery.deliver(subscriptions[team], DAY) == "sent 1 stories"
            assert posting_teams(rig, CHANNEL[team]) == [team] * 3  # summary, confirmation, digest

        # North uninstalls: Slack revokes its token, then sends app_uninstalled.
        fake.uninstall(NORTH)
        uninstalled = {"type": "app_uninstalled", "event_ts": f"{time.time():.6f}"}
        assert await event(rig, NORTH, uninstalled, "EvGone") == 200
        assert await rig.store.slack_installation(NORTH) is None
        paused = {
            s.channel: s.enabled
            for s in await rig.store.list_subscriptions(platform="slack", include_disabled=True)
        }
        assert paused == {CHANNEL[NORTH]: False, CHANNEL[SOUTH]: True}
        assert "Slack workspace T1NORTH is disabled" in caplog.text

        # Nothing is posted for North any more (not even tried with its dead token)...
        before = len(fake.calls_to("chat.postMessage"))
        with pytest.raises(PlatformError, match=r"^Newsbrief is not installed in the Slack "):
            await delivery.deliver(subscriptions[NORTH], date(2024, 3, 6))  # recorded as failed
        mention = f"<@{fake.teams[NORTH].bot_user_id}> <{web.url(SEED)}>"
        await event(rig, NORTH, message_event(mention, channel=CHANNEL[NORTH]), "EvAfter")
        await rig.adapter.drain(10)
        assert len(fake.calls_to("chat.postMessage")) == before
        # ...while South still works.
        assert await delivery.deliver(subscriptions[SOUTH], date(2024, 3, 6)) == "sent 1 stories"
        assert posting_teams(rig, CHANNEL[SOUTH]) == [SOUTH] * 4

        # Reinstalling brings North back, on a new token.
        await install(rig, NORTH)
        again = await rig.store.slack_installation(NORTH)
        assert again is not None and again.bot_token != north.bot_token
        await event(
            rig, NORTH, message_event(mention, channel=CHANNEL[NORTH], ts="1700000300.1"), "EvBack"
        )
        await fake.wait_until(lambda: len(posting_teams(rig, CHANNEL[NORTH])) == 4)
        assert posting_teams(rig, CHANNEL[NORTH]) == [NORTH] * 4
        assert fake.calls_to("chat.postMessage")[-1].token == again.bot_token

        # Tokens and the client secret never reach the log.
        for secret in (north.bot_token, again.bot_token, CLIENT_SECRET):
            assert secret not in caplog.text


async def test_a_bad_or_used_state_is_one_sentence(settings: Settings) -> None:
    async with oauth_rig(settings) as rig:
        back, cookie = await start_install(rig, NORTH)
        forged = back.replace("state=", "state=forged")
        async with rig.session.get(forged, headers={"Cookie": cookie}) as resp:
            assert resp.status == 400  # the state is not the one this browser was given
            assert "started in another browser" in await resp.text()
        name = cookie.split("=")[0]
        state = parse_qs(urlsplit(forged).query)["state"][0]  # a browser carrying the forgery
        async with rig.session.get(forged, headers={"Cookie": f"{name}={state}"}) as resp:
            assert resp.status == 401
            assert "expired or was already used" in await resp.text()
        async with rig.session.get(back, headers={"Cookie": cookie}) as resp:
            assert resp.status == 200  # the real one still works, once
        async with rig.session.get(back, headers={"Cookie": cookie}) as resp:
            text = await resp.text()
            assert resp.status == 401 and "expired or was already used" in text
            assert text.count(".") == 1 and "Traceback" not in text
        cancelled = base(rig) + "/slack/oauth_redirect?error=access_denied"
        async with rig.session.get(cancelled) as resp:
            assert "cancelled in Slack" in await resp.text()
        assert await rig.store.slack_installation(NORTH) is not None


async def test_a_workspace_that_never_installed_gets_nothing(
    settings: Settings, web: WebServer
) -> None:
    async with oauth_rig(settings) as rig:
        await install(rig, SOUTH)
        mention = f"<@{rig.fake.teams[NORTH].bot_user_id}> <{web.url(SEED)}>"
        await event(rig, NORTH, message_event(mention, channel=CHANNEL[NORTH]), "EvStranger")
        await rig.adapter.drain(10)
        assert rig.fake.calls_to("chat.postMessage") == []


def test_the_manifest_names_the_redirect_and_the_default_scopes_are_its_scopes() -> None:
    manifest = (Path(__file__).resolve().parents[1] / "slack-app-manifest.yml").read_text()
    redirects = re.search(r"^\s+redirect_urls:\n\s+- (\S+)$", manifest, re.MULTILINE)
    assert redirects is not None and redirects[1].endswith(REDIRECT_PATH)
    bot = re.search(r"^\s+bot:\n((?:\s+- .+\n)+)", manifest, re.MULTILINE)
    assert bot is not None
    in_manifest = {line.strip()[2:] for line in bot[1].splitlines()}
    default = Settings.model_fields["slack_scopes"].default
    assert set(default.split(",")) == in_manifest


async def test_revoking_the_bot_token_disables_only_that_workspace(settings: Settings) -> None:
    async with oauth_rig(settings) as rig:
        for team in (NORTH, SOUTH):
            await install(rig, team)
            await subscribe(rig, team)
        users_only = {"type": "tokens_revoked", "tokens": {"oauth": ["U0ADMIN"], "bot": []}}
        await event(rig, SOUTH, users_only, "EvUsers")
        assert await rig.store.slack_installation(SOUTH) is not None  # not the bot's token
        bot = {"type": "tokens_revoked", "tokens": {"bot": [rig.fake.teams[SOUTH].bot_user_id]}}
        await event(rig, SOUTH, bot, "EvBot")
        assert await rig.store.slack_installation(SOUTH) is None
        assert await rig.store.slack_installation(NORTH) is not None
        enabled = {
            s.channel: s.enabled
            for s in await rig.store.list_subscriptions(platform="slack", include_disabled=True)
        }
        assert enabled == {CHANNEL[NORTH]: True, CHANNEL[SOUTH]: False}


async def test_notices_alerts_and_lookups_outside_requests_use_the_channels_workspace(
    settings: Settings, web: WebServer
) -> None:
    async with oauth_rig(settings) as rig:
        subscriptions = {}
        for team in (NORTH, SOUTH):
            await install(rig, team)
            subscriptions[team] = await subscribe(rig, team)
        delivery = DigestDelivery(
            rig.store, SeedDigests(rig, web.url(SEED)), {"slack": rig.adapter}
        )
        await delivery.deliver(subscriptions[SOUTH], DAY)
        # The poster that paused-digest notices and figure alerts go through (no request here).
        poster = rig.commands.channel_posters["slack"]
        await poster(CHANNEL[NORTH], "A notice for the north desk.")
        await poster(CHANNEL[SOUTH], "A notice for the south desk.")
        assert posting_teams(rig, CHANNEL[NORTH]) == [NORTH, NORTH]
        assert posting_teams(rig, CHANNEL[SOUTH]) == [SOUTH] * 3
        # Finding a posted digest after a crash reads the channel with its workspace's token
        # and knows that workspace's bot.
        key = delivery_key("slack", CHANNEL[SOUTH], "migration", DAY)
        assert await rig.adapter.find_delivery(CHANNEL[SOUTH], key) is not None
        (history,) = rig.fake.calls_to("conversations.history")
        assert rig.fake.issued[history.token] == SOUTH
        with pytest.raises(PlatformError):  # a channel no workspace of ours owns
            await poster("C9ELSEWHERE", "Nobody should see this.")
        assert "C9ELSEWHERE" not in rig.fake.messages
