"""Liveness and readiness of the running bot: named checks that /readyz reports one by one."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Probe = Callable[[], "tuple[bool, str] | Awaitable[tuple[bool, str]]"]
PROBE_TIMEOUT_S = 2.0


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One readiness check: its name, whether it passed, and what was seen."""

    name: str
    ok: bool
    detail: str


class Health:
    """Readiness probes registered by the parts of the bot as they start."""

    def __init__(self) -> None:
        self._probes: dict[str, Probe] = {}
        self.started_at = time.monotonic()

    def add(self, name: str, probe: Probe) -> None:
        """Register (or replace) the check ``name``; ``probe`` returns (ok, detail)."""
        self._probes[name] = probe

    def remove(self, name: str) -> None:
        self._probes.pop(name, None)

    async def readiness(self) -> list[CheckResult]:
        """Every check, each bounded by PROBE_TIMEOUT_S; a probe that raises is a failed check."""
        return [await self._run(name, probe) for name, probe in list(self._probes.items())]

    @staticmethod
    async def _run(name: str, probe: Probe) -> CheckResult:
        try:
            outcome = probe()
            if inspect.isawaitable(outcome):
                outcome = await asyncio.wait_for(outcome, PROBE_TIMEOUT_S)
            ok, detail = outcome  # type: ignore[misc]
        except TimeoutError:
            return CheckResult(name, False, f"no answer within {PROBE_TIMEOUT_S:g} s")
        except Exception as err:  # a broken dependency is a failed check, not a crashed server
            return CheckResult(name, False, f"{type(err).__name__}: {err}")
        return CheckResult(name, bool(ok), detail)
