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
    started, cpu_started = time.perf_counter(), time.thread_time()
    if sentences is None:
        sentences = split_sentences(text, lang)
    split_done = time.perf_counter()
    counts = (count,) if more is None else (count, more)
    picks = select_sentence_sets(sentences, counts, method=method, lang=lang, title=title)
    ranked, cpu_ranked = time.perf_counter(), time.thread_time()
    figures = extract_figures(sentences, lang=lang, limit=max_figures)
    finished, cpu_finished = time.perf_counter(), time.thread_time()
    return TextSummary(
        sentences=tuple(sentences[i] for i in picks[0]),
        figures=tuple(figures),
        method=method,
        lang=lang,
        timings_ms={
            "split": (split_done - started) * 1000,
            "rank": (ranked - split_done) * 1000,
            "figures": (finished - ranked) * 1000,
            # this thread's CPU time: what the work costs, whatever else the machine runs
            "split+rank cpu": (cpu_ranked - cpu_started) * 1000,
            "figures cpu": (cpu_finished - cpu_ranked) * 1000,
        },
        more=None if more is None else tuple(sentences[i] for i in picks[1]),
    )
