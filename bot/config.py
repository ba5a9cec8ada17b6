"""Settings read from the environment (and an optional .env file) with pydantic-settings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.chat.limits.ratelimit import RateSetting

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_DB = Path("data/newsbrief.db")
# "scheme://" (RFC 3986 scheme); a Windows drive ("C:\\") has no "//" and stays a path.
_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


class Settings(BaseSettings):
    """Every knob of the bot; environment variables are the field names prefixed as shown."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # --- fetching (NEWSBRIEF_*) ---
    allow_private_networks: bool = Field(
        False,
        alias="NEWSBRIEF_ALLOW_PRIVATE_NETWORKS",
        description="UNSAFE on a public bot: lets fetches reach loopback and private addresses.",
    )
    fetch_timeout_s: float = Field(15.0, alias="NEWSBRIEF_FETCH_TIMEOUT", gt=0)
    max_page_bytes: int = Field(5 * 1024 * 1024, alias="NEWSBRIEF_MAX_PAGE_BYTES", gt=0)
    max_redirects: int = Field(5, alias="NEWSBRIEF_MAX_REDIRECTS", ge=0)
    max_concurrent_fetches: int = Field(8, alias="NEWSBRIEF_MAX_CONCURRENT_FETCHES", gt=0)
    user_agent: str = Field("Newsbrief/0.1 (news summary bot)", alias="NEWSBRIEF_USER_AGENT")

    # --- abuse limits on summaries (COUNT/WINDOW such as 5/60s, 20/1m, 100/h, or off) ---
    user_rate: RateSetting = Field(
        "5/60s",
        alias="NEWSBRIEF_USER_RATE",
        description="Summaries one person may ask for in a window (typed, pasted or menu).",
    )
    channel_rate: RateSetting = Field(
        "20/60s",
        alias="NEWSBRIEF_CHANNEL_RATE",
        description="Summaries one channel may ask for in a window, everyone together.",
    )

    auto_summaries_per_hour: int = Field(
        20,
        alias="NEWSBRIEF_AUTO_SUMMARIES_PER_HOUR",
        ge=1,
        description="Pasted links one channel gets summarized unasked (auto-summarize) per hour.",
    )

    # --- summaries ---
    sentences: int = Field(3, alias="NEWSBRIEF_SENTENCES", ge=1, le=10)
    method: str = Field("newsbrief", alias="NEWSBRIEF_METHOD")

    # --- digests ---
    feeds_file: Path | None = Field(
        None,
        alias="NEWSBRIEF_FEEDS",
        description="Feed list (one URL a line) that seeds an empty database; default: shipped.",
    )
    topics_dir: Path | None = Field(None, alias="NEWSBRIEF_TOPICS_DIR")
    poll_minutes: float = Field(15.0, alias="NEWSBRIEF_POLL_MINUTES", gt=0)
    digest_stories: int = Field(8, alias="NEWSBRIEF_DIGEST_STORIES", ge=1, le=30)
    default_timezone: str = Field(
        "UTC",
        alias="NEWSBRIEF_DEFAULT_TIMEZONE",
        description="Time zone of a subscribe that names none (an IANA key such as "
        "America/Mexico_City or EST).",
    )

    # --- logs ---
    log_level: str | None = Field(
        None,
        alias="NEWSBRIEF_LOG_LEVEL",
        description="DEBUG, INFO, WARNING or ERROR for Newsbrief's own loggers; empty: INFO for "
        "`run`, WARNING for one-off commands.",
    )
    log_format: Literal["text", "json"] = Field("text", alias="NEWSBRIEF_LOG_FORMAT")

    # --- storage ---
    db_path: Path = Field(DEFAULT_DB, alias="NEWSBRIEF_DB")
    # NEWSBRIEF_DB=postgresql://user:pass@host/db: the same variable, read a second time; a
    # secret (it may hold a password). Set, it is the database; db_path then stays the default
    # and only places the console's log file.
    db_url: SecretStr | None = Field(None, alias="NEWSBRIEF_DB")
    keep_days: int = Field(
        30,
        alias="NEWSBRIEF_KEEP_DAYS",
        ge=3,
        description="Days article texts and summaries are kept; the sent log is kept for good.",
    )

    # --- HTTP server for Slack's Events API ---
    http_host: str = Field("127.0.0.1", alias="NEWSBRIEF_HTTP_HOST")
    http_port: int = Field(3000, alias="NEWSBRIEF_HTTP_PORT", ge=0, le=65535)

    # --- platforms (secrets are SecretStr so they never show in logs or reprs) ---
    slack_api_url: str = Field("https://slack.com/api/", alias="SLACK_API_URL")
    slack_managers: str = Field(
        "",
        alias="SLACK_MANAGERS",
        description="Comma-separated Slack user ids who may change subscriptions, feeds and "
        "settings; empty: the workspace's admins and owners.",
    )
    discord_api_url: str = Field("https://discord.com/api/v10", alias="DISCORD_API_URL")
    discord_gateway_url: str | None = Field(None, alias="DISCORD_GATEWAY_URL")
    discord_guild_ids: str = Field("", alias="DISCORD_GUILD_IDS")
    discord_state_file: Path = Field(
        Path("data/discord-commands.json"),
        alias="DISCORD_STATE_FILE",
        description="Remembers the last command sync, so restarts do not sync again.",
    )
    discord_shards: int | Literal["auto"] | None = Field(
        None,
        alias="NEWSBRIEF_DISCORD_SHARDS",
        description="Gateway shards (Discord requires them from 2,500 servers): a number, or "
        "auto for the count Discord recommends; unset: one connection.",
    )
    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    # The distributed Slack app (OAuth install flow, docs/slack.md): used when both are set and
    # SLACK_BOT_TOKEN is not; each workspace's token is then kept in the database.
    slack_client_id: str | None = Field(None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(None, alias="SLACK_CLIENT_SECRET")
    slack_scopes: str = Field(
        "commands,chat:write,channels:history,groups:history,users:read,channels:read,groups:read",
        alias="SLACK_SCOPES",
        description="Bot scopes an install asks for (the manifest's).",
    )
    slack_redirect_uri: str | None = Field(
        None,
        alias="SLACK_REDIRECT_URI",
        description="https://your-host/slack/oauth_redirect; unset: the app's first redirect URL.",
    )
    discord_token: SecretStr | None = Field(None, alias="DISCORD_TOKEN")

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "slack_client_id",
        "slack_client_secret",
        "slack_redirect_uri",
        "discord_token",
        "discord_gateway_url",
        "feeds_file",
        "topics_dir",
        "log_level",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # `SLACK_BOT_TOKEN=` in .env means "not configured", not an empty token or path.
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def slack_oauth(self) -> bool:
        """Whether Slack runs as a distributed app (OAuth installs) rather than on one token."""
        return (
            self.slack_bot_token is None
            and self.slack_client_id is not None
            and self.slack_client_secret is not None
        )

    @property
    def database(self) -> str | Path:
        """What ``open_store`` opens: the PostgreSQL address (a secret: never log it), else the
        SQLite file."""
        return self.db_url.get_secret_value() if self.db_url is not None else self.db_path

    @property
    def database_name(self) -> str:
        """The database for logs and messages: the file, or the server and database name."""
        if self.db_url is None:
            return str(self.db_path)
        from urllib.parse import urlsplit

        parts = urlsplit(self.db_url.get_secret_value())
        port = f":{parts.port}" if parts.port else ""
        return f"PostgreSQL {parts.hostname or 'local socket'}{port}{parts.path or '/'}"

    @field_validator("db_path", mode="before")
    @classmethod
    def _database_url(cls, value: object) -> object:
        if isinstance(value, str) and postgres_url(value) is not None:
            return DEFAULT_DB  # the server is db_url's
        return database_path(value) if isinstance(value, str) else value

    @field_validator("db_url", mode="before")
    @classmethod
    def _postgres_url(cls, value: object) -> object:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        return postgres_url(value) if isinstance(value, str) else value

    @field_validator("db_path")
    @classmethod
    def _database_file(cls, path: Path) -> Path:
        return usable_database_file(path)

    @field_validator("method")
    @classmethod
    def _known_method(cls, value: str) -> str:
        name = value.strip().lower()
        if name == "newsbrief":
            return name
        # Imported only for another method: it loads sumy and numpy (about a second).
        from summarizers.ranking.methods import METHODS

        if name not in METHODS:
            raise ValueError(f"must be one of {', '.join(METHODS)}")
        return name

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from bot.chat.parsing import zone_key  # the same spellings subscribe accepts

        key = zone_key(value.strip())
        if key is None:
            raise ValueError("must be an IANA time zone such as UTC, EST or America/Mexico_City")
        return key

    @field_validator("user_agent")
    @classmethod
    def _one_header_line(cls, value: str) -> str:
        # A line break would end the header: every fetch failed with an "unexpected error".
        if not value.strip() or not value.isprintable():
            raise ValueError("must be one line of printable text, like Newsbrief/0.1")
        return value.strip()

    @field_validator("discord_shards", mode="before")
    @classmethod
    def _shard_count(cls, value: object) -> object:
        if value is None or (type(value) is int and value > 0):
            return value
        text = str(value).strip().lower()
        if not text:
            return None
        if text == "auto":
            return "auto"
        if text.isascii() and text.isdigit() and int(text) > 0:  # not "٣", which int() reads
            return int(text)
        raise ValueError("must be auto or a number of shards from 1 up")

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if value.strip().upper() not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value.strip().upper()


def postgres_url(value: str) -> str | None:
    """NEWSBRIEF_DB as a PostgreSQL address (``postgres://`` is PostgreSQL's own alias), or None
    for anything else. asyncpg reads the URL itself; a driver suffix is SQLAlchemy's spelling."""
    text = value.strip()
    scheme = _URL_SCHEME.match(text)
    if scheme is None:
        return None
    name = scheme[1].lower()
    if name in {"postgres", "postgresql"}:
        return "postgresql://" + text[len(scheme[0]) :]
    if name.startswith("postgresql+"):
        raise ValueError(
            "write the PostgreSQL address as postgresql://user:password@host/database "
            "(no +driver suffix)"
        )
    return None


def database_path(value: str) -> Path:
    """NEWSBRIEF_DB as a SQLite file path: a plain path, ``sqlite:///rel.db`` or
    ``sqlite:////abs/a.db`` (a PostgreSQL address is ``postgres_url``'s). Any other URL is
    refused before ``Path`` could collapse its ``//`` and create a file named after it
    (credentials included)."""
    text = value.strip()
    if not text:
        return DEFAULT_DB
    scheme = _URL_SCHEME.match(text)
    if scheme is None:
        return Path(text).expanduser()  # "~/nb.db" in .env is not expanded by any shell
    name = scheme[1].lower()
    rest = text[len(scheme[0]) :]  # after "sqlite://": "/rel.db" or "//abs/a.db"
    if name == "sqlite":
        if rest.startswith("/") and rest not in {"/", "/:memory:"} and "?" not in rest:
            return Path(rest[1:]).expanduser()
        raise ValueError(
            "a sqlite:/// URL must name a database file, like sqlite:///data/newsbrief.db "
            "(no in-memory database, no options)"
        )
    # Never echo the URL: it may hold a password.
    raise ValueError(
        "must be a SQLite file path such as data/newsbrief.db, a sqlite:/// URL, or a "
        "postgresql://user:password@host/database address"
    )


def usable_database_file(path: Path) -> Path:
    """``path`` unless it is a folder or sits under a file (SQLite would fail on first use)."""
    if path.is_dir():
        raise ValueError(
            f"{path} is a folder; set NEWSBRIEF_DB to a database file in it, such as "
            f"{path / 'newsbrief.db'}"
        )
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ValueError(f"{path} cannot be created because {parent} is a file")
            break
    return path


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with keyword overrides (by field name)."""
    base = Settings()
    return base.model_copy(update=overrides) if overrides else base


def listen_failure(settings: Settings, error: OSError) -> str:
    """One sentence for a server that cannot listen on NEWSBRIEF_HTTP_HOST:NEWSBRIEF_HTTP_PORT."""
    where = f"{settings.http_host}:{settings.http_port}"
    reason = error.strerror or str(error)
    return (
        f"Cannot listen on {where} ({reason}); set NEWSBRIEF_HTTP_PORT (or NEWSBRIEF_HTTP_HOST) "
        "to a free address."
    )
