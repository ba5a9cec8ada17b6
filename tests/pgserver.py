"""A throwaway PostgreSQL server for tests: its own cluster in a temp folder, a Unix socket only.

The server binaries come from the system (Debian's ``postgresql`` package; `.ci/run` installs
it when missing). Nothing listens on TCP, and fsync is off: the data is thrown away at the end.
PostgreSQL refuses to run as root, so under root the cluster belongs to the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PgServer", "PgUnavailable", "find_server_binaries"]

SERVER_USER = "postgres"  # the system account Debian's package creates
ROLE = "newsbrief"


class PgUnavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message says why."""


def find_server_binaries() -> Path:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's newest version folder."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(os.path.realpath(on_path)).parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key)
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    raise PgUnavailable("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")


def _version_key(folder: str) -> tuple[int, ...]:
    version = Path(folder).parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


class PgServer:
    """Start with ``start()``, stop with ``stop()``; ``dsn(database)`` names a database on it."""

    def __init__(self) -> None:
        self.bin = find_server_binaries()
        self.root = Path(tempfile.mkdtemp(prefix="newsbrief-pg-"))
        self.data = self.root / "data"
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam(SERVER_USER)
            except KeyError as err:
                raise PgUnavailable(
                    f"running as root and there is no {SERVER_USER!r} user"
                ) from err
            os.chown(self.root, account.pw_uid, account.pw_gid)
            runuser = shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin")
            if runuser is None:
                raise PgUnavailable("running as root and there is no runuser to drop to postgres")
            self._as_user = [runuser, "-u", SERVER_USER, "--"]

    def _run(self, *command: str) -> None:
        result = subprocess.run(
            [*self._as_user, *command], capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            raise PgUnavailable(f"{Path(command[0]).name} failed: {result.stderr.strip()[-500:]}")

    def start(self) -> PgServer:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", ROLE, "--auth=trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        options = f"-k {self.root} -c listen_addresses='' -F -c max_connections=200"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.root / "server.log"), "-w", "-t", "60", "start",
        )  # fmt: skip
        return self

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{ROLE}@/{database}?host={self.root}"

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        except PgUnavailable:
            pass  # already gone; the folder still goes
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
