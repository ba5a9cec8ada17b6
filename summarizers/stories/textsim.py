"""Article vectors for same-event detection: TF-IDF over content words, names and numbers."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np
from sumy.nlp.stemmers import Stemmer
from sumy.utils import get_stop_words

# How much of an article describes its event: the headline and the first words of the body.
# Later paragraphs drift into background that unrelated stories share (see benchmarks/clustering).
LEAD_WORDS = 120
# Names and figures are the evidence that two differently worded reports cover one event, and
# the only evidence that survives translation, so they count more than an ordinary word.
NAME_WEIGHT = 1.5
NUMBER_WEIGHT = 1.5

# IDF is counted as if the batch held this many more articles without any of its terms, so a
# batch of two or three articles is not judged by a degenerate IDF (shared terms weighing less
# than unshared ones), and a pair scores about the same in a small batch as in a large one.
PRIOR_DOCUMENTS = 20

_LANGUAGES = {"en": "english", "es": "spanish"}
# sumy's Spanish list (178 words) lacks the commonest function words ("de", "que", "y", "a",
# "del", "se"), which then weighed most in every Spanish vector: two Spanish migration stories
# of different events scored 0.32. These are the Snowball Spanish stop words it misses.
_SPANISH_STOP_WORD_LIST = (
    "de del a al y e o u ni que se no le les lo me te mi mis tu tus nuestro nuestra"
    " nuestros nuestras ese esa esos esas eso este estos estas esto aquella aquello"
    " mas más ya hay han he has hemos habia había habian habían haber sido son fueron"
    " será sera serán seran sería seria está están estaban estuvo"
    " tenia tenía tenian tenían tuvo pues sí él ella ellos contra durante hasta según"
    " segun quienes cuales cuál qué cómo dónde cuándo otra otras otros mucho mucha"
    " muchas poco poca pocos pocas nada algo todos toda todas tanto tan casi"
)
_EXTRA_STOP_WORDS = {"es": _SPANISH_STOP_WORD_LIST.split()}
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*")
# A capitalised word right after one of these is capitalised by position, not because it names.
_SENTENCE_END = re.compile(r"[.!?:;\"'“”‘’—–-]\s*$")
_COMBINING_MARKS = re.compile(r"[\u0300-\u036f]")
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "mil": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "m": 1e6,
    "millones": 1e6,
    "millón": 1e6,
    "billion": 1e9,
    "bn": 1e9,
}
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:([.,])\d{3})(?:\2\d{3})*|\d+(?:[.,]\d+)?)"
    r"(?:\s*(thousand|million|millions|millones|millón|billion|bn|m|k|mil)\b)?",
    re.IGNORECASE,
)


def fold_accents(text: str) -> str:
    """'Andrés López' -> 'Andres Lopez', so names match across languages and spellings."""
    if text.isascii():
        return text
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))


def duplicate_key(text: str) -> str:
    """The text with case, accents, punctuation and spacing erased: equal for republished copies."""
    return " ".join(re.findall(r"[^\W_]+", fold_accents(text).casefold()))


def lead(text: str, words: int = LEAD_WORDS) -> str:
    """The first ``words`` words of ``text`` (cut at a word boundary)."""
    for count, match in enumerate(re.finditer(r"\S+", text), start=1):
        if count == words:
            return text[: match.end()]
    return text


@lru_cache(maxsize=4)
def _stop_words(lang: str) -> frozenset[str]:
    code = lang.split("-")[0].lower()
    words = [*get_stop_words(_LANGUAGES.get(code, "english")), *_EXTRA_STOP_WORDS.get(code, ())]
    return frozenset(fold_accents(word) for word in words)


@lru_cache(maxsize=4)
def _stemmer(lang: str) -> Stemmer:
    return Stemmer(_LANGUAGES.get(lang.split("-")[0].lower(), "english"))


@lru_cache(maxsize=65536)
def stem(word: str, lang: str) -> str:
    """The Snowball stem of a lower-cased word (cached: news vocabularies repeat)."""
    return _stemmer(lang)(word)


def content_terms(text: str, lang: str) -> list[str]:
    """Stemmed, lower-cased words that are not stop words: 'Migrants crossed' -> migrant, cross."""
    stop_words = _stop_words(lang)
    terms = []
    for word in _WORD.findall(fold_accents(text).casefold()):
        if len(word) > 1 and word not in stop_words:
            terms.append(stem(word, lang))
    return terms


def name_terms(text: str, lang: str) -> list[str]:
    """Capitalised words inside sentences ('... said Antony Blinken') as language-neutral names.

    A capitalised word right after a sentence end is skipped: it is capitalised by position.
    """
    stop_words = _stop_words(lang)
    names = []
    for match in _WORD.finditer(text):
        word = match.group()
        if not word[0].isupper() or match.start() == 0:
            continue
        if _SENTENCE_END.search(text, max(0, match.start() - 3), match.start()):
            continue
        folded = fold_accents(word).casefold()
        if folded not in stop_words and len(folded) > 1:
            names.append("@" + folded)
    return names


def number_value(digits: str, separator: str | None, scale: str | None) -> float:
    """The value of '190,000' / '190.000' / '1.4' / '1,4 millones' (separator as matched)."""
    # A matched separator groups thousands (English "190,000", Spanish "190.000").
    value = float(digits.replace(separator, "") if separator else digits.replace(",", "."))
    return value * _SCALES.get(scale.lower(), 1.0) if scale else value


def number_terms(text: str, extra_values: Iterable[float] = ()) -> list[str]:
    """Distinct numbers in ``text`` plus ``extra_values`` as '#190000' terms."""
    values = {
        number_value(match.group(1), match.group(2), match.group(3))
        for match in _NUMBER.finditer(text)
    }
    values.update(float(value) for value in extra_values)
    return sorted(f"#{value:g}" for value in values if math.isfinite(value))


def event_terms(
    title: str,
    text: str,
    lang: str = "en",
    figure_values: Iterable[float] = (),
    *,
    lead_words: int = LEAD_WORDS,
    name_weight: float = NAME_WEIGHT,
    number_weight: float = NUMBER_WEIGHT,
) -> dict[str, float]:
    """Weighted term counts that describe an article's event (headline + lead)."""
    opening = lead(text, lead_words)
    headed = f"{title}\n\n{opening}" if title else opening
    weights: dict[str, float] = {}
    for term, count in Counter(content_terms(headed, lang)).items():
        weights[term] = 1.0 + math.log(count)
    if name_weight > 0:
        for term, count in Counter(name_terms(opening, lang)).items():
            weights[term] = name_weight * (1.0 + math.log(count))
    if number_weight > 0:
        for term in number_terms(headed, figure_values):
            weights[term] = number_weight
    return weights


def cosine_similarities(
    documents: Sequence[Mapping[str, float]], *, prior_documents: int = PRIOR_DOCUMENTS
) -> np.ndarray:
    """Pairwise cosine of TF-IDF vectors, with IDF taken from ``documents`` themselves.

    The dense matrix only holds terms found in two or more documents (the others add nothing
    to a dot product, only to the norm), which keeps it small for a few hundred articles.
    """
    count = len(documents)
    column: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    weights: list[float] = []
    for row, document in enumerate(documents):
        for term, weight in document.items():
            rows.append(row)
            columns.append(column.setdefault(term, len(column)))
            weights.append(weight)
    row_index = np.array(rows, dtype=np.intp)
    column_index = np.array(columns, dtype=np.intp)
    frequency = np.bincount(column_index, minlength=len(column))
    idf = np.log((1 + count + prior_documents) / (1 + frequency)) + 1.0
    values = np.array(weights, dtype=np.float64) * idf[column_index]
    norms = np.sqrt(np.bincount(row_index, values * values, minlength=count))
    shared = frequency[column_index] > 1
    shared_columns = np.cumsum(frequency > 1) - 1
    matrix = np.zeros((count, int(np.count_nonzero(frequency > 1))), dtype=np.float32)
    matrix[row_index[shared], shared_columns[column_index[shared]]] = (
        values[shared] / norms[row_index[shared]]
    )
    similarities = (matrix @ matrix.T).astype(np.float64)
    np.fill_diagonal(similarities, np.where(norms > 0, 1.0, 0.0))
    return np.clip(similarities, 0.0, 1.0)
