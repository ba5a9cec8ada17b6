"""Pure Block Kit rendering of summaries, digests and replies, within Slack's message limits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from adapters.slack.rendering.safety import link, own_text, plain, quote
from adapters.slack.rendering.update_render import update_message
from bot.chat.requests import Reply
from bot.chat.wording.help import split_help
from bot.chat.wording.labels import (
    label,
    lead_line,
    outlet_articles,
    partial_note,
    shown_language,
    story_title,
    topic_name,
)
from bot.chat.wording.numerals import conflict_pairs, story_figures, summary_figures
from bot.models import Digest, KeyFigure, Story, Summary
from bot.web.urls import link_host

Block = dict[str, Any]

MAX_BLOCKS = 50  # blocks per message
MAX_SECTION_CHARS = 3000  # text of one section block
MAX_HEADER_CHARS = 150  # plain_text of a header block
MAX_CONTEXT_CHARS = 2000  # one context element
MAX_FALLBACK_CHARS = 3000  # the `text` shown in notifications and by screen readers
# Slack caps a message's text at 40,000 characters; 12,000 keeps a digest message readable on a
# phone and far from that cap, and a long digest goes out as several messages instead.
MAX_MESSAGE_CHARS = 12_000
MAX_DIGEST_FIGURES = 4  # per story: a digest line, not the whole article
MAX_MORE_LINKS = 10


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """One chat message: mrkdwn fallback ``text`` and its Block Kit ``blocks``."""

    text: str
    blocks: tuple[Block, ...] = ()
    # Indices (in Digest.stories) of the digest stories this message shows: story updates
    # reply under the message that first showed their story.
    stories: tuple[int, ...] = field(default=(), compare=False)

    def payload(self) -> dict[str, Any]:
        """Keyword arguments for chat.postMessage or a response_url body."""
        body: dict[str, Any] = {"text": self.text}
        if self.blocks:
            body["blocks"] = list(self.blocks)
        return body


# --- summaries ---------------------------------------------------------------------------


def summary_message(summary: Summary, language: str = "en") -> SlackMessage:
    """A summary: header, sentences, key figures, source link and outlet/date/language context."""
    article = summary.article
    title = article.title or label("untitled", language)
    blocks: list[Block] = [_header(title)]
    note = partial_note(summary, language)
    if note:
        blocks.append(_section(f"*⚠️ {label('partial', language)}:* {quote(note, 2900)}"))
    lead = lead_line(summary)
    if lead:
        blocks.append(_section(f"*{quote(lead, MAX_SECTION_CHARS - 2)}*"))
    blocks += _sections(f"• {quote(s, MAX_SECTION_CHARS - 2)}" for s in summary.sentences)
    if summary.figures:
        heading = f"*{label('key_figures', language)}*"
        figures = summary_figures(summary, language)
        blocks += _sections([heading, *(f"• {figure_mrkdwn(f)}" for f in figures)])
    url = article.link
    if url:
        source = f"*{label('source', language)}:* {link(url, link_host(url) or '')}"
        blocks.append(_section(source))
    language_code = shown_language(article.lang, language)
    context = [_outlet(article.source), _date(article.published), language_code or ""]
    context = [part for part in context if part]
    if context:
        blocks.append(_context(" · ".join(context)))
    top = [f"{label('partial', language)}: {note}"] if note else []
    top += [lead] if lead else []
    fallback = "\n".join([title, *top, *(f"• {sentence}" for sentence in summary.sentences)])
    return SlackMessage(text=quote(fallback, MAX_FALLBACK_CHARS), blocks=tuple(blocks))


def figure_mrkdwn(figure: KeyFigure) -> str:
    """'more than *190,000* apprehensions (in November)', every quoted part escaped."""
    words = [
        quote(figure.qualifier or ""),
        f"*{quote(figure.surface)}*",
        quote(figure.counted or ""),
    ]
    head = " ".join(word for word in words if word)
    return f"{head} ({quote(figure.period)})" if figure.period else head


# --- digests -----------------------------------------------------------------------------


def digest_messages(digest: Digest, language: str = "en") -> list[SlackMessage]:
    """The digest as one or more messages, in order, each within Slack's block limits."""
    title = label("digest_title", language, topic=topic_name(digest.topic, language))
    title = title[:1].upper() + title[1:]  # "migration news digest" starts a header
    units: list[_Unit] = [_Unit([_header(title), _context(_period(digest))])]
    if not digest.stories:
        name = topic_name(digest.topic, language)
        units.append(_Unit([_section(own_text(label("digest_empty", language, topic=name)))]))
    units += [
        _Unit(_story_blocks(story, language), story_title(story, language), number)
        for number, story in enumerate(digest.stories)
    ]
    if digest.more_stories:
        more = f"*{label('more_stories', language, count=digest.more_stories)}*"
        if digest.more_headlines:
            links = [
                f"• {link(item.url, item.title)}"
                + (f" · {quote(item.source)}" if item.source else "")
                for item in digest.more_headlines
            ]
        else:  # a digest built without headlines: its links, named by host
            links = [f"• {link(url, link_host(url) or url)}" for url in digest.more_links]
        units.append(_Unit(_sections([more, *links[:MAX_MORE_LINKS]])))
    if digest.feeds_failed:
        failed = [label("feeds_failed", language) + ":", *map(quote, digest.feeds_failed)]
        units.append(_Unit([_context("\n".join(failed))]))
    pages = _pack(units, max_blocks=MAX_BLOCKS - 1)  # room for a "2/3" line
    messages = []
    for number, (blocks, headlines, stories) in enumerate(pages, start=1):
        if len(pages) > 1:
            marker = _context(f"{quote(title)} ({number}/{len(pages)})")
            blocks = [*blocks, marker] if number == 1 else [marker, *blocks]
        fallback = f"{title}: {'; '.join(headlines)}" if headlines else title
        messages.append(
            SlackMessage(quote(fallback, MAX_FALLBACK_CHARS), tuple(blocks), tuple(stories))
        )
    return messages


@dataclass(slots=True)
class _Unit:
    """Blocks that must stay in one message (a story), with the headline for the fallback."""

    blocks: list[Block]
    headline: str | None = None
    story: int | None = None  # its index in Digest.stories


def _story_blocks(story: Story, language: str) -> list[Block]:
    lead = story.summary.article
    url = lead.link
    lines = [f"*{link(url, story_title(story, language), MAX_SECTION_CHARS)}*"]
    lines += [f"• {quote(s, MAX_SECTION_CHARS - 2)}" for s in story.summary.sentences]
    figures = story_figures(story, language)[:MAX_DIGEST_FIGURES]
    if figures:
        lines.append(
            f"*{label('key_figures', language)}:* " + "; ".join(map(figure_mrkdwn, figures))
        )
    for conflict in story.conflicts:
        values = f" {label('versus', language)} ".join(
            f"{quote(surface)} ({quote(outlet)})"
            for surface, outlet in conflict_pairs(conflict, language)
        )
        lines.append(f"_{label('figures_differ', language)}_ ({quote(conflict.counted)}): {values}")
    blocks = _sections(lines)
    outlets = ", ".join(
        link(article.link, name) for name, article in outlet_articles(story.articles, language)
    )
    context = [f"{label('sources', language)}: {outlets}", _date(lead.published)]
    blocks.append(_context(" · ".join(part for part in context if part)))
    blocks.append({"type": "divider"})
    return blocks


def _period(digest: Digest) -> str:
    since, until = _date(digest.since), _date(digest.until)
    return f"{since} – {until}" if since != until else until


def _pack(units: list[_Unit], *, max_blocks: int) -> list[tuple[list[Block], list[str], list[int]]]:
    """Group whole units (a story's blocks stay together) into messages within the limits."""
    pages: list[tuple[list[Block], list[str], list[int]]] = [([], [], [])]
    size = 0
    for unit in units:
        for start in range(0, len(unit.blocks), max_blocks):
            piece = unit.blocks[start : start + max_blocks]
            piece_size = sum(_block_chars(block) for block in piece)
            blocks, headlines, stories = pages[-1]
            if blocks and (
                len(blocks) + len(piece) > max_blocks or size + piece_size > MAX_MESSAGE_CHARS
            ):
                pages.append(([], [], []))
                blocks, headlines, stories, size = *pages[-1], 0
            blocks.extend(piece)
            size += piece_size
            if start == 0:
                if unit.headline:
                    headlines.append(unit.headline)
                if unit.story is not None:
                    stories.append(unit.story)
    return pages


def _block_chars(block: Block) -> int:
    text = block.get("text")
    if isinstance(text, dict):
        return len(text["text"])
    return sum(len(element.get("text", "")) for element in block.get("elements", ()))


# --- replies -----------------------------------------------------------------------------


def reply_messages(reply: Reply) -> list[SlackMessage]:
    """What the command layer answered, as the messages to post (in order)."""
    if reply.summary is not None:
        return [summary_message(reply.summary, reply.language)]
    if reply.digest is not None:
        updates = [SlackMessage(*update_message(u, reply.language)) for u in reply.digest.updates]
        return [*digest_messages(reply.digest, reply.language), *updates]
    return [text_message(reply.text)]


# Slack's own ways in, shown under the platform-neutral help (Commands.help_footers["slack"]).
SLACK_USAGE = """\
On Slack, type each command after /newsbrief, e.g. /newsbrief summarize 5 <link>, \
/newsbrief subscribe 7am America/New_York or /newsbrief subscriptions.
Summarize article: a message's ⋮ menu (More actions) › Summarize article summarizes its link \
in the thread.
@Newsbrief <link>: mention me with a link in a channel I am in and I reply in the thread."""


def text_message(text: str) -> SlackMessage:
    """A short answer from the bot; the help table keeps its columns in a code block."""
    parts = split_help(text)
    if parts is not None:
        table, rest = parts
        body = f"```{own_text(table, MAX_SECTION_CHARS - 6)}```"
        blocks = (_section(body), *_sections(own_text(rest).splitlines() if rest else ()))
        return SlackMessage(text=own_text(text, MAX_FALLBACK_CHARS), blocks=blocks)
    body = own_text(text, MAX_SECTION_CHARS)
    return SlackMessage(text=own_text(text, MAX_FALLBACK_CHARS), blocks=(_section(body),))


# --- blocks ------------------------------------------------------------------------------


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": plain(text, MAX_HEADER_CHARS)}}


def _section(mrkdwn: str) -> Block:
    # verbatim: Slack must not turn bare names or #channels in quoted text into links/mentions.
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn, "verbatim": True}}


def _context(mrkdwn: str) -> Block:
    text = mrkdwn if len(mrkdwn) <= MAX_CONTEXT_CHARS else _cut_mrkdwn(mrkdwn, MAX_CONTEXT_CHARS)
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text, "verbatim": True}]}


def _sections(lines: Iterable[str]) -> list[Block]:
    """Lines (already escaped) packed into as few sections as fit MAX_SECTION_CHARS each."""
    blocks: list[Block] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if len(line) > MAX_SECTION_CHARS:
            line = _cut_mrkdwn(line, MAX_SECTION_CHARS)
        if current and size + 1 + len(line) > MAX_SECTION_CHARS:
            blocks.append(_section("\n".join(current)))
            current, size = [], 0
        current.append(line)
        size += len(line) + (1 if size else 0)
    if current:
        blocks.append(_section("\n".join(current)))
    return blocks


def _cut_mrkdwn(text: str, limit: int) -> str:
    """Escaped mrkdwn cut to ``limit`` without leaving half an entity or half a link."""
    cut = text[: limit - 1]
    for opener, closer in (("&", ";"), ("<", ">")):
        start = cut.rfind(opener)
        if start != -1 and closer not in cut[start:]:
            cut = cut[:start]
    return cut + "…"


def _date(moment: datetime | None) -> str:
    """A Slack date token: shown in each reader's locale, with an ISO date as fallback."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return f"<!date^{int(aware.timestamp())}^{{date_short}}|{aware.date().isoformat()}>"


def _outlet(source: str | None) -> str:
    return f"*{quote(source)}*" if source else ""
