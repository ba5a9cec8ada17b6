"""A second `newsbrief run` on one database refuses to start; one-off commands still work."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EX_CONFIG = 78


def _env(tmp_path: Path) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NEWSBRIEF_", "SLACK_", "DISCORD_"))
    }
    empty = tmp_path / "feeds.txt"
    empty.write_text("# none\n", encoding="utf-8")
    return {**clean, "NEWSBRIEF_DB": str(tmp_path / "nb.db"), "NEWSBRIEF_FEEDS": str(empty)}


async def _cli(env: dict[str, str], *args: str, stdin: bytes = b"") -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", *args,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env=env, cwd=ROOT,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(stdin), 90)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_a_second_run_on_the_same_database_refuses_in_one_sentence(tmp_path: Path) -> None:
    env = _env(tmp_path)
    # The first bot: a console chat (no platform token) that runs until its stdin closes.
    first = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", "run",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env=env, cwd=ROOT,
    )  # fmt: skip
    assert first.stderr is not None and first.stdin is not None
    try:
        seen = b""
        while b"Newsbrief is ready" not in seen:
            line = await asyncio.wait_for(first.stderr.readline(), 90)
            assert line, f"the first bot ended before it was ready: {seen.decode()}"
            seen += line

        code, _, err = await _cli(env, "run")
        assert code == EX_CONFIG, err
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines == [
            f"newsbrief: Another Newsbrief is running on NEWSBRIEF_DB {tmp_path / 'nb.db'}; "
            "stop it first, or give this one its own NEWSBRIEF_DB."
        ]

        # One-off commands work beside the running bot.
        code, out, err = await _cli(env, "backup", str(tmp_path / "copy.db"))
        assert code == 0, err
        assert "Backed up" in out and (tmp_path / "copy.db").stat().st_size > 0
        article = tmp_path / "a.txt"
        article.write_text(
            "The council approved a budget of 12 million euros on Monday. "
            "The vote passed by 30 to 11. Work on the new bridge starts in March.",
            encoding="utf-8",
        )
        code, out, err = await _cli(env, "summarize", str(article))
        assert code == 0, err
        assert "12 million euros" in out
    finally:
        first.stdin.close()
        await asyncio.wait_for(first.wait(), 60)

    # The lock goes with the process: the next run starts (and stops at the end of its input).
    code, _, err = await _cli(env, "run")
    assert code == 0, err
    assert "Another Newsbrief" not in err
