"""Value types produced by the text pipeline: key figures and text summaries."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """A number with news value, what it counts, and the sentence it came from."""

    value: float
    surface: str  # the number as written: "190,000", "two million", "$1.5bn"
    sentence: str  # the sentence the figure came from, verbatim
    qualifier: str | None = None  # "more than", "up to", "about", "at least", ...
    counted: str | None = None  # what it counts: "apprehensions", "people crossing"
    period: str | None = None  # "per day", "in November", "fiscal years 2022 and 2023"
    unit: str | None = None  # "%", "USD", "km", ... (None for plain counts)
    score: float = 0.0  # importance; figures are ordered by it, highest first

    def as_dict(self) -> dict[str, object]:
        """The JSON shape used by ``summarize --jsonl`` and the digest."""
        data = asdict(self)
        data.pop("score")
        value = self.value
        data["value"] = int(value) if float(value).is_integer() else value
        return data


@dataclass(frozen=True, slots=True)
class TextSummary:
    """Sentences picked from a text (in document order) and its key figures."""

    sentences: tuple[str, ...]
    figures: tuple[KeyFigure, ...]
    method: str
    lang: str = "en"
    timings_ms: dict[str, float] = field(default_factory=dict, compare=False)
    more: tuple[str, ...] | None = None  # the pick for ``summarize_text(more=...)``, if asked
