"""Number parser accuracy per type and language, against a naive regex + float() baseline.

Run from the project root:
    .venv/bin/python benchmarks/number_accuracy.py [--data ../shared/data]

Data: ``numbers/number-cases-dev.jsonl`` (Recognizers-Text specs and quantulum3 tests, MIT):
``{lang, text, expected: [{surface, type, value, unit, start, end}]}``. Two measures per
expected number with a numeric value (relative ones like "next" and "null" are left out):

- find: ``find_numbers(text, lang)`` returns a mention overlapping the expected span whose value
  (or, for a range, whose low and high ends, or their mean) equals every expected bound;
- parse: ``parse_number(surface, lang)`` equals the expected value (for a range: its first bound).

Baseline, same run: ``-?\\d+(?:[.,]\\d+)*`` with "," dropped and ``float()``, the parser many
scripts start with. Values compare with a relative tolerance of 1e-6. English and Spanish are
printed side by side, per type. Each case is read alone, in its language's convention (the
article-level separator reading of ``extract_figures`` has no article to read here).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from summarizers.figures.reading.numbers import find_numbers, parse_number  # noqa: E402

DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "data"
NAIVE_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*")
BOUND = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")

Found = list[tuple[int, int, list[float]]]  # (start, end, candidate values) per mention


def expected_values(value: object, lang: str) -> list[float] | None:
    """Numbers an expected value stands for: "(,30]" -> [30.0]; "15,5" (es) -> [15.5]."""
    if isinstance(value, int | float):
        return [float(value)]
    text = str(value).strip()
    if text[:1] in "([":
        return [float(b) for b in BOUND.findall(text)] or None
    if lang == "es":
        text = text.replace(",", ".")
    try:
        return [float(text.rstrip("%"))]
    except ValueError:
        return None  # "null", "current+1", "end-2"


def expected_span(text: str, expected: dict) -> tuple[int, int]:
    if expected.get("start") is None:  # quantulum3 cases give the surface only
        start = text.lower().find(expected["surface"].lower())
        return start, start + len(expected["surface"])
    return expected["start"], expected["end"] + 1


def ours(text: str, lang: str) -> Found:
    found: Found = []
    for m in find_numbers(text, lang):
        values = [m.value] if m.high is None else [m.value, m.high, (m.value + m.high) / 2]
        found.append((m.start, m.end, values))
    return found


def naive_float(digits: str) -> float | None:
    try:
        return float(digits.replace(",", ""))
    except ValueError:
        return None  # "192.168.1.2"


def naive(text: str, lang: str) -> Found:
    found: Found = []
    for m in NAIVE_NUMBER.finditer(text):
        if (value := naive_float(m.group())) is not None:
            found.append((m.start(), m.end(), [value]))
    return found


def naive_parse(phrase: str, lang: str) -> float | None:
    match = NAIVE_NUMBER.search(phrase)
    return naive_float(match.group()) if match else None


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def found_right(found: Found, span: tuple[int, int], wanted: list[float]) -> bool:
    candidates = [v for start, end, vs in found if start < span[1] and span[0] < end for v in vs]
    return all(any(close(c, w) for c in candidates) for w in wanted)


def evaluate(
    cases: list[dict],
    finder: Callable[[str, str], Found],
    parser: Callable[[str, str], float | None],
) -> tuple[Counter, Counter, Counter, float]:
    """(found right, parsed right, totals) per (lang, type), and seconds spent finding."""
    found_ok: Counter = Counter()
    parse_ok: Counter = Counter()
    totals: Counter = Counter()
    seconds = 0.0
    for case in cases:
        lang, text = case["lang"], case["text"]
        started = time.perf_counter()
        found = finder(text, lang)
        seconds += time.perf_counter() - started
        for expected in case["expected"]:
            wanted = expected_values(expected["value"], lang)
            if wanted is None:
                continue
            key = (lang, expected["type"])
            totals[key] += 1
            found_ok[key] += found_right(found, expected_span(text, expected), wanted)
            parsed = parser(expected["surface"], lang)
            parse_ok[key] += parsed is not None and close(parsed, wanted[0])
    return found_ok, parse_ok, totals, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="shared data folder")
    args = parser.parse_args()
    path = args.data / "numbers" / "number-cases-dev.jsonl"
    if not path.is_file():
        raise SystemExit(f"Benchmark data not found: {path} (pass --data PATH).")
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    parse_number("warm up")  # the first call compiles the patterns
    find_ok, parse_ok, totals, our_seconds = evaluate(cases, ours, parse_number)
    base_find, base_parse, _, base_seconds = evaluate(cases, naive, naive_parse)

    def pct(hits: int, total: int) -> str:
        return f"{100 * hits / total:5.1f}%" if total else "     -"

    print(f"{len(cases)} cases, {sum(totals.values())} expected numbers with a value\n")
    langs = sorted({lang for lang, _ in totals})
    kinds = [*sorted({kind for _, kind in totals}), "ALL"]
    block = f"{'n':>4} {'find':>6} {'naive':>6} {'parse':>6} {'naive':>6}"
    print(f"{'':16}" + "   ".join(f"{lang:^{len(block)}}" for lang in langs))
    header = f"{'type':16}" + "   ".join(block for _ in langs)
    print(header)
    print("-" * len(header))
    for kind in kinds:
        cells = []
        for lang in langs:
            keys = [k for k in totals if k[0] == lang and kind in ("ALL", k[1])]
            n = sum(totals[k] for k in keys)
            counts = [sum(c[k] for k in keys) for c in (find_ok, base_find, parse_ok, base_parse)]
            cells.append(f"{n:4} " + " ".join(pct(count, n) for count in counts) if n else "")
        print(f"{kind:16}" + "   ".join(f"{cell:{len(block)}}" for cell in cells))
    n = sum(totals.values())
    print(
        f"\nall languages: find {pct(sum(find_ok.values()), n)} (naive"
        f" {pct(sum(base_find.values()), n).strip()}), parse {pct(sum(parse_ok.values()), n)}"
        f" (naive {pct(sum(base_parse.values()), n).strip()})"
    )
    per_case = 1e6 / len(cases)
    print(
        f"\nfind time per case: ours {our_seconds * per_case:.0f} µs,"
        f" naive {base_seconds * per_case:.0f} µs"
    )


if __name__ == "__main__":
    main()
