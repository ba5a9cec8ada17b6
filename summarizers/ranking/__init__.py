"""Sentence selection: Newsbrief's default ranker, the lead and sumy's methods, by name.

``select_sentences`` (``methods``) is the entry point, and ``select_sentence_sets`` picks for
several counts from one reading of the text; ``ranker`` is the default method, ``news_rules``
the sentence rules it applies and ``similarity`` its bag-of-words vectors.
"""

from summarizers.ranking.methods import (
    DEFAULT_METHOD,
    METHODS,
    select_sentence_sets,
    select_sentences,
)

__all__ = ["DEFAULT_METHOD", "METHODS", "select_sentence_sets", "select_sentences"]
