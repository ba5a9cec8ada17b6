"""Story updates around the digest builder: a channel's earlier stories in, its story log out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from bot.digests.builder import EarlierStory
from bot.models import Article, Digest, KeyFigure, StoryUpdate
from bot.store import DeliveredStory, Platform, Store, new_story_key
from summarizers.stories.cluster import StoryText

# Stories last shown longer ago than this are not looked at: the clustering never joins reports
# more than 48 h apart, and a week bounds the look-ups of a busy channel.
LOOKBACK = timedelta(days=7)


async def earlier_stories(
    store: Store,
    tenant: str,
    platform: Platform,
    channel: str,
    *,
    until: datetime,
    method: str,
) -> list[EarlierStory]:
    """The channel's recent stories with their stored articles' texts (pruned ones left out)."""
    found: list[EarlierStory] = []
    for logged in await store.delivered_stories(tenant, platform, channel, since=until - LOOKBACK):
        texts = []
        for article_id in logged.article_ids:
            stored = await store.get_article(article_id)
            if stored is None or not stored.text.strip():
                continue
            summary = await store.get_summary(article_id, method)
            texts.append(
                StoryText(
                    title=stored.title or "",
                    text=stored.text,
                    lang=stored.lang,
                    figure_values=tuple(f.value for f in summary.figures) if summary else (),
                    published=stored.published or stored.fetched_at,
                )
            )
        if texts:
            found.append(EarlierStory(logged, tuple(texts)))
    return found


def story_plan(
    digest: Digest, ids_by_link: Mapping[str, int], earlier: Sequence[EarlierStory]
) -> tuple[tuple[DeliveredStory, ...], tuple[str, ...]]:
    """The story log entries posting ``digest`` writes, and the key of each story it shows.

    ``ids_by_link`` maps an article's canonical URL to its store id.
    """
    plan: list[DeliveredStory] = []
    keys: list[str] = []
    for story in digest.stories:
        ids = _ids(story.articles, ids_by_link)
        key = new_story_key(ids, story.summary.article.link or story.title)
        keys.append(key)
        langs = story.figure_langs or (story.summary.article.lang,) * len(story.figures)
        plan.append(
            DeliveredStory(key, story.title, ids, story.outlets, story.figures, tuple(langs))
        )
    logged = {known.logged.story_key: known.logged for known in earlier}
    for update in (*digest.updates, *digest.unchanged):
        entry = logged.get(update.story_key)
        if entry is None:
            continue
        figures, langs = latest_figures(entry, update)
        plan.append(
            DeliveredStory(
                update.story_key,
                entry.headline,
                _ids(update.story.articles, ids_by_link),
                update.story.outlets,
                figures,
                langs,
            )
        )
    return tuple(plan), tuple(keys)


def latest_figures(
    entry: DeliveredStory, update: StoryUpdate
) -> tuple[tuple[KeyFigure, ...], tuple[str, ...]]:
    """The story's figures as the channel knows them after the update: changed ones replaced."""
    langs = entry.figure_langs or ("en",) * len(entry.figures)
    now = {id(change.was): change for change in update.changes}
    figures: list[KeyFigure] = []
    kept_langs: list[str] = []
    for figure, lang in zip(entry.figures, langs, strict=True):
        change = now.get(id(figure))
        figures.append(change.figure if change else figure)
        kept_langs.append(change.lang if change else lang)
    return tuple(figures), tuple(kept_langs)


def _ids(articles: Iterable[Article], ids_by_link: Mapping[str, int]) -> tuple[int, ...]:
    found = (ids_by_link.get(article.canonical_url or "") for article in articles)
    return tuple(dict.fromkeys(i for i in found if i is not None))
