"""Per-language word lists for the number parser: numerals, scales, ordinals, units, months."""

from __future__ import annotations

from dataclasses import dataclass


def _numbered(words: str, start: int = 0, step: int = 1) -> dict[str, float]:
    """``"one two three"`` -> {"one": 1, "two": 2, "three": 3}; "/" separates spellings."""
    table: dict[str, float] = {}
    for index, group in enumerate(words.split()):
        for spelling in group.split("/"):
            table[spelling] = float(start + index * step)
    return table


# The only non-ASCII characters that re.IGNORECASE matches to ASCII letters (checked over all
# of Unicode); "İ".lower() is two characters, so these are mapped before lower-casing.
_IGNORECASE_LOOKALIKES = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "K": "k"})
_LOOKALIKE_CHARS = "İıſK"


def fold_case(text: str) -> str:
    """``text`` in lower case as re.IGNORECASE compares letters ("ſIX" -> "six"), same length.

    Words a case-insensitive regex matched are looked up in the tables with it; and a word in
    lower case that is not ``in fold_case(text)`` cannot match such a regex in ``text``: a quick
    test that lets a long regex be skipped.
    """
    if text.isascii() or not any(char in text for char in _LOOKALIKE_CHARS):
        return text.lower()  # a str.translate over every character is slow: only when needed
    return text.translate(_IGNORECASE_LOOKALIKES).lower()


def set_of(words: str) -> frozenset[str]:
    """``"a b c"`` -> frozenset({"a", "b", "c"}): word lists stay readable in the source."""
    return frozenset(words.split())


@dataclass(frozen=True, slots=True)
class NumberLexicon:
    """Everything language-specific the parser needs, as plain tables."""

    cardinals: dict[str, float]  # values below 1,000 that add up: "twenty", "three", "cien"
    hundred: frozenset[str]  # multiplies what came before by 100 ("hundred")
    scales: dict[str, float]  # multiply the group before them: thousand, million, "mil"
    dozen: frozenset[str]
    half: frozenset[str]  # "half", "medio": adds 0.5 (of the last scale when it follows one)
    articles: frozenset[str]  # "a", "an": mean 1 before a scale, "a dozen"
    joiners: frozenset[str]  # "and", "y": allowed inside a spelled number
    ordinals: dict[str, float]
    denominators: dict[str, float]  # "two thirds" -> 2/3, "un cuarto" -> 1/4
    numerators: frozenset[str]  # words that may stand before a denominator: "a", "two", "tres"
    digit_ordinal_suffix: str  # regex of suffixes after digits: 1st, 2nd / 1ro, 2da, 3er
    vague: tuple[tuple[str, float], ...]  # regex -> value, "tens of thousands" -> 10,000
    percent: str  # regex of percent words after a number
    months: str  # regex of month names (dates)
    currency_words: dict[str, str]  # word after a number -> ISO code
    thousands_separator: str
    decimal_separator: str


_EN_ORDINALS = _numbered(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
    " thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
) | _numbered(
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth", 20, 10
)
_EN_ORDINALS |= {"hundredth": 100.0, "thousandth": 1e3, "millionth": 1e6, "billionth": 1e9}
_EN_ORDINALS |= {"trillionth": 1e12}
_MULTIPLIERS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")  # -fold


def _spanish_forms(masculine: str) -> list[str]:
    """ "décimo" -> décimo, décima, décimos, décimas and the same without the accent."""
    forms = [masculine, f"{masculine[:-1]}a", f"{masculine}s", f"{masculine[:-1]}as"]
    plain = masculine.translate(str.maketrans("áéíóú", "aeiou"))
    return forms + [form.translate(str.maketrans("áéíóú", "aeiou")) for form in forms] * (
        plain != masculine
    )


_ES_ORDINAL_STEMS = (
    (1, "primero"), (2, "segundo"), (3, "tercero"), (4, "cuarto"), (5, "quinto"), (6, "sexto"),
    (7, "séptimo"), (8, "octavo"), (9, "noveno"), (10, "décimo"), (11, "undécimo"),
    (12, "duodécimo"), (20, "vigésimo"), (30, "trigésimo"), (40, "cuadragésimo"),
    (50, "quincuagésimo"), (60, "sexagésimo"), (70, "septuagésimo"), (80, "octogésimo"),
    (90, "nonagésimo"), (100, "centésimo"), (200, "ducentésimo"), (300, "tricentésimo"),
    (400, "cuadringentésimo"), (500, "quingentésimo"), (600, "sexcentésimo"),
    (600, "seiscentésimo"), (700, "septingentésimo"), (800, "octingentésimo"),
    (900, "noningentésimo"), (1000, "milésimo"), (1e6, "millonésimo"), (1e9, "milmillonésimo"),
    (1e12, "billonésimo"),
)  # fmt: skip
_ES_ORDINALS = {
    form: float(value) for value, stem in _ES_ORDINAL_STEMS for form in _spanish_forms(stem)
}
_ES_ORDINALS |= {"primer": 1.0, "tercer": 3.0, "setimo": 7.0, "sétimo": 7.0}
# Ordinals that also divide: "un centésimo" is 1/100, "dos millonésimas" 2/1,000,000; and
# cardinal + "avo": "un veintiunavo" is 1/21, "tres doscientosavos" 3/200.
_ES_FRACTION_ORDINALS = {w: v for w, v in _ES_ORDINALS.items() if v >= 10 and w[:3] != "dec"}


def _avos(cardinals: dict[str, float]) -> dict[str, float]:
    table: dict[str, float] = {}
    for word, value in cardinals.items():
        if value < 2:
            continue
        stem = word[:-1] if word.endswith("a") else word  # "treinta" -> "treintavo"
        for ending in ("avo", "ava", "avos", "avas"):
            table[stem + ending] = value
    return table


_CURRENCY_WORDS_EN = {
    "dollars": "USD", "dollar": "USD", "usd": "USD", "euros": "EUR", "euro": "EUR",
    "eur": "EUR", "pounds sterling": "GBP", "sterling": "GBP", "gbp": "GBP", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "pesos": "MXN", "peso": "MXN", "rupees": "INR",
    "rupee": "INR", "francs": "CHF", "swiss francs": "CHF", "roubles": "RUB", "rubles": "RUB",
    "cents": "USD cent", "cent": "USD cent", "pence": "GBP pence", "btc": "BTC",
    "bitcoin": "BTC", "bitcoins": "BTC",
}  # fmt: skip
_CURRENCY_WORDS_ES = {
    "dólares": "USD", "dolares": "USD", "dólar": "USD", "dolar": "USD", "usd": "USD",
    "euros": "EUR", "euro": "EUR", "eur": "EUR", "pesos": "MXN", "peso": "MXN",
    "libras esterlinas": "GBP", "yenes": "JPY", "yuanes": "CNY", "centavos": "USD cent",
    "centavo": "USD cent", "céntimos": "EUR cent", "centimos": "EUR cent", "bolívares": "VES",
    "bolivares": "VES", "soles": "PEN",
    "quetzales": "GTQ", "lempiras": "HNL", "btc": "BTC",
}  # fmt: skip

EN = NumberLexicon(
    cardinals=_numbered(
        "zero/nought/naught one two three four five six seven eight nine ten eleven twelve"
        " thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
    )
    | _numbered("twenty thirty forty fifty sixty seventy eighty ninety", 20, 10),
    hundred=frozenset({"hundred", "hundreds"}),
    scales={
        "thousand": 1e3,
        "million": 1e6,
        "billion": 1e9,
        "trillion": 1e12,
        "lakh": 1e5,
        "crore": 1e7,
        "millions": 1e6,
        "billions": 1e9,
        "thousands": 1e3,
    },
    dozen=frozenset({"dozen", "dozens", "dz", "dzs", "dozs"}),
    half=frozenset({"half"}),
    articles=frozenset({"a", "an"}),
    joiners=frozenset({"and"}),
    ordinals=_EN_ORDINALS,
    denominators=_numbered(
        "halves/half thirds/third quarters/quarter fifths/fifth sixths/sixth sevenths/seventh"
        " eighths/eighth ninths/ninth tenths/tenth",
        2,
    )
    | {f"{w}{s}": v for w, v in _EN_ORDINALS.items() if v >= 100 for s in ("", "s")},
    numerators=set_of("a an one two three four five six seven eight nine ten"),
    digit_ordinal_suffix=r"(?:st|nd|rd|th)",
    vague=(
        (r"tens\s+of\s+thousands", 1e4),
        (r"hundreds\s+of\s+thousands", 1e5),
        (r"tens\s+of\s+millions", 1e7),
        (r"hundreds\s+of\s+millions", 1e8),
        (r"(?:dozens|scores)(?=\s+of\b)", 12.0),
        (r"hundreds(?=\s+of\b)", 100.0),
        (r"thousands(?=\s+of\b)", 1e3),
        (r"millions(?=\s+of\b)", 1e6),
        (r"billions(?=\s+of\b)", 1e9),
        # multipliers: "rose threefold"
        *((rf"{word}fold(?=\W|\Z)", float(n)) for n, word in enumerate(_MULTIPLIERS, 2)),
    ),
    percent=r"(?:\s?%|\s*(?:per\s?cent|percent|percentage\s+points?|pc)\b)",
    months=r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)",
    currency_words=_CURRENCY_WORDS_EN,
    thousands_separator=",",
    decimal_separator=".",
)

_ES_CARDINALS = (
    _numbered(
        "cero uno/un/una dos tres cuatro cinco seis siete ocho nueve diez once doce trece"
        " catorce quince dieciseis/dieciséis diecisiete dieciocho diecinueve veinte"
        " veintiuno/veintiún/veintiun/veintiuna veintidos/veintidós veintitres/veintitrés"
        " veinticuatro veinticinco veintiseis/veintiséis veintisiete veintiocho veintinueve"
    )
    | _numbered("treinta cuarenta cincuenta sesenta setenta ochenta noventa", 30, 10)
    | _numbered(
        "cien/ciento doscientos/doscientas trescientos/trescientas cuatrocientos/cuatrocientas"
        " quinientos/quinientas seiscientos/seiscientas setecientos/setecientas"
        " ochocientos/ochocientas novecientos/novecientas",
        100,
        100,
    )
)

ES = NumberLexicon(
    cardinals=_ES_CARDINALS,
    hundred=frozenset({"cientos"}),
    scales={
        "mil": 1e3,
        "millón": 1e6,
        "millon": 1e6,
        "millones": 1e6,
        "millardo": 1e9,
        "millardos": 1e9,
        "billón": 1e12,
        "billon": 1e12,
        "billones": 1e12,
    },
    dozen=frozenset({"docena", "docenas", "dz", "dzs", "dozs"}),
    half=frozenset({"medio", "media"}),
    articles=frozenset(),
    joiners=frozenset({"y"}),
    ordinals=_ES_ORDINALS,
    denominators=_numbered(
        "medios/medio tercios/tercio cuartos/cuarto quintos/quinto/quintas/quinta sextos/sexto"
        " séptimos/séptimo/septimos/septimo octavos/octavo novenos/noveno"
        " décimos/décimo/decimos/decimo/décimas/décima/decimas/decima",
        2,
    )
    | _ES_FRACTION_ORDINALS
    | _avos(_ES_CARDINALS),
    numerators=set_of("un una uno dos tres cuatro cinco seis siete ocho nueve diez"),
    digit_ordinal_suffix=r"(?:º|ª|°|ro|ra|do|da|er|era|to|ta|vo|va|mo|ma|no|na)",
    vague=(
        (r"decenas\s+de\s+miles", 1e4),
        (r"cientos\s+de\s+miles", 1e5),
        (r"decenas\s+de\s+millones", 1e7),
        (r"cientos\s+de\s+millones", 1e8),
        (r"decenas(?=\s+de\b)", 10.0),
        (r"docenas(?=\s+de\b)", 12.0),
        (r"cientos(?=\s+de\b)", 100.0),
        (r"miles(?=\s+de\b)", 1e3),
        (r"millones(?=\s+de\b)", 1e6),
    ),
    percent=r"(?:\s?%|\s*(?:por\s+ciento|por\s+cien|puntos\s+porcentuales)\b)",
    months=r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
    r"|noviembre|diciembre)",
    currency_words=_CURRENCY_WORDS_ES,
    thousands_separator=".",
    decimal_separator=",",
)

LEXICONS = {"en": EN, "es": ES}


def lexicon(lang: str) -> NumberLexicon:
    """The lexicon for ``lang`` ("es-MX" -> "es"); English when the language is unknown."""
    return LEXICONS.get(lang.lower()[:2], EN)


# Symbols and codes before a number -> ISO currency code.
CURRENCY_PREFIXES = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "usd": "USD", "c$": "CAD", "ca$": "CAD",
    "cad$": "CAD", "cad": "CAD", "a$": "AUD", "au$": "AUD", "aud": "AUD", "nz$": "NZD",
    "hk$": "HKD", "mx$": "MXN", "r$": "BRL", "£": "GBP", "gbp": "GBP", "€": "EUR", "eur": "EUR",
    "¥": "JPY", "jpy": "JPY", "cny": "CNY", "rmb": "CNY", "₹": "INR", "inr": "INR", "rs": "INR",
    "₽": "RUB", "₩": "KRW", "chf": "CHF", "mxn": "MXN",
    # Latin American currencies written before the amount: quetzal, sol, boliviano, colón, peso
    "q": "GTQ", "s/": "PEN", "s/.": "PEN", "bs": "BOB", "bs.": "BOB", "₡": "CRC", "rd$": "DOP",
}  # fmt: skip

# Unit words after a number -> short unit name. Time spans (hours, days) are left as counts.
MEASURE_UNITS = {
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "kilómetros": "km", "kilometros": "km", "miles": "mi", "mile": "mi", "millas": "mi",
    "milla": "mi", "metres": "m", "meters": "m", "metre": "m", "meter": "m", "metros": "m",
    "cm": "cm", "centimetres": "cm", "centimeters": "cm", "centímetros": "cm", "mm": "mm",
    "millimetres": "mm", "millimeters": "mm", "milímetros": "mm", "feet": "ft", "foot": "ft",
    "ft": "ft", "pies": "ft", "inches": "in", "inch": "in", "pulgadas": "in", "yards": "yd",
    "kg": "kg", "kilograms": "kg", "kilogrammes": "kg", "kilos": "kg", "kilogramos": "kg",
    "grams": "g", "gramos": "g", "mg": "mg", "milligrams": "mg", "lbs": "lb", "lb": "lb",
    "tonnes": "t", "tons": "t", "ton": "t", "tonne": "t", "toneladas": "t", "metric tons": "t",
    "toneladas métricas": "t", "litres": "l", "liters": "l", "litros": "l", "ml": "ml",
    "gallons": "gal", "galones": "gal", "barrels": "bbl", "barriles": "bbl", "acres": "acre",
    "hectares": "ha", "hectáreas": "ha", "hectareas": "ha", "square kilometres": "km2",
    "square kilometers": "km2", "sq km": "km2", "km2": "km2", "km²": "km2",
    "kilómetros cuadrados": "km2", "square miles": "mi2", "sq mi": "mi2",
    "square metres": "m2", "square meters": "m2", "metros cuadrados": "m2", "m2": "m2",
    "mph": "mph", "km/h": "km/h", "kph": "km/h", "degrees": "°", "grados": "°", "°c": "°C",
    "°f": "°F", "ounces": "oz", "onzas": "oz", "oz": "oz", "gb": "GB", "mb": "MB", "tb": "TB",
    "mw": "MW", "gw": "GW", "kwh": "kWh", "twh": "TWh", "bits": "bit", "bytes": "byte",
}  # fmt: skip
