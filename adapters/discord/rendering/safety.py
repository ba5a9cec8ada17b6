"""Discord text safety: article, feed and user words that cannot ping, format or mask a link."""

from __future__ import annotations

import re

__all__ = ["ZWSP", "defuse", "quote"]

ZWSP = "\u200b"

_BROADCAST = re.compile(r"@(everyone|here)", re.IGNORECASE)
_ENTITY = re.compile(r"<(@[!&]?|#)(\d+)>")
# A bare link as Discord finds one (trailing punctuation stays outside, as in Discord), else
# an inline marker anywhere, or a heading, quote or list dash at a line start.
_MARKUP = re.compile(
    r"(?P<url>https?://[^\s<]+[^<.,:;\"')\]\s])|[\\*_~|`\[\]]|^[ \t]*[-#>]",
    re.MULTILINE | re.IGNORECASE,
)
_URL_UNSAFE = str.maketrans({"[": "%5B", "]": "%5D", "\\": "%5C", "`": "%60", "|": "%7C"})


def defuse(text: str) -> str:
    """Text that cannot ping or link anyone: @everyone, @here, <@user>, <@&role>, <#channel>.

    discord.utils.escape_mentions only handles 17-20 digit ids and not channel links, so the
    zero-width space goes in by our own two patterns. allowed_mentions=none is the other guard.
    """
    text = _BROADCAST.sub(lambda m: f"@{ZWSP}{m[1]}", text)
    return _ENTITY.sub(lambda m: f"<{ZWSP}{m[1]}{m[2]}>", text)


def quote(text: str) -> str:
    """Article or feed text made inert: markdown escaped (bare links kept), mentions defused.

    Hand-written instead of discord.utils.escape_markdown: its masked-link pattern is greedy, so
    it escaped only the first "[" of "[a](x) and [b](y)", left the run between raw, and the
    second link stayed live. Here every "[" and "]" outside a bare link is escaped, so no
    "[label](target)" can form; inside a bare link they are percent-encoded (the link still
    works and shows its real target).
    """
    return defuse(_MARKUP.sub(_escaped, text))


def _escaped(match: re.Match[str]) -> str:
    if match["url"]:
        return match["url"].translate(_URL_UNSAFE)
    return f"{match[0][:-1]}\\{match[0][-1]}"
