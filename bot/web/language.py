"""Which language an article is in: the page's declared tags weighed against its own text.

Text: py3langid (a maintained fork of langid.py, BSD-3) ships its naive-Bayes model inside the
package, so it works offline; it knows 140 languages and takes about 0.2 ms on the first
``SAMPLE_CHARS`` characters of an article (the model loads once, in about 0.8 s, on first use).
benchmarks/language_detection.py compares it with a stop-word profile and with the declared
language alone on the trafilatura snippet pages and on BBC/CNN and Spanish texts.

Rule (``detect_language``):

1. The text wins when the classifier is confident (probability >= ``CONFIDENT``) — also
   against a declared tag: pages often keep a template's ``lang="en"``.
2. Else the first usable declared tag (``<html lang>``, og:locale, Content-Language, the feed's
   language), most trusted first.
3. Else, with nothing declared (pasted text, a page without tags), the likelier of the
   languages Newsbrief handles well (``SUPPORTED``) when it is ``CLEAR_LEAD`` times likelier
   than the other: short text ("Negocios", a headline) is rarely confident over 140 languages,
   but Spanish against English is easy to tell from a sentence.
4. Else ``DEFAULT_LANGUAGE``.

The answer is a lower-case ISO 639 code, two letters where one exists (py3langid knows a few
languages only by three: "yue", "arz"). A language other than English or Spanish keeps its
own code ("pt", "fr"): the article is stored and shown as what it is, and the summarizers,
which know English and Spanish rules, use their English rules for it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import load_model

__all__ = [
    "CLEAR_LEAD",
    "CONFIDENT",
    "DEFAULT_LANGUAGE",
    "SUPPORTED",
    "TextGuess",
    "declared_language",
    "detect_language",
    "guess_from_text",
    "language_code",
]

SUPPORTED = ("en", "es")
DEFAULT_LANGUAGE = "en"
# On the benchmark no text guess at or above 0.9 was wrong (378 short and 266 long texts), and
# every article body scored >= 0.9999; 0.95 leaves room for a mixed-language page to defer to
# its declared tag.
CONFIDENT = 0.95
# Of the two supported languages, how much likelier one must be to decide without a confident
# guess. Measured: Spanish headlines and first sentences scored from 13x (one word) up, short
# English headlines that looked Spanish ("Axios Future", names) at most 7.3x.
CLEAR_LEAD = 10.0
# An article's language shows in its first paragraphs; more text only costs time.
SAMPLE_CHARS = 600
_LETTER = re.compile(r"[^\W\d_]")
# Some pages write the language's name instead of a tag (<meta name="language" content="english">).
_LANGUAGE_NAMES = {"english": "en", "spanish": "es", "español": "es", "espanol": "es"}

_NO_LANGUAGE = "zxx"  # py3langid's label for text without linguistic content
_identifier: LanguageIdentifier | None = None
_identifier_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class TextGuess:
    """What the text alone says: the likeliest language, and the likelier of ``SUPPORTED``."""

    code: str
    probability: float
    supported_code: str
    supported_lead: float  # how many times likelier supported_code is than the other one

    @property
    def confident(self) -> bool:
        return self.probability >= CONFIDENT and self.code != _NO_LANGUAGE


def detect_language(text: str | None = None, declared: Iterable[str | None] = ()) -> str:
    """The code of an article's language ("en", "es", ...), from its text and declared tags."""
    guess = guess_from_text(text or "")
    if guess is not None and guess.confident:
        return guess.code
    declared_code = declared_language(declared)
    if declared_code is not None:
        return declared_code
    if guess is not None and guess.supported_lead >= CLEAR_LEAD:
        return guess.supported_code
    return DEFAULT_LANGUAGE


def guess_from_text(text: str) -> TextGuess | None:
    """The text's language by py3langid, or None when it has no letters to judge."""
    sample = text[:SAMPLE_CHARS]
    if not _LETTER.search(sample):
        return None
    ranking = _get_identifier().rank(sample)
    code, probability = ranking[0]
    best, second = [(lang, p) for lang, p in ranking if lang in SUPPORTED][:2]
    lead = best[1] / second[1] if second[1] > 0 else float("inf")
    return TextGuess(code, probability, best[0], lead)


def declared_language(tags: Iterable[str | None]) -> str | None:
    """The first usable tag's language code ("en-GB", "es_MX" -> "en", "es"), or None."""
    for tag in tags:
        code = language_code(tag)
        if code is not None:
            return code
    return None


def language_code(tag: str | None) -> str | None:
    """The primary subtag of a language tag ("en-GB", "en_US", "ES" -> "en", "en", "es")."""
    if not tag:
        return None
    if (named := _LANGUAGE_NAMES.get(tag.strip().casefold())) is not None:
        return named
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return primary if len(primary) == 2 and primary.isascii() and primary.isalpha() else None


def _get_identifier() -> LanguageIdentifier:
    global _identifier
    with _identifier_lock:  # one load of the 4.5 MB model, whichever thread asks first
        if _identifier is None:
            _identifier = _load_identifier()
        return _identifier


def _load_identifier() -> LanguageIdentifier:
    """``LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)``, with the feature
    weights widened once from float16 to float32.

    Every guess multiplies the text's feature counts (float32) by the weights of its features:
    with float16 weights numpy widens those rows on each call, about a sixth of a guess on a
    news article's opening (0.05 ms; more on feature-rich text); widened once (about 57 MB
    instead of 28 MB), the product is the same float32 one and the probabilities are bitwise
    the same.
    """
    weights, priors, classes, next_move, rows, output = load_model(MODEL_DIR / MODEL_FILE)
    return LanguageIdentifier(
        np.asarray(weights, dtype=np.float32),
        np.asarray(priors),
        classes,
        next_move,
        output,
        norm_probs=True,
        tk_row=rows,
    )


def preload() -> None:
    """Load the language model now (about 0.8 s), so the first summary does not wait for it."""
    _get_identifier()
