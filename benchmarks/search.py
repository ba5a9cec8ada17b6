"""Archive search: known-item retrieval by headline words, and the cost of the FTS5 index.

Every BBC and CNN/DM dev article goes into a fresh store. Known-item search: up to 6 words of
4+ letters of a BBC article's headline, or of a CNN/DM article's first human highlight (words
a reader recalls, not the article's own title), are the query; hit@1 and hit@5 say how often
that article comes first or among the 5 `search` shows, with bootstrap intervals, quoted on
the check part of the fixed split (nothing here is tuned; the title weight 10:1 was set before
this ran). Cost: inserting with the index's triggers against a copy without them, and a search
against the obvious baseline, LIKE '%word%' on every word (unranked: the first 5 rows, no
tenant check), measured in the same run.

    .venv/bin/python benchmarks/search.py [--data ../shared/data] [--limit N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._data import add_data_argument, data_file, read_jsonl
from benchmarks._split import split_by_id
from bot.models import Article
from bot.store import SQLiteStore

TENANT = "console:console"
TRIGGERS = ("articles_fts_insert", "articles_fts_delete", "articles_fts_update")


def load(data: Path, limit: int | None) -> list[dict[str, str]]:
    bbc = [
        {"id": f"bbc-{r['id']}", "title": r["title"], "text": r["text"], "query": r["title"]}
        for r in read_jsonl(data_file(data, "summaries/bbc-dev.jsonl.gz"), limit)
    ]
    cnndm = [
        {
            "id": f"cnndm-{r['id']}",
            "title": "",
            "text": r["article"],
            "query": r["reference"].splitlines()[0] if r["reference"].strip() else "",
        }
        for r in read_jsonl(data_file(data, "summaries/cnndm-more-dev.jsonl.gz"), limit)
    ]
    return bbc + cnndm


async def fill(path: Path, records: list[dict[str, str]], *, index: bool) -> tuple[float, dict]:
    store = await SQLiteStore.open(path)
    if not index:  # the same schema without the triggers that keep the index in step
        with sqlite3.connect(path) as db:
            for name in TRIGGERS:
                db.execute(f"DROP TRIGGER {name}")
    ids = {}
    started = time.perf_counter()
    for record in records:
        article = Article(
            text=record["text"],
            title=record["title"] or None,
            url=f"https://archive.example/{record['id']}",
        )
        stored, _ = await store.upsert_article(article)
        ids[record["id"]] = stored.id
    seconds = time.perf_counter() - started
    await store.aclose()
    return seconds, ids


def query_words(line: str) -> list[str]:
    """Words of 4+ letters of a headline or a highlight, at most 6: what someone recalls."""
    return [w for w in re.findall(r"\w+", line) if len(w) >= 4][:6]


def like_search(path: Path, words: list[str], limit: int = 5) -> list[int]:
    clause = " AND ".join("(title LIKE ? OR text LIKE ?)" for _ in words)
    params = [f"%{w}%" for w in words for _ in (0, 1)]
    with sqlite3.connect(path) as db:
        sql = f"SELECT id FROM articles WHERE {clause} LIMIT {limit}"
        return [row[0] for row in db.execute(sql, params)]


def interval(hits: list[int], rounds: int = 1000) -> tuple[float, float]:
    rng = random.Random(0)
    means = sorted(sum(rng.choices(hits, k=len(hits))) / len(hits) for _ in range(rounds))
    return means[int(rounds * 0.025)], means[int(rounds * 0.975)]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    parser.add_argument("--limit", type=int, default=None, help="articles per data set")
    args = parser.parse_args()
    records = load(args.data, args.limit)
    with tempfile.TemporaryDirectory() as folder:
        indexed, plain = Path(folder) / "fts.db", Path(folder) / "plain.db"
        plain_s, _ = await fill(plain, records, index=False)
        fts_s, ids = await fill(indexed, records, index=True)
        size = indexed.stat().st_size / plain.stat().st_size
        print(f"articles: {len(records)}")
        ratio = fts_s / plain_s
        print(f"insert: {fts_s:.2f} s with the index, {plain_s:.2f} s without (x{ratio:.2f})")
        print(f"database size with the index: x{size:.2f} of the one without")
        known = [r for r in records if len(query_words(r["query"])) >= 2]
        parts = split_by_id(known, lambda r: r["id"])
        for (part, kind), items in (
            ((part, kind), [r for r in rows if r["id"].startswith(prefix)])
            for part, rows in zip(("tune", "check"), parts, strict=True)
            for kind, prefix in (("BBC headline", "bbc-"), ("CNN/DM highlight", "cnndm-"))
        ):
            store = await SQLiteStore.open(indexed)
            first, top5, fts_time, like_time = [], [], 0.0, 0.0
            for record in items:
                words = query_words(record["query"])
                started = time.perf_counter()
                found = [a.id for a in await store.search_articles(TENANT, [" ".join(words)])]
                fts_time += time.perf_counter() - started
                started = time.perf_counter()
                like_search(plain, words)
                like_time += time.perf_counter() - started
                first.append(int(found[:1] == [ids[record["id"]]]))
                top5.append(int(ids[record["id"]] in found))
            await store.aclose()
            n = len(items)
            low1, high1 = interval(first)
            low5, high5 = interval(top5)
            print(
                f"{part}, {kind} words: {n} queries; "
                f"hit@1 {sum(first) / n:.3f} [{low1:.3f}, {high1:.3f}], "
                f"hit@5 {sum(top5) / n:.3f} [{low5:.3f}, {high5:.3f}]; "
                f"{1000 * fts_time / n:.2f} ms a search, LIKE baseline "
                f"{1000 * like_time / n:.2f} ms (x{like_time / fts_time:.1f} slower)"
            )


if __name__ == "__main__":
    asyncio.run(main())
