"""Figure alerts: a channel watches a counted noun (deaths, llegadas) in newly ingested news."""
