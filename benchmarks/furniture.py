"""Furniture on the labelled pages: how much survives cleaning, how much a summary picks.

Run from the project root:
    .venv/bin/python benchmarks/furniture.py [--sentences 3]

Reads the hand-labelled set in tests/fixtures/pages/furniture/pages.jsonl (42 real pages from
the aeb and trafilatura-snippets sets, English and Spanish; each sentence of trafilatura's raw
text labelled furniture or not). Each page goes through the real path (bot.web.extract ->
bot.service.summarize_article); printed by split part (benchmarks._split, by page id): labelled
furniture sentences, how many survive cleaning into the article's sentences, and how many the
summary picks, for the default method and for LEAD.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from bot.service import summarize_article  # noqa: E402
from bot.web.extract import extract_article  # noqa: E402
from summarizers.ranking.methods import DEFAULT_METHOD  # noqa: E402
from summarizers.sentences import split_sentences  # noqa: E402

PAGES = PROJECT_ROOT / "tests" / "fixtures" / "pages"
MIN_CONTAINED_CHARS = 12  # a shorter furniture sentence ("More:") may sit inside any sentence


def squash(text: str) -> str:
    return " ".join(text.split())


def is_labelled(sentence: str, furniture: list[str]) -> bool:
    """Whether ``sentence`` is, contains or lies inside a furniture sentence."""
    text = squash(sentence)
    return any(
        text == label or (len(label) >= MIN_CONTAINED_CHARS and (label in text or text in label))
        for label in furniture
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=3, help="summary length (default 3)")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    lines = (PAGES / "furniture" / "pages.jsonl").read_text("utf-8").splitlines()
    pages = [json.loads(line) for line in lines if line.strip()]
    totals: dict[str, Counter[str]] = {}
    for page in pages:
        html = gzip.decompress((PAGES / page["html"]).read_bytes())
        article = extract_article(html, page["url"])
        furniture = [squash(s["text"]) for s in page["sentences"] if s["furniture"]]
        kept = split_sentences(article.text, article.lang)
        count = totals.setdefault(f"{page['part']} {page['lang']}", Counter())
        count["pages"] += 1
        count["sentences"] += len(page["sentences"])
        count["furniture"] += len(furniture)
        count["survive"] += sum(any(is_labelled(k, [f]) for k in kept) for f in furniture)
        for method in (DEFAULT_METHOD, "lead"):
            summary = summarize_article(article, args.sentences, method)
            picked = [s for s in summary.sentences if is_labelled(s, furniture)]
            count[f"picked {method}"] += len(picked)
            for sentence in picked:
                print(f"  {page['page'][:24]} {method}: {sentence[:100]}")
    print(f"\nFurniture on {len(pages)} labelled pages, {args.sentences}-sentence summaries")
    header = f"{'part lang':10} {'pages':>5} {'sent.':>6} {'furn.':>6} {'survive':>8}"
    print(f"{header} {'picked ' + DEFAULT_METHOD:>17} {'picked lead':>12}")
    for key in [*sorted(totals), "all"]:
        row = totals[key] if key != "all" else sum(totals.values(), Counter())
        print(
            f"{key:10} {row['pages']:5} {row['sentences']:6} {row['furniture']:6} "
            f"{row['survive']:8} {row['picked ' + DEFAULT_METHOD]:17} {row['picked lead']:12}"
        )


if __name__ == "__main__":
    main()
