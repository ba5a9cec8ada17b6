"""Alert matching on real figure extraction: synonyms and word forms in English and Spanish,
places across languages, vague sizes, thresholds, and the direction of the change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.alerts.matching import ArticleText, decide
from bot.alerts.message import alert_text
from bot.alerts.service import article_figures
from bot.store.records.alerts import Watch, WatchHit

NOW = datetime(2026, 12, 7, tzinfo=UTC)


def watch(what: str, **fields: object) -> Watch:
    return Watch("console", "c", "console:console", what, id=1, created_at=NOW, **fields)


def alerts(text: str, lang: str, what: str, **fields: object) -> float | None:
    decision = decide(
        watch(what, **fields), article_figures(text, lang), ArticleText("", text, lang)
    )
    return decision.figure.value if decision is not None and decision.alert else None


@pytest.mark.parametrize(
    ("text", "lang", "what", "value"),
    [
        ("Al menos 30 personas murieron en el Mediterráneo en octubre.", "es", "deaths", 30),
        ("Hubo 45 muertos y 120 heridos tras el ataque en la frontera.", "es", "deaths", 45),
        ("Hubo 45 muertos y 120 heridos tras el ataque en la frontera.", "es", "injured", 120),
        ("Las autoridades contaron 12 fallecidas en el naufragio del martes.", "es", "muertes", 12),
        ("The blast killed at least 14 people in the city on Sunday.", "en", "muertes", 14),
        ("Some 1,200 migrants arrived in Lampedusa last week.", "en", "llegadas", 1200),
        ("Se registraron 12.000 detenciones de migrantes en diciembre.", "es", "arrests", 12000),
        ("Officials recorded 5,000 visa applications in March.", "en", "visas", 5000),
    ],
)
def test_the_counted_thing_in_either_language(text: str, lang: str, what: str, value: int) -> None:
    assert alerts(text, lang, what) == value


@pytest.mark.parametrize(
    ("text", "lang", "what"),
    [
        (
            "Las negociaciones siguen en punto muerto tras una oferta de 48 por ciento.",
            "es",
            "deaths",
        ),
        ("Tens of thousands of refugees fled the camps on Tuesday.", "en", "refugees"),
        ("A fifth soldier was wounded in the attack on the base.", "en", "injured"),
        ("The attack, which killed 23 people, hit the city where it hurt.", "en", "injured"),
        ("Se registraron 12.000 detenciones de migrantes en diciembre.", "es", "migrants"),
        ("The death rate rose by 12% in the region last year.", "en", "deaths"),
    ],
)
def test_what_is_not_a_count_of_the_thing(text: str, lang: str, what: str) -> None:
    assert alerts(text, lang, what) is None


def test_place_thresholds() -> None:
    text = "At least 30 people died in the Mediterráneo in October, and 300 died in Libya in 2023."

    assert alerts(text, "en", "deaths", place="Mediterranean") == 30
    assert alerts(text, "en", "deaths", place="Lampedusa") is None
    assert alerts(text, "en", "deaths", condition="above", threshold=100) == 300
    assert alerts(text, "en", "deaths", condition="below", threshold=10) is None


def test_change_needs_a_value_of_the_same_kind_of_period() -> None:
    text = "More than 190,000 apprehensions were recorded in November, officials said."
    figures = article_figures(text, "en")
    december = WatchHit(1, 7, 240_000, "240,000", "in December", "en", NOW, True)
    yearly = WatchHit(1, 8, 2_000_000, "two million", "in 2023", "en", NOW, True)
    changed = watch("apprehensions", condition="change", threshold=10)
    article = ArticleText("", text, "en")

    assert decide(changed, figures, article, []).alert is False  # nothing to compare with
    assert decide(changed, figures, article, [yearly]).alert is False  # a year is no month
    decision = decide(changed, figures, article, [december])
    assert decision.alert and decision.previous == december
    message = alert_text(
        watch("apprehensions"),
        decision.figure,
        december,
        title="T",
        link="https://n.example/a",
        source_lang="en",
    )
    assert (
        "more than 190,000 apprehensions recorded, in November; "
        "down from 240,000 in December (-21%)." in message
    )
    assert message.endswith("Source: T — https://n.example/a")
