"""Key figures an editor trusts (issue 10): words and fractions, glued units, changes and levels,
one figure per amount, periods from their own clause, exact units, no offers, victims' ages,
Spanish qualifiers and separators, and a counted noun where the sentence says what is counted."""

from __future__ import annotations

import pytest

from summarizers.figures.extract import extract_figures
from summarizers.types import KeyFigure


def figures(text: str, lang: str = "en") -> dict[float, KeyFigure]:
    return {figure.value: figure for figure in extract_figures([text], lang)}


@pytest.mark.parametrize(
    ("text", "value", "counted"),
    [
        ("Eight guards were suspended after the riot.", 8, "guards"),
        ("Four of the 12 boxes were empty.", 4, "boxes"),
        ("Two-thirds of voters backed the plan.", 2 / 3, "voters"),
        ("More than a third of adults smoke.", 1 / 3, "adults"),
        ("Arrests rose threefold last year.", 3, "Arrests"),
        ("The show drew a record 51million viewers.", 51_000_000, "viewers"),
        ("Some 12million people watched the final.", 12_000_000, "people"),
    ],
)
def test_numbers_in_words_fractions_and_glued_scales(text: str, value: float, counted: str) -> None:
    found = figures(text)
    assert value in found, found
    assert counted in (found[value].counted or "")


def test_glued_scales_with_currencies() -> None:
    assert figures("The club paid £10million for the striker.")[10_000_000].unit == "GBP"
    assert figures("It raised 1.5bn dollars.")[1_500_000_000].unit == "USD"


def test_a_change_and_a_level_are_two_figures_counting_the_same() -> None:
    found = figures("Unemployment rose by 17,000 to 4.483 million in the quarter.")
    assert set(found) == {17_000, 4_483_000}
    assert found[17_000].counted == found[4_483_000].counted == "Unemployment"
    assert all(figure.surface in ("17,000", "4.483 million") for figure in found.values())


def test_a_level_after_a_percentage_change_counts_the_subject() -> None:
    found = figures("Quarterly profits at the media group jumped 76% to $1.13bn.")
    assert found[76].counted == found[1_130_000_000].counted == "Quarterly profits"


def test_one_figure_per_amount_given_in_two_currencies() -> None:
    assert list(figures("The fine was €10m ($11m) for the bank.")) == [10_000_000]
    found = figures("Its capitalisation is £5.7bn ($10.7bn; 8.2bn euros).")
    assert list(found) == [5_700_000_000]


def test_the_period_comes_from_the_numbers_own_clause() -> None:
    found = figures("His fortune was $186.3 billion (in 2014), and he now has $90 billion.")
    assert found[186_300_000_000].period == "in 2014"
    assert found[90_000_000_000].period is None


def test_unit_prefixes_are_exact() -> None:
    assert figures("The cable carries 1.14Tb of data.")[1.14].unit == "Tbit"
    assert figures("The phone has 2TB of storage.")[2].unit == "TB"


def test_no_figures_from_offers_or_captions() -> None:
    assert figures("Get 50% off your first order with a Visa card.") == {}
    assert figures("Subscribe now for £1 a week for 12 weeks.") == {}
    assert figures("Some 300 homes were flooded in the town (file photo).") == {}


def test_ages_only_when_the_age_is_the_news() -> None:
    assert figures("The 34-year-old driver died in the crash.")[34].counted == "year-old driver"
    assert figures("A man, 34, was killed on the road.")[34].counted == "years old"
    assert figures("The 47-year-old actress was one of the guests.") == {}
    assert 80 not in figures("Abuse claims from the 1970s and 80s were ignored.")


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("Hasta 500 personas cruzaron la frontera.", "hasta"),
        ("Votó alrededor del 30% de los electores.", "alrededor del"),
        ("Llegaron un poco más de 200 niños.", "un poco más de"),
        ("Se vacunó a los mayores de 65 años.", "mayores de"),
        ("Participó en torno al 40% de la población.", "en torno al"),
    ],
)
def test_spanish_qualifiers_are_kept_as_written(text: str, qualifier: str) -> None:
    (figure,) = extract_figures([text], "es")
    assert figure.qualifier == qualifier


def test_values_are_read_with_the_articles_own_separators() -> None:
    found = figures("La policía ha ejecutado 14,571 capturas en diferentes comunidades.", "es")
    assert list(found) == [14_571]
    assert found[14_571].counted == "capturas"
    spain = ["La inflación fue del 5,3 %.", "Pesaba 1,250 kilos."]  # a decimal comma elsewhere
    assert 1.25 in {figure.value for figure in extract_figures(spain, "es")}


@pytest.mark.parametrize(
    ("text", "value", "counted"),
    [
        ("Revised figures indicated growth of just 0.1%.", 0.1, "growth"),
        ("It made a pre-tax profit of £75m.", 75_000_000, "pre-tax profit"),
        ("Jobs data pushed the unemployment rate to 5.2%.", 5.2, "unemployment rate"),
        ("The firm blamed fuel prices for a 40% drop in profits.", 40, "drop in profits"),
        ("TimeWarner said fourth quarter sales rose 2% to $11.1bn.", 2, "fourth quarter sales"),
    ],
)
def test_a_counted_noun_before_the_number(text: str, value: float, counted: str) -> None:
    assert figures(text)[value].counted == counted


def test_the_cap_is_not_spent_on_restated_amounts() -> None:
    sentences = [
        "Profits rose 76% to $1.13bn (£600m) in the quarter.",
        "Sales rose 2% to $11.1bn (£5.9bn).",
        "Pernod is worth 7.5bn euros ($9.7bn) and Allied £5.7bn ($10.7bn; 8.2bn euros).",
        "The firm lost 464,000 subscribers and owns 8% of Google.",
    ]
    listed = extract_figures(sentences, limit=8)
    values = [figure.value for figure in listed]
    assert len(values) == len(set(values))
    assert {464_000, 8}.issubset(values)
    assert not {600_000_000, 9_700_000_000, 10_700_000_000, 8_200_000_000} & set(values)


def test_a_compared_figure_counts_what_the_figure_before_it_counts() -> None:
    found = figures("Profits jumped 76% to $1.13bn for the quarter, from $639m a year earlier.")
    assert found[639_000_000].counted == "Profits"
    found = figures("Ethiopia produced 14.27 million tonnes of crops, 24% higher than in 2003.")
    assert "crops" in (found[24].counted or "")


def test_names_time_spans_and_what_money_is_spent_on() -> None:
    assert 500 not in figures("Stocks rose and the S&P 500 index was little changed.")
    assert figures("Three days later, the water had gone.") == {}
    assert figures("Tres días después, el agua se había ido.", "es") == {}
    found = figures("He said he had spent $24,000 on advocacy.")
    assert found[24_000].counted == "advocacy"


def test_scores_ages_in_passing_and_prices_stated_with_a_participle() -> None:
    assert figures("The Eagles led 14-7 at halftime.") == {}
    assert figures("Some 10-20 people were hurt.")[10].counted == "people hurt"
    assert figures("He left school at the age of 14.") == {}
    assert figures("All postcards are priced at £35.")[35].counted == "postcards"


def test_victims_counted_in_words_measures_in_two_units_and_a_suspects_age() -> None:
    found = figures("Police arrested a 40-year-old man accused of fatally stabbing five neighbors.")
    assert list(found) == [5]
    assert found[5].counted == "neighbors"
    assert list(figures("He carried 27 kilograms (59 pounds) of gold.")) == [27]


def test_a_restated_figure_before_a_compared_one_does_not_break_the_sentence() -> None:
    sentences = [
        "Sales reached 1,200 cars in May.",
        "Sales reached 1,200 cars in May, up from 900 a year earlier.",
    ]
    found = {figure.value: figure for figure in extract_figures(sentences)}
    assert found[900].counted == "cars"


def test_parallel_counts_parts_of_a_whole_and_sentence_lengths() -> None:
    found = figures("Buhari has so far obtained 11.5 million votes, Jonathan 9.5 million.")
    assert found[9_500_000].counted == "votes"
    assert figures("He won 16 of the 19 races.")[16].counted == "races"
    assert figures("Offenders could face up to three years in jail.")[3].counted == "years in jail"
    assert figures("One civilian was killed and 82 others wounded.")[82].counted == "others wounded"
