"""Pure rendering of summaries, digests and text replies as Discord embeds within its limits."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import discord

from adapters.console_render import figure_phrase
from adapters.discord.components import summary_view
from adapters.discord.rendering.digest_embeds import digest_embeds, story_embed
from adapters.discord.rendering.embed_parts import (
    COLOUR,
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    DIGEST_FIGURES,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FIELDS_LIMIT,
    FIGURE_QUOTE_CHARS,
    FOOTER_LIMIT,
    MARKER_RESERVE,
    SUMMARY_FIGURE_FIELDS,
    TITLE_LIMIT,
    URL_LIMIT,
    article_link,
    bullets,
    clip,
    fit,
    footer_text,
    short_date,
)
from adapters.discord.rendering.safety import ZWSP, defuse, quote
from adapters.discord.rendering.update_embeds import update_embed
from bot.chat.requests import Reply
from bot.chat.wording.labels import label, lead_line, partial_note, shown_language
from bot.chat.wording.numerals import summary_figures
from bot.models import Digest, Summary

__all__ = [
    "CONTENT_LIMIT",
    "DESCRIPTION_LIMIT",
    "DIGEST_FIGURES",
    "EMBEDS_PER_MESSAGE",
    "EMBED_TOTAL_LIMIT",
    "FIELDS_LIMIT",
    "FIELD_NAME_LIMIT",
    "FIELD_VALUE_LIMIT",
    "FOOTER_LIMIT",
    "TITLE_LIMIT",
    "URL_LIMIT",
    "ZWSP",
    "DigestPart",
    "Outgoing",
    "clip",
    "defuse",
    "delivery_tag",
    "digest_embeds",
    "digest_parts",
    "pack_embeds",
    "part_nonce",
    "quote",
    "read_marker",
    "reply_messages",
    "story_embed",
    "summary_embed",
    "text_chunks",
]

# "part" in the channel's language; both spellings are read back after a crash.
_MARKER = re.compile(r"(?:part|parte) (\d+)/(\d+) · ref ([0-9a-f]{12})")


def summary_embed(summary: Summary, language: str = "en") -> discord.Embed:
    """One embed: linked title, summary sentences, figures; outlet, date, language in the footer."""
    article = summary.article
    title = article.title or label("untitled", language)
    embed = discord.Embed(
        title=clip(quote(title), TITLE_LIMIT),
        url=article_link(article),
        description=_summary_description(summary, language),
        colour=COLOUR,
    )
    for figure in summary_figures(summary, language)[:SUMMARY_FIGURE_FIELDS]:
        embed.add_field(
            name=clip(quote(figure_phrase(figure)), FIELD_NAME_LIMIT),
            value=clip(f"“{quote(figure.sentence)}”", FIGURE_QUOTE_CHARS),
            inline=False,
        )
    footer = footer_text(
        defuse(article.source or ""),
        short_date(article.published),
        shown_language(article.lang, language),
    )
    if footer:
        embed.set_footer(text=footer)
    fit(embed, EMBED_TOTAL_LIMIT)
    return embed


def _summary_description(summary: Summary, language: str) -> str:
    """A partial answer's note first, then the one-line lead, then the bullets."""
    note = partial_note(summary, language)
    head = [f"**⚠️ {label('partial', language)}:** {quote(note)}"] if note else []
    lead = lead_line(summary)
    if lead:
        head.append(f"**{quote(lead)}**")
    top = clip("\n".join(head), DESCRIPTION_LIMIT // 2) if head else ""
    rest = bullets(summary.sentences, DESCRIPTION_LIMIT - len(top) - 2)
    return "\n\n".join(part for part in (top, rest) if part)


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
    reply_to: str | None = None  # a story update: the ref of the post it replies to


def digest_parts(
    digest: Digest, language: str = "en", delivery_key: str | None = None
) -> list[DigestPart]:
    """The digest as messages in order; with a key, each carries a "part i/n · ref" marker.

    Its story updates come last, one message each, replying to their story's earlier post.
    """
    messages = pack_embeds(
        digest_embeds(digest, language), budget=EMBED_TOTAL_LIMIT - MARKER_RESERVE
    )
    replies: list[str | None] = [None] * len(messages)
    for update in digest.updates:
        messages.append([update_embed(update, language)])
        replies.append(update.thread_ref)
    tag = delivery_tag(delivery_key) if delivery_key else None
    parts = []
    for index, (embeds, reply_to) in enumerate(zip(messages, replies, strict=True), start=1):
        nonce = None
        if tag is not None:
            last = embeds[-1]
            marker = f"{label('part', language)} {index}/{len(messages)} · ref {tag}"
            last.set_footer(text=footer_text(last.footer.text, marker))
            nonce = part_nonce(tag, index)
        parts.append(DigestPart(embeds, index, len(messages), nonce, reply_to))
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
    view: discord.ui.View | None = None  # the summary's buttons (adapters.discord.buttons)


def reply_messages(reply: Reply) -> list[Outgoing]:
    """What to post for a core Reply: its text, then its summary or its digest, in order."""
    messages = [Outgoing(content=chunk) for chunk in text_chunks(reply.text)] if reply.text else []
    if reply.summary is not None:
        embeds = [summary_embed(reply.summary, reply.language)]
        buttons = summary_view(reply.controls, reply.language) if reply.controls else None
        messages.append(Outgoing(embeds=embeds, view=buttons))
    if reply.digest is not None:
        parts = digest_parts(reply.digest, reply.language)
        messages += [Outgoing(embeds=part.embeds) for part in parts]
    return messages or [Outgoing(content=ZWSP)]
