"""Spanish rules for a number's context: its qualifier and what it counts, in Spanish word order.

Qualifiers stay as written ("más de", "unos", "por lo menos"), except verbs that say the figure
was passed ("superaron las 250.000" -> "más de"). The counted phrase is the noun after the
number with its adjectives ("7.000 migrantes hondureños"), a "de" compound ("solicitudes de
asilo", "kilómetros de frontera"), or, when nothing follows, the noun before a verb or a "de"
("la deuda externa aumentó en ...", "una suba de 60%"). As in English, no tagger: word lists and
endings, which is why the verb test below knows Spanish conjugation endings.
"""

from __future__ import annotations

import re

from summarizers.figures.meaning.periods import MONTHS_ES, is_period_word
from summarizers.figures.reading.numbers import NumberMention
from summarizers.figures.reading.words import set_of

_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d,.]*|[^\w\s]")
STOP_WORDS = set_of(
    "el la los las lo un una unos unas de del y o e u ni a en por para con sin que se su sus al"
    " encima debajo arriba abajo delante detrás además cerca lejos través pesar partir después"
    " antes atrás luego aún todavía así bien mal solamente únicamente incluso inclusive"
    " es son fue fueron era eran ser sido está están estaba estaban ha han había habían hay hubo"
    " más menos cada hasta desde según como este esta estos estas ese esa esos esas aquel le les"
    " ya muy también solo sólo entre sobre tras durante contra hacia mientras cuando donde quien"
    " quienes cual cuales cuyo no sí pero aunque porque si tanto cerca alrededor casi apenas"
    " aproximadamente año mes semana día pasado pasada hoy ayer ante bajo mediante otro otra"
    " otros otras mismo misma mismos mismas todo toda todos todas cual cuales dicho dicha respecto"
)
_VERB_WORDS = set_of(
    "es son fue fueron era eran será serán sería serían está están estaba estaban tiene tienen"
    " tenía tenían tuvo tuvieron hay hubo puede pueden podría podrían debe deben dijo dijeron"
    " provino provinieron vino vinieron cayó cayeron cae caen redujo redujeron reduce reducen"
    " disminuyó disminuyeron disminuye disminuyen dejó dejaron hizo hicieron"
)
_NOUNS_IN_EN = set_of(
    "origen imagen volumen orden crimen joven examen régimen resumen margen certamen abdomen"
    " germen polen plan pan desdén andén almacén dictamen gravamen espécimen"
)
_VERB_ENDINGS = ("ó", "aron", "ieron", "yeron", "aban", "ían", "arán", "erán", "irán", "aría")
_ADJECTIVE_ENDINGS = (
    "al", "ar", "ivo", "iva", "ico", "ica", "ano", "ana", "ense", "ado", "ada", "ido", "ida",
    "ente", "ante", "ior", "ino", "ina", "ero", "era", "oso", "osa", "ista",
)  # fmt: skip
_COLLECTIVES = set_of(
    "caravana grupo multitud convoy flota equipo ejército familia lote ola barco tren campamento"
    " albergue columna contingente oleada"
)
_QUALIFIERS = (
    r"(?:un\s+)?poco\s+más\s+de|(?:un\s+)?poco\s+menos\s+de|más\s+de|menos\s+de"
    r"|por\s+lo\s+menos|al\s+menos|mayores\s+de|menores\s+de|alrededor\s+del?|cerca\s+del?"
    r"|aproximadamente|unos|unas|casi|hasta|en\s+torno\s+al?"
    r"|del\s+orden\s+de|(?P<verb>(?:super|rebas|sobrepas)(?:ó|aron|a|an|ado|aba|aban)"
    r"|exced(?:ió|ieron|e|en|ido))"
)
_QUALIFIER_BEFORE = re.compile(
    rf"\b(?P<qualifier>{_QUALIFIERS})(?:\s+(?:los|las|el|la|al))?\s+\Z", re.IGNORECASE
)
_ARTICLE_BEFORE = re.compile(r"\b(?:un|una|el|la|los|las|del|al)\s+\Z", re.IGNORECASE)
_QUALIFIER_AFTER = re.compile(r"\s*(?:(o\s+más)|(y\s+(?:pico|tantos)))\b", re.IGNORECASE)
_AR = r"(?:ó|aron|a|an|aba|aban|ado|ará|arán|ar)"
_ER = r"(?:ió|ieron|e|en|ía|ían|ido|erá|erán|er|ir)"
_VERB = (
    rf"(?:(?:super|rebas|sobrepas|alcanz|lleg|sum|totaliz|situ|ubic|cerr|registr|baj|aument"
    rf"|dispar|duplic|triplic|marc|rond|pas|increment|qued|represent|contabiliz|elev|cifr"
    rf"|estim|calcul){_AR}|(?:ascend|crec|retroced|descend|sub|equival){_ER}"
    rf"|cierra|cierran|asciende|ascienden|desciende|descienden|{'|'.join(_VERB_WORDS)})"
)
_VERB_AT_END = re.compile(
    rf"\s+(?:(?:ha|han|había|habían)\s+)?(?:se\s+)?{_VERB}"
    r"(?:\s+(?:a|en|de|hasta|al|del|por))?(?:\s+(?:un|una|los|las|el|la))?\s*\Z",
    re.IGNORECASE,
)
_PREPOSITIONS = set_of("a al de del en por para con entre desde hasta hacia sobre tras")
_PARTICIPLE_AT_END = re.compile(r"\w(?:ad|id)[oa]s?\Z")
_PREPOSITION_AT_END = re.compile(r"\s+(?:de|en)\s+\Z", re.IGNORECASE)
_PERIOD_AT_END = re.compile(
    rf"(?:\s+(?:en|de|del|durante|desde)\s+(?:(?:el|la)\s+)?(?:(?:19|20)\d\d|{MONTHS_ES}"
    r"|(?:año|mes|semana)\s+pasad[oa])(?:\s+de(?:l)?\s+(?:19|20)\d\d)?|\s+(?:ya|también|no))+\s*\Z",
    re.IGNORECASE,
)
_COLLECTIVE_DE = re.compile(
    rf"\b(?:(?P<article>una|la|un|el)\s+)?(?P<group>{'|'.join(_COLLECTIVES)})"
    r"(?:\s+[^\W\d_]+)?\s+de\s+\Z",
    re.IGNORECASE,
)


def find_qualifier(sentence: str, mention: NumberMention) -> tuple[str | None, int]:
    """The qualifier as written and where it starts: "más de" for "superaron las 250.000"."""
    start = max(0, mention.start - 30)
    if match := _QUALIFIER_BEFORE.search(sentence, start, mention.start):
        if match.group("verb"):
            return "más de", match.start()
        return " ".join(match.group("qualifier").lower().split()), match.start()
    if after := _QUALIFIER_AFTER.match(sentence, mention.end):
        return ("al menos" if after.group(1) else "más de"), mention.start
    if article := _ARTICLE_BEFORE.search(sentence, start, mention.start):
        return None, article.start()  # "subió un 15 %": the verb comes before "un"
    return None, mention.start


def is_verb(word: str) -> bool:
    lower = word.lower()
    if lower in _VERB_WORDS:
        return True
    if lower.endswith(_VERB_ENDINGS):
        return True
    return len(lower) > 4 and lower.endswith(("an", "en")) and lower not in _NOUNS_IN_EN


def _content(word: str) -> bool:
    """A word that can be part of a counted noun phrase."""
    lower = word.lower()
    return (
        word[0].isalpha()
        and len(word) > 1
        and lower not in STOP_WORDS
        and not is_verb(word)
        and not is_period_word(word)
    )


def _modifies(word: str, plural: bool) -> bool:
    """An adjective after the head noun, agreeing with it: "migrantes hondureños"."""
    if not word[0].islower() or not _content(word):
        return False
    if plural:
        return word.endswith("s")
    return not word.endswith("s") and word.lower().endswith(_ADJECTIVE_ENDINGS)


def _reduced_clause(word: str, following: str) -> bool:
    """ "operarios distribuidos en industrias": a participle that starts a clause of its own."""
    return word.endswith(("ados", "idos", "adas", "idas")) and following in _PREPOSITIONS


def right_counted(sentence: str, mention: NumberMention, skips_de: bool) -> str | None:
    """The counted noun phrase after the number: "7.000 migrantes hondureños"."""
    after = _QUALIFIER_AFTER.match(sentence, mention.end)
    words = _WORD.findall(sentence, after.end() if after else mention.end, mention.end + 120)
    index = 0
    if words and words[0].lower() == "de" and skips_de:  # "2 millones de personas"
        index = 1 + (len(words) > 1 and words[1].lower() in ("los", "las", "la", "el"))
    if index >= len(words) or not words[index][0].islower() or not _content(words[index]):
        return None
    plural = words[index].endswith("s")
    end = index + 1
    while end < len(words) and end - index < 3:
        following = words[end + 1] if end + 1 < len(words) else ""
        if words[end] == "no" and plural and following.endswith(("dos", "das")):
            end += 2  # "niños no acompañados"
        elif _modifies(words[end], plural) and not _reduced_clause(words[end], following):
            end += 1
        else:
            break
    following = words[end + 1] if end + 1 < len(words) else ""
    if words[end : end + 1] == ["de"] and following[:1].islower() and _content(following):
        end += 2  # "solicitudes de asilo"; not "de la frontera", "de Honduras"
    return " ".join(words[index:end])


def _noun_before(text: str) -> str | None:
    """The noun phrase that ends ``text``: "La deuda externa total" -> "deuda externa total"."""
    text = _PERIOD_AT_END.sub("", text[-100:])
    words = _WORD.findall(text)
    phrase: list[str] = []
    while words and len([w for w in phrase if w != "de"]) < 3:
        word = words.pop()
        if word.lower() == "de" and phrase and words and _content(words[-1]):
            phrase.append(word)  # "salarios de arranque"
        elif not phrase and is_period_word(word):
            continue  # "una suba salarial anual de 60%": "anual" is the period
        elif _content(word):
            phrase.append(word)
        else:
            break
    while phrase and phrase[-1] == "de":
        phrase.pop()
    return " ".join(reversed(phrase)) or None


def find_counted(
    sentence: str, mention: NumberMention, qualifier_start: int, skips_de: bool
) -> str | None:
    """What the number counts: the noun after it, else the subject or noun before it."""
    right = right_counted(sentence, mention, skips_de)
    up_to_qualifier = sentence[:qualifier_start]
    tail = max(0, len(up_to_qualifier) - 80)  # the patterns end the text: search its end only
    if right and (group := _COLLECTIVE_DE.search(up_to_qualifier, tail)):
        article = (group.group("article") or "").lower()
        feminine = article in ("una", "la") or (not article and group.group("group")[-1] == "a")
        return f"{right} en {'la' if feminine else 'el'} {group.group('group').lower()}"
    if right:
        return right
    qualifier = _QUALIFIER_BEFORE.search(sentence, max(0, mention.start - 30), mention.start)
    if qualifier and qualifier.group("verb"):  # "las detenciones superaron las 250.000"
        return _noun_before(up_to_qualifier)
    if verb := _VERB_AT_END.search(up_to_qualifier, tail):
        return _noun_before(up_to_qualifier[: verb.start()])
    if preposition := _PREPOSITION_AT_END.search(up_to_qualifier, tail):
        before = up_to_qualifier[: preposition.start()]  # "una suba de 60%"
        if preposition.group().strip() == "en" and _PARTICIPLE_AT_END.search(before, tail):
            return None  # "está valorado en $17,000 millones": the subject is further back
        return _noun_before(before)
    return None
