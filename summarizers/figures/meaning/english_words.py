"""English word tables and token tests shared by the rules that read a number's context."""

from __future__ import annotations

import re
from functools import lru_cache

from summarizers.figures.reading.words import set_of

WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_][\w'’-]*|\d[\d,.]*|[^\w\s]")  # "U.S.": one word
PLAIN_WORD = re.compile(r"[^\W\d_][\w'’-]*")
STOP_WORDS = set_of(
    "a an the this that these those his her its their our your my some any each every all"
    " both either neither no not and or but nor so yet for of in on at to from by with without"
    " into onto over under about around after before during since until than as per via"
    " between among across through against toward towards within which who whom whose what"
    " when where why how it he she they we you i is are was were be been being has have had do"
    " does did will would shall should can could may might must also only just even still"
    " already alone more most less least very too said says say according while if because"
    " though although whether then there here up down out off again once ago last next year"
    " week month day including like near despite instead compared respectively apiece overall"
    " smaller larger higher lower bigger greater earlier later year-earlier worldwide nationwide"
    " globally domestically"
)
AUXILIARIES = set_of("were are was is been being have has had be")
REPORTING = set_of(
    "estimated believed thought said reported expected feared understood known likely"
    " reportedly considered"
)
_NOT_PARTICIPLES = set_of(
    "building buildings evening morning thing king ring spring string wing funding housing"
    " meeting training clothing ceiling shooting warning offering feed need speed seed bed red"
    " hundred kindred arrived died fled lived remained stayed returned gathered protested marched"
    " waited worked voted travelled traveled moved crossed landed escaped drowned disappeared"
)
DETERMINERS = set_of("the its their his her our all these those this that")
SMALL_NUMBERS = set_of("two three four five six seven eight nine ten eleven twelve dozen hundred")
_IRREGULAR_PLURALS = set_of("people children men women police staff personnel cattle")
_IRREGULAR_PARTICIPLES = set_of("held taken hurt born made sent caught left found seen brought")


@lru_cache(maxsize=8192)  # called on the same few words for every number
def is_participle(word: str, stop: frozenset[str]) -> bool:
    lower = word.lower()
    if lower in _NOT_PARTICIPLES or lower in stop:
        return False
    return lower in _IRREGULAR_PARTICIPLES or (len(lower) > 4 and lower.endswith(("ing", "ed")))


@lru_cache(maxsize=8192)
def is_plural(word: str) -> bool:
    if word in _IRREGULAR_PLURALS or word.endswith("men"):  # "gunmen", "firemen"
        return True
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "'s", "’s"))
