"""Records of the archive: a search hit, and a digest as the sent log remembers it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.records import Delivery, StoredArticle


@dataclass(frozen=True, slots=True)
class SentDigest:
    """One digest the sent log has for a channel and day, with the articles it showed."""

    delivery: Delivery
    articles: tuple[StoredArticle, ...]  # in the order they were logged
