"""Console chat: talk to the bot in a terminal, with the same commands as Slack and Discord."""

from __future__ import annotations

import asyncio
import getpass
import sys
import threading
from typing import TextIO

from adapters.console_render import render_digest, render_summary, terminal_safe
from bot.chat.commands import Commands, find_links
from bot.chat.requests import Caller, Reply, Request
from bot.models import Digest

PROMPT = "newsbrief> "
WELCOME = (
    "Newsbrief console. Paste an article link or type /help. "
    "/paste lets you paste a whole article (end with an empty line twice). Ctrl-D quits."
)
MIN_PASTED_WORDS = 25


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
            if line is None or line.strip() in {"/quit", "/exit"}:
                return
            for reply in await self.handle_line(line):
                self._show(reply)

    async def handle_line(self, line: str) -> list[Reply]:
        text = line.strip()
        if not text:
            return []
        if text == "/paste" or text == "/summarize":
            pasted = await self._read_paste()
            return [await self._commands.handle(Request(self._caller, f"summarize {pasted}"))]
        if text.startswith("/"):
            return [await self._commands.handle(Request(self._caller, text[1:]))]
        if find_links(text):
            return await self._commands.on_message(self._caller, text, addressed=True)
        if len(text.split()) >= MIN_PASTED_WORDS:
            return [await self._commands.handle(Request(self._caller, f"summarize {text}"))]
        return [Reply.failure("Paste an article link, use /paste for article text, or /help.")]

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


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "console"
