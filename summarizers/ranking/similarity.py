"""Bag-of-words sentence vectors, their similarities and graph centrality, vectorised with numpy."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from nltk.stem.snowball import SnowballStemmer

from summarizers.stopwords import stop_words

# Snowball stemmers and the stop-word lists ship with the packages: no downloaded data.
_LANGUAGE_NAMES = {"en": "english", "es": "spanish"}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_BREAK = "\x00"
_WORDS_AND_BREAKS = re.compile(_WORD.pattern + "|" + _BREAK)


def language_name(lang: str) -> str:
    """'english' for 'en', 'en-GB' and unknown codes; 'spanish' for 'es'."""
    return _LANGUAGE_NAMES.get(lang.split("-")[0].lower(), "english")


class _TermCache:
    """Word -> (Snowball stem, whether it is a content word), cached: news repeats its words and
    Snowball stemming is the costly part of tokenizing. ``numbers`` gives each word its stem's
    number, so a text's words become term numbers in one C-level lookup each."""

    def __init__(self, language: str) -> None:
        self._stop_words = stop_words(language)
        self._stem = SnowballStemmer(language).stem
        self._terms: dict[str, tuple[str, bool]] = {}
        self._stem_numbers: dict[str, int] = {}
        self._next_number = itertools.count()
        self.numbers = _StemNumbers(self)

    def __call__(self, word: str) -> tuple[str, bool]:
        term = self._terms.get(word)
        if term is None:
            if len(self._terms) > _MAX_CACHED_WORDS:
                self._terms.clear()
            term = (self._stem(word), word not in self._stop_words)
            self._terms[word] = term
        return term

    def stem_number(self, stem: str) -> int:
        """A number for ``stem``, the same on every call; never given to another stem."""
        number = self._stem_numbers.get(stem)
        if number is None:  # next() is atomic: two threads never draw the same number
            number = self._stem_numbers.setdefault(stem, next(self._next_number))
        return number


class _StemNumbers(dict[str, int]):
    """Word -> its stem's number, -1 for a stop word, -2 for the sentence break; a word is
    stemmed on its first look-up (``__missing__``), later ones are plain dict look-ups."""

    def __init__(self, terms: _TermCache) -> None:
        super().__init__({_BREAK: -2})
        self._terms = terms

    def __missing__(self, word: str) -> int:
        stem, content = self._terms(word)
        number = self._terms.stem_number(stem) if content else -1
        self[word] = number
        return number


_MAX_CACHED_WORDS = 200_000
_term_caches: dict[str, _TermCache] = {}


def _term_cache(language: str) -> _TermCache:
    cache = _term_caches.get(language)
    if cache is None or len(cache.numbers) > _MAX_CACHED_WORDS:
        # A new cache, not this one cleared: a text still being read keeps its stem numbers.
        cache = _term_caches[language] = _TermCache(language)
    return cache


def content_terms(text: str, language: str) -> list[str]:
    """Stemmed, lower-cased words of ``text`` that are not stop words."""
    term_of = _term_cache(language)
    return [stem for stem, content in map(term_of, _WORD.findall(text.lower())) if content]


@dataclass(frozen=True, slots=True)
class SentenceVectors:
    """TF-IDF rows (unit length) and word-presence rows for a document's sentences."""

    # (first ``rows`` sentences, shared terms), rows L2-normalised over all their terms: only
    # the sentences the ranker scores need a dense row; similarity and centrality use the
    # sparse pairs below, which cover every sentence.
    tfidf: np.ndarray
    # The nonzero cells of every sentence's TF-IDF row as (sentence, shared term) pairs,
    # grouped by term: the word-presence matrix, kept sparse.
    presence_rows: np.ndarray
    presence_columns: np.ndarray
    term_counts: np.ndarray  # (sentences,) distinct content terms in each sentence
    query: np.ndarray | None  # the title as a unit TF-IDF row over the same terms, if given


def sentence_vectors(
    sentences: Sequence[str], language: str, query: str | None = None, rows: int | None = None
) -> SentenceVectors:
    """Vectors for ``sentences`` (and ``query``) over the terms at least two texts share;
    dense TF-IDF rows for the first ``rows`` sentences (default all).

    Terms found in one sentence only add nothing to any similarity between sentences, so they
    count in the row norms and are then dropped: that keeps a 400-sentence matrix small.
    """
    count = len(sentences)
    rows = count if rows is None else min(rows, count)
    term_of = _term_cache(language)
    # One findall over the text, sentences joined by a separator no word holds and that
    # lower() leaves alone: one regex call instead of one per sentence. Each separator found
    # starts the next sentence's words.
    text = _BREAK.join(sentences)
    if count and text.count(_BREAK) != count - 1:  # a sentence holds one: a space reads the same
        text = _BREAK.join(sentence.replace(_BREAK, " ") for sentence in sentences)
    words = _WORDS_AND_BREAKS.findall(text.lower())
    # Each word as its stem's number (stop words -1, breaks -2); then the stems numbered 0, 1,
    # ... in order of first use in this text: the term columns.
    numbers = np.fromiter(map(term_of.numbers.__getitem__, words), dtype=np.int64, count=len(words))
    word_rows = np.cumsum(numbers == -2)
    is_term = numbers >= 0
    word_rows = word_rows[is_term]
    stem_numbers, first_use, stem_index = np.unique(
        numbers[is_term], return_index=True, return_inverse=True
    )
    term_column = np.empty(len(stem_numbers), dtype=np.int64)
    term_column[np.argsort(first_use)] = np.arange(len(stem_numbers))
    columns = term_column[stem_index]
    width = max(len(stem_numbers), 1)
    # (sentence, term) pairs with their counts, without a dense sentences x vocabulary matrix.
    pairs, counts = np.unique(word_rows * width + columns, return_counts=True)
    pair_rows, pair_columns = np.divmod(pairs, width)
    document_frequency = np.bincount(pair_columns, minlength=width)
    idf = np.log((count + 1.0) / (document_frequency + 0.5))
    weights = counts * idf[pair_columns]
    norms = np.sqrt(np.bincount(pair_rows, weights=weights * weights, minlength=count))

    query_weights = np.zeros(width)
    for word in _WORD.findall((query or "").lower()):
        number = term_of.numbers[word]
        index = int(np.searchsorted(stem_numbers, number))
        if number >= 0 and index < len(stem_numbers) and stem_numbers[index] == number:
            query_weights[term_column[index]] += idf[term_column[index]]
    query_norm = np.linalg.norm(query_weights)

    shared = (document_frequency >= 2) | (query_weights > 0)
    column_of = np.cumsum(shared) - 1
    keep = shared[pair_columns]
    kept_rows, kept_columns = pair_rows[keep], column_of[pair_columns[keep]]
    dense = int(np.searchsorted(kept_rows, rows))  # pairs come sorted by sentence
    dense_rows = kept_rows[:dense]
    tfidf = np.zeros((rows, int(shared.sum())))
    tfidf[dense_rows, kept_columns[:dense]] = weights[keep][:dense] / norms[dense_rows]
    by_term = np.argsort(kept_columns, kind="stable")
    return SentenceVectors(
        tfidf=tfidf,
        presence_rows=kept_rows[by_term],
        presence_columns=kept_columns[by_term],
        term_counts=np.bincount(pair_rows, minlength=count).astype(np.float64),
        query=query_weights[shared] / query_norm if query_norm > 0 else None,
    )


def shared_terms(vectors: SentenceVectors) -> np.ndarray:
    """How many content terms each pair of sentences shares (diagonal: the shared-term count).

    Counted from the sparse (term, sentence) pairs rather than with ``presence @ presence.T``:
    a multi-threaded BLAS product of this size is several times slower on a busy machine.
    """
    count = len(vectors.term_counts)
    terms, rows = vectors.presence_columns, vectors.presence_rows  # grouped by term
    sizes = np.bincount(terms, minlength=vectors.tfidf.shape[1])
    starts = np.cumsum(sizes) - sizes
    repeats = sizes[terms]  # each (term, sentence) pair meets every sentence with that term
    left = np.repeat(rows, repeats)
    first_partner = np.repeat(starts[terms], repeats)
    offset = np.arange(repeats.sum()) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    right = rows[first_partner + offset]
    pairs = np.bincount(left * count + right, minlength=count * count)
    return pairs.reshape(count, count).astype(np.float64)


def overlap_similarity(shared: np.ndarray, term_counts: np.ndarray) -> np.ndarray:
    """TextRank's similarity: shared terms / (log |s1| + log |s2|), zero on the diagonal."""
    log_lengths = np.log(term_counts + 2.0)
    similarity = np.add(log_lengths[:, None], log_lengths[None, :])
    np.divide(shared, similarity, out=similarity)  # in place: one count x count array, not two
    np.fill_diagonal(similarity, 0.0)
    return similarity


def pagerank(similarity: np.ndarray, damping: float = 0.85, iterations: int = 40) -> np.ndarray:
    """Stationary scores of a random walk on a symmetric ``similarity`` (rows sum to 1), mean 1."""
    count = similarity.shape[0]
    out_weight = similarity.sum(axis=1)[None, :]
    # The transition matrix (rows divided by their sums), transposed: ``similarity`` is
    # symmetric, so dividing its columns gives the same numbers without a transposed copy.
    transposed = np.divide(
        similarity, out_weight, out=np.full_like(similarity, 1.0 / count), where=out_weight > 0
    )
    scores = np.full(count, 1.0 / count)
    for _ in range(iterations):
        scores = (1.0 - damping) / count + damping * (transposed @ scores)
    return scores * count
