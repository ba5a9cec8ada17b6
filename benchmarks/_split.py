"""The one fixed split of every dev set into a tuning part and a check part, by a hash of the id.

Everything that is tuned, fitted or looked at while writing rules uses the tuning part only;
benchmarks quote the check part. The split never changes: a different salt or share would let
the check part leak into the tuning.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Literal, TypeVar

Part = Literal["tune", "check"]
T = TypeVar("T")

_SALT = b"newsbrief-split-v1:"
CHECK_SHARE_PERCENT = 50


def part_of(item_id: str) -> Part:
    """``"check"`` for half the ids (by SHA-1 of the salted id), ``"tune"`` for the others."""
    digest = hashlib.sha1(_SALT + item_id.encode("utf-8")).digest()
    bucket = int.from_bytes(digest[:4], "big") % 100
    return "check" if bucket < CHECK_SHARE_PERCENT else "tune"


def split_by_id(items: Iterable[T], item_id: Callable[[T], str]) -> tuple[list[T], list[T]]:
    """``(tune, check)``: ``items`` in their order, divided by ``part_of(item_id(item))``."""
    tune: list[T] = []
    check: list[T] = []
    for item in items:
        (check if part_of(item_id(item)) == "check" else tune).append(item)
    return tune, check
