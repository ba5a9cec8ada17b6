"""Discord's limits and the small pieces every embed is built from: clipping, links, bullets."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import discord

from adapters.discord.rendering.safety import quote
from bot.models import Article

# Discord's documented limits (https://discord.com/developers/docs/resources/message).
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELDS_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000  # all titles, descriptions, fields and footers of one message together
EMBEDS_PER_MESSAGE = 10
CONTENT_LIMIT = 2000
URL_LIMIT = 2048

SUMMARY_FIGURE_FIELDS = 6  # figures shown as fields (with their sentence) under a summary
FIGURE_QUOTE_CHARS = 300
DIGEST_FIGURES = 5  # figures per digest story, as a compact list
MARKER_RESERVE = 80  # room kept in each digest message for the "part i/n · ref" footer marker
COLOUR = discord.Colour(0x2B6CB0)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def article_link(article: Article) -> str | None:
    """The embed URL: canonical if browsers and Python agree on its host, else the fetched one
    (``link_target``), and short enough for Discord; anything else is dropped."""
    url = article.link
    return url if url and len(url) <= URL_LIMIT else None


def bullets(sentences: Iterable[str], limit: int) -> str:
    """Whole sentences as a bulleted list, as many as fit in ``limit`` (the first one clipped)."""
    lines: list[str] = []
    used = 0
    for sentence in sentences:
        line = f"• {quote(sentence)}"
        if used + len(line) + 1 > limit:
            if not lines:
                lines.append(clip(line, limit))
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines)


def short_date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def footer_text(*parts: str | None) -> str:
    return clip(" · ".join(p for p in parts if p), FOOTER_LIMIT)


def fit(embed: discord.Embed, limit: int) -> None:
    """Drop fields from the end, then shorten the description, until the embed fits ``limit``."""
    while len(embed) > limit and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > limit and embed.description:
        excess = len(embed) - limit
        embed.description = clip(embed.description, max(1, len(embed.description) - excess))
