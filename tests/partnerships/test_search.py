"""Filters and search return exactly the right partnerships, and no input can break them."""

import html
import os
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerships.forms import SEARCH_MAX_LENGTH, PartnershipFilterForm
from partnerships.models import Institution, Membership, Partnership, Phase
from tests import factories

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search and its GIN index exist only on PostgreSQL"
)


def _slugs(response):
    """The partnerships listed on a results page, as phase/slug."""
    return re.findall(r'class="partnership-card__title[^"]*"><a href="/partnerships/([\w-]+/[\w-]+)/"', response.text)


def _found(client, **params):
    response = client.get("/partnerships/", {**params, "page": params.pop("page", 1)})
    assert response.status_code == 200
    return response


def test_phase_2_partnerships_on_health_and_wellbeing_are_exactly_the_four_in_the_sources(anonymous, leading_places):
    response = _found(anonymous, phase="phase-2", theme="health-and-wellbeing")
    assert sorted(_slugs(response)) == [
        "phase-2/bedford",
        "phase-2/blackburn-with-darwen",
        "phase-2/sheffield-city-region",
        "phase-2/shropshire",
    ]
    assert "4 partnerships found" in response.text


def test_a_search_for_scale_up_finds_tees_valley_and_nothing_else(anonymous, leading_places):
    assert _slugs(_found(anonymous, q="scale-up")) == ["phase-2/tees-valley"]


@pytest.mark.parametrize(
    "q, slug",
    [
        ("sheffield.", "phase-2/sheffield-city-region"),
        ('"sheffield"', "phase-2/sheffield-city-region"),
        ("“Sheffield”,", "phase-2/sheffield-city-region"),
        ("Lewisham's", "phase-2/lewisham"),
        ("Lewisham’s", "phase-2/lewisham"),
        ("(Lewisham)", "phase-2/lewisham"),
    ],
)
def test_punctuation_around_a_word_and_a_possessive_do_not_hide_a_partnership(anonymous, leading_places, q, slug):
    assert slug in _slugs(_found(anonymous, q=q))


@pytest.mark.parametrize("q", [".", "“”", "'s", "- ,"])
def test_a_search_of_punctuation_alone_finds_nothing_on_either_database(anonymous, leading_places, q):
    assert "0 partnerships found" in _found(anonymous, q=q).text


def test_region_and_kind_of_partner_combine_with_the_phase(anonymous, leading_places):
    north_east = _slugs(_found(anonymous, region="north-east"))
    assert sorted(north_east) == ["phase-1/newcastle", "phase-2/newcastle", "phase-2/tees-valley"]
    with_a_combined_authority = _slugs(
        _found(anonymous, phase="phase-2", region="north-east", kind="combined-authority")
    )
    assert with_a_combined_authority == ["phase-2/tees-valley"]


def test_kind_of_partner_finds_every_council_of_that_kind_whatever_its_name_says(anonymous, leading_places):
    unitary = _slugs(_found(anonymous, kind="unitary-council"))
    for city in ("hull", "nottingham", "stoke-on-trent-and-staffordshire", "brighton-and-hove", "bristol"):
        assert any(slug.endswith("/" + city) for slug in unitary), (city, unitary)
    metropolitan = _slugs(_found(anonymous, kind="metropolitan-borough-council"))
    assert {"phase-1/newcastle", "phase-2/newcastle", "phase-1/coventry"} <= set(metropolitan)
    # Gloucester is a district of Gloucestershire, and its city council a district council.
    gloucester = anonymous.get("/institutions/gloucester-city-council/").text
    assert "District council" in gloucester and "City council" not in gloucester


def test_the_data_migration_files_the_real_city_councils_by_kind_but_keeps_an_officers_choice(db):
    from importlib import import_module

    from django.apps import apps

    from partnerships.models import Institution

    migration = import_module("partnerships.migrations.0006_councils_by_kind_of_authority")
    Institution.objects.filter(slug__in=["hull-city-council", "bristol-city-council"]).delete()
    hull = factories.institution(name="Hull City Council", kind=Institution.Kind.CITY_COUNCIL)
    bristol = factories.institution(name="Bristol City Council", kind=Institution.Kind.OTHER)

    migration.file_by_kind(apps, None)

    hull.refresh_from_db()
    bristol.refresh_from_db()
    assert (hull.kind, bristol.kind) == (Institution.Kind.UNITARY_COUNCIL, Institution.Kind.OTHER)


def test_all_21_published_partnerships_are_listed_on_one_page_not_20_and_then_1(anonymous, leading_places):
    first = _found(anonymous)
    assert len(_slugs(first)) == 21 and "21 partnerships" in first.text
    assert "page=2" not in first.text


def test_more_partnerships_are_listed_across_pages_of_20(anonymous, programme):
    phase_2 = Phase.objects.get(slug="phase-2")
    for _ in range(24):  # 27 published with the programme's 3
        factories.partnership(phase=phase_2)
    first, second = _found(anonymous), _found(anonymous, page=2)
    assert len(_slugs(first)) == 20 and len(_slugs(second)) == 7
    assert set(_slugs(first)).isdisjoint(_slugs(second))
    assert ", page 1 of 2</span></h2>" in first.text and ", page 2 of 2</span></h2>" in second.text
    # Asked for a page past the end, a visitor is told which page they are on.
    assert ", page 2 of 2</span></h2>" in _found(anonymous, page=999).text


def test_the_filters_stay_in_the_page_links_and_the_download_links(anonymous, programme):
    phase_2 = Phase.objects.get(slug="phase-2")
    for _ in range(26):
        factories.partnership(phase=phase_2)
    Partnership.objects.update_search_vectors()
    response = _found(anonymous, phase="phase-2", q="together")  # in the new titles only
    assert "26 partnerships found" in response.text
    assert "?q=together&amp;phase=phase-2&amp;page=2" in response.text
    assert "/partnerships.csv?q=together&amp;phase=phase-2" in response.text


def test_no_results_says_so_and_offers_to_clear_the_filters(anonymous, programme):
    response = _found(anonymous, q="xylophone")
    assert "0 partnerships found" in response.text
    assert "No partnerships match “xylophone”." in response.text
    assert 'href="/partnerships/">clear the filters' in response.text
    with_a_filter = _found(anonymous, q="xylophone", phase="phase-2")
    assert "No partnerships match “xylophone” with these filters." in with_a_filter.text
    # On a phone the panel's own link is folded away with the filters, so the results offer one too.
    assert '<p class="results-clear d-lg-none"><a href="/partnerships/">Clear filters</a></p>' in with_a_filter.text


def _suggestion(response):
    """The search words the no-results page suggests, and the address it links them to."""
    found = re.search(r'<p class="suggestion">Did you mean <a href="([^"]*)">([^<]*)</a>\?</p>', response.text)
    return (html.unescape(found.group(2)), html.unescape(found.group(1))) if found else None


def test_sam_misspells_sheffield_and_is_offered_the_spelling_that_finds_it(anonymous, leading_places):
    response = _found(anonymous, q="sheffeild")
    assert "0 partnerships found" in response.text
    assert _suggestion(response) == ("sheffield", "?q=sheffield")
    assert _slugs(anonymous.get("/partnerships/?q=sheffield")) == ["phase-2/sheffield-city-region"]
    # Typed with a capital, the correction is written as the place's name writes it.
    assert _suggestion(_found(anonymous, q="Sheffeild")) == ("Sheffield", "?q=Sheffield")


def test_each_misspelt_word_is_corrected_and_the_rest_are_kept(anonymous, leading_places):
    assert _suggestion(_found(anonymous, q="Tees Vally")) == ("Tees Valley", "?q=Tees+Valley")
    assert _suggestion(_found(anonymous, q="helth sheffeild")) == ("health sheffield", "?q=health+sheffield")


def test_a_misspelt_word_is_corrected_inside_its_punctuation(anonymous, leading_places):
    assert _suggestion(_found(anonymous, q="sheffeild."))[0] == "sheffield."
    assert _suggestion(_found(anonymous, q="“Sheffeild”"))[0] == "“Sheffield”"
    assert _suggestion(_found(anonymous, q="Lewishm's"))[0] == "Lewisham's"


def test_a_suggestion_keeps_the_other_filters_and_must_find_something_within_them(anonymous, leading_places):
    in_phase_2 = _suggestion(_found(anonymous, q="sheffeild", phase="phase-2"))
    assert in_phase_2 == ("sheffield", "?q=sheffield&phase=phase-2")
    # Sheffield took part in Phase 2 only, so within Phase 1 the spelling would find nothing either.
    assert _suggestion(_found(anonymous, q="sheffeild", phase="phase-1")) is None


def test_nothing_is_suggested_for_words_near_no_name_or_for_a_search_that_finds_something(anonymous, leading_places):
    nothing_near = _found(anonymous, q="zzzzqqq")
    assert "0 partnerships found" in nothing_near.text and _suggestion(nothing_near) is None
    assert "Did you mean" not in _found(anonymous, q="Sheffield").text
    assert "Did you mean" not in _found(anonymous, q="sheffield").text


def test_only_the_first_ten_words_are_corrected_as_search_reads_only_ten(anonymous, leading_places):
    ten = " ".join(["sheffield"] * 10)
    assert _suggestion(_found(anonymous, q=f"sheffeild {ten}")) == (
        f"sheffield {ten}",
        f"?q=sheffield+{ten.replace(' ', '+')}",
    )
    # The eleventh word is left as typed, so there is nothing to suggest.
    assert Partnership.objects.published().spelling_suggestion(f"{ten} sheffeild") == ""


def test_a_place_known_only_from_a_draft_is_never_suggested(anonymous, programme):
    factories.partnership(
        phase=Phase.objects.get(slug="phase-2"),
        place=factories.place(name="Wolverhampton"),
        title="Draft on civic pride",
        status=Partnership.Status.DRAFT,
    )
    # A published partnership names the place too, so the suggestion would find something: only
    # the vocabulary, of places with a published partnership, keeps the draft's place out.
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    tynemouth.summary = "Learning from Wolverhampton's work on civic pride."
    tynemouth.save()
    Partnership.objects.update_search_vectors()
    assert _found(anonymous, q="Wolverhampton").status_code == 200
    assert "Healthy Tynemouth" in _found(anonymous, q="Wolverhampton").text
    response = _found(anonymous, q="wolverhamptn")
    assert "0 partnerships found" in response.text
    assert _suggestion(response) is None


def test_a_draft_never_appears_in_results_even_when_searched_for_by_name(anonymous, officer_client, programme):
    for client in (anonymous, officer_client):
        assert "Secret draft" not in _found(client).text
        assert _slugs(_found(client, q="Secret draft partnership")) == []
        assert _slugs(_found(client, q="Hidden Vale")) == []


@pytest.mark.parametrize(
    "params",
    [
        {"phase": "phase-99"},
        {"theme": "no-such-theme"},
        {"region": "atlantis"},
        {"kind": "dragon"},
        {"phase": "phase-2", "theme": "skills", "kind": "dragon"},
        {"phase": "phase\x00-2"},
        {"theme": "\x00", "region": "north\x00east"},
    ],
)
def test_an_unknown_filter_value_gives_an_empty_result_and_an_explanation(anonymous, programme, params):
    response = anonymous.get("/partnerships/", params)
    assert response.status_code == 400
    assert _slugs(response) == []
    assert "invalid-feedback" in response.text  # the form says which value it did not understand
    assert "A filter was not understood, so nothing is listed" in response.text
    assert "<title>Error: Partnerships matching your filters" in response.text
    assert re.search(
        r"There is no (phase|theme|region|kind of partner) “[^”]*”: choose one from the list.", response.text
    )


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1e9", "", "２"])
def test_an_odd_page_number_shows_the_nearest_valid_page(anonymous, programme, page):
    response = anonymous.get("/partnerships/", {"page": page})
    assert response.status_code == 200
    assert len(_slugs(response)) == 3


ODD_SEARCHES = [
    "x" * 5000,
    '"unbalanced quote',
    "'single' \"double\" `back`",
    "'; DROP TABLE partnerships_partnership; --",
    "1 OR 1=1",
    "health & !skills | (:*)",
    "🎉 housing 🏠",
    "nul\x00byte",
    "control\x01\x02\x1b[31mchars\x7f",
    "tab\tand\nnewline",
    "-",
    "or",
    "%_%",
    "\\",
    "\u202eright-to-left\u200b",
]


@pytest.mark.parametrize("q", ODD_SEARCHES)
def test_odd_search_text_never_causes_an_error(anonymous, programme, q):
    assert anonymous.get("/partnerships/", {"q": q}).status_code == 200
    assert anonymous.get("/partnerships.csv", {"q": q}).status_code == 200
    assert anonymous.get("/partnerships.json", {"q": q}).status_code == 200


def test_search_text_loses_control_characters_and_is_cut_to_a_sensible_length():
    form = PartnershipFilterForm({"q": "  nul\x00byte\x1b and \t  tabs " + "y" * 5000})
    assert form.is_valid()
    assert form.cleaned_data["q"].startswith("nul byte and tabs y")
    assert len(form.cleaned_data["q"]) == SEARCH_MAX_LENGTH


def test_search_matches_partners_themes_challenges_and_outcomes(anonymous, programme):
    Partnership.objects.update_search_vectors()
    # Words that are only in a partner's name, a theme, a challenge or an outcome of Healthy Tynemouth.
    for words in ("Tynemouth College", "wellbeing", "Inactivity", "fewer people"):
        assert _slugs(_found(anonymous, q=words)) == ["phase-2/tynemouth"], words


@postgres_only
@pytest.mark.postgres
def test_search_stems_words_so_skills_finds_skill_and_health_finds_healthy(anonymous, programme):
    phase = Partnership.objects.get(title="Healthy Tynemouth").phase
    factories.partnership(phase=phase, place=factories.place(name="Skilltown"), title="A skill for every school leaver")
    Partnership.objects.update_search_vectors()
    assert "phase-2/skilltown" in _slugs(_found(anonymous, q="skills"))
    assert "phase-2/tynemouth" in _slugs(_found(anonymous, q="health"))  # "Healthy Tynemouth"


@postgres_only
@pytest.mark.postgres
def test_search_ranks_a_title_match_above_a_partner_name_match(anonymous, programme):
    Partnership.objects.update_search_vectors()
    # "Tynemouth" is in the title of two partnerships and only a partner's name in Wearside's.
    found = _slugs(_found(anonymous, q="Tynemouth"))
    assert found[-1] == "phase-2/wearside" and len(found) == 3


@postgres_only
@pytest.mark.postgres
def test_results_come_best_match_first_even_against_alphabetical_order(anonymous, programme):
    phase = Partnership.objects.get(title="Healthy Tynemouth").phase
    trust = factories.institution(name="Zebra Crossing Trust")
    factories.partnership(phase=phase, place=factories.place(name="Aardvark"), members=[(trust, "partner")])
    factories.partnership(phase=phase, place=factories.place(name="Zulu"), title="Zebra crossings for every school")
    Partnership.objects.update_search_vectors()
    # In list order Aardvark (a partner's name matches) comes first; by rank the title match does.
    assert _slugs(_found(anonymous, q="zebra")) == ["phase-2/zulu", "phase-2/aardvark"]


@postgres_only
@pytest.mark.postgres
def test_updating_search_vectors_fills_every_partnership_and_the_loader_calls_it(leading_places):
    assert not Partnership.objects.filter(search_vector__isnull=True).exists()
    Partnership.objects.update(search_vector=None)
    assert Partnership.objects.update_search_vectors() == Partnership.objects.count()
    assert not Partnership.objects.filter(search_vector__isnull=True).exists()


@postgres_only
@pytest.mark.postgres
def test_search_uses_the_gin_index_on_the_stored_vector(programme):
    query = Partnership.objects.search("skills").order_by().values("pk").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        # With three rows a sequential scan is always cheapest; forbid it to see whether the index *can* serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "partnership_search_vector_gin" in plan, plan


@postgres_only
@pytest.mark.postgres
def test_connections_tell_the_planner_that_random_reads_are_cheap():
    # Left at PostgreSQL's default of 4, the planner reads the whole table for a common word
    # instead of using the search index (measured in docs/performance.md).
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_updating_search_vectors_is_a_harmless_no_op_without_postgresql(programme):
    if connection.vendor == "postgresql":
        pytest.skip("this is about the SQLite fallback")
    assert Partnership.objects.update_search_vectors() == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=300), phase=st.text(max_size=20), page=st.text(max_size=10))
def test_no_search_text_filter_value_or_page_number_causes_an_error(anonymous, programme, q, phase, page):
    response = anonymous.get("/partnerships/", {"q": q, "phase": phase, "page": page})
    # Any words and any page number are read somehow; a phase that is not one is refused.
    known = phase.strip() in ("", *Partnership.objects.values_list("phase__slug", flat=True))
    assert response.status_code == (200 if known else 400), (phase, response.status_code)


def test_public_pages_leave_the_search_vector_in_the_database(anonymous, leading_places):
    # The vector is about as large as the rest of a partnership's row, and only search reads it.

    from evaluations.models import Evaluation

    tees = Partnership.objects.get(slug="tees-valley")
    paths = [
        "/",
        "/partnerships/",
        "/partnerships/?phase=phase-2&theme=skills",
        tees.get_absolute_url(),
        tees.phase.get_absolute_url(),
        tees.memberships.first().institution.get_absolute_url(),
        tees.themes.first().get_absolute_url(),
        Evaluation.objects.get().get_absolute_url(),
        "/partnerships.csv",
        "/partnerships.json",
    ]
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            response = anonymous.get(path)
            b"".join(response) if response.streaming else response.content
        assert response.status_code == 200, path
        assert not [query["sql"] for query in queries if "search_vector" in query["sql"]], path


def _kinds_offered(client):
    page = client.get("/partnerships/").text
    return re.findall(r'<option value="([\w-]*)"', page.split('name="kind"')[1].split("</select>")[0])


def test_the_kinds_of_partner_offered_are_only_those_among_published_partners(anonymous, programme):
    # Tynemouth City Council, the University of Tynemouth and Tynemouth College.
    assert _kinds_offered(anonymous) == ["", "council", "city-council", "university", "fe-college"]
    # A kind no one is still understood in an address: it finds nothing, and says what it looked for.
    nobody = anonymous.get("/partnerships/", {"kind": "county-council"})
    assert nobody.status_code == 200 and "County council" in nobody.text


def test_a_kind_known_only_outside_published_partnerships_is_not_offered_for_finding_nothing(anonymous, programme):
    # An evaluator's consultancy ran a phase's evaluation but is no partner; an NHS trust is in a draft only.
    factories.institution(name="Shared Intelligence", kind=Institution.Kind.CONSULTANCY)
    trust = factories.institution(name="Tynemouth NHS Trust", kind=Institution.Kind.NHS_TRUST)
    draft = Partnership.objects.get(title="Secret draft partnership")
    draft.memberships.create(institution=trust, position=1)
    assert "consultancy" not in _kinds_offered(anonymous)
    assert "nhs-trust" not in _kinds_offered(anonymous)

    draft.publish()
    assert "nhs-trust" in _kinds_offered(anonymous)


def test_with_a_shared_cache_the_kinds_offered_are_worked_out_once_and_follow_every_change(
    anonymous, programme, settings
):
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    try:
        cache.get("probe")
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"Redis is not reachable at {url}: {error}")
    cache.clear()
    try:
        assert _kinds_offered(anonymous) == ["", "council", "city-council", "university", "fe-college"]
        with CaptureQueriesContext(connection) as queries:
            assert "fe-college" in _kinds_offered(anonymous)
        assert not [query for query in queries if "DISTINCT" in query["sql"]]

        # The college leaves its only published partnership: no longer offered, at once.
        Membership.objects.published().filter(institution__name="Tynemouth College").delete()
        assert _kinds_offered(anonymous) == ["", "council", "city-council", "university"]
    finally:
        cache.clear()


def test_with_the_shared_cache_down_the_kinds_offered_are_worked_out_all_the_same(anonymous, programme, settings):
    # A real Redis client, pointed at a port where no server listens.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    assert _kinds_offered(anonymous) == ["", "council", "city-council", "university", "fe-college"]


def test_any_council_finds_partnerships_with_a_council_of_whichever_kind(anonymous, leading_places):
    found = anonymous.get("/partnerships/", {"kind": "council"}).context["page"].paginator.count
    with_a_council = (
        Partnership.objects.published()
        .filter(memberships__institution__kind__in=Institution.COUNCILS)
        .distinct()
        .count()
    )
    assert found == with_a_council > 15
    assert "Matching: Any council" in anonymous.get("/partnerships/", {"kind": "council"}).text


def test_a_visitor_whose_address_has_spaces_around_a_filter_gets_what_it_names(anonymous, programme):
    assert sorted(_slugs(anonymous.get("/partnerships/", {"phase": " phase-1\r\n"}))) == ["phase-1/tynemouth"]
    blank = anonymous.get("/partnerships/", {"phase": " ", "theme": "\t"})
    assert blank.status_code == 200 and len(_slugs(blank)) == 3
    assert "Clear filters" not in blank.text


def test_a_visitor_following_an_address_that_names_a_phase_twice_is_told_to_choose_one(anonymous, programme):
    response = anonymous.get("/partnerships/?phase=phase-1&phase=phase-2")

    assert _slugs(response) == []
    assert "The address gives 2 values for phase: choose one." in response.text
    assert "Clear the filters and see every partnership" in response.text
    assert "fewer or different words" not in response.text


def test_the_same_value_given_twice_is_understood_as_once(anonymous, programme):
    assert _slugs(anonymous.get("/partnerships/?phase=phase-1&phase=phase-1")) == ["phase-1/tynemouth"]


def test_a_search_that_finds_nothing_suggests_other_words_and_a_filter_alone_fewer_filters(anonymous, programme):
    assert "Try fewer or different words" in anonymous.get("/partnerships/", {"q": "zebra"}).text
    only_a_filter = anonymous.get("/partnerships/", {"phase": "phase-1", "region": "north-west"}).text
    assert "No partnerships match these filters." in only_a_filter and "Try fewer filters" in only_a_filter
