"""Canonical URLs and text fingerprints, so the same story from two links or two feeds is one."""

from __future__ import annotations

import hashlib
import ipaddress
import re
import unicodedata
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

import idna

__all__ = ["canonical_url", "content_hash", "link_host", "link_target"]

# Query parameters that say how a reader arrived, never which page they get.
# Compared lower-cased, so "CMP" (The Guardian) and "cmp" both go.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "igshid", "twclid",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_enc_id",
        "ocid", "cmpid", "cmp", "intcmp", "icid", "smid", "smtyp", "ref", "ref_src",
        "ref_url", "referrer", "src_ref", "taid", "xtor", "ito", "ico", "ssm", "rel",
        "wt_mc", "feedtype", "feedname", "rss", "guccounter", "guce_referrer",
        "guce_referrer_sig", "sr_share", "share", "s_cid", "cid_source", "spm",
        "__twitter_impression",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "ns_", "at_", "wt.", "pk_", "mtm_", "hsa_")
# Query parameters that only ask for the AMP rendering of a page.
_AMP_PARAMS = frozenset({"amp", "amp_js_v", "amp_gsa", "amp_r", "_js_v", "usqp"})
# Leading host labels that name a variant of the same site, never another site.
_VARIANT_LABELS = frozenset({"www", "m", "mobile", "amp"})
# Hosts that serve one site's articles under another name, and that site's AMP path prefix.
_HOST_ALIASES = {"edition.cnn.com": "cnn.com"}
_AMP_PATH_PREFIXES = {"cnn.com": "/cnn/"}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_CACHE_PATH = re.compile(r"^/[a-z]/(s/)?(?P<rest>[^/].*)$")
_PUNCTUATION_AND_SPACE = re.compile(r"[\W_]+")
# Characters a browser (WHATWG URL parsing) reads differently from urllib: it turns "\\" into
# "/", drops tabs and newlines anywhere and trims controls and spaces; "@" ends the userinfo.
_AMBIGUOUS = re.compile(r"[\x00-\x20\x7f\\\s]")
_NUMERIC_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+")
_ASCII_HOST = re.compile(
    r"[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)*\.?"
)


def canonical_url(url: str) -> str:
    """The one spelling of ``url`` that every variant of the same article shares.

    It is an identity key for finding duplicates, not an address to fetch. ``www.`` is always
    dropped: outlets and readers link both spellings of one page, and dropping is the one rule
    that fits every host (adding it would invent www.news.yahoo.com). For the same reason the
    scheme is always https. Anything that is not an absolute http(s) URL comes back stripped
    of surrounding white space and otherwise as is.
    """
    url = url.strip()
    try:
        parts = urlsplit(_unwrap_amp_cache(url))
        port = parts.port
    except ValueError:
        return url
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return url

    host, was_amp_host = _canonical_host(parts.hostname)
    path, was_amp_path = _canonical_path(parts.path or "/")
    prefix = _AMP_PATH_PREFIXES.get(host)
    if (was_amp_host or was_amp_path) and prefix and path.startswith(prefix):
        path = path[len(prefix) - 1 :]
    if port is not None and port != _DEFAULT_PORTS[parts.scheme.lower()]:
        host = f"{host}:{port}"
    return urlunsplit(("https", host, path, _canonical_query(parts), ""))


def link_target(url: str | None) -> str | None:
    """``url`` as a link to show, when Python and a browser agree on where it goes; else None.

    A page or feed chooses its canonical and item links, and a label is derived from the host
    Python reads: "https://evil.example\\@www.bbc.co.uk/" is bbc.co.uk to urllib and
    evil.example to a browser. So a link is refused with a backslash, white space or a control
    character anywhere, with userinfo ("@" before the host), a bad port, or a host that is not
    plain LDH labels or an IP literal; an international host is given in its IDNA (UTS #46)
    ASCII form, the one browsers connect to.
    """
    if not url or _AMBIGUOUS.search(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in _DEFAULT_PORTS or "@" in parts.netloc or not parts.hostname:
        return None
    host = _ascii_host(parts.netloc.rpartition(":")[0] if port is not None else parts.netloc)
    if host is None:
        return None
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


def link_host(url: str | None) -> str | None:
    """The host a link label names ("bbc.co.uk"), from a URL ``link_target`` accepts only."""
    target = link_target(url)
    host = urlsplit(target).hostname if target else None
    return host.removeprefix("www.") if host else None


def _ascii_host(host: str) -> str | None:
    """The host as browsers resolve it: an IP literal or lower-case ASCII labels, else None."""
    if host.startswith("[") and host.endswith("]"):
        try:
            return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
        except ValueError:
            return None
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError:
            return None
    host = host.lower()
    if _NUMERIC_LABEL.fullmatch(host.rstrip(".").rpartition(".")[2]):
        # A browser reads a host ending in a number as IPv4 ("0x7f.1" is 127.0.0.1).
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            return None
    return host if _ASCII_HOST.fullmatch(host) else None


def content_hash(text: str) -> str:
    """A fingerprint of an article's words: case, spacing and punctuation do not change it."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = " ".join(_PUNCTUATION_AND_SPACE.sub(" ", folded).split())
    return hashlib.blake2b(words.encode("utf-8"), digest_size=16).hexdigest()


def _unwrap_amp_cache(url: str) -> str:
    """The publisher's URL inside a Google AMP cache or viewer URL, else ``url`` itself."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.endswith(".cdn.ampproject.org"):
        found = _AMP_CACHE_PATH.match(parts.path)
        if found:
            scheme = "https" if found.group(1) else "http"
            return _with_query(f"{scheme}://{found.group('rest')}", parts)
    elif re.fullmatch(r"(www\.)?google\.[a-z.]+", host) and parts.path.startswith("/amp/"):
        rest = parts.path[len("/amp/") :]
        scheme, rest = ("https", rest[2:]) if rest.startswith("s/") else ("http", rest)
        return _with_query(f"{scheme}://{rest}", parts)
    return url


def _with_query(url: str, parts: SplitResult) -> str:
    return f"{url}?{parts.query}" if parts.query else url


def _canonical_host(hostname: str) -> tuple[str, bool]:
    """Lower-case host without variant labels (``www.``, ``m.``, ``amp.``); whether AMP was one."""
    labels = hostname.lower().rstrip(".").split(".")
    was_amp = False
    # Keep at least two labels so a bare "m.example" never shrinks to a top-level domain.
    while len(labels) > 2 and labels[0] in _VARIANT_LABELS:
        was_amp = was_amp or labels[0] == "amp"
        labels.pop(0)
    host = ".".join(labels)
    if ":" in host:  # an IPv6 literal needs its brackets back
        host = f"[{host}]"
    return _HOST_ALIASES.get(host, host), was_amp


def _canonical_path(path: str) -> tuple[str, bool]:
    """Path without AMP segments or suffixes and without a trailing slash; whether it was AMP."""
    segments = path.split("/")
    kept = [segment for segment in segments if segment.lower() != "amp"]
    was_amp = len(kept) != len(segments)
    if kept[-1].lower().endswith(".amp.html"):
        kept[-1] = kept[-1][: -len(".amp.html")] + ".html"
        was_amp = True
    path = "/".join(kept).rstrip("/")
    return (path if path.startswith("/") else "/" + path), was_amp


def _canonical_query(parts: SplitResult) -> str:
    """The query without tracking and AMP parameters, pairs sorted, their encoding untouched."""
    kept = []
    for pair in parts.query.split("&"):
        if not pair:
            continue
        raw_name, _, raw_value = pair.partition("=")
        name = unquote(raw_name).lower()
        value = unquote(raw_value).lower()
        if name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES):
            continue
        if name in _AMP_PARAMS or (name == "outputtype" and value == "amp"):
            continue
        kept.append(pair)
    return "&".join(sorted(kept))
