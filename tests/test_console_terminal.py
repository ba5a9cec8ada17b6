"""The console chat in a real terminal (a pseudo-terminal): log lines stay out of the chat."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _chat_in_a_terminal(env: dict[str, str], lines: list[str], timeout: float = 90) -> str:
    """Run `newsbrief run` on a pseudo-terminal, type ``lines`` and return what it showed."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "run"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        cwd=ROOT,
        close_fds=True,
    )
    os.close(terminal)
    shown = b""
    pending = list(lines)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # the child closed the terminal: it has ended
                    break
                shown += chunk
            if pending and shown.count(b"newsbrief> ") > len(lines) - len(pending):
                os.write(controller, pending.pop(0).encode() + b"\n")
            if process.poll() is not None and not ready:
                break
    finally:
        process.kill() if process.poll() is None else None
        process.wait(timeout=10)
        os.close(controller)
    return shown.decode("utf-8", "replace")


def test_a_feed_that_cannot_be_read_is_logged_to_a_file_not_into_the_chat(
    tmp_path: Path,
) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("http://127.0.0.1:9/feed.xml\n", encoding="utf-8")  # nothing listens on 9
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBRIEF_", "SLACK_"))}
    env.pop("DISCORD_TOKEN", None)
    env |= {
        "NEWSBRIEF_DB": str(tmp_path / "data" / "nb.db"),
        "NEWSBRIEF_FEEDS": str(feeds),
        "NEWSBRIEF_ALLOW_PRIVATE_NETWORKS": "1",
        "TERM": "dumb",
    }
    shown = _chat_in_a_terminal(env, ["digest", "quit"])
    log_file = tmp_path / "data" / "newsbrief.log"
    assert f"Newsbrief's log: {log_file}" in shown
    assert "Newsbrief console." in shown and "digest" in shown
    assert " WARNING " not in shown and " INFO " not in shown, shown
    logged = log_file.read_text(encoding="utf-8")
    assert "Newsbrief is ready" in logged and "127.0.0.1" in logged
