"""A story update as one Discord embed: "Update: <headline>", changed figures, new outlets."""

from __future__ import annotations

import discord

from adapters.discord.rendering.embed_parts import (
    COLOUR,
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    article_link,
    clip,
)
from adapters.discord.rendering.safety import quote
from bot.chat.wording.updates import change_phrase, new_outlet_articles, update_heading, update_word
from bot.models import StoryUpdate

MAX_CHANGES = 8


def update_embed(update: StoryUpdate, language: str = "en") -> discord.Embed:
    """'Update: <headline>', linked to the new report, with new outlets and changed figures."""
    lines = [f"• {quote(change_phrase(c, language))}" for c in update.changes[:MAX_CHANGES]]
    embed = discord.Embed(
        title=clip(quote(update_heading(update, language)), TITLE_LIMIT),
        url=article_link(update.article),
        description=clip("\n".join(lines), DESCRIPTION_LIMIT) or None,
        colour=COLOUR,
    )
    outlets = [
        f"{quote(name)}: {quote(url)}" if (url := article_link(article)) else quote(name)
        for name, article in new_outlet_articles(update, language)
    ]
    if outlets:
        embed.add_field(
            name=update_word("new_outlets", language),
            value=clip("\n".join(outlets), FIELD_VALUE_LIMIT),
            inline=False,
        )
    return embed
