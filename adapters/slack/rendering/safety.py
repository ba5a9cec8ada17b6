"""Slack text safety: escape quoted text for mrkdwn, neutralise mentions, read incoming text.

Slack has no backslash escape. Its documented rule is to write ``&``, ``<`` and ``>`` as
``&amp;``, ``&lt;`` and ``&gt;``; that alone turns ``<!channel>``, ``<!here>``, ``<@U123>``,
``<#C123>`` and ``<!subteam^S1>`` into harmless text. What is left is defused by replacing
characters with look-alikes, because look-alikes cannot be parsed by any Slack client:

- a word-initial ``@`` ("@here", "@channel", "@everyone", "@someone") becomes FULLWIDTH
  COMMERCIAL AT, so no client or ``link_names`` parsing turns it into a mention;
- in quoted article text, the mrkdwn markers ``*``, ``_``, ``~`` and `````` become look-alikes,
  so a headline with ``*`` or ``~`` cannot make the rest of a message bold or struck through;
  in the bot's own replies too, except an ``_`` inside a word.

Plain-text objects (headers) are not parsed for entities, so there ``<``/``>`` become angle
quotation marks instead of entities (an ``&lt;`` would show as typed).
"""

from __future__ import annotations

import re

from bot.web.urls import link_target

FULLWIDTH_AT = "\uff20"
ELLIPSIS = "…"

_WORD_INITIAL_AT = re.compile(r"(?<![\w.+-])@(?=\w)")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MARKERS = {"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"}
_QUOTED = str.maketrans(_ENTITIES | _MARKERS)
_OWN_TEXT = str.maketrans(_ENTITIES)
# Every *, ~ and `, and an _ that is not between two letters or digits.
_OWN_MARKERS = re.compile(r"[*~`]|(?<![^\W_])_|_(?![^\W_])")
_PLAIN = str.maketrans({"<": "\u2039", ">": "\u203a"})

_INCOMING_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>", re.IGNORECASE)
_INCOMING_ENTITY = re.compile(r"<([@#!][^>]*)>")


def defuse_mentions(text: str) -> str:
    """Replace each word-initial ``@`` with a full-width one (e-mail addresses are kept)."""
    return _WORD_INITIAL_AT.sub(FULLWIDTH_AT, text)


def quote(text: str, limit: int | None = None) -> str:
    """Article or feed text made inert for a mrkdwn field, cut to ``limit`` escaped chars."""
    return _fit(defuse_mentions(text), _QUOTED, limit)


def own_text(text: str, limit: int | None = None) -> str:
    """The bot's own sentences (which may echo user or feed words) for a mrkdwn field.

    Entities and mentions are neutralised, and so are mrkdwn markers, so a feed titled
    ``*Official* _news_`` cannot format the reply; an ``_`` inside a word is kept (Slack does
    not format there) so a time zone such as ``America/Mexico_City`` reads as it must be typed.
    """
    inert = _OWN_MARKERS.sub(lambda match: _MARKERS[match[0]], defuse_mentions(text))
    return _fit(inert, _OWN_TEXT, limit)


def plain(text: str, limit: int | None = None) -> str:
    """Text for a ``plain_text`` object (headers): no entities, no mentions, within ``limit``."""
    return _fit(defuse_mentions(text), _PLAIN, limit)


def link(url: str | None, label: str, limit: int | None = None) -> str:
    """A mrkdwn link ``<url|label>`` with a quoted label, or just the label for a bad URL."""
    safe_url = safe_link_target(url)
    if safe_url is None:
        return quote(label, limit)
    room = None if limit is None else max(limit - len(safe_url) - 3, 1)
    return f"<{safe_url}|{quote(label, room)}>"


def safe_link_target(url: str | None) -> str | None:
    """``url`` escaped for the inside of ``<...|...>``; None unless browsers and Python agree
    on where it goes (``bot.web.urls.link_target``: no backslash, userinfo, space, control)."""
    target = link_target(url.strip() if url else None)
    if target is None:
        return None
    return target.replace("|", "%7C").translate(_OWN_TEXT)


def incoming_text(text: str) -> str:
    """Slack's encoded message or command text as a person typed it, for the core.

    ``<https://x|label>`` becomes the bare URL, ``<@U1>``/``<#C1|name>``/``<!here>`` are dropped
    (they name no article) and the three entities are decoded, ``&amp;`` last.
    """
    text = _INCOMING_LINK.sub(lambda match: match[1], text)
    text = _INCOMING_ENTITY.sub("", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _fit(text: str, table: dict[int, str], limit: int | None) -> str:
    """``text.translate(table)``, cut at a character boundary so the result fits ``limit``.

    Cutting after translating could split an entity (``&am``), so the cut is made on the source
    characters, counting the length each one translates to.
    """
    translated = text.translate(table)
    if limit is None or len(translated) <= limit:
        return translated
    budget = limit - len(ELLIPSIS)
    used = 0
    for index, char in enumerate(text):
        width = len(table.get(ord(char), char))
        if used + width > budget:
            return text[:index].translate(table).rstrip() + ELLIPSIS
        used += width
    return translated  # not reached: the full text was longer than the limit
