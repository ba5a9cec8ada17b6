"""Chat commands: the platform-neutral command layer, requests, rate limits and reply labels."""
