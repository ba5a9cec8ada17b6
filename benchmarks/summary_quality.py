"""Summary quality and speed of every method on CNN/DailyMail (ROUGE) and BBC (extractive refs).

Run from the project root:
    .venv/bin/python benchmarks/summary_quality.py [--data ../shared/data] [--limit N]

Rows are split by their position in each file: even positions were used to tune Newsbrief's
ranker, odd positions are held out; both halves are reported next to the whole. The CNN/DM rows
from SummEval carry ten more (crowd-written) references besides the one scored above; the mean
ROUGE-1 over those is reported too, as a check that tuning did not fit one reference's style.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rouge_score.rouge_scorer import RougeScorer

from benchmarks._data import add_data_argument, data_file, read_jsonl
from summarizers.ranking.methods import DEFAULT_METHOD, METHODS, select_sentences
from summarizers.sentences import split_sentences

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
SYNTHETIC_SENTENCES = 400


@dataclass
class Article:
    sentences: list[str]
    title: str | None
    reference: str
    half: int  # 0: even position (tuning half), 1: odd position (held out)
    other_references: list[str] = field(default_factory=list)


@dataclass
class MethodResult:
    rouge: dict[str, list[list[float]]] = field(
        default_factory=lambda: {name: [[], []] for name in ROUGE_TYPES}
    )
    in_reference: list[list[int]] = field(default_factory=lambda: [[], []])
    picked: list[list[int]] = field(default_factory=lambda: [[], []])
    other_rouge1: list[float] = field(default_factory=list)  # mean over the other references
    cnn_ms: list[float] = field(default_factory=list)
    bbc_ms: list[float] = field(default_factory=list)


def load(data_dir: Path, limit: int | None) -> tuple[list[Article], list[Article], list[float]]:
    """CNN/DM and BBC articles split into sentences, and the split time per article (ms)."""
    split_ms: list[float] = []

    def split(text: str) -> list[str]:
        start = time.perf_counter()
        sentences = split_sentences(text)
        split_ms.append((time.perf_counter() - start) * 1000)
        return sentences

    cnndm = [
        Article(
            split(row["article"]),
            None,
            row["reference"],
            position % 2,
            [text for text in row.get("references") or [] if text != row["reference"]],
        )
        for position, row in enumerate(
            read_jsonl(data_file(data_dir, "summaries/cnndm-dev.jsonl.gz"), limit)
        )
    ]
    bbc = [
        Article(split(row["text"]), row["title"], row["reference"], position % 2)
        for position, row in enumerate(
            read_jsonl(data_file(data_dir, "summaries/bbc-dev.jsonl.gz"), limit)
        )
    ]
    return cnndm, bbc, split_ms


def timed_select(article: Article, method: str, count: int) -> tuple[list[int], float]:
    start = time.perf_counter()
    picked = select_sentences(article.sentences, count, method=method, title=article.title)
    return picked, (time.perf_counter() - start) * 1000


def squeeze(text: str) -> str:
    return "".join(text.split())


def evaluate(
    method: str, cnndm: Sequence[Article], bbc: Sequence[Article], count: int
) -> MethodResult:
    scorer = RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    result = MethodResult()
    for article in cnndm:
        picked, ms = timed_select(article, method, count)
        result.cnn_ms.append(ms)
        summary = " ".join(article.sentences[index] for index in picked)
        scores = scorer.score(article.reference, summary)
        for name in ROUGE_TYPES:
            result.rouge[name][article.half].append(scores[name].fmeasure * 100)
        if article.other_references and method in (DEFAULT_METHOD, "lead"):
            others = [
                scorer.score(text, summary)["rouge1"].fmeasure for text in article.other_references
            ]
            result.other_rouge1.append(100 * statistics.fmean(others))
    # The BBC references are the picked sentences run together without spaces, so a sentence is
    # "in the reference" when its text without whitespace occurs in the reference without it.
    for article in bbc:
        picked, ms = timed_select(article, method, count)
        result.bbc_ms.append(ms)
        reference = squeeze(article.reference)
        hits = sum(squeeze(article.sentences[index]) in reference for index in picked)
        result.in_reference[article.half].append(hits)
        result.picked[article.half].append(len(picked))
    return result


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def rouge_cell(result: MethodResult, name: str, half: int | None = None) -> float:
    halves = result.rouge[name]
    return mean(halves[half] if half is not None else halves[0] + halves[1])


def bbc_share(result: MethodResult, half: int | None = None) -> float:
    halves = (0, 1) if half is None else (half,)
    hits = sum(sum(result.in_reference[h]) for h in halves)
    picked = sum(sum(result.picked[h]) for h in halves)
    return 100 * hits / picked if picked else float("nan")


def print_table(results: dict[str, MethodResult], split_ms: Sequence[float]) -> None:
    header = (
        f"{'method':<10} {'R1':>6} {'R2':>6} {'RL':>6} {'R1 even':>8} {'R1 odd':>7}"
        f" {'BBC%':>6} {'even':>6} {'odd':>6} {'ms CNN':>7} {'ms BBC':>7} {'time/ours':>9}"
    )
    ours_ms = statistics.median(results[DEFAULT_METHOD].cnn_ms) if DEFAULT_METHOD in results else 0
    print(header)
    print("-" * len(header))
    for method, result in results.items():
        print(
            f"{method:<10} {rouge_cell(result, 'rouge1'):6.2f} {rouge_cell(result, 'rouge2'):6.2f}"
            f" {rouge_cell(result, 'rougeL'):6.2f} {rouge_cell(result, 'rouge1', 0):8.2f}"
            f" {rouge_cell(result, 'rouge1', 1):7.2f} {bbc_share(result):6.1f}"
            f" {bbc_share(result, 0):6.1f} {bbc_share(result, 1):6.1f}"
            f" {statistics.median(result.cnn_ms):7.2f} {statistics.median(result.bbc_ms):7.2f}"
            f" {statistics.median(result.cnn_ms) / ours_ms if ours_ms else float('nan'):9.2f}"
        )
    print(
        "(ms: median per article, selection only; time/ours: CNN/DM time over newsbrief's;"
        f" sentence splitting, all articles: median {statistics.median(split_ms):.2f} ms)"
    )


def print_deltas(results: dict[str, MethodResult]) -> None:
    if DEFAULT_METHOD not in results or "lead" not in results:
        return
    ours, lead = results[DEFAULT_METHOD], results["lead"]
    print(f"\n{DEFAULT_METHOD} minus LEAD-3 (points):")
    for label, half in (("all", None), ("even (tuning)", 0), ("odd (held out)", 1)):
        rouge = " ".join(
            f"{name} {rouge_cell(ours, name, half) - rouge_cell(lead, name, half):+.2f}"
            for name in ROUGE_TYPES
        )
        share = bbc_share(ours, half) - bbc_share(lead, half)
        print(f"  {label:<15} CNN/DM {rouge}   BBC in-reference {share:+.1f}")
    if ours.other_rouge1:
        ours_other, lead_other = mean(ours.other_rouge1), mean(lead.other_rouge1)
        print(
            f"  CNN/DM rouge1 against the other SummEval references ({len(ours.other_rouge1)}"
            f" articles): {ours_other - lead_other:+.2f}"
            f" ({DEFAULT_METHOD} {ours_other:.2f}, LEAD-3 {lead_other:.2f})"
        )


def median_ms(select: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        select()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def print_long_article_timing(cnndm: Sequence[Article], count: int) -> None:
    sentences = [sentence for article in cnndm for sentence in article.sentences]
    sentences = sentences[:SYNTHETIC_SENTENCES]
    if len(sentences) < SYNTHETIC_SENTENCES:
        print(f"\n(long-article timing skipped: only {len(sentences)} sentences loaded)")
        return
    ours = median_ms(lambda: select_sentences(sentences, count), repeats=9)
    lexrank = median_ms(lambda: select_sentences(sentences, count, method="lexrank"), repeats=1)
    print(
        f"\n{SYNTHETIC_SENTENCES}-sentence article (CNN/DM articles run together):"
        f" {DEFAULT_METHOD} {ours:.1f} ms, sumy lexrank {lexrank:.0f} ms"
        f" ({lexrank / ours:.0f}x slower)"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    parser.add_argument("--limit", type=int, default=None, help="articles per data set")
    parser.add_argument("--count", type=int, default=3, help="sentences per summary")
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    args = parser.parse_args(argv)

    cnndm, bbc, split_ms = load(args.data, args.limit)
    print(
        f"{args.count}-sentence summaries: CNN/DM {len(cnndm)} articles (ROUGE F1, stemmed),"
        f" BBC {len(bbc)} articles (share of picked sentences found in the extractive reference)\n"
    )
    results = {method: evaluate(method, cnndm, bbc, args.count) for method in args.methods}
    print_table(results, split_ms)
    print_deltas(results)
    if DEFAULT_METHOD in args.methods and "lexrank" in args.methods:
        print_long_article_timing(cnndm, args.count)


if __name__ == "__main__":
    main()
