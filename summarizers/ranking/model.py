"""The learned sentence scorer: logistic-regression weights read from a JSON file in the package."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from summarizers.ranking.features import FEATURE_NAMES

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "ranker_model.json"


class RankerModelError(RuntimeError):
    """The ranker's model file is missing or unreadable (a broken install, not bad input)."""


@dataclass(frozen=True, slots=True)
class RankerModel:
    """Standardised features times weights plus bias: the log-odds that a sentence belongs in
    the summary (fitted on greedy-oracle labels by benchmarks/train_ranker.py)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    redundancy: float  # set score lost per unit of TF-IDF cosine between two picked sentences

    def scores(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.mean) / self.scale) @ self.weights + self.bias

    def to_json(self, **about: object) -> str:
        body = {
            **about,
            "features": list(FEATURE_NAMES),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(self.bias, 6),
            "redundancy": self.redundancy,
        }
        return json.dumps(body, indent=1) + "\n"


def _vector(body: dict, key: str) -> np.ndarray:
    values = body.get(key)
    if not isinstance(values, list) or len(values) != len(FEATURE_NAMES):
        raise ValueError(f"'{key}' must list {len(FEATURE_NAMES)} numbers")
    vector = np.asarray(values, dtype=np.float64)
    if not np.isfinite(vector).all():
        raise ValueError(f"'{key}' holds a number that is not finite")
    return vector


def parse_model(text: str) -> RankerModel:
    """A model from its JSON text; ValueError says what is wrong with it."""
    body = json.loads(text)
    if not isinstance(body, dict):
        raise ValueError("the file is not a JSON object")
    if body.get("features") != list(FEATURE_NAMES):
        raise ValueError("its feature names differ from the code's (retrain the model)")
    scale = _vector(body, "scale")
    if (scale <= 0).any():
        raise ValueError("'scale' must be positive")
    numbers = []
    for key in ("bias", "redundancy"):
        value = body.get(key)
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            raise ValueError(f"'{key}' must be a number")
        numbers.append(float(value))
    bias, redundancy = numbers
    return RankerModel(_vector(body, "mean"), scale, _vector(body, "weights"), bias, redundancy)


def load_model(path: Path = MODEL_PATH) -> RankerModel:
    """The model at ``path``; RankerModelError with a one-sentence reason when it cannot be read."""
    try:
        return parse_model(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RankerModelError(
            f"The summary model file {path} cannot be read ({error.strerror or error});"
            " reinstall Newsbrief."
        ) from error
    except ValueError as error:  # json.JSONDecodeError is a ValueError
        raise RankerModelError(
            f"The summary model file {path} is corrupt ({error}); reinstall Newsbrief."
        ) from error


@lru_cache(maxsize=1)
def default_model() -> RankerModel:
    """The packaged model, read once."""
    return load_model()
