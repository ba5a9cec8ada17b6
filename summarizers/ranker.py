"""Newsbrief's default extractive ranker: lead-biased centrality with news-specific rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from summarizers.similarity import (
    SentenceVectors,
    language_name,
    overlap_similarity,
    pagerank,
    sentence_vectors,
    shared_terms,
)


@dataclass(frozen=True, slots=True)
class RankerSettings:
    """Weights and limits of the ranker.

    Tuned on the even-numbered articles of the CNN/DailyMail and BBC dev sets and checked on
    the odd ones (benchmarks/summary_quality.py); no weight looks at where a text comes from.
    """

    # A sentence's score: centrality + lead prior + title and number bonuses - penalties.
    position: float = 0.75  # weight of the lead prior 1 / (1 + index / position_scale)
    position_scale: float = 8.0
    length_exponent: float = 0.25  # centrality / terms ** exponent: long sentences share more
    title: float = 0.5  # weight of the TF-IDF cosine with the title, when there is one
    numbers: float = 0.2  # sentences with figures carry the facts news summaries keep
    quote_penalty: float = 0.25  # quotations ("'We will win,' he said.")
    question_penalty: float = 0.5
    caption_penalty: float = 1.0  # photo captions ("Pictured: ...", "Up for it: the man ...")
    redundancy: float = 0.5  # minus this times the highest cosine with a picked sentence
    # Hard rules, relaxed only when too few sentences are left without them.
    min_words: int = 6  # shorter ones are fragments ("Read more.", "Pictured above.")
    max_words: int = 40  # longer ones are mostly run-ons: captions glued to the text, lists
    duplicate_containment: float = 0.7  # share of the shorter one's terms the other has
    duplicate_cosine: float = 0.6


DEFAULT_SETTINGS = RankerSettings()
# Sentences past this point are never picked: the pairwise matrices grow with its square, and a
# news summary comes from the top of the story anyway (a pasted book should not exhaust memory).
MAX_CANDIDATES = 500

_QUOTES = "'\"“”‘’«»"
_DIGIT = re.compile(r"\d")
# "'...,' he said." and "'..., ' said Parlour.": a quotation with its attribution.
_ATTRIBUTION = re.compile(
    r"[,.!?]\s?['\"”’]\s+(?:\w+\s+){0,3}(?:said|says|added|told|explained|continued|insisted"
    r"|admitted|claimed|wrote|dijo|afirmó|añadió|explicó|aseguró)\b"
)
# Caption labels ("Novel idea: Priscilla Presley will ...") and picture wording.
_CAPTION_LABEL = re.compile(
    r"(?!(?:He|She|They|It|I|We|You)\b)[A-Z][\w'’-]*(?: [\w'’-]+){0,3}: (?![" + _QUOTES + "])"
)
_PICTURE_WORDS = re.compile(
    r"\bpictured\b|\bpose[sd]? for\b|\b(?:is|are) seen\b|\ben la imagen\b", re.IGNORECASE
)
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
    opener = sentence.lstrip(_QUOTES + "¿¡( ")
    return bool(_DANGLING_OPENERS[language_name(lang)].match(opener))


def is_quote(sentence: str) -> bool:
    """Quoted words: opens or ends with a quotation mark, or is a quote with attribution."""
    return bool(
        sentence[:1] in _QUOTES
        or sentence.rstrip(". ")[-1:] in _QUOTES
        or _ATTRIBUTION.search(sentence)
    )


def is_question(sentence: str) -> bool:
    return sentence.rstrip(_QUOTES + " )").endswith("?")


def is_caption(sentence: str) -> bool:
    """A photo caption run into the article text."""
    return bool(_CAPTION_LABEL.match(sentence) or _PICTURE_WORDS.search(sentence))


def _flags(sentences: Sequence[str], test: Callable[[str], object]) -> np.ndarray:
    return np.fromiter((test(sentence) for sentence in sentences), dtype=bool, count=len(sentences))


def _scores(
    sentences: Sequence[str], vectors: SentenceVectors, shared: np.ndarray, settings: RankerSettings
) -> np.ndarray:
    """Each sentence's merit on its own, before the rules and redundancy."""
    centrality = pagerank(overlap_similarity(shared, vectors.term_counts))
    length_norm = np.maximum(vectors.term_counts, 1.0) ** settings.length_exponent
    scores = centrality / length_norm * length_norm.mean()
    scores += settings.position / (1.0 + np.arange(len(sentences)) / settings.position_scale)
    if vectors.query is not None:
        scores += settings.title * (vectors.tfidf @ vectors.query)
    scores += settings.numbers * _flags(sentences, _DIGIT.search)
    scores -= settings.quote_penalty * _flags(sentences, is_quote)
    scores -= settings.question_penalty * _flags(sentences, is_question)
    scores -= settings.caption_penalty * _flags(sentences, is_caption)
    return scores


class _Selection:
    """Greedy picking, with each pick's similarity to every sentence kept up to date."""

    def __init__(self, vectors: SentenceVectors, shared: np.ndarray, settings: RankerSettings):
        self._vectors = vectors
        self._shared = shared
        self._settings = settings
        count = shared.shape[0]
        self.picked = np.zeros(count, dtype=bool)
        self.order: list[int] = []
        self.max_cosine = np.zeros(count)
        self.duplicate = np.zeros(count, dtype=bool)

    def add(self, index: int) -> None:
        self.picked[index] = True
        self.order.append(index)
        vectors, settings = self._vectors, self._settings
        cosine = vectors.tfidf @ vectors.tfidf[index]
        shorter = np.minimum(vectors.term_counts, vectors.term_counts[index])
        contained = np.divide(
            self._shared[:, index], shorter, out=np.zeros_like(shorter), where=shorter > 0
        )
        self.max_cosine = np.maximum(self.max_cosine, cosine)
        self.duplicate |= (cosine >= settings.duplicate_cosine) | (
            contained >= settings.duplicate_containment
        )


def rank_sentences(
    sentences: Sequence[str],
    count: int,
    lang: str = "en",
    title: str | None = None,
    settings: RankerSettings = DEFAULT_SETTINGS,
) -> list[int]:
    """Indices (ascending) of the ``count`` sentences that best summarise a news article.

    Deterministic. Skips near-duplicates of picked sentences, fragments and run-ons, and
    sentences that open with a pronoun or connective unless the sentence before them is picked
    too; each rule is relaxed only when too few sentences are left without it. Only the first
    ``MAX_CANDIDATES`` sentences are candidates.
    """
    if count <= 0:
        return []
    sentences = sentences[:MAX_CANDIDATES]
    total = len(sentences)
    if count >= total:
        return list(range(total))
    vectors = sentence_vectors(sentences, language_name(lang), title)
    shared = shared_terms(vectors)
    scores = _scores(sentences, vectors, shared, settings)
    word_counts = np.fromiter((len(s.split()) for s in sentences), dtype=np.int64, count=total)
    well_sized = (word_counts >= settings.min_words) & (word_counts <= settings.max_words)
    dangling = _flags(sentences, lambda sentence: opens_dangling(sentence, lang))
    dangling[0] = False  # nothing comes before the first sentence: it points forward

    selection = _Selection(vectors, shared, settings)
    # Strictest first: every rule; then allow odd lengths, then dangling openers, then anything.
    for keep_size, keep_context, keep_unique in (
        (True, True, True),
        (False, True, True),
        (False, False, True),
        (False, False, False),
    ):
        while len(selection.order) < count:
            eligible = ~selection.picked
            if keep_size:
                eligible &= well_sized
            if keep_context:
                after_picked = np.concatenate(([False], selection.picked[:-1]))
                eligible &= ~dangling | after_picked
            if keep_unique:
                eligible &= ~selection.duplicate
            if not eligible.any():
                break
            adjusted = scores - settings.redundancy * selection.max_cosine
            # argmax takes the first of equal scores, so ties go to the earlier sentence.
            selection.add(int(np.argmax(np.where(eligible, adjusted, -np.inf))))
    return sorted(selection.order)
