"""Furniture on the labelled pages: how much survives cleaning, how much a summary picks, and
how many article sentences cleaning drops with it.

Run from the project root:
    .venv/bin/python benchmarks/furniture.py [--sentences 3] [--show]

Reads the hand-labelled set in tests/fixtures/pages/furniture/pages.jsonl (real pages from the
aeb and trafilatura-snippets sets, English and Spanish; each sentence of trafilatura's raw text
labelled furniture or not). Each page goes through the real path (bot.web.extract ->
bot.service.summarize_article); printed by split part (benchmarks._split, by page id): labelled
furniture sentences, how many survive cleaning into the article's sentences, how many the
summary picks (default method and LEAD), and article sentences cleaning wrongly removed, with
bootstrap 95% intervals over pages. Sentence-level detail (``--show``) is printed for the tune
part only: the check part is quoted in aggregate, never read while writing rules.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import random
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
RESAMPLES = 2000


def squash(text: str) -> str:
    return " ".join(text.split())


def is_labelled(sentence: str, furniture: list[str]) -> bool:
    """Whether ``sentence`` is, contains or lies inside a furniture sentence."""
    text = squash(sentence)
    return any(
        text == label or (len(label) >= MIN_CONTAINED_CHARS and (label in text or text in label))
        for label in furniture
    )


def is_kept(label: str, kept: list[str], joined: str) -> bool:
    """Whether an article sentence is still in the cleaned text: whole, or most of it (a
    stripped credit or dateline, a different sentence split)."""
    return label in joined or any(
        len(sentence) >= max(MIN_CONTAINED_CHARS, len(label) // 2) and sentence in label
        for sentence in kept
    )


def measure(page: dict, count: int, show: bool) -> Counter[str]:
    html = gzip.decompress((PAGES / page["html"]).read_bytes())
    article = extract_article(html, page["url"])
    others = [squash(s["text"]) for s in page["sentences"] if not s["furniture"]]
    # A sentence the page repeats below the article is furniture there and article text above;
    # by its text alone it is article text.
    labelled = (squash(s["text"]) for s in page["sentences"] if s["furniture"])
    furniture = [text for text in dict.fromkeys(labelled) if text not in others]
    kept = [squash(k) for k in split_sentences(article.text, article.lang)]
    joined = " ".join(kept)
    result: Counter[str] = Counter(pages=1, sentences=len(page["sentences"]))
    result["furniture"] = len(furniture)
    result["article"] = len(others)
    surviving = [f for f in furniture if any(is_labelled(k, [f]) for k in kept)]
    dropped = [s for s in others if not is_kept(s, kept, joined)]
    result["survive"], result["dropped"] = len(surviving), len(dropped)
    detail = show and page["part"] == "tune"
    for method in (DEFAULT_METHOD, "lead"):
        summary = summarize_article(article, count, method)
        picked = [s for s in summary.sentences if is_labelled(s, furniture)]
        result[f"picked {method}"] = len(picked)
        result[f"summary {method}"] = len(summary.sentences)
        for sentence in picked if detail else ():
            print(f"  {page['page'][:24]} picked by {method}: {sentence[:110]}")
    for sentence in surviving if detail else ():
        print(f"  {page['page'][:24]} furniture kept: {sentence[:110]}")
    for sentence in dropped if detail else ():
        print(f"  {page['page'][:24]} ARTICLE DROPPED: {sentence[:110]}")
    return result


def rate_interval(rows: list[Counter[str]], hit: str, of: str) -> str:
    """The pooled rate ``hit / of`` with a bootstrap 95% interval over pages."""
    total = sum(row[of] for row in rows)
    if not total:
        return "-"
    rate = sum(row[hit] for row in rows) / total
    rng = random.Random(20261207)
    draws = []
    for _ in range(RESAMPLES):
        sample = [rng.choice(rows) for _ in rows]
        size = sum(row[of] for row in sample)
        draws.append(sum(row[hit] for row in sample) / size if size else 0.0)
    draws.sort()
    low, high = draws[int(RESAMPLES * 0.025)], draws[int(RESAMPLES * 0.975) - 1]
    return f"{100 * rate:5.1f}% [{100 * low:4.1f}, {100 * high:4.1f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=3, help="summary length (default 3)")
    parser.add_argument(
        "--show", action="store_true", help="list tune-part misses sentence by sentence"
    )
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    lines = (PAGES / "furniture" / "pages.jsonl").read_text("utf-8").splitlines()
    pages = [json.loads(line) for line in lines if line.strip()]
    rows: dict[str, list[Counter[str]]] = {}
    for page in pages:
        row = measure(page, args.sentences, args.show)
        rows.setdefault(f"{page['part']} {page['lang']}", []).append(row)
        rows.setdefault(page["part"], []).append(row)
    print(f"\nFurniture on {len(pages)} labelled pages, {args.sentences}-sentence summaries")
    header = f"{'part lang':10} {'pages':>5} {'sent.':>6} {'furn.':>6} {'survive':>8}"
    header += f" {'picked ' + DEFAULT_METHOD:>17} {'picked lead':>12} {'art. dropped':>13}"
    print(header)
    keys = sorted(key for key in rows if " " in key)
    for key in [*keys, "all"]:
        chosen = [row for k in keys for row in rows[k]] if key == "all" else rows[key]
        total = sum(chosen, Counter())
        print(
            f"{key:10} {total['pages']:5} {total['sentences']:6} {total['furniture']:6} "
            f"{total['survive']:8} {total['picked ' + DEFAULT_METHOD]:17} "
            f"{total['picked lead']:12} {total['dropped']:13}"
        )
    print("\nRates by part (bootstrap 95% interval over pages)")
    for part in ("tune", "check"):
        part_rows = rows.get(part, [])
        surviving = rate_interval(part_rows, "survive", "furniture")
        picked = rate_interval(part_rows, f"picked {DEFAULT_METHOD}", f"summary {DEFAULT_METHOD}")
        dropped = rate_interval(part_rows, "dropped", "article")
        print(f"{part:5} furniture surviving cleaning {surviving}")
        print(f"{'':5} summary sentences that are furniture {picked}")
        print(f"{'':5} article sentences wrongly removed {dropped}")
        print(
            f"{'':5} pages whose summary picks furniture: "
            f"{sum(row['picked ' + DEFAULT_METHOD] > 0 for row in part_rows)} of {len(part_rows)}"
        )


if __name__ == "__main__":
    main()
