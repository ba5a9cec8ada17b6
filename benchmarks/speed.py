"""Speed of summary + key figures per article in batch mode, against sumy LexRank, same run.

Run from the project root:
    .venv/bin/python benchmarks/speed.py [--data ../shared/data] [--limit N]

Per article it times what `newsbrief summarize --jsonl` does for a {"text": ...} line
(cleaning, sentence splitting, ranking and key figures) with each method; then a
400-sentence article made of CNN/DailyMail articles run together, with its milliseconds per
stage (cleaning and language detection, split and the rest, rank, figures); then one real
`newsbrief summarize --jsonl` process over the whole set (start-up included).

Times are wall clock; the "cpu" columns are the process's CPU time for the same runs, which
other work on a shared machine inflates far less (a busy machine stretches the wall times).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._data import add_data_argument, data_file, read_jsonl
from bot.service import summarize_article
from bot.web.extract import article_from_text
from summarizers.sentences import split_sentences

METHODS = ("newsbrief", "lead", "lexrank")
LONG_SENTENCES = 400


def time_article(text: str, method: str) -> tuple[float, float]:
    """Wall and CPU milliseconds for one article through the batch path."""
    run = time_stages(text, method)
    return run["total"], run["cpu"]


def time_stages(text: str, method: str) -> dict[str, float]:
    """Milliseconds of one run: cleaning and language detection, then the pipeline's stages
    (wall clock), the total and the CPU time of the whole run."""
    cpu = time.process_time()
    start = time.perf_counter()
    article = article_from_text(text)
    cleaned, cpu_cleaned = time.perf_counter(), time.process_time()
    summary = summarize_article(article, 3, method)
    total = (time.perf_counter() - start) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    clean = (cleaned - start) * 1000
    rank, figures = summary.timings_ms["rank"], summary.timings_ms["figures"]
    return {
        "clean+lang": clean,
        # bot.service splits the text itself and hands the pipeline its sentences, so the
        # pipeline's own "split" reads about 0: the split is what the stages leave over.
        "split+rest": total - clean - rank - figures,
        "rank": rank,
        "figures": figures,
        "total": total,
        "cpu": cpu_ms,
        "cpu clean+lang": (cpu_cleaned - cpu) * 1000,
        "cpu rank": summary.timings_ms["split+rank cpu"],  # the pipeline was handed its split
        "cpu figures": summary.timings_ms["figures cpu"],
    }


def long_article(texts: list[str]) -> str:
    paragraphs: list[str] = []
    count = 0
    for text in texts:
        for sentence in split_sentences(text):
            paragraphs.append(sentence)
            count += 1
            if count == LONG_SENTENCES:
                return "\n\n".join(paragraphs)
    raise SystemExit("not enough sentences for the long article")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_argument(parser)
    parser.add_argument("--limit", type=int, default=None, help="articles to use (default all)")
    args = parser.parse_args()
    path = data_file(args.data, "summaries/cnndm-dev.jsonl.gz")
    texts = [row["article"] for row in read_jsonl(path, args.limit)]
    for text in texts[:5]:  # warm caches (regexes, stemmers, stop-word lists)
        for method in METHODS:
            time_article(text, method)

    print(f"Summary + key figures per article, batch path, {len(texts)} CNN/DailyMail articles")
    print(
        f"{'method':<12}{'median ms':>10}{'p90 ms':>9}{'mean ms':>9}{'vs lexrank':>12}"
        f"{'cpu median':>12}{'cpu vs lexrank':>16}"
    )
    rows = {}
    for method in METHODS:
        runs = [time_article(text, method) for text in texts]
        walls = sorted(wall for wall, _ in runs)
        cpus = [cpu for _, cpu in runs]
        rows[method] = (
            statistics.median(walls),
            walls[int(len(walls) * 0.9)],
            statistics.fmean(walls),
            statistics.median(cpus),
        )
    base, base_cpu = rows["lexrank"][0], rows["lexrank"][3]
    for method, (median, p90, mean, cpu) in rows.items():
        print(
            f"{method:<12}{median:>10.2f}{p90:>9.2f}{mean:>9.2f}{median / base:>11.2f}x"
            f"{cpu:>12.2f}{cpu / base_cpu:>15.2f}x"
        )

    text = long_article(texts)
    print(f"\nOne {LONG_SENTENCES}-sentence article (best of 3)")
    long_runs = {
        method: min((time_stages(text, method) for _ in range(3)), key=lambda run: run["total"])
        for method in METHODS
    }
    for method, run in long_runs.items():
        ms = run["total"]
        stages = "  ".join(
            f"{stage} {value:.1f}"
            for stage, value in run.items()
            if stage not in ("total", "cpu") and not stage.startswith("cpu")
        )
        cpu_stages = "  ".join(
            f"{stage[4:]} {value:.1f}" for stage, value in run.items() if stage.startswith("cpu ")
        )
        ratio = ms / long_runs["lexrank"]["total"]
        print(f"{method:<12}{ms:>10.1f} ms{ratio:>11.3f}x vs lexrank  ({stages})")
        print(f"{'':<12}{run['cpu']:>10.1f} ms cpu{'':<18}({cpu_stages}; the rest is the split)")

    lines = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "summarize", "--jsonl"],
        input=lines.encode(),
        capture_output=True,
        check=True,
    )
    wall = time.perf_counter() - start
    outputs = [json.loads(line) for line in done.stdout.decode().splitlines()]
    errors = sum(1 for record in outputs if record["error"])
    print(
        f"\n`newsbrief summarize --jsonl` on {len(texts)} articles: {wall:.2f} s wall in one "
        f"process ({wall / len(texts) * 1000:.1f} ms per article with start-up), "
        f"{len(outputs)} lines out, {errors} errors"
    )


if __name__ == "__main__":
    main()
