"""Batch mode: JSON lines in (text, html or url per line), one JSON line out per input, in order."""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections import deque
from collections.abc import Awaitable, Iterable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any, TextIO

from tqdm import tqdm

from adapters.console_render import summary_record
from bot.errors import InputError, NewsbriefError
from bot.models import Summary
from bot.service import Summarizer, summarize_article
from bot.web.extract import article_from_text, extract_article

log = logging.getLogger(__name__)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large a number")
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _parse_line(line: str) -> Any:
    """The line's JSON value; lone surrogates become U+FFFD so the answer can be written."""
    try:
        value = json.loads(line, parse_float=_finite_float, parse_constant=_refuse_constant)
    except json.JSONDecodeError as err:
        raise InputError(f"That line is not valid JSON ({err.msg}).") from None
    except ValueError as err:
        raise InputError(f"That line is not valid JSON ({err}).") from None
    except RecursionError:
        raise InputError("That line is not valid JSON (nested too deeply).") from None
    return _scrub(value)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_scrub(key): _scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    return value


def _error_record(item_id: Any, message: str) -> dict[str, Any]:
    return {"id": item_id, "title": None, "sentences": [], "figures": [], "error": message}


def _from_text(text: str, count: int, method: str) -> Summary:
    return summarize_article(article_from_text(text), count, method)


def _from_html(html: str, url: str | None, count: int, method: str) -> Summary:
    return summarize_article(extract_article(html, url), count, method)


async def _summarize_line(
    summarizer: Summarizer,
    line: str,
    count: int,
    method: str,
    with_text: bool,
    cpu: Executor,
) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    item_id: Any = None
    try:
        item = await loop.run_in_executor(cpu, _parse_line, line)
        if not isinstance(item, dict):
            raise InputError("Each line must be a JSON object with a text, html or url field.")
        item_id = item.get("id")
        # Parsing, extraction and summarizing are CPU work and run off the event loop: inline,
        # a few long text lines held the loop so long that a URL line's fetch timed out before
        # its request was sent.
        if isinstance(item.get("text"), str):
            summary = await loop.run_in_executor(cpu, _from_text, item["text"], count, method)
        elif isinstance(item.get("html"), str):
            url = item.get("url") if isinstance(item.get("url"), str) else None
            summary = await loop.run_in_executor(cpu, _from_html, item["html"], url, count, method)
        elif isinstance(item.get("url"), str):
            summary = await summarizer.summarize_url(item["url"], sentences=count, method=method)
        else:
            raise InputError("Each line needs a text, html or url field holding a string.")
    except NewsbriefError as err:
        return _error_record(item_id, err.message)
    except Exception:  # one bad article must not end a batch of thousands
        log.exception("unexpected failure on batch item %r", item_id)
        return _error_record(item_id, "Something went wrong while summarizing this item.")
    record = {"id": item_id, **summary_record(summary, with_text=with_text), "error": None}
    return record


async def run_batch(
    summarizer: Summarizer,
    lines: Iterable[str],
    out: TextIO,
    *,
    count: int,
    method: str,
    with_text: bool = False,
    progress: bool = False,
    window: int = 8,
) -> int:
    """Summarize every input line, writing results in input order; returns the error count."""
    pending: deque[Awaitable[dict[str, Any]]] = deque()
    errors = 0
    bar = tqdm(unit=" articles", disable=not progress)
    # One worker: Python's CPU work does not run in parallel (GIL), and with a single busy
    # thread the event loop still gets the interpreter every few milliseconds for its fetches.
    cpu = ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-cpu")

    async def drain_one() -> None:
        nonlocal errors
        record = await pending.popleft()
        errors += record["error"] is not None
        out.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
        bar.update(1)

    try:
        for line in lines:
            if not line.strip():
                continue
            pending.append(
                asyncio.ensure_future(
                    _summarize_line(summarizer, line, count, method, with_text, cpu)
                )
            )
            if len(pending) >= window:
                await drain_one()
        while pending:
            await drain_one()
    finally:
        cpu.shutdown(wait=False, cancel_futures=True)
    out.flush()
    bar.close()
    return errors
