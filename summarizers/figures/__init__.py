"""Key figures: find the numbers in a text, read their values and context, and rank them.

``extract_figures`` (``extract``) is the entry point. Below it: ``numbers`` finds number mentions
(``scan``, ``spelled``, ``patterns``, ``protected``, ``style``, ``words``) and ``context``
(with ``context_before`` and ``english_words``), ``context_es`` and ``periods`` read what a
number counts, its qualifier and its period; ``links`` relates a sentence's numbers and
``not_amounts`` tells numbers that are not amounts (ranks, names, models, clock times).
"""

from summarizers.figures.extract import extract_figures
from summarizers.figures.numbers import NumberMention, find_numbers

__all__ = ["NumberMention", "extract_figures", "find_numbers"]
