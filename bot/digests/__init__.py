"""Daily digests: feeds and their parsing, ingest, topic filter, building, delivery, scheduling."""
