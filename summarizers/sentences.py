"""Offline sentence splitting (NLTK Punkt with hand-set abbreviations, no downloaded data)."""

from __future__ import annotations

import re
from functools import lru_cache

from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

# Punkt normally learns these from a trained model (punkt_tab data), which cannot be downloaded
# here; a hand-written list of the abbreviations news text uses gives the same splits offline.
# Dotted forms are written without their final period ("u.s" for "U.S.").
_ABBREVIATIONS = {
    "en": (
        "mr mrs ms messrs dr prof gen col lt maj sgt capt cmdr adm gov sen rep rev hon supt det"
        " insp jr sr st mt vs etc inc ltd co corp bros dept est approx fig vol nos ave blvd"
        " jan feb mar apr jun jul aug sep sept oct nov dec"
        " ala ariz ark calif colo conn fla kan ky md mass mich minn mont neb nev okla tenn tex"
        " vt wis wyo"
        " u.s u.s.a u.k u.n e.u d.c e.g i.e a.m p.m ph.d"
    ),
    "es": (
        "sr sra srta sres dr dra dres lic ing arq prof gral cnel tte sgto pág págs núm art etc"
        " ud uds vd vds av avda aprox tel dpto ej cía depto col mons mtro mtra dip pdte sta sto"
        " vs máx mín hs hrs jr"
        " ene feb mar abr jun jul ago sep sept oct nov dic"
        # "EE. UU." is the spelling the RAE recommends; "EE.UU." the common one.
        " ee uu ee.uu e.u n.º s.a s.l a.c d.c c.v a.m p.m"
    ),
}

# Capitalised words that start sentences but hardly ever follow an abbreviation inside one:
# they let "He works in the U.S. The weather..." split while "U.S. Army" stays whole.
_SENTENCE_STARTERS = {
    "en": (
        "the a an he she it they we i you but and this these those there however in on at"
        " his her its their our after when while if as so yet meanwhile"
    ),
    "es": (
        "el la los las un una unos unas en pero y este esta estos estas ese esa esos esas esto"
        " eso ello es se no lo le les según sin después luego además también por para con al a"
        " su sus tras desde durante ante hoy ayer ahora mientras cuando si así ya aunque otro"
        " otra otros otras todo todos cada nadie ni dicho dicha hay fue era ha han había"
    ),
}

# "No. 10 Downing Street": an abbreviation only before a number ("He said no. Then...").
_COLLOCATIONS = {"en": {("no", "##number##")}, "es": {("no", "##number##")}}

_ALPHANUMERIC = re.compile(r"\w")
# A quote mark followed by a space cannot open a sentence: it closes the one before
# ("...anybody. ' Paul Merson said" in text whose quotes were spaced out by a tokenizer).
_STRAY_CLOSING_QUOTE = re.compile(r"""["'”’»]+(?=\s)""")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_ENDS_WITH_ELLIPSIS = re.compile(r"(?:\.\s*\.|…)[\"'”’]?$")
_ENDS_WITH_QUOTED_QUESTION = re.compile(r"[?!][\"'”’»]+$")
# No sentence opens with a comma: '“¿Hasta cuándo?”, preguntó.', '"Why?", he asked.'
_OPENS_WITH_COMMA = re.compile(r"""["'”’»]*\s*[,;:]""")
_OPENS_WITH_DASH = re.compile(r"[—–]")  # '“¿Hasta cuándo?” —preguntó.' (or a list item)
# Punkt considers a break only after one of these followed by another character; a paragraph
# with none before its last character is one sentence, which Punkt takes longer to say (most
# news paragraphs are one sentence: this took about a quarter off splitting a 400-sentence
# article).
_SENTENCE_END = re.compile("|".join(map(re.escape, PunktLanguageVars.sent_end_chars)))


@lru_cache(maxsize=8)
def _tokenizer(lang: str) -> PunktSentenceTokenizer:
    base = lang.split("-")[0].lower()
    params = PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS.get(base, _ABBREVIATIONS["en"]).split())
    params.sent_starters = set(_SENTENCE_STARTERS.get(base, _SENTENCE_STARTERS["en"]).split())
    params.collocations = set(_COLLOCATIONS.get(base, _COLLOCATIONS["en"]))
    return PunktSentenceTokenizer(params)


def _sentence_spans(paragraph: str, tokenizer: PunktSentenceTokenizer) -> list[tuple[int, int]]:
    """Punkt's spans, with stray closing quotes and punctuation-only pieces joined back."""
    if not _SENTENCE_END.search(paragraph, 0, len(paragraph) - 1):
        end = len(paragraph.rstrip())  # what Punkt gives for a text it cannot break
        return [(0, end)] if end else []
    spans: list[tuple[int, int]] = []
    for start, end in tokenizer.span_tokenize(paragraph):
        if spans:
            if _OPENS_WITH_COMMA.match(paragraph, start):
                spans[-1] = (spans[-1][0], end)
                continue
            quote = _STRAY_CLOSING_QUOTE.match(paragraph, start)
            if quote:
                spans[-1] = (spans[-1][0], quote.end())
                start = quote.end() + 1
                if start >= end:
                    continue
            previous = paragraph[spans[-1][0] : spans[-1][1]]
            # A lower-case word or a dash after a quoted "?" or "!" goes on the sentence
            # ('"Why?" he asked.', '«¿Por qué?» preguntó.'), and so does a lower-case word after
            # an ellipsis ("Wait... what now?"). Titles ("Who Is Sylvia? by Edward Albee") are
            # still cut: the BBC benchmark's references were segmented there.
            question = _ENDS_WITH_QUOTED_QUESTION.search(previous)
            if (
                not _ALPHANUMERIC.search(paragraph, start, end)
                or (question and _OPENS_WITH_DASH.match(paragraph, start))
                or (
                    paragraph[start].islower()
                    and (question or _ENDS_WITH_ELLIPSIS.search(previous))
                )
            ):
                spans[-1] = (spans[-1][0], end)
                continue
        spans.append((start, end))
    # A punctuation-only first piece (". . . and then") belongs to the sentence after it.
    if len(spans) > 1 and not _ALPHANUMERIC.search(paragraph, *spans[0]):
        spans[:2] = [(spans[0][0], spans[1][1])]
    return spans


def split_sentences(text: str, lang: str = "en") -> list[str]:
    """Sentences of ``text`` in order; paragraph breaks (blank lines) always end a sentence.

    Each sentence is a verbatim piece of ``text`` with its runs of whitespace turned into
    single spaces; no sentence is empty or made of punctuation alone.
    """
    tokenizer = _tokenizer(lang)
    sentences: list[str] = []
    for raw_paragraph in _PARAGRAPH_BREAK.split(text):
        paragraph = " ".join(raw_paragraph.split())
        if not _ALPHANUMERIC.search(paragraph):
            continue
        for start, end in _sentence_spans(paragraph, tokenizer):
            sentence = paragraph[start:end].strip()
            if sentence:
                sentences.append(sentence)
    return sentences
