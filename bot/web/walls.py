"""Is a page a wall instead of an article: paywall stub, consent wall, bot challenge, link index?

Each kind needs at least two independent signals (HTTP status, declared article length versus
visible text, JSON-LD ``isAccessibleForFree``, markup, typical phrases in English and Spanish,
link density), so one phrase in a footer ("Subscribe", "We use cookies") never decides.
Hand-written because no maintained library classifies these pages; the rules come from the
tuning part of the labelled set (``benchmarks/walls.py``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal

from lxml.html import HtmlElement

WallKind = Literal["paywall", "consent", "challenge", "index"]
WALL_STATUSES = frozenset({401, 402, 403, 451})

_SHORT_WORDS = 150  # visible text below this is a stub, not a news article
_STUB_SHARE = 0.5  # visible words under half the declared article's words: the rest is withheld
_MIN_DECLARED_WORDS = 150
_TEASER_WORDS = 400  # a teaser is a few paragraphs; the tune part's stubs showed 100-200 words
_TAIL_LINES = 3
_INDEX_LINK_SHARE = 0.6  # share of the page's words that sit inside links
_INDEX_MIN_LINKS = 30

_PAYWALL_PHRASES = re.compile(
    r"subscribe (now )?to (continue|keep) reading|to continue reading|already a subscriber"
    r"|for the full story|to (view|read) the full (story|article)"
    r"|subscribers? only|for subscribers|this (article|content) is (only )?(available|reserved)"
    r"|sign in to (continue|read)|log in to (continue|read)|create a free account to"
    r"|para (seguir|continuar) leyendo|ya eres suscriptor|ya soy suscriptor"
    r"|exclusivo para suscriptores|contenido (exclusivo|solo) para|suscr[ií]bete (ahora )?para"
    r"|inicia sesi[oó]n para (seguir|continuar|leer)|has alcanzado el l[ií]mite",
    re.IGNORECASE,
)
_CONSENT_PHRASES = re.compile(
    r"we use cookies|accept (all )?cookies|accept all|manage (cookie )?preferences"
    r"|your privacy choices|cookie (policy|settings)|we value your privacy|consent to"
    r"|utilizamos cookies|usamos cookies|aceptar (todas|todo|cookies)|configurar cookies"
    r"|pol[ií]tica de cookies|tu privacidad|gestionar (las )?preferencias|consentimiento",
    re.IGNORECASE,
)
_CHALLENGE_PHRASES = re.compile(
    r"checking (if the site connection is secure|your browser)|verify (that )?you are (a )?human"
    r"|are you a robot|just a moment|enable javascript and cookies to continue"
    r"|unusual traffic|press (and|&) hold|access denied"
    r"|comprobando (tu|su) navegador|verifica(r)? que (eres|es) (un )?humano|no soy un robot"
    r"|un momento, por favor|tr[aá]fico inusual|acceso denegado",
    re.IGNORECASE,
)
_PAYWALL_MARKUP = re.compile(
    r"paywall|regwall|(^|[\s_-])meter([\s_-]|$)|subscriber[-_]only|premium[-_]content"
    r"|piano[-_]|tp-modal|muro[-_]de[-_]pago|exclusivo[-_]suscriptores",
    re.IGNORECASE,
)
_CONSENT_MARKUP = re.compile(r"consent|cookie|gdpr|\bcmp\b|didomi|onetrust|sp_message", re.I)
_CHALLENGE_MARKUP = re.compile(
    r"cf[-_]chl|challenge[-_](form|platform|running)|cf-browser-verification|px-captcha"
    r"|g-recaptcha|h-captcha|cf-turnstile|captcha-delivery",
    re.IGNORECASE,
)


_VISIBLE_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::template)]"


@dataclass(frozen=True, slots=True)
class Wall:
    """What stands between the reader and the article, and the signals that said so."""

    kind: WallKind
    signals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Page:
    visible_words: int
    declared_words: int
    free: bool | None
    article_type: bool | None  # og:type or JSON-LD says article (True) / website (False)
    link_share: float
    links: int
    page_text: str  # all visible text of the page (banners included), for phrases
    tail: str  # the last lines of the extracted text, where a paywall prompt stops the story
    markup: str  # ids, classes and form actions, for consent and challenge markup


def find_wall(tree: HtmlElement, visible_text: str, status: int = 200) -> Wall | None:
    """The wall this page is, or None for an article; ``visible_text`` is the extracted body."""
    page = _read(tree, visible_text)
    checks: tuple[tuple[WallKind, list[str]], ...] = (
        ("challenge", _challenge(page, status)),
        ("consent", _consent(page)),
        ("paywall", _paywall(page, status)),
        ("index", _index(page)),
    )
    for kind, signals in checks:
        if len(signals) >= 2:
            return Wall(kind, tuple(signals))
    return None


def _short(page: _Page) -> bool:
    return page.visible_words < _SHORT_WORDS


def _paywall(page: _Page, status: int) -> list[str]:
    signals = []
    if status in (401, 402):
        signals.append(f"http {status}")
    if page.free is False and _short(page):
        signals.append("isAccessibleForFree false")
    declared = page.declared_words
    if declared >= _MIN_DECLARED_WORDS and page.visible_words < _STUB_SHARE * declared:
        signals.append("stub shorter than declared article")
    # A footer's "Subscribe" link is on every news page: a prompt counts where the text stops,
    # and only on a teaser-length text.
    if page.visible_words < _TEASER_WORDS and _PAYWALL_PHRASES.search(page.tail):
        signals.append("text ends in a paywall prompt")
    elif _short(page) and _PAYWALL_PHRASES.search(page.page_text):
        signals.append("paywall phrase on a short page")
    if page.visible_words < _TEASER_WORDS and _PAYWALL_MARKUP.search(page.markup):
        signals.append("paywall markup")
    if status == 403 and signals:
        signals.append("http 403")
    return signals


def _consent(page: _Page) -> list[str]:
    if not _short(page):
        return []  # a banner above a readable article is not a wall
    signals = ["short text"]
    if _CONSENT_PHRASES.search(page.page_text):
        signals.append("consent phrase")
    if _CONSENT_MARKUP.search(page.markup):
        signals.append("consent markup")
    return signals if len(signals) == 3 else []


def _challenge(page: _Page, status: int) -> list[str]:
    if not _short(page):
        return []
    signals = []
    if _CHALLENGE_PHRASES.search(page.page_text):
        signals.append("challenge phrase")
    if _CHALLENGE_MARKUP.search(page.markup):
        signals.append("challenge markup")
    if status in (403, 429, 503) and signals:
        signals.append(f"http {status}")
    return signals


def _index(page: _Page) -> list[str]:
    if page.article_type:
        return []  # the page declares itself an article (og:type, JSON-LD): a short story
    signals = []
    if page.links >= _INDEX_MIN_LINKS and page.link_share >= _INDEX_LINK_SHARE:
        signals.append("link density")
    if page.article_type is False:
        signals.append("declared website, not article")
    elif page.article_type is None:
        signals.append("declares no article")
    if _short(page) and page.links >= _INDEX_MIN_LINKS:
        signals.append("little text between links")
    return signals if "link density" in signals else []


def _read(tree: HtmlElement, visible_text: str) -> _Page:
    declared, free, article_type = _declared(tree)
    body = tree.find(".//body")
    root = body if body is not None else tree
    page_text = " ".join(" ".join(map(str, root.xpath(_VISIBLE_TEXT))).split())
    link_words = sum(len(a.text_content().split()) for a in root.iter("a"))
    words = max(len(page_text.split()), 1)
    markup = " ".join(
        value
        for element in root.iter()
        if isinstance(element.tag, str)
        for value in (element.get("id"), element.get("class"), element.get("action"))
        if value
    )
    return _Page(
        visible_words=len(visible_text.split()),
        declared_words=declared,
        free=free,
        article_type=article_type,
        link_share=link_words / words,
        links=sum(1 for _ in root.iter("a")),
        page_text=page_text,
        tail=" ".join(visible_text.strip().split("\n")[-_TAIL_LINES:]),
        markup=markup,
    )


def _declared(tree: HtmlElement) -> tuple[int, bool | None, bool | None]:
    """(declared article words, isAccessibleForFree, declared an article) from JSON-LD and og."""
    words, free, article_type = 0, None, None
    og_type = tree.xpath('string(//meta[@property="og:type"]/@content)').strip().lower()
    if og_type:
        article_type = og_type in ("article", "story", "news", "newsarticle")
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for item in _items(data):
            kind = " ".join(item.get("@type", [])) if isinstance(item.get("@type"), list) else ""
            kind = kind or str(item.get("@type", ""))
            if "Article" in kind or "Posting" in kind:
                article_type = True
            body = item.get("articleBody")
            if isinstance(body, str):
                words = max(words, len(body.split()))
            count = item.get("wordCount")
            if isinstance(count, int | str) and str(count).isdigit():
                words = max(words, int(count))
            flag = item.get("isAccessibleForFree")
            if flag is not None:
                free = str(flag).strip().lower() not in ("false", "0", "no")
    return words, free, article_type


def _items(data: object) -> list[dict[str, object]]:
    """Every JSON-LD object, through lists and @graph, with a bound on the work."""
    found: list[dict[str, object]] = []
    stack = [data]
    while stack and len(found) < 200:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            found.append(item)
            stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity"))
    return found
