"""Newsbrief's default extractive ranker: a learned lead-biased sentence score, news rules, sets.

Each sentence gets the log-odds, from a small logistic regression over its features
(``features``), that an oracle summary of the article holds it (``model``). The model was fitted
on the tuning part of the CNN/DailyMail dev sets only (benchmarks/train_ranker.py); position
is among its features, so it keeps the opening sentences unless another sentence scores higher.
The summary is the rule-abiding set of ``count`` sentences, among the first well-formed ones,
with the highest total score minus the overlap between its sentences.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from summarizers.ranking.features import sentence_features
from summarizers.ranking.model import RankerModel, default_model
from summarizers.ranking.news_rules import QUOTES, SentenceFlags, sentence_flags
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
    """Limits of the ranker (the learned weights, and the weight of overlap, are in the model)."""

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


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the ranker reads from a text before scoring: rules, vectors and features of its
    first sentences (``features``, ``flags`` and the dense TF-IDF rows cover the first
    ``len(flags.words)``)."""

    sentences: Sequence[str]
    flags: SentenceFlags
    vectors: SentenceVectors
    shared: np.ndarray
    candidates: np.ndarray  # the first ``window`` well-formed sentences
    features: np.ndarray


def analyse(
    sentences: Sequence[str],
    lang: str = "en",
    title: str | None = None,
    settings: RankerSettings = DEFAULT_SETTINGS,
    everything: bool = False,
) -> Analysis:
    """Rules and features of the first sentences, until the window fills (all: ``everything``).

    Each rule looks at its own sentence alone, so reading only the head (up to the last
    sentence of the window) gives the same window; a long article is spared most of the work.
    """
    sentences = sentences[:MAX_CANDIDATES]
    language = language_name(lang)
    max_words = settings.max_words_for(language)
    window = None if everything else settings.window
    flags = sentence_flags(sentences, lang, settings.min_words, max_words, window)
    head = len(flags.words)
    vectors = sentence_vectors(sentences, language, title, rows=head)
    shared = shared_terms(vectors)
    centrality = pagerank(overlap_similarity(shared, vectors.term_counts))
    candidates = np.flatnonzero(flags.well_formed)[: settings.window]
    question_title = bool(title) and title.rstrip(QUOTES + " ").endswith("?")
    length_scale = dict(settings.sentence_length_scale).get(language, 1.0)
    features = sentence_features(
        sentences[:head], flags, vectors, centrality, flags.words, question_title, length_scale
    )
    return Analysis(sentences, flags, vectors, shared, candidates, features)


@lru_cache(maxsize=64)
def _index_sets(size: int, count: int) -> np.ndarray:
    """All ``count``-subsets of range(size) as rows, in lexicographic order."""
    sets = itertools.chain.from_iterable(itertools.combinations(range(size), count))
    return np.fromiter(sets, dtype=np.int64).reshape(-1, count)


def _duplicates(analysis: Analysis, members: np.ndarray, settings: RankerSettings) -> np.ndarray:
    """Which pairs of ``members`` are near-duplicates (by cosine or by shared terms)."""
    tfidf = analysis.vectors.tfidf[members]
    terms = analysis.vectors.term_counts[members]
    shorter = np.minimum(terms[:, None], terms[None, :])
    shared = analysis.shared[np.ix_(members, members)]
    containment = np.divide(shared, shorter, out=np.zeros_like(shorter), where=shorter > 0)
    return (tfidf @ tfidf.T >= settings.duplicate_cosine) | (
        containment >= settings.duplicate_containment
    )


def _broken_sets(
    analysis: Analysis, candidates: np.ndarray, local: np.ndarray, settings: RankerSettings
) -> np.ndarray:
    """The rules mask: which candidate sets (rows of ``local``) break a rule.

    A set breaks one when it holds two near-duplicates, a quotation or question whose plain
    restatement is also a candidate, or a sentence that needs the one before it without it.
    """
    sets = candidates[local]
    duplicate = _duplicates(analysis, candidates, settings)
    flags = analysis.flags
    plain = ~(flags.quote | flags.question)[candidates]
    gives_way = (duplicate & plain[None, :] & ~plain[:, None]).any(axis=1)
    broken = gives_way[local].any(axis=1)
    for first, second in itertools.combinations(range(local.shape[1]), 2):
        broken |= duplicate[local[:, first], local[:, second]]
    for column in range(local.shape[1]):
        preceded = (sets == sets[:, column : column + 1] - 1).any(axis=1)
        broken |= flags.dangling[sets[:, column]] & ~preceded
    return broken


def _set_values(
    analysis: Analysis,
    candidates: np.ndarray,
    local: np.ndarray,
    scores: np.ndarray,
    redundancy: float,
) -> np.ndarray:
    """The set scorer: the sentences' scores minus ``redundancy`` times their pairwise cosines."""
    tfidf = analysis.vectors.tfidf[candidates]
    cosine = tfidf @ tfidf.T
    values = scores[candidates][local].sum(axis=1)
    for first, second in itertools.combinations(range(local.shape[1]), 2):
        values -= redundancy * cosine[local[:, first], local[:, second]]
    return values


def _best_set(
    analysis: Analysis, count: int, scores: np.ndarray, redundancy: float, settings: RankerSettings
) -> list[int] | None:
    """The rule-abiding set of ``count`` candidates with the best value; None if there is none.

    Exhaustive over the candidates, which shrink as ``count`` grows so that at most
    ``settings.max_sets`` sets are scored.
    """
    size = len(analysis.candidates)
    while size > count and math.comb(size, count) > settings.max_sets:
        size -= 1
    if size < count:
        return None
    candidates = analysis.candidates[:size]
    local = _index_sets(size, count)
    values = _set_values(analysis, candidates, local, scores, redundancy)
    values[_broken_sets(analysis, candidates, local, settings)] = -np.inf
    best = int(np.argmax(values))  # the first of equal values: the earliest sentences
    return None if values[best] == -np.inf else candidates[local[best]].tolist()


def _greedy(
    analysis: Analysis, count: int, scores: np.ndarray, redundancy: float, settings: RankerSettings
) -> list[int]:
    """Fallback when no rule-abiding set exists: greedy picks, relaxing one rule at a time."""
    flags, vectors = analysis.flags, analysis.vectors
    total = len(scores)
    picked = np.zeros(total, dtype=bool)
    order: list[int] = []
    max_cosine = np.zeros(total)
    duplicate = np.zeros(total, dtype=bool)
    # Strictest first, then one rule after another gives way: length (fragments and run-ons),
    # headings, dangling openers, near-duplicates, and page furniture last of all.
    for relaxed in range(6):
        while len(order) < count:
            eligible = ~picked
            if relaxed < 1:
                eligible &= flags.well_formed
            if relaxed < 2:
                eligible &= flags.sentence_like
            if relaxed < 3:
                eligible &= ~flags.dangling | np.concatenate(([False], picked[:-1]))
            if relaxed < 4:
                eligible &= ~duplicate
            if relaxed < 5:
                eligible &= ~flags.furniture
            if not eligible.any():
                break
            adjusted = scores - redundancy * max_cosine
            # argmax takes the first of equal scores, so ties go to the earlier sentence.
            index = int(np.argmax(np.where(eligible, adjusted, -np.inf)))
            picked[index] = True
            order.append(index)
            cosine = vectors.tfidf[:total] @ vectors.tfidf[index]
            terms = vectors.term_counts[:total]
            shorter = np.minimum(terms, terms[index])
            shared = analysis.shared[:total, index]
            contained = np.divide(shared, shorter, out=np.zeros_like(shorter), where=shorter > 0)
            duplicate |= (cosine >= settings.duplicate_cosine) | (
                contained >= settings.duplicate_containment
            )
            max_cosine = np.maximum(max_cosine, cosine)
    return order


def pick(
    analysis: Analysis,
    count: int,
    model: RankerModel,
    settings: RankerSettings = DEFAULT_SETTINGS,
) -> list[int] | None:
    """Indices (ascending) of the best rule-abiding set; None when only the fallback can fill
    ``count`` (call ``rank_sentences``, which then reads every sentence)."""
    scores = model.scores(analysis.features)
    picked = _best_set(analysis, count, scores, model.redundancy, settings)
    return None if picked is None else sorted(picked)


def rank_sentences(
    sentences: Sequence[str],
    count: int,
    lang: str = "en",
    title: str | None = None,
    settings: RankerSettings = DEFAULT_SETTINGS,
    model: RankerModel | None = None,
) -> list[int]:
    """Indices (ascending) of the ``count`` sentences that best summarise a news article.

    Deterministic. Skips near-duplicates of picked sentences, fragments, run-ons, headings and
    page furniture, and sentences that open with a pronoun, connective or back-reference (or
    end a quotation) unless the sentence before them is picked too; each rule is relaxed only
    when too few sentences are left without it, page furniture last.
    Only the first ``MAX_CANDIDATES`` sentences are candidates.
    """
    return rank_sentences_for(sentences, (count,), lang, title, settings, model)[0]


def rank_sentences_for(
    sentences: Sequence[str],
    counts: Sequence[int],
    lang: str = "en",
    title: str | None = None,
    settings: RankerSettings = DEFAULT_SETTINGS,
    model: RankerModel | None = None,
) -> list[list[int]]:
    """``rank_sentences`` for each of ``counts``, reading the text once: the analysis is most
    of the cost, and only the set search depends on the count."""
    sentences = sentences[:MAX_CANDIDATES]
    model = model or default_model()
    analysis: Analysis | None = None
    fallback: tuple[Analysis, np.ndarray] | None = None
    picks: list[list[int]] = []
    for count in counts:
        if count <= 0 or count >= len(sentences):
            picks.append(list(range(len(sentences))) if count > 0 else [])
            continue
        if analysis is None:
            analysis = analyse(sentences, lang, title, settings)
        picked = pick(analysis, count, model, settings)
        if picked is None:
            # The fallback reads every sentence, and its furniture rule every one of them.
            if fallback is None:
                everything = analyse(sentences, lang, title, settings, everything=True)
                fallback = (everything, model.scores(everything.features))
            picked = sorted(_greedy(fallback[0], count, fallback[1], model.redundancy, settings))
        picks.append(picked)
    return picks
