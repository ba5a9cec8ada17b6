"""Fit the default ranker's sentence model on the TUNING part of the dev sets; write its JSON.

Run from the project root:
    .venv/bin/python benchmarks/train_ranker.py [--data ../shared/data] [--bbc-weight W]
        [--write]

Labels: a greedy oracle per CNN/DM article (the candidates, added one at a time while ROUGE-1 +
ROUGE-2 F1 against the highlights rises, at most 3) and BBC's extractive reference (a candidate
is positive when the reference holds it). By default CNN/DM fits every weight but the title
ones and BBC, the only set with titles, fits those on top (so BBC cannot pull the CNN/DM
weights); ``--bbc-weight W`` fits both jointly with BBC rows weighing W instead (0: BBC is only
measured), to report the trade-off. The model is an
L2-regularised logistic regression fitted with Newton's method in numpy (a few hundred lines
of scikit-learn machinery would add a dependency for 14 weights). The L2 strength and the
ranker's redundancy weight are chosen by 5-fold cross-validation over articles of the tuning
part, by mean ROUGE-1 + ROUGE-2 gain over LEAD-3 on CNN/DM (both are targets). The check part
is never read here.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from rouge_score.rouge_scorer import RougeScorer
from rouge_score.tokenizers import DefaultTokenizer

from benchmarks._data import add_data_argument
from benchmarks._summary_sets import SETS, Doc, in_reference, load_set
from summarizers.ranking.features import FEATURE_NAMES
from summarizers.ranking.model import MODEL_PATH, RankerModel
from summarizers.ranking.ranker import Analysis, analyse, pick

COUNT = 3
FOLDS = 5
L2_GRID = (3.0, 30.0)
REDUNDANCY_GRID = (0.0, 1.0, 2.0, 3.0)
_TOKENIZER = DefaultTokenizer(use_stemmer=True)


@dataclass
class Example:
    doc: Doc
    kind: str  # "rouge" or "extractive"
    analysis: Analysis
    labels: np.ndarray  # one per candidate


def _grams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(zip(*(tokens[i:] for i in range(n)), strict=False))


def _f1(summary: Counter, reference: Counter) -> float:
    overlap = sum((summary & reference).values())
    if not overlap:
        return 0.0
    return 2 * overlap / (sum(summary.values()) + sum(reference.values()))


def oracle(sentences: Sequence[str], candidates: Sequence[int], reference: str) -> set[int]:
    """Greedy oracle: candidates added while ROUGE-1 + ROUGE-2 F1 rises, at most COUNT."""
    ref_tokens = _TOKENIZER.tokenize(reference)
    refs = (_grams(ref_tokens, 1), _grams(ref_tokens, 2))
    tokens = {index: _TOKENIZER.tokenize(sentences[index]) for index in candidates}
    chosen: list[int] = []
    best = 0.0
    while len(chosen) < COUNT:
        gains = {}
        for index in candidates:
            if index in chosen:
                continue
            summary = list(
                itertools.chain.from_iterable(tokens[i] for i in sorted([*chosen, index]))
            )
            gains[index] = _f1(_grams(summary, 1), refs[0]) + _f1(_grams(summary, 2), refs[1])
        if not gains:
            break
        index, value = max(gains.items(), key=lambda item: item[1])
        if value <= best:
            break
        chosen.append(index)
        best = value
    return set(chosen)


def example(doc: Doc, kind: str) -> Example | None:
    if len(doc.sentences) <= COUNT:
        return None
    analysis = analyse(doc.sentences, "en", doc.title)
    candidates = analysis.candidates.tolist()
    if kind == "rouge":
        positive = oracle(doc.sentences, candidates, doc.reference)
        labels = np.array([index in positive for index in candidates], dtype=np.float64)
    else:
        labels = np.array(in_reference(doc, candidates), dtype=np.float64)
    return Example(doc, kind, analysis, labels)


# Only BBC articles have titles: these weights are learned there, everything else from CNN/DM.
TITLE_FEATURES = ("title_similarity", "question_title_similarity")


def _newton(
    x: np.ndarray,
    labels: np.ndarray,
    weights: np.ndarray,
    l2: float,
    offset: float | np.ndarray = 0.0,
) -> np.ndarray:
    """L2-regularised logistic regression (last column: the unpenalised intercept), with a
    fixed ``offset`` added to every row's log-odds."""
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ beta + offset)))
        gradient = x.T @ (weights * (p - labels)) + penalty * beta
        hessian = (x * (weights * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return beta


def fit(
    examples: Sequence[Example], l2: float, bbc_weight: float | None, redundancy: float = 0.0
) -> RankerModel:
    """Logistic regression on standardised features.

    ``bbc_weight`` None: two stages, CNN/DM rows fit every weight but the title ones, then BBC
    rows fit the title weights alone on top of those scores (CNN/DM has no titles, so its scores
    do not change). A number: one joint fit with BBC rows weighing that much.
    """
    rows = np.vstack([e.analysis.features[e.analysis.candidates] for e in examples])
    labels = np.concatenate([e.labels for e in examples])
    bbc = np.concatenate([np.full(len(e.labels), e.kind != "rouge") for e in examples])
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale < 1e-9] = 1.0
    x = np.column_stack([(rows - mean) / scale, np.ones(len(rows))])
    if bbc_weight is not None:
        beta = _newton(x, labels, np.where(bbc, bbc_weight, 1.0), l2)
        return RankerModel(mean, scale, beta[:-1], float(beta[-1]), redundancy)
    title = np.isin(np.array([*FEATURE_NAMES, "bias"]), TITLE_FEATURES)
    beta = np.zeros(x.shape[1])
    beta[~title] = _newton(x[~bbc][:, ~title], labels[~bbc], np.ones((~bbc).sum()), l2)
    if bbc.any():
        # Stage 2: the title weights plus a throwaway intercept, with stage 1's scores as offset.
        offset = x[bbc] @ beta
        columns = np.column_stack([x[bbc][:, title], np.ones(bbc.sum())])
        stage = _newton(columns, labels[bbc], np.ones(bbc.sum()), l2, offset)
        beta[title] = stage[:-1]
    return RankerModel(mean, scale, beta[:-1], float(beta[-1]), redundancy)


def summary_of(e: Example, model: RankerModel) -> list[int]:
    picked = pick(e.analysis, COUNT, model)
    return picked if picked is not None else list(range(COUNT))


def gains(examples: Sequence[Example], model: RankerModel, scorer: RougeScorer) -> dict[str, float]:
    """Mean gain over LEAD-3: ROUGE-1/2 F1 points on CNN/DM, share points on BBC."""
    r1, r2, bbc = [], [], []
    for e in examples:
        picked = summary_of(e, model)
        if e.kind == "rouge":
            ours = scorer.score(e.doc.reference, " ".join(e.doc.sentences[i] for i in picked))
            lead = scorer.score(e.doc.reference, " ".join(e.doc.sentences[:COUNT]))
            r1.append(100 * (ours["rouge1"].fmeasure - lead["rouge1"].fmeasure))
            r2.append(100 * (ours["rouge2"].fmeasure - lead["rouge2"].fmeasure))
        else:
            ours_share = statistics.fmean(in_reference(e.doc, picked))
            bbc.append(100 * (ours_share - statistics.fmean(in_reference(e.doc, range(COUNT)))))
    mean = lambda values: statistics.fmean(values) if values else float("nan")  # noqa: E731
    return {"r1": mean(r1), "r2": mean(r2), "bbc": mean(bbc)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    parser.add_argument("--limit", type=int, default=None, help="rows read per data set")
    parser.add_argument(
        "--bbc-weight",
        type=float,
        default=None,
        help="fit BBC rows jointly at this weight (default: BBC fits the title weights only)",
    )
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_PATH}")
    args = parser.parse_args(argv)

    examples: list[Example] = []
    for label, relative, kind in SETS:
        docs = load_set(args.data, relative, args.limit, parts=("tune",))
        found = [e for doc in docs if (e := example(doc, kind)) is not None]
        print(f"{label}: {len(found)} tuning articles", flush=True)
        examples += found
    scorer = RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    folds = [examples[fold::FOLDS] for fold in range(FOLDS)]
    best: tuple[tuple[float, float], float, float] | None = None
    print(f"{'l2':>6} {'redund':>7} {'dR1':>6} {'dR2':>6} {'dBBC':>6}  (CV on the tuning part)")
    for l2 in L2_GRID:
        models = [
            fit([e for f, fold in enumerate(folds) if f != k for e in fold], l2, args.bbc_weight)
            for k in range(FOLDS)
        ]
        for redundancy in REDUNDANCY_GRID:
            results = [
                gains(folds[k], replace(models[k], redundancy=redundancy), scorer)
                for k in range(FOLDS)
            ]
            score = {key: statistics.fmean(r[key] for r in results) for key in results[0]}
            print(
                f"{l2:6.1f} {redundancy:7.2f} {score['r1']:+6.2f} {score['r2']:+6.2f}"
                f" {score['bbc']:+6.1f}",
                flush=True,
            )
            key = (score["r1"] + score["r2"], score["r1"])
            if best is None or key > best[0]:
                best = (key, l2, redundancy)
    assert best is not None
    _, l2, redundancy = best
    model = fit(examples, l2, args.bbc_weight, redundancy)
    print(f"\nchosen: l2 {l2}, redundancy {redundancy}")
    for name, weight in zip(FEATURE_NAMES, model.weights, strict=True):
        print(f"  {name:<28} {weight:+.3f}")
    if args.write:
        MODEL_PATH.write_text(
            model.to_json(
                about="Sentence model of the default ranker: logistic regression on "
                "standardised features (benchmarks/train_ranker.py).",
                trained_on="tuning part (benchmarks/_split.py) of "
                + ", ".join(
                    label for label, _, kind in SETS if kind == "rouge" or args.bbc_weight != 0
                ),
                l2=l2,
                bbc_weight=args.bbc_weight,
            ),
            encoding="utf-8",
        )
        print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()
