"""The PostgreSQL store's Slack installations (one bot token per workspace) and OAuth states."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import asyncpg

from bot.store.postgres.base import PgBase, ts, utc
from bot.store.records.installations import OAUTH_STATE_SECONDS, SlackInstallation

_COLUMNS = (
    "workspace, bot_token, team_id, team_name, enterprise_id, is_enterprise_install, bot_id, "
    "bot_user_id, scopes, installer, installed_at"
)


def installation_from_row(row: asyncpg.Record) -> SlackInstallation:
    return SlackInstallation(
        workspace=row["workspace"],
        bot_token=row["bot_token"],
        team_id=row["team_id"],
        team_name=row["team_name"],
        enterprise_id=row["enterprise_id"],
        is_enterprise_install=row["is_enterprise_install"],
        bot_id=row["bot_id"],
        bot_user_id=row["bot_user_id"],
        scopes=row["scopes"],
        installer=row["installer"],
        installed_at=utc(row["installed_at"]),
    )


class PgInstallationStore(PgBase):
    """Installations of the distributed Slack app, and the one-time ``state`` of each install."""

    async def save_slack_installation(self, installation: SlackInstallation) -> SlackInstallation:
        saved = replace(installation, installed_at=installation.installed_at or self._clock())
        async with self._transaction() as db:
            await db.execute(
                f"""INSERT INTO slack_installations ({_COLUMNS})
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT (workspace) DO UPDATE SET bot_token = excluded.bot_token,
                    team_id = excluded.team_id, team_name = excluded.team_name,
                    enterprise_id = excluded.enterprise_id,
                    is_enterprise_install = excluded.is_enterprise_install,
                    bot_id = excluded.bot_id, bot_user_id = excluded.bot_user_id,
                    scopes = excluded.scopes, installer = excluded.installer,
                    installed_at = excluded.installed_at""",
                saved.workspace,
                saved.bot_token,
                saved.team_id,
                saved.team_name,
                saved.enterprise_id,
                saved.is_enterprise_install,
                saved.bot_id,
                saved.bot_user_id,
                saved.scopes,
                saved.installer,
                ts(saved.installed_at),
            )
        return saved

    async def slack_installation(self, workspace: str) -> SlackInstallation | None:
        rows = await self._read(
            f"SELECT {_COLUMNS} FROM slack_installations WHERE workspace = $1", workspace
        )
        return installation_from_row(rows[0]) if rows else None

    async def delete_slack_installation(self, workspace: str) -> bool:
        async with self._transaction() as db:
            deleted = await db.fetch(
                "DELETE FROM slack_installations WHERE workspace = $1 RETURNING workspace",
                workspace,
            )
        return bool(deleted)

    async def save_oauth_state(self, state: str, *, at: datetime | None = None) -> None:
        expires = (at or self._clock()) + timedelta(seconds=OAUTH_STATE_SECONDS)
        async with self._transaction() as db:
            await db.execute(
                "INSERT INTO oauth_states (state, expires_at) VALUES ($1, $2)", state, ts(expires)
            )

    async def consume_oauth_state(self, state: str, *, at: datetime | None = None) -> bool:
        now = ts(at or self._clock())
        async with self._transaction() as db:
            expires = await db.fetchval(
                "DELETE FROM oauth_states WHERE state = $1 RETURNING expires_at", state
            )
            await db.execute("DELETE FROM oauth_states WHERE expires_at <= $1", now)
        return expires is not None and now is not None and expires > now
