"""Golden check for speed work: a hash of every default summary over fixed texts, kept or compared.

Run from the project root:
    .venv/bin/python benchmarks/golden_outputs.py --write /tmp/golden.json [--data ../shared/data]
    .venv/bin/python benchmarks/golden_outputs.py --check /tmp/golden.json [--data ../shared/data]

For each text it records one SHA-1 over what a user sees: the article's language and title,
the default method's sentences with and without the lead line, the sentences it picks with
the title given (as the quality benchmarks rank), and every key figure with all its fields
(the score as ``repr``, so a changed float shows). Texts: the summary, page and figure
fixtures in tests/fixtures, the nasty-input texts, and the CNN/DM and BBC dev sets read
through ``--data`` (``--limit`` rows of each). ``--check`` lists the ids whose hash changed.
The file is not committed: other work changes the outputs on purpose, so a speed change is
judged against a file written just before it, on the same tree.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._data import add_data_argument, data_file, read_jsonl
from bot.errors import NewsbriefError
from bot.models import Article, Summary
from bot.service import summarize_article
from bot.web.extract import article_from_text, extract_article
from summarizers.ranking.methods import select_sentences
from summarizers.sentences import split_sentences

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
DEV_SETS = (
    "summaries/cnndm-dev.jsonl.gz",
    "summaries/cnndm-more-dev.jsonl.gz",
    "summaries/bbc-dev.jsonl.gz",
)


def _read(path: Path) -> str:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        return handle.read().decode("utf-8", errors="replace")


def _inputs(data: Path, limit: int | None) -> Iterator[tuple[str, str, str, str | None]]:
    """(id, kind, content, title): kind "text" (pasted) or "html" (a page)."""
    for path in sorted((FIXTURES / "summaries").glob("*.json")):
        yield f"fixture:{path.name}", "text", json.loads(path.read_text())["text"], None
    pages = [*(FIXTURES / "summaries").glob("*.html.gz"), *(FIXTURES / "pages").rglob("*.html.gz")]
    for path in sorted(pages):
        yield f"page:{path.relative_to(FIXTURES)}", "html", _read(path), None
    for path in sorted((FIXTURES / "figures" / "labelled").glob("*.jsonl")):
        for line in path.read_text().splitlines():
            row = json.loads(line)
            yield f"figures:{row['id']}", "text", row["text"], None
    for path in sorted((FIXTURES / "nasty").glob("*.txt*")):
        yield f"nasty:{path.name}", "text", _read(path), None
    for relative in DEV_SETS:
        for row in read_jsonl(data_file(data, relative), limit):
            text = row.get("article") or row.get("text") or ""
            yield f"{relative}:{row['id']}", "text", text, row.get("title")


def _figures(summary: Summary) -> list[object]:
    return [[*figure.as_dict().items(), repr(figure.score)] for figure in summary.figures]


def record(kind: str, content: str, title: str | None) -> object:
    """Everything the default summarizer shows for one input, as plain JSON values."""
    try:
        article: Article = (
            extract_article(content, "https://example.org/a")
            if kind == "html"
            else article_from_text(content)
        )
        plain = summarize_article(article, 3, "newsbrief")
        with_lead = summarize_article(article, 3, "newsbrief", with_lead=True)
    except NewsbriefError as err:
        return ["error", str(err)]
    titled = None
    if title:
        sentences = split_sentences(content)
        titled = select_sentences(sentences, 3, title=title)
    return [
        article.lang,
        article.title,
        plain.sentences,
        plain.partial,
        _figures(plain),
        with_lead.sentences,
        with_lead.lead,
        _figures(with_lead),
        titled,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    parser.add_argument("--limit", type=int, default=None, help="rows of each dev set")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path, help="write the hashes to this file")
    mode.add_argument("--check", type=Path, help="compare with the hashes in this file")
    args = parser.parse_args()
    hashes: dict[str, str] = {}
    for item_id, kind, content, title in _inputs(args.data, args.limit):
        body = json.dumps(record(kind, content, title), ensure_ascii=False, default=list)
        hashes[item_id] = hashlib.sha1(body.encode("utf-8")).hexdigest()
    if args.write:
        args.write.write_text(json.dumps(hashes, indent=0, sort_keys=True) + "\n")
        print(f"{len(hashes)} outputs written to {args.write}")
        return
    expected = json.loads(args.check.read_text())
    changed = sorted(key for key in expected.keys() & hashes.keys() if expected[key] != hashes[key])
    missing = sorted(expected.keys() ^ hashes.keys())
    for key in changed:
        print(f"changed: {key}")
    for key in missing:
        print(f"only in one run: {key}")
    print(f"{len(hashes)} outputs, {len(changed)} changed, {len(missing)} not in both runs")
    if changed or missing:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
