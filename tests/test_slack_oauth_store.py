"""The store contract for Slack installations and OAuth states, on every backend in
``store_fixtures.BACKENDS``: an installation comes back whole under its workspace, a reinstall
replaces it, a deletion forgets it, and a state is good once and only until it expires."""

from __future__ import annotations

from datetime import timedelta

from store_fixtures import T0, store

from bot.store import Store
from bot.store.records.installations import (
    OAUTH_STATE_SECONDS,
    SlackInstallation,
    workspace_key,
)

__all__ = ["store"]  # the fixture, imported for pytest


def installation(workspace: str = "T1", token: str = "xoxb-T1-secret") -> SlackInstallation:
    return SlackInstallation(
        workspace=workspace,
        bot_token=token,
        team_id=workspace,
        team_name="Newsroom",
        bot_id="B1",
        bot_user_id="U0BOT",
        scopes="commands,chat:write",
        installer="U0ADMIN",
    )


async def test_an_installation_comes_back_whole_under_its_workspace(store: Store) -> None:
    saved = await store.save_slack_installation(installation())
    assert saved.installed_at == T0
    assert await store.slack_installation("T1") == saved
    assert await store.slack_installation("T2") is None


async def test_a_reinstall_replaces_the_token_and_a_deletion_forgets_it(store: Store) -> None:
    await store.save_slack_installation(installation())
    await store.save_slack_installation(installation("T2", "xoxb-T2-secret"))
    await store.save_slack_installation(installation(token="xoxb-T1-new"))
    found = await store.slack_installation("T1")
    assert found is not None and found.bot_token == "xoxb-T1-new"
    assert await store.delete_slack_installation("T1") is True
    assert await store.delete_slack_installation("T1") is False
    assert await store.slack_installation("T1") is None
    other = await store.slack_installation("T2")
    assert other is not None and other.bot_token == "xoxb-T2-secret"


async def test_an_org_wide_install_is_kept_under_its_enterprise(store: Store) -> None:
    key = workspace_key("T9", "E1", True)
    assert key == "E1" and workspace_key("T9", "E1", False) == "T9"
    await store.save_slack_installation(
        SlackInstallation(workspace="E1", bot_token="xoxb-E1", enterprise_id="E1",
                          is_enterprise_install=True)
    )  # fmt: skip
    found = await store.slack_installation("E1")
    assert found is not None and found.is_enterprise_install and found.team_id is None


def test_the_token_never_shows_in_a_record_repr() -> None:
    assert "xoxb" not in repr(installation())


async def test_a_state_is_good_once_and_only_until_it_expires(store: Store) -> None:
    await store.save_oauth_state("s-good", at=T0)
    await store.save_oauth_state("s-late", at=T0)
    assert await store.consume_oauth_state("s-good", at=T0 + timedelta(seconds=60)) is True
    assert await store.consume_oauth_state("s-good", at=T0 + timedelta(seconds=61)) is False
    late = T0 + timedelta(seconds=OAUTH_STATE_SECONDS + 1)
    assert await store.consume_oauth_state("s-late", at=late) is False
    assert await store.consume_oauth_state("never-issued", at=T0) is False
