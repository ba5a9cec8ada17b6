"""Key figures: find the numbers in a text, read their values and context, and rank them.

``extract_figures`` (``extract``) is the entry point. Below it, ``reading/`` finds number
mentions and reads their values (``numbers`` over ``scan``, ``spelled``, ``patterns``,
``protected``, ``style``, ``words``, ``invisible``), and ``meaning/`` reads what a number counts,
its qualifier and its period (``context`` with ``context_before`` and ``english_words``,
``context_es``, ``periods``), relates a sentence's numbers (``links``) and tells numbers that are
not amounts (``not_amounts``: ranks, names, models, clock times).
"""

from summarizers.figures.extract import extract_figures
from summarizers.figures.reading.numbers import NumberMention, find_numbers

__all__ = ["NumberMention", "extract_figures", "find_numbers"]
