"""Key figures against an editor's list, on the hand-labelled set, with quantulum3 in the same run.

Run from the project root:
    .venv/bin/python benchmarks/figures_quality.py [--part check|tune|all] [--show]

Data: ``tests/fixtures/figures/labelled/{en,es}.jsonl`` (see the README there): for each article
excerpt the figures an editor would list (value, counted noun, qualifier, period); ``optional``
ones may be listed without being wrong but are not required. Articles are split once by
``benchmarks._split.part_of(id)``: rules were written from the tune part; quote the check part.

Measures, per system, over the articles of the part:
- recall: required figures matched by value (a relative tolerance of 0.5%; a range by its low
  end) by one listed figure each; "+noun" also needs the listed counted phrase or unit to share
  a word stem (first five letters) with the editor's counted noun, where the editor names one;
- precision: listed figures that match a labelled one (required or optional);
- noun share: of the listed figures that match a labelled one naming what it counts, the share
  that give a counted noun phrase (a unit alone does not count: quantulum3 gives units only).
95% intervals come from a bootstrap over articles (2,000 resamples, fixed seed).

Systems: ours, ``extract_figures`` with the cap of 8 that every surface shows; quantulum3
(English only: it has no Spanish), every quantity it finds; a naive regex (digits with
separators read in the language's convention), every number it finds.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks._split import part_of  # noqa: E402
from summarizers.figures.extract import extract_figures  # noqa: E402
from summarizers.sentences import split_sentences  # noqa: E402

LABELLED = PROJECT_ROOT / "tests" / "fixtures" / "figures" / "labelled"
CAP = 8
_WORD = re.compile(r"[^\W\d_]{3,}")
_NAIVE = {"en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")}
_NAIVE["es"] = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
_STOP = {"the", "and", "del", "los", "las", "for", "with", "per", "que", "por"}


@dataclass(frozen=True)
class Listed:
    """One figure a system lists: its value and what it says it counts."""

    value: float
    counted: str | None  # the counted noun phrase
    unit: str | None = None  # "%", a currency or a measure unit


def _stems(text: str | None) -> set[str]:
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return {word.lower()[:5] for word in _WORD.findall(plain) if word.lower() not in _STOP}


def _same_value(label: float, listed: float) -> bool:
    return abs(label - listed) <= 0.005 * max(abs(label), 1e-9)


def ours(text: str, lang: str) -> list[Listed]:
    sentences = split_sentences(text, lang)
    return [Listed(f.value, f.counted, f.unit) for f in extract_figures(sentences, lang, limit=CAP)]


def quantulum(text: str, lang: str) -> list[Listed] | None:
    if lang != "en":
        return None
    from quantulum3 import parser  # only here: a test dependency

    listed = []
    for quantity in parser.parse(text):
        unit = quantity.unit.name if quantity.unit.name != "dimensionless" else None
        listed.append(Listed(float(quantity.value), None, unit))
    return listed


def naive(text: str, lang: str) -> list[Listed]:
    listed = []
    for match in _NAIVE[lang].finditer(text):
        digits = match.group()
        digits = digits.replace(",", "") if lang == "en" else digits.replace(".", "")
        listed.append(Listed(float(digits.replace(",", ".")), None))
    return listed


@dataclass
class Tally:
    required: int = 0
    found: int = 0
    found_noun: int = 0
    listed: int = 0
    correct: int = 0
    nameable: int = 0
    named: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def score(labels: list[dict], listed: list[Listed]) -> Tally:
    tally = Tally(listed=len(listed))
    unmatched = list(range(len(listed)))
    order = sorted(labels, key=lambda label: bool(label.get("optional")))  # required first
    for label in order:
        required = not label.get("optional")
        tally.required += required
        hit = next((i for i in unmatched if _same_value(label["value"], listed[i].value)), None)
        if hit is None:
            continue
        unmatched.remove(hit)
        tally.correct += 1
        said = f"{listed[hit].counted or ''} {listed[hit].unit or ''}"
        noun = label["counted"] is None or bool(_stems(label["counted"]) & _stems(said))
        if required:
            tally.found += 1
            tally.found_noun += noun
        if label["counted"] is not None:
            tally.nameable += 1
            tally.named += listed[hit].counted is not None
    return tally


def rates(tally: Tally) -> tuple[float, float, float, float]:
    def share(part: int, whole: int) -> float:
        return part / whole if whole else float("nan")

    return (
        share(tally.found, tally.required),
        share(tally.found_noun, tally.required),
        share(tally.correct, tally.listed),
        share(tally.named, tally.nameable),
    )


def interval(per_article: list[Tally], resamples: int = 2000) -> list[tuple[float, float]]:
    rng = random.Random(20261207)
    samples: list[tuple[float, ...]] = []
    for _ in range(resamples):
        total = Tally()
        for _ in per_article:
            total.add(rng.choice(per_article))
        samples.append(rates(total))
    bounds = []
    for column in zip(*samples, strict=True):
        values = sorted(v for v in column if v == v)
        if not values:
            bounds.append((float("nan"), float("nan")))
            continue
        bounds.append((values[int(len(values) * 0.025)], values[int(len(values) * 0.975) - 1]))
    return bounds


def load(part: str) -> list[dict]:
    rows = []
    for path in sorted(LABELLED.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if part == "all" or part_of(row["id"]) == part:
                rows.append(row)
    return rows


def report(name: str, rows: list[dict], system: Callable[[str, str], list[Listed] | None]) -> None:
    per_article = []
    for row in rows:
        listed = system(row["text"], row["lang"])
        if listed is not None:
            per_article.append(score(row["figures"], listed))
    if not per_article:
        return
    total = Tally()
    for tally in per_article:
        total.add(tally)
    cells = [
        f"{value:5.2f} [{low:4.2f}-{high:4.2f}]"
        for value, (low, high) in zip(rates(total), interval(per_article), strict=True)
    ]
    print(
        f"{name:<12}{len(per_article):>4}{total.required:>5}{total.listed:>7}  " + "  ".join(cells)
    )


def show(rows: list[dict]) -> None:
    for row in rows:
        print(f"## {row['id']}")
        for figure in extract_figures(split_sentences(row["text"], row["lang"]), row["lang"], CAP):
            print(f"   {figure.value:g} | {figure.qualifier} | {figure.counted} | {figure.period}")
        for label in row["figures"]:
            mark = "opt" if label.get("optional") else "REQ"
            print(f"   {mark} {label['value']:g} | {label['counted']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("check", "tune", "all"), default="check")
    parser.add_argument("--show", action="store_true", help="print each article's figures")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # quantulum3 warns that its optional classifier is absent
    rows = load(args.part)
    if args.show:
        show(rows)
    print(f"part {args.part}: {len(rows)} articles; cells: value [95% bootstrap interval]")
    for lang in ("en", "es", None):
        subset = [row for row in rows if lang is None or row["lang"] == lang]
        print(f"\n{lang or 'all'}")
        print(
            f"{'system':<12}{'art':>4}{'req':>5}{'listed':>7}  {'recall':<17}  "
            f"{'recall+noun':<17}  {'precision':<17}  {'noun share':<17}"
        )
        report("ours", subset, ours)
        report("quantulum3", subset, quantulum)
        report("naive regex", subset, naive)


if __name__ == "__main__":
    main()
