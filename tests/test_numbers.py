"""Tests of the number parser: values, kinds, language separators, and what is not a quantity."""

from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarizers.figures.reading.numbers import QUANTITY_KINDS, find_numbers, parse_number

CASES = Path(__file__).parent / "fixtures" / "numbers" / "number-cases-sample.jsonl"


@pytest.mark.parametrize(
    ("phrase", "lang", "value"),
    [
        ("two million", "en", 2_000_000),
        ("1.5bn", "en", 1_500_000_000),
        ("a dozen", "en", 12),
        ("10,000", "en", 10_000),
        ("3.5%", "en", 3.5),
        ("$1.2 trillion", "en", 1.2e12),
        ("half a million", "en", 500_000),
        ("two and a half million", "en", 2_500_000),
        ("tens of thousands", "en", 10_000),
        ("$48.2 million", "en", 48_200_000),
        ("one hundred and sixty-one", "en", 161),
        ("three dozen", "en", 36),
        ("two thirds", "en", 2 / 3),
        ("£10m", "en", 10_000_000),
        ("-4.5", "en", -4.5),
        ("1,000", "en", 1000),
        ("1.000", "es", 1000),
        ("1,000", "es", 1.0),
        ("1.234.567,89", "es", 1_234_567.89),
        ("1,111.11", "es", 1111.11),
        ("0.683", "es", 0.683),
        ("dos millones", "es", 2_000_000),
        ("tres mil millones", "es", 3e9),
        ("2 millones y medio", "es", 2_500_000),
        ("trescientos cuarenta y siete", "es", 347),
        ("veintitrés", "es", 23),
        # Spanish fractions, spoken decimals and compound ordinals
        ("un medio", "es", 0.5),
        ("uno y medio", "es", 1.5),
        ("tres décimas", "es", 0.3),
        ("dos millonésimas", "es", 2e-6),
        ("un centésimo", "es", 0.01),
        ("ciento treinta y dos quintos", "es", 26.4),
        ("tres veintiunavos", "es", 3 / 21),
        ("seis millones con dos tercios", "es", 6_666_666.666666667),
        ("dos coma cinco", "es", 2.5),
        ("doscientos coma cero tres", "es", 200.03),
        ("1 sobre 3", "es", 1 / 3),
        ("dos mil millonésimo", "es", 2e9),
        ("cincuenta y dos milésimo tricentésimo cuadragésimo séptimo", "es", 52_347),
        ("10 1/2", "es", 10.5),
        ("⅙", "es", 1 / 6),
        ("15 dólares con 50", "es", 15.5),
        ("3 euros y 99 céntimos", "es", 3.99),
        # the same rules in English
        ("twenty-three fifths", "en", 4.6),
        ("forty two and a third", "en", 42 + 1 / 3),
        ("nine point nought four", "en", 9.04),
        ("two hundredth", "en", 200),
        ("a hundred trillionths", "en", 1e-10),
        ("two million and one half", "en", 2_500_000),
    ],
)
def test_parse_number_reads_the_value(phrase: str, lang: str, value: float) -> None:
    parsed = parse_number(phrase, lang)
    assert parsed is not None
    assert math.isclose(parsed, value, rel_tol=1e-9)


def test_parse_number_without_a_number_is_none() -> None:
    assert parse_number("no figures here") is None
    assert parse_number("") is None


@pytest.mark.parametrize(
    ("text", "surface", "kind", "unit", "value"),
    [
        ("won a $48.2 million army contract", "$48.2 million", "money", "USD", 48_200_000),
        ("it cost €3bn to build", "€3bn", "money", "EUR", 3e9),
        ("sales fell 3.5 per cent", "3.5 per cent", "percent", "%", 3.5),
        ("is about 1,000 miles south", "1,000 miles", "measure", "mi", 1000),
        ("a 776-foot airship", "776-foot", "measure", "ft", 776),
        ("gastó 10050 millones de dólares", "10050 millones de dólares", "money", "USD", 1.005e10),
        ("subió un 19% en un año", "19%", "percent", "%", 19),
        ("un barril de 7,62 mm", "7,62 mm", "measure", "mm", 7.62),
        ("US$ 5 mm de deuda", "US$ 5 mm", "money", "USD", 5e6),
        ("son $5.000 millones de pesos", "$5.000 millones de pesos", "money", "MXN", 5e9),
        ("200 pesos argentinos", "200 pesos argentinos", "money", "ARS", 200),
        ("un 1,5 % anual", "1,5 %", "percent", "%", 1.5),
        ("el tercer lugar", "tercer", "ordinal", None, 3),
        ("el 3er lugar", "3er", "ordinal", None, 3),
        ("10,000 people were crossing", "10,000", "count", None, 10_000),
        ("more than 2000 people", "2000", "count", None, 2000),
    ],
)
def test_find_numbers_kinds_units_and_values(
    text: str, surface: str, kind: str, unit: str | None, value: float
) -> None:
    lang = "es" if re.search(r"gastó|subió|un |US\$ 5|son \$|pesos|el ", text) else "en"
    mention = next(m for m in find_numbers(text, lang) if m.surface == surface)
    assert (mention.kind, mention.unit) == (kind, unit)
    assert math.isclose(mention.value, value)


def test_ranges_keep_both_ends() -> None:
    between, percent = find_numbers("between 2 and 3 million people, up 10-20%")
    assert (between.kind, between.value, between.high) == ("range", 2e6, 3e6)
    assert (percent.kind, percent.unit, percent.value, percent.high) == ("range", "%", 10, 20)


@pytest.mark.parametrize(
    ("text", "surface", "kind"),
    [
        ("in the 2024 US election", "2024", "year"),
        ("both in the 2022 and the 2023 fiscal years", "2023", "year"),
        ("prices rose in 2000", "2000", "year"),
        ("the 2022-23 season", "2022-23", "year"),
        ("on December 5, 2023, officials said", "December 5, 2023", "date"),
        ("el 5 de diciembre de 2023", "5 de diciembre de 2023", "date"),
        ("on 12/05/2023 at noon", "12/05/2023", "date"),
        ("the bus left at 7:30 a.m. sharp", "7:30 a.m.", "time"),
        ("call (555) 123-4567 today", "(555) 123-4567", "phone"),
        ("call +44 20 7946 0958 today", "+44 20 7946 0958", "phone"),
        ("in the 20th century", "20th", "ordinal"),
        ("for the first time", "first", "ordinal"),
        ("the COVID-19 pandemic", "COVID-19", "code"),
        ("llame al 55 1234 5678 hoy", "55 1234 5678", "phone"),
        ("desde la década de los noventa", "noventa", "year"),
        ("en los años 80 del siglo", "80", "year"),
        ("vive en la Zona 10 de la ciudad", "10", "code"),
        ("the G7 summit", "G7", "code"),
        ("sold F-16 jets", "F-16", "code"),
        ("a 5G network", "5G", "code"),
        ("the Apollo 11 mission", "11", "code"),
        ("under Section 8 rules", "8", "code"),
        ("along Route 66 today", "66", "code"),
        ("Image 1 of 5", "1 of 5", "furniture"),
        ("Share 2", "Share 2", "furniture"),
        ("12 comments", "12 comments", "furniture"),
    ],
)
def test_numbers_that_are_not_quantities(text: str, surface: str, kind: str) -> None:
    spanish = re.search(r" de |llame|los años|vive en", text)
    mentions = find_numbers(text, "es" if spanish else "en")
    match = [m for m in mentions if m.surface == surface]
    assert [m.kind for m in match] == [kind]
    assert kind not in QUANTITY_KINDS
    overlapping = [m for m in mentions if m.start < match[0].end and match[0].start < m.end]
    assert overlapping == match  # no quantity hides inside the date, phone number or name


_TOKENS = [
    "10,000", "1.5bn", "$48.2 million", "two million", "half a million", "3.5%", "2024",
    "December 5, 2023", "7:30 a.m.", "COVID-19", "1 of 5", "people", "about", "the", ",", ".",
    "between", "and", "-", "miles", "1.000", "dos", "millones", "per cent", "x", "  ",
    "thousands", "of", "tens", "dozens", "de", "miles", "a", "half", "to", "3/4", "£", "€",
    "9/11", "G7", "5G", "Route", "66", "hours", "ago", "1990s", "2022-23", "+44", "(555)",
]  # fmt: skip


@given(st.lists(st.sampled_from(_TOKENS), max_size=14), st.sampled_from(["en", "es"]))
def test_mentions_are_verbatim_ordered_and_disjoint(tokens: list[str], lang: str) -> None:
    text = " ".join(tokens)
    mentions = find_numbers(text, lang)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
    for first, second in itertools.pairwise(mentions):
        assert first.end <= second.start


def _value_found(case: dict, expected: dict) -> bool | None:
    """Whether find_numbers gives the expected value on the expected span (None: no value)."""
    raw, lang = str(expected["value"]), case["lang"]
    if raw[:1] in "([":
        wanted = [float(b) for b in re.findall(r"-?\d+(?:\.\d+)?", raw)]
    else:
        try:
            wanted = [float((raw.replace(",", ".") if lang == "es" else raw).rstrip("%"))]
        except ValueError:
            return None  # "null", "end-1": no number to compare
    if expected.get("start") is None:
        start = case["text"].lower().find(expected["surface"].lower())
        end = start + len(expected["surface"])
    else:
        start, end = expected["start"], expected["end"] + 1
    values: list[float] = []
    for m in find_numbers(case["text"], lang):
        if m.start < end and start < m.end:
            values += [m.value] if m.high is None else [m.value, m.high, (m.value + m.high) / 2]
    return all(any(math.isclose(v, w, rel_tol=1e-6, abs_tol=1e-9) for v in values) for w in wanted)


@pytest.mark.parametrize(("lang", "floor"), [("en", 0.78), ("es", 0.90)])
def test_accuracy_floor_on_recognizers_sample(lang: str, floor: float) -> None:
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()]
    results = [
        _value_found(case, expected)
        for case in cases
        if case["lang"] == lang
        for expected in case["expected"]
    ]
    scored = [r for r in results if r is not None]
    assert len(scored) >= 90
    assert sum(scored) / len(scored) >= floor


@given(st.text(alphabet="0123456789 ,.-/:()+$£€%abdeghikmnostuyACDGMOPV", max_size=60))
def test_any_text_gives_verbatim_disjoint_mentions(text: str) -> None:
    mentions = find_numbers(text)
    assert all(text[m.start : m.end] == m.surface for m in mentions)
    assert all(first.end <= second.start for first, second in itertools.pairwise(mentions))
