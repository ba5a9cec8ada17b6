"""A story update as one Slack message: "Update: <headline>", new outlets, changed figures."""

from __future__ import annotations

from typing import Any

from adapters.slack.rendering.safety import link, quote
from bot.chat.wording.updates import change_phrase, new_outlet_articles, update_heading, update_word
from bot.models import StoryUpdate

MAX_CHANGES = 8
MAX_HEADING_CHARS = 600
# Slack's limits, as in adapters.slack.rendering.render (which imports this module).
MAX_SECTION_CHARS = 3000
MAX_FALLBACK_CHARS = 3000


def update_message(
    update: StoryUpdate, language: str = "en"
) -> tuple[str, tuple[dict[str, Any], ...]]:
    """The update's fallback text and blocks (a ``SlackMessage``'s two parts); the digest sink
    posts it as a reply under the message that first showed the story."""
    heading = update_heading(update, language)
    lines = [f"*{link(update.article.link, heading, MAX_HEADING_CHARS)}*"]
    outlets = [link(article.link, name) for name, article in new_outlet_articles(update, language)]
    if outlets:
        lines.append(f"*{quote(update_word('new_outlets', language))}:* {', '.join(outlets)}")
    changes = [f"• {quote(change_phrase(c, language))}" for c in update.changes[:MAX_CHANGES]]
    if changes:
        lines += [f"*{quote(update_word('changed', language))}:*", *changes]
    kept: list[str] = []
    for line in lines:  # whole lines only: a cut link would point somewhere else
        if len("\n".join([*kept, line])) > MAX_SECTION_CHARS:
            break
        kept.append(line)
    text = "\n".join(kept)
    blocks = ({"type": "section", "text": {"type": "mrkdwn", "text": text}},)
    fallback = "\n".join(
        [heading, *(change_phrase(c, language) for c in update.changes[:MAX_CHANGES])]
    )
    return quote(fallback, MAX_FALLBACK_CHARS), blocks
