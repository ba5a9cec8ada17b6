"""Records of figure alerts: a channel's watch and a figure a watch has seen (schema v4+)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.store.records import Platform

Condition = Literal["above", "below", "change"]


@dataclass(frozen=True, slots=True)
class Watch:
    """``watch deaths Mediterranean above 100`` in one channel of one tenant.

    ``what`` is the counted noun as the user wrote it, ``place`` an optional place name;
    ``condition``/``threshold``: above N, below N, or change P (percent, against the last value).
    """

    platform: Platform
    channel: str
    tenant: str
    what: str
    place: str | None = None
    condition: Condition | None = None
    threshold: float | None = None
    created_by: str = ""
    created_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class WatchHit:
    """A figure a watch matched in one article: the history "up from ..." is read from."""

    watch_id: int
    article_id: int
    value: float
    surface: str
    period: str | None
    lang: str
    seen_at: datetime
    alerted: bool
