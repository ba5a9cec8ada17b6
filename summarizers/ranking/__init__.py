"""Sentence selection: Newsbrief's default ranker, the lead and sumy's methods, by name.

``select_sentences`` (``methods``) is the entry point; ``ranker`` is the default method,
``news_rules`` the sentence rules it applies and ``similarity`` its bag-of-words vectors.
"""

from summarizers.ranking.methods import DEFAULT_METHOD, METHODS, select_sentences

__all__ = ["DEFAULT_METHOD", "METHODS", "select_sentences"]
