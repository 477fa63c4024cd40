"""Every public page type costs the same number of queries with 3 partnerships as with 60.

Each test pins the number with django_assert_num_queries and lists the queries. Every request
also runs SAVEPOINT and RELEASE SAVEPOINT, because requests are atomic (ATOMIC_REQUESTS) inside
the test's transaction; those two are counted in each number below.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from evaluations import public_views
from evaluations.models import Evaluation, Finding, OutcomeProgress
from partnerships.models import Institution, Membership, Outcome, Partnership, Phase, Theme
from tests import factories

pytestmark = pytest.mark.django_db


def _grow(total):
    """Add partnerships to Phase 2 until there are `total` published ones, each with two themes,
    three partners, two challenges, two outcomes and a finding that names it, each looked at in
    detail by the phase's evaluation."""
    phase = Phase.objects.get(slug="phase-2")
    themes = list(Theme.objects.all())
    uni = Institution.objects.get(name="University of Tynemouth")
    evaluation = Evaluation.objects.get(slug="phase-2-evaluation")
    while Partnership.objects.published().count() < total:
        n = Partnership.objects.count()
        council = factories.institution(name=f"Council {n}", kind=Institution.Kind.DISTRICT_COUNCIL)
        college = factories.institution(name=f"College {n}", kind=Institution.Kind.FE_COLLEGE)
        partnership = factories.partnership(
            phase=phase,
            themes=themes,
            members=[(council, Membership.Role.LEAD), (uni, Membership.Role.PARTNER), (college, "supporting")],
            outcomes=["One", "Two"],
            challenges=["First", "Second"],
        )
        factories.finding(evaluation, kind=Finding.Kind.LESSON, text=f"Lesson {n}").partnerships.add(partnership)
        evaluation.looked_at_in_detail.add(partnership)
        OutcomeProgress.objects.create(
            evaluation=evaluation, outcome=partnership.outcomes.first(), status=Outcome.Progress.IN_PROGRESS
        )
    Partnership.objects.update_search_vectors()


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, path
    return len(queries)


PAGES = {
    # SAVEPOINT; programme with counts; its bodies; phases with counts; themes with counts;
    # latest evaluation; RELEASE SAVEPOINT.
    "/": 7,
    # SAVEPOINT; phase; its bodies; partnerships; their themes; their memberships; evaluations;
    # documents; RELEASE SAVEPOINT.
    "/phases/phase-2/": 9,
    # SAVEPOINT; the form's phase and theme choices (2); count; page of partnerships; their themes;
    # their memberships; the kinds of partner offered; RELEASE SAVEPOINT.
    "/partnerships/?phase=phase-2&theme=skills&q=universities&page=2": 9,
    # SAVEPOINT; the form's phase and theme choices (2); count (none); names of the places and themes
    # with published partnerships; whether the suggested "Tynemouth" finds any; the kinds of partner
    # offered; RELEASE SAVEPOINT.
    "/partnerships/?q=tynemuoth": 8,
    # SAVEPOINT; partnership; memberships; themes; challenges; outcomes; their published assessments;
    # findings; phase evaluations; documents; its evaluations' public documents; same place in other
    # phases; RELEASE SAVEPOINT.
    "/partnerships/phase-2/tynemouth/": 13,
    # SAVEPOINT; public institutions with counts; RELEASE SAVEPOINT.
    "/institutions/": 3,
    # SAVEPOINT; institution; is it public; memberships; programme roles; phase roles; worked with;
    # RELEASE SAVEPOINT.
    "/institutions/university-of-tynemouth/": 8,
    # SAVEPOINT; theme; partnerships; their themes; their memberships; RELEASE SAVEPOINT.
    "/themes/skills/": 6,
    # SAVEPOINT; phases with counts; themes; RELEASE SAVEPOINT.
    "/data/": 4,
    # SAVEPOINT; the form's phase and theme choices (2); partnerships; their themes; their memberships;
    # RELEASE SAVEPOINT.
    "/partnerships.json?phase=phase-2": 7,
    # The form's phase and theme choices (2); partnerships; their themes; their memberships (streamed after the
    # view returns, so outside the request's savepoint).
    "/partnerships.csv?phase=phase-2": 7,
    # SAVEPOINT; a count and a page of items for each section with a queryset: phases,
    # partnerships, institutions, themes, evaluations (10); RELEASE SAVEPOINT.
    "/sitemap.xml": 12,
}


@pytest.mark.parametrize("path", PAGES)
def test_a_page_costs_the_same_queries_with_3_partnerships_as_with_60(anonymous, programme, path):
    Partnership.objects.update_search_vectors()
    small = _count(anonymous, path)
    _grow(60)
    assert _count(anonymous, path) == small == PAGES[path], path


def test_the_partnership_page_is_pinned_at_thirteen_queries(anonymous, programme, django_assert_num_queries):
    _grow(60)
    # See PAGES above for the list.
    with django_assert_num_queries(13):
        anonymous.get("/partnerships/phase-2/tynemouth/")


def test_the_partnership_page_costs_the_same_queries_with_one_evaluation_document_as_with_eight(anonymous, programme):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    evaluation = factories.evaluation(partnership=tynemouth, title="Tynemouth evaluation", status="published")

    def count_with(documents):
        for i in range(evaluation.documents.count(), documents):
            evaluation.documents.create(title=f"Report {i}", url=f"https://example.org/{i}", is_public=True)
        return _count(anonymous, "/partnerships/phase-2/tynemouth/")

    assert count_with(1) == count_with(8) == PAGES["/partnerships/phase-2/tynemouth/"]


def test_the_evaluation_page_costs_the_same_queries_with_3_partnerships_as_with_60(programme):
    def count():
        request = RequestFactory().get("/evaluations/phase-2-evaluation/")
        request.user = AnonymousUser()
        with CaptureQueriesContext(connection) as queries:
            public_views.evaluation_detail(request, "phase-2-evaluation")
        return len(queries)

    # Evaluation with its scope and organisation; findings; the partnerships they name; the
    # partnerships looked at in detail; documents; progress on outcomes, with their partnerships.
    small = count()
    _grow(60)
    assert count() == small == 6
