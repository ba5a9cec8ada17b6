"""Spanish key figures: two real news pages end to end, and the rules phrase by phrase."""

from __future__ import annotations

import gzip
import math
import re
from functools import cache
from pathlib import Path

import pytest

from bot.models import Article
from bot.web.extract import extract_article
from summarizers.figures.extract import extract_figures
from summarizers.figures.reading.numbers import find_numbers, parse_number
from summarizers.figures.reading.style import NumberStyle, document_style
from summarizers.pipeline import summarize_text
from summarizers.types import KeyFigure

FIXTURES = Path(__file__).parent / "fixtures"
AMBITO = FIXTURES / "figures" / "ambito.com-paritarias.html.gz"
NICARAGUA = FIXTURES / "figures" / "100noticias.com-millones.html.gz"


@cache
def article(path: Path) -> Article:
    return extract_article(gzip.decompress(path.read_bytes()), url="https://example.com/a")


def by_surface(figures: tuple[KeyFigure, ...] | list[KeyFigure]) -> dict[str, KeyFigure]:
    return {figure.surface: figure for figure in figures}


# Ámbito (Buenos Aires, 4 May 2022): food-industry unions, wages and April inflation. Read by
# hand: (surface, value, unit, qualifier, a word the counted phrase must hold, period).
AMBITO_FIGURES = [
    ("80 mil", 80_000, None, "cerca de", "operarios", None),
    ("60 por ciento", 60, "%", None, "suba", "por año"),  # "una suba salarial anual de 60 %"
    ("87 mil pesos", 87_000, "ARS", None, "salarios", None),  # an Argentine paper's pesos
    ("60%", 60, "%", None, "aumento", None),  # "El sindicato reclama 60% de aumento."
    ("5,3 por ciento", 5.3, "%", None, "inflación", "de abril"),
    ("52,7%", 52.7, "%", None, "paritaria", "el año pasado"),
    ("55 por ciento", 55, "%", None, None, "el año pasado"),
    ("48 por ciento", 48, "%", None, "aumento", None),
    ("6,7%", 6.7, "%", None, None, "de marzo"),
    ("dos puntos porcentuales", 2, "%", "hasta", None, None),
    ("17", 17, None, None, "gremios", None),
    ("6,13 por ciento", 6.13, "%", None, None, None),
    ("5,96%", 5.96, "%", None, None, None),
]


def test_ambito_article_is_spanish_and_summarised_from_its_own_sentences() -> None:
    page = article(AMBITO)
    assert page.lang == "es"
    assert page.title and page.title.startswith("Paritarias al rojo")
    summary = summarize_text(page.text, title=page.title, lang=page.lang)
    assert summary.lang == "es" and len(summary.sentences) == 3
    assert all(sentence in page.text for sentence in summary.sentences)
    everything = summarize_text(page.text, title=page.title, lang="es", max_figures=None)
    assert summary.figures == everything.figures[:8]  # the eight most important


@pytest.mark.parametrize(
    ("surface", "value", "unit", "qualifier", "head", "period"), AMBITO_FIGURES
)
def test_ambito_figures_checked_by_hand(
    surface: str,
    value: float,
    unit: str | None,
    qualifier: str | None,
    head: str | None,
    period: str | None,
) -> None:
    page = article(AMBITO)
    figures = by_surface(summarize_text(page.text, lang="es", max_figures=None).figures)
    figure = figures[surface]
    assert math.isclose(figure.value, value)
    assert (figure.unit, figure.qualifier, figure.period) == (unit, qualifier, period)
    if head is None:
        assert figure.counted is None or len(figure.counted.split()) <= 4
    else:
        assert head in (figure.counted or "").split()
    assert figure.surface in figure.sentence and figure.sentence in page.text


def test_ambito_has_each_figure_once_and_nothing_else() -> None:
    page = article(AMBITO)
    figures = summarize_text(page.text, lang="es", max_figures=None).figures
    assert sorted(f.surface for f in figures) == sorted(s for s, *_ in AMBITO_FIGURES)
    inflation = [f for f in figures if f.value == 5.3]
    assert len(inflation) == 1  # stated twice (CASIA's April measure), merged
    assert figures[0].surface == "80 mil"  # a count of people, near the top, with its qualifier


def test_nicaragua_debt_article_money_percentages_and_years() -> None:
    page = article(NICARAGUA)  # EFE via 100% Noticias: Nicaragua's external debt in 2021
    assert page.lang == "es"
    figures = by_surface(summarize_text(page.text, lang="es", max_figures=None).figures)
    debt = figures["14.372,4 millones de dólares"]
    assert (debt.value, debt.unit, debt.counted) == (14_372_400_000, "USD", "deuda externa total")
    disbursed = figures["2.662,7 millones de dólares"]
    assert (disbursed.counted, disbursed.period) == ("desembolsos", "en 2021")
    assert figures["884,3 millones de dólares"].value == 884_300_000
    assert figures["849,1 millones"].counted == "deuda externa pública"
    assert figures["102,6 %"].value == 102.6 and figures["102,6 %"].unit == "%"
    assert figures["1.162 millones de dólares"].value == 1_162_000_000
    # "cerró 2021", "respecto a 2020", "este martes": years and days are not figures
    assert not {2020, 2021} & {f.value for f in figures.values()}
    assert all(re.search(r"\d|por ciento", s) for s in figures)


@pytest.mark.parametrize(
    ("sentence", "surface", "value", "qualifier", "counted", "period", "unit"),
    [
        ("Unas 10.000 personas cruzan la frontera al día.", "10.000", 10_000, "unas",
         "personas", "por día", None),
        ("La cifra llegó a 1,5 millones en el año fiscal 2023.", "1,5 millones", 1_500_000,
         None, "cifra", "en el año fiscal 2023", None),
        ("Dos millones de personas fueron detenidas.", "Dos millones", 2_000_000, None,
         "personas", None, None),
        ("2 millones de personas cruzaron en el año fiscal 2023.", "2 millones", 2_000_000,
         None, "personas", "en el año fiscal 2023", None),
        ("Hubo más de 190.000 detenciones en noviembre.", "190.000", 190_000, "más de",
         "detenciones", "en noviembre", None),
        ("Al menos 7.000 migrantes hondureños viajan en la caravana.", "7.000", 7_000,
         "al menos", "migrantes hondureños", None, None),
        ("Una caravana de unos 7.000 migrantes salió de Tapachula.", "7.000", 7_000, "unos",
         "migrantes en la caravana", None, None),
        ("Caminaron unos 1.600 kilómetros de frontera.", "1.600", 1_600, "unos",
         "kilómetros de frontera", None, "km"),
        ("El desempleo subió un 15 % en lo que va del año.", "15 %", 15, None, "desempleo",
         "en lo que va del año", "%"),
        ("El gobierno invertirá $5.000 millones de pesos en el muro.",
         "$5.000 millones de pesos", 5e9, None, None, None, "MXN"),
        ("La ayuda será de US$ 300 millones.", "US$ 300 millones", 3e8, None, "ayuda", None,
         "USD"),
        ("El plan costará 20 millones de dólares.", "20 millones de dólares", 2e7, None, None,
         None, "USD"),
        ("Menos de 500 solicitudes de asilo fueron aprobadas la semana pasada.", "500", 500,
         "menos de", "solicitudes de asilo", "la semana pasada", None),
        ("Por lo menos 40 personas murieron.", "40", 40, "por lo menos", "personas", None, None),
        ("Alrededor de 2.000 migrantes llegan diariamente.", "2.000", 2_000, "alrededor de",
         "migrantes", "por día", None),
        ("Cerca de 80 mil operarios trabajan en el sector.", "80 mil", 80_000, "cerca de",
         "operarios", None, None),
        ("Casi 300 niños no acompañados fueron rescatados.", "300", 300, "casi",
         "niños no acompañados", None, None),
        ("Hasta 5.000 agentes fueron desplegados.", "5.000", 5_000, "hasta", "agentes", None,
         None),
        ("Aproximadamente 12 % de los votos.", "12 %", 12, "aproximadamente", "votos", None,
         "%"),
        ("Poco más de 3.000 personas asistieron.", "3.000", 3_000, "poco más de", "personas",
         None, None),
        ("Las detenciones superaron las 250.000 en diciembre.", "250.000", 250_000, "más de",
         "detenciones", "en diciembre", None),
        ("Los cruces superaron los 8.000 diarios.", "8.000", 8_000, "más de", "cruces",
         "por día", None),
        ("Se registraron 8.000 cruces diarios.", "8.000", 8_000, None, "cruces", "por día",
         None),
        ("En 2024 se deportaron 20.000 personas.", "20.000", 20_000, None, "personas",
         "En 2024", None),
        ("La inflación de abril fue de 5,3 por ciento.", "5,3 por ciento", 5.3, None,
         "inflación", "de abril", "%"),
        ("Los salarios de arranque son de 87 mil pesos.", "87 mil pesos", 87_000, None,
         "salarios de arranque", None, "MXN"),
        ("Llegaron 10.000 o más migrantes el año pasado.", "10.000", 10_000, "al menos",
         "migrantes", "el año pasado", None),
    ],
)  # fmt: skip
def test_spanish_phrases(
    sentence: str,
    surface: str,
    value: float,
    qualifier: str | None,
    counted: str | None,
    period: str | None,
    unit: str | None,
) -> None:
    figure = by_surface(extract_figures([sentence], "es"))[surface]
    assert math.isclose(figure.value, value)
    assert (figure.qualifier, figure.counted, figure.period, figure.unit) == (
        qualifier,
        counted,
        period,
        unit,
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "El 5 de diciembre de 2023 llegó la caravana a las 7:30.",
        "En 2024 y desde 2020 la situación cambió.",
        "Llame al 55 1234 5678 o al +52 55 1234 5678, o al (55) 1234-5678.",
        "El Artículo 27 y el Título 42 marcaron el Siglo XXI, como la COVID-19 y el G20.",
        "Desde la década de los noventa y los años 80 no se veía algo así.",
        "Fue el segundo viaje y la tercera vez; un acuerdo, una media y uno de ellos.",
        "La reunión es a las 19.30 h en la Zona 10 y la Comuna 13.",
    ],
)
def test_no_figures_in_spanish_dates_times_phones_and_names(sentence: str) -> None:
    assert extract_figures([sentence], "es") == []


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("1.000", "es", 1_000),
        ("1,5", "es", 1.5),
        ("1.000,5", "es", 1_000.5),
        ("1,000", "en", 1_000),
        ("1.5", "en", 1.5),
        ("1,000.5", "en", 1_000.5),
        ("1.234.567", "en", 1_234_567),  # only one convention writes two dot groups
        ("1,234,567", "es", 1_234_567),
        # One number alone cannot tell: the language decides.
        ("1.000", "en", 1.0),
        ("1,000", "es", 1.0),
    ],
)
def test_separators_are_read_by_language(text: str, lang: str, value: float) -> None:
    assert parse_number(text, lang) == pytest.approx(value)
    (mention,) = find_numbers(text, lang)
    assert mention.surface == text


def test_an_explicit_style_overrides_the_language() -> None:
    assert parse_number("1,000", "es", NumberStyle(decimal_mark=".")) == 1_000
    assert parse_number("1.000", "en", NumberStyle(decimal_mark=",")) == 1_000
    assert parse_number("1,5", "en", NumberStyle(decimal_mark=",")) == 1.5


def test_a_us_spanish_article_writing_anglo_numbers_is_read_its_way() -> None:
    sentences = [
        "La tasa de desempleo fue del 3.2 por ciento en marzo.",  # a decimal point: anglo
        "No hay viviendas en venta por menos de $150,000.",
        "El condado tiene 222,125 negocios.",
    ]
    figures = by_surface(extract_figures(sentences, "es"))
    assert figures["3.2 por ciento"].value == 3.2
    assert figures["$150,000"].value == 150_000
    assert figures["222,125"].value == 222_125
    # Alone, too: with no evidence either way, three digits after the comma group thousands
    # (issue 10: "13,762 internos" is 13762 prisoners, not 13.762).
    assert by_surface(extract_figures(sentences[2:], "es"))["222,125"].value == 222_125


def test_spanish_evidence_keeps_spanish_reading_and_conflicts_fall_back_to_language() -> None:
    spanish = ["La inflación fue de 5,3 %.", "Pesaba 1,250 kilos."]
    assert by_surface(extract_figures(spanish, "es"))["1,250"].value == 1.25
    mixed = ["La inflación fue de 5,3 %.", "Hay 1,000 personas y 2.500 migrantes."]
    figures = by_surface(extract_figures(mixed, "es"))
    assert figures["2.500"].value == 2_500  # evidence both ways: Spanish rules
    english = ["About 1.000 people came.", "Another 2.000 people left."]
    assert {f.value for f in extract_figures(english, "en")} == {1_000, 2_000}


def test_bare_dollar_sign_in_spanish_is_read_from_the_article() -> None:
    pesos = ["El programa entrega $5.000 al mes.", "El apoyo se paga en pesos mexicanos."]
    assert extract_figures(pesos, "es")[0].unit == "MXN"
    dollars = ["La multa fue de $5.000.", "La cifra se paga en dólares."]
    assert extract_figures(dollars, "es")[0].unit == "USD"
    argentine = ["En Buenos Aires, el salario es de 87 mil pesos.", "Lo midió el Indec."]
    assert extract_figures(argentine, "es")[0].unit == "ARS"
    stated = ["Costó 30 dólares canadienses y 200 pesos argentinos."]
    assert {f.unit for f in extract_figures(stated, "es")} == {"CAD", "ARS"}


def test_document_style_reads_raw_text_but_not_times_or_names() -> None:
    assert document_style(["Llegan a las 7.30 h con $150,000."], "es").decimal_mark == "."
    assert document_style(["Usa Windows 3.1 y pesa 1,25 kilos."], "es").decimal_mark == ","
    assert document_style(["Subió 3.2 por ciento: 1,250 kilos."], "es").decimal_mark == "."
    assert document_style(["It weighs 1.250 kg, up 5,3 %."], "en").decimal_mark == ","
    assert document_style(["In Manila, 500 pesos."], "es").peso == "PHP"
