"""Fetching pages safely and reading them: SSRF-guarded HTTP, article extraction, URLs, language."""
