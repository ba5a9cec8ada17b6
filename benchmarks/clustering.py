"""Same-event grouping: pairwise precision/recall per threshold and speed, against baselines.

Run from the project root:
    .venv/bin/python benchmarks/clustering.py [--data ../shared/data]

Two labelled sets. "fixtures": tests/fixtures/stories/articles.jsonl (English rows), grouped on
their own. "bbc": the BBC events labelled below, grouped together with all 1,483 BBC dev
articles (so distractors can pull labelled articles into wrong groups); pairs are scored among
the labelled articles only. Baselines measured in the same run: word 3-shingle Jaccard (classic
near-duplicate detection, single link at 0.5) and TF-IDF over content words alone (no name or
number terms), single link.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import timeit
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._data import PROJECT_ROOT, add_data_argument, data_file, read_jsonl
from summarizers.stories.cluster import (
    SAME_EVENT_THRESHOLD,
    StoryText,
    average_link_groups,
    group_stories,
)
from summarizers.stories.textsim import cosine_similarities, event_terms

# Same news event (or its same-day development), judged by reading the articles.
BBC_EVENTS = {
    "tory-health-checks": ["politics/122", "politics/382"],
    "clarke-points-plan": ["politics/153", "politics/220"],
    "oil-above-50": ["business/138", "business/152"],
    "pension-strike-talks": ["politics/311", "politics/312"],
    "ps3-cell-chip": ["tech/018", "tech/190"],
    "euronext-approach": ["business/316", "business/319"],
    "lse-bidders-talks": ["business/264", "business/279", "business/392"],
    "turkey-eu-deal": ["politics/064", "politics/161"],
    "turkcell-iran": ["business/074", "business/092"],
    "blair-quit-claim": ["politics/252", "politics/218", "politics/253"],
    "livingstone-apology-calls": ["politics/075", "politics/186"],
    "clijsters-open": ["sport/478", "sport/479"],
    "lions-blow": ["sport/385", "sport/387"],
}
# Other events of the same saga (days or weeks apart). Text alone cannot tell them from one
# event; in the digest the publication-time rule (MAX_EVENT_GAP) keeps them apart, so their
# pairs are counted apart ("saga") and left out of P/R.
BBC_SAGAS = {
    "oil-price-rally": ["business/138", "business/152", "business/144"],
    "lse-takeover": [*BBC_EVENTS["euronext-approach"], *BBC_EVENTS["lse-bidders-talks"]],
    "nintendo-ds-europe": ["tech/084", "tech/351"],
    "greek-sprinters": [f"sport/{n:03d}" for n in (16, 23, 33, 50, 51, 81, 82)],
    "tobacco-case": ["business/104", "business/291"],
    "mci-bids": ["business/188", "business/202"],
    "fosters-southcorp": ["business/435", "business/451"],
    "chepkemei-ban": ["sport/013", "sport/021"],
    "collins-ban": ["sport/026", "sport/035"],
    "lg-card-rescue": ["business/349", "business/375"],
    "sundance-2005": ["entertainment/101", "entertainment/336"],
    "fockers-box-office": ["entertainment/076", "entertainment/100", "entertainment/297"],
    "dollar-lows": ["business/374", "business/376"],
    "anti-terror-bill": ["politics/072", "politics/182"],
    "iraq-legal-advice": ["politics/184", "politics/324"],
    "livingstone-row": [*BBC_EVENTS["livingstone-apology-calls"], "politics/154"],
}
# Same topic as the events above (UK immigration politics), each its own event and saga.
BBC_SAME_TOPIC = ["politics/013", "politics/106", "politics/334", "politics/025", "politics/078"]
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)
Grouper = Callable[[Sequence[StoryText], float], list[tuple[int, ...]]]


def shingle_groups(texts: Sequence[StoryText], threshold: float) -> list[tuple[int, ...]]:
    """Baseline: Jaccard of word 3-shingles over the whole text, single link."""
    shingles = []
    for text in texts:
        words = text.text.lower().split()
        shingles.append({tuple(words[i : i + 3]) for i in range(max(0, len(words) - 2))})
    linked = np.eye(len(texts), dtype=bool)
    for i, j in itertools.combinations(range(len(texts)), 2):
        union = len(shingles[i] | shingles[j])
        linked[i, j] = linked[j, i] = bool(union) and (
            len(shingles[i] & shingles[j]) / union >= threshold
        )
    return _components(linked)


def words_only_groups(texts: Sequence[StoryText], threshold: float) -> list[tuple[int, ...]]:
    """Baseline: TF-IDF cosine over content words of headline + lead, single link."""
    documents = [
        event_terms(t.title, t.text, t.lang, name_weight=0, number_weight=0) for t in texts
    ]
    return _components(cosine_similarities(documents) >= threshold)


def single_link_groups(texts: Sequence[StoryText], threshold: float) -> list[tuple[int, ...]]:
    """Newsbrief's vectors with single link instead of average link."""
    documents = [event_terms(t.title, t.text, t.lang, t.figure_values) for t in texts]
    return _components(cosine_similarities(documents) >= threshold)


def full_text_groups(texts: Sequence[StoryText], threshold: float) -> list[tuple[int, ...]]:
    """Newsbrief's vectors built from the whole text instead of the lead."""
    documents = [
        event_terms(t.title, t.text, t.lang, t.figure_values, lead_words=10**6) for t in texts
    ]
    return [tuple(g) for g in average_link_groups(cosine_similarities(documents), threshold)]


def newsbrief_groups(texts: Sequence[StoryText], threshold: float) -> list[tuple[int, ...]]:
    return group_stories(texts, threshold=threshold)


def _components(linked: np.ndarray) -> list[tuple[int, ...]]:
    seen: set[int] = set()
    groups = []
    for start in range(len(linked)):
        if start in seen:
            continue
        stack, group = [start], set()
        while stack:
            node = stack.pop()
            if node not in group:
                group.add(node)
                stack.extend(int(n) for n in np.flatnonzero(linked[node]) if n not in group)
        seen |= group
        groups.append(tuple(sorted(group)))
    return groups


Label = tuple[str, str]  # (event, saga)


def pairwise_scores(groups: list[tuple[int, ...]], labels: dict[int, Label]) -> dict[str, float]:
    """Pairwise precision/recall among labelled items, same-saga pairs of other events aside."""
    predicted = {
        pair
        for group in groups
        for pair in itertools.combinations(sorted(i for i in group if i in labels), 2)
    }
    true, saga = set(), set()
    for i, j in itertools.combinations(sorted(labels), 2):
        if labels[i][0] == labels[j][0]:
            true.add((i, j))
        elif labels[i][1] == labels[j][1]:
            saga.add((i, j))
    judged = predicted - saga
    hits = len(judged & true)
    precision = hits / len(judged) if judged else 1.0
    recall = hits / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "P": precision,
        "R": recall,
        "F1": f1,
        "false": len(judged - true),
        "true": len(true),
        "saga": len(predicted & saga),
        "sagas": len(saga),
    }


def report(name: str, texts: list[StoryText], labels: dict[int, Label]) -> None:
    methods: dict[str, tuple[Grouper, Sequence[float]]] = {
        "newsbrief (avg link, lead+names+numbers)": (newsbrief_groups, THRESHOLDS),
        "  same vectors, single link": (single_link_groups, THRESHOLDS),
        "  same vectors, whole text": (full_text_groups, THRESHOLDS),
        "baseline: words only, single link": (words_only_groups, THRESHOLDS),
        "baseline: 3-shingle Jaccard, single link": (shingle_groups, (0.3, 0.5)),
    }
    if len(texts) > 600:
        methods.pop("baseline: 3-shingle Jaccard, single link")  # O(n^2) Python, too slow here
    print(f"\n== {name}: {len(texts)} articles, {len(labels)} labelled ==")
    print(
        f"{'method':42} {'thr':>4} {'P':>5} {'R':>5} {'F1':>5} {'false':>5} {'true':>5}"
        f" {'saga':>9} {'stories':>7}"
    )
    for method, (grouper, thresholds) in methods.items():
        for threshold in thresholds:
            groups = grouper(texts, threshold)
            score = pairwise_scores(groups, labels)
            mark = (
                " <- default"
                if grouper is newsbrief_groups and threshold == SAME_EVENT_THRESHOLD
                else ""
            )
            print(
                f"{method:42} {threshold:4.2f} {score['P']:5.2f} {score['R']:5.2f}"
                f" {score['F1']:5.2f} {score['false']:5d} {score['true']:5d}"
                f" {score['saga']:4d}/{score['sagas']:<4d} {len(groups):7d}{mark}"
            )


def best_ms(function: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of ``repeat`` runs (the machine is shared, the minimum is the stable figure)."""
    return min(timeit.repeat(function, number=1, repeat=repeat)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    parser.add_argument("--show", action="store_true", help="list multi-article BBC groups")
    args = parser.parse_args()

    fixture_path = PROJECT_ROOT / "tests/fixtures/stories/articles.jsonl"
    rows = [json.loads(line) for line in fixture_path.open(encoding="utf-8")]
    english = [row for row in rows if row["lang"] == "en"]
    report(
        "fixtures (English rows)",
        [StoryText(row["title"], row["text"], row["lang"]) for row in english],
        {index: (row["event"], row["saga"]) for index, row in enumerate(english)},
    )

    bbc = list(read_jsonl(data_file(args.data, "summaries/bbc-dev.jsonl.gz")))
    position = {row["id"]: index for index, row in enumerate(bbc)}
    labels: dict[int, Label] = {}
    for saga, ids in BBC_SAGAS.items():
        labels.update({position[i]: (i, saga) for i in ids})
    for event, ids in BBC_EVENTS.items():
        for i in ids:
            labels[position[i]] = (event, labels.get(position[i], (event, event))[1])
    labels.update({position[i]: (i, i) for i in BBC_SAME_TOPIC})
    texts = [StoryText(row["title"], row["text"]) for row in bbc]
    report("bbc (all 1,483 dev articles)", texts, labels)

    print()
    for size in (100, 500, len(texts)):
        subset = texts[:size]
        newsbrief = best_ms(lambda subset=subset: group_stories(subset))
        words = best_ms(lambda subset=subset: words_only_groups(subset, SAME_EVENT_THRESHOLD))
        print(
            f"group_stories on {size:4d} BBC articles: {newsbrief:6.0f} ms"
            f" (words-only baseline {words:5.0f} ms, ratio {newsbrief / words:.2f})"
        )
    if args.show:
        for group in group_stories(texts):
            if len(group) > 1:
                print(" | ".join(f"{bbc[i]['id']} {bbc[i]['title'][:40]}" for i in group))


if __name__ == "__main__":
    main()
