"""The summary dev sets (CNN/DM and BBC), split into sentences and into tune/check parts by id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks._data import data_file, read_jsonl
from benchmarks._split import Part, part_of
from summarizers.sentences import split_sentences

# (label, file, scored by): ROUGE against human highlights, or share of picked sentences found
# in an extractive reference.
SETS: tuple[tuple[str, str, str], ...] = (
    ("cnndm-dev", "summaries/cnndm-dev.jsonl.gz", "rouge"),
    ("cnndm-more-dev", "summaries/cnndm-more-dev.jsonl.gz", "rouge"),
    ("bbc-dev", "summaries/bbc-dev.jsonl.gz", "extractive"),
)


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    part: Part
    sentences: list[str]
    title: str | None
    reference: str


def squeeze(text: str) -> str:
    return "".join(text.split())


def in_reference(doc: Doc, picked: Sequence[int]) -> list[bool]:
    """For an extractive reference (sentences run together without spaces): which picked
    sentences it holds."""
    reference = squeeze(doc.reference)
    return [squeeze(doc.sentences[index]) in reference for index in picked]


def load_set(
    data_dir: Path, relative: str, limit: int | None = None, parts: Sequence[Part] = ("tune",)
) -> list[Doc]:
    """The rows of one set whose id falls in ``parts``, at most ``limit`` rows read per set."""
    docs = []
    for row in read_jsonl(data_file(data_dir, relative), limit):
        part = part_of(row["id"])
        if part not in parts:
            continue
        text = row.get("article") or row.get("text") or ""
        docs.append(Doc(row["id"], part, split_sentences(text), row.get("title"), row["reference"]))
    return docs
