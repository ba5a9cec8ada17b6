"""Reading the words of chat commands: links, times, time zones, settings, subscribe's words."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import InputError
from bot.store import ChannelSettings

_LINK = re.compile(r"<?(https?://[^\s<>|]+)(?:\|[^>]*)?>?", re.IGNORECASE)
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
_TIME_LIKE = re.compile(r"\d{1,2}[:.h]\d{1,2}")  # a mistyped time is still meant as a time


def find_links(text: str) -> list[str]:
    """Article links in a chat message (Slack's <url|label> form included), first ones first."""
    links = [match.rstrip(".,;:!?)»”'\"") for match in _LINK.findall(text)]
    return list(dict.fromkeys(links))


def parse_time(text: str) -> str:
    """``7:00``, ``07.00`` or ``7h00`` as ``07:00``; InputError for anything else."""
    match = _TIME.match(text.strip())
    if not match:
        raise InputError(f"{text!r} is not a time; use HH:MM on a 24-hour clock, like 07:00.")
    return f"{int(match[1]):02d}:{match[2]}"


def parse_zone(text: str) -> str:
    """An IANA time zone name (UTC, GMT and Z mean UTC); InputError for anything else."""
    name = "UTC" if text.upper() in {"UTC", "GMT", "Z"} else text
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, "America/Argentina"
        raise InputError(
            f"{text!r} is not a time zone I know; use a name like America/Mexico_City."
        ) from None
    return name


def subscribe_words(words: list[str]) -> tuple[str | None, str | None, str | None]:
    """``subscribe [topic] [HH:MM] [time zone]`` in any order: (topic, time, zone)."""
    topic = local_time = zone = None
    for word in words:
        if _TIME.match(word) or _TIME_LIKE.fullmatch(word):
            local_time = word
        elif "/" in word or word.upper() in {"UTC", "GMT"}:
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
