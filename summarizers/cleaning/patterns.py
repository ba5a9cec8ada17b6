"""The regular expressions and word lists that recognise page furniture lines."""

from __future__ import annotations

import re

HEADLINE_MAX_WORDS = 25
HEADLINE_MAX_CHARS = 200
FURNITURE_MAX_WORDS = 12  # share bars, dates and headings are short; body sentences rarely are
HEADER_ZONE = 12  # bylines and datelines sit within the first paragraphs

CLOSERS = "\"'”’»)]*"
SENTENCE_END = ".!?…:;。！？"


def rule(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives), re.IGNORECASE)


def case_sensitive(*alternatives: str) -> re.Pattern[str]:
    """For text already in lower case (``fold_case``): cheaper than IGNORECASE, same answers."""
    return re.compile("|".join(alternatives))


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# "Image caption, ...", "Image source, Getty Images", "Media caption,", "(Credit: Grist)"
CAPTION = rule(
    r"^\(?(?:image|photo|picture|video|media|graphic)\s+(?:caption|source|credit|copyright)s?",
    r"^\(?(?:photo|photograph|picture|image|illustration|pictured|credit)s?\s*:",
    r"^\(?(?:foto(?:grafía)?|imagen|ilustración|crédito|cortesía|video)s?\s*:",
)
# A short line naming the photo agency: "Getty Images", "AFP via Getty Images", "EPA-EFE"
PHOTO_CREDIT = rule(
    r"^(?:©\s*)?(?:getty(?: images)?|reuters|afp|epa(?:-efe)?|ap(?: photo)?|pa(?: media| wire)?"
    r"|shutterstock|alamy|bloomberg|anadolu|efe)(?:\s*(?:/|via|-|,)\s*[\w .&-]+)?$"
)
BYLINE = rule(r"^(?:by|written by|words by|por|escrito por)\s*:?\s+(?P<names>\S.*)$")
COMMENT_FORM = rule(
    r"^(?:your email address will not be published|required fields are marked"
    r"|you must be (?:logged|signed) in to post a comment|comments are closed|cancel reply"
    r"|post comment$)"
)
COMMENT_HEADING = rule(
    r"^(?:leave a (?:reply|comment)|post a comment|add a comment|comments?|view comments"
    r"|show comments|join the (?:conversation|discussion)|\d+\s+(?:comments?|responses?|replies"
    r"|thoughts on\b.*|comentarios?)|comentarios?|ver comentarios|deja (?:un|tu) comentario"
    r"|escribe un comentario)(?:\s+cancel reply)?\W*$"
)
# Headings of the link lists that close an article page: everything after them is links.
TAIL_HEADING = rule(
    r"^(?:related topics|more on this story|related (?:stories|articles|content|coverage|posts)"
    r"|top stories|most read|most popular|popular on\b.*|you may also like|recommended"
    r"(?: for you)?|more (?:stories|news) from\b.*|read next|tags|topics"
    r"|contenido relacionado|notas relacionadas|temas(?: relacionados)?|más sobre\b.*)\W*$"
)
# Furniture of any length up to NOTICE_MAX_WORDS. The rules anchored at the start of the line
# are matched there only: searching them through every position of long lines was the main cost.
# A call to action naming where to go: "Follow us on Instagram", "Descarga la app", "Listen to
# the podcast". A news sentence does not open with an imperative aimed at the reader. Spanish
# headlines open with a verb in the present ("Recibe el Senado ...", "Visita ..."), so only
# forms that are imperatives alone are listed, and "canal" (a canal, a TV channel) is no platform.
# One alternative of NOTICE_AT_START: a line that opens with no such verb fails at its first word.
CALL_TO_ACTION = (
    r"^[¡\"'“‘]?(?:follow|join|download|get|subscribe|sign|listen|watch|click|tap|visit|install"
    r"|turn|enable|s[íi]guenos|únete|unite|descarg[aá]|suscr[íi]bete|suscribite|escucha|haz"
    r"|activa|instala)\b.*\b(?:facebook|twitter|instagram|whatsapp|telegram|youtube|tiktok"
    r"|linkedin|google news|apple news|newsletters?|boletín|boletines|apps?|aplicación|podcasts?"
    r"|channel|inbox|bandeja de entrada|notifications|notificaciones|push alerts|alertas|rss)\b"
)
# Matched against the line in lower case (figures.words.fold_case, as IGNORECASE compares
# letters), so compiled without IGNORECASE: the same answers, and case-sensitive matching of
# ~40 alternatives at the start of every line costs much less. Every literal is in lower case.
NOTICE_AT_START = case_sensitive(
    CALL_TO_ACTION,
    # links to other stories: "Read more: ...", "Lea también: ..."
    r"^(?:read more|read also|also read|related|see also|read next|more|watch|listen"
    r"|filed under|lea (?:también|más)|lee (?:también|más)|lea|lee|l[ea] puede interesar"
    r"|te puede interesar|ver (?:también|más)|mira|stream|video|photos|gallery|galería|escucha"
    r"|(?:también )?(?:puede|puedes) leer|notas? relacionadas?|noticias? relacionadas?"
    r"|(?:también )?te (?:puede|podría) interesar|te recomendamos|seguir leyendo|sigue leyendo"
    r"|keep reading|continue reading|related news|more news|más noticias)\s*[:|]",
    r"^click (?:through|below|here)\b|^(?:haz|da) clic\b",
    r"^see (?:more |all )?(?:the )?(?:photos|pictures|images|gallery)\b",
    # where the text came from: "This article was originally published by ...", "Read the
    # original article."
    r"^this (?:article|story|post|piece) (?:was|has been|is) (?:originally |first )?(?:published"
    r"|adapted|republished|reprinted|produced)\b|^read the original (?:article|story)\b"
    r"|^(?:este|el) (?:artículo|texto|contenido) (?:fue|ha sido) (?:publicado|adaptado)",
    # reader contact and comment notices
    r"^(?:you can )?(?:write to|email) us\b|^(?:puede|puedes) (?:escribirnos|seguirnos)\b"
    r"|^escr[íi]benos\b|^note: .*\bcomments?\b",
    r"^also on \S+\.\w+",
    # newsletter, paywall, app and social prompts
    r"^(?:sign up|subscribe|suscr[íi]bete|suscribite|reg[íi]strate)\b",
    r"^(?:get|register|join|enter your email|don't miss|never miss)\b.*"
    r"\b(?:newsletters?|inbox|e-?mails?|updates|alerts|briefing|digest)\b",
    r"^to (?:view|read|continue reading|access) (?:the |this )?(?:full )?(?:story|article)\b",
    r"^(?:like this (?:story|article)\?|if you (?:enjoyed|liked|value) this (?:story|article))",
    r"^follow\b.*\bon (?:facebook|twitter|instagram|x|linkedin|tiktok|youtube)\b",
    r"^(?:s[íi]guenos|sigue|seguinos)\b.*\ben (?:facebook|twitter|instagram|x|linkedin|tiktok"
    r"|youtube|whatsapp|telegram|google news)\b",
    r"^follow\b.*\bcoverage\b",
    r"^(?:thanks|thank you) for signing up|^keep an eye on your inbox"
    r"|^there was an error processing your",
    # credits and contacts: "Reporting by ...", "Write to X at x@y.com"
    r"^(?:additional )?reporting by\b|^with (?:additional )?(?:reporting|files|information) from\b",
    r"^(?:write to|email|e-mail|contact|reach)\b.*\b[\w.+-]+@[\w-]+\.[\w.]+",
    r"^source\s*:",
    # notes from the desk: "Editor's note: This story was updated ...", "Disclaimer: ..."
    r"^(?:editor'?’?s note|nota del editor|nota de (?:la )?redacción|disclaimer|aviso legal"
    r"|descargo de responsabilidad)\s*:",
    r"^(?:copyright\b|©|\(c\)\s*\d{4})",  # copyright
)
NOTICE_ANYWHERE = rule(
    r"\b(?:subscribe (?:now|today|to (?:this|our) newsletter)|please subscribe"
    r"|already (?:a subscriber|subscribed)"
    r"|click(?:ing)? here|download (?:our\b.*\bapps?|the\b.*\bapps? for (?:ios|android)))\b",
    r"\bcontributed (?:to this report|reporting)\b",  # "Keith Bradsher contributed reporting."
    r"\b(?:views|opinions) expressed (?:in this|here)\b|\blas opiniones (?:expresadas|vertidas)\b",
    r"\bcancel (?:any ?time|at any time)\b|\bcancela cuando quieras\b",
    r";\s*editing by\b",
    r"\ball rights reserved\b|for your personal, non-commercial",
)
# Words the NOTICE_ANYWHERE rules need, in lower case: most lines have none, so most skip it.
NOTICE_WORDS = (
    "subscri",
    "click",
    "download",
    "contributed",
    "editing",
    "all rights",
    "for your",
    "expressed",
    "expresadas",
    "vertidas",
    "cancel",
)
NOTICE_MAX_WORDS = 40
STANDALONE = rule(
    r"^(?:advertisement|story continues below(?: (?:advertisement|gallery|video|photos?|image))?"
    r"|continue reading"
    r"(?: the main story)?|skip to (?:main )?content|loading\W*|this article is more than .+ old"
    r"|privacy policy|terms of (?:use|service)|order reprints|print article|publicidad"
    r"|this (?:article|story) has been sent to"
    # a related-links label whose links went as link lines
    r"|related|more|relacionad[ao]s?|recommended|recomendad[ao]s?|trending|tendencias)\W*$",
    # the page's own error and loading messages
    r"^(?:an error (?:has )?occurred|something went wrong|ha ocurrido un error)\b.{0,60}$",
    r"^(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?$",  # a bare address: "BVINEWS.COM"
    r"^(?=.*[-_*=~•·#+.…|/])[\W_]+$",  # separators: "-", "___", "* * *"
    # a publishing system's shortcode left in the text: "[button ...]...[/button]"
    r"^\[(?P<tag>\w+)\b[^\]]*\].*\[/(?P=tag)\]$",
    r"^\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\.?|h|hs)$",  # a time alone: "4:14 p.m.", "10 h"
    # ratings: "★★★★☆", "Rating: 4/5"
    r"^[★☆✩✭⭐✰½\s]+(?:\(?\d+(?:[.,]\d+)?\s*/\s*\d+\)?)?$",
    r"^(?:rating|our rating|verdict|calificación|puntuación|valoración)\s*:\s*\S.{0,30}$",
    r"^(?:tell us what you think|what do you think\?|let us know (?:what you think|in the comments)"
    r"|déjanos tu comentario|¿qué opinas\?)\W*$",
)
RIGHTS_NOTICE = rule(
    r"\bfor your personal,? non-commercial use\b|\ball rights reserved\b"
    r"|\btodos los derechos reservados\b|\bprohibida su reproducción\b"
)
RIGHTS_NOTICE_MAX_WORDS = 80
RIGHTS_CUES = ("for your personal", "all rights reserved", "derechos reservados", "prohibida su")
NEWSLETTER_LABEL = rule(r"\bnewsletters?\b|\bboletín\b|\bboletines\b")
# Captions, stand-alone lines and comment forms in one regex: one test per line, not three.
ALWAYS_FURNITURE = rule(*(rule.pattern for rule in (CAPTION, STANDALONE, COMMENT_FORM)))
SHARE_START = rule(r"^(?:share|click to share|follow us|compartir|comparte|s[íi]guenos)\b")
SHARE_WORDS = wordset(
    "share shares sharing this article story page post on via tweet email e-mail mail print "
    "copy link save pin facebook twitter x linkedin whatsapp reddit pinterest messenger telegram "
    "flipboard bluesky threads click to opens in new window the it or with friends "
    "compartir comparte compártelo en por correo imprimir copiar enlace guardar esta nota noticia"
)
DATELINE_START = rule(
    r"^(?:published|updated|posted|last (?:updated|modified)|first published|modified"
    r"|release date|date\s*:|reading time|tempo de leitura|tiempo de lectura)"
)
DATE_WORDS = wordset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday mon tue tues wed thu thur thurs fri sat sun am pm gmt utc bst est edt cst cdt "
    "pst pdt et pt ct cet cest at on ago hour hours hr hrs minute minutes min mins second seconds "
    "day days week weeks read st nd rd th t z "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre "
    "diciembre ene abr ago dic lunes martes miércoles miercoles jueves viernes sábado sabado "
    "domingo de del hs h hora horas hace"
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ene|abr|ago|set|dic)[a-zé]*\.?"
# A whole date in a line: "Nov. 19, 2019", "04 de Mayo de 2022", "22 abril, 2022", "3/5/2022".
# On a short line without a sentence's end it is a byline's or a time stamp's date.
FULL_DATE = rule(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+|del\s+)?\d{{4}}\b",
    r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b",
)
WORD = re.compile(r"[^\W\d_]+|\d+")
BULLET = re.compile(r"^[-•*–]\s+")
# A bulleted link to another page under a label in capitals: "- VIDEO: The 20-second hand wash"
LABELLED_LINK_ITEM = re.compile(r"^[-•*–]\s+[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ'’&/ -]{1,30}:\s+\S")
LABELLED_LINK_ITEM_MAX_WORDS = 12


def contains_any(text: str, cues: tuple[str, ...]) -> bool:
    """Whether any of ``cues`` is in ``text``: the cheap test run before a regex.

    A plain loop: on hot paths (every line, every sentence) it costs less than ``any()`` over a
    generator, which resumes a frame per cue.
    """
    for cue in cues:  # noqa: SIM110 (a loop on purpose, see above)
        if cue in text:
            return True
    return False
