"""Summary quality of every method against LEAD-3, on the tune and check parts of each dev set.

Run from the project root:
    .venv/bin/python benchmarks/summary_quality.py [--data ../shared/data] [--limit N]
        [--methods newsbrief lead ...] [--parts tune check]

Every dev set is split once by a hash of the id (benchmarks/_split.py). The default ranker's
model and settings were fitted on the tuning part only (benchmarks/train_ranker.py); the check
part is the number to quote. Per set and part:
- CNN/DM files: ROUGE-1 and ROUGE-2 F1 (rouge-score, stemmed) of each method against the
  highlights, and the mean paired difference from LEAD-3 with a bootstrap 95% interval;
- BBC: the share of picked sentences found in the extractive reference, with its interval, and
  the difference from LEAD-3 with its interval;
- dangling: picked sentences that open with a pronoun, demonstrative, connective or definite
  back-reference (or close a quotation) without the sentence before them, per 100 picked
  (``news_rules.unresolved_references``: the same definition the ranker's rule uses);
- furniture: picked sentences ``news_rules.is_furniture`` calls page furniture, per 100 picked.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from rouge_score.rouge_scorer import RougeScorer

from benchmarks._data import add_data_argument
from benchmarks._summary_sets import SETS, Doc, in_reference, load_set
from summarizers.ranking.methods import DEFAULT_METHOD, METHODS, select_sentences
from summarizers.ranking.news_rules import is_furniture, unresolved_references

BOOTSTRAP_SAMPLES = 2000
SYNTHETIC_SENTENCES = 400


@dataclass
class Scores:
    """Per-article values of one method on one part of one set."""

    r1: list[float] = field(default_factory=list)
    r2: list[float] = field(default_factory=list)
    share: list[float] = field(default_factory=list)
    dangling: int = 0
    furniture: int = 0
    picked: int = 0
    ms: list[float] = field(default_factory=list)


def interval(values: Sequence[float], seed: int = 0) -> tuple[float, float, float]:
    """Mean and bootstrap 95% interval (percentile) of the mean of ``values``."""
    data = np.asarray(values, dtype=np.float64)
    if not len(data):
        return (float("nan"),) * 3
    draws = np.random.default_rng(seed).integers(0, len(data), (BOOTSTRAP_SAMPLES, len(data)))
    means = data[draws].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(data.mean()), float(low), float(high)


def score(docs: Sequence[Doc], method: str, kind: str, count: int, scorer: RougeScorer) -> Scores:
    result = Scores()
    for doc in docs:
        start = time.perf_counter()
        picked = select_sentences(doc.sentences, count, method=method, title=doc.title)
        result.ms.append((time.perf_counter() - start) * 1000)
        result.picked += len(picked)
        result.dangling += unresolved_references(doc.sentences, picked, "en")
        result.furniture += sum(is_furniture(doc.sentences[index]) for index in picked)
        if kind == "rouge":
            rouge = scorer.score(doc.reference, " ".join(doc.sentences[i] for i in picked))
            result.r1.append(100 * rouge["rouge1"].fmeasure)
            result.r2.append(100 * rouge["rouge2"].fmeasure)
        else:
            found = in_reference(doc, picked)
            result.share.append(100 * statistics.fmean(found) if found else 0.0)
    return result


def difference(ours: Sequence[float], lead: Sequence[float]) -> str:
    mean, low, high = interval([a - b for a, b in zip(ours, lead, strict=True)])
    return f"{mean:+6.2f} [{low:+6.2f}, {high:+6.2f}]"


def print_part(label: str, kind: str, part: str, results: dict[str, Scores]) -> None:
    lead = results.get("lead")
    size = len(next(iter(results.values())).ms)
    print(f"\n{label}, {part} part ({size} articles)")
    if kind == "rouge":
        header = f"{'method':<10} {'R1':>6} {'R2':>6}  {'R1 - LEAD-3 [95% CI]':>25}"
        header += f"  {'R2 - LEAD-3 [95% CI]':>25}"
    else:
        header = f"{'method':<10} {'share [95% CI]':>22}  {'share - LEAD-3 [95% CI]':>25}"
    header += f" {'dangl%':>7} {'furn%':>6} {'ms':>6}"
    print(header)
    print("-" * len(header))
    for method, result in results.items():
        if kind == "rouge":
            r1, r2 = statistics.fmean(result.r1), statistics.fmean(result.r2)
            line = f"{method:<10} {r1:6.2f} {r2:6.2f}"
            if lead is not None:
                line += (
                    f"  {difference(result.r1, lead.r1):>25}  {difference(result.r2, lead.r2):>25}"
                )
        else:
            mean, low, high = interval(result.share)
            line = f"{method:<10} {mean:6.1f} [{low:5.1f}, {high:5.1f}]"
            if lead is not None:
                line += f"  {difference(result.share, lead.share):>25}"
        picked = max(result.picked, 1)
        line += f" {100 * result.dangling / picked:7.2f} {100 * result.furniture / picked:6.2f}"
        print(line + f" {statistics.median(result.ms):6.2f}")


def closing_note(label: str, kind: str, results: dict[str, Scores]) -> str:
    """One line on the default method's targets for a check part."""
    ours, lead = results.get(DEFAULT_METHOD), results.get("lead")
    if ours is None or lead is None:
        return f"  {label}: needs {DEFAULT_METHOD} and lead"
    rate = lambda r: 100 * r.dangling / max(r.picked, 1)  # noqa: E731
    dangling = f"dangling {rate(ours):.2f}% vs LEAD-3 {rate(lead):.2f}%, furniture {ours.furniture}"
    if kind == "rouge":
        r1 = statistics.fmean(a - b for a, b in zip(ours.r1, lead.r1, strict=True))
        r2 = statistics.fmean(a - b for a, b in zip(ours.r2, lead.r2, strict=True))
        met = "met" if r1 >= 0.5 and r2 >= 0 else "NOT met"
        return (
            f"  {label}: R1 {r1:+.2f} (target >= +0.50), R2 {r2:+.2f} (target >= 0): {met};"
            f" {dangling}"
        )
    share = statistics.fmean(ours.share)
    met = "met" if share >= 80 else "NOT met"
    return f"  {label}: share {share:.1f}% (target >= 80%): {met}; {dangling}"


def print_long_article_timing(docs: Sequence[Doc], count: int) -> None:
    sentences = [sentence for doc in docs for sentence in doc.sentences][:SYNTHETIC_SENTENCES]
    if len(sentences) < SYNTHETIC_SENTENCES:
        return
    timings = {}
    for method, repeats in ((DEFAULT_METHOD, 9), ("lexrank", 1)):
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            select_sentences(sentences, count, method=method)
            runs.append((time.perf_counter() - start) * 1000)
        timings[method] = statistics.median(runs)
    print(
        f"\n{SYNTHETIC_SENTENCES}-sentence article (CNN/DM articles run together):"
        f" {DEFAULT_METHOD} {timings[DEFAULT_METHOD]:.1f} ms, sumy lexrank"
        f" {timings['lexrank']:.0f} ms ({timings['lexrank'] / timings[DEFAULT_METHOD]:.0f}x slower)"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    parser.add_argument("--limit", type=int, default=None, help="rows read per data set")
    parser.add_argument("--count", type=int, default=3, help="sentences per summary")
    parser.add_argument("--methods", nargs="+", choices=METHODS, default=list(METHODS))
    parser.add_argument("--parts", nargs="+", choices=("tune", "check"), default=["tune", "check"])
    args = parser.parse_args(argv)
    methods = ["lead", *(m for m in args.methods if m != "lead")]  # the baseline first

    scorer = RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    print(
        f"{args.count}-sentence summaries. CNN/DM: ROUGE F1 (stemmed) against the highlights;"
        " BBC: % of picked sentences in the extractive reference. Intervals: paired bootstrap"
        f" 95% ({BOOTSTRAP_SAMPLES} resamples of articles). dangl%/furn%: per 100 picked"
        " sentences; ms: median selection time per article."
    )
    cnndm_docs: list[Doc] = []
    notes: list[str] = []
    for label, relative, kind in SETS:
        docs = load_set(args.data, relative, args.limit, parts=tuple(args.parts))
        if kind == "rouge":
            cnndm_docs += docs
        for part in args.parts:
            part_docs = [doc for doc in docs if doc.part == part]
            results = {m: score(part_docs, m, kind, args.count, scorer) for m in methods}
            print_part(label, kind, part, results)
            if part == "check":
                notes.append(closing_note(label, kind, results))
    if DEFAULT_METHOD in methods and "lexrank" in methods:
        print_long_article_timing(cnndm_docs, args.count)
    if notes:
        print(f"\nClosing note: {DEFAULT_METHOD} on the CHECK part (never tuned on)")
        print("\n".join(notes))


if __name__ == "__main__":
    main()
