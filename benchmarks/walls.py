"""Wall detection quality: precision and recall per class (article, paywall, consent, ...).

Run from the project root:
    .venv/bin/python benchmarks/walls.py [--data ../shared/data] [--part check|tune|all]

The labelled pages are listed in ``tests/fixtures/pages/walls/labels.jsonl`` (id, set, label);
their HTML is read from ``--data`` (extraction/aeb, extraction/trafilatura-snippets). The split
is ``benchmarks._split.part_of(id)``, fixed; rules were written from the tune part, and the check
part is the one to quote. Synthetic test pages (tests/fixtures/pages/walls/synthetic) are not
counted. Intervals: 95% bootstrap over pages (1,000 resamples, fixed seed).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._data import PROJECT_ROOT, add_data_argument, data_file
from benchmarks._split import part_of
from bot.errors import ExtractionError
from bot.web.extract import extract_article

LABELS = PROJECT_ROOT / "tests" / "fixtures" / "pages" / "walls" / "labels.jsonl"
CLASSES = ("article", "paywall", "consent", "challenge", "index")
_FOLDERS = {
    "aeb": "extraction/aeb/html",
    "trafilatura-snippets": "extraction/trafilatura-snippets/html",
}


def predict(html: bytes) -> str:
    """The class the bot gives a page: its wall kind, else article (no text counts as article)."""
    try:
        return extract_article(html).wall or "article"
    except ExtractionError:
        return "article"


def _page(data: Path, row: dict[str, str]) -> bytes:
    name = row["id"] if row["id"].endswith(".gz") else f"{row['id']}.html.gz"
    return gzip.decompress(data_file(data, f"{_FOLDERS[row['set']]}/{name}").read_bytes())


def _scores(pairs: list[tuple[str, str]], kind: str) -> tuple[float | None, float | None]:
    hits = sum(1 for gold, got in pairs if gold == kind and got == kind)
    said = sum(1 for _, got in pairs if got == kind)
    real = sum(1 for gold, _ in pairs if gold == kind)
    return (hits / said if said else None), (hits / real if real else None)


def _interval(pairs: list[tuple[str, str]], kind: str, which: int) -> str:
    rng = random.Random(14)
    values = []
    for _ in range(1000):
        sample = [rng.choice(pairs) for _ in pairs]
        value = _scores(sample, kind)[which]
        if value is not None:
            values.append(value)
    if not values:
        return ""
    values.sort()
    low, high = values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1]
    return f" [{low:.2f}, {high:.2f}]"


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    parser.add_argument("--part", choices=("check", "tune", "all"), default="check")
    parser.add_argument("--limit", type=int, default=None, help="at most this many pages")
    args = parser.parse_args()
    rows = [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]
    rows = [r for r in rows if args.part == "all" or part_of(r["id"]) == args.part]
    rows = rows[: args.limit]
    pairs = []
    for row in rows:
        got = predict(_page(args.data, row))
        pairs.append((row["label"], got))
        if got != row["label"]:
            print(f"  miss: {row['id'][:40]} gold={row['label']} got={got}")
    gold = Counter(label for label, _ in pairs)
    print(f"part={args.part} pages={len(pairs)} gold: {dict(gold)}")
    print(f"{'class':10} {'n':>3} {'precision':>22} {'recall':>22}")
    for kind in CLASSES:
        precision, recall = _scores(pairs, kind)
        said = sum(1 for _, got in pairs if got == kind)
        print(
            f"{kind:10} {gold[kind]:3d} {_fmt(precision)}{_interval(pairs, kind, 0):16} "
            f"{_fmt(recall)}{_interval(pairs, kind, 1):16}  (said {said})"
        )


if __name__ == "__main__":
    main()
