"""Newsbrief's platform-neutral async core: fetching, extraction, use cases, storage."""
