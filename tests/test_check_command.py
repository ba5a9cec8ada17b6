"""`newsbrief check` against the local fake Slack and Discord and a feed served on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from fakes.discord_api import FakeDiscord
from fakes.slack_api import FakeSlack
from pydantic import SecretStr
from webserver import WebServer

from adapters.check import run_checks
from bot.config import Settings
from bot.store import SQLiteStore


def _feeds_file(tmp_path: Path, web: WebServer) -> Path:
    listing = tmp_path / "feeds.txt"
    listing.write_text(web.url("/feeds/guardian.rss") + "\n", encoding="utf-8")
    return listing


def _by_name(items: list) -> dict:
    return {item.name: item for item in items}


async def test_everything_fine_is_all_ok(settings: Settings, web: WebServer, tmp_path: Path):
    store = await SQLiteStore.open(settings.db_path)
    await store.aclose()
    async with FakeSlack() as slack, FakeDiscord() as discord:
        checked = settings.model_copy(
            update=slack.settings_update()
            | {
                "discord_token": SecretStr(discord.token),
                "discord_api_url": discord.api_url,
                "feeds_file": _feeds_file(tmp_path, web),
            }
        )
        items = _by_name(await run_checks(checked))
    assert all(item.ok for item in items.values()), items
    assert "passes quick_check" in items["database"].detail
    assert "Newsroom" in items["Slack"].detail
    assert "Newsbrief" in items["Discord"].detail
    assert "guardian.rss gave" in items["feeds"].detail


async def test_each_failure_names_the_setting_and_the_fix(
    settings: Settings, web: WebServer, tmp_path: Path
) -> None:
    web.respond("/feeds/broken.rss", b"<rss><channel><item>", content_type="application/rss+xml")
    listing = tmp_path / "feeds.txt"
    listing.write_text(web.url("/feeds/broken.rss") + "\n", encoding="utf-8")
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"this is not a database" * 200)
    async with FakeSlack() as slack, FakeDiscord() as discord:
        checked = settings.model_copy(
            update=slack.settings_update()
            | {
                "slack_bot_token": SecretStr("xoxb-revoked-token"),
                "discord_token": SecretStr("wrong-token"),
                "discord_api_url": discord.api_url,
                "feeds_file": listing,
                "db_path": damaged,
            }
        )
        items = _by_name(await run_checks(checked))
    assert not items["database"].ok and "restore the last backup" in items["database"].fix
    assert items["Slack"].detail == "Slack refused SLACK_BOT_TOKEN (invalid_auth)"
    assert items["Discord"].detail == "Discord refused DISCORD_TOKEN (401)"
    assert not items["feeds"].ok and "broken.rss" in items["feeds"].detail
    lines = "\n".join(item.line() for item in items.values())
    assert "xoxb-revoked-token" not in lines and "wrong-token" not in lines


async def test_an_unreachable_platform_is_said_not_raised(settings: Settings) -> None:
    checked = settings.model_copy(
        update={
            "slack_bot_token": SecretStr("xoxb-0000-fake-bot-token"),
            "slack_api_url": "http://127.0.0.1:9/api/",  # discard port: nothing listens
            "db_path": settings.db_path.parent,  # a folder
        }
    )
    items = _by_name(await run_checks(checked))
    assert not items["Slack"].ok and "could not reach" in items["Slack"].detail
    assert not items["database"].ok and "is a folder" in items["database"].detail
