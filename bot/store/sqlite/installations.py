"""The SQLite store's Slack installations (one bot token per workspace) and OAuth states."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

from bot.store.records.installations import OAUTH_STATE_SECONDS, SlackInstallation
from bot.store.sqlite.base import SQLiteBase
from bot.store.sqlite.schema import from_db_time, to_db_time

_COLUMNS = (
    "workspace, bot_token, team_id, team_name, enterprise_id, is_enterprise_install, bot_id, "
    "bot_user_id, scopes, installer, installed_at"
)


def installation_from_row(row: sqlite3.Row) -> SlackInstallation:
    return SlackInstallation(
        workspace=row["workspace"],
        bot_token=row["bot_token"],
        team_id=row["team_id"],
        team_name=row["team_name"],
        enterprise_id=row["enterprise_id"],
        is_enterprise_install=bool(row["is_enterprise_install"]),
        bot_id=row["bot_id"],
        bot_user_id=row["bot_user_id"],
        scopes=row["scopes"],
        installer=row["installer"],
        installed_at=from_db_time(row["installed_at"]),
    )


class SQLiteInstallationStore(SQLiteBase):
    """Installations of the distributed Slack app, and the one-time ``state`` of each install."""

    async def save_slack_installation(self, installation: SlackInstallation) -> SlackInstallation:
        saved = replace(installation, installed_at=installation.installed_at or self._clock())
        async with self._transaction() as db:
            await db.execute(
                f"""INSERT OR REPLACE INTO slack_installations ({_COLUMNS})
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    saved.workspace,
                    saved.bot_token,
                    saved.team_id,
                    saved.team_name,
                    saved.enterprise_id,
                    int(saved.is_enterprise_install),
                    saved.bot_id,
                    saved.bot_user_id,
                    saved.scopes,
                    saved.installer,
                    to_db_time(saved.installed_at),
                ),
            )
        return saved

    async def slack_installation(self, workspace: str) -> SlackInstallation | None:
        rows = await self._read(
            f"SELECT {_COLUMNS} FROM slack_installations WHERE workspace = ?", (workspace,)
        )
        return installation_from_row(rows[0]) if rows else None

    async def delete_slack_installation(self, workspace: str) -> bool:
        async with self._transaction() as db:
            rows = await db.execute_fetchall(
                "DELETE FROM slack_installations WHERE workspace = ? RETURNING workspace",
                (workspace,),
            )
        return bool(list(rows))

    async def save_oauth_state(self, state: str, *, at: datetime | None = None) -> None:
        expires = (at or self._clock()) + timedelta(seconds=OAUTH_STATE_SECONDS)
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO oauth_states (state, expires_at) VALUES (?, ?)",
                (state, to_db_time(expires)),
            )

    async def consume_oauth_state(self, state: str, *, at: datetime | None = None) -> bool:
        now = to_db_time(at or self._clock()) or ""
        async with self._transaction() as db:
            rows = list(
                await db.execute_fetchall(
                    "DELETE FROM oauth_states WHERE state = ? RETURNING expires_at", (state,)
                )
            )
            await db.execute("DELETE FROM oauth_states WHERE expires_at <= ?", (now,))
        return bool(rows) and rows[0][0] > now
