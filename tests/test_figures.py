"""Tests of key figure extraction, on the BBC seed article and on small made-up sentences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarizers.cleaning import clean_pasted_text
from summarizers.figures.extract import extract_figures
from summarizers.sentences import split_sentences
from summarizers.types import KeyFigure

SEED = Path(__file__).parent / "fixtures" / "seed"
RAW = (SEED / "bbc-us-mexico-migration.txt").read_text(encoding="utf-8")
EXPECTED = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
CAPTION = "Image caption,"

# Head nouns that the counted phrase must hold, one set per expected figure (any one of them).
HEAD_WORDS = {
    10_000: {"people"},
    2_000_000: {"people", "apprehended"},
    190_000: {"apprehensions"},
    7_000: {"people", "migrants"},
    14: {"buses"},
    32: {"hours", "notice"},
    1_000: {"miles"},
}


def body_paragraphs(raw: str, keep_captions: bool = False) -> list[str]:
    """The article's paragraphs without headline, photo alt text, byline, dateline and footer.

    With ``keep_captions`` the caption text stays (without its "Image caption," label), as a
    reader's paste would have it when the photo is described next to the body.
    """
    paragraphs = [p.strip() for p in raw.split("\n\n") if p.strip()]
    paragraphs = paragraphs[1 : paragraphs.index("Leave a Reply")]  # headline ... footer
    kept: list[str] = []
    for paragraph in paragraphs:
        lines = paragraph.splitlines()
        if lines[-1].startswith(CAPTION):  # alt text line + caption line
            if keep_captions:
                kept.append(lines[-1].removeprefix(CAPTION))
            continue
        if paragraph.startswith("By ") or paragraph == "BBC News, Washington":
            continue
        kept.append(paragraph)
    return kept


def seed_sentences(keep_captions: bool = False) -> list[str]:
    return split_sentences("\n\n".join(body_paragraphs(RAW, keep_captions)))


def words(text: str | None) -> set[str]:
    return {w.lower().rstrip("s").replace("’", "'") for w in re.findall(r"[\w’']+", text or "")}


def assert_expected_figures(figures: list[KeyFigure]) -> None:
    by_value = {f.value: f for f in figures}
    for expected in EXPECTED["key_figures"]:
        figure = by_value.get(expected["value"])
        assert figure is not None, f"missing {expected['surface']}"
        assert figure.surface == expected["surface"]
        wanted_qualifiers = set(expected.get("qualifier", "").split(" / ")) - {""}
        assert (figure.qualifier in wanted_qualifiers) if wanted_qualifiers else True
        heads = {h.rstrip("s") for h in HEAD_WORDS[expected["value"]]}
        assert words(figure.counted) & heads, (figure.counted, heads)
        assert len(figure.counted or "") <= 2 * len(expected["counted"]) + 10
        if "period" in expected:
            assert figure.period is not None
            assert words(expected["period"]) <= words(figure.period) | {"per", "day"}


def test_seed_article_yields_all_seven_key_figures() -> None:
    figures = extract_figures(seed_sentences())
    assert_expected_figures(figures)
    for figure in figures:
        print(figure.as_dict() | {"score": figure.score})  # shown with pytest -s


def test_seed_periods_and_units() -> None:
    by_value = {f.value: f for f in extract_figures(seed_sentences())}
    assert by_value[10_000].period == "per day"
    assert by_value[2_000_000].period == "fiscal years 2022 and 2023"
    assert by_value[190_000].period == "in November"
    assert by_value[14].period == "in a single night"
    assert by_value[1_000].unit == "mi"
    assert by_value[10_000].unit is None


def test_seed_has_no_years_and_states_each_figure_once() -> None:
    figures = extract_figures(seed_sentences(keep_captions=True))
    values = [f.value for f in figures]
    assert not {2022, 2023, 2024} & set(values)
    assert len(values) == len(set(values))
    assert values.count(7_000) == 1
    assert {"two", "three", "first"}.isdisjoint({f.surface.lower() for f in figures})


def test_caption_restating_a_figure_is_merged_and_ranked_higher() -> None:
    plain = {f.value: f for f in extract_figures(seed_sentences())}
    with_captions = extract_figures(seed_sentences(keep_captions=True))
    caravan = [f for f in with_captions if f.value == 7_000]
    assert len(caravan) == 1
    assert "caravan" in (caravan[0].counted or "")
    assert caravan[0].qualifier in ("about", "at least")
    assert caravan[0].score > plain[7_000].score  # stated twice, so it counts for more
    assert_expected_figures(with_captions)


def test_seed_with_the_project_cleaner() -> None:
    cleaned = clean_pasted_text(RAW)
    assert_expected_figures(extract_figures(split_sentences(cleaned.text)))


def test_ordering_puts_the_headline_statistics_first() -> None:
    figures = extract_figures(seed_sentences())
    top_four = {f.value for f in figures[:4]}
    assert top_four == {10_000, 2_000_000, 190_000, 7_000}
    scores = [f.score for f in figures]
    assert scores == sorted(scores, reverse=True)
    assert extract_figures(seed_sentences(), limit=2) == figures[:2]


def test_surfaces_and_sentences_are_verbatim() -> None:
    sentences = seed_sentences(keep_captions=True)
    for figure in extract_figures(sentences):
        assert figure.sentence in sentences
        assert figure.surface in figure.sentence
        counted_words = words(figure.counted) - {"in", "the"}  # "people in the caravan"
        assert counted_words <= words(figure.sentence)


@pytest.mark.parametrize(
    ("sentence", "value", "qualifier", "counted", "period", "unit"),
    [
        ("Nearly 300 people were killed in the attack.", 300, "nearly",
         "people killed in the attack", None, None),
        ("Inflation rose 3.5% in October.", 3.5, None, "Inflation", "in October", "%"),
        ("The firm won a $48.2 million army contract.", 48_200_000, None, "army contract",
         None, "USD"),
        ("The death toll has risen to 50.", 50, None, "death toll", None, None),
        ("Tens of thousands of people fled the city last week.", 10_000, None, "people",
         "last week", None),
        ("Officials expect 5,000 or more arrivals every week.", 5_000, "at least", "arrivals",
         "per week", None),
        ("Two people died.", 2, None, "people", None, None),
    ],
)  # fmt: skip
def test_rules_on_single_sentences(
    sentence: str,
    value: float,
    qualifier: str | None,
    counted: str,
    period: str | None,
    unit: str | None,
) -> None:
    (figure,) = extract_figures([sentence])
    assert (figure.value, figure.qualifier, figure.counted) == (value, qualifier, counted)
    assert (figure.period, figure.unit, figure.sentence) == (period, unit, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The Apollo 11 crew met on December 5, 2023 at 7:30 a.m.",
        "Image 1 of 5. Share 2. 12 comments.",
        "The two sides met for the first time since the COVID-19 pandemic in 2020.",
        "Call (555) 123-4567 about the G7 and F-16 deals on Route 66.",
    ],
)
def test_no_figures_in_names_dates_and_page_furniture(sentence: str) -> None:
    assert extract_figures([sentence]) == []


def test_spanish_figures_use_spanish_separators() -> None:
    (figure,) = extract_figures(["Más de 2.500 personas cruzaron la frontera cada día."], "es")
    assert (figure.value, figure.surface, figure.counted) == (2500, "2.500", "personas")
    assert figure.qualifier == "más de"
    assert figure.period == "por día"
