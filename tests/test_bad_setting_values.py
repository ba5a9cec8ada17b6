"""Setting values that used to crash or mislead get one sentence: database URLs and paths,
a time-zone folder, a non-ASCII digit, and a Slack request timestamp that is not a number."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fakes.slack_harness import slack_rig
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.store import open_store

ROOT = Path(__file__).resolve().parents[1]
EX_CONFIG = 78


def run_bot(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`newsbrief run` (console chat: no tokens) in ``cwd``, stdin closed."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("NEWSBRIEF_", "SLACK_", "DISCORD"))
    }
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", "run"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
        timeout=60,
    )


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*"))


@pytest.mark.parametrize(
    ("value", "sentence"),
    [
        ("postgresql+asyncpg://editor:s3cret@db.example/nb", "no +driver suffix"),
        ("mysql://editor:s3cret@db.example/nb", "must be a SQLite file path"),
        ("sqlite:///:memory:", "must name a database file"),
    ],
)
def test_a_database_url_that_is_not_a_sqlite_file_is_refused_and_creates_nothing(
    tmp_path: Path, value: str, sentence: str
) -> None:
    result = run_bot(tmp_path, NEWSBRIEF_DB=value)

    assert result.returncode == EX_CONFIG, result.stderr
    assert result.stderr.startswith("newsbrief: NEWSBRIEF_DB") and sentence in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr + result.stdout  # the password is never echoed
    assert files_under(tmp_path) == []  # no "./postgresql:/editor:s3cret@db.example/nb"


@pytest.mark.parametrize("kind", ["folder", "under a file"])
def test_a_database_path_that_cannot_be_a_file_is_one_sentence(tmp_path: Path, kind: str) -> None:
    (tmp_path / "notes.txt").write_text("x")
    target = tmp_path if kind == "folder" else tmp_path / "notes.txt" / "nb.db"
    result = run_bot(tmp_path, NEWSBRIEF_DB=str(target))

    assert result.returncode == EX_CONFIG, result.stderr
    assert result.stderr.startswith("newsbrief: NEWSBRIEF_DB: ")
    assert ("is a folder" if kind == "folder" else "is a file") in result.stderr
    assert result.stderr.count("\n") == 1 and "unexpected error" not in result.stderr


async def test_sqlite_urls_name_relative_and_absolute_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSBRIEF_DB", raising=False)
    relative = Settings(_env_file=None, NEWSBRIEF_DB="sqlite:///rel.db").db_path
    absolute = Settings(_env_file=None, NEWSBRIEF_DB=f"sqlite:///{tmp_path}/abs/a.db").db_path
    assert relative == Path("rel.db") and absolute == tmp_path / "abs" / "a.db"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    home = Settings(_env_file=None, NEWSBRIEF_DB="~/nb.db").db_path
    assert home == tmp_path / "home" / "nb.db"  # not a folder named "~" in the working directory

    for path in (relative, absolute):
        async with await open_store(path):
            pass
    assert (tmp_path / "rel.db").is_file() and (tmp_path / "abs" / "a.db").is_file()
    assert not any("sqlite:" in str(path) for path in files_under(tmp_path))


@pytest.mark.parametrize(
    ("command", "sentence"),
    [
        ("subscribe 07:00 America/Argentina", "'America/Argentina' is not a time zone I know"),
        ("subscribe 07:00 America/", "is not a time zone I know"),
        ("settings sentences ²", "I can't set sentences to '²'"),
        ("settings sentences ٣", "I can't set sentences to '٣'"),
    ],
)
async def test_odd_values_in_chat_get_one_sentence_and_no_traceback(
    settings: Settings, caplog: pytest.LogCaptureFixture, command: str, sentence: str
) -> None:
    async with slack_rig(settings) as rig:
        await rig.slash_command(command, key="k")
        post = await rig.fake.wait_for_response("k")

    assert sentence in post.body["text"] and "went wrong" not in post.body["text"]
    assert post.body["response_type"] == "ephemeral"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("stamp", ["abc", "", " 12", "1e9", "9" * 5000, "١٧٠٠٠٠٠٠٠٠"])
async def test_a_slack_request_with_a_bad_timestamp_gets_401(
    settings: Settings, caplog: pytest.LogCaptureFixture, stamp: str
) -> None:
    async with slack_rig(settings) as rig:
        body = "command=%2Fnewsbrief&text=help"
        signature = SignatureVerifier(rig.fake.signing_secret).generate_signature(
            timestamp=stamp, body=body
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or "",
        }
        async with rig.session.post(rig.events_url, data=body, headers=headers) as response:
            status = response.status

    assert status == 401
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize(
    ("variable", "value", "sentence"),
    [
        ("NEWSBRIEF_METHOD", "bogus", "NEWSBRIEF_METHOD must be one of newsbrief, lead"),
        ("NEWSBRIEF_USER_AGENT", "Newsbrief\r\nX-Evil: 1", "NEWSBRIEF_USER_AGENT must be one line"),
    ],
)
def test_a_setting_every_request_would_trip_on_is_refused_at_start(
    tmp_path: Path, variable: str, value: str, sentence: str
) -> None:
    """Before, each summary failed ("Unknown method", or an unexpected error from the header)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBRIEF_", "SLACK_"))}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "adapters.cli",
            "summarize",
            str(ROOT / "examples" / "bbc-us-mexico-migration.txt"),
        ],
        capture_output=True,
        text=True,
        env={**clean, "PYTHONPATH": str(ROOT), variable: value},
        cwd=tmp_path,
        timeout=60,
    )

    assert result.returncode == EX_CONFIG, result.stdout[:200]
    assert result.stderr.startswith(f"newsbrief: {sentence}") and result.stderr.count("\n") == 1
