"""Pure rendering of summaries, digests and text replies as Discord embeds within its limits."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import discord

from adapters.console_render import figure_phrase
from adapters.discord.safety import ZWSP, defuse, quote
from bot.chat.labels import label, outlet_names, shown_language, story_title, topic_name
from bot.chat.requests import Reply
from bot.models import Article, Digest, Story, Summary
from bot.web.urls import link_target

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

# "part" in the channel's language; both spellings are read back after a crash.
_MARKER = re.compile(r"(?:part|parte) (\d+)/(\d+) · ref ([0-9a-f]{12})")


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _link(article: Article) -> str | None:
    """The embed URL: canonical if browsers and Python agree on its host, else the fetched one
    (``link_target``), and short enough for Discord; anything else is dropped."""
    url = link_target(article.canonical_url) or link_target(article.url)
    return url if url and len(url) <= URL_LIMIT else None


def _bullets(sentences: Iterable[str], limit: int) -> str:
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


def _date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def _footer(*parts: str | None) -> str:
    return clip(" · ".join(p for p in parts if p), FOOTER_LIMIT)


def summary_embed(summary: Summary, language: str = "en") -> discord.Embed:
    """One embed: linked title, summary sentences, figures; outlet, date, language in the footer."""
    article = summary.article
    title = article.title or label("untitled", language)
    embed = discord.Embed(
        title=clip(quote(title), TITLE_LIMIT),
        url=_link(article),
        description=_bullets(summary.sentences, DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    for figure in summary.figures[:SUMMARY_FIGURE_FIELDS]:
        embed.add_field(
            name=clip(quote(figure_phrase(figure)), FIELD_NAME_LIMIT),
            value=clip(f"“{quote(figure.sentence)}”", FIGURE_QUOTE_CHARS),
            inline=False,
        )
    footer = _footer(
        defuse(article.source or ""),
        _date(article.published),
        shown_language(article.lang, language),
    )
    if footer:
        embed.set_footer(text=footer)
    _fit(embed, EMBED_TOTAL_LIMIT)
    return embed


def _fit(embed: discord.Embed, limit: int) -> None:
    """Drop fields from the end, then shorten the description, until the embed fits ``limit``."""
    while len(embed) > limit and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > limit and embed.description:
        excess = len(embed) - limit
        embed.description = clip(embed.description, max(1, len(embed.description) - excess))


def story_embed(story: Story, language: str = "en") -> discord.Embed:
    """A digest story: lead article's title and summary, compact figures, outlets in the footer."""
    lead = story.summary.article
    embed = discord.Embed(
        title=clip(quote(story_title(story, language)), TITLE_LIMIT),
        url=_link(lead),
        description=_bullets(story.summary.sentences, 1500),
        colour=COLOUR,
    )
    if story.figures:
        lines = [f"• {quote(figure_phrase(f))}" for f in story.figures[:DIGEST_FIGURES]]
        embed.add_field(
            name=label("key_figures", language),
            value=clip("\n".join(lines), FIELD_VALUE_LIMIT),
            inline=False,
        )
    if story.conflicts:
        lines = [
            f"• {quote(c.counted)}: "
            + "; ".join(f"{quote(surface)} ({quote(outlet)})" for surface, outlet in c.values)
            for c in story.conflicts
        ]
        embed.add_field(
            name=label("figures_differ", language),
            value=clip("\n".join(lines), FIELD_VALUE_LIMIT),
            inline=False,
        )
    outlets = f"{label('sources', language)}: {', '.join(outlet_names(story.articles, language))}"
    embed.set_footer(text=_footer(defuse(outlets), _date(lead.published)))
    _fit(embed, EMBED_TOTAL_LIMIT - MARKER_RESERVE)
    return embed


def digest_embeds(digest: Digest, language: str = "en") -> list[discord.Embed]:
    """Every embed of a digest, in reading order: header, stories, more links, failed feeds."""
    topic = topic_name(digest.topic, language)
    title = label("digest_title", language, topic=topic)
    header = discord.Embed(
        title=clip(title[:1].upper() + title[1:], TITLE_LIMIT),
        description=f"{_date(digest.since)} – {_date(digest.until)}",
        colour=COLOUR,
    )
    if not digest.stories:
        header.description = label("digest_empty", language, topic=topic)
    embeds = [header, *(story_embed(story, language) for story in digest.stories)]
    if digest.more_stories:
        links = "\n".join(f"• {quote(link)}" for link in digest.more_links)
        embeds.append(
            discord.Embed(
                title=label("more_stories", language, count=digest.more_stories),
                description=clip(links, DESCRIPTION_LIMIT) or None,
                colour=COLOUR,
            )
        )
    if digest.feeds_failed:
        failed = "\n".join(f"• {quote(reason)}" for reason in digest.feeds_failed)
        embeds.append(
            discord.Embed(
                title=label("feeds_failed", language),
                description=clip(failed, DESCRIPTION_LIMIT),
                colour=COLOUR,
            )
        )
    return embeds


def pack_embeds(embeds: Sequence[discord.Embed], *, budget: int) -> list[list[discord.Embed]]:
    """Embeds grouped into messages in order: at most 10 and ``budget`` characters each."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        length = len(embed)
        if current and (len(current) == EMBEDS_PER_MESSAGE or size + length > budget):
            messages.append(current)
            current, size = [], 0
        current.append(embed)
        size += length
    if current:
        messages.append(current)
    return messages


def delivery_tag(delivery_key: str) -> str:
    """A short stable tag for a delivery key (the full key is too long for a nonce)."""
    return hashlib.sha256(delivery_key.encode()).hexdigest()[:12]


def part_nonce(tag: str, part: int) -> str:
    """The message nonce of one part; Discord dedupes a repeated nonce (enforce_nonce)."""
    return f"nb{tag}{part:03d}"  # 17 characters; Discord allows 25


@dataclass(frozen=True, slots=True)
class DigestPart:
    """One message of a digest: its embeds, its place in the sequence, and its nonce."""

    embeds: list[discord.Embed]
    index: int  # 1-based
    total: int
    nonce: str | None


def digest_parts(
    digest: Digest, language: str = "en", delivery_key: str | None = None
) -> list[DigestPart]:
    """The digest as messages in order; with a key, each carries a "part i/n · ref" marker."""
    messages = pack_embeds(
        digest_embeds(digest, language), budget=EMBED_TOTAL_LIMIT - MARKER_RESERVE
    )
    tag = delivery_tag(delivery_key) if delivery_key else None
    parts = []
    for index, embeds in enumerate(messages, start=1):
        nonce = None
        if tag is not None:
            last = embeds[-1]
            marker = f"{label('part', language)} {index}/{len(messages)} · ref {tag}"
            last.set_footer(text=_footer(last.footer.text, marker))
            nonce = part_nonce(tag, index)
        parts.append(DigestPart(embeds, index, len(messages), nonce))
    return parts


def read_marker(embeds: Sequence[discord.Embed]) -> tuple[int, int, str] | None:
    """(part, total, tag) from a posted digest message's footer marker, if it has one."""
    for embed in reversed(embeds):
        match = _MARKER.search(embed.footer.text or "")
        if match:
            return int(match[1]), int(match[2]), match[3]
    return None


def text_chunks(text: str, limit: int = CONTENT_LIMIT) -> list[str]:
    """A text reply made inert (it echoes feed and user words) split into message-sized chunks.

    The core's text replies carry no markdown of their own, so all of it is escaped like quoted
    article text; a long line is never cut between an escaping backslash and its character.
    """
    chunks: list[str] = []
    current = ""
    for line in quote(text).splitlines():
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            run = len(line[:limit]) - len(line[:limit].rstrip("\\"))
            cut = limit - run % 2  # an escaping backslash stays with what it escapes
            chunks.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current or not chunks:
        chunks.append(current or ZWSP)
    return chunks


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to send: text content and/or embeds."""

    content: str | None = None
    embeds: list[discord.Embed] | None = None


def reply_messages(reply: Reply) -> list[Outgoing]:
    """What to post for a core Reply: its text, then its summary or its digest, in order."""
    messages = [Outgoing(content=chunk) for chunk in text_chunks(reply.text)] if reply.text else []
    if reply.summary is not None:
        messages.append(Outgoing(embeds=[summary_embed(reply.summary, reply.language)]))
    if reply.digest is not None:
        parts = digest_parts(reply.digest, reply.language)
        messages += [Outgoing(embeds=part.embeds) for part in parts]
    return messages or [Outgoing(content=ZWSP)]
