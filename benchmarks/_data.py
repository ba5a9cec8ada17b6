"""Locating the shared benchmark data (../shared/data) through a ``--data`` option."""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data"


def add_data_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--data PATH`` (default ``../shared/data`` relative to the project root)."""
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help=f"folder holding the shared data sets (default: {DEFAULT_DATA_DIR})",
    )


def data_file(data_dir: Path, relative: str) -> Path:
    """``data_dir / relative``, or SystemExit with a readable message when it is missing."""
    path = data_dir / relative
    if not path.is_file():
        raise SystemExit(f"Benchmark data not found: {path} (pass --data PATH).")
    return path


def read_jsonl(path: Path, limit: int | None = None) -> Iterator[dict]:
    """The JSON objects of a (possibly gzipped) JSON-lines file, at most ``limit`` of them."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            if line.strip():
                yield json.loads(line)
