"""Spanish summaries: splitting, stop words, openers, furniture, and real Spanish news pages."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from sumy.utils import get_stop_words

from bot.web.extract import extract_article
from summarizers.pipeline import summarize_text
from summarizers.ranking.methods import METHODS, select_sentences
from summarizers.ranking.news_rules import (
    continues_quotation,
    is_caption,
    is_furniture,
    is_quote,
    is_terminated,
    opens_dangling,
)
from summarizers.ranking.ranker import rank_sentences
from summarizers.ranking.similarity import content_terms
from summarizers.sentences import split_sentences
from summarizers.stopwords import stop_words

FIXTURES = Path(__file__).parent / "fixtures" / "summaries"
# Two Spanish news pages from trafilatura's evaluation set (see fixtures/README.md).
PAGES = ("minuto30-lasierra.html.gz", "elespectador.com-orion.html.gz")

SPLITTING_CASES = [
    (
        "El Sr. García y la Sra. López llegaron el lunes. La Srta. Ruiz no vino.",
        ["El Sr. García y la Sra. López llegaron el lunes.", "La Srta. Ruiz no vino."],
    ),
    (
        "Viajó a EE.UU. el lunes con el Dr. Pérez. Volvió el martes.",
        ["Viajó a EE.UU. el lunes con el Dr. Pérez.", "Volvió el martes."],
    ),
    (
        "Viajó a EE. UU. el lunes. Volvió el martes.",
        ["Viajó a EE. UU. el lunes.", "Volvió el martes."],
    ),
    (
        "La familia volvió a EE.UU. Después viajó a Canadá.",
        ["La familia volvió a EE.UU.", "Después viajó a Canadá."],
    ),
    (
        "Vive en el núm. 5 de la Av. Juárez, col. Centro. Nadie lo sabía.",
        ["Vive en el núm. 5 de la Av. Juárez, col. Centro.", "Nadie lo sabía."],
    ),
    ("¿Qué pasará? ¡Basta! Nadie responde.", ["¿Qué pasará?", "¡Basta!", "Nadie responde."]),
    (
        "La inflación fue de 1,5 % en marzo. El peso cerró en 17,25 y el barril en 1.500,75.",
        ["La inflación fue de 1,5 % en marzo.", "El peso cerró en 17,25 y el barril en 1.500,75."],
    ),
    (
        "«No lo haremos», dijo el ministro. Después se fue.",
        ["«No lo haremos», dijo el ministro.", "Después se fue."],
    ),
    (
        "“Es un desastre”, afirmó Pérez. La oposición calló.",
        ["“Es un desastre”, afirmó Pérez.", "La oposición calló."],
    ),
    (
        "“¿Hasta cuándo?”, preguntó la diputada. Nadie respondió.",
        ["“¿Hasta cuándo?”, preguntó la diputada.", "Nadie respondió."],
    ),
    (
        "«¡Basta ya!» gritaba la multitud. La policía llegó.",
        ["«¡Basta ya!» gritaba la multitud.", "La policía llegó."],
    ),
    (
        "El ministro dijo: «Se acabó». Luego salió.",
        ["El ministro dijo: «Se acabó».", "Luego salió."],
    ),
    (
        "Manchester United vs. Brighton terminó 0-4. Fue una goleada.",
        ["Manchester United vs. Brighton terminó 0-4.", "Fue una goleada."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPLITTING_CASES)
def test_spanish_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text, "es") == expected


def test_spanish_stop_words_include_the_function_words_sumy_lacks() -> None:
    spanish = stop_words("spanish")
    assert {"de", "que", "y", "la", "el", "en", "los", "del", "se", "su", "al"} <= spanish
    assert not {"de", "que", "y"} <= set(get_stop_words("spanish"))  # why the extra list exists
    assert stop_words("english") == frozenset(get_stop_words("english"))  # English unchanged
    assert content_terms("La casa de los migrantes que llegaron del norte", "spanish") == [
        "cas",
        "migrant",
        "lleg",
        "nort",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Él dijo que no habrá cambios.",
        "Ella llegó tarde a la reunión.",
        "Ellos votaron en contra del proyecto.",
        "Esto cambia todo para los migrantes.",
        "Sin embargo, el gobierno insistió.",
        "Además, la policía llegó al lugar.",
        "Por otro lado, nadie habló del tema.",
        "No obstante, hubo protestas en la capital.",
        "También se informó del caso a la fiscalía.",
        "Asimismo, el ministro pidió calma.",
        "De ellos, solo dos regresaron a casa.",
        "Para ello, el gobierno pidió fondos.",
        "En ese marco, el inspector habló.",
        "Afirmó además que no habrá cambios.",
        "Su siguiente paso fue presentar una denuncia.",
        "«Esto es grave», dijo el ministro.",
        "¿Y ahora qué pasará?",
        "Luego, todo cambió en la frontera.",
        "Ese día se realizará el debate.",
    ],
)
def test_spanish_openers_that_need_the_sentence_before(sentence: str) -> None:
    assert opens_dangling(sentence, "es")


@pytest.mark.parametrize(
    "sentence",
    [
        "El gobierno aprobó la ley el lunes.",
        "Este martes el presidente habló en Ginebra.",
        "Esta semana hubo lluvias en el norte.",
        "Desde este lunes rige la nueva medida.",
        "Estados Unidos anunció nuevas sanciones.",
        "Según el informe, la pobreza subió.",
        "Luego de la reunión, el ministro habló.",
        "Lo cierto es que nadie sabe qué pasará.",
    ],
)
def test_spanish_openers_that_stand_alone(sentence: str) -> None:
    assert not opens_dangling(sentence, "es")


def test_the_end_of_a_quotation_needs_its_start() -> None:
    assert continues_quotation("De manera que podamos darle visibilidad», explicó Makriniotis.")
    assert continues_quotation('Acá yo soy el Presidente de todos", señaló Boric.')
    assert not continues_quotation("«La idea es acercarnos a la gente», resaltó Makriniotis.")
    assert not continues_quotation('El plan "es malo", dijo el ministro.')


def test_a_quoted_phrase_does_not_make_a_statement_a_quote() -> None:
    assert not is_quote("El periodista advirtió que eso supondría “el fin de la humanidad”.")
    assert is_quote("“No descartaría el uso de armas nucleares”, alertó Murátov en Ginebra.")
    assert is_quote("El ministro fue claro: «No habrá más prórrogas para nadie este año».")
    assert is_quote("«Queremos contar las historias de nuestra audiencia», afirmó.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Lee también: Tras escándalo en la Policía, el MAS pide cambios",
        "Lea más: Juan Carlos Ortega propone legalizar la marihuana",
        "También puede leer: Tras escándalo en la Policía, jefe de bancada sugiere cambios",
        "Síguenos en Twitter para conocer las últimas noticias.",
        "Suscríbete a nuestro boletín y recibe las noticias del día.",
        "Publicado por Alberto González",
        "Por Agencia EFE",
        "(Con información de AFP, EFE y Reuters)",
        "Para leer sobre otros hechos en Medellín, clic AQUÍ.",
        "— Minuto30.com (@minuto30com) May 5, 2022",
        "9:00 a.m – Comuna 13 pic.twitter.com/9CYgKmoyXT",
        "Actualizado: 5 de mayo de 2022",
        "Publicidad",
    ],
)
def test_spanish_page_furniture(sentence: str) -> None:
    assert is_furniture(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Publicidad engañosa: la fiscalía investiga a tres empresas de telefonía.",
        "La Policía publicó la lista de detenidos el lunes.",
        "Por otro lado, los espacios de recarga son aquellos sin computadores.",
        "Se sugiere no hacer click en ningún enlace sin verificar su origen.",
    ],
)
def test_spanish_story_sentences_are_not_furniture(sentence: str) -> None:
    assert not is_furniture(sentence)


def test_photo_credits_make_a_caption() -> None:
    assert is_caption("Cristina Kirchner en el Congreso (Foto: Natacha Pisarenko/Pool).")
    assert is_caption("Foto: EFE")
    assert not is_caption("La foto del presidente recorrió las redes durante el lunes.")


def test_a_long_spanish_lead_can_be_picked() -> None:
    # 48 words: a run-on in English (limit 40), an ordinary lead in Spanish (limit 52).
    lead = (
        "El Gobierno de México anunció este lunes un nuevo plan migratorio para atender a los"
        " miles de migrantes que esperan en la frontera norte, con albergues, permisos de trabajo"
        " temporales, atención médica y un registro digital que, según la Secretaría de"
        " Gobernación, reducirá las esperas a la mitad."
    )
    sentences = [
        lead,
        "Los albergues de la frontera norte recibirán a los migrantes desde el mes próximo.",
        "La Secretaría de Gobernación abrirá el registro digital de migrantes en marzo.",
        "Los permisos de trabajo temporales durarán un año para los migrantes registrados.",
        "En Tijuana, el clima fue templado durante todo el fin de semana pasado.",
    ]
    assert rank_sentences(sentences, 1, lang="es") == [0]
    assert rank_sentences(sentences, 1, lang="en") != [0]


def test_headings_are_not_picked() -> None:
    sentences = split_sentences(
        "Tras el anuncio del paro armado, hubo temor en algunos barrios de Medellín.\n\n"
        "Reforzaron los policías en La Sierra\n\n"
        "La Policía reforzó la seguridad en La Sierra con más uniformados y drones.\n\n"
        "El coronel Galindo dijo que en La Sierra había normalidad en el transporte.",
        "es",
    )
    assert not is_terminated(sentences[1])
    for count in (1, 2, 3):
        assert 1 not in rank_sentences(sentences, count, lang="es", title="Policía en La Sierra")


def page_article(name: str) -> tuple[str, str | None, list[str]]:
    article = extract_article(gzip.decompress((FIXTURES / name).read_bytes()))
    assert article.lang == "es"
    return article.text, article.title, split_sentences(article.text, "es")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("count", [1, 3, 5])
def test_real_spanish_page_summaries(name: str, count: int) -> None:
    text, title, sentences = page_article(name)
    summary = summarize_text(text, title=title, count=count, lang="es")
    assert len(summary.sentences) == count
    indices = [sentences.index(sentence) for sentence in summary.sentences]  # verbatim
    assert indices == sorted(set(indices))  # in document order, no repeats
    for index, sentence in zip(indices, summary.sentences, strict=True):
        assert not is_furniture(sentence)
        assert is_terminated(sentence)  # no headings, list items or stray lines
        if opens_dangling(sentence, "es") or continues_quotation(sentence):
            assert index - 1 in indices, sentence  # never without its antecedent


def test_the_real_pages_hold_what_the_rules_must_skip() -> None:
    # The properties above are tested on pages that really have furniture, headings and
    # dangling openers, so they can fail.
    _, _, minuto30 = page_article(PAGES[0])
    _, _, elespectador = page_article(PAGES[1])
    assert "Para leer sobre otros hechos en Medellín, clic AQUÍ." in minuto30
    assert any(is_furniture(sentence) and "pic.twitter.com" in sentence for sentence in minuto30)
    assert "Reforzaron los policías en La Sierra" in minuto30
    assert any(sentence.startswith("Afirmó además") for sentence in minuto30)
    assert any(sentence.startswith("De ellos se estima") for sentence in elespectador)
    assert any(not is_terminated(sentence) for sentence in elespectador)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_summarizes_a_spanish_page(method: str) -> None:
    _, title, sentences = page_article(PAGES[1])
    picked = select_sentences(sentences, 3, method=method, lang="es", title=title)
    assert len(picked) == 3
    assert picked == sorted(set(picked))
    assert all(0 <= index < len(sentences) for index in picked)
