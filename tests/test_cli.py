"""The `newsbrief` command run as a user runs it: a real subprocess, files, stdin and local URLs."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from webserver import WebServer

FIXTURES = Path(__file__).parent / "fixtures"
SEED_TEXT = FIXTURES / "seed" / "bbc-us-mexico-migration.txt"
SEED_EXPECTED = json.loads((FIXTURES / "seed" / "expected.json").read_text(encoding="utf-8"))


async def newsbrief(*args: str, stdin: str = "", private: bool = True) -> tuple[int, str, str]:
    """Run the CLI in a child process; returns (exit code, stdout, stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBRIEF_", "SLACK_"))}
    env["NEWSBRIEF_ALLOW_PRIVATE_NETWORKS"] = "1" if private else "0"
    env["NEWSBRIEF_FETCH_TIMEOUT"] = "3"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters.cli",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=Path(__file__).parent.parent,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin.encode()), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_summarize_text_file_prints_title_summary_and_figures() -> None:
    code, out, err = await newsbrief("summarize", str(SEED_TEXT))
    assert code == 0, err
    assert out.startswith(SEED_EXPECTED["title"])
    assert "Summary" in out and "Key figures" in out
    assert "190,000" in out
    for furniture in SEED_EXPECTED["not_article_text"]:
        assert furniture not in out


async def test_json_format_has_sentences_from_the_article_and_figures() -> None:
    code, out, _ = await newsbrief(
        "summarize", str(SEED_TEXT), "--format", "json", "--sentences", "2"
    )
    assert code == 0
    record = json.loads(out)
    assert record["title"] == SEED_EXPECTED["title"]
    assert len(record["sentences"]) == 2
    source = SEED_TEXT.read_text(encoding="utf-8")
    assert all(" ".join(s.split()) in " ".join(source.split()) for s in record["sentences"])
    values = {figure["value"] for figure in record["figures"]}
    assert {190000, 2000000, 10000} <= values
    assert set(record["figures"][0]) >= {
        "value",
        "surface",
        "qualifier",
        "counted",
        "period",
        "unit",
        "sentence",
    }


async def test_markdown_from_stdin() -> None:
    code, out, _ = await newsbrief(
        "summarize", "-", "--format", "markdown", stdin=SEED_TEXT.read_text(encoding="utf-8")
    )
    assert code == 0
    assert out.startswith("## ")
    assert "**Key figures**" in out


async def test_url_served_locally(web: WebServer) -> None:
    html = (FIXTURES / "seed" / "bbc-us-mexico-migration.html").read_bytes()
    web.respond("/news/world-us-canada-1", body=html, content_type="text/html; charset=utf-8")
    code, out, err = await newsbrief(
        "summarize", web.url("/news/world-us-canada-1"), "--format", "json"
    )
    assert code == 0, err
    record = json.loads(out)
    assert record["title"] == SEED_EXPECTED["title"]
    assert any(f["value"] == 190000 for f in record["figures"])


async def test_errors_are_one_sentence_and_non_zero(web: WebServer) -> None:
    web.respond("/gone", status=404, body=b"not here", content_type="text/html")
    web.respond("/paper.pdf", body=b"%PDF-1.4\n", content_type="application/pdf")
    cases = [
        (web.url("/gone"), True, "404"),
        (web.url("/paper.pdf"), True, "PDF"),
        ("http://127.0.0.1/admin", False, "private"),
        (web.url("/gone"), False, "port"),
        ("file:///etc/passwd", True, ""),
        ("no/such/file.txt", True, "neither a link nor a readable file"),
    ]
    for source, private, expected in cases:
        code, out, err = await newsbrief("summarize", source, private=private)
        assert code != 0, source
        assert out == ""
        assert "Traceback" not in err
        assert err.startswith("newsbrief: ") and err.count("\n") == 1, err
        assert expected.lower() in err.lower(), (source, err)


async def test_unknown_method_is_refused_by_the_parser() -> None:
    code, _, err = await newsbrief("summarize", str(SEED_TEXT), "--method", "magic")
    assert code == 2
    assert "invalid choice" in err


async def test_jsonl_batch_keeps_order_and_reports_bad_lines(web: WebServer) -> None:
    html = (FIXTURES / "seed" / "bbc-us-mexico-migration.html").read_text(encoding="utf-8")
    web.respond("/a", body=html.encode(), content_type="text/html")
    lines = [
        {"id": 1, "text": SEED_TEXT.read_text(encoding="utf-8")},
        "this is not json",
        {"id": "h", "html": html},
        {"id": 3, "url": web.url("/a")},
        {"id": 4, "url": web.url("/missing")},
        {"id": 5},
        {"id": 6, "text": "Too short."},
    ]
    stdin = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    code, out, err = await newsbrief("summarize", "--jsonl", "--with-text", stdin=stdin)
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == [1, None, "h", 3, 4, 5, 6]
    good = [records[0], records[2], records[3]]
    for record in good:
        assert record["error"] is None
        assert record["title"] == SEED_EXPECTED["title"]
        assert len(record["sentences"]) == 3
        assert any(f["value"] == 190000 for f in record["figures"])
        assert "Leave a Reply" not in record["text"]
    for record in (records[1], records[4], records[5], records[6]):
        assert record["error"] and record["sentences"] == [] and record["figures"] == []
    assert "404" in records[4]["error"]


async def test_a_dry_run_whose_feeds_all_fail_says_so_and_exits_69(
    web: WebServer, tmp_path: Path
) -> None:
    web.respond("/news/feed.xml", b"", status=500)
    web.respond("/world/feed.xml", b"", status=404)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{web.url('/news/feed.xml')}\n{web.url('/world/feed.xml')}\n")
    code, out, err = await newsbrief("digest", "--dry-run", "--feeds", str(feeds))
    assert code == 69, (out, err)
    assert err.endswith("newsbrief: none of the 2 feeds could be read.\n")
    # Two feeds of one host are named by their paths, not as the same host twice.
    assert "127.0.0.1/news/feed.xml, 127.0.0.1/world/feed.xml" in out
