"""The ``Adapter`` protocol: what `newsbrief run` needs of every chat platform it starts."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.digests.delivery import DigestSink
from bot.store import Platform


@runtime_checkable
class Adapter(DigestSink, Protocol):
    """A chat platform, started and stopped by the runner, that also posts digests.

    An adapter is built with a complete ``bot.chat.commands.Commands`` and only translates: it
    turns platform events into ``Request``s and ``Reply``s into platform messages. ``start``
    returns once the adapter serves (raising ``ConfigurationError`` or ``PlatformError`` when it
    cannot); ``aclose`` finishes acknowledged work and may be called twice. ``send_digest`` and
    ``find_delivery`` come from ``DigestSink``.
    """

    @property
    def platform(self) -> Platform: ...

    async def start(self) -> None: ...

    async def aclose(self) -> None: ...
