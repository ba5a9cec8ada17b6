"""Render summaries for a terminal: plain text, Markdown or JSON."""

from __future__ import annotations

import json
import shutil
import textwrap
from typing import Any

from bot.models import KeyFigure, Summary

FORMATS = ("text", "markdown", "json")


def figure_phrase(figure: KeyFigure) -> str:
    """'more than 190,000 apprehensions (November)': the figure as a short readable phrase."""
    head = " ".join(p for p in (figure.qualifier, figure.surface, figure.counted) if p)
    return f"{head} ({figure.period})" if figure.period else head


def summary_record(summary: Summary, *, with_text: bool = False) -> dict[str, Any]:
    """The JSON shape shared by ``--format json`` and ``--jsonl``."""
    article = summary.article
    record: dict[str, Any] = {
        "title": article.title,
        "url": article.canonical_url or article.url,
        "source": article.source,
        "byline": article.byline,
        "published": article.published.isoformat() if article.published else None,
        "lang": article.lang,
        "method": summary.method,
        "sentences": list(summary.sentences),
        "figures": [figure.as_dict() for figure in summary.figures],
    }
    if with_text:
        record["text"] = article.text
    return record


def render_summary(summary: Summary, fmt: str = "text", width: int | None = None) -> str:
    """The summary in one of ``FORMATS``."""
    if fmt == "json":
        return json.dumps(summary_record(summary), ensure_ascii=False, indent=2)
    if fmt == "markdown":
        return _markdown(summary)
    return _text(summary, width or min(shutil.get_terminal_size((100, 24)).columns, 100))


def _meta_line(summary: Summary) -> str:
    article = summary.article
    parts = [
        article.source,
        article.byline,
        article.published.date().isoformat() if article.published else None,
        article.canonical_url or article.url,
    ]
    return " · ".join(p for p in parts if p)


def _text(summary: Summary, width: int) -> str:
    bullet = textwrap.TextWrapper(width=width, initial_indent="  • ", subsequent_indent="    ")
    quote = textwrap.TextWrapper(width=width, initial_indent="      “", subsequent_indent="       ")
    lines = [summary.article.title or "(untitled)"]
    meta = _meta_line(summary)
    if meta:
        lines.append(meta)
    lines += ["", "Summary"]
    lines += [bullet.fill(sentence) for sentence in summary.sentences]
    if summary.figures:
        lines += ["", "Key figures"]
        for figure in summary.figures:
            lines.append(bullet.fill(figure_phrase(figure)))
            lines.append(quote.fill(figure.sentence) + "”")
    return "\n".join(lines)


def _markdown(summary: Summary) -> str:
    article = summary.article
    url = article.canonical_url or article.url
    title = article.title or "(untitled)"
    lines = [f"## [{title}]({url})" if url else f"## {title}"]
    meta = _meta_line(summary)
    if meta:
        lines.append(f"*{meta}*")
    lines.append("")
    lines += [f"- {sentence}" for sentence in summary.sentences]
    if summary.figures:
        lines += ["", "**Key figures**", ""]
        for figure in summary.figures:
            head = " ".join(
                p for p in (figure.qualifier, f"**{figure.surface}**", figure.counted) if p
            )
            lines.append(f"- {head}" + (f" ({figure.period})" if figure.period else ""))
    return "\n".join(lines)
