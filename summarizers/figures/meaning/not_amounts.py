"""Numbers in a sentence that are not amounts an editor lists: ranks, names, screens' "4K",
and the clock times of matches and races."""

from __future__ import annotations

import re

from summarizers.figures.meaning.english_words import STOP_WORDS, is_participle, is_plural
from summarizers.figures.reading.numbers import NumberMention
from summarizers.figures.reading.words import set_of

_RANK_BEFORE = re.compile(r"\b(?:number|No\.|n[úu]mero|n\.?º)\s*\Z", re.IGNORECASE)
_KILO_ONLY = re.compile(r"\d+[kK]")  # "4K" video, "a 5k run"; money ("$449K") is no count
_CAPITAL_AFTER = re.compile(r"[\s-]+[A-Z]")
_INVARIANT = set_of(
    "aircraft sheep fish deer crew offspring series species cattle personnel staff dead injured"
    " wounded missing homeless displaced"
)
# A plural scale word alone is a magnitude, not an amount to list ("tens of thousands" and
# "hundreds of thousands" say more and stay)
_BARE_PLURAL_SCALE = set_of(
    "hundreds thousands millions billions trillions dozens cientos centenares miles millones"
    " docenas decenas"
)
_VERBS_AFTER = set_of(
    "went fled fell rose came left ran were was are is have had did got died arrived lived"
    " remained stayed returned gathered protested marched waited worked voted moved crossed"
    " landed escaped drowned disappeared"
)
_CLOCK_TIME = set_of("minute minutes second seconds secs mins minuto minutos segundo segundos")


def not_an_amount(sentence: str, mention: NumberMention, surface: str) -> bool:
    """A rank ("the number one planemaker", "No. 3"), a name ("One Direction", "the One Home
    Depot plan"), a screen's "4K" or a bare "millions of": numbers that are not amounts."""
    before = sentence[max(0, mention.start - 8) : mention.start]
    if ("mber" in before or "o" in before or "º" in before) and (
        _RANK_BEFORE.search(before)
    ):  # the substring tests first: far cheaper than a regex search on every number
        return True
    if mention.kind == "count" and _KILO_ONLY.fullmatch(surface):
        return True
    if surface.lower() in _BARE_PLURAL_SCALE:
        return True  # "millions of TV viewers", "miles de personas": no amount is given
    if not (surface[:1].isalpha() and surface[0].isupper()):
        return False
    before = sentence[: mention.start].rstrip(" \"“'‘(")
    if before and before[-1] not in "-—–:.;)":  # not at the start, nor after a dateline
        return _CAPITAL_AFTER.match(sentence, mention.end) is not None
    return False


def is_clock_time(counted: str) -> bool:
    """ "on 60 minutes", "in 6.56 seconds": match and race times, not the news."""
    return counted.split()[0].lower() in _CLOCK_TIME


def names_a_model(sentence: str, mention: NumberMention, counted: str) -> bool:
    """ "its new 777 plane", "the top 10 face off": a number of two or more before a singular
    noun (no plural, name or possessive among the counted words) names a model or a rank; a
    count agrees with its noun ("10 planes"). Words that are their own plural are counts."""
    surface = mention.surface
    if (
        mention.kind != "count"
        or mention.value < 2
        or not (surface.isdigit() and surface.isascii())
    ):
        return False
    words = counted.split()
    if words[0] == words[0].upper():
        return False  # a script without case (Arabic, Hebrew): no plural or name to tell by
    if is_participle(words[0], STOP_WORDS) or words[0] in _VERBS_AFTER:
        return False  # "300 died in Libya": the number is the subject of a verb
    if not sentence.startswith(f" {words[0]}", mention.end):
        return False  # read from before the number ("killing 13"), or a compound ("12-month")
    return not any(
        is_plural(word) or word[0].isupper() or "'" in word or "’" in word or word in _INVARIANT
        for word in words
    )
