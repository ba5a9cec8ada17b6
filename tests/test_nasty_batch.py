"""The nasty-input corpus through batch mode and the CLI, and the count of bad inputs tried."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from test_feed_faults import DYING_FEEDS, GENERATED_FEEDS
from test_nasty_inputs import (
    BAD_INPUTS_TRIED,
    CORPUS,
    GENERATOR,
    TEXT_CASES,
    TOO_SHORT,
    corpus_text,
)

from adapters.batch import run_batch
from bot.config import Settings
from bot.service import Summarizer
from bot.web.extract import NO_ARTICLE_TEXT

# --- batch mode: JSON lines ---------------------------------------------------------------

GENERIC_FAILURE = "Something went wrong while summarizing this item."
ARTICLE_TEXT = GENERATOR.text_article()
# (line, the error it must get; None: a summary)
BAD_LINES: list[tuple[str, str | None]] = [
    ("this is not json", "That line is not valid JSON (Expecting value)."),
    (
        '{"id": 1, "text": "unterminated',
        "That line is not valid JSON (Unterminated string starting at).",
    ),
    ("[]", "Each line must be a JSON object with a text, html or url field."),
    ("42", "Each line must be a JSON object with a text, html or url field."),
    ("null", "Each line must be a JSON object with a text, html or url field."),
    ('"just a string"', "Each line must be a JSON object with a text, html or url field."),
    ('{"id": 2, "text": 42}', "Each line needs a text, html or url field holding a string."),
    ('{"id": 3, "txet": "typo"}', "Each line needs a text, html or url field holding a string."),
    ('{"id": 4, "url": "javascript:alert(1)"}', "Only http and https links can be fetched."),
    ('{"id": 5, "url": "file:///etc/passwd"}', "Only http and https links can be fetched."),
    ('{"id": 6, "url": "http://[::1"}', "That link is not a valid web address."),
    ('{"id": 7, "html": "<div><div><div>"}', NO_ARTICLE_TEXT),
    ('{"id": 8, "html": "' + "<div>" * 20_000 + 'x"}', NO_ARTICLE_TEXT),
    ('{"id": 9, "text": "\\u0000\\u0007\\u001b[2J"}', TOO_SHORT),
    (
        "\ufeff" + json.dumps({"id": 10, "text": ARTICLE_TEXT}),
        "That line is not valid JSON (Unexpected UTF-8 BOM (decode using utf-8-sig)).",
    ),
    (json.dumps({"id": 11, "text": ARTICLE_TEXT}) + "\r", None),
    (json.dumps({"id": {"nested": [1, {"deeper": None}]}, "text": ARTICLE_TEXT}), None),
    (json.dumps({"id": 12, "text": ARTICLE_TEXT, "html": 5, "url": None}), None),
    (json.dumps({"id": 13, "text": "\u0000" + ARTICLE_TEXT.replace(" ", "\u00a0", 9)}), None),
]
CORPUS_LINES = [json.dumps({"id": name, "text": corpus_text(name)}) for name in TEXT_CASES]


def strict_json(line: str) -> dict[str, Any]:
    """A JSON object as any JSON parser reads it: no NaN or Infinity."""

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    record = json.loads(line, parse_constant=refuse)
    assert isinstance(record, dict)
    return record


async def batch(lines: list[str], settings: Settings) -> list[dict[str, Any]]:
    out = io.StringIO()
    async with Summarizer(settings) as summarizer:
        await run_batch(summarizer, lines, out, count=3, method="newsbrief")
    return [strict_json(line) for line in out.getvalue().splitlines()]


async def test_batch_gives_one_line_per_input_and_a_sentence_per_bad_one(
    settings: Settings,
) -> None:
    records = await batch([line for line, _ in BAD_LINES] + CORPUS_LINES, settings)
    assert len(records) == len(BAD_LINES) + len(CORPUS_LINES)
    for (line, error), record in zip(BAD_LINES, records, strict=False):
        assert record["error"] == error, line[:60]
        if error is None:
            assert len(record["sentences"]) == 3 and record["figures"]
    for name, record in zip(TEXT_CASES, records[len(BAD_LINES) :], strict=True):
        assert record["id"] == name
        expected = TEXT_CASES[name]
        if expected.error is None:
            assert record["error"] is None and len(record["sentences"]) == expected.sentences
        else:
            assert record["error"] and record["error"] != GENERIC_FAILURE
            assert record["sentences"] == [] and record["figures"] == []


async def test_deeply_nested_json_is_reported_as_invalid_json(settings: Settings) -> None:
    [record] = await batch(["[" * 100_000], settings)
    assert record["error"].startswith("That line is not valid JSON")


CONSTANT_LINES = [
    pytest.param(
        json.dumps({"id": 1, "text": ARTICLE_TEXT + "Some 1e400 people were counted."}),
        id="1e400-people",
    ),
    pytest.param(
        json.dumps({"id": 2, "text": ARTICLE_TEXT + f"Exactly {'9' * 400} people came."}),
        id="400-digit-count",
    ),
    pytest.param('{"id": 1e400, "text": "x"}', id="id-1e400"),
    pytest.param('{"id": NaN, "text": "x"}', id="id-NaN"),
]


@pytest.mark.parametrize("line", CONSTANT_LINES)
async def test_output_lines_are_strict_json(line: str, settings: Settings) -> None:
    [record] = await batch([line], settings)
    assert record["id"] in (1, 2) or record["error"]


async def newsbrief(stdin: bytes, **env: str) -> tuple[int, list[str], str]:
    """``newsbrief summarize --jsonl`` in a child process: exit code, stdout lines, stderr."""
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBRIEF_", "SLACK_"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", "summarize", "--jsonl",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**child_env, **env},
        cwd=Path(__file__).parent.parent,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(stdin), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode("utf-8", "replace").splitlines(), err.decode()


async def test_cli_batch_of_nasty_lines() -> None:
    lines = [line for line, _ in BAD_LINES[:8]] + CORPUS_LINES
    code, out, err = await newsbrief("\n".join(lines).encode("utf-8", "surrogatepass"))
    assert code == 0, err
    records = [strict_json(line) for line in out]
    for record in records[:8]:
        assert record["error"].endswith(".") and record["error"] != GENERIC_FAILURE
    assert [record["id"] for record in records[8:]] == list(TEXT_CASES)


GOOD_LINE = json.dumps({"id": "good", "text": ARTICLE_TEXT}).encode()


async def test_cli_batch_survives_a_lone_surrogate() -> None:
    lone = json.dumps({"id": "lone", "text": "\ud800 " + ARTICLE_TEXT}).encode()
    code, out, err = await newsbrief(b"\n".join([GOOD_LINE, lone, GOOD_LINE]))
    assert code == 0, err
    assert [strict_json(line)["id"] for line in out] == ["good", "lone", "good"]


async def test_cli_batch_survives_invalid_utf8_on_a_utf8_terminal() -> None:
    latin1 = (
        json.dumps({"id": "latin1", "text": ARTICLE_TEXT}).encode().replace(b"\\u00e1", b"\xe1")
    )
    assert b"\xe1" in latin1
    code, out, err = await newsbrief(
        b"\n".join([GOOD_LINE, latin1, GOOD_LINE]), PYTHONIOENCODING="utf-8:strict"
    )
    assert code == 0, err
    assert [strict_json(line)["id"] for line in out] == ["good", "latin1", "good"]


# --- the count ------------------------------------------------------------------------------

# The issue's list of bad inputs, each with the corpus files that try it.
ISSUE_LIST = {
    "empty text": ["empty.txt", "blank.txt"],
    "one sentence": ["one-sentence.txt", "too-short.txt"],
    "one 20,000-character sentence": ["long-sentence.txt"],
    "5,000 sentences": ["many-sentences.txt.gz"],
    "right-to-left text": ["rtl-arabic.txt", "rtl-hebrew.txt"],
    "emoji": ["emoji.txt"],
    "control characters": ["control-chars.txt", "zero-width.txt"],
    "HTML entities": ["html-entities.txt", "html-entities.html"],
    "mixed encodings": ["mixed-encodings.txt", "utf16-bom.txt", "crlf-wrapped.txt"],
    "truncated feeds": ["feed-truncated.rss", "feed-truncated-header.rss"],
    "feeds that are not XML": ["feed-is-html.html"],
    "feeds with the wrong charset": [
        "feed-latin1-declared-utf8.rss",
        "feed-utf8-declared-latin1.rss",
    ],
    "feeds with characters parsers refuse": [
        "feed-surrogate-charrefs.rss",
        "feed-noncharacter.rss",
    ],
    "chat messages with 50 links": ["chat-50-links.txt"],
    "(the well-formed feed the others are cut from)": ["feed-good.rss"],
}


def test_bad_inputs_tried() -> None:
    """Every item of the issue's list has corpus files; prints how many bad inputs are tried."""
    corpus_files = {p.name for p in CORPUS.iterdir() if p.name != "make_corpus.py"}
    listed = [name for names in ISSUE_LIST.values() for name in names]
    assert sorted(listed) == sorted(corpus_files)
    counts = {
        "corpus files": len(corpus_files),
        # the table, the Infinity/NaN lines, and deep nesting, a lone surrogate, a bad byte
        "JSON lines": len(BAD_LINES) + len(CONSTANT_LINES) + 3,
        "feed bodies made on the fly": len(GENERATED_FEEDS) + len(DYING_FEEDS) + 2,  # + empty
    }
    total = sum(counts.values())
    print(f"\nbad inputs tried (besides the property tests' examples): {total} {counts}")
    assert total == BAD_INPUTS_TRIED
