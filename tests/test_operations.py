"""Operating the CLI: --version, one-sentence setting errors with EX_CONFIG, and the logs."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EX_CONFIG = 78


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBRIEF_", "SLACK_"))}
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=ROOT,
        timeout=120,
    )


def test_version_prints_the_package_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip().startswith("newsbrief ")
    assert result.stdout.split()[1][0].isdigit()


@pytest.mark.parametrize(
    ("variable", "value", "sentence"),
    [
        ("NEWSBRIEF_SENTENCES", "abc", "NEWSBRIEF_SENTENCES must be a whole number from 1 to 10"),
        ("NEWSBRIEF_FETCH_TIMEOUT", "-1", "NEWSBRIEF_FETCH_TIMEOUT must be a number above 0"),
        ("NEWSBRIEF_LOG_FORMAT", "xml", "NEWSBRIEF_LOG_FORMAT must be one of text, json"),
        ("NEWSBRIEF_LOG_LEVEL", "loud", "NEWSBRIEF_LOG_LEVEL must be one of DEBUG, INFO"),
        ("NEWSBRIEF_USER_RATE", "lots", "NEWSBRIEF_USER_RATE: 'lots' is not a rate"),
        ("NEWSBRIEF_ALLOW_PRIVATE_NETWORKS", "maybe", "must be 1 or 0"),
    ],
)
def test_a_bad_setting_is_one_sentence_naming_it_and_exits_ex_config(
    variable: str, value: str, sentence: str
) -> None:
    result = run_cli("summarize", "examples/bbc-us-mexico-migration.txt", **{variable: value})
    assert result.returncode == EX_CONFIG
    assert result.stderr.startswith("newsbrief: ") and sentence in result.stderr
    assert f"got {value!r}" in result.stderr or "is not a rate" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_secret_value_is_never_echoed_in_a_setting_error() -> None:
    # An empty SecretStr is "unset"; a bad *other* setting must not print the token either.
    result = run_cli(
        "summarize",
        "examples/bbc-us-mexico-migration.txt",
        SLACK_BOT_TOKEN="xoxb-123456789-secret-value",
        NEWSBRIEF_SENTENCES="0",
    )
    assert result.returncode == EX_CONFIG
    assert "xoxb-123456789-secret-value" not in result.stderr


LOGGING_SCRIPT = """
import logging, sys
from bot.config import load_settings
from bot.logging_setup import configure_logging
settings = load_settings()
configure_logging(logging.getLevelNamesMapping()[sys.argv[1]], settings,
                  json_lines=settings.log_format == "json")
logging.getLogger("bot.digests.delivery").info("digest sent to C1 with token xoxb-1234567890-abc")
logging.getLogger("bot.digests.delivery").debug("own debug line")
logging.getLogger("aiosqlite").debug("SELECT 1 (a library's debug line)")
logging.getLogger("aiosqlite").info("a library's info line")
logging.getLogger("discord.client").warning("PyNaCl is not installed, voice will NOT be supported")
logging.getLogger("slack_bolt.App").warning("a real library warning")
"""


def _log_lines(level: str, **env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBRIEF_", "SLACK_"))}
    result = subprocess.run(
        [sys.executable, "-c", LOGGING_SCRIPT, level],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    return result.stderr.splitlines()


def test_info_logs_own_lines_only_and_drops_harmless_library_warnings() -> None:
    lines = _log_lines("INFO")
    assert any("digest sent to C1" in line for line in lines)
    assert not any("own debug line" in line or "library's" in line for line in lines)
    assert not any("PyNaCl" in line for line in lines)
    assert any("a real library warning" in line for line in lines)
    assert not any("xoxb-1234567890-abc" in line for line in lines)


def test_debug_raises_our_loggers_not_the_libraries() -> None:
    lines = _log_lines("DEBUG")
    assert any("own debug line" in line for line in lines)
    assert not any("SELECT 1" in line for line in lines)


def test_json_log_format_is_one_redacted_object_per_line() -> None:
    lines = _log_lines("INFO", NEWSBRIEF_LOG_FORMAT="json")
    entries = [json.loads(line) for line in lines]
    sent = [entry for entry in entries if "digest sent to C1" in entry["message"]]
    assert sent and sent[0]["level"] == "INFO" and sent[0]["logger"] == "bot.digests.delivery"
    assert "xoxb-1234567890-abc" not in sent[0]["message"]
    assert {"time", "level", "logger", "message"} <= set(sent[0])


def test_backup_command_writes_a_sound_copy_and_says_so(tmp_path: Path) -> None:
    source = tmp_path / "bot.db"
    db = sqlite3.connect(source)
    db.execute("CREATE TABLE t (x TEXT)")
    db.execute("INSERT INTO t VALUES ('kept')")
    db.commit()
    db.close()
    result = run_cli("backup", str(tmp_path / "copy.db"), NEWSBRIEF_DB=str(source))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Backed up {source} to {tmp_path / 'copy.db'}")
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT x FROM t").fetchall() == [("kept",)]
    copy.close()
    missing = run_cli("backup", str(tmp_path / "b.db"), NEWSBRIEF_DB=str(tmp_path / "none.db"))
    assert missing.returncode != 0 and "There is no database file" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_backup_refuses_to_overwrite_the_database_or_write_into_a_missing_folder(
    tmp_path: Path,
) -> None:
    source = tmp_path / "bot.db"
    db = sqlite3.connect(source)
    db.execute("CREATE TABLE t (x TEXT)")
    db.commit()
    db.close()
    itself = run_cli("backup", str(source), NEWSBRIEF_DB=str(source))
    assert itself.returncode == 1 and "is the database itself" in itself.stderr
    nowhere = run_cli("backup", str(tmp_path / "no" / "copy.db"), NEWSBRIEF_DB=str(source))
    assert nowhere.returncode == 1 and "does not exist; create it first" in nowhere.stderr


def test_a_saved_page_on_stdin_is_read_as_a_page_and_a_closed_pipe_is_quiet() -> None:
    page = (ROOT / "tests" / "fixtures" / "seed" / "bbc-us-mexico-migration.html").read_text(
        encoding="utf-8"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBRIEF_", "SLACK_"))}
    result = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "summarize", "-"],
        input=page,
        capture_output=True,
        text=True,
        env=clean,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("US and Mexico look to stem")
    assert "<" not in result.stdout.split("\n", 1)[0]
    # A reader that stops early (`| head -1`) is not an error.
    reader = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "summarize", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean,
        cwd=ROOT,
    )
    assert reader.stdin is not None and reader.stdout is not None
    reader.stdin.write(page.encode())
    reader.stdin.close()
    reader.stdout.close()  # closed before the summary is written
    assert reader.wait(timeout=120) == 0
    assert reader.stderr is not None and b"unexpected error" not in reader.stderr.read()
