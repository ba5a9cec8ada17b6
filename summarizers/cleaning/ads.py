"""Ads and offers inside the text: calls to action, card-offer terms, look-alike letters.

Ads placed in article text dodge word filters by spelling words with Cyrillic or Greek letters
that look Latin ("Сlick hеre"); no honest word mixes those scripts, so one such word marks the
line. The script of a letter comes from its Unicode name (stdlib ``unicodedata``): three
scripts do not need a confusables library.
"""

from __future__ import annotations

import re
import unicodedata

from summarizers.cleaning.patterns import contains_any
from summarizers.figures.reading.words import fold_case

_LOOKALIKE_SCRIPTS = ("CYRILLIC", "GREEK")
_NON_LATIN_LETTER = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f]")
_WORD = re.compile(r"[^\W\d_]+")

# A call to action or the fine print of an offer: no news sentence reads like this.
_OFFER_CALL = re.compile(
    r"\b(?:apply|shop|buy|order|book|claim|subscribe|join|register|sign up|get (?:it|yours"
    r"|started|access)|start (?:saving|earning|your free trial)|try it free|learn more)"
    r"(?: now| today| here)\b"
    r"|\buse (?:the |our )?(?:promo |coupon |discount |offer )?code\b|\bfor as little as\b"
    r"|\bterms (?:and conditions )?apply\b|\bsee (?:rates and fees|offer details|terms)\b"
    r"|\blimited[- ]time (?:offer|deal)\b|\b(?:sponsored|promoted|paid) (?:content|post)\b"
    r"|^(?:sponsored|advertisement|advertorial|ad|promoted|publicidad|patrocinado)\s*[:|—–-]"
    r"|\b(?:compra|suscríbete|regístrate|aprovecha|descarga) (?:ya|ahora|hoy|aquí)\b"
    r"|\b(?:contenido patrocinado|aplican (?:términos|restricciones|condiciones))\b"
    r"|\bcódigo (?:promocional|de descuento)\b",
    re.IGNORECASE,
)
# Terms of a card or loan offer; two in one line are an offer, one can be news about banks.
_OFFER_TERMS = re.compile(
    r"\b(?:intro(?:ductory)? apr|\d+(?:\.\d+)?% apr|0% apr|cash ?back|welcome (?:bonus|offer)"
    r"|sign-?up bonus|bonus (?:points|miles)|no annual fee|annual fee|balance transfers?"
    r"|rewards? (?:card|rate)|free shipping|risk-free|money-back guarantee|meses sin intereses"
    r"|envío gratis)\b",
    re.IGNORECASE,
)
_OFFER_MAX_WORDS = 60
# What every alternative of the two offer regexes needs, as fold_case sees it. Most lines have
# none, so the regexes (which try every position of a line) run only where a cue appears; a
# line without one cannot match them, so the answer is the same.
_OFFER_CALL_CUES = (
    *(" now", " today", " here", " ya", " ahora", " hoy", " aquí"),
    *("code", "código", "for as little as", "apply", "aplican", "see ", "limited"),
    *(" content", " post", "patrocinado"),
)
_OFFER_CALL_STARTS = ("ad", "sponsored", "promoted", "publicidad", "patrocinado")
_OFFER_TERM_CUES = (
    *("intro", "% apr", "cash", "welcome", "bonus", "annual fee", "balance transfer"),
    *("reward", "free shipping", "risk-free", "money-back guarantee", "meses sin intereses"),
    "envío gratis",
)


def has_lookalike_letters(line: str) -> bool:
    """A word that mixes Latin letters with Cyrillic or Greek ones ("Сlick" with a Cyrillic С)."""
    if _NON_LATIN_LETTER.search(line) is None:
        return False
    for word in _WORD.findall(line):
        scripts = {_script(letter) for letter in word}
        if "LATIN" in scripts and scripts.intersection(_LOOKALIKE_SCRIPTS):
            return True
    return False


def _script(letter: str) -> str:
    return unicodedata.name(letter, "").split(" ", 1)[0]


def is_offer(line: str) -> bool:
    """An ad or offer: a call to action, or two terms of a card or shopping offer."""
    return offer_in(line, fold_case(line), len(line.split()))


def offer_in(line: str, folded: str, word_count: int) -> bool:
    """``is_offer`` for a caller that has ``fold_case(line)`` and its word count already."""
    if word_count > _OFFER_MAX_WORDS:
        return False
    if (
        folded.startswith(_OFFER_CALL_STARTS) or contains_any(folded, _OFFER_CALL_CUES)
    ) and _OFFER_CALL.search(line):
        return True
    if not contains_any(folded, _OFFER_TERM_CUES):
        return False
    return len({match.lower() for match in _OFFER_TERMS.findall(line)}) >= 2
