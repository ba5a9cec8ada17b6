"""Console chat: talk to the bot in a terminal, with the same commands as Slack and Discord."""

from __future__ import annotations

import asyncio
import getpass
import re
import sys
import threading
from pathlib import Path
from typing import TextIO

from adapters.console_render import render_digest, render_summary, terminal_safe
from bot.chat.commands import Commands, find_links, guard
from bot.chat.requests import Caller, Reply, Request
from bot.models import Digest

PROMPT = "newsbrief> "
WELCOME = (
    "Newsbrief console. Paste an article link or type help. "
    "paste lets you paste a whole article (end with an empty line twice). Ctrl-D quits."
)
HELP_FOOTER = (
    "In the console a command may start with / or not. summarize FILE reads a saved page "
    "(.html) or text file (.txt, .md) on this computer; paste reads an article you paste; "
    "quit ends the chat."
)
MIN_PASTED_WORDS = 25
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


class ConsoleAdapter:
    """A chat in the terminal; it is also where scheduled console digests are printed."""

    platform = "console"

    def __init__(
        self,
        commands: Commands,
        *,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        channel: str = "console",
    ) -> None:
        self._commands = commands
        self._stdin = stdin
        self._out = stdout
        self._caller = Caller("console", channel, _user(), can_manage=True, tenant="console")
        self._lines: asyncio.Queue[str | None] = asyncio.Queue()
        commands.help_footers.setdefault("console", HELP_FOOTER)

    async def start(self) -> None:
        """Start reading stdin in a daemon thread (a blocked read must not stall shutdown)."""
        loop = asyncio.get_running_loop()

        def pump() -> None:
            for line in self._stdin:
                loop.call_soon_threadsafe(self._lines.put_nowait, line.rstrip("\n"))
            loop.call_soon_threadsafe(self._lines.put_nowait, None)

        threading.Thread(target=pump, name="console-stdin", daemon=True).start()

    async def run(self) -> None:
        """The chat loop; returns at end of input or on /quit."""
        self._write(WELCOME)
        while True:
            self._prompt()
            line = await self._lines.get()
            if line is None or line.strip().lstrip("/").lower() in {"quit", "exit"}:
                return
            for reply in await self.handle_line(line):
                self._show(reply)

    async def handle_line(self, line: str) -> list[Reply]:
        text = line.strip()
        if not text:
            return []
        command = text.removeprefix("/")
        name, _, rest = command.partition(" ")
        if name.lower() in {"paste", "summarize"} and not rest.strip():
            pasted = await self._read_paste()
            return [await self._commands.handle(Request(self._caller, f"summarize {pasted}"))]
        if name.lower() == "summarize" and (local := _local_file(rest)) is not None:
            return [await guard(self._summarize_file(*local))]
        short = len(text.split()) < MIN_PASTED_WORDS
        if text.startswith("/") or (short and self._commands.knows(name)):
            return [await self._commands.handle(Request(self._caller, command))]
        if find_links(text):
            return await self._commands.on_message(self._caller, text, addressed=True)
        if not short:
            return [await self._commands.handle(Request(self._caller, f"summarize {text}"))]
        return [Reply.failure("Paste an article link, type paste for article text, or help.")]

    async def _summarize_file(self, path: Path, sentences: int | None) -> Reply:
        """A file on this computer: only the console may read one, as its user asked."""
        settings = await self._commands.store.channel_settings("console", self._caller.channel)
        count = settings.sentences if sentences is None else sentences
        summarizer = self._commands.summarizer
        if path.suffix.lower() in HTML_SUFFIXES:
            page = await asyncio.to_thread(path.read_bytes)
            summary = await summarizer.summarize_html(page, sentences=count)
        else:
            text = await asyncio.to_thread(path.read_text, encoding="utf-8", errors="replace")
            summary = await summarizer.summarize_text(text, sentences=count)
        controls = await self._commands.expander.register(self._caller, summary)
        return Reply(summary=summary, language=settings.language, controls=controls)

    async def _read_paste(self) -> str:
        self._write("Paste the article; end with two empty lines (or Ctrl-D).")
        lines: list[str] = []
        while True:
            line = await self._lines.get()
            if line is None:
                # Ctrl-D ends the paste and the input: the chat loop must see the end too,
                # or it waits for a line that never comes.
                self._lines.put_nowait(None)
                return "\n".join(lines)
            if not line.strip() and lines and not lines[-1].strip():
                return "\n".join(lines)
            lines.append(line)

    async def send_digest(
        self, channel: str, digest: Digest, *, delivery_key: str, language: str
    ) -> str | None:
        self._write("\n" + render_digest(digest, "text", language))
        self._prompt()
        return delivery_key

    async def find_delivery(self, channel: str, delivery_key: str) -> str | None:
        return None  # a terminal keeps no history; the store's sent log is the record

    async def post_notice(self, channel: str, text: str) -> None:
        """Print a message of the bot's own (a figure alert, a paused digest's last word)."""
        self._write("\n" + text)
        self._prompt()

    async def aclose(self) -> None:
        return None

    def _show(self, reply: Reply) -> None:
        if reply.summary is not None:
            self._write(render_summary(reply.summary, "text", language=reply.language))
        elif reply.digest is not None:
            self._write(render_digest(reply.digest, "text", reply.language))
        elif reply.text:
            self._write(reply.text)

    def _prompt(self) -> None:
        if self._stdin.isatty():
            self._out.write(PROMPT)
            self._out.flush()

    def _write(self, text: str) -> None:
        # Text replies echo feed titles and user words too, not only rendered articles.
        self._out.write(terminal_safe(text).rstrip() + "\n")
        self._out.flush()


def _local_file(rest: str) -> tuple[Path, int | None] | None:
    """(the file, the sentence count) when ``summarize [N] FILE`` names a file that exists."""
    rest = rest.strip()
    if not rest or "\n" in rest or len(rest) > 4096:
        return None
    candidates: list[tuple[str, int | None]] = [(rest, None)]
    if (counted := re.fullmatch(r"(\d{1,2})\s+(.+)", rest)) is not None:
        candidates.insert(0, (counted[2], int(counted[1])))
    for name, sentences in candidates:
        path = Path(name).expanduser()
        try:
            if path.is_file():
                return path, sentences
        except OSError:  # a name too long or otherwise unusable is not a file
            continue
    return None


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "console"
