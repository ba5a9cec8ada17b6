"""Key figures read from the grammar around a number, not from word lists of one outlet: what an
amount went on, parts of a whole, the subject of "will be" / "was down", chained and elided
numbers; and numbers an editor would not list (ranks, names, models, sizes, ordinals, ages).
Sentences are from the tune part of tests/fixtures/figures/labelled (or written like them)."""

from __future__ import annotations

import pytest

from summarizers.figures.extract import extract_figures
from summarizers.figures.reading.numbers import find_numbers
from summarizers.types import KeyFigure


def figures(text: str, lang: str = "en") -> dict[float, KeyFigure]:
    return {figure.value: figure for figure in extract_figures([text], lang)}


@pytest.mark.parametrize(
    ("text", "value", "counted"),
    [
        ("Home Depot reported $2.53 in per-share earnings for the third quarter.", 2.53,
         "per-share earnings"),
        ("All he knows is he paid about $200,000 for the canvas in a legitimate purchase.",
         200_000, "canvas"),
        ("He led the FBI to a stolen $700,000 Norman Rockwell painting someone snatched.",
         700_000, "Norman Rockwell painting"),
        ("The club agreed a deal worth $60 million on Friday.", 6e7, "deal"),
        ("Boeing is to supply up to 50 planes in a deal that could be worth as much as $6bn.",
         6e9, "deal"),
        ("The plan includes actions to reduce coal-fired fine dusts by 90%.", 90, "fine dusts"),
        ("The results look OK, but the stock was down 5% in recent trading.", 5, "stock"),
        ("Management said comparable-store sales growth in 2019 will be 3.5%.", 3.5,
         "comparable-store sales growth"),
        ("Globally, the number sold will reach 159 million, an increase of 104%.", 159e6,
         "number sold"),
        ("The report predicts that nearly 70% of all mobile phones sold will have a camera.", 70,
         "mobile phones"),
        ("Japan Airlines has made a firm order for 30 of the aircraft.", 30, "aircraft"),
        ("Four U.S. soldiers died in a roadside bombing in Iraq on Sunday.", 4, "U.S. soldiers"),
        ("Three wounded crew members from the cargo ship were being treated aboard.", 3,
         "wounded crew members"),
        ("Power was cut to 375,000 people in 18 Northern and central California counties.", 18,
         "Northern and central California counties"),
        ("Four times more mobiles with cameras in them will be sold in Europe.", 4, "mobiles"),
        ("Car bombs killed at least 27 people and wounded 151, officials said.", 151, "wounded"),
        ("Two pirates were dead and five were captured, the Navy said.", 5, "pirates"),
        ("The plan cuts solar module costs from around $0.23/W today to $0.10 by 2030.", 0.1,
         "module costs"),
    ],
)  # fmt: skip
def test_what_the_number_counts_from_the_phrase_around_it(
    text: str, value: float, counted: str
) -> None:
    found = figures(text)
    assert value in found, found
    assert found[value].counted == counted


def test_a_change_from_one_level_to_another_is_two_figures() -> None:
    found = figures("The EU expanded from 15 to 25 member states in May.")
    assert found[25].counted == "member states"
    ranged = [m for m in find_numbers("Temperatures ranged from 10 to 15 degrees.", "en")]
    assert [m.kind for m in ranged] == ["range"]


def test_a_money_period_after_for_is_no_counted_noun() -> None:
    found = figures("Profits jumped 76% to $1.13bn for the quarter, from $639m a year earlier.")
    assert found[1.13e9].counted != "quarter"


@pytest.mark.parametrize(
    "text",
    [
        "Boeing has unveiled its new 7E7 planes and the A350.",  # a model, not 70 million
        "Airbus overtook Boeing as the number one civilian planemaker in 2003.",  # a rank
        "The results reflected our One Home Depot strategic investments.",  # a name
        "Google promised players could play games at 4k on high settings.",  # a screen
        "A fifth soldier was wounded in the attack.",  # an ordinal, not 0.2
        "He paid for the 16 x 37 canvas in a legitimate purchase.",  # a size
        "Says Creighton Avery, who has known Turk since he was 9.",  # an age, not a count
        "One Napa County reporting station has not seen rain since September.",  # one thing
        "The flight took five hours and 13 minutes.",  # one duration; its minutes are no figure
    ],
)
def test_numbers_an_editor_would_not_list(text: str) -> None:
    assert figures(text) == {}


def test_a_fraction_is_still_a_fraction() -> None:
    assert figures("More than a third of adults smoke.")[1 / 3].counted == "adults"
    assert figures("Sales fell by a fifth, and a third of homes were empty.")[1 / 3]


def test_scientific_notation_in_lower_case_still_reads() -> None:
    assert figures("About 2.5e6 cells were counted.")[2.5e6].counted == "cells counted"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Con el subsidio el MEM ha ejecutado unos Q179 millones, según Pimentel.", 179e6, "GTQ"),
        ("El precio es de S/ 25 por kilo.", 25, "PEN"),
        ("El bono será de Bs 300 al mes.", 300, "BOB"),
        ("The agent took Rs25 lakh from the family.", 2.5e6, "INR"),
    ],
)
def test_currencies_written_before_the_amount(text: str, value: float, unit: str) -> None:
    lang = "en" if text.startswith("The") else "es"
    assert figures(text, lang)[value].unit == unit


def test_a_quarter_is_no_quetzal() -> None:
    assert [m.kind for m in find_numbers("Los resultados del Q3 fueron buenos.", "es")] == ["code"]


@pytest.mark.parametrize(
    ("text", "value", "counted"),
    [
        ("The Senate approved the nomination for attorney general by a 53-40 vote.", 53, "vote"),
        ("A mine exploded, killing four people -- three members of the group and a journalist.",
         3, "members"),
        ('Shania Twain will embark upon the 48-date "Rock This Country Tour".', 48, "date"),
        ("Both are designed for the 200- to 300-seat sector.", 200, "seat sector"),
    ],
)  # fmt: skip
def test_votes_hyphens_and_halves(text: str, value: float, counted: str) -> None:
    found = figures(text)
    assert found[value].counted == counted, found


@pytest.mark.parametrize(
    "text",
    [
        "Arsenal won 3-1 on Saturday.",  # a score stays a score
        "Pepe was sent off for a second yellow card on 60 minutes.",  # a match time
        "Gardener clocked 6.56 seconds to equal the meeting record.",  # a race time
        "A 10-year-old boy was seen near the school.",  # an age, not a count of years
    ],
)
def test_scores_clock_times_and_ages_are_not_listed(text: str) -> None:
    assert figures(text) == {}


def test_a_hyphenated_half_is_one_number() -> None:
    found = find_numbers("Pochettino was sacked after five-and-a-half years in charge.", "en")
    assert [(m.surface, m.value) for m in found] == [("five-and-a-half", 5.5)]


def test_spanish_minutes_are_not_listed_but_hours_are() -> None:
    assert figures("El gol llegó a los 34 minutos del partido.", "es") == {}
    assert figures("La empleada marcó 180 horas extras en un solo mes.", "es")[180].counted


@pytest.mark.parametrize(
    "text",
    [
        "US aircraft firm Boeing has unveiled its new long-distance 777 plane.",
        "It was the second week at No. 1 on Billboard's top 200 album chart.",
        "Could a 14 seed make it to the Final Four?",
    ],
)
def test_a_number_before_a_singular_noun_names_a_model_or_rank(text: str) -> None:
    assert figures(text) == {}


@pytest.mark.parametrize(
    ("text", "value", "counted"),
    [
        ("Monitors counted more than 700 dead over 14 months.", 700, "dead"),
        ("About 30 gunmen tied to the group stormed the hotel.", 30, "gunmen"),
        ("Japan Airlines has made a firm order for 30 aircraft.", 30, "aircraft"),
        ("The gunman opened fire, killing 13 and wounding 32.", 13, "killing"),
    ],
)
def test_counts_that_agree_with_their_noun_are_kept(text: str, value: float, counted: str) -> None:
    assert figures(text)[value].counted == counted


def test_a_gerund_before_by_is_what_an_amount_changes() -> None:
    found = figures("The budget slashes state spending by over $4 billion, officials said.")
    assert found[4e9].counted == "state spending"
    assert figures("It snapped a streak against the Huskies (4-7, 3-4) dating to 2007.") == {}


def test_a_small_number_after_at_is_an_age_not_a_count() -> None:
    assert figures("After dropping out of school at 16, he honed his tailoring skills.") == {}


@pytest.mark.parametrize(
    ("text", "value", "counted"),
    [
        ("(CNN)Three French sports stars were among 10 people killed when two helicopters "
         "collided.", 3, "French sports stars"),
        ('Federal agents raided more than three dozen "maternity hotels" in California.', 36,
         "maternity hotels"),
        ("Women from China paid $15,000 to $50,000 for lodging, transportation and food.",
         15_000, "lodging"),
        ("The original version sold 750,000 copies in its first week and 3.5 million in total.",
         3_500_000, "copies"),
        ("At least 30 people died at sea in October, and 300 died in Libya in 2023.", 300,
         "died"),
    ],
)  # fmt: skip
def test_datelines_quotes_gerunds_and_elided_nouns(text: str, value: float, counted: str) -> None:
    assert figures(text)[value].counted == counted


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Jackson's act caused outrage among millions of TV viewers.", "en"),
        ("Miles de personas marcharon por el centro de la ciudad.", "es"),
        ("Even Arab citizens within the pre-1967 borders view it so.", "en"),
    ],
)
def test_bare_magnitudes_and_prefixed_years_are_not_listed(text: str, lang: str) -> None:
    assert figures(text, lang) == {}


def test_a_magnitude_with_more_words_is_still_listed() -> None:
    assert figures("Tens of thousands of people fled the city.")[10_000].counted == "people"
