"""Logging set-up that keeps tokens and secrets out of every log line, whoever logs them.

Settings hold secrets as SecretStr, and slack_sdk redacts its Authorization header, but at
DEBUG the libraries log URLs and bodies that carry other credentials: discord.py logs each
interaction's webhook URL (its token lets anyone answer as the bot for 15 minutes),
slack_sdk logs response_url posts, and slack-bolt logs raw request bodies with Slack's
verification ``token`` (at INFO, on a bad signature). ``install_redaction`` wraps the log record
factory, so every record, from any logger and for any handler (added before or after), has
its message, arguments and traceback redacted when it is made:

* the exact values of the SecretStr settings (bot tokens, signing secret, app token);
* anything shaped like a Slack token (``xoxb-``, ``xapp-``, ...) or a Discord bot token;
* the token part of Discord ``/webhooks/<id>/<token>`` and ``/interactions/<id>/<token>`` URLs
  and of Slack ``hooks.slack.com`` URLs;
* ``token``, ``ticket``, ``secret``, ``password`` and ``Authorization`` values in form, JSON
  and header text.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.config import Settings

__all__ = [
    "REDACTED",
    "JsonFormatter",
    "configure_logging",
    "install_redaction",
    "parse_level",
    "redact",
    "uninstall_redaction",
]

REDACTED = "[redacted]"
_MIN_SECRET_CHARS = 6  # shorter "secrets" would blank out ordinary words

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]{6,}"), REDACTED),  # Slack tokens
    # Discord bot tokens: base64 user id . timestamp . HMAC
    (re.compile(r"\b[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{20,}"), REDACTED),
    (re.compile(r"(/(?:webhooks|interactions)/\d+/)[^/\s'\"?]+"), rf"\g<1>{REDACTED}"),
    (re.compile(r"(hooks\.slack\.com(?:/|%2F)[a-z]+(?:/|%2F))[^\s'\",&]+"), rf"\g<1>{REDACTED}"),
    (
        re.compile(
            r"""(?ix)
            (\b(?:\w+_)?(?:token|ticket|secret|password|authorization)
             (?:["']?\s*[:=]\s*["']?|%3D))     # token=..., "token": "...", 'token': '...'
            (?:(?:bot|bearer)\s+)?              # Authorization: Bot <token>
            [^\s&"',}]+
            """
        ),
        rf"\g<1>{REDACTED}",
    ),
)

_secrets: tuple[str, ...] = ()
_plain_factory: Callable[..., logging.LogRecord] | None = None


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    """``text`` with known secret values and token-shaped strings replaced by [redacted]."""
    for secret in _secrets if secrets is None else secrets:
        if len(secret) >= _MIN_SECRET_CHARS:
            text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def secret_values(settings: Settings | None) -> list[str]:
    """The values of every SecretStr field that is set."""
    if settings is None:
        return []
    values = (getattr(settings, name) for name in type(settings).model_fields)
    return [value.get_secret_value() for value in values if isinstance(value, SecretStr)]


def _redacting_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    assert _plain_factory is not None
    record = _plain_factory(*args, **kwargs)
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: keep logging's own error path
        return record
    record.msg, record.args = redact(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def install_redaction(settings: Settings | None = None) -> None:
    """Redact every log record made from now on; call again when the settings change."""
    global _secrets, _plain_factory
    _secrets = tuple(sorted(secret_values(settings), key=len, reverse=True))
    if _plain_factory is None:
        _plain_factory = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_redacting_record)


def uninstall_redaction() -> None:
    """Restore the record factory that was in place before ``install_redaction``."""
    global _secrets, _plain_factory
    if _plain_factory is not None:
        logging.setLogRecordFactory(_plain_factory)
    _secrets, _plain_factory = (), None


# Newsbrief's own loggers; --debug and NEWSBRIEF_LOG_LEVEL set these, libraries stay at WARNING
# (at DEBUG, aiosqlite alone logs every SQL statement of every query).
OWN_LOGGERS = ("bot", "adapters", "summarizers", "newsbrief")
LIBRARY_LEVEL = logging.WARNING
# Warnings libraries print at every start that say nothing about this bot: it never uses voice,
# and the Slack adapter hands bolt a ready client, so bolt's spare token is expected.
_HARMLESS_LIBRARY_WARNINGS = frozenset(
    {
        "PyNaCl is not installed, voice will NOT be supported",
        "davey is not installed, voice will NOT be supported",
        "As you gave `client` as well, `token` will be unused.",
    }
)
_TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the traceback, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(self.formatException(record.exc_info))
        if record.exc_text:
            entry["traceback"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def _drop_harmless(record: logging.LogRecord) -> bool:
    return record.getMessage() not in _HARMLESS_LIBRARY_WARNINGS


def parse_level(text: str) -> int:
    """A level name (DEBUG, INFO, WARNING, ERROR) as its number; ValueError for anything else."""
    level = logging.getLevelNamesMapping().get(text.strip().upper())
    if level is None or text.strip().upper() in {"NOTSET", "WARN", "FATAL"}:
        raise ValueError(f"{text!r} is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
    return level


def configure_logging(
    level: int,
    settings: Settings | None = None,
    *,
    json_lines: bool = False,
    log_file: Path | None = None,
) -> None:
    """One handler (stderr, or ``log_file`` appended to); Newsbrief's loggers at ``level``,
    libraries at WARNING; redacted.

    Safe to call again (the handler is replaced), so the CLI can set a first level before the
    settings are read and the final one after.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_newsbrief", False)]:
        root.removeHandler(handler)
        handler.close()
    handler: logging.Handler
    if log_file is not None:
        handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler()
    handler._newsbrief = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(_TEXT_FORMAT))
    handler.addFilter(_drop_harmless)
    root.addHandler(handler)
    # Records of our own loggers reach the root's handler whatever the root's level (propagation
    # checks handlers, not ancestors), so libraries stay at WARNING while ours go lower.
    root.setLevel(LIBRARY_LEVEL)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)
    install_redaction(settings)
