"""Language detection: declared tags weighed against the text, with the real py3langid model."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.web.extract import article_from_text, extract_article
from bot.web.language import (
    CLEAR_LEAD,
    CONFIDENT,
    declared_language,
    detect_language,
    guess_from_text,
    language_code,
)

SEED_TEXT = (Path(__file__).parent / "fixtures" / "seed" / "bbc-us-mexico-migration.txt").read_text(
    encoding="utf-8"
)
SPANISH = (
    "El presidente Andrés Manuel López Obrador y el secretario de Estado estadounidense, Antony "
    "Blinken, acordaron el miércoles en Ciudad de México reforzar la lucha contra las redes de "
    "tráfico de personas, en medio de un flujo migratorio sin precedentes hacia la frontera común."
)
ENGLISH = (
    "The US and Mexico have vowed to crack down on migrant smugglers as a growing migration "
    "crisis causes chaos on their shared border, officials said after talks in Mexico City."
)
PORTUGUESE = (
    "O governo brasileiro anunciou nesta quarta-feira um novo programa de acolhimento para os "
    "migrantes venezuelanos que chegam ao estado de Roraima, na fronteira com a Venezuela."
)
FRENCH = (
    "Le gouvernement français a présenté mercredi un projet de loi sur l'immigration qui prévoit "
    "de durcir les conditions d'accueil des étrangers et d'accélérer les expulsions."
)


def page(body: str, lang: str | None = None, head: str = "") -> str:
    attribute = f' lang="{lang}"' if lang else ""
    paragraphs = "".join(f"<p>{body}</p>" for _ in range(3))
    return (
        f"<html{attribute}><head>{head}</head><body><article>{paragraphs}</article></body></html>"
    )


def test_confident_text_wins_over_a_wrong_declaration() -> None:
    assert detect_language(SPANISH, declared=["en", "en_US"]) == "es"
    assert detect_language(ENGLISH, declared=["es-MX"]) == "en"
    assert detect_language(SEED_TEXT, declared=["es"]) == "en"


def test_declared_language_decides_when_the_text_is_too_short_to_be_sure() -> None:
    guess = guess_from_text("Santa Cruz")
    assert guess is not None and guess.probability < CONFIDENT
    assert detect_language("Santa Cruz", declared=["es-BO"]) == "es"
    assert detect_language("Santa Cruz", declared=["en"]) == "en"
    assert detect_language("", declared=[None, "", "es_419", "en"]) == "es"


def test_without_a_declaration_a_short_text_is_english_or_spanish_by_a_clear_lead() -> None:
    assert detect_language("Rescatan a 130 migrantes hacinados en un tráiler en Veracruz") == "es"
    assert detect_language("Crude oil prices back above $50") == "en"
    one_word = guess_from_text("text")
    assert one_word is not None and one_word.supported_lead < CLEAR_LEAD
    assert detect_language("text") == "en"  # too little to tell: the default
    assert detect_language("") == detect_language("190,000 - 2023") == "en"


def test_other_languages_keep_their_own_code() -> None:
    assert detect_language(PORTUGUESE) == "pt"
    assert detect_language(FRENCH, declared=["en"]) == "fr"
    assert detect_language("", declared=["pt-BR"]) == "pt"


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("es-ES", "es"),
        ("es_419", "es"),
        ("EN", "en"),
        ("en_US.UTF-8", "en"),
        ("english", "en"),
        ("Español", "es"),
        ("x-klingon", None),
        ("", None),
        (None, None),
        ("eng", None),
    ],
)
def test_language_tags(tag: str | None, code: str | None) -> None:
    assert language_code(tag) == code


def test_declared_language_takes_the_first_usable_tag() -> None:
    assert declared_language([None, "x-klingon", "es-AR", "en"]) == "es"
    assert declared_language([]) is None


def test_extracted_page_uses_its_text_then_its_tags_then_the_feed_language() -> None:
    assert extract_article(page(SPANISH, lang="en")).lang == "es"
    assert extract_article(page(ENGLISH, lang="es")).lang == "en"
    og_locale = "<meta property='og:locale' content='es_MX'>"
    assert extract_article(page(SPANISH, head=og_locale)).lang == "es"
    assert extract_article(page(SPANISH), declared_language="en").lang == "es"
    terse = "Santa Cruz Santa Cruz Santa Cruz Santa Cruz Santa Cruz Santa Cruz Santa Cruz."
    assert extract_article(page(terse), declared_language="es").lang == "es"
    assert extract_article(page(terse, lang="en"), declared_language="es").lang == "en"


def test_pasted_text_is_detected_from_the_text() -> None:
    assert article_from_text(f"Acuerdo contra el tráfico de migrantes\n\n{SPANISH}").lang == "es"
    assert article_from_text(SEED_TEXT).lang == "en"
    assert article_from_text(SPANISH, declared_language="en").lang == "es"


def test_concurrent_calls_from_worker_threads_agree() -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(detect_language, [SPANISH, ENGLISH] * 8))
    assert answers == ["es", "en"] * 8
