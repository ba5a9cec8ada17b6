"""Offline sentence splitting (NLTK Punkt with hand-set abbreviations, no downloaded data)."""

from __future__ import annotations

from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

_ABBREVIATIONS = {
    "en": "mr mrs ms dr prof gen col lt sgt capt gov sen rep jr sr st mt no vs etc inc ltd co corp"
    " jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m",
}


@lru_cache(maxsize=8)
def _tokenizer(lang: str) -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS.get(lang, _ABBREVIATIONS["en"]).split())
    return PunktSentenceTokenizer(params)


def split_sentences(text: str, lang: str = "en") -> list[str]:
    """Sentences of ``text`` in order; paragraph breaks (blank lines) always end a sentence."""
    tokenizer = _tokenizer(lang)
    sentences: list[str] = []
    for paragraph in text.split("\n\n"):
        paragraph = " ".join(paragraph.split())
        if paragraph:
            sentences.extend(s.strip() for s in tokenizer.tokenize(paragraph) if s.strip())
    return sentences
