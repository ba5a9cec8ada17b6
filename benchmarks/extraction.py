"""Article extraction quality and speed: bot.web.extract against plain trafilatura, in one run.

Run from the project root:
    .venv/bin/python benchmarks/extraction.py [--data ../shared/data]

1. article-extraction-benchmark (scrapinghub, 113 pages): the upstream scoring, re-implemented
   here: 4-word shingles of ``\\w+`` tokens; per page TP/FP/FN; precision and recall averaged
   over pages; F1 of those two means. The pages are split once by ``benchmarks._split.part_of``
   (the page id): rules are written from the tune part; the check part is the one to quote,
   with a paired bootstrap 95% interval of the F1 difference and page wins/losses.
   Baselines: ``trafilatura.extract(html)`` (default call) and
   ``trafilatura.extract(html, include_comments=False)`` (the call the upstream table uses).
2. trafilatura's snippet pages (English and Spanish): share of "with" snippets kept and of
   "without" snippets dropped. Ours keeps the headline in ``Article.title``, so "with" is looked
   up in title + text and "without" in the text alone; the baseline's text holds both.
3. Metadata on the snippet pages that give it: title, author and date right, ours against
   ``trafilatura.bare_extraction(html, with_metadata=True)``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import random
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks._split import part_of  # noqa: E402
from bot.errors import ExtractionError  # noqa: E402
from bot.web.extract import extract_article  # noqa: E402

DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "data"
SHINGLE_SIZE = 4
TOKEN = re.compile(r"\w+")
BOOTSTRAP_ROUNDS = 2000
BOOTSTRAP_SEED = 20261207


@dataclass(frozen=True)
class Extraction:
    """What one extractor made of one page: text to score, the title apart, seconds taken."""

    text: str
    title: str = ""
    seconds: float = 0.0


Counts = tuple[float, float, float]  # a page's TP, FP, FN shares
Extractor = Callable[[str, str | None], tuple[str, str]]  # (html, url) -> (title, text)


def ours(html: str, url: str | None) -> tuple[str, str]:
    try:
        article = extract_article(html, url)
    except ExtractionError:
        return "", ""
    return article.title or "", article.text


def trafilatura_default(html: str, url: str | None) -> tuple[str, str]:
    return "", trafilatura.extract(html) or ""


def trafilatura_no_comments(html: str, url: str | None) -> tuple[str, str]:
    return "", trafilatura.extract(html, include_comments=False) or ""


EXTRACTORS: dict[str, Extractor] = {
    "ours (bot.web.extract)": ours,
    "trafilatura.extract default": trafilatura_default,
    "trafilatura.extract no comments": trafilatura_no_comments,
}


def run(extractor: Extractor, pages: list[tuple[str, str | None]]) -> list[Extraction]:
    extractor(*pages[0])  # warm caches (lazy imports, compiled patterns) outside the timing
    results = []
    for html, url in pages:
        start = time.perf_counter()
        title, text = extractor(html, url)
        results.append(Extraction(text=text, title=title, seconds=time.perf_counter() - start))
    return results


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text)
    last = max(1, len(tokens) - SHINGLE_SIZE + 1)
    return Counter(tuple(tokens[i : i + SHINGLE_SIZE]) for i in range(last))


def tp_fp_fn(true: str, predicted: str) -> Counts:
    """Shingle counts, normalised per page so long pages weigh no more than short ones."""
    true_shingles, predicted_shingles = shingles(true), shingles(predicted)
    tp = sum((true_shingles & predicted_shingles).values())
    fp = sum((predicted_shingles - true_shingles).values())
    fn = sum((true_shingles - predicted_shingles).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_recall_f1(counts: list[Counts]) -> tuple[float, float, float]:
    def ratio(hit: float, other: float, miss: float) -> float:
        if other == miss == 0:
            return 1.0
        return hit / (hit + other) if hit else 0.0

    precision = statistics.mean(ratio(tp, fp, fn) for tp, fp, fn in counts if tp + fp > 0)
    recall = statistics.mean(ratio(tp, fn, fp) for tp, fp, fn in counts if tp + fn > 0)
    return precision, recall, 2 * precision * recall / (precision + recall)


def ms_per_page(results: list[Extraction]) -> str:
    times = [r.seconds * 1000 for r in results]
    return f"{statistics.mean(times):7.1f} {statistics.median(times):7.1f}"


def aeb_benchmark(data: Path, parts: tuple[str, ...]) -> None:
    folder = data / "extraction" / "aeb"
    truth: dict[str, dict[str, str]] = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    ids = sorted(truth)
    pages = [
        (gzip.decompress((folder / "html" / f"{i}.html.gz").read_bytes()).decode("utf-8"), None)
        for i in ids
    ]
    print(f"\nArticle extraction benchmark: {len(ids)} pages, 4-word shingle scoring (upstream)")
    scores: dict[str, list[tuple[float, float, float]]] = {}
    times: dict[str, list[Extraction]] = {}
    for name, extractor in EXTRACTORS.items():
        urls_pages = [(html, truth[i]["url"]) for (html, _), i in zip(pages, ids, strict=True)]
        results = run(extractor, urls_pages)
        times[name] = results
        scores[name] = [
            tp_fp_fn(truth[i]["articleBody"], r.text) for i, r in zip(ids, results, strict=True)
        ]
    for part in parts:
        chosen = [n for n, i in enumerate(ids) if part == "all" or part_of(i) == part]
        print(f"\n{part} part: {len(chosen)} pages (benchmarks/_split.py part_of(id))")
        header = f"{'extractor':34} {'precision':>9} {'recall':>7} {'F1':>7}"
        print(f"{header} {'ms/page mean median':>20}")
        for name in EXTRACTORS:
            precision, recall, f1 = precision_recall_f1([scores[name][n] for n in chosen])
            timing = ms_per_page([times[name][n] for n in chosen])
            print(f"{name:34} {precision:9.3f} {recall:7.3f} {f1:7.3f} {timing:>20}")
        compare(scores[OURS], scores[BASELINE], chosen)


OURS = "ours (bot.web.extract)"
BASELINE = "trafilatura.extract default"


def compare(mine: list[Counts], theirs: list[Counts], chosen: list[int]) -> None:
    """F1 difference with a paired bootstrap 95% interval over pages, and page wins/losses."""
    difference = (
        precision_recall_f1([mine[n] for n in chosen])[2]
        - precision_recall_f1([theirs[n] for n in chosen])[2]
    )
    rng = random.Random(BOOTSTRAP_SEED)
    resampled = []
    for _ in range(BOOTSTRAP_ROUNDS):
        sample = rng.choices(chosen, k=len(chosen))
        resampled.append(
            precision_recall_f1([mine[n] for n in sample])[2]
            - precision_recall_f1([theirs[n] for n in sample])[2]
        )
    resampled.sort()
    low = resampled[int(0.025 * BOOTSTRAP_ROUNDS)]
    high = resampled[int(0.975 * BOOTSTRAP_ROUNDS) - 1]
    page_differences = [page_f1(*mine[n]) - page_f1(*theirs[n]) for n in chosen]
    better = sum(d > 0.001 for d in page_differences)
    worse = sum(d < -0.001 for d in page_differences)
    print(
        f"ours - default F1 = {difference:+.3f} (paired bootstrap 95% CI {low:+.3f} to {high:+.3f},"
        f" {BOOTSTRAP_ROUNDS} resamples); pages: {better} better, {worse} worse, "
        f"{len(chosen) - better - worse} within 0.001"
    )


def page_f1(tp: float, fp: float, fn: float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def squash(text: str) -> str:
    return " ".join(text.split())


def comparable(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", folded).split())


def snippet_benchmark(data: Path) -> None:
    folder = data / "extraction" / "trafilatura-snippets"
    lines = (folder / "cases.jsonl").read_text("utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    print(f"\ntrafilatura snippet pages: {len(cases)} pages; share of snippets kept / dropped")
    header = f"{'extractor':34} {'lang':4} {'pages':>5} {'kept':>6} {'dropped':>7} {'both':>6}"
    print(f"{header} {'ms/page mean median':>20}")
    for lang in ("en", "es"):
        subset = [case for case in cases if case["lang_guess"] == lang]
        pages = [
            (gzip.decompress((folder / c["html_file"]).read_bytes()).decode("utf-8"), None)
            for c in subset
        ]
        for name, extractor in list(EXTRACTORS.items())[:2]:
            results = run(extractor, pages)
            kept = dropped = wanted = unwanted = 0
            for case, result in zip(subset, results, strict=True):
                text = squash(result.text)
                with_title = squash(f"{result.title} {result.text}")
                kept += sum(squash(s) in with_title for s in case.get("with", []))
                dropped += sum(squash(s) not in text for s in case.get("without", []))
                wanted += len(case.get("with", []))
                unwanted += len(case.get("without", []))
            both = (kept + dropped) / (wanted + unwanted)
            print(
                f"{name:34} {lang:4} {len(subset):5} {kept / wanted:6.3f} "
                f"{dropped / unwanted:7.3f} {both:6.3f} {ms_per_page(results):>20}"
            )
    metadata_benchmark(folder, cases)


def metadata_benchmark(folder: Path, cases: list[dict]) -> None:
    labelled = [case for case in cases if case.get("title")]
    print(f"\nMetadata on the {len(labelled)} snippet pages that give it (right / given)")
    print(f"{'extractor':34} {'title':>9} {'author':>9} {'date':>9}")
    for name in ("ours (bot.web.extract)", "trafilatura.bare_extraction"):
        right = Counter[str]()
        given = Counter[str]()
        for case in labelled:
            html = gzip.decompress((folder / case["html_file"]).read_bytes()).decode("utf-8")
            found = extracted_metadata(name, html)
            for field in ("title", "author", "date"):
                if case.get(field):
                    given[field] += 1
                    right[field] += comparable(found[field]) == comparable(case[field])
        cells = " ".join(f"{right[f]:>4}/{given[f]:<4}" for f in ("title", "author", "date"))
        print(f"{name:34} {cells}")


def extracted_metadata(name: str, html: str) -> dict[str, str]:
    if name.startswith("ours"):
        try:
            article = extract_article(html)
        except ExtractionError:
            return {"title": "", "author": "", "date": ""}
        published = article.published.date().isoformat() if article.published else ""
        return {"title": article.title or "", "author": article.byline or "", "date": published}
    document = trafilatura.bare_extraction(html, with_metadata=True)
    if document is None:
        return {"title": "", "author": "", "date": ""}
    return {
        "title": document.title or "",
        "author": document.author or "",
        "date": (document.date or "")[:10],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    parser.add_argument(
        "--part",
        choices=("tune", "check", "all", "both"),
        default="both",
        help="which part of the aeb pages to report (default: tune and check)",
    )
    parser.add_argument("--no-snippets", action="store_true", help="skip the snippet pages")
    args = parser.parse_args()
    if not (args.data / "extraction").is_dir():
        raise SystemExit(f"No extraction data under {args.data} (pass --data PATH).")
    logging.disable(logging.CRITICAL)  # trafilatura logs every page it discards
    print(f"trafilatura {trafilatura.__version__}")
    aeb_benchmark(args.data, ("tune", "check") if args.part == "both" else (args.part,))
    if not args.no_snippets:
        snippet_benchmark(args.data)


if __name__ == "__main__":
    main()
