"""The `newsbrief` command line: summarize a link, a file or stdin; batch JSON lines."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import logging
import os
import re
import sys
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError
from tqdm import tqdm

from adapters.batch import run_batch
from adapters.check import run_checks
from adapters.console_render import FORMATS, render_digest, render_summary
from adapters.migrate_store import add_migrate_store
from adapters.operations import package_version
from adapters.runner import chat_platforms_configured, run_bot
from bot.config import Settings, load_settings
from bot.config_errors import describe as describe_settings_error
from bot.digests.feeds import default_feed_list, load_feed_list
from bot.digests.service import dry_run_digest
from bot.digests.topics import load_profile
from bot.errors import ConfigurationError, InputError, NewsbriefError, PlatformError
from bot.logging_setup import configure_logging
from bot.models import Summary
from bot.service import MAX_SENTENCES, Summarizer, looks_like_url
from bot.store.base import DatabaseUnavailableError
from bot.store.maintenance import DamagedDatabaseError, backup_file
from summarizers.ranking.methods import DEFAULT_METHOD, METHODS

log = logging.getLogger("newsbrief")
EX_CONFIG = 78  # sysexits.h: a setting is missing or wrong
EX_DATAERR = 65  # sysexits.h: the database file is damaged (restore a backup)
_HTML_START = re.compile(r"\A\s*(?:\ufeff)?\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
EX_UNAVAILABLE = 69  # sysexits.h: Slack or Discord cannot be reached


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbrief", description="Summaries and key figures of news articles."
    )
    parser.add_argument(
        "--debug", action="store_true", help="log Newsbrief's details and show tracebacks"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    commands = parser.add_subparsers(dest="command", required=True)

    summarize = commands.add_parser(
        "summarize", help="summarize a URL, an .html/.txt file or stdin (-)"
    )
    summarize.add_argument("source", nargs="?", help="URL, file path, or - for stdin")
    summarize.add_argument("--format", choices=FORMATS, default="text")
    summarize.add_argument(
        "--sentences",
        type=int,
        default=None,
        help=f"sentences in the summary (1-{MAX_SENTENCES}, default 3)",
    )
    summarize.add_argument(
        "--method", choices=METHODS, default=None, help=f"ranking method (default {DEFAULT_METHOD})"
    )
    summarize.add_argument(
        "--jsonl",
        action="store_true",
        help='batch: read {"id", "text"|"html"|"url"} JSON lines from SOURCE (default stdin), '
        "write one per input",
    )
    summarize.add_argument(
        "--with-text", action="store_true", help="batch: include the extracted article text"
    )
    run = commands.add_parser(
        "run", help="run the bot: Slack/Discord if their tokens are set, else a console chat"
    )
    run.set_defaults(handler=_run_bot)

    digest = commands.add_parser("digest", help="build a digest from news feeds")
    digest.add_argument(
        "--dry-run",
        action="store_true",
        required=True,
        help="fetch, filter, cluster and print; send and record nothing",
    )
    digest.add_argument("--feeds", type=Path, help="file of feed URLs, one per line (# comments)")
    digest.add_argument("--since", default="24h", help="only items published within (e.g. 24h, 3d)")
    digest.add_argument("--topic", default="migration")
    digest.add_argument("--format", choices=FORMATS, default="text")
    digest.add_argument("--limit", type=int, default=None, help="stories shown (default 8)")
    digest.set_defaults(handler=_run_digest)
    summarize.set_defaults(handler=_run_summarize)
    backup = commands.add_parser(
        "backup", help="write a consistent copy of the database (safe while the bot runs)"
    )
    backup.add_argument("target", type=Path, help="file to write the copy to")
    backup.set_defaults(handler=_run_backup)
    check = commands.add_parser(
        "check", help="check settings, database, Slack/Discord tokens and one feed; print fixes"
    )
    check.set_defaults(handler=_run_check)
    add_migrate_store(commands)
    return parser


async def _run_check(args: argparse.Namespace, settings: Settings) -> int:
    items = await run_checks(settings)
    for item in items:
        print(item.line())
    return 0 if all(item.ok for item in items) else 1


async def _run_backup(args: argparse.Namespace, settings: Settings) -> int:
    if settings.db_url is not None:
        raise InputError(
            "NEWSBRIEF_DB is a PostgreSQL database: back it up with pg_dump "
            '(pg_dump -Fc -f newsbrief.dump "$NEWSBRIEF_DB"; docs/operations.md, PostgreSQL).'
        )
    size = await asyncio.to_thread(backup_file, settings.db_path, args.target)
    print(f"Backed up {settings.db_path} to {args.target} ({size:,} bytes, quick_check ok).")
    return 0


async def _run_bot(args: argparse.Namespace, settings: Settings) -> int:
    if not chat_platforms_configured(settings) and sys.stdin.isatty() and sys.stderr.isatty():
        # A chat in this terminal: log lines (a feed that cannot be read, say) would land in the
        # middle of the conversation, so they go to a file beside the database.
        log_file = settings.db_path.parent / "newsbrief.log"
        with contextlib.suppress(OSError):
            log_file.parent.mkdir(parents=True, exist_ok=True)
            configure_logging(
                _log_level(args, settings),
                settings,
                json_lines=settings.log_format == "json",
                log_file=log_file,
            )
            print(f"Newsbrief's log: {log_file}", file=sys.stderr)
    await run_bot(settings)
    return 0


async def _run_digest(args: argparse.Namespace, settings: Settings) -> int:
    feeds = load_feed_list(args.feeds) if args.feeds else default_feed_list()
    profile = load_profile(args.topic, [settings.topics_dir] if settings.topics_dir else [])
    bar = tqdm(unit=" articles", disable=not sys.stderr.isatty(), desc="reading articles")

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    async with Summarizer(settings) as summarizer:
        digest = await dry_run_digest(
            summarizer,
            feeds,
            topic=args.topic,
            since=parse_duration(args.since),
            limit=args.limit or settings.digest_stories,
            profile=profile,
            on_progress=progress,
        )
    bar.close()
    sys.stdout.write(render_digest(digest, args.format))
    wanted = len(dict.fromkeys(feeds))
    if wanted and len(digest.feeds_failed) >= wanted:
        print(f"newsbrief: none of the {wanted} feeds could be read.", file=sys.stderr)
        return EX_UNAVAILABLE  # an empty digest must not look like a quiet news day to cron
    return 0


def parse_duration(text: str) -> timedelta:
    """'24h', '3d', '90m' or '1w' as a timedelta."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*", text.lower())
    if not match:
        raise InputError(f"{text!r} is not a duration; use a number and m, h, d or w, like 24h.")
    unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[match[2]]
    return timedelta(**{unit: float(match[1])})


async def _summarize_source(
    summarizer: Summarizer, source: str, count: int | None, method: str | None
) -> Summary:
    if source == "-":
        text = sys.stdin.read()
        if _HTML_START.match(text):  # a saved page piped in: read it as a page, not as text
            return await summarizer.summarize_html(
                text.encode("utf-8", "replace"), sentences=count, method=method
            )
        return await summarizer.summarize_text(text, sentences=count, method=method)
    if looks_like_url(source):
        return await summarizer.summarize_url(source, sentences=count, method=method)
    path = Path(source)
    if not path.is_file():
        raise InputError(f"{source} is neither a link nor a readable file.")
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        return await summarizer.summarize_html(path.read_bytes(), sentences=count, method=method)
    if suffix in {".txt", ".text", ".md", ""}:
        text = path.read_text(encoding="utf-8", errors="replace")
        return await summarizer.summarize_text(text, sentences=count, method=method)
    raise InputError(f"{path.name} is not an .html or .txt file.")


async def _run_summarize(args: argparse.Namespace, settings: Settings) -> int:
    if isinstance(sys.stdin, io.TextIOWrapper):
        # One undecodable byte in a pasted article or a batch must not end the run.
        sys.stdin.reconfigure(errors="replace")
    async with Summarizer(settings) as summarizer:
        if args.jsonl:
            count = settings.sentences if args.sentences is None else args.sentences
            if not 1 <= count <= MAX_SENTENCES:
                raise InputError(f"Ask for between 1 and {MAX_SENTENCES} sentences.")
            lines = _batch_input(args.source)
            await run_batch(
                summarizer,
                lines,
                sys.stdout,
                count=count,
                method=args.method or settings.method,
                with_text=args.with_text,
                progress=sys.stderr.isatty(),
            )
            return 0
        if not args.source:
            raise InputError("Give a URL, a file or - (stdin) to summarize.")
        summary = await _summarize_source(summarizer, args.source, args.sentences, args.method)
        print(render_summary(summary, args.format))
        return 0


def _batch_input(source: str | None) -> TextIO:
    """The JSON-lines file named on the command line, else stdin (also for ``-``)."""
    if source in {None, "-"}:
        return sys.stdin
    path = Path(source)
    if not path.is_file():
        raise InputError(f"{source} is not a readable JSON-lines file.")
    return path.open(encoding="utf-8", errors="replace")


def exit_code(error: NewsbriefError) -> int:
    """sysexits.h codes a supervisor can act on: fix a setting, or wait for the platform."""
    if isinstance(error, DamagedDatabaseError):
        return EX_DATAERR
    if isinstance(error, ConfigurationError):
        return EX_CONFIG
    if isinstance(error, PlatformError | DatabaseUnavailableError):
        return EX_UNAVAILABLE
    return 1


def _log_level(args: argparse.Namespace, settings: Settings) -> int:
    """--debug, else NEWSBRIEF_LOG_LEVEL, else INFO for the long-running bot, WARNING otherwise."""
    if args.debug:
        return logging.DEBUG
    if settings.log_level:
        return logging.getLevelNamesMapping()[settings.log_level]
    return logging.INFO if args.command == "run" else logging.WARNING


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(logging.DEBUG if args.debug else logging.WARNING)
    try:
        settings = load_settings()
        # Tokens never reach a log line, whatever logs them.
        configure_logging(
            _log_level(args, settings), settings, json_lines=settings.log_format == "json"
        )
        return asyncio.run(args.handler(args, settings))
    except NewsbriefError as err:
        print(f"newsbrief: {err.message}", file=sys.stderr)
        return exit_code(err)
    except ValidationError as err:
        print(f"newsbrief: {describe_settings_error(err)}", file=sys.stderr)
        return EX_CONFIG
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `newsbrief summarize ... | head`: the reader has had enough
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as err:  # the user gets one sentence; --debug shows the traceback
        if args.debug:
            raise
        print(
            f"newsbrief: unexpected error ({type(err).__name__}); run with --debug for details.",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
