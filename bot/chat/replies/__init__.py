"""The answers of the commands beyond summarize and digest: subscribe, subscriptions, feeds,
filters, search, watch, and the summary buttons (expand)."""
