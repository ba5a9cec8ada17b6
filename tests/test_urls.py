"""canonical_url and content_hash on real-shaped news URLs and republished text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.web.urls import canonical_url, content_hash

BBC = "https://bbc.co.uk/news/world-us-canada-67736470"
GUARDIAN_PATH = "us-news/2023/dec/19/us-mexico-border-migrants-eagle-pass"
GUARDIAN = "https://theguardian.com/" + GUARDIAN_PATH
CNN_PATH = "2023/12/20/us/border-migrants-texas/index.html"
CNN = "https://cnn.com/" + CNN_PATH
NYT = "https://nytimes.com/2023/12/19/us/politics/migrants-border.html"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # BBC: mobile host, AMP path, ATI and ns_ tracking, fragment
        ("https://www.bbc.co.uk/news/world-us-canada-67736470", BBC),
        ("https://m.bbc.co.uk/news/world-us-canada-67736470", BBC),
        ("https://www.bbc.co.uk/news/amp/world-us-canada-67736470", BBC),
        ("http://www.bbc.co.uk/news/world-us-canada-67736470#comments", BBC),
        (
            "https://www.bbc.co.uk/news/world-us-canada-67736470"
            "?at_medium=RSS&at_campaign=KARANGA&ns_mchannel=social&ns_source=twitter",
            BBC,
        ),
        # The Guardian: amp. host, CMP share parameter, trailing slash
        (
            "https://www.theguardian.com/us-news/2023/dec/19/us-mexico-border-migrants-eagle-pass"
            "?CMP=share_btn_tw",
            GUARDIAN,
        ),
        ("https://amp.theguardian.com/" + GUARDIAN_PATH, GUARDIAN),
        ("https://www.theguardian.com/" + GUARDIAN_PATH + "/", GUARDIAN),
        # CNN: AMP host with its /cnn/ prefix, .amp.html, edition. host, Google AMP cache
        ("https://amp.cnn.com/cnn/2023/12/20/us/border-migrants-texas/index.html", CNN),
        ("https://edition.cnn.com/2023/12/20/us/border-migrants-texas/index.html", CNN),
        ("https://www.cnn.com/2023/12/20/us/border-migrants-texas/index.amp.html", CNN),
        (
            "https://www-cnn-com.cdn.ampproject.org/c/s/www.cnn.com/2023/12/20/us/"
            "border-migrants-texas/index.html?amp_js_v=0.1&usqp=mq331AQ",
            CNN,
        ),
        ("https://www.google.com/amp/s/amp.cnn.com/cnn/" + CNN_PATH, CNN),
        # The New York Times: .amp.html and smid/smtyp share parameters
        ("https://www.nytimes.com/2023/12/19/us/politics/migrants-border.amp.html", NYT),
        (NYT.replace("//", "//www.") + "?smid=nytcore-ios-share&smtyp=cur", NYT),
        # Reuters with utm_*, case of scheme and host, default port
        (
            "HTTPS://WWW.Reuters.com:443/world/americas/us-border-arrests-fall-2024-01-02/"
            "?utm_source=twitter&utm_medium=Social&utm_campaign=feed",
            "https://reuters.com/world/americas/us-border-arrests-fall-2024-01-02",
        ),
        # Washington Post AMP query, Facebook and Google click ids, Mailchimp ids
        (
            "https://www.washingtonpost.com/immigration/2024/01/03/title-42/?outputType=amp",
            "https://washingtonpost.com/immigration/2024/01/03/title-42",
        ),
        (
            "https://elpais.com/mexico/2023-12-20/migrantes-en-la-frontera.html"
            "?fbclid=IwAR0abc&gclid=Cj0KC&mc_cid=9f1&mc_eid=8e2&ssm=TW_CC",
            "https://elpais.com/mexico/2023-12-20/migrantes-en-la-frontera.html",
        ),
        # WordPress /amp/ suffix and ?amp
        ("https://www.borderreport.com/hot-topics/immigration/migrants-ciudad-juarez/amp/",
         "https://borderreport.com/hot-topics/immigration/migrants-ciudad-juarez"),
        ("https://laopinion.com/2024/01/02/deportaciones/?amp", "https://laopinion.com/2024/01/02/deportaciones"),
        ("https://laopinion.com/2024/01/02/deportaciones/?amp=1", "https://laopinion.com/2024/01/02/deportaciones"),
        # MSN ocid, Fox cmpid, Yahoo guccounter, Instagram igshid, Google Analytics _ga
        ("https://www.msn.com/en-us/news/us/border/ar-AA1mgQ2x?ocid=msedgntp&cvid=abc",
         "https://msn.com/en-us/news/us/border/ar-AA1mgQ2x?cvid=abc"),
        ("https://www.foxnews.com/politics/border-crossings?cmpid=prn_newsstand",
         "https://foxnews.com/politics/border-crossings"),
        ("https://news.yahoo.com/migrants-texas-123.html?guccounter=1&_ga=2.1&igshid=xyz",
         "https://news.yahoo.com/migrants-texas-123.html"),
        ("https://mobile.twitter.com/BBCMundo/status/1737?ref_src=twsrc%5Etfw&ref=share",
         "https://twitter.com/BBCMundo/status/1737"),
    ],
)  # fmt: skip
def test_variants_of_one_article_share_one_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # meaningful parameters stay, sorted; their encoding is untouched
        ("https://example.com/article.php?p=42&id=7", "https://example.com/article.php?id=7&p=42"),
        ("https://www.jornada.com.mx/notas/?id=2024_01_02&q=migraci%C3%B3n",
         "https://jornada.com.mx/notas?id=2024_01_02&q=migraci%C3%B3n"),
        # root keeps its slash; other ports stay
        ("https://www.milenio.com/", "https://milenio.com/"),
        ("https://www.milenio.com", "https://milenio.com/"),
        ("http://localhost:8080/feed/", "https://localhost:8080/feed"),
        # only a leading m./mobile. label goes: not "m" inside a name, not the last two labels
        ("https://www.m.bbc.co.uk/news", "https://bbc.co.uk/news"),
        ("https://mexiconewsdaily.com/news/", "https://mexiconewsdaily.com/news"),
        ("https://mobilenews.example.com/a", "https://mobilenews.example.com/a"),
        ("https://m.example/a", "https://m.example/a"),
        ("https://news.m.example.com/a", "https://news.m.example.com/a"),
        # an "amp" inside a word is not AMP
        ("https://example.com/campaign/ampere-amplifier", "https://example.com/campaign/ampere-amplifier"),
        ("https://example.com/a?campaign=1&example=2", "https://example.com/a?campaign=1&example=2"),
        # credentials never end up in the key
        ("https://user:secret@www.example.com/a", "https://example.com/a"),
    ],
)  # fmt: skip
def test_what_canonical_url_keeps(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "text", ["", "  not a url  ", "mailto:newsroom@example.com", "ftp://example.com/a", "/news/a"]
)
def test_non_web_urls_come_back_stripped(text: str) -> None:
    assert canonical_url(text) == text.strip()


def test_different_articles_stay_different() -> None:
    first = canonical_url("https://www.bbc.co.uk/news/world-us-canada-67736470")
    assert first != canonical_url("https://www.bbc.co.uk/news/world-us-canada-67736471")
    assert first != canonical_url("https://www.bbc.co.uk/mundo/world-us-canada-67736470")
    with_id = canonical_url("https://example.com/article.php?id=7")
    assert with_id != canonical_url("https://example.com/article.php?id=8")


web_urls = st.builds(
    "{}://{}{}.com{}{}".format,
    st.sampled_from(["http", "https", "HTTPS"]),
    st.sampled_from(["", "www.", "m.", "amp.", "WWW."]),
    st.from_regex(r"[a-z]{1,10}", fullmatch=True),
    st.from_regex(r"(/[a-z0-9-]{1,8}){0,3}/?", fullmatch=True),
    st.from_regex(r"(\?\w{1,6}=[a-z0-9]{0,4}(&\w{1,6}=[a-z0-9]{0,4}){0,3})?", fullmatch=True),
)  # fmt: skip


@given(web_urls)
def test_canonical_url_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert once.startswith("https://")


ORIGINAL = (
    "More than 10,000 migrants crossed the US-Mexico border on Monday, officials said.\n\n"
    "Border Patrol agents in Eagle Pass, Texas, reported 2,500 apprehensions."
)


@pytest.mark.parametrize(
    "copy",
    [
        ORIGINAL,
        ORIGINAL.upper(),
        "  more than 10,000 MIGRANTS crossed the US–Mexico border on Monday , officials said ...  "
        "Border   Patrol agents in Eagle Pass, Texas reported 2,500 apprehensions!",
        ORIGINAL.replace("\n\n", "\r\n\t "),
        "“More than 10,000 migrants crossed the US-Mexico border on Monday,” officials said. "
        "Border Patrol agents in Eagle Pass (Texas) reported 2,500 apprehensions.",
    ],
)
def test_republished_copy_has_the_same_hash(copy: str) -> None:
    assert content_hash(copy) == content_hash(ORIGINAL)


def test_hash_changes_with_the_words() -> None:
    original = content_hash(ORIGINAL)
    assert content_hash(ORIGINAL.replace("10,000", "11,000")) != original
    assert content_hash(ORIGINAL.replace("Monday", "Tuesday")) != original
    assert content_hash("migración") != content_hash("migracion")  # accents are words too
    assert len(original) == 32 and int(original, 16) >= 0
