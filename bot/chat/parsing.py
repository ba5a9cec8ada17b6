"""Reading the words of chat commands: links, times, time zones, settings, subscribe's words."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.errors import InputError
from bot.store import ChannelSettings

_LINK = re.compile(r"<?(https?://[^\s<>|]+)(?:\|[^>]*)?>?", re.IGNORECASE)
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
# Hand-written: dateutil's parser reads "7" or "march" as times too; these are the 12-hour
# forms people type in chat: 7am, 7 am, 7:30pm, 7.30 p.m.
_TWELVE_HOUR = re.compile(r"^(1[0-2]|0?[1-9])(?:[:.h]([0-5]\d))?\s*([ap])\.?\s*m\.?$", re.I)
_TIME_LIKE = re.compile(r"\d{1,2}[:.h]\d{1,2}")  # a mistyped time is still meant as a time
_MERIDIEM = re.compile(r"^\d{1,2}(?:[:.h]\d{1,2})?(?:\s*[ap]\.?\s*m\.?)?$", re.I)
_SUFFIX = re.compile(r"^[ap]\.?\s*m\.?$", re.I)


def find_links(text: str) -> list[str]:
    """Article links in a chat message (Slack's <url|label> form included), first ones first."""
    links = [match.rstrip(".,;:!?)»”'\"") for match in _LINK.findall(text)]
    return list(dict.fromkeys(links))


def parse_time(text: str) -> str:
    """``7:00``, ``07.00``, ``7h00``, ``7am`` or ``7:30pm`` as ``HH:MM``; InputError otherwise."""
    match = _TIME.match(text.strip())
    if match:
        return f"{int(match[1]):02d}:{match[2]}"
    twelve = _TWELVE_HOUR.match(text.strip())
    if twelve:
        hour = int(twelve[1]) % 12 + (12 if twelve[3].lower() == "p" else 0)
        return f"{hour:02d}:{twelve[2] or '00'}"
    raise InputError(f"{text!r} is not a time; use 07:00, 19:30, 7am or 7:30pm.")


@functools.cache
def _zone_keys() -> dict[str, str]:
    """Every IANA key by its case-folded spelling ("est" -> "EST"), without the server's own
    "localtime", which would mean a different zone on every machine."""
    return {key.casefold(): key for key in available_timezones() if key != "localtime"}


def zone_key(text: str) -> str | None:
    """The IANA key ``text`` names, in any case ("est", "america/mexico_city"), else None."""
    if text.upper() in {"UTC", "GMT", "Z"}:
        return "UTC"
    return _zone_keys().get(text.strip().casefold())


def parse_zone(text: str) -> str:
    """An IANA time zone key in any case (UTC, GMT and Z mean UTC); InputError otherwise."""
    name = zone_key(text) or text
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, "America/Argentina"
        raise InputError(
            f"{text!r} is not a time zone I know; use a name like America/Mexico_City."
        ) from None
    return name


def subscribe_words(
    words: list[str], topics: Collection[str] = ()
) -> tuple[str | None, str | None, str | None]:
    """``subscribe [topic] [time] [time zone]`` in any order: (topic, time, zone).

    A word that is one of ``topics`` is the topic even if it also names a zone ("Cuba");
    "7 am" typed with a space is one time.
    """
    topic = local_time = zone = None
    joined: list[str] = []
    for word in words:
        if joined and _SUFFIX.match(word) and _MERIDIEM.match(f"{joined[-1]}{word}"):
            joined[-1] += word
        else:
            joined.append(word)
    for word in joined:
        if _TIME.match(word) or _TIME_LIKE.fullmatch(word) or _MERIDIEM.match(word):
            local_time = word
        elif word.lower() not in topics and ("/" in word or zone_key(word)):
            zone = word
        elif topic is None:
            topic = word
        else:
            raise InputError(
                f"I don't understand {word!r}; try: subscribe migration 07:00 America/Mexico_City."
            )
    return topic, local_time, zone


def apply_settings(current: ChannelSettings, changes: dict[str, str]) -> ChannelSettings:
    """``current`` with ``settings`` words applied (sentences, autosummarize, language)."""
    values = {
        "sentences": current.sentences,
        "auto_summarize": current.auto_summarize,
        "language": current.language,
    }
    for key, value in changes.items():
        key = key.lower().replace("-", "").replace("_", "")
        if key == "sentences" and value in {str(n) for n in range(1, 11)}:  # not "²" or "٣"
            values["sentences"] = int(value)
        elif key in {"autosummarize", "auto"} and value.lower() in {"on", "off"}:
            values["auto_summarize"] = value.lower() == "on"
        elif key in {"language", "lang"} and value.lower() in {"en", "es"}:
            values["language"] = value.lower()
        else:
            raise InputError(
                f"I can't set {key} to {value!r}; try sentences 1-10, "
                "autosummarize on|off, language en|es."
            )
    return ChannelSettings(platform=current.platform, channel=current.channel, **values)


_LENGTH = re.compile(r"^\s*(\d{1,4})\s+(?=\S)")


def summary_length(rest: str) -> tuple[int | None, str]:
    """``summarize 5 <link>``: (5, the link); without a number before a link, (None, rest).

    A number only asks for a length when a link follows it: "3 people died ..." is pasted text.
    """
    match = _LENGTH.match(rest)
    if match is None or not find_links(rest[match.end() :].split()[0]):
        return None, rest
    count = int(match[1])
    if not 1 <= count <= 10:
        raise InputError(f"A summary can be 1 to 10 sentences long, not {count}.")
    return count, rest[match.end() :]
