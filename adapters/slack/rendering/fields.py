"""Reading the fields the bot needs from Slack payloads: present and text, or MalformedPayload.

Slack's payloads are JSON (Events API, interactivity, Socket Mode) or forms (slash commands over
HTTP); a field that is missing, empty or of another type (a number, an object) stops the request
here with one clear reason instead of a TypeError deeper in, or a dict reaching the core.
"""

from __future__ import annotations

from typing import Any


class MalformedPayloadError(ValueError):
    """A Slack payload lacks a field the bot needs, or the field is not text."""

    def __init__(self, path: tuple[str, ...]) -> None:
        super().__init__(f"{'.'.join(path)} is missing or not text")


def required_text(payload: Any, *path: str) -> str:
    """The non-empty string at ``path`` (keys into nested objects) of ``payload``."""
    value = _at(payload, path)
    if not isinstance(value, str) or not value:
        raise MalformedPayloadError(path)
    return value


def optional_text(payload: Any, *path: str) -> str | None:
    """The string at ``path``, or None when it is absent (or null); other types are refused."""
    value = _at(payload, path)
    if value is None or isinstance(value, str):
        return value
    raise MalformedPayloadError(path)


def _at(payload: Any, path: tuple[str, ...]) -> Any:
    value = payload
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value
