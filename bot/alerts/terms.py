"""What a watch counts: the user's words as Snowball stems, widened by a small synonym table.

The table is generic on purpose (no outlet, site or article is named): each row is one thing
news counts, with the nouns, adjectives and verb forms English and Spanish report it with. A
word outside the table matches itself only, through its stem, so "visas" finds "visa" and
"deportaciones" finds "deportados". Stemming is NLTK's Snowball (shipped with the package, no
data to download), so plural, gender and tense collapse without a lemmatizer model.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from nltk.stem.snowball import SnowballStemmer

# One row per thing counted: English words, then Spanish words. Keep it short; a missing row
# costs recall on one noun, a wrong one floods channels.
SYNONYMS: dict[str, tuple[str, str]] = {
    "deaths": (
        "death deaths dead died die dying killed kill fatalities fatality toll",
        "muerte muertes muerto muertos muertas murieron murio fallecidos fallecidas "
        "fallecieron fallecio fallecimientos",
    ),
    "injuries": ("injured injuries wounded hurt", "heridos heridas lesionados"),
    "missing": ("missing disappeared", "desaparecidos desaparecidas"),
    "arrivals": ("arrivals arrived arriving", "llegadas llegaron llegados arribos"),
    "apprehensions": (
        "apprehensions apprehended arrests arrested detained detentions",
        "detenciones detenidos detenidas arrestos arrestados aprehensiones aprehendidos",
    ),
    "deportations": (
        "deportations deported deportees removals expelled",
        "deportaciones deportados deportadas expulsiones expulsados",
    ),
    "crossings": ("crossings crossed", "cruces cruzaron"),
    "rescues": ("rescued rescues", "rescatados rescatadas rescates"),
    "migrants": ("migrants immigrants", "migrantes inmigrantes"),
    "refugees": ("refugees", "refugiados refugiadas"),
}

# Nouns that name people without saying what happened to them ("30 personas murieron"): for
# these the verb or adjective right after the number says what is counted.
PERSON_NOUNS = (
    "people persons men women children adults minors migrants immigrants refugees passengers "
    "civilians soldiers troops officers members workers residents tourists students "
    "personas hombres mujeres ninos menores adultos migrantes inmigrantes refugiados pasajeros "
    "civiles soldados militares agentes miembros trabajadores residentes turistas estudiantes"
)

_WORD = re.compile(r"[^\W\d_]+")
_STEMMERS = {"en": SnowballStemmer("english").stem, "es": SnowballStemmer("spanish").stem}


def fold(text: str) -> str:
    """Lower case without accents: 'Muertes' and 'muertés' read alike, 'niños' as 'ninos'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@lru_cache(maxsize=65536)
def stem(word: str, lang: str) -> str:
    return _STEMMERS["es" if lang == "es" else "en"](word)


@dataclass(frozen=True, slots=True)
class Counted:
    """The stems (per language) a watch's counted noun matches."""

    label: str  # the synonym row's name, or the user's own word
    stems: dict[str, frozenset[str]]

    def matches(self, word: str, lang: str) -> bool:
        return stem(word, lang) in self.stems["es" if lang == "es" else "en"]


def _row_stems(english: str, spanish: str) -> dict[str, frozenset[str]]:
    return {
        "en": frozenset(stem(w, "en") for w in english.split()),
        "es": frozenset(stem(w, "es") for w in spanish.split()),
    }


_ROWS = {label: _row_stems(*forms) for label, forms in SYNONYMS.items()}
_PERSON_STEMS = {
    lang: frozenset(stem(w, lang) for w in PERSON_NOUNS.split()) for lang in ("en", "es")
}


def counted(what: str) -> Counted:
    """The row any of the user's words belongs to (in either language), else those words."""
    given = words(what)
    for label, stems in _ROWS.items():
        for word in given:
            if stem(word, "en") in stems["en"] or stem(word, "es") in stems["es"]:
                return Counted(label, stems)
    own = {lang: frozenset(stem(w, lang) for w in given) for lang in ("en", "es")}
    # A word typed in one language is looked up with both stemmers: "visas" and "visados".
    both = own["en"] | own["es"]
    return Counted(what.strip().lower(), {"en": both, "es": both})


def is_person_noun(word: str, lang: str) -> bool:
    return stem(word, lang) in _PERSON_STEMS["es" if lang == "es" else "en"]
