"""Rules of key figures that a silent change would break: years against counts, invisible
characters inside numbers, and a page of numbers that must not take quadratic time."""

from __future__ import annotations

import random
import sys
import time
import unicodedata

import pytest

from summarizers.figures.extract import extract_figures
from summarizers.figures.reading.invisible import (
    FORMAT_CHARACTERS,
    Visible,
    strip_format_characters,
)
from summarizers.figures.reading.numbers import find_numbers
from summarizers.sentences import split_sentences


def kinds(text: str) -> dict[float, str]:
    return {mention.value: mention.kind for mention in find_numbers(text)}


def test_a_span_of_counts_far_apart_is_a_range_not_years() -> None:
    """ "1500-2000" is 500 apart: no pair of years, a range of migrants (the year-range rule)."""
    (figure,) = extract_figures(["Some 1500-2000 migrants were held."])
    assert (figure.value, figure.qualifier, figure.counted) == (1500, "some", "migrants held")
    assert find_numbers("Some 1500-2000 migrants were held.")[0].high == 2000
    assert kinds("Enrolment grew in 2022-2023.")[2022] == "year"  # close together: years


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Agents stopped nearly 2000 at the border.", 2000),
        ("The number of arrests rose to 1900 in March.", 1900),
        ("About 1950 people marched.", 1950),
    ],
)
def test_a_qualifier_before_a_year_like_number_makes_it_a_count(text: str, value: int) -> None:
    assert kinds(text)[value] == "count"


@pytest.mark.parametrize(
    "text", ["The wall was built in 1990 by the army.", "Arrests rose in 1999, officials said."]
)
def test_a_year_like_number_after_in_stays_a_year(text: str) -> None:
    assert "count" not in kinds(text).values()


def test_rose_to_a_year_like_number_is_a_figure() -> None:
    figures = extract_figures(["The number of arrests rose to 1900 in March."])
    assert [(f.value, f.period) for f in figures] == [(1900, "in March")]


def test_the_format_character_class_is_exactly_unicode_cf() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Cf":
            assert FORMAT_CHARACTERS.fullmatch(char), hex(code)
        elif FORMAT_CHARACTERS.fullmatch(char):
            assert category == "Cn", hex(code)  # assigned in a newer Unicode than this Python's


def test_numbers_are_read_through_zero_width_and_direction_marks() -> None:
    sentence = "Agents stopped more than 190\u200b,000 mi\u00adgrants and \u200e2,500\u200f people."
    figures = {figure.value: figure for figure in extract_figures([sentence])}
    assert set(figures) == {190_000, 2_500}
    assert figures[190_000].surface == "190\u200b,000"  # quoted as written
    assert figures[190_000].counted == "migrants"
    assert all(figure.sentence == sentence for figure in figures.values())
    assert strip_format_characters("1\u200b2\u2060") == "12"


def test_visible_maps_offsets_back_to_the_text_as_written() -> None:
    written = Visible("a\u200bb\u200dc")
    assert written.text == "abc"
    assert written.original_of(1, 3) == "b\u200dc"
    assert Visible("plain").text == "plain"


def number_dense_page(size: int = 160_000) -> str:
    """A flattened table: cells of names and numbers with no sentence end, ``size`` characters."""
    rng = random.Random(7)
    cells = ["Texas", "Arizona", "total", "migrants", "people", "12,345", "4.5%", "$1,200"]
    cells += ["2023", "17", "890,000", "3,5 %", "1.234", "two million", "of", "rose to"]
    text, length = [], 0
    while length < size:
        cell = rng.choice(cells)
        text.append(cell)
        length += len(cell) + 1
    return " ".join(text)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_160_kb_page_of_numbers_takes_seconds_not_minutes(lang: str) -> None:
    """It took 85 s when what a number counts was read to the end of the sentence from every
    number (quadratic). A single generous bound: only that kind of regression crosses it."""
    extract_figures(["warm 1,000 people up"], lang)  # compile the language's patterns first
    sentences = split_sentences(number_dense_page(), lang)
    started = time.perf_counter()
    figures = extract_figures(sentences, lang, limit=8)
    assert time.perf_counter() - started < 2.0  # issue 10; ~0.3 s loaded, quadratic took 85 s
    assert figures
