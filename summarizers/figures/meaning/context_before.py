"""The noun a number is linked to from before it (English): the subject of "rose to", "a
profit of", "a deal worth" (context.py reads the words after a number first)."""

from __future__ import annotations

import re

from summarizers.figures.meaning.english_words import (
    AUXILIARIES,
    PLAIN_WORD,
    STOP_WORDS,
    WORD,
    is_participle,
    is_plural,
)
from summarizers.figures.reading.words import set_of

# Where the clause that holds a subject starts: "TimeWarner said fourth quarter sales rose"
_CLAUSE_START = re.compile(
    r".*(?:[,;:(]\s*|\b(?:said|says|that|which|who|while|and|but|as|after|when|because)\s+)",
    re.IGNORECASE | re.DOTALL,
)
_LINKS = frozenset({"of", "to", "at"})
_AMOUNT_LINKS = _LINKS | {"by", "from", "worth"}
_RELATIVE_VERB = set_of("that which could would will might may be is are was were been being")


def subject_head(clause: str) -> str | None:
    """The noun phrase that opens the clause before a verb, up to its first function word:
    "Quarterly profits at US media giant TimeWarner" -> "Quarterly profits"."""
    start = _CLAUSE_START.match(clause)
    words = WORD.findall(clause, start.end() if start else 0)
    while words and words[0].lower() in STOP_WORDS:
        words = words[1:]
    end = 0
    while end < len(words) and end < 4 and words[end][0].isalpha():
        word = words[end]
        if word.lower() in STOP_WORDS or (word.islower() and is_participle(word, STOP_WORDS)):
            break  # "Allied Domecq shares": a capital "-ed" is a name, not a verb
        end += 1
    if end == 0 or not any(is_plural(w.lower()) or w.islower() for w in words[:end]):
        return None  # a name ("Boeing"), not what a number counts
    return " ".join(words[:end])


def noun_before(text: str, kind: str = "count", value: float = 0.0) -> str | None:
    """The noun a number is linked to by "of", "to" or "at": "growth of just 0.1%", "a pre-tax
    profit of £75m", "the unemployment rate to 5.2%"; an amount's or a share's also by "by",
    "from" or "worth": "cut fine dusts by 90%", "a deal (that could be) worth $6bn" (split words:
    a regex search from every position of the text before each number cost more than the rest
    of the figure)."""
    words = text[-80:].split()
    while words and words[-1].lower() in ("just", "only"):
        words.pop()
    links = _LINKS if kind not in ("money", "percent") else _AMOUNT_LINKS
    if len(words) < 2 or words[-1].lower() not in links:
        return None
    if words[-1].lower() == "at" and kind == "count" and value < 120 and value % 1 == 0:
        return None  # "dropped out of school at 16", "his life at 17": an age
    if words[-1].lower() == "worth":
        while len(words) > 2 and words[-2].lower() in _RELATIVE_VERB:
            del words[-2]  # "a deal that could be worth": the deal
    phrase: list[str] = []
    near = words[-6:-1]
    if len(near) > 2 and is_participle(near[-1], STOP_WORDS) and near[-2].lower() in AUXILIARIES:
        near = near[:-2]  # "postcards are priced at £35": what is priced
    near = near[-4:]
    for index in range(len(near) - 1, -1, -1):
        word = near[index]
        lower = word.lower()
        if not PLAIN_WORD.fullmatch(word) or lower in STOP_WORDS or len(phrase) == 2:
            break
        if is_participle(word, STOP_WORDS) and not (not phrase and _is_gerund(near, index)):
            break
        if phrase and lower.endswith("s") and not is_plural(lower):
            break
        phrase.insert(0, word)
    if not phrase or phrase[-1][0].isupper() or phrase[-1].lower() == "age":
        return None  # "Pernod - at 7.5bn euros", "Boeing's order of 30": names; ages: victim_age
    return " ".join(phrase)


def _is_gerund(words: list[str], index: int) -> bool:
    """ "slashes state spending by $4bn", "the funding of": an -ing word that ends a noun phrase
    (after a noun or a determiner, not after "is", "to" or "were") is a noun."""
    if not words[index].lower().endswith("ing") or index == 0:
        return False
    before = words[index - 1].lower()
    if not PLAIN_WORD.fullmatch(before):
        return False  # "(3-4) dating to 2007": a clause, not a noun phrase
    return before not in AUXILIARIES and before not in ("to", "not", "be", "been", "will")
