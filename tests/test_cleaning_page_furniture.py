"""Furniture rules written from the labelled set's tune pages, on lines shaped like theirs.

Each case is cleaned with ``clean_paragraphs`` (the function extraction and pasted text share),
with the article lines around it, so a rule that also ate article text would fail here.
"""

from __future__ import annotations

import pytest

from summarizers.cleaning import clean_paragraphs, is_furniture_line

BODY = [
    "The council approved the new budget on Tuesday after a four-hour debate in the chamber.",
    "The plan raises spending on schools by 4% and cuts the road repair fund by a tenth.",
    "Opposition members said the cuts would leave potholes unfilled for another winter.",
    "The mayor said the city would look again at the road fund in the spring review.",
]
CUERPO = [
    "El Congreso aprobó este martes el presupuesto tras un debate de cuatro horas en el recinto.",
    "El plan aumenta el gasto en escuelas un 4% y recorta el fondo de reparación de calles.",
    "La oposición dijo que los recortes dejarán los baches sin arreglar otro invierno más.",
    "El intendente afirmó que la ciudad revisará el fondo de calles en la revisión de otoño.",
]


def cleaned(lines: list[str], shares: list[float] | None = None) -> list[str]:
    return clean_paragraphs(lines, shares)


@pytest.mark.parametrize(
    "line",
    [
        "(Con información de AFP, EFE y Reuters)",
        "(With reporting from Reuters)",
        "Editor's note: This story was updated at 5:45 p.m. ET to include new details.",
        "Disclaimer: The views expressed by the experts quoted here are their own.",
        "Follow us on Twitter @example and on Facebook.",
        "Síguenos en Instagram y en Facebook",
        "Descarga la app para recibir las noticias",
        "Subscribe to the Morning Review newsletter",
        "You can also subscribe to this newsletter here.",
        "Miércoles, 04 de Mayo de 2022",
        "UPDATED: Tue., Nov. 19, 2019",
        "Jane Doe | Viernes 22 abril, 2022",
        "4:14 p.m.",
        "★★★★☆",
        "Related",
        "DS",
        "- VIDEO: The 20-second hand wash",
        "Te puede interesar: Otro titular de otra nota",
    ],
)
def test_a_furniture_line_among_article_text_goes_and_the_text_stays(line: str) -> None:
    body = (
        CUERPO if any(word in line for word in ("Con ", "Síguenos", "Descarga", "04 de")) else BODY
    )
    lines = [*body[:2], line, *body[2:]]
    assert cleaned(lines) == body


@pytest.mark.parametrize(
    "sentence",
    [
        "Recibe el Senado el informe del ministro sobre el canal de Panamá y su ampliación.",
        "Visita del presidente al canal de televisión estatal termina sin declaraciones.",
        "Read the full report, the agency said, before judging the app's privacy record.",
        "Like many apps, the service asks for the user's location before it shows results.",
        "The vote is set for May 5, 2022, the electoral board said in a statement on Monday.",
        "Smith, Jr. said the plan would work if the council found the money for it.",
    ],
)
def test_article_sentences_that_look_like_prompts_or_dates_stay(sentence: str) -> None:
    assert not is_furniture_line(sentence)
    lines = [*BODY[:2], sentence, *BODY[2:]]
    assert cleaned(lines) == lines


def test_labels_above_the_first_body_paragraph_go_sub_headings_below_it_stay() -> None:
    lines = ["La interna oficial", "Sin anestesia", *CUERPO[:2], "Ley de alquileres", *CUERPO[2:]]
    assert cleaned(lines) == [*CUERPO[:2], "Ley de alquileres", *CUERPO[2:]]


def test_bulleted_items_under_a_related_heading_go_and_the_article_goes_on() -> None:
    lines = [
        *CUERPO[:2],
        "Más sobre Política",
        "- El Café Diario: la convención vista desde el extranjero",
        "- Lo que tienes que saber este miércoles: aumentan las tomas",
        *CUERPO[2:],
    ]
    assert cleaned(lines) == CUERPO


def test_a_dangling_lead_in_and_a_lone_label_after_the_last_sentence_go() -> None:
    assert cleaned([*CUERPO, "Seguir leyendo:"]) == CUERPO
    assert cleaned([*BODY, "Página Digital"]) == BODY
    # several short lines after the text are a list or a fact box, and stay
    box = ["Origen Rusia", "Técnica Ransomware", "Recompensa $10 millones"]
    assert cleaned([*CUERPO, *box]) == [*CUERPO, *box]


def test_a_title_case_dateline_with_its_dash_is_cut_from_the_first_sentence() -> None:
    lines = ["Dekalb, Ill. — Mike Glass threw for three touchdowns on Tuesday night.", *BODY[1:]]
    assert cleaned(lines)[0] == "Mike Glass threw for three touchdowns on Tuesday night."


def test_a_feed_of_other_stories_below_the_article_ends_it() -> None:
    other = [
        "Bebé muere electrocutado al recostarse por una columna en su casa",
        "Un menor de dos años falleció anoche en su domicilio de Limpio tras tocar una columna "
        "conectada de forma clandestina, informaron los médicos del hospital regional.",
        "Tres imputados por secuestro exprés de un menor en San Pedro",
        "El fiscal imputó a los tres jóvenes que ayer perpetraron el secuestro de un joven de "
        "dieciséis años en la colonia rural, y pidió la prisión preventiva de los detenidos.",
    ]
    article = [
        *CUERPO,
        "Los concejales votaron divididos: doce a favor, nueve en contra y dos abstenciones.",
        "Según la tesorería municipal, las cuentas cerrarán el año con un superávit modesto.",
        "Vecinos de tres barrios reclamaron más luminarias y veredas nuevas durante la sesión.",
        "Los gremios comerciales pidieron rebajar las tasas de habilitación para pequeños locales.",
    ]
    lines = [*article, *other]
    shares = [0.0] * len(article) + [1.0, 0.0, 1.0, 0.0]
    assert cleaned(lines, shares) == article
    # under a lead paragraph alone, the article's own next paragraphs bring new words too
    assert cleaned([CUERPO[0], *other], [0.0, 1.0, 0.0, 1.0, 0.0]) == [CUERPO[0], *other[1::2]]


def test_a_date_sub_heading_in_the_second_half_does_not_end_the_article() -> None:
    lines = [*CUERPO, "Reforzaron la vigilancia en el barrio", "Viernes 6 de Mayo", *CUERPO[:2]]
    assert cleaned(lines)[-2:] == CUERPO[:2]


def test_headline_links_inside_an_article_that_goes_on_about_the_same_thing_stay() -> None:
    lines = [
        *BODY[:2],
        "Council members trade barbs over the road repair fund",
        "Opposition members said the budget cuts to the road repair fund would leave the city "
        "with potholes for another winter, and the mayor said the council would look again.",
        "Mayor promises a spring review of the budget",
        "The mayor said the spring review of the budget would include the schools spending and "
        "the road repair fund, which the council cut by a tenth on Tuesday.",
    ]
    shares = [0.0, 0.0, 1.0, 0.0, 1.0, 0.0]
    assert cleaned(lines, shares) == [*BODY[:2], lines[3], lines[5]]
