"""Sentence-level news rules for the ranker: quotes, questions, captions, furniture, openers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from summarizers.similarity import language_name

QUOTES = "'\"“”‘’«»"
_DIGIT = re.compile(r"\d")
# "'...,' he said." and "'..., ' said Parlour.": a quotation with its attribution.
_ATTRIBUTION = re.compile(
    r"[,.!?]\s?['\"”’]\s+(?:\w+\s+){0,3}(?:said|says|added|told|explained|continued|insisted"
    r"|admitted|claimed|wrote|dijo|afirmó|añadió|explicó|aseguró)\b"
)
# Caption labels ("Novel idea: Priscilla Presley will ...") and picture wording.
_CAPTION_LABEL = re.compile(
    r"(?!(?:He|She|They|It|I|We|You)\b)[A-Z][\w'’-]*(?: [\w'’-]+){0,3}: (?![" + QUOTES + "])"
)
_PICTURE_WORDS = re.compile(
    r"\bpictured\b|\bpose[sd]? for\b|\b(?:is|are) seen\b|\ben la imagen\b", re.IGNORECASE
)
# Words of the page around the story that extraction let through: video and link prompts,
# bylines and time stamps ("By . Jane Doe . PUBLISHED: 09:12 EST, 3 May 2014 | UPDATED: ...").
_FURNITURE_OPENING = re.compile(
    r"(?:scroll down(?: for| to)? (?:the )?(?:video|more|pictures?|photos?)|click here\b"
    r"|read more\b|related(?: articles?| stories)?:|advertisement\b|by \. |follow @|share this\b"
    r"|sign up\b|(?:published|updated|last updated|posted)\s*:)",
    re.IGNORECASE,
)
_TIME_STAMP = re.compile(r"\b(?:published|updated)\s*:\s*\d|\|\s*updated\s*:", re.IGNORECASE)
# Plain substring tests first: a regular expression search of every sentence costs more.
_PICTURE_HINTS = ("pictur", "pose", "seen", "imagen")
_TIME_STAMP_HINTS = ("ed:", "ED:", "ed :", "ED :")

# Openers that point back to the sentence before: pronouns and connectives.
_DANGLING_OPENERS = {
    "english": re.compile(
        r"(?:he|she|it|they|them|his|her|its|their|theirs|this|these|those|that|such|but|however"
        r"|also|and|or|yet|still|so|meanwhile|instead|then|thus|therefore|moreover|furthermore"
        r"|besides|nevertheless|nonetheless|otherwise|likewise|similarly|consequently"
        r"|additionally|in addition|as a result|for example|for instance|on the other hand"
        r"|at the same time|by contrast|in contrast|even so|the latter|the former)\b",
        re.IGNORECASE,
    ),
    "spanish": re.compile(
        r"(?:él|ella|ellos|ellas|esto|este|esta|estos|estas|eso|ese|esa|esos|esas|pero|sin embargo"
        r"|además|también|y|aunque|así|por eso|por ello|entonces|asimismo|no obstante|por tanto)\b",
        re.IGNORECASE,
    ),
}


def opens_dangling(sentence: str, lang: str = "en") -> bool:
    """Whether ``sentence`` opens with a pronoun or connective that needs the one before."""
    opener = sentence.lstrip(QUOTES + "¿¡( ")
    return bool(_DANGLING_OPENERS[language_name(lang)].match(opener))


def is_quote(sentence: str) -> bool:
    """Quoted words: opens or ends with a quotation mark, or is a quote with attribution."""
    return bool(
        sentence[:1] in QUOTES
        or sentence.rstrip(". ")[-1:] in QUOTES
        or _ATTRIBUTION.search(sentence)
    )


def is_question(sentence: str) -> bool:
    return sentence.rstrip(QUOTES + " )").endswith("?")


def is_caption(sentence: str) -> bool:
    """A photo caption run into the article text."""
    if _CAPTION_LABEL.match(sentence):
        return True
    lowered = sentence.lower()
    return any(hint in lowered for hint in _PICTURE_HINTS) and bool(_PICTURE_WORDS.search(sentence))


def is_furniture(sentence: str) -> bool:
    """Page furniture rather than story: "Scroll down for video", "Read more: ...", time stamps."""
    if _FURNITURE_OPENING.match(sentence):
        return True
    return any(hint in sentence for hint in _TIME_STAMP_HINTS) and bool(
        _TIME_STAMP.search(sentence)
    )


@dataclass(frozen=True, slots=True)
class SentenceFlags:
    """What the news rules say about each sentence of a text (boolean arrays, one per sentence)."""

    well_formed: np.ndarray  # neither a fragment, a run-on nor page furniture
    dangling: np.ndarray  # opens with a pronoun or connective that needs the sentence before
    quote: np.ndarray
    question: np.ndarray
    caption: np.ndarray
    figures: np.ndarray  # has a digit: news summaries keep the facts with numbers


def _flags(sentences: Sequence[str], test: Callable[[str], object]) -> np.ndarray:
    return np.fromiter((test(sentence) for sentence in sentences), dtype=bool, count=len(sentences))


def sentence_flags(
    sentences: Sequence[str], lang: str, min_words: int, max_words: int
) -> SentenceFlags:
    """The rules applied to every sentence; well formed means ``min_words`` to ``max_words``."""
    word_counts = np.fromiter((len(sentence.split()) for sentence in sentences), dtype=np.int64)
    dangling = _flags(sentences, lambda sentence: opens_dangling(sentence, lang))
    dangling[:1] = False  # nothing comes before the first sentence: it points forward
    return SentenceFlags(
        well_formed=(word_counts >= min_words)
        & (word_counts <= max_words)
        & ~_flags(sentences, is_furniture),
        dangling=dangling,
        quote=_flags(sentences, is_quote),
        question=_flags(sentences, is_question),
        caption=_flags(sentences, is_caption),
        figures=_flags(sentences, _DIGIT.search),
    )
