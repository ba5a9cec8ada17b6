"""One sentence per setting that does not validate: which variable, what it must be, what it was."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from bot.config import Settings


def _bounds(field: FieldInfo) -> dict[str, float]:
    bounds: dict[str, float] = {}
    for item in field.metadata:
        for name in ("ge", "gt", "le", "lt"):
            value = getattr(item, name, None)
            if value is not None:
                bounds[name] = value
    return bounds


def _plain_type(annotation: Any) -> Any:
    """``int`` for ``int | None`` and the like; the annotation itself otherwise."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kinds = [kind for kind in typing.get_args(annotation) if kind is not type(None)]
        return kinds[0] if len(kinds) == 1 else annotation
    return annotation


def _range(bounds: dict[str, float]) -> str:
    low = bounds.get("ge", bounds.get("gt"))
    high = bounds.get("le", bounds.get("lt"))
    if "ge" in bounds and "le" in bounds:
        return f" from {low:g} to {high:g}"
    if "gt" in bounds and not high:
        return f" above {low:g}"
    if "ge" in bounds and not high:
        return f" of at least {low:g}"
    return ""


def requirement(field: FieldInfo, pydantic_message: str) -> str:
    """What a valid value of ``field`` is, as the end of "X must be ...": "a whole number ..."."""
    kind = _plain_type(field.annotation)
    if kind is bool:
        return "1 or 0 (true or false)"
    if kind is int:
        return "a whole number" + _range(_bounds(field))
    if kind is float:
        return "a number" + _range(_bounds(field))
    if typing.get_origin(kind) is typing.Literal:
        return "one of " + ", ".join(str(choice) for choice in typing.get_args(kind))
    text = pydantic_message.removeprefix("Value error, ").removeprefix("Input should be ")
    return text.removeprefix("must be ")


def describe(error: ValidationError) -> str:
    """The first failing setting as one sentence, e.g. "NEWSBRIEF_SENTENCES must be a whole
    number from 1 to 10, got 'abc'." (environment names, never a secret's value)."""
    by_alias = {field.alias or name: field for name, field in Settings.model_fields.items()}
    sentences = []
    for entry in error.errors():
        name = str(entry["loc"][0]) if entry.get("loc") else "a setting"
        field = by_alias.get(name)
        if field is None:
            sentences.append(f"{name}: {entry['msg']}.")
            continue
        shown = "" if "Secret" in str(field.annotation) else f", got {entry.get('input')!r}"
        own_words = str(entry["msg"]).removeprefix("Value error, ")
        if entry.get("type") == "value_error" and not own_words.startswith("must be"):
            # A validator of ours already wrote a whole sentence about the value.
            sentences.append(f"{name}: {own_words.rstrip('.')}.")
        else:
            sentences.append(f"{name} must be {requirement(field, entry['msg'])}{shown}.")
    return " ".join(dict.fromkeys(sentences)) or "A setting is not valid; see .env.example."
