"""Speed of key figures and pasted-text cleaning, per article and on a 400-sentence article.

Run from the project root:
    .venv/bin/python benchmarks/figures_speed.py [--data ../shared/data] [--repeat 5]

Times ``clean_pasted_text(text)`` and ``extract_figures`` (on the sentences of the cleaned
text: the figures part only) on each CNN/DailyMail article, then on one article of 400 of their
sentences joined by blank lines (built as benchmarks/speed.py builds it). Each time is the best
of ``--repeat`` runs, so that other work on a shared machine disturbs it less. The baseline,
timed in the same run on the same texts, is ``split_sentences``: the ratios say how many
sentence splits each step costs, which moves less from machine to machine than milliseconds.
Then the same for figures in Spanish, on the Spanish pages of the trafilatura snippets (text
extracted with bot.web.extract beforehand, not timed), against splitting those texts. Last, a
160 KB number-dense page (a flattened table: one "sentence" of cells, made up here) in English
and Spanish: figures, and the whole summary path (bot.service.summarize_article), against
splitting it. Before figures read context within a bound of each number, that page took 85 s;
issue 10 asks for any page within 2 s.
"""

from __future__ import annotations

import argparse
import gzip
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._data import add_data_argument, data_file, read_jsonl
from summarizers.cleaning import clean_pasted_text
from summarizers.figures.extract import extract_figures
from summarizers.sentences import split_sentences

LONG_SENTENCES = 400
# The product issue's budgets, in milliseconds: (per typical article, 400-sentence article)
BUDGETS = {"figures": (0.6, 8.0), "cleaning": (None, 2.0)}


def best_ms(work: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def time_steps(text: str, repeat: int) -> dict[str, float]:
    """Milliseconds of the baseline and of each step on ``text``."""
    sentences = split_sentences(clean_pasted_text(text).text)  # as the batch path does
    return {
        "split (baseline)": best_ms(lambda: split_sentences(text), repeat),
        "figures": best_ms(lambda: extract_figures(sentences), repeat),
        "cleaning": best_ms(lambda: clean_pasted_text(text), repeat),
    }


def spanish_texts(data_dir: Path) -> list[str]:
    """Article texts of the Spanish pages of the trafilatura snippets (none if missing)."""
    from bot.web.extract import extract_article  # only here: the English part needs no bot/

    folder = data_dir / "extraction" / "trafilatura-snippets"
    if not (folder / "cases.jsonl").is_file():
        return []
    texts = []
    for case in read_jsonl(folder / "cases.jsonl"):
        if case.get("lang_guess") == "es":
            page = gzip.decompress((folder / case["html_file"]).read_bytes())
            texts.append(extract_article(page).text)
    return texts


def time_spanish(text: str, repeat: int) -> dict[str, float]:
    sentences = split_sentences(text, "es")
    return {
        "split es (base)": best_ms(lambda: split_sentences(text, "es"), repeat),
        "figures es": best_ms(lambda: extract_figures(sentences, "es"), repeat),
    }


def long_article(texts: list[str]) -> str:
    sentences = [sentence for text in texts for sentence in split_sentences(text)]
    if len(sentences) < LONG_SENTENCES:
        raise SystemExit("not enough sentences for the long article")
    return "\n\n".join(sentences[:LONG_SENTENCES])


def budget(step: str, index: int) -> str:
    limit = BUDGETS.get(step, (None, None))[index]
    return f"{limit:g}" if limit is not None else "-"


def number_dense_page(size: int = 160_000) -> str:
    """A flattened table: cells of names, words and numbers, no sentence end, ``size`` chars."""
    rng = random.Random(7)
    cells = ["Texas", "Arizona", "total", "migrants", "people", "12,345", "4.5%", "$1,200"]
    cells += ["2023", "17", "890,000", "3,5 %", "1.234", "two million", "of", "rose to"]
    text: list[str] = []
    length = 0
    while length < size:
        text.append(rng.choice(cells))
        length += len(text[-1]) + 1
    return " ".join(text)


def time_dense_page(repeat: int) -> None:
    from bot.service import summarize_article  # only here: the rest times summarizers alone
    from bot.web.extract import article_from_text

    page = number_dense_page()
    print(f"\nA {len(page) // 1000} KB number-dense page (one run of cells), best of {repeat}")
    print(f"{'lang':<6}{'split ms':>10}{'figures ms':>12}{'vs split':>10}{'summary ms':>12}")
    for lang in ("en", "es"):
        sentences = split_sentences(page, lang)
        extract_figures(sentences[:1], lang)  # the language's patterns compiled first
        article = replace(article_from_text(page), lang=lang)
        split_ms = best_ms(lambda: split_sentences(page, lang), repeat)  # noqa: B023
        figures_ms = best_ms(lambda: extract_figures(sentences, lang), repeat)  # noqa: B023
        summary_ms = best_ms(lambda: summarize_article(article, 3, "newsbrief"), repeat)  # noqa: B023
        print(
            f"{lang:<6}{split_ms:>10.1f}{figures_ms:>12.1f}{figures_ms / split_ms:>9.1f}x"
            f"{summary_ms:>12.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    parser.add_argument("--repeat", type=int, default=5, help="runs per text, best kept")
    parser.add_argument("--limit", type=int, default=None, help="articles to use (default all)")
    args = parser.parse_args()
    path = data_file(args.data, "summaries/cnndm-dev.jsonl.gz")
    texts = [row["article"] for row in read_jsonl(path, args.limit)]
    for text in texts[:5]:  # warm the caches (compiled regexes) before timing
        time_steps(text, 1)

    per_article = [time_steps(text, args.repeat) for text in texts]
    long_times = time_steps(long_article(texts), args.repeat + 2)
    split_median = statistics.median(times["split (baseline)"] for times in per_article)
    print(f"{len(texts)} CNN/DailyMail articles, best of {args.repeat} runs each")
    print(
        f"{'step':<18}{'median ms':>10}{'p90 ms':>8}{'vs split':>10}{'budget':>8}"
        f"{'400-sent. ms':>14}{'vs split':>10}{'budget':>8}"
    )
    for step in long_times:
        times = sorted(article[step] for article in per_article)
        median = statistics.median(times)
        p90 = times[int(len(times) * 0.9)]
        long_ms = long_times[step]
        print(
            f"{step:<18}{median:>10.3f}{p90:>8.3f}{median / split_median:>9.2f}x"
            f"{budget(step, 0):>8}{long_ms:>14.2f}"
            f"{long_ms / long_times['split (baseline)']:>9.2f}x{budget(step, 1):>8}"
        )
    spanish = [time_spanish(text, args.repeat) for text in spanish_texts(args.data)]
    if spanish:
        base = statistics.median(times["split es (base)"] for times in spanish)
        print(f"{len(spanish)} Spanish pages (trafilatura snippets), best of {args.repeat} runs")
        for step in spanish[0]:
            times = sorted(article[step] for article in spanish)
            median = statistics.median(times)
            p90 = times[int(len(times) * 0.9)]
            print(f"{step:<18}{median:>10.3f}{p90:>8.3f}{median / base:>9.2f}x")
    time_dense_page(args.repeat)


if __name__ == "__main__":
    main()
