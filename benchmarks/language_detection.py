"""Language detection: bot.web.language against declared tags alone, py3langid alone and stop words.

Run from the project root:
    .venv/bin/python benchmarks/language_detection.py [--data ../shared/data]

1. trafilatura's 78 snippet pages (46 English, 32 Spanish; label: their ``lang_guess``): each
   detector gets the page's declared tags and the text bot.web.extract extracted.
2. Texts without any declared tag: BBC News (every 5th of 1,483) and CNN (195) articles, all
   English, and the body text of the 32 Spanish snippet pages; as "headline" (BBC and Spanish
   titles), "sentence" (the first sentence) and "article" (the whole text).

Detectors: ``ours`` (bot.web.language.detect_language); ``declared only`` (the first usable tag,
else English: the rule before text detection); ``py3langid alone`` (its top language over
all 140, ignoring tags); ``stop words`` (a small hand method: counts of sumy's English and
Spanish stop words, the larger count wins when it has 3+ hits and twice the other's, else the
declared tag, else English). Times are per call, after a warm-up (the model loads once).
"""

from __future__ import annotations

import argparse
import gzip
import logging
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._data import add_data_argument, data_file, read_jsonl
from bot.errors import ExtractionError
from bot.web.extract import declared_languages, extract_article
from bot.web.language import declared_language, detect_language, guess_from_text
from summarizers.sentences import split_sentences
from summarizers.stories.textsim import fold_accents

BBC_STEP = 5
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Sample:
    """One text to label, what its page declared (if anything), and its true language."""

    text: str
    declared: tuple[str, ...]
    lang: str


Detector = Callable[[str, Sequence[str]], str]


def ours(text: str, declared: Sequence[str]) -> str:
    return detect_language(text, declared)


def declared_only(text: str, declared: Sequence[str]) -> str:
    return declared_language(declared) or "en"


def py3langid_alone(text: str, declared: Sequence[str]) -> str:
    guess = guess_from_text(text)
    return guess.code if guess is not None else "en"


def _stop_word_sets() -> tuple[frozenset[str], frozenset[str]]:
    from sumy.utils import get_stop_words

    english = {fold_accents(word) for word in get_stop_words("english")}
    spanish = {fold_accents(word) for word in get_stop_words("spanish")}
    return frozenset(english - spanish), frozenset(spanish - english)


ENGLISH_STOP_WORDS, SPANISH_STOP_WORDS = _stop_word_sets()


def stop_words(text: str, declared: Sequence[str]) -> str:
    words = _WORD.findall(fold_accents(text[:2000]).casefold())
    english = sum(word in ENGLISH_STOP_WORDS for word in words)
    spanish = sum(word in SPANISH_STOP_WORDS for word in words)
    if max(english, spanish) >= 3 and max(english, spanish) >= 2 * min(english, spanish):
        return "es" if spanish > english else "en"
    return declared_language(declared) or "en"


DETECTORS: dict[str, Detector] = {
    "ours": ours,
    "declared only": declared_only,
    "py3langid alone": py3langid_alone,
    "stop words": stop_words,
}


def snippet_pages(data: Path) -> list[tuple[Sample, str | None]]:
    """(page sample, its title) for every snippet page whose text bot.web.extract can extract."""
    cases = list(read_jsonl(data_file(data, "extraction/trafilatura-snippets/cases.jsonl")))
    folder = data / "extraction" / "trafilatura-snippets"
    pages = []
    for case in cases:
        html = gzip.decompress((folder / case["html_file"]).read_bytes()).decode("utf-8")
        tree = trafilatura.load_html(html)
        declared = tuple(tag for tag in declared_languages(tree) if tag) if tree is not None else ()
        try:
            article = extract_article(html)
        except ExtractionError:
            continue
        pages.append((Sample(article.text, declared, case["lang_guess"]), article.title))
    return pages


def text_sets(data: Path, pages: list[tuple[Sample, str | None]]) -> dict[str, list[Sample]]:
    bbc = list(read_jsonl(data_file(data, "summaries/bbc-dev.jsonl.gz")))[::BBC_STEP]
    cnn = list(read_jsonl(data_file(data, "summaries/cnndm-dev.jsonl.gz")))
    spanish = [(page, title) for page, title in pages if page.lang == "es"]
    sets: dict[str, list[Sample]] = {}
    for kind in ("headline", "sentence", "article"):
        english = [(row.get("title", ""), row["text"]) for row in bbc]
        english += [("", row["article"]) for row in cnn]
        chosen = [Sample(_part(kind, title, text), (), "en") for title, text in english]
        chosen += [Sample(_part(kind, title or "", page.text), (), "es") for page, title in spanish]
        sets[kind] = [sample for sample in chosen if sample.text]
    return sets


def _part(kind: str, title: str, text: str) -> str:
    if kind == "headline":
        return title
    if kind == "sentence":
        sentences = split_sentences(text)
        return sentences[0] if sentences else ""
    return text


def report(name: str, samples: list[Sample]) -> None:
    counts = {lang: sum(s.lang == lang for s in samples) for lang in ("en", "es")}
    print(f"\n{name}: {len(samples)} texts ({counts['en']} en, {counts['es']} es)")
    print(f"{'detector':16} {'accuracy':>8} {'en':>6} {'es':>6} {'us/call mean':>13} {'max':>8}")
    for detector_name, detector in DETECTORS.items():
        detector(samples[0].text, samples[0].declared)  # warm-up: the model loads once
        answers, times = [], []
        for sample in samples:
            start = time.perf_counter()
            answers.append(detector(sample.text, sample.declared))
            times.append((time.perf_counter() - start) * 1e6)
        right = [answer == sample.lang for answer, sample in zip(answers, samples, strict=True)]
        per_lang = [
            statistics.mean(r for r, s in zip(right, samples, strict=True) if s.lang == lang)
            for lang in ("en", "es")
        ]
        print(
            f"{detector_name:16} {statistics.mean(right):8.3f} {per_lang[0]:6.3f} "
            f"{per_lang[1]:6.3f} {statistics.mean(times):13.0f} {max(times):8.0f}"
        )
        wrong = [
            (s.lang, answer, s.text[:50])
            for answer, s in zip(answers, samples, strict=True)
            if answer != s.lang
        ]
        if detector_name == "ours" and wrong:
            print(f"  ours wrong on: {wrong[:6]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # trafilatura logs every page it discards
    pages = snippet_pages(args.data)
    report("trafilatura snippet pages (declared tags + extracted text)", [p for p, _ in pages])
    for kind, samples in text_sets(args.data, pages).items():
        report(f"texts without declared tags, {kind}", samples)


if __name__ == "__main__":
    main()
