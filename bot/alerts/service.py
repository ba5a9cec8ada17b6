"""Check newly ingested articles against every watch and post each alert once, where it belongs.

Called by ``DigestService.refresh`` after the poll's articles are stored and linked to their
feeds. An alert goes out only for an article of the watch's tenant (from its feeds), fetched
after the watch was made and published at most ``MAX_AGE`` before it was fetched (a feed's first
poll brings old items: they are not news). The (watch, article) row is written before posting,
so a restart or a second poll never posts the same alert again; a post that fails is logged and
not retried (a lost alert is better than a repeated one).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.alerts.matching import ArticleText, decide
from bot.alerts.message import alert_text
from bot.digests.ingest import Ingested
from bot.store import Store, StoredArticle
from bot.store.records.alerts import Watch, WatchHit
from summarizers.figures.extract import extract_figures
from summarizers.sentences import split_sentences
from summarizers.types import KeyFigure

log = logging.getLogger(__name__)

# Posts ``text`` in ``channel`` (the same posters the digests' notices use); may raise.
Poster = Callable[[str, str], Awaitable[None]]
MAX_AGE = timedelta(hours=48)
# (watch, article) pairs already checked by this process: every poll hands back the feeds' known
# articles, and a pair with no matching figure leaves no row to skip it by.
CHECKED_LIMIT = 50_000


@dataclass(frozen=True, slots=True)
class Alert:
    watch: Watch
    article_id: int
    text: str


def article_figures(text: str, lang: str) -> list[KeyFigure]:
    """Every key figure of the article, most important first (not only the digest's first 8)."""
    return extract_figures(split_sentences(text, lang), lang=lang, limit=None)


class AlertService:
    """Matches ingested articles to the watches of their tenants and posts the alerts."""

    def __init__(
        self,
        store: Store,
        posters: Mapping[str, Poster],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._posters = posters
        self._clock = clock
        self._checked: OrderedDict[tuple[int, int], None] = OrderedDict()

    async def on_ingested(self, ingested: Sequence[Ingested]) -> list[Alert]:
        """Post the alerts the newly ingested articles raise; returns those it posted.

        Never raises (but for cancellation): alerts must not break the feed refresh.
        """
        try:
            return await self._alerts(ingested)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("figure alerts failed for this refresh")
            return []

    async def _alerts(self, ingested: Sequence[Ingested]) -> list[Alert]:
        watches = await self._store.list_watches()
        ids = list(dict.fromkeys(item.article_id for item in ingested if item.article_id))
        if not watches or not ids:
            return []
        posted: list[Alert] = []
        tenants = {watch.tenant for watch in watches}
        theirs = {t: await self._store.articles_for_tenant(t, ids) for t in sorted(tenants)}
        for article_id in ids:
            stored = await self._store.get_article(article_id)
            if stored is None or not self._fresh(stored):
                continue
            interested = [
                w
                for w in watches
                if article_id in theirs[w.tenant]
                and w.created_at is not None
                and stored.fetched_at >= w.created_at
                and (w.id or 0, article_id) not in self._checked
                and not await self._store.has_watch_hit(w.id or 0, article_id)
            ]
            if not interested:
                continue
            figures = await asyncio.to_thread(article_figures, stored.text, stored.lang)
            for watch in interested:
                self._remember((watch.id or 0, article_id))
                alert = await self._check(watch, stored, figures)
                if alert is not None and await self._post(alert):
                    posted.append(alert)
        return posted

    def _remember(self, pair: tuple[int, int]) -> None:
        self._checked[pair] = None
        while len(self._checked) > CHECKED_LIMIT:
            self._checked.popitem(last=False)

    def _fresh(self, stored: StoredArticle) -> bool:
        return stored.published is None or stored.published >= stored.fetched_at - MAX_AGE

    async def _check(
        self, watch: Watch, stored: StoredArticle, figures: Sequence[KeyFigure]
    ) -> Alert | None:
        text = ArticleText(stored.title or "", stored.text, stored.lang)
        if watch.id is None:
            return None
        history = [h for h in await self._store.watch_hits(watch.id) if h.article_id != stored.id]
        decision = await asyncio.to_thread(decide, watch, figures, text, history)
        if decision is None:
            return None
        figure, previous, alert = decision.figure, decision.previous, decision.alert
        hit = WatchHit(
            watch.id,
            stored.id,
            figure.value,
            figure.surface,
            figure.period,
            stored.lang,
            self._clock(),
            alert,
        )
        if not await self._store.record_watch_hit(hit) or not alert:
            return None  # seen before (another poll, or before a restart), or below the bar
        settings = await self._store.channel_settings(watch.platform, watch.channel)
        text_out = alert_text(
            watch,
            figure,
            previous,
            title=stored.title,
            link=stored.as_article().link,
            source_lang=stored.lang,
            language=settings.language,
        )
        return Alert(watch, stored.id, text_out)

    async def _post(self, alert: Alert) -> bool:
        poster = self._posters.get(alert.watch.platform)
        if poster is None:
            log.warning(
                "No way to post figure alert #%s on %s", alert.watch.id, alert.watch.platform
            )
            return False
        try:
            await poster(alert.watch.channel, alert.text)
        except asyncio.CancelledError:
            raise
        except Exception as err:  # one channel's failure must not stop the others
            log.warning("Figure alert #%s could not be posted: %s", alert.watch.id, err)
            return False
        return True
