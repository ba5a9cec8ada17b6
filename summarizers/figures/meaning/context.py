"""Rules that read a number's context: its qualifier, what it counts and the period it covers.

No part-of-speech tagger is available offline (NLTK's needs downloaded data), so the noun
phrase after a number is found with word lists: it runs until a function word, a punctuation
mark or a verb form, and takes along a participle ("people crossing", "buses carrying migrants").
"""

from __future__ import annotations

import re

from summarizers.figures.meaning.context_before import noun_before, subject_head
from summarizers.figures.meaning.english_words import (
    AUXILIARIES,
    DETERMINERS,
    REPORTING,
    SMALL_NUMBERS,
    STOP_WORDS,
    WORD,
    is_participle,
    is_plural,
)
from summarizers.figures.meaning.periods import MONTHS_EN, is_period_word
from summarizers.figures.reading.numbers import NumberMention
from summarizers.figures.reading.words import set_of

_PREPOSITIONS = {"at", "in", "on", "from", "across", "into", "by", "near", "inside", "along"}
_DIRECTIONS = set_of("north south east west away long wide high deep tall off short")
_COLLECTIVES = set_of(
    "caravan group crowd convoy fleet team army force delegation family batch wave boat ship"
    " train camp shelter column flotilla contingent"
)
_QUALIFIER_WORDS = (
    r"up to|as many as|as much as|as high as|more than|over|in excess of|upwards of"
    r"|exceed(?:ed|s|ing)?|surpass(?:ed|es)?"
    r"|top(?:ped|s)|passed|well over|just over|above|about|around|roughly|approximately"
    r"|an estimated|estimated|some|nearly|almost|close to|at least|no fewer than|fewer than"
    r"|less than|just under|under|below|at most|no more than"
)
_CANONICAL = {
    "as many as": "up to", "as much as": "up to", "as high as": "up to",
    "in excess of": "more than", "upwards of": "more than",
    "above": "more than", "well over": "over", "just over": "over", "an estimated": "about",
    "estimated": "about", "close to": "nearly", "no fewer than": "at least", "below": "less than",
    "just under": "under", "no more than": "at most",
}  # fmt: skip
_QUALIFIER_BEFORE = re.compile(rf"\b({_QUALIFIER_WORDS})\s+\Z", re.IGNORECASE)
_QUALIFIER_AFTER = re.compile(r"\s*(?:(or more)|(-?plus)\b|(or so))", re.IGNORECASE)
_NUMBER_VERBS = (
    r"(?:(?:will|would|could|should|may|might|to)\s+(?:be|reach|top|exceed|hit|total)"
    r"|(?:was|were|is|are)\s+(?:down|up)|reach(?:es)?"
    r"|(?:(?:has|have|had)\s+)?(?:exceeded|surpassed|topped|passed|reached|hit|stood at|was|were"
    r"|is|are|totall?ed|numbered|(?:rose|risen|climbed|fell|fallen|dropped|increased|grew|grown"
    r"|jumped|doubled|declined|decreased|soared|slipped)(?:\s+(?:to|by))?))"
)
# The ends that the text before a number must have for the patterns below (which search the
# whole text for them, slowly), tested first: "... rose to", "... a caravan of"
_VERB_AT_END = rf"\s+{_NUMBER_VERBS}(?:\s+(?:{_QUALIFIER_WORDS}))?\s*\Z"
_OF_AT_END = rf"\s+of\s+(?:(?:{_QUALIFIER_WORDS})\s+)?\Z"
_ENDS_WITH_VERB = re.compile(_VERB_AT_END, re.IGNORECASE)
_ENDS_WITH_OF = re.compile(_OF_AT_END, re.IGNORECASE)
_NUMBER_OF = re.compile(
    rf"\b(?:number|numbers|total|tally|count)\s+of\s+(.+?){_VERB_AT_END}", re.IGNORECASE
)
_SUBJECT = re.compile(
    rf"((?:[^\W\d_][\w'’-]*\s+){{0,2}}[^\W\d_][\w'’-]*){_VERB_AT_END}", re.IGNORECASE
)
_COLLECTIVE_OF = re.compile(
    rf"\b((?:[^\W\d_][\w'’-]*\s+){{0,2}}(?:{'|'.join(_COLLECTIVES)})){_OF_AT_END}",
    re.IGNORECASE,
)
# A verb whose object is people harmed or held: the number after it counts them
_HARMED_BEFORE = re.compile(
    r"\b(killed|wounded|injured|arrested|detained|rescued|evacuated|captured|kidnapped"
    r"|killing|wounding|injuring|arresting|detaining|rescuing|evacuating|capturing)\s+\Z",
    re.IGNORECASE,
)
_PRONOUN_BEFORE = re.compile(r"\b(?:he|she|i|you|it)\s*\Z", re.IGNORECASE)
_OPENING_QUOTES = frozenset({'"', "“", "‘", "«"})
_AGE_AFTER = re.compile(r"-\w+-old\b")
_CHANGE_NOUNS = set_of(
    "drop fall rise increase decrease decline cut jump growth gain loss surge slump reduction"
)
# How far from a number its context is read. Reading to the end of the sentence from every number
# is quadratic in the sentence's length: a flattened table of 160 KB took 85 s. A counted noun
# phrase, its participle and their prepositional phrase fit in far less than this.
RIGHT_REACH = 160
LEFT_REACH = 160
_MONTHS_OR_UNITS = re.compile(
    rf"(?:{MONTHS_EN}|(?:day|night|week|month|year|hour|quarter)s?)", re.IGNORECASE
)


def find_qualifier(sentence: str, mention: NumberMention) -> tuple[str | None, int]:
    """The qualifier and where it starts: "more than" for "exceeded two million"."""
    match = _QUALIFIER_BEFORE.search(sentence, max(0, mention.start - 24), mention.start)
    if match:
        word = " ".join(match.group(1).lower().split())
        if re.fullmatch(r"exceed\w*|surpass\w*|top\w*|passed", word):
            return "more than", match.start()
        return _CANONICAL.get(word, word), match.start()
    after = _QUALIFIER_AFTER.match(sentence, mention.end)
    if after:
        qualifier = "at least" if after.group(1) else "more than" if after.group(2) else "about"
        return qualifier, mention.start
    return None, mention.start


def _noun_phrase(words: list[str], index: int, stop: frozenset[str], limit: int = 4) -> int:
    """End index of the run of content words starting at ``index`` (no function words)."""
    end = index
    while end < len(words) and end - index < limit:
        word = words[end]
        lower = word.lower()
        if not word[0].isalpha() or lower in stop or lower.endswith("ly"):
            break
        if is_participle(word, stop):
            if end > index and words[end - 1][0].isupper() and lower.endswith("ing"):
                end += 1  # "a $700,000 Norman Rockwell painting": a noun after a name
            break
        end += 1
        if is_plural(lower) and not _plural_follows(words, end, stop):
            break  # the head noun: "people died" stops before the verb
    return end


def _plural_follows(words: list[str], index: int, stop: frozenset[str]) -> bool:
    """ "sports stars", "arms sales": a plural that modifies the plural after it."""
    if index >= len(words):
        return False
    word = words[index]
    lower = word.lower()
    return word.isalpha() and word.islower() and lower not in stop and is_plural(lower)


def _is_time(word: str) -> bool:
    return bool(_MONTHS_OR_UNITS.fullmatch(word)) or is_period_word(word)


def _is_proper_name(words: list[str]) -> bool:
    """ "14 Carlo" is part of a name; "10 Democrats" and "3 US cities" are counted things."""
    return all(w[0].isupper() for w in words) and not is_plural(words[-1].lower())


def _prepositional_phrase(
    words: list[str], index: int, prepositions: set[str], stop: frozenset[str]
) -> int:
    if index >= len(words) or words[index].lower() not in prepositions:
        return index
    start = index + 1
    if start < len(words) and words[start].lower() in ("the", "a", "an", "its", "their"):
        start += 1
    end = _noun_phrase(words, start, stop)
    if end == start or _MONTHS_OR_UNITS.fullmatch(words[start]):
        return index
    return end


def _right_counted(sentence: str, mention: NumberMention, stop: frozenset[str]) -> str | None:
    after = _QUALIFIER_AFTER.match(sentence, mention.end)  # "5,000 or more arrivals"
    start = after.end() if after else mention.end
    if sentence[start : start + 1] == "-" and not _AGE_AFTER.match(sentence, start):
        start += 1  # "the 48-date tour" counts dates; "a 10-year-old" is an age (links.py)
    words = WORD.findall(sentence, start, start + RIGHT_REACH)
    index = 0
    amount = mention.kind == "money" or bool(mention.unit and mention.unit[:3].isupper())
    if amount and words and words[0].lower() in ("on", "for", "in"):
        # what the money went on: "on advocacy", "paid $200,000 for the canvas", "$2.53 in
        # per-share earnings" (a year or a name after "in" is no noun: see below)
        index = 1 + (len(words) > 1 and words[1].lower() in ("the", "a", "an"))
    elif words and words[0].lower() == "of":
        # a part of a whole counts the whole's noun: "won 16 of the 19 races", "30 of the
        # aircraft", "10 of its forthcoming A350", "70% of all mobile phones"
        after = 1
        while after < len(words) and words[after].lower() in DETERMINERS:
            after += 1
        if after < len(words) and (
            words[after][0].isdigit() or words[after].lower() in SMALL_NUMBERS
        ):
            after += 1
        if after > 1 or skips_of(mention):
            index = after
    if index < len(words) and is_participle(words[index], stop) and words[index].islower():
        # "three wounded crew members": the participle modifies the noun that follows it
        if index + 1 < len(words) and _noun_phrase(words, index + 1, stop) > index + 1:
            index += 1
            adjective = words[index - 1]
        else:
            adjective = None
    else:
        adjective = None
    if index == 0 and words[:1] == ["times"] and len(words) > 2:
        # "four times more mobiles", "three times as many people": mobiles, people
        if words[1] == "more":
            index = 2
        elif words[1] == "as" and words[2] in ("many", "much") and len(words) > 3:
            index = 3
    if index < len(words) - 1 and words[index] in _OPENING_QUOTES:
        index += 1  # more than three dozen "maternity hotels"
    end = _noun_phrase(words, index, stop)
    if end == index and amount and index and words[index].lower().endswith("ing"):
        end = index + 1  # after "for" or "on" an -ing word is a noun: "$15,000 for lodging"
    if index and amount and any(_is_time(w) for w in words[index:end]):
        return None  # "$1.13bn for the quarter", "$5m in fiscal 2019": a period, not a use
    if (
        end < len(words) - 1
        and words[end].lower() in ("and", "or")
        and end > index
        and not is_plural(words[end - 1].lower())
    ):  # "18 Northern and central California counties": two modifiers of one noun
        joined = _noun_phrase(words, end + 1, stop)
        if joined > end + 1 and is_plural(words[joined - 1].lower()):
            end = joined
    if adjective and end > index:
        return " ".join([adjective, *words[index:end]])
    if end == index or _is_proper_name(words[index:end]):
        return None
    if words[end - 1].lower() in _CHANGE_NOUNS:  # "a 40% drop in profits"
        end = _prepositional_phrase(words, end, {"in", "of"}, stop)
    if words[end - 1].lower() in _DIRECTIONS:  # "miles south of the border"
        end = _prepositional_phrase(words, end, {"of", "from"}, stop)
    if words[end - 1].lower() in ("years", "months") and words[end : end + 1] == ["in"]:
        end = _prepositional_phrase(words, end, {"in"}, stop)  # "20 years in prison"
    participle = end
    if end < len(words) and words[end].lower() in AUXILIARIES:
        participle = end + 1
    if participle < len(words) and is_participle(words[participle], stop):
        verb = words[participle]
        followed_by = words[participle + 1].lower() if participle + 1 < len(words) else ""
        # "people apprehended at the border" modifies; "voters backed the plan" is the verb
        modifier = participle > end or verb.endswith("ing") or followed_by in _PREPOSITIONS
        modifier = modifier or words[end - 1].lower() in ("others", "more")  # "82 others wounded"
        if modifier and verb.lower() not in REPORTING:
            phrase = [*words[index:end], verb]
            tail = (
                _noun_phrase(words, participle + 1, stop, 3)
                if verb.endswith("ing")
                else participle + 1
            )
            tail = _prepositional_phrase(words, tail, _PREPOSITIONS, stop)
            return " ".join([*phrase, *words[participle + 1 : tail]])
    return " ".join(words[index:end])


def skips_of(mention: NumberMention) -> bool:
    """ "70% of voters", "tens of thousands of people", "two million of them"."""
    return mention.kind == "percent" or mention.value < 1 or not mention.surface[-1].isdigit()


def find_counted(
    sentence: str, mention: NumberMention, qualifier_start: int, inherited: str | None = None
) -> str | None:
    """What the number counts, from the words after it or, failing that, what the number it
    continues counts (``inherited``), or the words before it (English; Spanish word order has
    its own rules in context_es)."""
    reach = max(0, qualifier_start - LEFT_REACH)  # the patterns end the text: read its end only
    # the verb may be the qualifier: "exceeded two million"
    before = sentence[max(0, mention.start - LEFT_REACH) : mention.start]
    stop = STOP_WORDS
    right = _right_counted(sentence, mention, stop)
    up_to_qualifier = sentence[reach:qualifier_start]
    if (
        right
        and _ENDS_WITH_OF.search(up_to_qualifier)
        and (collective := _COLLECTIVE_OF.search(up_to_qualifier))
    ):
        group = collective.group(1).split()
        while group[0].lower() in stop:
            group = group[1:]
        return f"{right} in the {' '.join(group)}"
    if right:
        return right
    if harmed := _HARMED_BEFORE.search(up_to_qualifier, max(0, len(up_to_qualifier) - 16)):
        return harmed.group(1)  # "killing 27 people and wounding 151": the wounded
    if inherited:
        return inherited
    if not (verb := _ENDS_WITH_VERB.search(before, max(0, len(before) - 60))):
        return noun_before(up_to_qualifier, mention.kind, mention.value)
    if _PRONOUN_BEFORE.search(before, max(0, verb.start() - 8), verb.start()):
        return None  # "since he was 9": an attribute of someone, not a count
    if number_of := _NUMBER_OF.search(before):
        return number_of.group(1)
    if head := subject_head(before[: verb.start()]):
        return head
    if subject := _SUBJECT.search(before):
        words = [w for w in subject.group(1).split() if w.lower() not in stop]
        return " ".join(words) or None
    return None
