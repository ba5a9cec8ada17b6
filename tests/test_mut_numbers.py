"""Number rules at their edges, in real sentences, found by mutation testing (docs/testing.md).

Each case is a sentence a news article could hold and what ``find_numbers`` makes of it: the
text of each number, its kind, its value and, for a range, its upper end. Every case here had a
mutant of ``summarizers/figures/reading/numbers.py`` that no other test noticed.
"""

from __future__ import annotations

import re

import pytest

from summarizers.figures.reading.numbers import find_numbers, parse_number

Mention = tuple[str, str, float, float | None]

CASES: list[tuple[str, str, list[Mention]]] = [
    # Year ranges: ten years apart at most, and at least one.
    ("The 2022-2023 season ended early.", "en", [("2022-2023", "year", 2022, None)]),
    ("Records for 2016-2026 were kept.", "en", [("2016-2026", "year", 2016, None)]),
    (
        "Records for 2015-2026 were kept.",
        "en",
        [("2015", "year", 2015, None), ("2026", "year", 2026, None)],
    ),
    # A count range far apart does not stop the years after it from being read.
    (
        "Some 1500-2000 migrants arrived during 2019-2020.",
        "en",
        [("1500-2000", "range", 1500, 2000), ("2019-2020", "year", 2019, None)],
    ),
    # "between 2 and 3 million" is two million; "between 500 and 3 million" is five hundred.
    (
        "Between 2 and 3 million people may be affected.",
        "en",
        [("2 and 3 million", "range", 2_000_000, 3_000_000)],
    ),
    (
        "Between 500 and 3 million people may be affected.",
        "en",
        [("500 and 3 million", "range", 500, 3_000_000)],
    ),
    # A change ("rose from X to Y") is two figures, not a range, even first in the text.
    (
        "Prices rose from 10 to 20 dollars.",
        "en",
        [("10", "count", 10, None), ("20 dollars", "money", 20, None)],
    ),
    ("Fell from 12 to 9 in March.", "en", [("12", "count", 12, None), ("9", "count", 9, None)]),
    # Links are not numbers.
    ("Read more at https://example.org/story/2024/5 today.", "en", []),
    ("Visit www.g7.org: the G7 met.", "en", [("G7", "code", 7, None)]),
    ("By mid-2023 the G7 had met.", "en", [("2023", "year", 2023, None), ("G7", "code", 7, None)]),
    # A range keeps one unit; two amounts in different units, or joined by a bare "and", do not.
    ("Tickets cost $10-$20.", "en", [("$10-$20", "range", 10, 20)]),
    (
        "It ran 5 km to 10 miles.",
        "en",
        [("5 km", "measure", 5, None), ("10 miles", "measure", 10, None)],
    ),
    (
        "The boys, aged 10 and 12, were found.",
        "en",
        [("10", "count", 10, None), ("12", "count", 12, None)],
    ),
    # A decade in words is a time, not a count of ninety.
    ("Ocurrió en los años noventa.", "es", [("noventa", "year", 0, None)]),
    (
        "En los años noventa llegaron 300 personas.",
        "es",
        [("noventa", "year", 0, None), ("300", "count", 300, None)],
    ),
    # Scores and votes.
    ("The team won 3-1 on Sunday.", "en", [("3-1", "score", 3, None)]),
    # At the end of a sentence too: a full stop is not a decimal point ("3-1.5" is).
    ("Fans cheered as the team won 3-1.", "en", [("3-1", "score", 3, None)]),
    ("The bill passed by a 53-40 vote.", "en", [("53-40", "count", 53, None)]),
    ("In the 2019-20 vote, turnout fell.", "en", [("2019-20", "year", 2019, None)]),
    (
        "Some 10-20 fans came; the team won 3-1 on Sunday.",
        "en",
        [("10-20", "range", 10, 20), ("3-1", "score", 3, None)],
    ),
    # A date's value is its year.
    ("On 5 March 2024 the law changed.", "en", [("5 March 2024", "date", 2024, None)]),
    # Names and codes: not amounts.
    ("After 9/11, travel changed.", "en", [("9/11", "code", 9, None)]),
    ("The fire burned 190 km2 of forest.", "en", [("190 km2", "measure", 190, None)]),
    (
        "Sales grew in Q1, Q2, Q3 and Q4.",
        "en",
        [(f"Q{n}", "code", n, None) for n in range(1, 5)],
    ),
    ("El contrato vale Q179 millones.", "es", [("Q179 millones", "money", 179_000_000, None)]),
    ("The 7E7 jet flew.", "en", [("7E7", "code", 7, None)]),
    ("By mid-2023, prices had doubled.", "en", [("2023", "year", 2023, None)]),
    ("It is in vol. 3 of the series.", "en", [("3", "code", 3, None)]),
    ("He drove on Route 66 yesterday.", "en", [("66", "code", 66, None)]),
    ("Shares in the S&P 500 index fell.", "en", [("500", "code", 500, None)]),
    ("They stayed at Camp 4.", "en", [("4", "code", 4, None)]),
    # ... but a capitalised word before a count does not make it a name.
    ("Voters sent Congress 300 letters a day.", "en", [("300", "count", 300, None)]),
    ("Perhaps 300, maybe more, joined the march.", "en", [("300", "count", 300, None)]),
    ("The group now counts 300.", "en", [("300", "count", 300, None)]),
    # Four digits between 1500 and 2100 may be a year; others are counts.
    ("Spain in 1500 was a kingdom.", "en", [("1500", "year", 1500, None)]),
    ("Sea levels could rise by 2100.", "en", [("2100", "year", 2100, None)]),
    ("Its 1990 law was repealed.", "en", [("1990", "year", 1990, None)]),
    ("Power returned in 4000 homes.", "en", [("4000", "count", 4000, None)]),
    ("Water was cut off in 2101 homes.", "en", [("2101", "count", 2101, None)]),
]


def _slug(sentence: str) -> str:
    # Plain ASCII test ids: mutmut hands ids back to pytest, and it failed on these sentences.
    return re.sub(r"[^a-z0-9]+", "-", sentence.lower()).strip("-")


@pytest.mark.parametrize(("sentence", "lang", "expected"), CASES, ids=[_slug(c[0]) for c in CASES])
def test_each_number_is_read_as_a_reader_would(
    sentence: str, lang: str, expected: list[Mention]
) -> None:
    found = [(m.surface, m.kind, m.value, m.high) for m in find_numbers(sentence, lang)]
    assert found == expected


def test_a_phrase_with_two_numbers_is_read_by_its_longest() -> None:
    assert parse_number("3 or 250,000") == 250_000
    assert parse_number("250,000 or 3") == 250_000
