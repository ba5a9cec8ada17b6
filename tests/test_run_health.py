"""`newsbrief run` as operators see it: /readyz and /metrics on a live bot, start-up logs, and a
damaged database refused at start."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
from fakes.discord_api import FakeDiscord
from fakes.discord_harness import discord_settings
from fakes.slack_api import FakeSlack
from webserver import WebServer

from adapters.runner import run_bot
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]
EX_DATAERR = 65


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _json_when_up(url: str, timeout: float = 30.0) -> tuple[int, dict]:
    """GET ``url`` until the bot answers (it starts in the background)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(url) as response:
                    return response.status, await response.json(content_type=None)
            except aiohttp.ClientConnectionError:
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.1)


async def _text(url: str) -> str:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200
        return await response.text()


def _feeds(tmp_path: Path, web: WebServer) -> Path:
    listing = tmp_path / "feeds.txt"
    listing.write_text(web.url("/feeds/guardian.rss") + "\n", encoding="utf-8")
    return listing


async def _ready_checks(base: str) -> dict[str, bool]:
    # The platform check turns green once the adapter is started; wait for that.
    for _ in range(300):
        status, body = await _json_when_up(f"{base}/readyz")
        checks = {check["name"]: check["ok"] for check in body["checks"]}
        if status == 200 and len(checks) >= 4:
            return checks
        await asyncio.sleep(0.1)
    raise AssertionError(f"never ready: {body}")


async def test_slack_http_mode_serves_health_and_metrics_on_its_events_port(
    settings: Settings, web: WebServer, tmp_path: Path
) -> None:
    port = free_port()
    stop = asyncio.Event()
    async with FakeSlack() as slack:
        bot_settings = settings.model_copy(
            update=slack.settings_update()
            | {"http_port": port, "feeds_file": _feeds(tmp_path, web), "db_path": tmp_path / "b.db"}
        )
        running = asyncio.create_task(run_bot(bot_settings, stop=stop))
        try:
            base = f"http://127.0.0.1:{port}"
            status, body = await _json_when_up(f"{base}/healthz")
            assert status == 200 and body["status"] == "ok"
            checks = await _ready_checks(base)
            assert checks == {
                "store": True,
                "feed poll": True,
                "platform slack": True,
                "scheduler": True,
            }
            assert "# HELP newsbrief_deliveries" in await _text(f"{base}/metrics")
        finally:
            stop.set()
            await asyncio.wait_for(running, 60)


async def test_discord_only_serves_health_on_its_own_port_when_the_port_is_set(
    settings: Settings, web: WebServer, tmp_path: Path
) -> None:
    port = free_port()
    stop = asyncio.Event()
    async with FakeDiscord() as fake:
        bot_settings = discord_settings(
            settings,
            fake,
            http_port=port,
            feeds_file=_feeds(tmp_path, web),
            db_path=tmp_path / "d.db",
        )
        running = asyncio.create_task(run_bot(bot_settings, stop=stop))
        try:
            checks = await _ready_checks(f"http://127.0.0.1:{port}")
            assert checks["platform discord"] is True
        finally:
            stop.set()
            await asyncio.wait_for(running, 60)


def _cli(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBRIEF_", "SLACK_"))}
    clean.pop("DISCORD_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=ROOT,
        timeout=120,
    )


def test_run_logs_start_ready_and_stop_at_info(tmp_path: Path) -> None:
    empty = tmp_path / "feeds.txt"
    empty.write_text("# no feeds\n", encoding="utf-8")
    result = _cli(
        "run", stdin="/quit\n", NEWSBRIEF_DB=str(tmp_path / "r.db"), NEWSBRIEF_FEEDS=str(empty)
    )
    assert result.returncode == 0, result.stderr
    for line in ("Newsbrief ", "starting: console", "Newsbrief is ready", "Newsbrief stopped"):
        assert line in result.stderr, result.stderr
    assert "DEBUG" not in result.stderr


def test_a_damaged_database_stops_the_start_with_one_sentence(tmp_path: Path) -> None:
    damaged = tmp_path / "bad.db"
    damaged.write_bytes(b"not a database at all " * 500)
    result = _cli("run", stdin="/quit\n", NEWSBRIEF_DB=str(damaged))
    assert result.returncode == EX_DATAERR
    assert result.stderr.startswith(f"newsbrief: The database {damaged} is damaged")
    assert "restore the last backup" in result.stderr and "Traceback" not in result.stderr
    assert damaged.read_bytes().startswith(b"not a database")  # left as it was
