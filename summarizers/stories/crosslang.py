"""Language-neutral evidence of an article's event: named entities (aliased en/es) and numbers.

Two reports of one event in English and Spanish share almost no words, but they name the same
people, places and agencies and give the same figures. ``entity_terms`` turns a text into
'@name' terms that are equal across the two languages:

- country names in both languages come from pycountry's ISO 3166 names and their Spanish
  translations ("Germany"/"Alemania" -> @de); a small table adds what pycountry lacks: short
  and colloquial forms (US, EE.UU., EU in Spanish, Britain), regions, cities and agencies whose
  names differ (Border Patrol / Patrulla Fronteriza -> @border-patrol, INM, CBP, ...) and
  demonyms (Mexican / mexicana -> @mx), which Spanish writes in lower case;
- any other capitalised word inside a sentence is a name, accents folded ('López' = 'Lopez'),
  except the words English capitalises and Spanish does not (months, weekdays, titles).

Numbers are compared by value ("190,000" = "190.000"), see ``textsim.number_terms``.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from functools import lru_cache

import pycountry

from summarizers.stories.textsim import LEAD_WORDS, fold_accents, lead, name_terms, number_terms

# Each canonical entity with the ways English and Spanish news write it. Phrases match whole
# words, case-insensitively once accents are folded; the short forms in ``_EXACT`` match only
# as written ("US" is not "us", "EU" is the United States only in Spanish).
_ALIASES: dict[str, tuple[str, ...]] = {
    "us": ("United States", "Estados Unidos", "U.S.", "U.S.A.", "EE.UU.", "EE. UU.", "EEUU"),
    "gb": ("United Kingdom", "Reino Unido", "Great Britain", "Gran Bretana", "Britain"),
    "england": ("England", "Inglaterra"),
    "ru": ("Russia", "Rusia"),  # countries pycountry names otherwise ("Russian Federation")
    "tr": ("Turkey", "Turquia"),
    "kp": ("North Korea", "Corea del Norte"),
    "ps": ("Palestine", "Palestina"),
    "nl": ("Holland", "Holanda", "Paises Bajos"),
    "ci": ("Ivory Coast", "Costa de Marfil"),
    "cz": ("Czech Republic", "Republica Checa"),
    "eu": ("European Union", "Union Europea"),
    "un": ("United Nations", "Naciones Unidas"),
    "europe": ("Europe", "Europa"),
    "central-america": ("Central America", "Centroamerica", "America Central"),
    "latin-america": ("Latin America", "Latinoamerica", "America Latina"),
    "north-africa": ("North Africa", "norte de Africa"),
    "middle-east": ("Middle East", "Oriente Medio", "Oriente Proximo"),
    "mediterranean": ("Mediterranean", "Mediterraneo"),
    "mexico-city": ("Mexico City", "Ciudad de Mexico", "CDMX"),
    "new-york": ("New York", "Nueva York"),
    "new-mexico": ("New Mexico", "Nuevo Mexico"),
    "rio-grande": ("Rio Grande", "rio Bravo"),
    "london": ("London", "Londres"),
    "athens": ("Athens", "Atenas"),
    "rome": ("Rome", "Roma"),
    "sicily": ("Sicily", "Sicilia"),
    "white-house": ("White House", "Casa Blanca"),
    "state-department": ("State Department", "Departamento de Estado"),
    "secretary-of-state": ("Secretary of State", "secretario de Estado", "secretaria de Estado"),
    "border-patrol": ("Border Patrol", "Patrulla Fronteriza"),
    "cbp": ("Customs and Border Protection", "Oficina de Aduanas y Proteccion Fronteriza"),
    "ice": ("Immigration and Customs Enforcement", "Servicio de Inmigracion y Control de Aduanas"),
    "dhs": ("Department of Homeland Security", "Departamento de Seguridad Nacional"),
    "inm": ("National Migration Institute", "Instituto Nacional de Migracion"),
    "comar": (
        "Mexican Commission for Refugee Assistance",
        "Comision Mexicana de Ayuda a Refugiados",
    ),
    "national-guard": ("National Guard", "Guardia Nacional"),
    "coast-guard": ("Coast Guard", "Guardia Costera"),
    "iom": (
        "International Organization for Migration",
        "Organizacion Internacional para las Migraciones",
    ),
    "unhcr": ("UN refugee agency", "Alto Comisionado de las Naciones Unidas para los Refugiados"),
    "red-cross": ("Red Cross", "Cruz Roja"),
    "supreme-court": ("Supreme Court", "Corte Suprema", "Tribunal Supremo"),
    "olympics": ("Olympic Games", "Olympics", "Juegos Olimpicos"),
    "opec": (
        "Organization of the Petroleum Exporting Countries",
        "Organizacion de Paises Exportadores de Petroleo",
    ),
}
# Acronyms and short forms: matched case-sensitively, per language.
_EXACT: dict[str, dict[str, str]] = {
    "en": {
        "US": "us",
        "USA": "us",
        "UK": "gb",
        "EU": "eu",
        "UN": "un",
        "UNHCR": "unhcr",
        "IOM": "iom",
        "OPEC": "opec",
        "Opec": "opec",
    },
    "es": {"EU": "us", "UE": "eu", "ONU": "un", "ACNUR": "unhcr", "OIM": "iom", "OPEP": "opec"},
    "": {"CBP": "cbp", "ICE": "ice", "DHS": "dhs", "INM": "inm", "COMAR": "comar"},
}
# Demonyms: English capitalises them, Spanish does not ("Mexican" / "mexicanos"). A Spanish
# form ending in "o" stands for o/a/os/as, one ending in "e" for e/es.
_DEMONYMS: dict[str, tuple[str, ...]] = {
    "us": ("American", "Americans", "estadounidense"),
    "mx": ("Mexican", "Mexicans", "mexicano"),
    "gt": ("Guatemalan", "Guatemalans", "guatemalteco"),
    "hn": ("Honduran", "Hondurans", "hondureno"),
    "sv": ("Salvadoran", "Salvadorans", "salvadoreno"),
    "ve": ("Venezuelan", "Venezuelans", "venezolano"),
    "cu": ("Cuban", "Cubans", "cubano"),
    "ht": ("Haitian", "Haitians", "haitiano"),
    "ni": ("Nicaraguan", "Nicaraguans", "nicaraguense"),
    "co": ("Colombian", "Colombians", "colombiano"),
    "gb": ("British", "britanico"),
    "it": ("Italian", "Italians", "italiano"),
    "gr": ("Greek", "Greeks", "griego"),
    "es": ("Spanish", "espanol", "espanola", "espanoles", "espanolas"),
}
# Capitalised in English, lower case in Spanish: not evidence of an entity.
_NOT_NAME_LIST = (
    "january february march april may june july august september october november december"
    " monday tuesday wednesday thursday friday saturday sunday mr mrs ms dr president"
    " secretary minister prime deputy foreign home chancellor leader senator governor"
    " mayor general official officials government gobierno jan feb mar apr jun jul aug sep"
    " sept oct nov dec"
)
_NOT_NAMES = frozenset(_NOT_NAME_LIST.split())


def entity_terms(title: str, text: str, lang: str = "en", *, words: int = LEAD_WORDS) -> list[str]:
    """'@entity' terms of the headline and the first ``words`` words, equal across en/es.

    Names in a Title Case Headline are skipped (every word is capitalised there); known
    entities are taken from it all the same.
    """
    found: list[str] = []
    for source, names in ((title, not _title_case(title)), (lead(text, words), True)):
        rest, aliases = _take_aliases(fold_accents(source), lang)
        found += aliases
        if names:
            found += [term for term in name_terms(rest, lang) if term[1:] not in _NOT_NAMES]
    return found


def language_neutral_terms(
    title: str, text: str, lang: str = "en", figure_values: Iterable[float] = ()
) -> dict[str, float]:
    """The entities and numbers of an article's headline and lead, each weighing 1.

    Presence, not counts: a name repeated in one report is no more evidence of the same event
    (counts raised the highest different-event score from 0.23 to 0.35 on the fixtures).
    """
    terms = dict.fromkeys(entity_terms(title, text, lang), 1.0)
    terms.update(dict.fromkeys(number_terms(f"{title}\n\n{lead(text)}", figure_values), 1.0))
    return terms


def _take_aliases(text: str, lang: str) -> tuple[str, list[str]]:
    """The text with known entity names replaced by a neutral word, and their '@' terms.

    Word n-grams are looked up in tables (longest first) rather than matched by one regex of
    every form: that regex took 5 ms an article, the whole of language_neutral_terms now 0.5 ms.
    """
    tables = _alias_tables(lang)
    tokens = list(_TOKEN.finditer(text))
    found: list[str] = []
    pieces: list[str] = []
    done = position = 0
    while position < len(tokens):
        match = _longest_alias(text, tokens, position, tables)
        if match is None:
            position += 1
            continue
        length, key = match
        pieces += [text[done : tokens[position].start()], " x "]  # lower case: not a name
        done = tokens[position + length - 1].end()
        found.append(f"@{key}")
        position += length
    pieces.append(text[done:])
    return "".join(pieces), found


_TOKEN = re.compile(r"[^\W_]+(?:\.[^\W_]+)*\.?")  # words, and "EE.UU." or "U.S." as one
_AliasTables = tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str], dict[str, int]]


def _longest_alias(
    text: str, tokens: list[re.Match[str]], position: int, tables: _AliasTables
) -> tuple[int, str] | None:
    """(words, canonical key) of the longest known form starting at ``tokens[position]``."""
    folded_forms, exact_forms, phrase_lengths = tables
    first = tokens[position].group().rstrip(".")
    words, folded = [first], [first.casefold()]
    end = min(position + phrase_lengths.get(folded[0], 1), len(tokens))
    for index in range(position + 1, end):
        if not text[tokens[index - 1].end() : tokens[index].start()].isspace():
            break  # a phrase is words separated by spaces only, not "Mexico, City"
        words.append(tokens[index].group().rstrip("."))
        folded.append(words[-1].casefold())
    for length in range(len(words), 0, -1):
        key = exact_forms.get(tuple(words[:length])) or folded_forms.get(tuple(folded[:length]))
        if key:
            return length, key
    return None


@lru_cache(maxsize=4)
def _alias_tables(lang: str) -> _AliasTables:
    """Forms matched in any case (names, phrases, demonyms); forms matched only as written
    (acronyms, one-word country names: "Chad", not "chad"); the longest phrase per first word."""
    countries = _country_names()
    folded: dict[str, str] = {name: key for key, names in _ALIASES.items() for name in names}
    folded.update({name: key for name, key in countries.items() if " " in name})
    for key, forms in _DEMONYMS.items():
        for form in forms:
            endings = ("o", "a", "os", "as") if form.endswith("o") and form.islower() else ()
            endings = ("e", "es") if form.endswith("e") and form.islower() else endings
            stem = form[:-1] if endings else form
            folded.update({stem + ending: key for ending in endings or ("",)})
    exact = {name: key for name, key in countries.items() if " " not in name}
    exact.update({**_EXACT[""], **_EXACT.get(lang, {})})
    folded_forms = {_words(form, casefold=True): key for form, key in folded.items()}
    exact_forms = {_words(form, casefold=False): key for form, key in exact.items()}
    phrase_lengths: dict[str, int] = {}
    for words in (*folded_forms, *(tuple(w.casefold() for w in f) for f in exact_forms)):
        phrase_lengths[words[0]] = max(phrase_lengths.get(words[0], 1), len(words))
    return folded_forms, exact_forms, phrase_lengths


def _words(form: str, *, casefold: bool) -> tuple[str, ...]:
    words = tuple(m.group().rstrip(".") for m in _TOKEN.finditer(fold_accents(form)))
    return tuple(word.casefold() for word in words) if casefold else words


# Country names that are also common words at the start of a sentence ("Reunión" = meeting).
_NOT_COUNTRIES = frozenset({"Reunion"})


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """English and Spanish country names (accents folded) -> ISO code: 'Alemania' -> 'de'."""
    spanish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for english in (country.name, getattr(country, "common_name", None)):
            for name in (english, spanish.gettext(english) if english else None):
                if name and "," not in name and "(" not in name:
                    names[fold_accents(name)] = country.alpha_2.lower()
    for name in _NOT_COUNTRIES:
        names.pop(name, None)
    return names


def _title_case(title: str) -> bool:
    """'Mexico Pledges Crackdown On Smugglers': capitals there say nothing about names."""
    long_words = [word for word in title.split() if len(word) > 3 and word[0].isalpha()]
    return len(long_words) >= 3 and all(word[0].isupper() for word in long_words)
