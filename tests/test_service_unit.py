"""deploy/newsbrief.service: what the operations docs promise, and systemd accepts it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.runner import SHUTDOWN_GRACE_S

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "deploy" / "newsbrief.service"


def _directives(text: str) -> dict[str, dict[str, list[str]]]:
    """Section -> key -> values; systemd allows a key more than once, so values are lists."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = sections.setdefault(header[1], {})
            continue
        assert current is not None, f"directive outside a section: {line}"
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_unit_restarts_on_failure_and_stops_after_the_shutdown_grace() -> None:
    service = _directives(UNIT.read_text(encoding="utf-8"))["Service"]
    assert service["Restart"] == ["on-failure"]
    assert service["EnvironmentFile"] and service["StateDirectory"] == ["newsbrief"]
    assert float(service["TimeoutStopSec"][0]) > SHUTDOWN_GRACE_S
    environment = " ".join(service["Environment"])
    assert "MALLOC_ARENA_MAX=2" in environment
    assert "NEWSBRIEF_DB=/var/lib/newsbrief/" in environment  # inside the StateDirectory
    assert service["RestartPreventExitStatus"] == ["65 78"]  # not crash loops
    assert service["ExecStart"][0].endswith("/.venv/bin/newsbrief run")


def test_unit_is_hardened() -> None:
    service = _directives(UNIT.read_text(encoding="utf-8"))["Service"]
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "RestrictSUIDSGID": "yes",
    }.items():
        assert service.get(key) == [value], key
    assert service["CapabilityBoundingSet"] == [""]
    assert "User" in service and service["User"] != ["root"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    # verify checks that ExecStart exists, so point it at this interpreter for the check.
    text = UNIT.read_text(encoding="utf-8")
    text = re.sub(r"^ExecStart=.*$", f"ExecStart={sys.executable} -V", text, flags=re.M)
    text = re.sub(r"^WorkingDirectory=.*$", f"WorkingDirectory={tmp_path}", text, flags=re.M)
    copy = tmp_path / "newsbrief.service"
    copy.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    complaints = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        # No systemd is running in a container: that is about the machine, not the unit.
        if line.strip()
        and "System has not been booted with systemd" not in line
        and "Failed to connect to bus" not in line
    ]
    assert not complaints, complaints
