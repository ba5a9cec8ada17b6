"""Key figures of an article: the numbers with news value, what they count, and how important."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache, lru_cache

from summarizers.figures.meaning import context as figure_context
from summarizers.figures.meaning import context_es as figure_context_es
from summarizers.figures.meaning.links import (
    compares,
    continues,
    is_currency_twin,
    is_offer,
    mentions_harm,
    victim_age,
)
from summarizers.figures.meaning.not_amounts import is_clock_time, names_a_model, not_an_amount
from summarizers.figures.meaning.periods import find_period
from summarizers.figures.reading.invisible import Visible
from summarizers.figures.reading.numbers import NumberMention, find_numbers
from summarizers.figures.reading.style import NumberStyle, language_style, numbers_style
from summarizers.figures.reading.words import MEASURE_UNITS, set_of
from summarizers.types import KeyFigure

FIGURE_KINDS = frozenset({"count", "percent", "money", "measure", "range"})
_HUMAN_COUNTS = set_of(
    "people persons migrants refugees asylum children adults men women deaths dead killed injured"
    " wounded victims soldiers troops civilians workers jobs residents voters patients cases"
    " arrests apprehensions crossings seekers families students officers police homes houses"
    " households hostages prisoners detainees deportations displaced evacuated immigrants"
    " personas migrantes refugiados muertos heridos niños familias detenidos trabajadores"
    " menores adultos mujeres hombres víctimas fallecidos desaparecidos deportados solicitantes"
    " agentes soldados policías civiles pacientes estudiantes empleados operarios habitantes"
    " residentes votantes presos reos rehenes desplazados hondureños guatemaltecos salvadoreños"
    " venezolanos mexicanos cubanos haitianos nicaragüenses colombianos ecuatorianos"
    " detenciones deportaciones cruces arrestos expulsiones casos solicitudes empleos"
)
_TIME_SPANS = set_of(
    "seconds minutes hours days weeks months years decades segundos minutos horas días semanas"
    " meses años décadas"
)
_SENTENCE_LENGTH = re.compile(r"\b(?:prison|jail|custody|prisi[óo]n|c[áa]rcel)\b", re.IGNORECASE)
_SPANISH_ARTICLES = frozenset({"un", "una", "uno"})  # "un acuerdo", "una media": not figures
_UNIT_LINK = re.compile(r"\s+(of|de)\s+(?=\w)", re.IGNORECASE)
_HUMAN_STEMS = frozenset(word.rstrip("s") for word in _HUMAN_COUNTS)
_MEASURE_WORDS = frozenset(MEASURE_UNITS)
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
_PLAIN_WORDS = re.compile(r"[^\W\d_]+")
_UNIT_WORD_AT_END = re.compile(r"[\s-]+([^\W\d_][^\d]*)\Z")
_ELLIPSIS = re.compile(r"\s+(?:were|was|are|had|have|fueron|están|estaban)\b", re.IGNORECASE)
_AND_GAP = re.compile(r"[^.;:!?\d]{0,40}?\s(?:and|y)\s+")
_DURATION_JOIN = re.compile(
    r"[\s-]+(?:years?|months?|weeks?|days?|hours?|minutes?|años?|mes(?:es)?|semanas?|días?"
    r"|horas?|minutos?)\s+(?:and|y)\s+",
    re.IGNORECASE,
)
_SPELLED = re.compile(r"[^\W\d_][^\W\d_\s-]*(?:[\s-]+[^\W\d_]+)*")
# Figures come from the first this many sentences only: reading numbers is most of the cost of a
# long article, and news puts its key figures at the top. This CAN change the figures of longer
# articles (a later figure, or a later restatement that raises an earlier one's score, is not
# seen); it leaves the figures of all 195 CNN/DailyMail and 300 BBC dev articles unchanged.
MAX_FIGURE_SENTENCES = 200
# And from the first this many characters: a page of numbers with no sentence ends (a flattened
# table) would otherwise cost time in proportion to its length, whatever the sentence count.
# Articles are far shorter (the longest CNN/DailyMail dev article has under 15,000).
MAX_FIGURE_CHARS = 40_000


def _within_budget(sentences: Sequence[str]) -> list[str]:
    """The first ``MAX_FIGURE_SENTENCES`` sentences, cut (at a space) to ``MAX_FIGURE_CHARS``."""
    kept: list[str] = []
    left = MAX_FIGURE_CHARS
    for sentence in sentences[:MAX_FIGURE_SENTENCES]:
        if len(sentence) > left:
            cut = sentence.rfind(" ", 0, left)
            if cut > 0:
                kept.append(sentence[:cut])
            break
        kept.append(sentence)
        left -= len(sentence)
    return kept


def _stems(text: str | None) -> set[str]:
    return {word.lower().rstrip("s") for word in _CONTENT_WORD.findall(text or "")}


@lru_cache(maxsize=4096)
def _counts_people(counted: str | None) -> bool:
    """Whether the counted phrase names people: "men" too, which _stems skips (3 letters)."""
    return bool(counted) and any(
        word.lower().rstrip("s") in _HUMAN_STEMS for word in _PLAIN_WORDS.findall(counted or "")
    )


Stems = Callable[[str | None], set[str]]


def _split_unit_word(mention: NumberMention) -> tuple[str, str | None]:
    """ "1,000 miles" -> ("1,000", "miles"): the unit word reads as part of what is counted."""
    match = _UNIT_WORD_AT_END.search(mention.surface)
    if mention.kind == "measure" and match and match.group(1).lower() in _MEASURE_WORDS:
        return mention.surface[: match.start()], match.group(1)
    return mention.surface, None


def _figure(
    sentence: str,
    mention: NumberMention,
    window: tuple[int, int],
    lang: str,
    inherited: str | None = None,
) -> KeyFigure | None:
    """The figure ``mention`` makes, or None; ``inherited`` is what the number before it counts,
    when this one continues it ("rose by 17,000 to 4.483 million")."""
    spanish = lang[:2].lower() == "es"
    surface, unit_word = _split_unit_word(mention)
    if spanish and surface.lower() in _SPANISH_ARTICLES:
        return None
    if not_an_amount(sentence, mention, surface):
        return None
    if spanish:
        qualifier, qualifier_start = figure_context_es.find_qualifier(sentence, mention)
        skips_de = figure_context.skips_of(mention)
        if unit_word:  # "la isla registró 20,75 grados": counts degrees, not the island
            counted = figure_context_es.right_counted(sentence, mention, skips_de)
        else:
            counted = figure_context_es.find_counted(sentence, mention, qualifier_start, skips_de)
    else:
        qualifier, qualifier_start = figure_context.find_qualifier(sentence, mention)
        counted = figure_context.find_counted(sentence, mention, qualifier_start, inherited)
    if unit_word:
        link = _UNIT_LINK.match(sentence, mention.end)  # "1.600 kilómetros de frontera"
        joined = f"{unit_word} {link.group(1)}" if link else unit_word
        counted = f"{joined} {counted}" if counted else unit_word
    counted = counted or victim_age(sentence, mention) or inherited
    human = _counts_people(counted)
    if counted is None and mention.unit is None:
        return None  # a bare number that counts nothing we can name
    if mention.value == 0 or (mention.kind == "count" and abs(mention.value) < 1 and not counted):
        return None
    # "two per cent", "dos puntos porcentuales", "threefold"
    statistic = mention.kind in ("percent", "money") or surface.lower().endswith("fold")
    statistic = statistic or bool(
        counted and _SENTENCE_LENGTH.search(counted)
    )  # "three years in jail"
    opening = sentence[: mention.start].strip(" \"“'‘(")
    opens = (  # not "Three days later": a time span, not a statistic
        counted is not None
        and (not opening or opening[-1] in ")—–-")  # after a dateline: "(CNN)Three French"
        and counted.split()[0].lower() not in _TIME_SPANS
    )
    # "two sides", "one of them", "four yards": style, not statistics; but a sentence that opens
    # with one is about what it counts: "Eight guards were suspended"
    small = _SPELLED.fullmatch(surface) and abs(mention.value) < 10
    # (a lone "One" that opens a sentence counts one thing: no statistic)
    keep = human or statistic or (opens and mention.value != 1)
    if small and not keep and not mentions_harm(sentence):
        return None
    if counted and not spanish and names_a_model(sentence, mention, counted):
        return None
    if counted and mention.kind == "count" and is_clock_time(counted):
        return None  # "on 60 minutes", "in 6.56 seconds": match and race times, not the news
    period = find_period(sentence, mention, window, lang)
    unit = mention.unit
    return KeyFigure(mention.value, surface, sentence, qualifier, counted, period, unit)


def _score(figure: KeyFigure, position: int, repeats: int, stems: Stems = _stems) -> float:
    """Importance, highest first.

    News writing puts the main facts first (inverted pyramid), so the sentence position weighs
    most; then size on a log scale (millions outrank dozens); knowing what is counted (a number
    without its noun is hard to use) and whether it counts people (the human stake); a qualifier
    or a period (the marks of a reported statistic: "more than 190,000 ... in November"); money
    and percentages; and repetition across the article. Measures (distances, weights) describe
    rather than report, so they weigh a little less.
    """
    score = 2.0 / (1.0 + 0.1 * position)
    score += 0.35 * min(math.log10(max(abs(figure.value), 1.0)), 9.0)
    score += 0.5 * (figure.counted is not None)
    score += 0.5 * _counts_people(figure.counted)
    score += 0.3 * (figure.qualifier is not None) + 0.4 * (figure.period is not None)
    score += 0.5 * ((figure.unit is not None and figure.unit.isupper()) or figure.unit == "%")
    score -= 0.3 * (figure.unit is not None and figure.unit in MEASURE_UNITS.values())
    return round(score + 0.3 * repeats, 4)


def _same_figure(first: KeyFigure, second: KeyFigure, stems: Stems = _stems) -> bool:
    """The same value restated (body and photo caption) about the same thing; only figures of
    the same value and unit are compared (extract_figures looks them up by both)."""
    if stems(first.counted) & stems(second.counted):
        return True
    return len(stems(first.sentence) & stems(second.sentence)) >= 3


def _quantities(
    sentences: Sequence[str], lang: str, style: NumberStyle | None
) -> list[list[NumberMention]]:
    """The quantities of each sentence, read in ``style`` or else in the article's own style:
    read first as the language writes numbers, and again only when the article's numbers show
    the other convention ("$150,000" and "3.2 por ciento" in a Spanish-language article)."""
    first = style or language_style(lang)
    found = [
        [m for m in find_numbers(sentence, lang, first) if m.kind in FIGURE_KINDS]
        for sentence in sentences
    ]
    if style is None:
        written = (mention.surface for mentions in found for mention in mentions)
        own = numbers_style(written, lang, lambda: "\n".join(sentences))
        if own != first:
            found = [
                [m for m in find_numbers(sentence, lang, own) if m.kind in FIGURE_KINDS]
                for sentence in sentences
            ]
    return found


def extract_figures(
    sentences: Sequence[str],
    lang: str = "en",
    limit: int | None = None,
    style: NumberStyle | None = None,
) -> list[KeyFigure]:
    """The figures with news value in ``sentences`` (one article), most important first.

    Numbers are read with ``style`` when given, else with the style the article's own numbers
    show (see number_style): a Spanish article writing "3.2 por ciento" reads "$150,000" as
    150000, one writing "5,3 %" reads "1,000" as 1. Only the first ``MAX_FIGURE_SENTENCES``
    sentences, and no more than ``MAX_FIGURE_CHARS`` characters of them, are read.
    """
    visible = [Visible(sentence) for sentence in _within_budget(sentences)]
    sentences = [text.text for text in visible]
    found: list[tuple[int, KeyFigure, int]] = []  # (sentence position, figure, repeats)
    # Only figures of the same value and unit can be the same figure: look those up directly
    # rather than comparing every figure with every other (slow in long articles).
    slots_by_value: dict[tuple[float, str | None], list[int]] = {}
    stems = cache(_stems)  # each sentence is compared with many others
    found_in = _quantities(sentences, lang, style)
    for position, (sentence, quantities) in enumerate(zip(sentences, found_in, strict=True)):
        if not quantities or is_offer(sentence):
            continue
        counted: str | None = None  # what the number before counts, in this sentence
        said: str | None = None  # what the last number of the sentence that says so counts
        for index, mention in enumerate(quantities):
            previous = quantities[index - 1] if index else None
            if previous and is_currency_twin(sentence, previous, mention):
                continue  # "$1.13bn (£600m)": one figure, in the first currency written
            window_start = previous.end if previous else 0
            window_end = quantities[index + 1].start if index + 1 < len(quantities) else None
            window = (window_start, window_end or len(sentence))
            inherited = None
            if previous and continues(sentence, previous, mention):
                inherited = counted
            elif previous and compares(sentence, previous, mention):
                inherited = said  # "from $639m a year earlier", "24% higher than in 2003"
            elif previous and (
                _ELLIPSIS.match(sentence, mention.end)
                or (
                    mention.start - previous.end < 48
                    and _AND_GAP.fullmatch(sentence, previous.end, mention.start)
                )
            ):  # "two pirates were dead and five were captured", "750,000 copies in its
                # first week and 3.5 million in total"
                inherited = said
            if previous and _DURATION_JOIN.fullmatch(sentence, previous.end, mention.start):
                counted = None  # "five hours and 13 minutes": one duration, listed once
                continue
            figure = _figure(sentence, mention, window, lang, inherited)
            counted = figure.counted if figure else None
            said = counted or said
            if figure is None:
                continue
            if sentence is not visible[position].original:  # quote the sentence as written
                written = visible[position]
                surface = written.original_of(mention.start, mention.start + len(figure.surface))
                figure = replace(figure, sentence=written.original, surface=surface)
            slots = slots_by_value.setdefault((figure.value, figure.unit), [])
            for slot in slots:
                first_position, earlier, repeats = found[slot]
                if _same_figure(earlier, figure, stems):
                    fuller = replace(
                        earlier,
                        qualifier=earlier.qualifier or figure.qualifier,
                        counted=earlier.counted or figure.counted,
                        period=earlier.period or figure.period,
                    )
                    found[slot] = (first_position, fuller, repeats + 1)
                    break
            else:
                slots.append(len(found))
                found.append((position, figure, 0))
    scored = [
        replace(figure, score=_score(figure, position, repeats, stems))
        for position, figure, repeats in found
    ]
    scored.sort(key=lambda figure: -figure.score)
    return scored[:limit] if limit is not None else scored
