"""How the numbers of one sentence relate: the same amount in two currencies, a change and the
level it reached, a victim's age; and sentences whose numbers are offers, not news."""

from __future__ import annotations

import re

from summarizers.figures.reading.numbers import NumberMention

# "$1.13bn (£600m)", "£5.7bn ($10.7bn; 8.2bn euros)", "€10m ($11m)": one amount, two currencies.
_TWIN_GAP = re.compile(r"\s*(?:\(|;|/|,)\s*(?:or\s+|about\s+|around\s+|some\s+|unos\s+)?")
# "rose by 17,000 to 4.483 million", "jumped 76% to $1.13bn from $10.9bn", "£106m or 47.3%",
# "aumentó en 884,3 millones (6,6 %)": the second number says something about the same thing.
_CHAIN_GAP = re.compile(r"\s*(?:\(|,\s*)?\s*(?:to|from|or|a|de|hasta|o)?\s*", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\b(?:from|de|desde)\s+(?:[^\W\d_]+\s+)?\Z", re.IGNORECASE)
_TO_GAP = re.compile(r"[^\d.;:!?]{0,30}?\s(?:to|a|hasta)\s+", re.IGNORECASE)
# "Buhari has 11.5 million votes, Jonathan 9.5 million": the same count for another name
_PARALLEL_GAP = re.compile(r"(?:\s+[a-z][\w'’-]*){0,3},\s+(?:[A-Z][\w'’-]+\s+){1,3}")
_COMPARED_BEFORE = re.compile(
    r"\b(?:from|compared\s+(?:with|to)|against|versus|vs\.?|frente\s+a|comparad[oa]s?\s+con)"
    r"\s+(?:(?:the|a|an|los|las|el|la)\s+)?\Z",
    re.IGNORECASE,
)
_COMPARATIVE_AFTER = re.compile(
    r"\s+(?:higher|lower|more|less|up|down|above|below|bigger|smaller|larger|m[aá]s|menos)\b",
    re.IGNORECASE,
)
# Advertising and offer boilerplate: a sentence with one of these is not the news.
_OFFER = re.compile(
    r"\b(?:subscribe|sign\s+up|free\s+trial|promo(?:tional)?\s+code|coupon|discount\s+code"
    r"|shop\s+now|buy\s+now|order\s+now|limited[-\s]time|offer\s+ends|terms\s+(?:and\s+"
    r"conditions\s+)?apply|T&Cs?|cashback|suscr[ií]b[ea]te|oferta\s+v[aá]lida|c[oó]digo\s+"
    r"promocional|cup[oó]n)\b|\d\s?%\s+off\b|\boff\s+your\s+first\b"
    # photo captions and credits left in the text
    r"|\((?:file\s+)?(?:photo|picture|pictured|image)\)|\b(?:Getty\s+Images|AP\s+Photo)\b"
    r"|^(?:Photo|Image|Picture|Foto|Imagen)(?:\s+credit)?\s*:",
    re.IGNORECASE,
)
# A substring of every match of _OFFER, in lower case.
_OFFER_CUES = (
    "subscribe", "sign up", "free trial", "promo", "coupon", "discount code", "shop now",
    "buy now", "order now", "limited", "offer ends", "terms", "t&c", "cashback", "suscr",
    "oferta", "digo promocional", "cupón", "cupon", "% off", "off your", "photo", "picture",
    "image", "getty", "foto", "imagen",
)  # fmt: skip
_AGE_AFTER = re.compile(
    r"[-\s]years?[-\s]old\b(?:\s+([^\W\d_]+))?|(?=,)|\s+años\s+de\s+edad\b", re.IGNORECASE
)
# A substring of every match of _HARM, in lower case.
_HARM_CUES = (
    "die", "dead", "death", "kill", "injur", "wound", "hurt", "crash", "victim", "shot", "stab",
    "drown", "murder", "fatal", "missing", "muri", "falleci", "herid", "víctim", "asesin",
    "accidente",
)  # fmt: skip
_SUSPECT = re.compile(
    r"\b(?:arrest\w*|accused|suspect\w*|charged|indicted|detained|convicted|sentenced"
    r"|detenid[oa]s?|acusad[oa]s?|sospechos[oa]s?)\b",
    re.IGNORECASE,
)
_AGE_BEFORE = re.compile(r"\b(?:aged|age)\s+\Z|,\s*\Z", re.IGNORECASE)
_HARM = re.compile(
    r"\b(?:died|dies|dead|death|killed|kills|killing|injured|wounded|hurt|crash\w*|victims?|shot|stabbed"
    r"|stabbing|drowned|murdered|fatal\w*|missing|muri[óo]|murieron|falleci\w*|herid[oa]s?|v[ií]ctimas?"
    r"|asesinad[oa]s?|accidente)\b",
    re.IGNORECASE,
)


def _contains_any(text: str, cues: tuple[str, ...]) -> bool:
    """A plain loop: on every sentence it costs less than ``any()`` over a generator."""
    for cue in cues:  # noqa: SIM110 (a loop on purpose, see above)
        if cue in text:
            return True
    return False


def mentions_harm(sentence: str) -> bool:
    """Whether the sentence tells of death or injury: then its small counts are news."""
    lower = sentence.lower()
    if not _contains_any(lower, _HARM_CUES):
        return False  # most sentences: a substring test is far cheaper than the regex
    return _HARM.search(sentence) is not None


def is_currency_twin(sentence: str, previous: NumberMention, mention: NumberMention) -> bool:
    """Whether ``mention`` restates ``previous`` in another currency or unit, right after it:
    "$1.13bn (£600m)", "27 kilograms (59 pounds)"."""
    if previous.kind != mention.kind or mention.kind not in ("money", "measure"):
        return False
    if previous.unit == mention.unit:
        return False
    return _TWIN_GAP.fullmatch(sentence, previous.end, mention.start) is not None


def continues(sentence: str, previous: NumberMention, mention: NumberMention) -> bool:
    """Whether ``mention`` follows ``previous`` as the level after a change, the old level or
    the same change as a percentage, and so counts the same thing."""
    if _CHAIN_GAP.fullmatch(sentence, previous.end, mention.start):
        return True
    if _FROM_BEFORE.search(sentence, max(0, previous.start - 20), previous.start) and (
        _TO_GAP.fullmatch(sentence, previous.end, mention.start)
    ):  # "from around $0.23/W today to $0.10", "from 15 last year to 25"
        return True
    return _PARALLEL_GAP.fullmatch(sentence, previous.end, mention.start) is not None


def compares(sentence: str, previous: NumberMention, mention: NumberMention) -> bool:
    """Whether ``mention`` compares with an earlier figure of the sentence, and so counts what it
    counts: "..., from $639m a year earlier", "compared with £125m", "24% higher than"."""
    if _COMPARED_BEFORE.search(sentence, max(previous.end, mention.start - 30), mention.start):
        return True
    return mention.kind == "percent" and _COMPARATIVE_AFTER.match(sentence, mention.end) is not None


def is_offer(sentence: str) -> bool:
    """ "Get 50% off your first order", "Subscribe for £1 a week": advertising, not news; and
    photo captions ("... (file photo)", "Photo: ...")."""
    lower = sentence.lower()
    if not _contains_any(lower, _OFFER_CUES):
        return False  # most sentences: a substring test is far cheaper than the regex
    return _OFFER.search(sentence) is not None


def victim_age(sentence: str, mention: NumberMention) -> str | None:
    """What an age counts when the age is the news: a victim's ("the 34-year-old driver died").
    None for every other age, and for numbers that are not ages."""
    if mention.kind != "count" or not 0 < mention.value < 120 or mention.value % 1:
        return None
    after = _AGE_AFTER.match(sentence, mention.end)
    if after is None or not mentions_harm(sentence):
        return None
    near = sentence[max(0, mention.start - 40) : mention.end + 40]
    if _SUSPECT.search(near):
        return None  # "arrested a 40-year-old man accused of stabbing": not a victim
    written = after.group().strip(" -").lower()
    if written.startswith("year"):
        noun = after.group(1)
        return f"year-old {noun}" if noun and noun.islower() else "years old"
    if written.startswith("años"):
        return "años"
    if _AGE_BEFORE.search(sentence, max(0, mention.start - 8), mention.start):
        return "years old"  # "A man, 34, was killed"
    return None
