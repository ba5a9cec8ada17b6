"""A digest as Discord embeds: a header, one embed per story, more stories and failed feeds."""

from __future__ import annotations

import discord

from adapters.console_render import figure_phrase
from adapters.discord.rendering.embed_parts import (
    COLOUR,
    DESCRIPTION_LIMIT,
    DIGEST_FIGURES,
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    MARKER_RESERVE,
    TITLE_LIMIT,
    URL_LIMIT,
    article_link,
    bullets,
    clip,
    fit,
    footer_text,
    short_date,
)
from adapters.discord.rendering.safety import quote
from bot.chat.wording.labels import label, outlet_articles, story_title, topic_name
from bot.chat.wording.numerals import conflict_pairs, story_figures
from bot.models import Digest, Story

__all__ = ["digest_embeds", "story_embed"]


def story_embed(story: Story, language: str = "en") -> discord.Embed:
    """A digest story: lead article's title and summary, compact figures, each outlet's link."""
    lead = story.summary.article
    embed = discord.Embed(
        title=clip(quote(story_title(story, language)), TITLE_LIMIT),
        url=article_link(lead),
        description=bullets(story.summary.sentences, 1500),
        colour=COLOUR,
    )
    if story.figures:
        figures = story_figures(story, language)[:DIGEST_FIGURES]
        lines = [f"• {quote(figure_phrase(f))}" for f in figures]
        embed.add_field(
            name=label("key_figures", language),
            value=clip("\n".join(lines), FIELD_VALUE_LIMIT),
            inline=False,
        )
    if story.conflicts:
        lines = [
            f"• {quote(c.counted)}: "
            + "; ".join(
                f"{quote(surface)} ({quote(outlet)})"
                for surface, outlet in conflict_pairs(c, language)
            )
            for c in story.conflicts
        ]
        embed.add_field(
            name=label("figures_differ", language),
            value=clip("\n".join(lines), FIELD_VALUE_LIMIT),
            inline=False,
        )
    # Bare links, not masked ones: a Discord reader sees where each outlet's link goes.
    outlets = [
        f"{quote(name)}: {quote(url)}" if (url := article_link(article)) else quote(name)
        for name, article in outlet_articles(story.articles, language)
    ]
    embed.add_field(
        name=label("sources", language), value=_lines(outlets, FIELD_VALUE_LIMIT), inline=False
    )
    if lead.published:
        embed.set_footer(text=footer_text(short_date(lead.published)))
    fit(embed, EMBED_TOTAL_LIMIT - MARKER_RESERVE)
    return embed


def digest_embeds(digest: Digest, language: str = "en") -> list[discord.Embed]:
    """Every embed of a digest, in reading order: header, stories, more links, failed feeds."""
    topic = topic_name(digest.topic, language)
    title = label("digest_title", language, topic=topic)
    header = discord.Embed(
        title=clip(title[:1].upper() + title[1:], TITLE_LIMIT),
        description=f"{short_date(digest.since)} – {short_date(digest.until)}",
        colour=COLOUR,
    )
    if not digest.stories:
        header.description = label("digest_empty", language, topic=topic)
    embeds = [header, *(story_embed(story, language) for story in digest.stories)]
    if digest.more_stories:
        if digest.more_headlines:
            lines = [
                " ".join(
                    part
                    for part in (
                        f"• {quote(item.title)}",
                        f"({quote(item.source)})" if item.source else "",
                        quote(item.url) if item.url and len(item.url) <= URL_LIMIT else "",
                    )
                    if part
                )
                for item in digest.more_headlines
            ]
        else:  # a digest built without headlines: its links
            lines = [f"• {quote(link)}" for link in digest.more_links]
        embeds.append(
            discord.Embed(
                title=label("more_stories", language, count=digest.more_stories),
                description=_lines(lines, DESCRIPTION_LIMIT) or None,
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


def _lines(lines: list[str], limit: int) -> str:
    """As many whole lines as fit in ``limit`` (a cut link would point somewhere else)."""
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > limit:
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept) if kept or not lines else clip(lines[0], limit)
