"""What a summary message's buttons answer: 5 sentences, every key figure, each sentence's place.

A summary posted in a channel is registered under a random key (``register``); the platform
buttons carry only that key. A click (``expand``) looks the key up, checks that the click comes
from the same platform, tenant and channel, and computes the answer from the stored article
text (never fetching the page again). The key is used for nothing but that lookup.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import secrets
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from typing import Literal, cast

from bot.chat.limits.ratelimit import Rate, SlidingWindowLimiter
from bot.chat.requests import Caller, Reply
from bot.chat.wording.labels import lead_line
from bot.chat.wording.numerals import local_figure
from bot.models import KeyFigure, Summary
from bot.service import summarize_article
from bot.store import Store, StoreError
from bot.store.records.controls import SummaryControls
from summarizers.figures.extract import extract_figures
from summarizers.sentences import split_sentences

log = logging.getLogger(__name__)

View = Literal["more", "figures", "sources"]
VIEWS: tuple[View, ...] = ("more", "figures", "sources")
MORE_SENTENCES = 5
MAX_FIGURE_LINES = 40  # a table-like article can hold hundreds; the answer stays readable
QUOTE_CHARS = 200  # of a figure's sentence
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
CACHED_ANSWERS = 256  # several people pressing the same button get one computation
# Answers computed for one person (cache hits are free): every key came from a rate-limited
# summary, but old buttons could still be pressed one after another to keep the CPU busy.
PRESSES = Rate(30, 60.0)
# Answers computed at once. One: each computing thread holds the GIL against the event loop.
# With 49 presses at once (benchmarks/discord_interactions.py, on a shared, loaded machine) the
# deferrals' p99 was 0.59 s with a thread each, 0.11-0.67 s with two, 0.06-0.50 s with one.
COMPUTING_AT_ONCE = 1

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "unknown": "I can't find that summary in this channel; summarize the article again.",
        "pruned": "That article is no longer stored, so I can't expand its summary; "
        "send its link again for a new one.",
        "figures": "All {count} key figures in {title}:",
        "one_figure": "The one key figure in {title}:",
        "figures_capped": "The first {shown} of {count} key figures in {title}:",
        "no_figures": "There are no key figures in {title}.",
        "titled": "“{title}”",
        "untitled": "the article",
        "sources": "Where each sentence of the summary of {title} comes from:",
        "position": "sentence {index} of {total}",
        "no_position": "not found in the stored text",
        "none_yet": "There is no summary in this channel to expand yet; summarize an article "
        "first.",
        "too_many": "You pressed many summary buttons in a short time; try again in "
        "{seconds} seconds.",
    },
    "es": {
        "unknown": "No encuentro ese resumen en este canal; vuelve a resumir el artículo.",
        "pruned": "Ese artículo ya no está guardado, así que no puedo ampliar su resumen; "
        "envía su enlace otra vez para uno nuevo.",
        "figures": "Las {count} cifras clave de {title}:",
        "one_figure": "La única cifra clave de {title}:",
        "figures_capped": "Las primeras {shown} de {count} cifras clave de {title}:",
        "no_figures": "No hay cifras clave en {title}.",
        "titled": "«{title}»",
        "untitled": "el artículo",
        "sources": "De dónde sale cada oración del resumen de {title}:",
        "position": "oración {index} de {total}",
        "no_position": "no aparece en el texto guardado",
        "none_yet": "Aún no hay ningún resumen en este canal que ampliar; resume primero un "
        "artículo.",
        "too_many": "Pulsaste muchos botones de resumen en poco tiempo; inténtalo de nuevo en "
        "{seconds} segundos.",
    },
}


def text(key: str, language: str, **values: object) -> str:
    table = TEXTS.get(language, TEXTS["en"])
    return table[key].format(**values)


class SummaryExpander:
    """Registers posted summaries and answers their buttons from the store."""

    def __init__(self, store: Store, *, new_key: Callable[[], str] | None = None) -> None:
        self.store = store
        self._new_key = new_key or (lambda: secrets.token_urlsafe(12))  # 16 characters
        self._answers: OrderedDict[tuple[str, View, str], Reply] = OrderedDict()
        self._presses = SlidingWindowLimiter(PRESSES)
        self._computing = asyncio.Semaphore(COMPUTING_AT_ONCE)

    async def register(self, caller: Caller, summary: Summary) -> str | None:
        """Keep what the buttons of this summary need; its key, or None when it gets none.

        A partial answer (a wall, or an article shorter than a summary, given whole) has
        nothing more to show, so it gets no buttons.
        """
        if summary.partial is not None or not summary.sentences or not summary.article.text:
            return None
        lead = lead_line(summary)
        controls = SummaryControls(
            key=self._new_key(),
            platform=caller.platform,
            tenant=caller.tenant_key,
            channel=caller.channel,
            article=summary.article,
            method=summary.method,
            shown=((lead,) if lead else ()) + summary.sentences,
        )
        try:
            await self.store.save_controls(controls)
        except StoreError as err:  # the summary still goes out, without buttons
            log.warning("Summary buttons not kept: %s", err.message)
            return None
        return controls.key

    async def expand(
        self, caller: Caller, key: str, view: str, *, parent: str | None = None
    ) -> Reply:
        """The answer to one button, only to the person who pressed it (ephemeral).

        ``parent``: the channel a thread belongs to, when the button was pressed in a thread (a
        summary answered into a thread is registered under that channel).
        """
        settings = await self.store.channel_settings(caller.platform, parent or caller.channel)
        language = settings.language
        controls = await self._lookup(caller, key, parent)
        if controls is None or view not in VIEWS:
            return Reply.failure(text("unknown", language), language)
        if controls.pruned:
            return Reply.failure(text("pruned", language), language)
        cache_key = (controls.key, view, language)
        cached = self._answers.get(cache_key)
        if cached is None:
            presser = (caller.platform, caller.tenant_key, caller.user)
            wait = self._presses.retry_after(presser)
            if wait > 0:
                return Reply.failure(text("too_many", language, seconds=math.ceil(wait)), language)
            self._presses.record(presser)
            work = partial(_answer, controls, cast(View, view), language)
            async with self._computing:
                cached = await asyncio.to_thread(work)  # ranking and figures are CPU work
            self._answers[cache_key] = cached
            if len(self._answers) > CACHED_ANSWERS:
                self._answers.popitem(last=False)
        return cached

    async def expand_latest(self, caller: Caller, view: View, words: list[str]) -> Reply:
        """``more``, ``figures`` or ``sources`` typed as a command (the console has no buttons):
        the summary whose key is given, else the latest one posted in this channel."""
        key = words[0] if words else None
        if key is None:
            key = await self.store.latest_controls(
                caller.platform, caller.tenant_key, caller.channel
            )
        if key is None:
            settings = await self.store.channel_settings(caller.platform, caller.channel)
            return Reply.failure(text("none_yet", settings.language), settings.language)
        return await self.expand(caller, key, view)

    async def _lookup(self, caller: Caller, key: str, parent: str | None) -> SummaryControls | None:
        """The key's summary if it was posted where this click comes from; else None."""
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
            return None
        controls = await self.store.get_controls(key)
        if controls is None:
            return None
        same_tenant = (controls.platform, controls.tenant) == (caller.platform, caller.tenant_key)
        same_channel = controls.channel in (caller.channel, parent)
        return controls if same_tenant and same_channel else None


def _answer(controls: SummaryControls, view: View, language: str) -> Reply:
    article = controls.article
    name = " ".join((article.title or "").split())
    title = text("titled", language, title=name) if name else text("untitled", language)
    if view == "more":
        more = summarize_article(article, MORE_SENTENCES, controls.method, with_lead=True)
        return Reply(summary=more, ephemeral=True, language=language)
    sentences = split_sentences(article.text, article.lang)
    if view == "figures":
        return Reply(text=figures_text(sentences, article.lang, title, language), ephemeral=True)
    return Reply(text=sources_text(sentences, controls.shown, title, language), ephemeral=True)


def figures_text(sentences: list[str], lang: str, title: str, language: str) -> str:
    """Every key figure of the article (up to MAX_FIGURE_LINES), most important first."""
    figures = extract_figures(sentences, lang=lang, limit=None)
    if not figures:
        return text("no_figures", language, title=title)
    shown = figures[:MAX_FIGURE_LINES]
    key = "figures" if len(shown) == len(figures) else "figures_capped"
    if len(figures) == 1:
        key = "one_figure"
    head = text(key, language, count=len(figures), shown=len(shown), title=title)
    lines = [f"• {_figure_line(local_figure(f, lang, language))}" for f in shown]
    return "\n".join([head, *lines])


def _figure_line(figure: KeyFigure) -> str:
    words = " ".join(part for part in (figure.qualifier, figure.surface, figure.counted) if part)
    if figure.period:
        words += f" ({figure.period})"
    return f"{words} — “{_clip(figure.sentence, QUOTE_CHARS)}”"


def sources_text(sentences: list[str], shown: tuple[str, ...], title: str, language: str) -> str:
    """Each shown sentence with its place in the article: "sentence 4 of 23"."""
    lines = [text("sources", language, title=title)]
    for sentence, index in zip(shown, positions(sentences, shown), strict=True):
        where = (
            text("position", language, index=index + 1, total=len(sentences))
            if index is not None
            else text("no_position", language)
        )
        lines.append(f"• {where}: “{sentence}”")
    return "\n".join(lines)


def positions(sentences: list[str], shown: tuple[str, ...]) -> list[int | None]:
    """Where each shown sentence is in ``sentences``: the first match after the previous one
    (a summary is in document order; the lead comes first), else the first anywhere."""
    found: list[int | None] = []
    start = 0
    for sentence in shown:
        index = _find(sentences, sentence, start)
        if index is None:
            index = _find(sentences, sentence, 0)
        found.append(index)
        if index is not None:
            start = index + 1
    return found


def _find(sentences: list[str], sentence: str, start: int) -> int | None:
    for index in range(start, len(sentences)):
        if sentences[index] == sentence:
            return index
    return None


def _clip(words: str, limit: int) -> str:
    flat = " ".join(words.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"
