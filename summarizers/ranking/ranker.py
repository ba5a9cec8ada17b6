"""Newsbrief's default extractive ranker: the sentence set that best fits a lead-biased model.

Each sentence has a merit of its own (graph centrality plus news rules). The summary is the set
of sentences, among the first well-formed ones, that maximises those merits plus how well the
set's words match the words a summary of the article is expected to use (unigram F1 against a
word profile in which early and central sentences weigh most), minus their overlap. F1 rewards
sets that say much in few words; the expected profile carries the lead bias of news.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from summarizers.ranking.news_rules import SentenceFlags, sentence_flags
from summarizers.ranking.similarity import (
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

    Chosen by a grid search on the even-numbered articles of the CNN/DailyMail and BBC dev sets
    (best ROUGE-1 averaged over each grid point's neighbours, BBC share at least 81.5%) and
    checked on the odd ones (benchmarks/summary_quality.py); no weight looks at where a text
    comes from.
    """

    # A sentence's merit: centrality + title and number bonuses - penalties.
    centrality: float = 1.0  # PageRank on TextRank's word-overlap graph (mean 1)
    length_exponent: float = 0.25  # centrality / terms ** exponent: long sentences share more
    title: float = 0.5  # weight of the TF-IDF cosine with the title, when there is one
    numbers: float = 0.2  # sentences with figures carry the facts news summaries keep
    quote_penalty: float = 0.25  # quotations ("'We will win,' he said.")
    question_penalty: float = 0.5
    caption_penalty: float = 1.0  # photo captions ("Pictured: ...", "Up for it: the man ...")
    # A set's merit: the sum of its sentences' merits, plus fit times its unigram F1 against the
    # expected summary words, minus redundancy times the cosines between its sentences.
    fit: float = 12.0
    # Expected summary words: each sentence's words weighted by centrality ** this exponent
    # and by 1 / (1 + index / profile_position_scale), scaled to this many words per sentence.
    profile_centrality: float = 0.5
    profile_position_scale: float = 8.0
    profile_words_per_sentence: float = 12.0
    redundancy: float = 0.5
    window: int = 20  # the set comes from the first this many well-formed sentences
    max_sets: int = 2000  # fewer candidates when count is large, to bound the search
    # Hard rules, relaxed only when too few sentences are left without them.
    min_words: int = 6  # shorter ones are fragments ("Read more.", "Pictured above.")
    max_words: int = 40  # longer ones are mostly run-ons: captions glued to the text, lists
    # Sentence length by language, relative to English: Spanish news writes longer sentences
    # (median 25 words against 17-21 on the benchmark pages; its leads often run past 40
    # words), so its max_words is this much larger.
    sentence_length_scale: tuple[tuple[str, float], ...] = (("spanish", 1.3),)
    duplicate_containment: float = 0.7  # share of the shorter one's terms the other has
    duplicate_cosine: float = 0.6

    def max_words_for(self, language: str) -> int:
        """``max_words`` scaled for ``language`` (a sumy name: "english", "spanish", ...)."""
        return round(self.max_words * dict(self.sentence_length_scale).get(language, 1.0))


DEFAULT_SETTINGS = RankerSettings()
# Sentences past this point are never picked: the pairwise matrices grow with its square, and a
# news summary comes from the top of the story anyway (a pasted book should not exhaust memory).
MAX_CANDIDATES = 500


def _merits(
    vectors: SentenceVectors, centrality: np.ndarray, flags: SentenceFlags, settings: RankerSettings
) -> np.ndarray:
    """Merit on its own, before the rules and redundancy, of each sentence ``flags`` covers (the
    first ones, or all)."""
    length_norm = np.maximum(vectors.term_counts, 1.0) ** settings.length_exponent
    merits = settings.centrality * centrality / length_norm * length_norm.mean()
    if vectors.query is not None:
        merits += settings.title * (vectors.tfidf @ vectors.query)
    merits = merits[: len(flags.figures)]
    merits += settings.numbers * flags.figures
    merits -= settings.quote_penalty * flags.quote
    merits -= settings.question_penalty * flags.question
    merits -= settings.caption_penalty * flags.caption
    return merits


def _expected_words(
    vectors: SentenceVectors, centrality: np.ndarray, count: int, settings: RankerSettings
) -> np.ndarray:
    """Stem counts a ``count``-sentence summary is expected to use (sums to its length)."""
    position = np.arange(len(centrality))
    weights = centrality**settings.profile_centrality / (
        1.0 + position / settings.profile_position_scale
    )
    profile = vectors.words.profile(weights)
    total = profile.sum()
    return profile * (count * settings.profile_words_per_sentence / total) if total else profile


@lru_cache(maxsize=64)
def _index_sets(size: int, count: int) -> np.ndarray:
    """All ``count``-subsets of range(size) as rows, in lexicographic order."""
    sets = itertools.chain.from_iterable(itertools.combinations(range(size), count))
    return np.fromiter(sets, dtype=np.int64).reshape(-1, count)


def _best_set(
    candidates: np.ndarray,
    count: int,
    merits: np.ndarray,
    expected: np.ndarray,
    vectors: SentenceVectors,
    shared: np.ndarray,
    flags: SentenceFlags,
    settings: RankerSettings,
) -> list[int] | None:
    """The ``count`` candidates with the best set merit that break no rule; None if none do.

    Exhaustive: every subset is scored at once with numpy; the number of candidates shrinks as
    ``count`` grows so that at most ``settings.max_sets`` subsets are scored.
    """
    size = len(candidates)
    while size > count and math.comb(size, count) > settings.max_sets:
        size -= 1
    if size < count:
        return None
    candidates = candidates[:size]
    local = _index_sets(size, count)
    sets = candidates[local]

    tfidf = vectors.tfidf[candidates]
    cosine = tfidf @ tfidf.T
    terms = vectors.term_counts[candidates]
    shorter = np.minimum(terms[:, None], terms[None, :])
    containment = np.divide(
        shared[np.ix_(candidates, candidates)],
        shorter,
        out=np.zeros_like(shorter),
        where=shorter > 0,
    )
    duplicate = (cosine >= settings.duplicate_cosine) | (
        containment >= settings.duplicate_containment
    )
    # Of two near-duplicates, a quotation or question gives way to the plain statement.
    plain = ~(flags.quote | flags.question)[candidates]
    gives_way = (duplicate & plain[None, :] & ~plain[:, None]).any(axis=1)
    overlap = np.zeros(len(sets))
    broken = gives_way[local].any(axis=1)
    for first, second in itertools.combinations(range(count), 2):
        overlap += cosine[local[:, first], local[:, second]]
        broken |= duplicate[local[:, first], local[:, second]]
    # A sentence that opens with "He", "But", ... needs the sentence before it in the set.
    for column in range(count):
        preceded = (sets == sets[:, column : column + 1] - 1).any(axis=1)
        broken |= flags.dangling[sets[:, column]] & ~preceded

    counts = vectors.words.counts(candidates)
    set_words = counts.sum(axis=1)[local].sum(axis=1)
    # A stem that only one candidate has, or that no set can use more often than expected,
    # adds the same to every set holding that candidate: sum those per sentence up front and
    # take the minimum over sets only for the remaining (few) stems.
    capped = np.minimum(counts, expected)
    additive = ((counts > 0).sum(axis=0) <= 1) | (counts.sum(axis=0) <= expected)
    matched = capped[:, additive].sum(axis=1)[local].sum(axis=1)
    shared_counts = counts[:, ~additive].astype(np.float32)
    set_counts = shared_counts[local[:, 0]]
    for column in range(1, count):
        set_counts = set_counts + shared_counts[local[:, column]]
    matched += np.minimum(set_counts, expected[~additive].astype(np.float32)).sum(axis=1)
    # Unigram F1 = 2 matched / (words in the set + words expected).
    f1 = 2.0 * matched / np.maximum(set_words + expected.sum(), 1e-9)

    value = merits[sets].sum(axis=1) + settings.fit * f1 - settings.redundancy * overlap
    value[broken] = -np.inf
    best = int(np.argmax(value))  # the first of equal values: the earliest sentences
    return None if broken[best] else sets[best].tolist()


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


def _greedy(
    count: int,
    merits: np.ndarray,
    flags: SentenceFlags,
    vectors: SentenceVectors,
    shared: np.ndarray,
    settings: RankerSettings,
) -> list[int]:
    """Fallback when no rule-abiding set exists: greedy picks, relaxing one rule at a time."""
    selection = _Selection(vectors, shared, settings)
    # Strictest first, then one rule after another gives way: length (fragments and run-ons),
    # headings, dangling openers, near-duplicates, and page furniture last of all.
    for relaxed in range(6):
        while len(selection.order) < count:
            eligible = ~selection.picked
            if relaxed < 1:
                eligible &= flags.well_formed
            if relaxed < 2:
                eligible &= flags.sentence_like
            if relaxed < 3:
                after_picked = np.concatenate(([False], selection.picked[:-1]))
                eligible &= ~flags.dangling | after_picked
            if relaxed < 4:
                eligible &= ~selection.duplicate
            if relaxed < 5:
                eligible &= ~flags.furniture
            if not eligible.any():
                break
            adjusted = merits - settings.redundancy * selection.max_cosine
            # argmax takes the first of equal scores, so ties go to the earlier sentence.
            selection.add(int(np.argmax(np.where(eligible, adjusted, -np.inf))))
    return selection.order


def rank_sentences(
    sentences: Sequence[str],
    count: int,
    lang: str = "en",
    title: str | None = None,
    settings: RankerSettings = DEFAULT_SETTINGS,
) -> list[int]:
    """Indices (ascending) of the ``count`` sentences that best summarise a news article.

    Deterministic. Skips near-duplicates of picked sentences, fragments, run-ons, headings and
    page furniture, and sentences that open with a pronoun or connective (or end a quotation)
    unless the sentence before them is picked too; each rule is relaxed only when too few
    sentences are left without it, page furniture last.
    Only the first ``MAX_CANDIDATES`` sentences are candidates.
    """
    if count <= 0:
        return []
    sentences = sentences[:MAX_CANDIDATES]
    total = len(sentences)
    if count >= total:
        return list(range(total))
    language = language_name(lang)
    vectors = sentence_vectors(sentences, language, title)
    shared = shared_terms(vectors)
    centrality = pagerank(overlap_similarity(shared, vectors.term_counts))
    max_words = settings.max_words_for(language)
    # The set search reads the rules and merits of the sentences up to the last candidate only:
    # the rules run on the first sentences until the window fills, on all of them only for the
    # greedy fallback. Results are the same as with every sentence's rules (each rule looks at
    # its own sentence alone); a long article is spared most of the work.
    head = min(total, 2 * settings.window)
    while True:
        flags = sentence_flags(sentences[:head], lang, settings.min_words, max_words)
        candidates = np.flatnonzero(flags.well_formed)[: settings.window]
        if len(candidates) == settings.window or head == total:
            break
        head = min(total, 2 * head)
    merits = _merits(vectors, centrality, flags, settings)
    expected = _expected_words(vectors, centrality, count, settings)
    picked = _best_set(candidates, count, merits, expected, vectors, shared, flags, settings)
    if picked is None:
        if head < total:
            flags = sentence_flags(sentences, lang, settings.min_words, max_words)
            merits = _merits(vectors, centrality, flags, settings)
        picked = _greedy(count, merits, flags, vectors, shared, settings)
    return sorted(picked)
