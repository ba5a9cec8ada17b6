"""The record behind a summary message's buttons: who may press them and what they answer from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.models import Article
from bot.store.records import Platform


@dataclass(frozen=True, slots=True)
class SummaryControls:
    """One summary as posted: its key (what the buttons carry), where it was posted, and the
    article it summarized, with the lead and bullets as shown. ``text`` is empty once pruned."""

    key: str
    platform: Platform
    tenant: str  # Caller.tenant_key of the channel it was posted in
    channel: str
    article: Article
    method: str
    shown: tuple[str, ...]  # the lead (when shown) and the bullets, in order
    created_at: datetime | None = None  # set by the store

    @property
    def pruned(self) -> bool:
        return not self.article.text.strip()
