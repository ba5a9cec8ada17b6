"""The SQLite store (the embedded default): ``SQLiteStore``, its migrations and its mixins.

``store`` assembles the class from one mixin per area (``base``: the connection and writes;
``channels``, ``tenants``, ``alerts``, ``filters``, ``search``, ``stories``, ``controls``,
``installations``, ``leases``); ``schema`` holds the ordered migrations and the time codec.
"""

from bot.store.sqlite.store import SQLiteStore

__all__ = ["SQLiteStore"]
