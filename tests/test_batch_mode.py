"""Batch mode: CPU work runs off the event loop (a URL line's fetch is not starved by long text
lines beside it), and --jsonl refuses a bad --sentences like the single-article command."""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import sys
from pathlib import Path

from webserver import WebServer

from adapters.batch import run_batch
from bot.config import Settings
from bot.service import Summarizer

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed" / "bbc-us-mexico-migration.html"
WORDS = (ROOT / "examples" / "bbc-us-mexico-migration.txt").read_text(encoding="utf-8").split()
TIMEOUT_S = 1.5
LONG_WORDS = 250_000  # seven such lines take several fetch timeouts of CPU on this machine


def long_text(seed: int) -> str:
    """A long article-shaped text (paragraphs of sentences) that takes real CPU to summarize."""
    rnd = random.Random(seed)
    sentences = [" ".join(rnd.choices(WORDS, k=24)) + "." for _ in range(LONG_WORDS // 24)]
    return "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))


async def test_a_url_line_is_fetched_while_long_text_lines_are_summarized(
    settings: Settings, web: WebServer
) -> None:
    web.respond("/story", SEED.read_bytes(), content_type="text/html")
    lines = [json.dumps({"id": "url", "url": web.url("/story")})]
    lines += [json.dumps({"id": f"text{n}", "text": long_text(n)}) for n in range(7)]
    out = io.StringIO()
    quick = settings.model_copy(update={"fetch_timeout_s": TIMEOUT_S})
    async with Summarizer(quick) as summarizer:
        errors = await run_batch(summarizer, lines, out, count=3, method="newsbrief", window=8)

    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [record["id"] for record in records] == ["url"] + [f"text{n}" for n in range(7)]
    assert records[0]["error"] is None, records[0]["error"]
    assert records[0]["title"].startswith("US and Mexico") and web.hits["/story"] == 1
    assert errors == 0


async def cli(*args: str, stdin: bytes = b"") -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBRIEF_", "SLACK_"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", "summarize", *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(stdin), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_jsonl_refuses_zero_sentences_like_the_single_article_command() -> None:
    line = json.dumps({"id": 1, "text": " ".join(WORDS)}).encode()
    single = await cli("examples/bbc-us-mexico-migration.txt", "--sentences", "0")
    for sentences in ("0", "11", "-1"):
        batch = await cli("--jsonl", "--sentences", sentences, stdin=line)
        assert batch[0] != 0 and batch[1] == "", batch
        assert batch[2] == "newsbrief: Ask for between 1 and 10 sentences.\n"
    assert single[0] != 0 and single[2] == "newsbrief: Ask for between 1 and 10 sentences.\n"
    ok = await cli("--jsonl", "--sentences", "2", stdin=line)
    assert ok[0] == 0 and len(json.loads(ok[1])["sentences"]) == 2


async def test_jsonl_reads_the_file_it_is_given_and_says_when_there_is_none(
    tmp_path: Path,
) -> None:
    batch = tmp_path / "articles.jsonl"
    lines = [json.dumps({"id": n, "text": " ".join(WORDS[n * 50 :])}) for n in range(2)]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = await cli("--jsonl", str(batch), stdin=b'{"id": "stdin", "text": "x"}\n')
    assert code == 0, err
    assert [json.loads(line)["id"] for line in out.splitlines()] == [0, 1]
    missing = await cli("--jsonl", str(tmp_path / "nope.jsonl"))
    assert missing[0] != 0 and missing[1] == ""
    assert (
        missing[2] == f"newsbrief: {tmp_path / 'nope.jsonl'} is not a readable JSON-lines file.\n"
    )
