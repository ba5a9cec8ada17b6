"""Channel filters: read the terms people type, refuse unsafe patterns, keep or drop a story.

A story passes a channel's filters when it matches at least one include term (if there are
any) and no exclude term. Terms: a keyword (whole word), a "quoted phrase", a /regex/ and
``figure <counted noun>`` ("figure deaths": a key figure counting deaths, in English or
Spanish). Keywords and phrases ignore case and accents ("Mexico" finds "México"), except a
keyword typed in capitals of up to five letters, an acronym: ICE does not find "ice".

Patterns run on RE2 (google-re2), which matches in time linear in the text and has no
backtracking, so no pattern can hang a digest; RE2 refuses what needs backtracking
(backreferences, look-arounds) and patterns too large for its memory limit, and we refuse
those at ``filter include`` with one sentence.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import re2

from bot.errors import InputError
from bot.models import Story
from bot.store.records.filters import ChannelFilter, FilterKind

__all__ = ["MAX_PATTERN", "check_regex", "figure_nouns", "parse_terms", "story_filter"]

log = logging.getLogger(__name__)

MAX_PATTERN = 200  # characters of one term
MAX_TERMS = 10  # terms in one command
_RE2_MEMORY = 1 << 20  # bytes RE2 may use for one pattern (a huge repetition is refused)
_QUOTES = {'"': '"', "“": "”", "«": "»", "„": "“"}
_FIGURE_WORDS = {"figure", "figura", "cifra"}

# Counted nouns that mean the same in a newsroom's filter, English and Spanish, without
# accents. A hand-made table rather than a library: it is a dozen words of one beat, and a
# general synonym set (WordNet) would need downloaded data and would not know "encounters".
_NOUN_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "death deaths dead died killed fatality fatalities muerte muertes muerto muertos "
        "fallecido fallecidos fallecimiento fallecimientos deceso decesos",
        "arrival arrivals arrived llegada llegadas llegado llegados arribo arribos",
        "apprehension apprehensions arrest arrests arrested detention detentions detained "
        "aprehension aprehensiones arresto arrestos detencion detenciones detenido detenidos",
        "deportation deportations deported removal removals deportacion deportaciones "
        "deportado deportados expulsion expulsiones repatriation repatriations "
        "repatriacion repatriaciones",
        "crossing crossings encounter encounters cruce cruces encuentro encuentros",
        "migrant migrants migrante migrantes immigrant immigrants inmigrante inmigrantes",
        "refugee refugees refugiado refugiados",
        "asylum asilo",
    )
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case without accents, for matching keywords and nouns."""
    return _plain(text).casefold()


def _singular(word: str) -> str:
    if word.endswith("es") and len(word) > 4:
        return word[:-2]
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def figure_nouns(noun: str) -> frozenset[str]:
    """The words that count as ``noun`` in a key figure's counted noun (its synonym group)."""
    word = fold(noun.strip())
    for group in _NOUN_GROUPS:
        if word in group or _singular(word) in group:
            return group
    return frozenset({word, _singular(word)})


def check_regex(pattern: str) -> re2._Regexp:
    """The compiled pattern, or InputError saying in one sentence why it is refused."""
    if not pattern:
        raise InputError("That /regex/ is empty.")
    if len(pattern) > MAX_PATTERN:
        raise InputError(f"A /regex/ may be at most {MAX_PATTERN} characters long.")
    try:
        return _compiled(pattern)
    except re2.error as error:
        reason = error.args[0].decode() if error.args and isinstance(error.args[0], bytes) else ""
        raise InputError(
            f"I can't use the /regex/ {pattern!r} ({reason or 'not a valid pattern'}): "
            "patterns run on RE2, without backreferences or look-arounds."
        ) from None


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re2._Regexp:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # RE2 would print every refused pattern on stderr
    options.max_mem = _RE2_MEMORY
    return re2.compile(pattern, options)


def parse_terms(text: str) -> list[tuple[FilterKind, str]]:
    """The terms of ``filter include ...``: words, "phrases", /regex/ and figure <noun>.

    Hand-written because shlex would eat a pattern's backslashes and knows neither /.../ nor
    typographic quotes. Raises InputError (one sentence) for an unclosed quote or pattern.
    """
    terms: list[tuple[FilterKind, str]] = []
    i, n = 0, len(text)
    figure_next = False
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        char = text[i]
        if char in _QUOTES:
            end = text.find(_QUOTES[char], i + 1)
            if end < 0:
                raise InputError("A quoted phrase is missing its closing quote.")
            value, i = " ".join(text[i + 1 : end].split()), end + 1
            kind: FilterKind = "phrase" if " " in value else "word"
        elif char == "/" and not figure_next:
            end = _pattern_end(text, i)
            value, i, kind = text[i + 1 : end].replace("\\/", "/"), end + 1, "regex"
            check_regex(value)
        else:
            end = i
            while end < n and not text[end].isspace():
                end += 1
            value, i = text[i:end].strip(".,;:!?¡¿()[]{}"), end
            if not figure_next and fold(value) in _FIGURE_WORDS:
                figure_next = True
                continue
            kind = "word"
        if figure_next:
            if kind != "word" or not value:
                raise InputError("Say which figures: figure deaths, figure arrivals, ...")
            kind, figure_next = "figure", False
        if value and len(value) > MAX_PATTERN:
            raise InputError(f"A filter term may be at most {MAX_PATTERN} characters long.")
        if value:
            terms.append((kind, value))
    if figure_next:
        raise InputError("Say which figures: figure deaths, figure arrivals, ...")
    if len(terms) > MAX_TERMS:
        raise InputError(f"Give at most {MAX_TERMS} terms at a time.")
    return terms


def _pattern_end(text: str, start: int) -> int:
    """The index of the slash closing the /pattern/ that opens at ``start``."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "/" and (i + 1 == len(text) or text[i + 1].isspace()):
            return i
        i += 1
    raise InputError("A /regex/ is missing its closing slash.")


@dataclass(frozen=True, slots=True)
class _Texts:
    """A story's words three ways, and its key figures' counted nouns."""

    text: str  # as written (patterns)
    plain: str  # without accents, case kept (acronyms: ICE is not ice)
    folded: str  # without accents or case (keywords and phrases)
    counted: Sequence[str]


@dataclass(frozen=True, slots=True)
class _Term:
    test: Callable[[_Texts], bool]


def _term(item: ChannelFilter) -> _Term | None:
    if item.kind == "regex":
        try:
            pattern = _compiled(item.value)
        except re2.error:  # accepted once; refused by a newer RE2: skip it, never crash
            log.warning("channel filter %s: its pattern no longer compiles", item.id)
            return None
        return _Term(lambda texts: pattern.search(texts.text) is not None)
    if item.kind == "figure":
        nouns = figure_nouns(item.value)
        return _Term(lambda texts: any(_counts(c, nouns) for c in texts.counted))
    # An acronym typed in capitals (ICE, CBP, ONU) keeps its case, as the topic profiles do.
    acronym = item.kind == "word" and item.value.isupper() and len(item.value) <= 5
    words = (_plain(item.value) if acronym else fold(item.value)).split()
    # A literal (re.escape) in word boundaries: no user syntax reaches the regex engine.
    literal = re.compile(r"(?<!\w)" + r"[\W_]+".join(map(re.escape, words)) + r"(?!\w)")
    if acronym:
        return _Term(lambda texts: literal.search(texts.plain) is not None)
    return _Term(lambda texts: literal.search(texts.folded) is not None)


def _counts(counted: str, nouns: frozenset[str]) -> bool:
    return any(w in nouns or _singular(w) in nouns for w in re.findall(r"\w+", fold(counted)))


def story_filter(filters: Iterable[ChannelFilter]) -> Callable[[Story], bool] | None:
    """Whether a story passes the filters (None when there are none)."""
    includes, excludes = [], []
    for item in filters:
        term = _term(item)
        if term is not None:
            (includes if item.mode == "include" else excludes).append(term)
    if not includes and not excludes:
        return None

    def keep(story: Story) -> bool:
        parts = [story.title, *story.summary.sentences]
        parts += [f"{a.title or ''}\n{a.text}" for a in story.articles]
        text = "\n".join(parts)
        plain = _plain(text)
        counted = [figure.counted or "" for figure in story.figures]
        texts = _Texts(text, plain, plain.casefold(), counted)
        if includes and not any(t.test(texts) for t in includes):
            return False
        return not any(t.test(texts) for t in excludes)

    return keep
