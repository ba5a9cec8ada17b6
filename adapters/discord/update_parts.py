"""Story updates as Discord messages: one embed each, replying to the story's earlier post.

The updates of a digest are numbered apart from its other messages, under their own tag
(``update_key``): "part i/k · ref <tag>" in the footer and a nonce from it, so a retry after a
crash finds the ones already posted and Discord refuses a repeated nonce, as for the digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from adapters.discord.embed_parts import footer_text
from adapters.discord.render import DigestPart, delivery_tag, part_nonce
from adapters.discord.update_embeds import update_embed
from bot.chat.labels import label
from bot.models import StoryUpdate


def update_key(delivery_key: str) -> str:
    """The key a digest's updates are tagged with (their numbering is their own)."""
    return f"{delivery_key}#updates"


@dataclass(frozen=True, slots=True)
class UpdatePart:
    """One update message and the id of the message it replies to (None: no earlier post)."""

    part: DigestPart
    reply_to: int | None


def update_parts(
    updates: Sequence[StoryUpdate], language: str, delivery_key: str
) -> list[UpdatePart]:
    """Each update as its own message, marked and given a nonce under ``update_key``."""
    tag = delivery_tag(update_key(delivery_key))
    parts = []
    for index, update in enumerate(updates, start=1):
        embed = update_embed(update, language)
        marker = f"{label('part', language)} {index}/{len(updates)} · ref {tag}"
        embed.set_footer(text=footer_text(marker))
        part = DigestPart([embed], index, len(updates), part_nonce(tag, index))
        parts.append(UpdatePart(part, message_id(update.thread_ref)))
    return parts


def message_id(ref: str | None) -> int | None:
    """The message id in a Discord ref ("channel/message"), or None."""
    if not ref:
        return None
    tail = ref.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else None
