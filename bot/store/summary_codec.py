"""How every backend keeps a summary: its sentences and key figures as JSON text, and back."""

from __future__ import annotations

import json
from dataclasses import asdict, fields

from summarizers.types import KeyFigure, TextSummary

_FIGURE_FIELDS = frozenset(f.name for f in fields(KeyFigure))


def encode_summary(summary: TextSummary) -> tuple[str, str]:
    """(sentences, figures) as the JSON text the ``summaries`` table holds."""
    sentences = json.dumps(list(summary.sentences), ensure_ascii=False)
    figures = json.dumps([asdict(figure) for figure in summary.figures], ensure_ascii=False)
    return sentences, figures


def decode_summary(sentences: str, figures: str, *, method: str, lang: str) -> TextSummary | None:
    """The stored summary, or None when an older KeyFigure shape saved it (a cache miss)."""
    try:
        key_figures = tuple(
            KeyFigure(**{k: v for k, v in item.items() if k in _FIGURE_FIELDS})
            for item in json.loads(figures)
        )
    except TypeError:
        return None
    return TextSummary(
        sentences=tuple(json.loads(sentences)), figures=key_figures, method=method, lang=lang
    )
