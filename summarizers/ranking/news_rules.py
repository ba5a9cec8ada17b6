"""Sentence-level news rules for the ranker: quotes, questions, captions, furniture, openers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from summarizers.cleaning import is_ad_or_credit
from summarizers.cleaning.patterns import contains_any
from summarizers.ranking.similarity import language_name

QUOTES = "'\"“”‘’«»"
_OPENING_QUOTE = {"”": "“", "»": "«"}
_DIGIT = re.compile(r"\d")
# "'...,' he said." and "'..., ' said Parlour.": a quotation with its attribution.
# "«...», dijo.", "“...”, señaló el ministro." (Spanish puts the comma after the quote mark).
_ATTRIBUTION = re.compile(
    r"(?:[,.!?]\s?['\"”’»]|['\"”’»]\s?,)\s+(?:\w+\s+){0,3}(?:said|says|added|told|explained"
    r"|continued|insisted|admitted|claimed|wrote|dijo|afirmó|añadió|explicó|aseguró|agregó"
    r"|señaló|indicó|sostuvo|comentó|expresó|declaró|insistió|manifestó|precisó|subrayó|destacó"
    r"|advirtió|recalcó|concluyó|alertó|resaltó|apuntó)\b"
)
# Caption labels ("Novel idea: Priscilla Presley will ...") and picture wording.
_CAPTION_LABEL = re.compile(
    r"(?!(?:He|She|They|It|I|We|You)\b)[A-Z][\w'’-]*(?: [\w'’-]+){0,3}: (?![" + QUOTES + "])"
)
_PICTURE_WORDS = re.compile(
    r"\bpictured\b|\bpose[sd]? for\b|\b(?:is|are) seen\b|\ben la imagen\b"
    # a photo credit inside the sentence: "(Foto: Natacha Pisarenko/Pool)", "(AP Photo/...)"
    r"|\((?:foto|fotos|fotografía|imagen|photo|ap photo)\b|\b(?:foto|fotografía|photo)\s*:",
    re.IGNORECASE,
)
# Words of the page around the story that extraction let through: video and link prompts,
# bylines and time stamps ("By . Jane Doe . PUBLISHED: 09:12 EST, 3 May 2014 | UPDATED: ..."),
# in English and Spanish ("Lee también: ...", "Síguenos en ...", "Publicado por ...").
_FURNITURE_OPENING = re.compile(
    r"(?:scroll down(?: for| to)? (?:the )?(?:video|more|pictures?|photos?)|click here\b"
    r"|read more\b|related(?: articles?| stories)?:|advertisement\b|by \. |follow @|share this\b"
    r"|sign up\b|(?:published|updated|last updated|posted)\s*:|\(?with (?:additional )?reporting"
    r"|le[ae] (?:también|más|aquí)\b|leer más\b|(?:también )?puedes? leer\b|ver (?:también|más)\s*:"
    r"|l[ea]s? puede interesar\b|te puede interesar\b|puede interesarte\b|(?:también )?te"
    r" recomendamos\b|más información\s*:|mira también\b|noticias relacionadas\b"
    r"|relacionad[oa]s?\s*:|síguenos\b|sigue(?:nos)? (?:en|a) (?:nuestr|twitter|facebook"
    r"|instagram|x\b|google|whatsapp|telegram)|suscr[íi]b[ea]te\b|únete a\b|publicidad\W*$"
    r"|compart(?:e|ir) (?:esta|en)\b|escucha (?:esta|la) nota\b|\(?con (?:información|reporte) de\b"
    r"|(?:publicado|escrito|redactado) por\b|por (?:agencia|redacción)\b"
    r"|(?:publicado|actualizado|última actualización|fecha de publicación)\s*:)",
    re.IGNORECASE,
)
# Anywhere in a sentence: link prompts ("Para leer más, haz clic aquí."), newsletter prompts
# and embedded posts ("... pic.twitter.com/9CYg", "— Minuto30 (@minuto30com) May 5, 2022").
_FURNITURE_ANYWHERE = re.compile(
    r"\b(?:click here|(?:haz |da )?(?:clic|click) (?:aquí|aqui|acá))\b|pic\.twitter\.com/"
    r"|\(@\w+\) \w+ \d{1,2}, \d{4}"
    r"|\b(?:suscr[íi]b\w*|subscribe|sign up)\b[^.]*\b(?:newsletters?|boletín|boletines)\b",
    re.IGNORECASE,
)
_TIME_STAMP = re.compile(r"\b(?:published|updated)\s*:\s*\d|\|\s*updated\s*:", re.IGNORECASE)
# How a sentence ends; a line that ends otherwise is a heading, a list item or a caption.
_TERMINATED = re.compile(r"[.!?…:;][\s" + QUOTES + r")\]]*$|[" + QUOTES + r"]$")
# Plain substring tests first: a regular expression search of every sentence costs more.
_PICTURE_HINTS = ("pictur", "pose", "seen", "imagen", "foto", "photo")
_FURNITURE_HINTS = ("clic", "click", "pic.twitter", "(@", "newsletter", "bolet")
_TIME_STAMP_HINTS = ("ed:", "ED:", "ed :", "ED :")

# Openers that point back to the sentence before: pronouns and connectives.
_DANGLING_OPENERS = {
    "english": re.compile(
        # "This week", "This morning" name the present, not something said before.
        r"(?!(?:this|these)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week"
        r"|weekend|month|year|morning|afternoon|evening|summer|winter|spring|autumn|season|days)\b)"
        r"(?:he|she|it|they|them|his|her|its|their|theirs|this|these|those|that|such|but|however"
        r"|also|and|or|yet|still|so|meanwhile|instead|then|thus|therefore|moreover|furthermore"
        r"|besides|nevertheless|nonetheless|otherwise|likewise|similarly|consequently"
        r"|additionally|in addition|as a result|for example|for instance|on the other hand"
        r"|at the same time|by contrast|in contrast|even so|the latter|the former)\b",
        re.IGNORECASE,
    ),
    "spanish": re.compile(
        r"(?:(?:(?:de|a|con|para|por|en|sobre|según|ante|tras|contra|hacia|sin|desde|entre)\s+)?"
        # "Este martes", "Esta semana" name the present, not something said before.
        r"(?!(?:este|esta|estos|estas)\s+(?:lunes|martes|miércoles|jueves|viernes|sábado|domingo"
        r"|año|mes|semana|fin de semana|día|mañana|tarde|noche|jornada|verano|invierno)\b)"
        r"(?:él|ella|ellos|ellas|ello|esto|eso|aquello|este|esta|estos|estas|ese|esa|esos|esas"
        r"|éste|ésta|éstos|éstas|ése|ésa|aquel|aquella|aquellos|aquellas|dicho|dicha|dichos|dichas"
        r"|tales|ambos|ambas)"
        r"|su|sus|le|les|pero|sin embargo|no obstante|además|también|tampoco|asimismo|igualmente"
        r"|incluso|y|pues|aunque|así|aun así|por eso|por tanto|por lo tanto|por consiguiente"
        r"|en consecuencia|de hecho|en cambio|por el contrario|por su parte|por otra parte"
        r"|por otro lado|a su vez|en tanto|mientras tanto|entretanto|entonces|es decir|o sea"
        r"|al respecto|al mismo tiempo|del mismo modo|de igual (?:forma|manera|modo)"
        r"|de la misma (?:forma|manera)|lo anterior|cabe"
        # Spanish drops the subject: "Afirmó además que ..." is "He said ...".
        r"|(?:dijo|afirmó|aseguró|agregó|añadió|señaló|indicó|explicó|precisó|sostuvo|destacó"
        r"|subrayó|recordó|advirtió|manifestó|declaró|expresó|detalló|insistió|reiteró|apuntó"
        r"|comentó|consideró|admitió|reconoció|aclaró|mencionó|argumentó|opinó|remarcó|acotó"
        r"|lamentó|enfatizó|resaltó|puntualizó|concluyó|aseveró|relató|contó|dice|afirma|asegura"
        r"|agrega|añade|señala|indica|explica|sostiene|destaca|recuerda|advierte|considera"
        r"|reconoce|apunta|comenta|insiste|subraya))\b"
        r"|(?:luego|después|más tarde|posteriormente|finalmente),",
        re.IGNORECASE,
    ),
}


# Definite back-references: "The move comes after ...", "The win at the ballot box marks ...",
# "La medida entrará en vigor ...": the noun names something the sentence before told.
_BACK_REFERENCES = {
    "english": re.compile(
        r"the\s+(?:latter|former|same|move|decision|announcement|incident|attack|comments"
        r"|remarks|statement|claims?|allegations?|revelations?|findings|news|pair|duo|trio"
        r"|couple|two|three|four|win|victory|defeat|ruling|verdict|vote|results?|outcome|deal"
        r"|development|episode|row|dispute|latest)\b",
        re.IGNORECASE,
    ),
    "spanish": re.compile(
        r"(?:el|la|los|las)\s+(?:medida|decisión|anuncio|hechos?|suceso|incidente|pareja"
        r"|mism[oa]s?|anterior(?:es)?|citad[oa]s?|mencionad[oa]s?|referid[oa]s?|dos|tres"
        r"|victoria|derrota|fallo|acuerdo|polémica|declaraciones)\b",
        re.IGNORECASE,
    ),
}


def opens_dangling(sentence: str, lang: str = "en") -> bool:
    """Whether ``sentence`` opens with a pronoun, demonstrative, connective or definite
    back-reference ("The move ...") that needs the sentence before."""
    opener = sentence.lstrip(QUOTES + "¿¡( ")
    language = language_name(lang)
    return bool(
        _DANGLING_OPENERS[language].match(opener) or _BACK_REFERENCES[language].match(opener)
    )


def needs_antecedent(sentence: str, lang: str = "en") -> bool:
    """Opens dangling, or closes a quotation opened in an earlier sentence."""
    return opens_dangling(sentence, lang) or continues_quotation(sentence)


def unresolved_references(sentences: Sequence[str], picked: Sequence[int], lang: str) -> int:
    """How many picked sentences need the sentence before them and come without it."""
    chosen = set(picked)
    return sum(
        1
        for index in chosen
        if index > 0 and index - 1 not in chosen and needs_antecedent(sentences[index], lang)
    )


def _ends_in_quotation(sentence: str) -> bool:
    """Ends with a quotation that is most of the sentence, not a quoted phrase ('... the "end
    of humanity".', '... «el fin de la humanidad».')."""
    text = sentence.rstrip(". ")
    closing = text[-1:]
    if not closing or closing not in QUOTES:
        return False
    if closing in "'’":  # also apostrophes ("didn't", "Jones’"): no telling where it opened
        return True
    opening = text.rfind(_OPENING_QUOTE.get(closing, closing), 0, len(text) - 1)
    return opening < len(text) / 2


_CURLY_QUOTE = re.compile("[“«”»]")


def continues_quotation(sentence: str) -> bool:
    """Whether a quotation that opened in an earlier sentence closes in this one: '... todos los
    chilenos", señaló Boric.' needs the sentences before it."""
    # The first curly quote or guillemet decides: an opening one, no; a closing one, yes.
    match = _CURLY_QUOTE.search(sentence)
    if match:
        return match.group() in "”»"
    # An odd number of straight quotes whose first one closes (follows a word or punctuation).
    first = sentence.find('"')
    return sentence.count('"') % 2 == 1 and first > 0 and not sentence[first - 1].isspace()


def is_quote(sentence: str) -> bool:
    """Quoted words: opens with a quotation mark, ends with a long quotation, or is a quote
    with attribution."""
    return bool(
        sentence[:1] in QUOTES or _ends_in_quotation(sentence) or _ATTRIBUTION.search(sentence)
    )


def is_terminated(sentence: str) -> bool:
    """Ends like a sentence; headings, list items and captions end without punctuation."""
    return bool(_TERMINATED.search(sentence.rstrip()))


def is_question(sentence: str) -> bool:
    return sentence.rstrip(QUOTES + " )").endswith("?")


def is_caption(sentence: str) -> bool:
    """A photo caption run into the article text."""
    if _CAPTION_LABEL.match(sentence):
        return True
    lowered = sentence.lower()
    return contains_any(lowered, _PICTURE_HINTS) and bool(_PICTURE_WORDS.search(sentence))


def is_furniture(sentence: str) -> bool:
    """Page furniture, not story: "Scroll down for video", "Lee también: ...", time stamps, and
    an ad, offer or credit that cleaning left inside a paragraph of real sentences."""
    if _FURNITURE_OPENING.match(sentence) or is_ad_or_credit(sentence):
        return True
    lowered = sentence.lower()
    if contains_any(lowered, _FURNITURE_HINTS) and _FURNITURE_ANYWHERE.search(sentence):
        return True
    return contains_any(sentence, _TIME_STAMP_HINTS) and bool(_TIME_STAMP.search(sentence))


@dataclass(frozen=True, slots=True)
class SentenceFlags:
    """What the news rules say about each sentence of a text (boolean arrays, one per sentence)."""

    well_formed: np.ndarray  # neither a fragment, a run-on, a heading nor page furniture
    sentence_like: np.ndarray  # ends like a sentence: not a heading, list item or caption
    furniture: np.ndarray  # page furniture: picked only when nothing else is left (see window)
    dangling: np.ndarray  # opens with a pronoun or connective that needs the sentence before
    quote: np.ndarray
    question: np.ndarray
    caption: np.ndarray
    figures: np.ndarray  # has a digit: news summaries keep the facts with numbers
    words: np.ndarray  # word count


def _flags(sentences: Sequence[str], test: Callable[[str], object]) -> np.ndarray:
    return np.fromiter((test(sentence) for sentence in sentences), dtype=bool, count=len(sentences))


def sentence_flags(
    sentences: Sequence[str],
    lang: str,
    min_words: int,
    max_words: int,
    window: int | None = None,
) -> SentenceFlags:
    """The rules applied to every sentence; well formed means ``min_words`` to ``max_words``.

    With ``window``, only the sentences up to the ``window``-th well-formed one are read (the
    flags cover that head), and ``furniture`` is tested only where it decides ``well_formed``
    (elsewhere it reads False): the furniture tests are the costly ones, and only the
    fallback of the ranker needs them on every sentence (it calls without a window).
    """
    word_counts: list[int] = []
    terminated: list[bool] = []
    furniture_found: list[bool] = []
    well_formed_found: list[bool] = []
    found = 0
    for sentence in sentences:
        words = len(sentence.split())
        ends = is_terminated(sentence)
        fits = ends and min_words <= words <= max_words
        furniture = is_furniture(sentence) if window is None or fits else False
        word_counts.append(words)
        terminated.append(ends)
        furniture_found.append(furniture)
        well_formed_found.append(fits and not furniture)
        found += fits and not furniture
        if window is not None and found == window:
            break
    head = sentences[: len(word_counts)]
    dangling = _flags(head, lambda sentence: needs_antecedent(sentence, lang))
    dangling[:1] = False  # nothing comes before the first sentence: it points forward
    return SentenceFlags(
        well_formed=np.array(well_formed_found, dtype=bool),
        sentence_like=np.array(terminated, dtype=bool),
        furniture=np.array(furniture_found, dtype=bool),
        dangling=dangling,
        quote=_flags(head, is_quote),
        question=_flags(head, is_question),
        caption=_flags(head, is_caption),
        figures=_flags(head, _DIGIT.search),
        words=np.array(word_counts, dtype=np.int64),
    )
