"""Records of channel filters: what a channel's digest of one topic must or must not contain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from bot.store.records import Platform

FilterMode = Literal["include", "exclude"]
FilterKind = Literal["word", "phrase", "regex", "figure"]
FILTER_MODES: frozenset[str] = frozenset(get_args(FilterMode))
FILTER_KINDS: frozenset[str] = frozenset(get_args(FilterKind))


@dataclass(frozen=True, slots=True)
class ChannelFilter:
    """One include or exclude term of a channel's digest of ``topic``.

    ``word``: a keyword; ``phrase``: words in that order; ``regex``: a pattern RE2 accepted;
    ``figure``: a counted noun ("deaths"), matched against the story's key figures.
    """

    platform: Platform
    channel: str
    topic: str
    mode: FilterMode
    kind: FilterKind
    value: str
    id: int | None = None  # set by the store
    created_by: str = ""
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.mode not in FILTER_MODES:
            raise ValueError(f"A filter is include or exclude, not {self.mode!r}.")
        if self.kind not in FILTER_KINDS:
            raise ValueError(f"Unknown filter kind {self.kind!r}.")
        if not self.value.strip() or not self.channel or not self.topic:
            raise ValueError("A filter needs a channel, a topic and a value.")

    def describe(self) -> str:
        """The term as typed: asylum, "border wall", /ICE raids?/, figure deaths."""
        if self.kind == "phrase":
            return f'"{self.value}"'
        if self.kind == "regex":
            return f"/{self.value}/"
        if self.kind == "figure":
            return f"figure {self.value}"
        return self.value
