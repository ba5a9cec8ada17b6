"""The story log's record: what a channel was shown of each story, so updates compare and thread."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from summarizers.types import KeyFigure

_FIGURE_FIELDS = frozenset(f.name for f in fields(KeyFigure))


@dataclass(frozen=True, slots=True)
class DeliveredStory:
    """A story as one channel last saw it, under a key that stays the same across digests.

    ``message_ref`` is the platform message that first showed it (a Slack ts, a Discord
    "channel/message" ref): later updates reply under it, so it never changes once set.
    """

    story_key: str
    headline: str
    article_ids: tuple[int, ...]
    outlets: tuple[str, ...]
    figures: tuple[KeyFigure, ...] = ()
    figure_langs: tuple[str, ...] = ()  # each figure's article language
    message_ref: str | None = None
    first_sent: datetime | None = None
    last_sent: datetime | None = None


def new_story_key(article_ids: Iterable[int], fallback: str) -> str:
    """A key for a story shown for the first time: its lowest article id, else a hash of
    ``fallback`` (its link or headline) for a story built from articles never stored."""
    ids = sorted(article_ids)
    if ids:
        return f"a{ids[0]}"
    return "h" + hashlib.sha1(fallback.encode("utf-8")).hexdigest()[:16]


def stories_to_json(stories: Sequence[DeliveredStory]) -> str:
    return json.dumps([_story_dict(story) for story in stories], ensure_ascii=False)


def stories_from_json(text: str | None) -> tuple[DeliveredStory, ...]:
    if not text:
        return ()
    return tuple(_story_from_dict(item) for item in json.loads(text))


def figures_to_json(figures: Sequence[KeyFigure], langs: Sequence[str]) -> str:
    return json.dumps(
        [asdict(figure) | {"lang": lang} for figure, lang in zip(figures, langs, strict=True)],
        ensure_ascii=False,
    )


def figures_from_json(text: str) -> tuple[tuple[KeyFigure, ...], tuple[str, ...]]:
    items: list[dict[str, Any]] = json.loads(text)
    figures = tuple(
        KeyFigure(**{k: v for k, v in item.items() if k in _FIGURE_FIELDS}) for item in items
    )
    return figures, tuple(str(item.get("lang") or "en") for item in items)


def _story_dict(story: DeliveredStory) -> dict[str, Any]:
    langs = story.figure_langs or ("en",) * len(story.figures)
    return {
        "key": story.story_key,
        "headline": story.headline,
        "article_ids": list(story.article_ids),
        "outlets": list(story.outlets),
        "figures": json.loads(figures_to_json(story.figures, langs)),
    }


def _story_from_dict(item: dict[str, Any]) -> DeliveredStory:
    figures, langs = figures_from_json(json.dumps(item.get("figures", [])))
    return DeliveredStory(
        story_key=str(item["key"]),
        headline=str(item["headline"]),
        article_ids=tuple(int(i) for i in item.get("article_ids", ())),
        outlets=tuple(str(o) for o in item.get("outlets", ())),
        figures=figures,
        figure_langs=langs,
    )
