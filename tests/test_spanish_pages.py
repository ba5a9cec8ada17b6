"""Real Spanish news pages through bot.web.extract: text kept and dropped, title, language."""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import pytest
import trafilatura

from bot.digests.topics import load_profile
from bot.web.extract import declared_languages, extract_article

FIXTURES = Path(__file__).parent / "fixtures"
SNIPPETS = FIXTURES / "pages" / "snippets"
CASES = [
    case
    for name in ("cases.jsonl", "cases-es.jsonl")
    for line in (SNIPPETS / name).read_text("utf-8").splitlines()
    if (case := json.loads(line))["lang_guess"] == "es"
]
# What bot.web.extract gets wrong on these pages, as measured: a membership prompt, a sidebar
# headline, a sentence trafilatura does not reach.
KNOWN_MISSES: dict[str, dict[str, set[str]]] = {
    "laprensagrafica.com.fiscal.html": {
        "without": {
            "HAZTE MIEMBRO Y DISFRUTA DE BENEFICIOS EXCLUSIVOS",
            "Hacemos periodismo desde hace 106 años.",
        }
    },
    "libero.pe-ronaldo.html": {"without": {"Manchester United vs. Brighton, en vivo: minuto"}},
    "elnuevoherald.com-miami.html": {
        "with": {
            "Miami se ubica en segundo lugar entre las mejores ciudades de Estados Unidos para "
            "iniciar una empresa, según informe del portal de finanzas WalletHub."
        }
    },
    "ladiaria.com.uy-productor.html": {"with": {"consideran “excesivo” su tamaño."}},
}
# Snippet-level F1 on these 9 pages, ours against trafilatura.extract's default call, as
# measured: ours 0.906 (P 0.889, R 0.923), default 0.793 (P 0.719, R 0.885). Scored the same way
# on all 32 Spanish pages of the shared set: ours 0.913, default 0.850.
F1_MARGIN = 0.02


def squash(text: str) -> str:
    return " ".join(text.split())


def page_html(case: dict) -> bytes:
    return gzip.decompress((SNIPPETS / case["html_file"]).read_bytes())


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[str, str]]:
    """Per page: (title + text, text) from bot.web.extract."""
    pages = {}
    for case in CASES:
        article = extract_article(page_html(case))
        pages[case["file"]] = (squash(f"{article.title} {article.text}"), squash(article.text))
    return pages


def snippet_results(case: dict, with_title: str, text: str) -> tuple[set[str], set[str]]:
    """("with" snippets missing, "without" snippets present)."""
    missing = {s for s in case["with"] if squash(s) not in with_title}
    leaked = {s for s in case["without"] if squash(s) in text}
    return missing, leaked


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["file"])
def test_spanish_page_keeps_article_text_drops_the_rest_and_is_spanish(case: dict) -> None:
    article = extract_article(page_html(case))
    missing, leaked = snippet_results(
        case, squash(f"{article.title} {article.text}"), squash(article.text)
    )
    known = KNOWN_MISSES.get(case["file"], {})
    assert missing == known.get("with", set())
    assert leaked == known.get("without", set())
    assert article.lang == "es"
    if case["title"]:
        assert article.title == case["title"]
    assert article.title and len(article.title.split()) >= 5


@pytest.mark.parametrize("name", ["100noticias.com-millones.html", "elfaro.net-asamblea.html"])
def test_spanish_text_wins_over_a_page_that_declares_english(name: str) -> None:
    case = next(case for case in CASES if case["file"] == name)
    tree = trafilatura.load_html(page_html(case))
    assert tree is not None
    assert next(tag for tag in declared_languages(tree) if tag) == "en"
    assert extract_article(page_html(case)).lang == "es"


def test_snippet_f1_is_at_least_trafilatura_default(extracted: dict[str, tuple[str, str]]) -> None:
    logging.disable(logging.WARNING)  # trafilatura logs the parts it discards
    try:
        theirs = {c["file"]: squash(trafilatura.extract(page_html(c)) or "") for c in CASES}
    finally:
        logging.disable(logging.NOTSET)
    ours_f1 = snippet_f1({file: pair for file, pair in extracted.items()})
    default_f1 = snippet_f1({file: (text, text) for file, text in theirs.items()})
    assert ours_f1 >= default_f1 - F1_MARGIN
    assert ours_f1 == pytest.approx(0.906, abs=0.005)  # as measured; a change shows here


def snippet_f1(pages: dict[str, tuple[str, str]]) -> float:
    """F1 over snippets: a kept "with" is a true positive, a kept "without" a false one."""
    true = false = missed = 0
    for case in CASES:
        missing, leaked = snippet_results(case, *pages[case["file"]])
        true += len(case["with"]) - len(missing)
        missed += len(missing)
        false += len(leaked)
    return 2 * true / (2 * true + false + missed)


def test_migration_profile_on_the_spanish_pages(extracted: dict[str, tuple[str, str]]) -> None:
    migration = load_profile("migration")
    on_topic = {
        case["file"]
        for case in CASES
        if migration.score(case["title"] or "", extracted[case["file"]][1]).is_match
    }
    # El Faro's story is about journalists pushed to seek asylum: "asilo" six times, as an
    # English story saying "asylum" six times would be.
    assert on_topic == {"elfaro.net-asamblea.html"}


def test_migration_profile_on_spanish_migration_news_and_other_news() -> None:
    migration = load_profile("migration")
    rows = [
        json.loads(line)
        for name in ("articles.jsonl", "crosslang-es.jsonl")
        for line in (FIXTURES / "stories" / name).read_text("utf-8").splitlines()
    ]
    spanish = {
        row["id"]: migration.score(row["title"], row["text"]) for row in rows if row["lang"] == "es"
    }
    off_topic = {
        "es-oil-above-50",
        "es-pension-strike-talks",
        "es-greek-pair-cleared",
        "es-nintendo-euro-launch",
    }
    assert {article_id for article_id, match in spanish.items() if not match.is_match} == off_topic
    assert len(spanish) == 17


@pytest.mark.parametrize(
    "headline",
    [
        "Cientos de personas en situación de movilidad varadas en Ciudad Juárez",
        "EE.UU. otorga permiso humanitario a 30.000 venezolanos al mes",
        "Biden amplía el Estatus de Protección Temporal para venezolanos",
        "Cruce irregular de personas extranjeras por el río Bravo",
        "Guatemala recibe a 150 connacionales retornados desde EE.UU.",
        "Aprehensiones en la frontera sur de EE.UU. alcanzan récord",
        "Balseros cubanos llegan a los Cayos de Florida",
    ],
)
def test_spanish_migration_headlines_match(headline: str) -> None:
    assert load_profile("migration").score(headline).is_match


@pytest.mark.parametrize(
    "headline",
    [
        "La policía aprehendió a dos sospechosos de robo",
        "El éxodo del verano colapsa las carreteras",
        "La Guardia Nacional vigila la frontera",  # one weak term alone is not enough
    ],
)
def test_spanish_headlines_with_weak_or_other_senses_do_not_match(headline: str) -> None:
    assert not load_profile("migration").score(headline).is_match
