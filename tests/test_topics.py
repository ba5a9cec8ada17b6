"""The migration topic profile on real Guardian feed items and on English and Spanish headlines."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.digests.feedparse import FeedItem, parse_feed
from bot.digests.topics import TopicProfile, TopicProfileError, list_profiles, load_profile

GUARDIAN = Path(__file__).parent / "fixtures" / "feeds" / "guardian.rss"


@pytest.fixture(scope="module")
def migration() -> TopicProfile:
    return load_profile("migration")


@pytest.fixture(scope="module")
def guardian_items() -> dict[str, FeedItem]:
    feed = parse_feed(GUARDIAN.read_bytes(), "https://www.theguardian.com/us/rss")
    return {item.title: item for item in feed.items}


# Read from guardian.rss (31 Jan 2018). None of its 55 headlines names migration; this story is
# about a family split by deportation, which the feed's own tag "US immigration" says.
GUARDIAN_ON_TOPIC = ["A family in Missouri had a life for 15 years. Then they were torn apart"]
# Clearly off topic: sport, business, culture, science, crime, politics without migration.
GUARDIAN_OFF_TOPIC = [
    "Tottenham Hotspur v Manchester United: Premier League – live!",
    "Rasual Butler, 13-year NBA veteran, killed in car crash aged 38",
    "How the Philadelphia Eagles became the NFL's wokest team",
    "Moura joins Spurs; Giroud, Batshuayi, Aubameyang deals go through: "
    "transfer deadline day – live!",
    "The NBA is mad as hell ... and fans just want to consume it more",
    "'He cheats like hell': Trump's pro golfing partner on playing with the president",
    "UN urged to launch global effort to end offshore tax evasion",
    "Facebook bans cryptocurrency adverts because so many are scams",
    "Trump sues over property tax bill for Florida golf club",
    "Greatest Oscar winners ever: who is the best director of all time?",
    "Lab-made meat could be the next food revolution: here's what it tastes like",
    "Orcas can imitate human speech, research reveals",
    "Super blue blood moon - in pictures",
    "Gun-smuggling case puts spotlight on library straddling US-Canada border",
    "2004 Larry Nassar investigation dropped after doctor's PowerPoint presentation",
    "FBI has 'grave concerns' about Trump plan to release controversial memo",
    "Train carrying dozens of GOP lawmakers hits truck in Virginia",
    "Climate change threatens half of US bases worldwide, Pentagon report finds",
    "Glee actor Mark Salling found dead aged 35",
]  # fmt: skip


@pytest.mark.parametrize("title", GUARDIAN_ON_TOPIC)
def test_guardian_migration_story_matches(
    migration: TopicProfile, guardian_items: dict[str, FeedItem], title: str
) -> None:
    item = guardian_items[title]
    result = migration.score(item.title, item.summary, tags=item.tags)
    assert result.is_match and "immigration" in result.matched


@pytest.mark.parametrize("title", GUARDIAN_OFF_TOPIC)
def test_guardian_unrelated_stories_do_not_match(
    migration: TopicProfile, guardian_items: dict[str, FeedItem], title: str
) -> None:
    item = guardian_items[title]
    result = migration.score(item.title, item.summary, tags=item.tags)
    assert not result.is_match and result.score == 0, result


def test_guardian_political_story_that_mentions_immigration_twice_stays_below(
    migration: TopicProfile, guardian_items: dict[str, FeedItem]
) -> None:
    item = guardian_items["So, how did conservatives like the State of the Union?"]
    result = migration.score(item.title, item.summary, tags=item.tags)
    assert result.matched == ("immigration",) and 0 < result.score < migration.threshold


def test_guardian_feed_as_a_whole(
    migration: TopicProfile, guardian_items: dict[str, FeedItem]
) -> None:
    matches = [
        title
        for title, item in guardian_items.items()
        if migration.score(item.title, item.summary, tags=item.tags).is_match
    ]
    assert matches == GUARDIAN_ON_TOPIC


@pytest.mark.parametrize(
    "title",
    [
        "Miles de migrantes cruzan la frontera norte",
        "Detienen a 200 indocumentados en un operativo en Texas",
        "La Patrulla Fronteriza reporta un récord de detenciones",
        "Las remesas a México alcanzan un nuevo récord",
        "El INM rescata a 300 personas en Chiapas",
        "Solicitantes de asilo esperan en Tijuana",
        "Nueva caravana migrante sale de Tapachula",
        "Aumentan las deportaciones desde Estados Unidos",
        "MIGRACION: EEUU endurece las reglas",  # no accent, capitals
        "ICE arrests 100 people in workplace raids",
        "Asylum-seekers wait at the US-Mexico border",
        "Migrant caravan heads north through Mexico",
        "Biden administration extends Title 42 expulsions",
        "Cuban man deported after 20 years in Florida",
        "Border Patrol agents report fewer crossings",
    ],
)
def test_migration_headlines_match(migration: TopicProfile, title: str) -> None:
    assert migration.score(title).is_match


@pytest.mark.parametrize(
    "title",
    [
        "El Real Madrid gana la liga",
        "Deportes: el América vence al Cruz Azul",  # "deporte" is not "deporta"
        "La migración de aves llega a Yucatán",
        "Un asilo de ancianos celebra su aniversario",
        "Caravana navideña recorre Monterrey",
        "Data migration to the cloud made easy",
        "Bird migration peaks along the Gulf coast",
        "Cell migration study could help cancer research",
        "Ice storm hits Texas",
        "ICE STORM HITS TEXAS",  # capitals say nothing about acronyms
        "Police arrest man in Visalia",
        "Visa and Mastercard settle fee lawsuit",
        "Caravan park owners fined after flooding",
        "Killer sentenced to life without parole",
    ],
)
def test_unrelated_headlines_do_not_match(migration: TopicProfile, title: str) -> None:
    result = migration.score(title)
    assert not result.is_match and result.score == 0, result


def test_spanish_is_accent_and_case_insensitive(migration: TopicProfile) -> None:
    accented = migration.score("La migración en la frontera")
    assert accented == migration.score("LA MIGRACION EN LA FRONTERA")
    assert accented == migration.score("la Migracion en la Frontera")
    assert accented.matched == ("migración", "frontera")


def test_body_sentences_in_spanish(migration: TopicProfile) -> None:
    body = (
        "Las autoridades mexicanas detuvieron a cientos de migrantes centroamericanos. "
        "La Patrulla Fronteriza de Estados Unidos informó de un aumento de cruces."
    )
    result = migration.score("Operativo en Chiapas", body)
    assert result.is_match
    assert set(result.matched) == {"migrante*", "patrulla fronteriza"}
    assert not migration.score("Operativo en Chiapas", "La policía detuvo a dos hombres.").is_match


def test_word_boundaries_and_case_sensitive_acronyms(migration: TopicProfile) -> None:
    assert migration.score("police notice", "price of ice and rice").score == 0
    assert migration.score("Visalia", "visage").score == 0
    assert migration.score("ICE agents detain father").matched == ("ICE",)
    assert migration.score("The INM said", "").matched == ("INM",)
    assert migration.score("The inm said", "").score == 0


def test_title_counts_more_than_body(migration: TopicProfile) -> None:
    in_title = migration.score("Deportation flights resume", "Flights left on Monday.")
    in_body = migration.score("Flights resume", "Deportation flights left on Monday.")
    assert in_title.score == 2 * in_body.score == 6.0
    assert in_title.is_match and not in_body.is_match


def test_body_repeats_add_less_and_are_capped(migration: TopicProfile) -> None:
    scores = [migration.score("", " ".join(["deportation"] * n)).score for n in (1, 2, 3, 10)]
    assert scores == [3.0, 4.5, 6.0, 6.0]


def test_user_directory_adds_and_overrides_profiles(tmp_path: Path) -> None:
    (tmp_path / "wildfires.toml").write_text(
        'label = "Wildfires"\nthreshold = 2\n[terms]\n"wildfire*" = 2\n"incendio* forestal*" = 2\n',
        encoding="utf-8",
    )
    (tmp_path / "migration.toml").write_text(
        'threshold = 1\n[terms]\n"frontera" = 1\n', encoding="utf-8"
    )
    assert list_profiles([tmp_path]) == ["migration", "wildfires"]
    wildfires = load_profile("wildfires", extra_dirs=[tmp_path])
    assert wildfires.label == "Wildfires"
    assert wildfires.score("Incendios forestales en Sonora").is_match
    assert load_profile("migration", extra_dirs=[tmp_path]).score("la frontera").is_match
    assert not load_profile("migration").score("la frontera").is_match


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("threshold = [", "not valid TOML"),
        ('threshold = 1\ncolour = "red"\n[terms]\na = 1\n', "unknown settings"),
        ('threshold = "high"\n[terms]\na = 1\n', "threshold must be a number"),
        ("threshold = 1\n[terms]\na = true\n", "must be a number"),
        ("threshold = 1\n[terms]\n'mi*grant' = 1\n", "at the end of a word"),
        ("threshold = 1\n", "has no terms"),
    ],
)
def test_invalid_profiles_are_reported_clearly(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "broken.toml").write_text(content, encoding="utf-8")
    with pytest.raises(TopicProfileError, match=message):
        load_profile("broken", extra_dirs=[tmp_path])


def test_unknown_or_unsafe_profile_names() -> None:
    with pytest.raises(TopicProfileError, match="no topic profile named 'sports'"):
        load_profile("sports")
    with pytest.raises(TopicProfileError, match="not a valid topic profile name"):
        load_profile("../migration")
    assert "migration" in list_profiles()


def test_scoring_a_thousand_articles_is_fast(
    migration: TopicProfile, guardian_items: dict[str, FeedItem]
) -> None:
    # Article-sized bodies: each summary repeated to about 3,000 characters.
    articles = [(item.title, (item.summary + " ") * 5) for item in guardian_items.values()]
    batch = (articles * 19)[:1000]
    started = time.perf_counter()
    for title, body in batch:
        migration.score(title, body)
    # Under a second here; a single generous bound that only a real regression (a pattern
    # that backtracks, a rescan per term) crosses, not a busy machine.
    assert time.perf_counter() - started < 10.0
