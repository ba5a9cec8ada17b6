"""Figure-alert matching against an editor's labels: precision and recall, tune and check parts.

Run from the project root:
    .venv/bin/python benchmarks/alerts_quality.py [--show]

Data: ``tests/fixtures/alerts/`` (see the README there): 44 real excerpts (English and Spanish),
12 fixed watches (``watches.json``) and, per excerpt, the watches an editor expects to fire
(``labels.jsonl``, written before any alert code ran). Each (excerpt, watch) pair is one
decision: the real matcher (``bot.alerts.matching.decide`` over ``article_figures``, every key
figure of the text, no history) alerts or not. Precision = alerts that were expected / alerts;
recall = expected alerts raised / expected. 95% intervals: bootstrap over excerpts (2,000
resamples, fixed seed). The split is ``benchmarks._split.part_of(id)``, fixed once; rules were
tuned on the tune part only (``--show`` prints the tune part's misses and false alarms, never the
check part's).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks._split import part_of  # noqa: E402
from bot.alerts.matching import ArticleText, decide  # noqa: E402
from bot.alerts.service import article_figures  # noqa: E402
from bot.store.records.alerts import Watch  # noqa: E402

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "alerts"
RESAMPLES = 2000


@dataclass(frozen=True)
class Row:
    """One excerpt's expected and raised alerts (watch ids)."""

    id: str
    lang: str
    expected: frozenset[str]
    raised: frozenset[str]
    why: dict[str, str]  # watch id -> the figure that raised it


def load_watches() -> dict[str, Watch]:
    watches = json.loads((FIXTURES / "watches.json").read_text(encoding="utf-8"))
    return {
        w["id"]: Watch(
            platform="console",
            channel="bench",
            tenant="bench",
            what=w["what"],
            place=w.get("place"),
            condition=w.get("condition"),
            threshold=w.get("threshold"),
            id=index,
        )
        for index, w in enumerate(watches, start=1)
    }


def evaluate() -> list[Row]:
    watches = load_watches()
    labels = {
        r["id"]: frozenset(r["alerts"])
        for r in map(json.loads, (FIXTURES / "labels.jsonl").read_text().splitlines())
    }
    rows = []
    for line in (FIXTURES / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = ArticleText(record["title"] or "", record["text"], record["lang"])
        figures = article_figures(record["text"], record["lang"])
        raised: set[str] = set()
        why: dict[str, str] = {}
        for name, watch in watches.items():
            decision = decide(watch, figures, text)
            if decision is not None and decision.alert:
                raised.add(name)
                why[name] = f"{decision.figure.surface} {decision.figure.counted}"
        rows.append(Row(record["id"], record["lang"], labels[record["id"]], frozenset(raised), why))
    return rows


def counts(rows: list[Row]) -> tuple[int, int, int]:
    """(true alerts, alerts raised, alerts expected)."""
    hits = sum(len(r.expected & r.raised) for r in rows)
    return hits, sum(len(r.raised) for r in rows), sum(len(r.expected) for r in rows)


def rates(rows: list[Row]) -> tuple[float, float]:
    hits, raised, expected = counts(rows)
    return (hits / raised if raised else 1.0), (hits / expected if expected else 1.0)


def interval(rows: list[Row], which: int) -> tuple[float, float]:
    rng = random.Random(20261207)
    values = sorted(rates([rng.choice(rows) for _ in rows])[which] for _ in range(RESAMPLES))
    return values[int(0.025 * RESAMPLES)], values[int(0.975 * RESAMPLES) - 1]


def report(name: str, rows: list[Row]) -> None:
    hits, raised, expected = counts(rows)
    precision, recall = rates(rows)
    (p_low, p_high), (r_low, r_high) = interval(rows, 0), interval(rows, 1)
    shown = f"{precision:.2f} [{p_low:.2f}, {p_high:.2f}]" if raised else "n/a (no alert raised)"
    print(
        f"{name:<9} {len(rows):>3} excerpts  precision {shown} ({hits}/{raised})"
        f"  recall {recall:.2f} [{r_low:.2f}, {r_high:.2f}] ({hits}/{expected})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="the tune part's errors")
    args = parser.parse_args()
    rows = evaluate()
    tune = [r for r in rows if part_of(r.id) == "tune"]
    check = [r for r in rows if part_of(r.id) == "check"]
    print(
        "Figure-alert matching: (excerpt, watch) decisions; 95% bootstrap intervals over excerpts"
    )
    report("tune", tune)
    report("check", check)
    for lang in ("en", "es"):
        report(f"check-{lang}", [r for r in check if r.lang == lang])
    if args.show:
        for row in tune:
            for name in sorted(row.raised - row.expected):
                print(f"  false alarm {row.id} {name}: {row.why[name]}")
            for name in sorted(row.expected - row.raised):
                print(f"  missed      {row.id} {name}")


if __name__ == "__main__":
    main()
