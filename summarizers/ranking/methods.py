"""Extractive summarization methods by name: Newsbrief's own ranker, LEAD and sumy's methods."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers._summarizer import AbstractSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from summarizers.ranking.ranker import MAX_CANDIDATES, rank_sentences_for
from summarizers.ranking.similarity import language_name
from summarizers.stopwords import stop_words

DEFAULT_METHOD = "newsbrief"


class _SumBasicSummarizer(SumBasicSummarizer):
    """sumy's SumBasic, normalising document words like sentence words (sumy issue #176).

    sumy stems the document's words before dropping stop words but a sentence's words after,
    so a word whose stem is a stop word ("appears" -> "appear") raises KeyError.
    """

    def _get_all_content_words_in_doc(self, sentences: Sequence[Sentence]) -> list[str]:
        return [word for s in sentences for word in self._get_content_words_in_sentence(s)]


_SUMY_SUMMARIZERS: dict[str, Callable[[Stemmer], AbstractSummarizer]] = {
    "lexrank": LexRankSummarizer,
    "textrank": TextRankSummarizer,
    "lsa": LsaSummarizer,
    "luhn": LuhnSummarizer,
    "sumbasic": _SumBasicSummarizer,
}

METHODS: tuple[str, ...] = (DEFAULT_METHOD, "lead", *_SUMY_SUMMARIZERS)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


class _WordTokenizer:
    """The part of sumy's Tokenizer its summarizers use, without NLTK's punkt data."""

    @staticmethod
    def to_words(sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


_WORD_TOKENIZER = _WordTokenizer()


@lru_cache(maxsize=16)
def _sumy_summarizer(method: str, lang: str) -> AbstractSummarizer:
    language = language_name(lang)  # sumy names stemmers and stop words "english", ...
    summarizer = _SUMY_SUMMARIZERS[method](Stemmer(language))
    summarizer.stop_words = stop_words(language)
    return summarizer


# sumy's LexRank and TextRank grow with the square of the sentence count in pure Python (two
# minutes on 5,000 sentences): like the default method, they rank only the first sentences.
SUMY_MAX_SENTENCES = MAX_CANDIDATES


def _sumy_select(sentences: Sequence[str], count: int, method: str, lang: str) -> list[int]:
    sentences = sentences[:SUMY_MAX_SENTENCES]
    sumy_sentences = [Sentence(text, _WORD_TOKENIZER) for text in sentences]
    document = ObjectDocumentModel([Paragraph(sumy_sentences)])
    # sumy hands back its Sentence objects; equal texts hash alike, so map by identity.
    index_of = {id(sentence): index for index, sentence in enumerate(sumy_sentences)}
    summarizer = _sumy_summarizer(method, lang)
    try:
        picked = summarizer(document, count)
    except np.linalg.LinAlgError:
        # LSA's SVD has failed to converge once in a few thousand runs here, and not again on
        # the same input (multi-threaded BLAS on a busy machine): one retry, then give up.
        picked = summarizer(document, count)
    chosen = {index_of[id(sentence)] for sentence in picked}
    # LSA returns nothing when no word survives its stop words ("It is what it is."): fill up
    # with the leading sentences so every method honours the count.
    for index in range(len(sentences)):
        if len(chosen) >= count:
            break
        chosen.add(index)
    return sorted(chosen)


def select_sentences(
    sentences: Sequence[str],
    count: int,
    method: str = DEFAULT_METHOD,
    lang: str = "en",
    title: str | None = None,
) -> list[int]:
    """Indices (ascending, i.e. document order) of at most ``count`` sentences to keep.

    Raises ValueError for a method name not in ``METHODS``.
    """
    return select_sentence_sets(sentences, (count,), method, lang, title)[0]


def select_sentence_sets(
    sentences: Sequence[str],
    counts: Sequence[int],
    method: str = DEFAULT_METHOD,
    lang: str = "en",
    title: str | None = None,
) -> list[list[int]]:
    """``select_sentences`` for each of ``counts``; the default method reads the text once for
    all of them (the lead line's summary asks for one sentence more than the bullets)."""
    if method not in METHODS:
        raise ValueError(f"Unknown summary method {method!r}; choose one of {', '.join(METHODS)}.")
    counts = [min(count, len(sentences)) for count in counts]
    if method == DEFAULT_METHOD:
        return rank_sentences_for(sentences, counts, lang=lang, title=title)
    if method == "lead":
        return [list(range(count)) for count in counts]
    return [_sumy_select(sentences, count, method, lang) if count > 0 else [] for count in counts]
