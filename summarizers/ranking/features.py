"""Sentence features the learned ranker scores: position, length, centrality, title, news flags."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from summarizers.ranking.news_rules import SentenceFlags
from summarizers.ranking.similarity import SentenceVectors

# The order of the columns, and the names the model file must list in the same order.
FEATURE_NAMES: tuple[str, ...] = (
    # Position only through terms that fall with it, so that no later sentence outranks an
    # earlier one on position alone (one-hot positions learned a dip at the lead, from long
    # first sentences that the length terms already penalise).
    "log_lead_rank",  # log(1 + rank among the usable sentences: well formed, not furniture)
    "relative_position",  # index / sentence count
    # The same for every sentence of an article, so it ranks nothing; it takes up how the share
    # of summary sentences falls with length, which would otherwise bend the position weights.
    "log_sentences",  # log of the article's sentence count
    "words",  # words / 20, in English-length words (Spanish sentences run longer)
    "words_squared",
    "centrality",  # TextRank PageRank, mean 1
    "content_share",  # distinct content terms / words: how much the sentence says
    "capitalised_share",  # capitalised words after the first / words: names, places
    "lead_similarity",  # TF-IDF cosine with the first usable sentence
    "title_similarity",  # TF-IDF cosine with the title (0 without one)
    "question_title_similarity",  # the same when the title asks a question (the answer is news)
    "figures",
    "quote",
    "question",
    "caption",
    "dangling",
)


def sentence_features(
    sentences: Sequence[str],
    flags: SentenceFlags,
    vectors: SentenceVectors,
    centrality: np.ndarray,
    word_counts: np.ndarray,
    question_title: bool,
    length_scale: float = 1.0,
) -> np.ndarray:
    """One row of ``FEATURE_NAMES`` per sentence ``flags`` covers (the first ones, or all)."""
    count = len(flags.figures)
    total = len(centrality)
    index = np.arange(count, dtype=np.float64)
    usable = flags.well_formed
    lead_rank = np.where(usable, np.cumsum(usable) - 1, 99).astype(np.float64)
    tfidf = vectors.tfidf[:count]
    usable_indices = np.flatnonzero(usable)
    lead = usable_indices[0] if len(usable_indices) else 0
    lead_similarity = tfidf @ vectors.tfidf[lead]
    title = tfidf @ vectors.query if vectors.query is not None else np.zeros(count)
    words = word_counts[:count] / (20.0 * length_scale)
    capitalised = np.fromiter(
        (sum(word[:1].isupper() for word in sentence.split()[1:]) for sentence in sentences),
        dtype=np.float64,
        count=count,
    )
    columns = (
        np.log1p(np.minimum(lead_rank, 30.0)),
        index / total,
        np.full(count, np.log(total)),
        words,
        words * words,
        centrality[:count],
        vectors.term_counts[:count] / np.maximum(word_counts[:count], 1),
        capitalised / np.maximum(word_counts[:count], 1),
        lead_similarity,
        title,
        title * question_title,
        flags.figures,
        flags.quote,
        flags.question,
        flags.caption,
        flags.dangling,
    )
    return np.column_stack([np.asarray(column, dtype=np.float64) for column in columns])
