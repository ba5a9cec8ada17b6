"""`newsbrief check`: a checklist of settings, database, platforms and one feed, with fixes."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.digests.feedparse import parse_feed
from bot.digests.feeds import default_feed_list, load_feed_list
from bot.errors import NewsbriefError
from bot.store.maintenance import quick_check_file
from bot.web.fetch import FEED_TYPES, Fetcher

PLATFORM_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class Item:
    """One line of the checklist: what was checked, whether it is fine, and the fix if not."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        fix = f"\n       fix: {self.fix}" if self.fix and not self.ok else ""
        return f"[{mark}] {self.name}: {self.detail}{fix}"


def check_database(path: Path) -> Item:
    if path.is_dir():
        return Item("database", False, f"{path} is a folder", "set NEWSBRIEF_DB to a file path")
    if not path.exists():
        parent = next((p for p in path.parents if p.exists()), Path("."))
        if not parent.is_dir() or not os.access(parent, os.W_OK):
            return Item(
                "database",
                False,
                f"{path} cannot be created under {parent}",
                "point NEWSBRIEF_DB at a writable folder",
            )
        return Item("database", True, f"{path} does not exist yet; `run` creates it")
    problems = quick_check_file(path)
    if problems:
        return Item(
            "database",
            False,
            f"{path}: {problems[0]}",
            "restore the last backup (docs/operations.md, 'Backups')",
        )
    return Item("database", True, f"{path} passes quick_check")


async def check_postgres(dsn: str) -> Item:
    """The server answers, its version and connections, and the schema version (``run``
    migrates an older one; a newer one is a program to upgrade)."""
    from bot.store.postgres import LATEST_VERSION, where
    from bot.store.postgres.maintenance import describe_server

    try:
        server, version, used, limit = await describe_server(dsn)
    except NewsbriefError as err:
        return Item("database", False, err.message, "check NEWSBRIEF_DB and the server")
    name = f"PostgreSQL {server} at {where(dsn)} ({used} of {limit} connections in use)"
    if version > LATEST_VERSION:
        return Item(
            "database",
            False,
            f"{name}: schema version {version}, newer than this program's {LATEST_VERSION}",
            "upgrade Newsbrief, or use another NEWSBRIEF_DB",
        )
    if version < LATEST_VERSION:
        state = "empty" if version == 0 else f"schema version {version}"
        return Item("database", True, f"{name}: {state}; `run` migrates it to {LATEST_VERSION}")
    return Item("database", True, f"{name}: schema version {version}")


async def check_slack_oauth(settings: Settings) -> Item:
    """The distributed app has no token to test until a workspace installs it."""
    if settings.slack_signing_secret is None:
        return Item(
            "Slack",
            False,
            "SLACK_CLIENT_ID is set but SLACK_SIGNING_SECRET is not",
            "copy the Signing Secret from the app's Basic Information page",
        )
    return Item("Slack", True, "distributed app: workspaces install at /slack/install")


async def check_slack(settings: Settings) -> Item:
    assert settings.slack_bot_token is not None
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=int(PLATFORM_TIMEOUT_S),
    )
    try:
        answer = await client.auth_test()
    except SlackApiError as err:
        data = getattr(err.response, "data", None)
        error = data.get("error") if isinstance(data, dict) else "refused"
        return Item(
            "Slack",
            False,
            f"Slack refused SLACK_BOT_TOKEN ({error})",
            "copy the Bot User OAuth Token (xoxb-...) from the app's OAuth page",
        )
    except (aiohttp.ClientError, TimeoutError, OSError) as err:
        return Item(
            "Slack",
            False,
            f"could not reach {settings.slack_api_url} ({err})",
            "check the network, a proxy, or SLACK_API_URL",
        )
    if settings.slack_app_token is None and settings.slack_signing_secret is None:
        return Item(
            "Slack",
            False,
            "SLACK_SIGNING_SECRET is not set (HTTP mode needs it)",
            "set SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN for Socket Mode",
        )
    return Item("Slack", True, f"token accepted for {answer.get('team')} as {answer.get('user')}")


async def check_discord(settings: Settings) -> Item:
    assert settings.discord_token is not None
    url = settings.discord_api_url.rstrip("/") + "/users/@me"
    headers = {"Authorization": f"Bot {settings.discord_token.get_secret_value()}"}
    try:
        timeout = aiohttp.ClientTimeout(total=PLATFORM_TIMEOUT_S)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(url, headers=headers) as response,
        ):
            status = response.status
            body = await response.json(content_type=None) if status == 200 else {}
    except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as err:
        return Item(
            "Discord",
            False,
            f"could not reach {settings.discord_api_url} ({err})",
            "check the network, a proxy, or DISCORD_API_URL",
        )
    if status == 401:
        return Item(
            "Discord",
            False,
            "Discord refused DISCORD_TOKEN (401)",
            "reset the bot token in the Developer Portal (Bot page) and copy it",
        )
    if status != 200:
        return Item("Discord", False, f"Discord answered HTTP {status}", "try again later")
    shards = await _shard_note(settings, headers)
    return Item("Discord", True, f"token accepted for {body.get('username', 'the bot')}; {shards}")


async def _shard_note(settings: Settings, headers: dict[str, str]) -> str:
    """The shard count Discord recommends (GET /gateway/bot) next to NEWSBRIEF_DISCORD_SHARDS."""
    url = settings.discord_api_url.rstrip("/") + "/gateway/bot"
    try:
        timeout = aiohttp.ClientTimeout(total=PLATFORM_TIMEOUT_S)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(url, headers=headers) as response,
        ):
            recommended = (await response.json(content_type=None)).get("shards")
    except (aiohttp.ClientError, TimeoutError, OSError, ValueError, AttributeError):
        recommended = None
    setting = settings.discord_shards or "unset (one connection)"
    if not isinstance(recommended, int):
        return f"NEWSBRIEF_DISCORD_SHARDS is {setting}"
    return f"Discord recommends {recommended} shards, NEWSBRIEF_DISCORD_SHARDS is {setting}"


async def check_feed(settings: Settings) -> Item:
    try:
        urls = load_feed_list(settings.feeds_file) if settings.feeds_file else default_feed_list()
    except NewsbriefError as err:
        return Item("feeds", False, err.message, "fix the file NEWSBRIEF_FEEDS names")
    if not urls:
        return Item("feeds", False, "the feed list is empty", "add feed URLs to NEWSBRIEF_FEEDS")
    try:
        async with Fetcher(settings) as fetcher:
            result = await fetcher.fetch(urls[0], accept=FEED_TYPES)
        parsed = parse_feed(result.body, urls[0], result.headers, base_url=result.url)
    except NewsbriefError as err:
        return Item(
            "feeds",
            False,
            f"{urls[0]}: {err.message}",
            "check the network, or replace the feed in NEWSBRIEF_FEEDS",
        )
    if not parsed.items:
        return Item(
            "feeds",
            False,
            f"{urls[0]} is a feed with no items",
            "check the feed URL in NEWSBRIEF_FEEDS",
        )
    return Item(
        "feeds",
        True,
        f"{urls[0]} gave {_count(len(parsed.items), 'item')} ({_count(len(urls), 'feed')} listed)",
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


async def run_checks(settings: Settings) -> list[Item]:
    """Every check that applies to these settings, in order."""
    items = [
        Item("settings", True, "read (environment and .env)"),
        await check_postgres(settings.database)
        if isinstance(settings.database, str)
        else check_database(settings.db_path),
    ]
    platform_checks: list[Callable[[Settings], Awaitable[Item]]] = []
    if settings.slack_bot_token is not None:
        platform_checks.append(check_slack)
    elif settings.slack_oauth:
        platform_checks.append(check_slack_oauth)
    if settings.discord_token is not None:
        platform_checks.append(check_discord)
    if not platform_checks:
        items.append(Item("platforms", True, "no Slack or Discord token: `run` opens a console"))
    items += await asyncio.gather(*(check(settings) for check in platform_checks))
    items.append(await check_feed(settings))
    return items
