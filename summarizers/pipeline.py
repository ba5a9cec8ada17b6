"""The text pipeline: clean text -> sentences -> picked sentences + key figures."""

from __future__ import annotations

import time

from summarizers.figures.extract import extract_figures
from summarizers.ranking.methods import DEFAULT_METHOD, select_sentence_sets
from summarizers.sentences import split_sentences
from summarizers.types import TextSummary


def summarize_text(
    text: str,
    *,
    title: str | None = None,
    count: int = 3,
    method: str = DEFAULT_METHOD,
    lang: str = "en",
    max_figures: int | None = 8,
    sentences: list[str] | None = None,
    more: int | None = None,
) -> TextSummary:
    """Pick ``count`` sentences of ``text`` (document order) and extract its key figures.

    ``sentences``: ``split_sentences(text, lang)`` when the caller has it already (splitting
    is a fifth of the cost of a summary, so it is not done twice). ``more``: also pick this
    many sentences (``TextSummary.more``) from the same reading of the text, which costs the
    default method a set search, not a second ranking.
    """
    started = time.perf_counter()
    if sentences is None:
        sentences = split_sentences(text, lang)
    split_done = time.perf_counter()
    counts = (count,) if more is None else (count, more)
    picks = select_sentence_sets(sentences, counts, method=method, lang=lang, title=title)
    ranked = time.perf_counter()
    figures = extract_figures(sentences, lang=lang, limit=max_figures)
    finished = time.perf_counter()
    return TextSummary(
        sentences=tuple(sentences[i] for i in picks[0]),
        figures=tuple(figures),
        method=method,
        lang=lang,
        timings_ms={
            "split": (split_done - started) * 1000,
            "rank": (ranked - split_done) * 1000,
            "figures": (finished - ranked) * 1000,
        },
        more=None if more is None else tuple(sentences[i] for i in picks[1]),
    )
