"""Render summaries for a terminal: plain text, Markdown or JSON."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from datetime import UTC
from typing import Any

from bot.chat.wording.labels import (
    label,
    lead_line,
    outlet_names,
    partial_note,
    shown_language,
    story_title,
    topic_name,
)
from bot.chat.wording.numerals import conflict_pairs, story_figures, summary_figures
from bot.chat.wording.updates import change_phrase, new_outlet_articles, update_heading, update_word
from bot.models import Digest, FigureConflict, KeyFigure, StoryUpdate, Summary

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
        "partial": summary.partial,
        "note": partial_note(summary),
        "lead": summary.lead,
    }
    if with_text:
        record["text"] = article.text
    return record


# C0/C1 controls (escape sequences) and the bidirectional embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069) that make a terminal show text in another order than it is.
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Text without control or bidi override characters: an article or feed must not drive
    the user's terminal or reorder what it shows."""
    return _TERMINAL_CONTROLS.sub("", text)


def render_summary(
    summary: Summary, fmt: str = "text", width: int | None = None, *, language: str = "en"
) -> str:
    """The summary in one of ``FORMATS``, the bot's own words in ``language``."""
    if fmt == "json":
        return json.dumps(summary_record(summary), ensure_ascii=False, indent=2)
    if fmt == "markdown":
        return terminal_safe(_markdown(summary, language))
    width = width or min(shutil.get_terminal_size((100, 24)).columns, 100)
    return terminal_safe(_text(summary, width, language))


def _meta_line(summary: Summary, language: str) -> str:
    """'BBC Mundo · Matt Murphy · 2023-12-28 · es · URL' (the language when not the channel's)."""
    article = summary.article
    parts = [
        article.source,
        article.byline,
        article.published.date().isoformat() if article.published else None,
        shown_language(article.lang, language),
        article.canonical_url or article.url,
    ]
    return " · ".join(p for p in parts if p)


def _text(summary: Summary, width: int, language: str) -> str:
    bullet = textwrap.TextWrapper(width=width, initial_indent="  • ", subsequent_indent="    ")
    quote = textwrap.TextWrapper(width=width, initial_indent="      “", subsequent_indent="       ")
    lines = [summary.article.title or label("untitled", language)]
    meta = _meta_line(summary, language)
    if meta:
        lines.append(meta)
    note = partial_note(summary, language)
    if note:
        lines += ["", textwrap.fill(f"[{label('partial', language)}] {note}", width)]
    lead = lead_line(summary)
    if lead:
        lines += ["", textwrap.fill(lead, width)]
    if summary.sentences:
        lines += ["", label("summary", language)]
        lines += [bullet.fill(sentence) for sentence in summary.sentences]
    if summary.figures:
        lines += ["", label("key_figures", language)]
        for figure in summary_figures(summary, language):
            lines.append(bullet.fill(figure_phrase(figure)))
            lines.append(quote.fill(figure.sentence) + "”")
    return "\n".join(lines)


def _markdown(summary: Summary, language: str) -> str:
    article = summary.article
    url = article.canonical_url or article.url
    title = article.title or label("untitled", language)
    lines = [f"## [{title}]({url})" if url else f"## {title}"]
    meta = _meta_line(summary, language)
    if meta:
        lines.append(f"*{meta}*")
    lines.append("")
    note = partial_note(summary, language)
    if note:
        lines += [f"> **{label('partial', language)}:** {note}", ""]
    lead = lead_line(summary)
    if lead:
        lines += [f"**{lead}**", ""]
    lines += [f"- {sentence}" for sentence in summary.sentences]
    if summary.figures:
        lines += ["", f"**{label('key_figures', language)}**", ""]
        for figure in summary_figures(summary, language):
            head = " ".join(
                p for p in (figure.qualifier, f"**{figure.surface}**", figure.counted) if p
            )
            lines.append(f"- {head}" + (f" ({figure.period})" if figure.period else ""))
    return "\n".join(lines)


def digest_record(digest: Digest) -> dict[str, Any]:
    """The JSON shape of ``newsbrief digest --format json``."""
    return {
        "topic": digest.topic,
        "since": digest.since.isoformat(),
        "until": digest.until.isoformat(),
        "stories": [
            {
                "title": story.title,
                "sentences": list(story.summary.sentences),
                "figures": [figure.as_dict() for figure in story.figures],
                "conflicts": [
                    {"counted": c.counted, "values": [list(v) for v in c.values]}
                    for c in story.conflicts
                ],
                "articles": [
                    {
                        "url": article.canonical_url or article.url,
                        "title": article.title,
                        "source": article.source,
                        "lang": article.lang,
                        "published": article.published.isoformat() if article.published else None,
                    }
                    for article in story.articles
                ],
            }
            for story in digest.stories
        ],
        "more_stories": digest.more_stories,
        "more_links": list(digest.more_links),
        "more_headlines": [
            {"title": item.title, "url": item.url, "source": item.source}
            for item in digest.more_headlines
        ],
        "feeds_failed": list(digest.feeds_failed),
    }


def conflict_phrase(conflict: FigureConflict, language: str = "en") -> str:
    """'apprehensions: 190,000 (CBP) vs 225,000 (Reuters)'."""
    versus = f" {label('versus', language)} "
    pairs = conflict_pairs(conflict, language)
    values = versus.join(f"{surface} ({outlet})" for surface, outlet in pairs)
    return f"{conflict.counted}: {values}"


def render_digest(digest: Digest, fmt: str = "text", language: str = "en") -> str:
    """The digest in one of ``FORMATS`` (labels in the channel's language)."""
    if fmt == "json":
        return json.dumps(digest_record(digest), ensure_ascii=False, indent=2)
    return terminal_safe(_digest_text(digest, fmt == "markdown", language))


def _digest_text(digest: Digest, md: bool, language: str) -> str:
    title = label("digest_title", language, topic=topic_name(digest.topic, language))
    title = title[:1].upper() + title[1:]
    since, until = (moment.astimezone(UTC) for moment in (digest.since, digest.until))
    period = f"{since:%d %b %H:%M} – {until:%d %b %H:%M} UTC"
    lines = [f"# {title}" if md else title.upper(), f"_{period}_" if md else period, ""]
    if not digest.stories:
        lines.append(label("digest_empty", language, topic=topic_name(digest.topic, language)))
    for number, story in enumerate(digest.stories, 1):
        lead = story.summary.article
        link = lead.canonical_url or lead.url
        heading = f"{number}. {story_title(story, language)}"
        lines.append(
            f"## [{heading}]({link})" if md and link else f"## {heading}" if md else heading
        )
        lines += [f"{'-' if md else '  •'} {sentence}" for sentence in story.summary.sentences]
        if story.figures:
            shown = story_figures(story, language)[:4]
            figures = "; ".join(figure_phrase(figure) for figure in shown)
            lines.append(
                f"{'**' if md else '  '}{label('key_figures', language)}"
                f"{':**' if md else ':'} {figures}"
            )
        for conflict in story.conflicts:
            differ = label("figures_differ", language)
            lines.append(f"  {differ}: {conflict_phrase(conflict, language)}")
        links = [(outlet_names([a], language)[0], a.canonical_url or a.url) for a in story.articles]
        outlets = ", ".join(f"[{name}]({url})" if md else f"{name} <{url}>" for name, url in links)
        lines += [f"  {label('sources', language)}: {outlets}", ""]
    for update in digest.updates:
        lines += _update_lines(update, md, language)
    if digest.more_stories:
        lines.append(label("more_stories", language, count=digest.more_stories))
        for item in digest.more_headlines:
            name = f"{item.title} ({item.source})" if item.source else item.title
            where = f" <{item.url}>" if item.url else ""
            lines.append(f"- [{name}]({item.url})" if md and item.url else f"  • {name}{where}")
    if digest.feeds_failed:
        lines.append(
            f"{label('feeds_failed', language)} ({len(digest.feeds_failed)}): "
            + ", ".join(digest.feeds_failed)
        )
    return "\n".join(lines).rstrip() + "\n"


def _update_lines(update: StoryUpdate, md: bool, language: str) -> list[str]:
    """An earlier story's new coverage: its "Update:" heading, new outlets, changed figures."""
    heading = update_heading(update, language)
    lines = [f"## {heading}" if md else heading.upper()]
    outlets = [
        (f"[{name}]({article.link})" if md else f"{name} <{article.link}>")
        if article.link
        else name
        for name, article in new_outlet_articles(update, language)
    ]
    if outlets:
        lines.append(f"  {update_word('new_outlets', language)}: {', '.join(outlets)}")
    lines += [f"{'-' if md else '  •'} {change_phrase(c, language)}" for c in update.changes]
    return [*lines, ""]
