"""How often people may ask: per-user and per-channel windows (ratelimit), shared across
replicas (shared), and the hourly cap on unasked summaries (autocap)."""
