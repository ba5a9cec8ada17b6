"""Spanish against English summary quality on a proxy: each page's own description as reference.

Run from the project root:
    .venv/bin/python benchmarks/summary_quality_es.py [--data ../shared/data] [--show es]

There are no Spanish reference summaries in the shared data, so this is a PROXY: the reference
of a page is the standfirst its publisher wrote for it (``<meta name="description">``,
``og:description`` or ``twitter:description``, as trafilatura's metadata reads them), not a
summary written for evaluation. Pages: trafilatura's evaluation pages in Spanish, the English
ones from the same set as the comparison, and, as a larger English check, the
article-extraction-benchmark's news pages. The text is what ``bot.web.extract.extract_article``
makes of a page, split and summarized in the language it detects, as the bot does.

A page is dropped when extraction fails, it has no description, the description has fewer than
10 words, or the description copies the lead (its first 10 words appear verbatim in the first
three sentences, so LEAD wins by construction). ROUGE F1 (rouge-score) with one tokenizer for
both languages: lower-cased Unicode words (rouge-score's own tokenizer drops accented letters)
with Snowball stemming of words longer than three letters, as rouge-score does with Porter.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura
from nltk.stem.snowball import SnowballStemmer
from rouge_score.rouge_scorer import RougeScorer
from trafilatura.metadata import extract_metadata

from benchmarks._data import add_data_argument, data_file
from bot.errors import ExtractionError
from bot.web.extract import extract_article
from summarizers.ranking.methods import DEFAULT_METHOD, METHODS, select_sentences
from summarizers.ranking.similarity import language_name
from summarizers.sentences import split_sentences

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
COUNTS = (1, 3)
MIN_DESCRIPTION_WORDS = 10
LEAD_SENTENCES = 3
SNIPPETS = "extraction/trafilatura-snippets"
AEB = "extraction/aeb"
GROUPS = ("es", "en", "en-aeb")  # the criterion compares the first two: same source
DROP_REASONS = ("extraction failed", "no description", "< 10 words", "copies the lead")
_WORD = re.compile(r"[^\W_]+")
# A first sentence that reads like one: at least 6 words, ending with . ! ? or a quote mark.
_SENTENCE_LIKE = re.compile(r"^(?:\S+\s+){5,}.*[.!?…][\"'”’»)]*$")


class SnowballTokenizer:
    """rouge-score's tokenizer contract (``tokenize``) for any language Snowball stems."""

    def __init__(self, language: str) -> None:
        self._stem = SnowballStemmer(language).stem

    def tokenize(self, text: str) -> list[str]:
        return [self._stem(word) if len(word) > 3 else word for word in _WORD.findall(text.lower())]


@dataclass
class Page:
    name: str
    group: str
    lang: str  # as bot.web.extract detected it
    title: str | None
    sentences: list[str]
    reference: str

    @property
    def sentence_like_lead(self) -> bool:
        """Whether the first sentence is a sentence (not a heading, kicker or byline)."""
        return bool(_SENTENCE_LIKE.match(self.sentences[0]))


@dataclass
class Scores:
    """ROUGE F1 x 100 per page, for one group, method and summary length."""

    rouge: dict[str, list[float]] = field(default_factory=lambda: {t: [] for t in ROUGE_TYPES})
    sentence_like_lead: list[bool] = field(default_factory=list)


def raw_pages(data_dir: Path) -> Iterator[tuple[str, str, bytes, str | None]]:
    """(group, name, html bytes, url) of every page: snippet pages, then AEB news pages."""
    cases = data_file(data_dir, f"{SNIPPETS}/cases.jsonl")
    for line in cases.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        html = gzip.decompress((cases.parent / case["html_file"]).read_bytes())
        yield case["lang_guess"], case["file"], html, None
    truth = json.loads(data_file(data_dir, f"{AEB}/ground-truth.json").read_text("utf-8"))
    for page_id, entry in truth.items():
        html = gzip.decompress(data_file(data_dir, f"{AEB}/html/{page_id}.html.gz").read_bytes())
        yield "en-aeb", page_id[:12], html, entry.get("url")


def description(html: bytes) -> str | None:
    """The page's description meta tag, decoded as UTF-8 when it is (lxml guesses otherwise)."""
    try:
        document: str | bytes = html.decode("utf-8")
    except UnicodeDecodeError:
        document = html
    tree = trafilatura.load_html(document)
    return extract_metadata(tree).description if tree is not None else None


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def copies_lead(reference: str, sentences: Sequence[str]) -> bool:
    """Whether the reference opens by copying the lead: its first 10 words appear verbatim in
    the first three sentences (a copied lead, whole, cut short or with "Read more" after it)."""
    opening = " ".join(words(reference)[:MIN_DESCRIPTION_WORDS])
    lead = " ".join(words(" ".join(sentences[:LEAD_SENTENCES])))
    return f" {opening} " in f" {lead} "


def load(data_dir: Path) -> tuple[list[Page], dict[str, Counter[str]]]:
    """Kept pages, and per group how many pages were seen, kept and dropped (by reason)."""
    pages: list[Page] = []
    tally: dict[str, Counter[str]] = {group: Counter() for group in GROUPS}
    for group, name, html, url in raw_pages(data_dir):
        counts = tally[group]
        counts["pages"] += 1
        try:
            article = extract_article(html, url)
        except ExtractionError:
            counts["extraction failed"] += 1
            continue
        reference = description(html)
        sentences = split_sentences(article.text, article.lang)
        if not reference:
            counts["no description"] += 1
        elif len(words(reference)) < MIN_DESCRIPTION_WORDS:
            counts[f"< {MIN_DESCRIPTION_WORDS} words"] += 1
        elif copies_lead(reference, sentences):
            counts["copies the lead"] += 1
        else:
            counts["kept"] += 1
            counts["detected another language"] += article.lang != group.split("-")[0]
            pages.append(Page(name, group, article.lang, article.title, sentences, reference))
    return pages, tally


def evaluate(pages: Sequence[Page]) -> dict[tuple[str, int, str], Scores]:
    """Scores by (group, count, method)."""
    scorers = {
        language: RougeScorer(list(ROUGE_TYPES), tokenizer=SnowballTokenizer(language))
        for language in ("english", "spanish")
    }
    results: dict[tuple[str, int, str], Scores] = {}
    for page in pages:
        scorer = scorers["spanish" if language_name(page.lang) == "spanish" else "english"]
        for count in COUNTS:
            for method in METHODS:
                picked = select_sentences(
                    page.sentences, count, method=method, lang=page.lang, title=page.title
                )
                summary = " ".join(page.sentences[index] for index in picked)
                scores = scorer.score(page.reference, summary)
                cell = results.setdefault((page.group, count, method), Scores())
                for name in ROUGE_TYPES:
                    cell.rouge[name].append(scores[name].fmeasure * 100)
                cell.sentence_like_lead.append(page.sentence_like_lead)
    return results


def paired_delta(
    ours: Scores, lead: Scores, name: str, sentence_like_lead_only: bool = False
) -> tuple[float, float, str, int]:
    """Mean of the per-page differences, its standard error, wins/ties/losses and pages."""
    pairs = zip(ours.rouge[name], lead.rouge[name], ours.sentence_like_lead, strict=True)
    deltas = [a - b for a, b, keep in pairs if keep or not sentence_like_lead_only]
    if not deltas:
        return float("nan"), float("nan"), "0/0/0", 0
    error = statistics.stdev(deltas) / len(deltas) ** 0.5 if len(deltas) > 1 else float("nan")
    wins = sum(d > 1e-9 for d in deltas)
    losses = sum(d < -1e-9 for d in deltas)
    record = f"{wins}/{len(deltas) - wins - losses}/{losses}"
    return statistics.fmean(deltas), error, record, len(deltas)


def print_tables(results: dict[tuple[str, int, str], Scores], tally: dict[str, Counter]) -> None:
    for count in COUNTS:
        print(f"\n{count}-sentence summaries: ROUGE-1/2/L F1 x 100, and R1 minus LEAD-{count}")
        columns = [f"{group} (N={tally[group]['kept']})" for group in GROUPS]
        header = f"{'method':<10}" + "".join(f" | {column:<26}" for column in columns)
        print(header)
        print(f"{'':<10}" + f" | {'R1':>5} {'R2':>5} {'RL':>5} {'R1-lead':>8} " * len(GROUPS))
        print("-" * len(header))
        for method in METHODS:
            cells = []
            for group in GROUPS:
                cell, lead = results[(group, count, method)], results[(group, count, "lead")]
                r1, r2, rl = (statistics.fmean(cell.rouge[name]) for name in ROUGE_TYPES)
                delta = r1 - statistics.fmean(lead.rouge["rouge1"])
                cells.append(f"{r1:5.1f} {r2:5.1f} {rl:5.1f} {delta:+8.2f}")
            print(f"{method:<10}" + "".join(f" | {cell:<26}" for cell in cells))


def print_deltas(results: dict[tuple[str, int, str], Scores]) -> dict[tuple[str, int], float]:
    print(f"\n{DEFAULT_METHOD} minus LEAD-n, per page: mean ± standard error (wins/ties/losses)")
    deltas: dict[tuple[str, int], float] = {}
    for count in COUNTS:
        for group in GROUPS:
            ours, lead = results[(group, count, DEFAULT_METHOD)], results[(group, count, "lead")]
            parts = []
            for name in ROUGE_TYPES:
                mean, error, record, _ = paired_delta(ours, lead, name)
                label = name.replace("rouge", "R")
                parts.append(f"{label} {mean:+6.2f} ± {error:4.2f} ({record})")
                deltas.setdefault((group, count), mean)
            mean, error, record, pages = paired_delta(ours, lead, "rouge1", True)
            parts.append(f"| R1, {pages} pages whose first sentence is a sentence: {mean:+6.2f}")
            print(f"  {count} sent. {group:<7} " + "  ".join(parts))
    return deltas


def print_report(results: dict[tuple[str, int, str], Scores], tally: dict[str, Counter]) -> None:
    print("PROXY evaluation: each page's reference is its own description (meta / og / twitter")
    print("description), not a summary written for evaluation. Few pages: read every delta with")
    print("its standard error.\n")
    for group in GROUPS:
        counts = tally[group]
        dropped = ", ".join(f"{reason} {counts[reason]}" for reason in DROP_REASONS)
        print(
            f"{group:<7} {counts['pages']:3d} pages -> {counts['kept']:3d} kept (dropped:"
            f" {dropped}; kept but detected as another language:"
            f" {counts['detected another language']})"
        )
    print_tables(results, tally)
    deltas = print_deltas(results)
    print(f"\nCriterion (same source, R1): the Spanish {DEFAULT_METHOD} - LEAD delta is not worse")
    print("than the English one")
    for count in COUNTS:
        spanish, english = deltas[("es", count)], deltas[("en", count)]
        verdict = "met" if spanish >= english else "NOT met"
        print(
            f"  {count} sentence(s): es {spanish:+.2f} vs en {english:+.2f} -> {verdict}"
            f" (English news pages, en-aeb: {deltas[('en-aeb', count)]:+.2f})"
        )


def show(pages: Sequence[Page], group: str) -> None:
    """Each page's reference, first sentences and picks, to read what the numbers mean."""
    for page in pages:
        if page.group != group:
            continue
        picks = {count: select_sentences(page.sentences, count, lang=page.lang) for count in COUNTS}
        print(f"\n== {page.name} [{page.lang}] {page.title}\nREFERENCE: {page.reference}")
        for index, sentence in enumerate(page.sentences[:20]):
            marks = "".join(str(count) if index in picks[count] else " " for count in COUNTS)
            print(f"  {marks} {index:3d} {sentence}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    parser.add_argument("--show", choices=GROUPS, help="print each page's reference and picks")
    args = parser.parse_args(argv)
    pages, tally = load(args.data)
    if args.show:
        show(pages, args.show)
        return
    print_report(evaluate(pages), tally)


if __name__ == "__main__":
    main()
