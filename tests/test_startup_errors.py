"""`newsbrief run` failing at start as an operator causes it: one sentence, a distinct exit code."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

from fakes.discord_api import FakeDiscord
from fakes.slack_api import FakeSlack
from fakes.slack_payloads import BOT_TOKEN, SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[1]
EX_CONFIG, EX_UNAVAILABLE = 78, 69


async def run_cli(tmp_path: Path, **env: str) -> tuple[int, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NEWSBRIEF_", "SLACK_", "DISCORD_"))
    }
    empty = tmp_path / "feeds.txt"
    empty.write_text("# none\n", encoding="utf-8")
    base = {"NEWSBRIEF_DB": str(tmp_path / "s.db"), "NEWSBRIEF_FEEDS": str(empty)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", "run",
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env={**clean, **base, **env}, cwd=ROOT,
    )  # fmt: skip
    _, err = await asyncio.wait_for(process.communicate(), 90)
    assert process.returncode is not None
    return process.returncode, err.decode()


def _one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("newsbrief: ")]
    assert len(lines) == 1, stderr
    assert "unexpected error" not in stderr and "Traceback" not in stderr, stderr
    return lines[0]


async def test_a_refused_slack_token_names_the_setting_and_exits_ex_config(tmp_path: Path):
    async with FakeSlack() as slack:
        code, err = await run_cli(
            tmp_path,
            SLACK_API_URL=slack.api_url,
            SLACK_BOT_TOKEN="xoxb-9999-revoked",
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            NEWSBRIEF_HTTP_PORT="0",
        )
    assert code == EX_CONFIG
    assert _one_sentence(err) == "newsbrief: Slack refused SLACK_BOT_TOKEN (invalid_auth)."
    assert "xoxb-9999-revoked" not in err


async def test_a_missing_signing_secret_is_a_setting_to_fix(tmp_path: Path) -> None:
    code, err = await run_cli(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN)
    assert code == EX_CONFIG
    assert "SLACK_SIGNING_SECRET" in _one_sentence(err)


async def test_slack_unreachable_exits_ex_unavailable(tmp_path: Path) -> None:
    code, err = await run_cli(
        tmp_path,
        SLACK_API_URL="http://127.0.0.1:9/api/",  # the discard port: nothing answers
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
    )
    assert code == EX_UNAVAILABLE
    assert "Slack" in _one_sentence(err)


async def test_a_port_in_use_names_the_setting(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        async with FakeSlack() as slack:
            code, err = await run_cli(
                tmp_path,
                SLACK_API_URL=slack.api_url,
                SLACK_BOT_TOKEN=BOT_TOKEN,
                SLACK_SIGNING_SECRET=SIGNING_SECRET,
                NEWSBRIEF_HTTP_PORT=str(port),
            )
    assert code == EX_CONFIG
    sentence = _one_sentence(err)
    assert "NEWSBRIEF_HTTP_PORT" in sentence and str(port) in sentence


async def test_a_refused_discord_token_names_the_setting_and_exits_ex_config(tmp_path: Path):
    async with FakeDiscord() as discord:
        code, err = await run_cli(
            tmp_path,
            DISCORD_TOKEN="not-the-bot-token",
            DISCORD_API_URL=discord.api_url,
            DISCORD_GATEWAY_URL=discord.gateway_url,
            DISCORD_STATE_FILE=str(tmp_path / "discord-state.json"),
        )
    assert code == EX_CONFIG
    assert _one_sentence(err) == "newsbrief: Discord refused DISCORD_TOKEN."
    assert "not-the-bot-token" not in err


async def test_a_database_folder_that_cannot_be_made_is_one_sentence(tmp_path: Path) -> None:
    code, err = await run_cli(tmp_path, NEWSBRIEF_DB="/proc/no-such-folder/newsbrief.db")
    assert code == EX_CONFIG
    sentence = _one_sentence(err)
    assert sentence.startswith("newsbrief: NEWSBRIEF_DB /proc/no-such-folder/newsbrief.db")
    assert "writable folder" in sentence
