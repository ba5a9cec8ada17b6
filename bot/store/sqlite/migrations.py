"""The SQLite schema's steps, in order: each migration's statements (``schema`` applies them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step; ``version`` is its position (1-based) in ``MIGRATIONS``."""

    version: int
    description: str
    statements: tuple[str, ...]  # run one by one: executescript would commit mid-transaction


_V1_TABLES = (
    """CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        canonical_url TEXT NOT NULL UNIQUE,  -- as the page declared it (else url)
        content_hash TEXT NOT NULL UNIQUE,  -- bot.web.urls.content_hash of text
        title TEXT,
        byline TEXT,
        source TEXT,
        published TEXT,
        lang TEXT NOT NULL,
        text TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        topic_score REAL
    )""",
    # Same expression as in articles_since, so that query can use it.
    "CREATE INDEX articles_by_time ON articles (coalesce(published, fetched_at))",
    # Every URL, canonical URL and feed GUID that led to an article, in bot.web.urls.canonical_url
    # form; the canonical URL's key is what makes an article unique by URL.
    """CREATE TABLE article_keys (
        key TEXT PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
    ) WITHOUT ROWID""",
    "CREATE INDEX article_keys_by_article ON article_keys (article_id)",
    """CREATE TABLE summaries (
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        method TEXT NOT NULL,
        lang TEXT NOT NULL,
        sentences TEXT NOT NULL,  -- JSON array of strings, document order
        figures TEXT NOT NULL,    -- JSON array of KeyFigure objects, most important first
        created_at TEXT NOT NULL,
        PRIMARY KEY (article_id, method)
    )""",
    """CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        name TEXT,
        etag TEXT,
        last_modified TEXT,
        last_success TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        next_attempt TEXT
    )""",
    """CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL CHECK (platform IN ('slack', 'discord', 'console')),
        channel TEXT NOT NULL,
        topic TEXT NOT NULL,
        local_time TEXT NOT NULL,
        timezone TEXT NOT NULL,
        sentences INTEGER NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        UNIQUE (platform, channel, topic)
    )""",
    """CREATE TABLE channel_settings (
        platform TEXT NOT NULL CHECK (platform IN ('slack', 'discord', 'console')),
        channel TEXT NOT NULL,
        sentences INTEGER NOT NULL,
        auto_summarize INTEGER NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('en', 'es')),
        PRIMARY KEY (platform, channel)
    )""",
    # The sent log: one row per digest (channel, topic, day), whatever happens.
    """CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        channel TEXT NOT NULL,
        topic TEXT NOT NULL,
        digest_date TEXT NOT NULL,
        delivery_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL,
        message_ref TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        UNIQUE (platform, channel, topic, digest_date)
    )""",
    "CREATE INDEX deliveries_pending ON deliveries (state) WHERE state = 'pending'",
    """CREATE TABLE sent_articles (
        platform TEXT NOT NULL,
        channel TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        sent_at TEXT NOT NULL,
        PRIMARY KEY (platform, channel, article_id)
    ) WITHOUT ROWID""",
)

# A pending delivery's lease: which attempt holds it and until when (renewed while it sends).
# A live lease is never taken over; an expired one is (its sender died).
_V2_DELIVERY_LEASE = (
    "ALTER TABLE deliveries ADD COLUMN lease_owner TEXT",
    "ALTER TABLE deliveries ADD COLUMN lease_until TEXT",
)

# Tenants (a Slack workspace, a Discord server, the console): each has its own feed list, seeded
# from the operator's (tenant "*") the first time it is used; ``feeds`` stays the one shared
# fetch state per URL. ``article_feeds`` says which feeds brought an article, so a tenant's
# digest shows only its feeds' articles (those stored before this step came from no feed).
_V3_TENANTS = (
    """CREATE TABLE tenant_feeds (
        tenant TEXT NOT NULL,
        url TEXT NOT NULL REFERENCES feeds (url) ON DELETE CASCADE,
        PRIMARY KEY (tenant, url)
    ) WITHOUT ROWID""",
    "CREATE INDEX tenant_feeds_by_url ON tenant_feeds (url)",
    "CREATE TABLE tenants (tenant TEXT PRIMARY KEY, seeded_at TEXT NOT NULL) WITHOUT ROWID",
    """CREATE TABLE article_feeds (
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        feed_url TEXT NOT NULL,
        PRIMARY KEY (article_id, feed_url)
    ) WITHOUT ROWID""",
    "ALTER TABLE subscriptions ADD COLUMN tenant TEXT",
    "INSERT INTO tenant_feeds (tenant, url) SELECT '*', url FROM feeds",
)

# The buttons under a summary message (More, Figures, Sources) carry only ``key``, a random
# token; the rest is here: who may use it (platform, tenant, channel) and the article text and
# shown sentences the answers are computed from. Pruning empties ``text`` and ``shown``.
_V4_SUMMARY_CONTROLS = (
    """CREATE TABLE summary_controls (
        key TEXT PRIMARY KEY,
        platform TEXT NOT NULL,
        tenant TEXT NOT NULL,
        channel TEXT NOT NULL,
        title TEXT,
        url TEXT,
        canonical_url TEXT,
        source TEXT,
        published TEXT,
        lang TEXT NOT NULL,
        method TEXT NOT NULL,
        text TEXT NOT NULL,
        shown TEXT NOT NULL,  -- JSON array: the lead and bullets as shown, in order
        created_at TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX summary_controls_by_time ON summary_controls (created_at)",
)

# Figure alerts (bot.alerts): a channel's watches, each of one tenant, and every figure a watch
# matched; a row with ``alerted`` is the claim that its alert went out (never posted twice).
_V5_WATCHES = (
    """CREATE TABLE watches (
        id INTEGER PRIMARY KEY,
        tenant TEXT NOT NULL,
        platform TEXT NOT NULL,
        channel TEXT NOT NULL,
        what TEXT NOT NULL,
        place TEXT,
        condition TEXT CHECK (condition IN ('above', 'below', 'change')),
        threshold REAL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX watches_by_channel ON watches (tenant, platform, channel)",
    """CREATE TABLE watch_hits (
        watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        value REAL NOT NULL,
        surface TEXT NOT NULL,
        period TEXT,
        lang TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        alerted INTEGER NOT NULL,
        PRIMARY KEY (watch_id, article_id)
    )""",
    "CREATE INDEX watch_hits_by_time ON watch_hits (watch_id, seen_at)",
)

# Quiet first sync: when a tenant added a feed to its list; its digests take that feed's items
# only from then on (less an hour's grace). NULL: listed before this step, or copied from the
# operator's starting list, so it counts from the start.
_QUIET_SYNC = ("ALTER TABLE tenant_feeds ADD COLUMN added_at TEXT",)

# Story updates (bot.digests.builder): a pending digest keeps what its attempt is posting (the
# article ids and stories, JSON), so a digest found already posted after a crash logs those, not
# a rebuilt digest's; ``delivered_stories`` is what each channel was shown of each story, and
# under which message, so new coverage is shown once as an update threaded under that post.
_STORY_UPDATES = (
    "ALTER TABLE deliveries ADD COLUMN tenant TEXT",
    "ALTER TABLE deliveries ADD COLUMN planned_articles TEXT",
    "ALTER TABLE deliveries ADD COLUMN planned_stories TEXT",
    """CREATE TABLE delivered_stories (
        tenant TEXT NOT NULL,
        platform TEXT NOT NULL,
        channel TEXT NOT NULL,
        story_key TEXT NOT NULL,
        headline TEXT NOT NULL,
        article_ids TEXT NOT NULL,  -- JSON array of article ids shown in the channel
        outlets TEXT NOT NULL,      -- JSON array, in the order first shown
        figures TEXT NOT NULL,      -- JSON array of KeyFigure objects (+ lang) last shown
        message_ref TEXT,           -- the post that first showed it: updates reply under it
        delivery_id INTEGER REFERENCES deliveries (id) ON DELETE SET NULL,
        first_sent TEXT NOT NULL,
        last_sent TEXT NOT NULL,
        PRIMARY KEY (tenant, platform, channel, story_key)
    ) WITHOUT ROWID""",
    """CREATE INDEX delivered_stories_recent
        ON delivered_stories (tenant, platform, channel, last_sent)""",
)

# Channel filters (bot.digests.filters): include and exclude terms of one channel's digest of
# one topic; a term typed twice is one row.
_CHANNEL_FILTERS = (
    """CREATE TABLE channel_filters (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        channel TEXT NOT NULL,
        topic TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('include', 'exclude')),
        kind TEXT NOT NULL CHECK (kind IN ('word', 'phrase', 'regex', 'figure')),
        value TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (platform, channel, topic, mode, kind, value)
    )""",
)

# Archive search (bot.store.sqlite.search): an FTS5 index of each article's title and text,
# stored once (external content), kept in step by triggers, built here for the rows already
# there. Porter stems English endings; accents are ignored ("Mexico" finds "México").
_ARTICLE_SEARCH = (
    """CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles',
        content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
)

# Quiet first sync, for items without a date: the keys of the undated items a feed listed when
# a tenant added it (a JSON array), which its digests then never take from that feed.
_QUIET_UNDATED = ("ALTER TABLE tenant_feeds ADD COLUMN undated_at_add TEXT",)

# The distributed Slack app (adapters/slack/oauth.py): one bot token per workspace, stored under
# the team id (the enterprise id for an org-wide install), and the one-time state of each install.
_SLACK_INSTALLS = (
    """CREATE TABLE slack_installations (
        workspace TEXT PRIMARY KEY,
        bot_token TEXT NOT NULL,
        team_id TEXT,
        team_name TEXT,
        enterprise_id TEXT,
        is_enterprise_install INTEGER NOT NULL DEFAULT 0,
        bot_id TEXT,
        bot_user_id TEXT,
        scopes TEXT NOT NULL DEFAULT '',
        installer TEXT,
        installed_at TEXT NOT NULL
    )""",
    """CREATE TABLE oauth_states (
        state TEXT PRIMARY KEY,
        expires_at TEXT NOT NULL
    ) WITHOUT ROWID""",
)

# Issue 15: what several `run` processes on one database share (bot/store/sqlite/leases.py).
_REPLICA_LEASES = (
    """CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE rate_hits (
        key TEXT NOT NULL,
        at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    )""",
    "CREATE INDEX rate_hits_by_key ON rate_hits (key, at)",
    "CREATE INDEX rate_hits_by_expiry ON rate_hits (expires_at)",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, summaries, feeds, subscriptions, settings, sent log", _V1_TABLES),
    Migration(2, "a lease on each pending delivery", _V2_DELIVERY_LEASE),
    Migration(3, "a feed list per tenant, the feeds each article came from", _V3_TENANTS),
    Migration(4, "what the buttons under a summary answer from", _V4_SUMMARY_CONTROLS),
    Migration(5, "figure alerts: watches and the figures they matched", _V5_WATCHES),
    Migration(6, "when each tenant added each feed (quiet first sync)", _QUIET_SYNC),
    Migration(7, "story updates: a digest's plan, the stories each channel got", _STORY_UPDATES),
    Migration(8, "channel filters: include and exclude terms", _CHANNEL_FILTERS),
    Migration(9, "full-text search of articles (FTS5)", _ARTICLE_SEARCH),
    Migration(10, "the undated items a feed listed when a tenant added it", _QUIET_UNDATED),
    Migration(11, "Slack installations (distributed app) and OAuth states", _SLACK_INSTALLS),
    Migration(12, "leases and rate windows shared by replicas", _REPLICA_LEASES),
)
LATEST_VERSION = len(MIGRATIONS)
