"""Newsbrief's exceptions: each carries one sentence a chat user can read.

NewsbriefError
├── FetchError
│   ├── UnsafeURLError        scheme, credentials, private/loopback address, bad port
│   ├── TooManyRedirectsError
│   ├── FetchTimeoutError
│   ├── TooLargeError
│   ├── UnsupportedContentError   PDF, image, video, ...
│   └── HTTPStatusError       404, 403 (paywall), 500, ...
├── ExtractionError           the page has no article text
├── InputError                a request the bot cannot make sense of
├── ConfigurationError        a setting is missing or wrong (no token, a token the platform refuses)
└── PlatformError             Slack or Discord cannot be reached, or an adapter is not running

Adapters raise only the last two of their own, so ``newsbrief run`` (and anyone embedding an
adapter) catches one tree whatever the platform.
"""

from __future__ import annotations


class NewsbriefError(Exception):
    """Root of every error the bot reports to a user; ``str(err)`` is the one-sentence message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FetchError(NewsbriefError):
    """The article could not be downloaded."""


class UnsafeURLError(FetchError):
    """The URL points somewhere the bot must not go."""


class TooManyRedirectsError(FetchError):
    """The URL redirected more often than allowed."""


class FetchTimeoutError(FetchError):
    """The server did not answer within the time limit."""


class TooLargeError(FetchError):
    """The response exceeded the size limit."""


class UnsupportedContentError(FetchError):
    """The response is not a web page or plain text."""


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, message: str, status: int, body: bytes = b"") -> None:
        super().__init__(message)
        self.status = status
        self.body = body  # the page sent with 401/402/403/451, to tell a wall from a refusal


class ExtractionError(NewsbriefError):
    """No article text could be found."""


class InputError(NewsbriefError):
    """The request itself is unusable."""


class ConfigurationError(NewsbriefError):
    """A setting is missing or wrong; the message names the setting to fix."""


class PlatformError(NewsbriefError):
    """A chat platform could not be reached or stopped answering (or the adapter is stopped)."""
