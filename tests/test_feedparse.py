"""parse_feed on real RSS/Atom fixtures (rss-parser's, MIT) and on broken or hostile bodies."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.digests.feedparse import FeedError, ParsedFeed, html_to_text, parse_feed
from bot.errors import NewsbriefError

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
HTML_TAG = re.compile(r"</?(p|div|a|br|img|b|i|span|table|td|h\d|figure|ul|li)\b[^>]*>", re.I)


def when(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# file, Content-Type a server would send, feed title, items, first item (title, link, published)
CASES = [
    ("content-encoded.rss", "application/rss+xml", "Food in Invironment on Medium", 7,
     "THE CREATIVE FORAGER",
     "https://medium.com/invironment/the-creative-forager-125af37d838f?source=rss----d12c403d4976--food",
     when(2018, 4, 9, 18, 55, 38)),
    ("encoding.rss", "application/rss+xml", "Jornal de Notícias - Últimas Notícias", 40,
     "Mãe de utente é a nova presidente da Raríssimas",
     "http://feeds.jn.pt/~r/JN-ULTIMAS/~3/UBnb8Ra3Q1U/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html",
     when(2018, 1, 3, 13, 47)),
    ("feedburner.atom", "application/atom+xml", "Google Ads Developer Blog", 25,
     "AdWords and DFP Java client library will soon require Java 7+",
     "http://feedproxy.google.com/~r/blogspot/lQlzL/~3/Zjf41PDVLAc/adwords-and-dfp-java-client-library.html",
     when(2016, 6, 3, 14, 38)),
    ("guardian.rss", "application/rss+xml; charset=utf-8", "The Guardian", 55,
     "Trump State of the Union address promised unity but emphasized discord",
     "https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord",
     when(2018, 1, 31, 7, 26, 5)),
    ("heise.atom", "application/atom+xml", "heise developer neueste Meldungen", 15,
     "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei",
     "http://www.heise.de/developer/meldung/Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html?wt_mc=rss.developer.beitrag.atom",
     when(2016, 2, 1, 16, 22)),
    ("heraldsun.rss", "text/xml", "RSS0.92 Example", 2,
     "The First Item", "http://www.oreilly.com/example/001.html", None),
    ("instant-article.rss", "application/rss+xml", "Instant Article Test", 1,
     "My first Instant Article", "https://localhost:8000", when(2016, 5, 4, 6, 53, 45)),
    ("reddit-atom.rss", "application/rss+xml; charset=UTF-8",
     "reddit: the front page of the internet", 24, "The Difficulties in Space",
     "https://www.reddit.com/r/space/comments/42babr/the_difficulties_in_space/",
     when(2016, 1, 23, 15, 40, 37)),
    ("rss-1.rss", "application/rdf+xml", "Science twis", 69, "Food for fungi",
     "http://science.sciencemag.org/cgi/content/short/356/6343/1134-a?rss=1",
     when(2017, 6, 15, 17, 29, 47)),  # dc:date, -07:00 in the file
    ("uolNoticias.rss", "text/xml; charset=ISO-8859-1", "UOL Noticias", 15,
     "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno",
     "https://noticias.uol.com.br/politica/eleicoes/2018/noticias/2018/09/24/ibope-bolsonaro-perde-de-haddad-ciro-e-alckmin-em-simulacoes-de-2-turno.htm",
     when(2018, 9, 24, 22, 42, 40)),  # "Seg, 24 Set 2018 19:42:40 -0300": Portuguese names
]  # fmt: skip


def parse_fixture(name: str, content_type: str | None = None) -> ParsedFeed:
    url = f"https://feeds.example.org/{name}"
    headers = {"Content-Type": content_type} if content_type else None
    return parse_feed((FEEDS / name).read_bytes(), url, headers)


@pytest.mark.parametrize(
    ("name", "content_type", "title", "count", "first_title", "first_link", "first_published"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_every_fixture_feed_parses(
    name: str,
    content_type: str,
    title: str,
    count: int,
    first_title: str,
    first_link: str,
    first_published: datetime | None,
) -> None:
    feed = parse_fixture(name, content_type)
    assert (feed.title, len(feed.items)) == (title, count)
    first = feed.items[0]
    assert (first.title, first.url, first.published) == (first_title, first_link, first_published)
    assert first.source == title and first.feed_url == f"https://feeds.example.org/{name}"
    assert feed.warning is None
    for item in feed.items:
        assert item.url.startswith(("http://", "https://")) and item.guid
        assert item.published is None or item.published.tzinfo is UTC
        assert not HTML_TAG.search(item.summary) and not HTML_TAG.search(item.title)


def test_every_fixture_file_is_covered() -> None:
    files = {path.name for path in FEEDS.iterdir() if path.suffix in (".rss", ".atom")}
    assert files == {case[0] for case in CASES}


@pytest.mark.parametrize("content_type", [None, "application/rss+xml", "text/xml"])
def test_latin1_feed_without_declaration_decodes_right(content_type: str | None) -> None:
    feed = parse_fixture("uolNoticias.rss", content_type)
    assert feed.items[0].title.endswith("simulações de 2º turno")
    assert feed.items[0].summary.startswith("Líder na pesquisa Ibope")
    assert "\ufffd" not in "".join(item.title + item.summary for item in feed.items)


def test_declared_latin1_feed_decodes_right_even_under_a_wrong_utf8_header() -> None:
    feed = parse_fixture("encoding.rss", "text/xml; charset=utf-8")
    assert feed.title == "Jornal de Notícias - Últimas Notícias"
    assert feed.lang == "pt-pt"


def test_utf8_feed_under_a_wrong_latin1_header_decodes_as_utf8() -> None:
    feed = parse_fixture("guardian.rss", "application/rss+xml; charset=ISO-8859-1")
    titles = [item.title for item in feed.items]
    assert "Trump’s speech was bad. The Democrats' response to it was worse | Cas Mudde" in titles
    assert not any("â€" in title or "Ã" in title for title in titles)


def test_item_fields_from_a_rich_rss_item() -> None:
    item = parse_fixture("guardian.rss").items[50]
    assert item.title == "A family in Missouri had a life for 15 years. Then they were torn apart"
    assert item.guid == item.url
    assert item.summary.startswith(
        "Marie Gonzalez moved from Costa Rica with her parents at age five."
    )
    assert "US immigration" in item.tags
    assert item.lang == "en-gb" and item.content == ""


def test_content_encoded_body_is_kept_as_html_and_summary_is_plain() -> None:
    item = parse_fixture("content-encoded.rss").items[0]
    assert item.content.startswith("<h4>Using Wild Ingredients in the")
    assert item.summary.startswith("Using Wild Ingredients in the Kitchen\n\nHEY, YOU!")
    instant = parse_fixture("instant-article.rss").items[0]
    assert (instant.summary, instant.content) == ("Lorem ipsum", "<b>Lorem</b> ipsum")


def test_non_ascii_text_survives_in_atom_and_rss() -> None:
    heise = parse_fixture("heise.atom").items[0]
    assert heise.summary.startswith("Die nun verfügbare Version 10 des Enterprise-Java-Servers")
    encoding = parse_fixture("encoding.rss").items[0]
    assert encoding.summary.startswith("Sónia Laygue, profissional na área da Recursos Humanos")


FEED_WITH_RELATIVE_LINKS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local</title><link>/</link><language>es-MX</language>
<item><title>Uno</title><link>/noticias/uno.html</link><guid isPermaLink="false">n-1</guid>
<description>&lt;p&gt;Primera &lt;b&gt;nota&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Segunda&lt;/p&gt;
</description><pubDate>Tue, 02 Jan 2024 10:00:00 -0600</pubDate></item>
<item><title>Dos</title><link>javascript:alert(1)</link></item>
<item><title>Tres</title><link>tres.html</link>
<pubDate>Mar, 02 Ene 2024 10:00:00 -0600</pubDate></item>
</channel></rss>"""


def test_relative_links_resolve_against_where_the_feed_came_from() -> None:
    feed = parse_feed(
        FEED_WITH_RELATIVE_LINKS,
        "https://old.example.mx/rss",
        {"content-type": "application/rss+xml"},
        base_url="https://www.example.mx/rss/portada.xml",
    )
    one, two, three = feed.items
    assert one.url == "https://www.example.mx/noticias/uno.html"
    assert one.guid == "n-1" and one.feed_url == "https://old.example.mx/rss"
    assert one.summary == "Primera nota\n\nSegunda"
    assert one.published == when(2024, 1, 2, 16) and feed.lang == "es-mx"
    assert two.url == ""  # a javascript: link is no link
    assert three.url == "https://www.example.mx/rss/tres.html"
    assert three.published == when(2024, 1, 2, 16)  # Spanish day and month names


def test_truncated_feed_keeps_the_items_before_the_break() -> None:
    body = (FEEDS / "guardian.rss").read_bytes()[:60_000]
    feed = parse_feed(body, "https://feeds.example.org/g", {"content-type": "application/rss+xml"})
    assert 10 < len(feed.items) < 55
    assert feed.items[0].title.startswith("Trump State of the Union address")
    assert feed.warning is not None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><head><title>Home</title></head><body><p>Hi</p></body></html>", "did not return"),
        (b"", "did not return"),
        (b'{"items": []}', "did not return"),
        (bytes(range(256)) * 4, "did not return"),
        ((FEEDS / "guardian.rss").read_bytes()[:700], "is broken"),
    ],
    ids=["html", "empty", "json", "binary", "truncated-before-items"],
)
def test_nothing_usable_raises_a_one_sentence_feed_error(body: bytes, message: str) -> None:
    with pytest.raises(FeedError) as raised:
        parse_feed(body, "https://feeds.example.org/x", {"content-type": "text/html"})
    assert isinstance(raised.value, NewsbriefError)
    text = str(raised.value)
    assert message in text and "https://feeds.example.org/x" in text
    assert text.endswith(".") and text.count(". ") == 0


def test_an_empty_but_valid_feed_is_not_an_error() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    feed = parse_feed(body, "https://feeds.example.org/empty")
    assert (feed.title, feed.items, feed.warning) == ("T", (), None)


def test_feedparser_never_opens_a_body_that_looks_like_a_path_or_url(tmp_path: Path) -> None:
    local_feed = tmp_path / "feed.rss"
    local_feed.write_bytes((FEEDS / "heraldsun.rss").read_bytes())
    for body in (str(local_feed).encode(), b"http://127.0.0.1:9/feed.rss"):
        with pytest.raises(FeedError):
            parse_feed(body, "https://feeds.example.org/x")


def test_html_to_text() -> None:
    markup = "<p>One <b>two</b></p><script>x()</script><ul><li>a</li><li>b&amp;c</li></ul>tail"
    assert html_to_text(markup) == "One two\n\na\n\nb&c\n\ntail"
    assert html_to_text("plain   text\n") == "plain text"
    assert html_to_text("bad \x00 control") == "bad control"
