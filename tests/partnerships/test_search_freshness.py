"""Search stays true to the data: whatever changes the text it covers, by whatever path, the
stored search vectors follow once the change is committed (PostgreSQL, where they are used)."""

import pytest
from django.db import connection

from partnerships.models import Institution, Membership, Outcome, Partnership, Theme
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="stored search vectors exist only on PostgreSQL"),
]


def _found(words):
    return sorted(Partnership.objects.published().search(words).values_list("title", flat=True))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the commit, as a real request's commit would."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run


@pytest.fixture
def indexed(programme):
    Partnership.objects.update_search_vectors()
    return programme


def test_renaming_an_institution_makes_its_partnerships_findable_by_the_new_name(indexed, committed):
    college = Institution.objects.get(name="Tynemouth College")

    def rename():
        college.name = "Coastline Skills Academy"
        college.save()

    committed(rename)
    assert _found("Coastline") == ["Healthy Tynemouth"]
    assert _found("Tynemouth College") == []


def test_a_partner_added_in_the_back_office_is_found_by_its_name(indexed, officer_client, committed):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    trust = factories.institution(name="Riverside Hospice Trust")
    response = None

    def add():
        nonlocal response
        response = officer_client.post(
            "/admin/partnerships/membership/add/",
            {"partnership": partnership.pk, "institution": trust.pk, "role": "partner", "position": 5},
        )

    committed(add)
    assert response.status_code == 302, response.content[:2000]
    assert Membership.objects.filter(partnership=partnership, institution=trust).exists()
    assert _found("Hospice") == ["Healthy Tynemouth"]


def test_a_theme_taken_off_from_either_side_no_longer_finds_the_partnership(indexed, committed):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    theme = factories.theme(name="Seaside resilience")
    committed(lambda: partnership.themes.add(theme))
    assert _found("resilience") == ["Healthy Tynemouth"]
    committed(lambda: theme.partnerships.remove(partnership))
    assert _found("resilience") == []
    committed(lambda: theme.partnerships.add(partnership))
    assert _found("resilience") == ["Healthy Tynemouth"]
    committed(lambda: Theme.objects.filter(pk=theme.pk).delete())
    assert _found("resilience") == []


def test_an_outcome_is_found_once_added_and_not_once_deleted(indexed, committed):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    created = []
    committed(lambda: created.append(Outcome.objects.create(partnership=partnership, description="Lifeguard jobs")))
    assert _found("lifeguard") == ["Healthy Tynemouth"]
    committed(created[0].delete)
    assert _found("lifeguard") == []


def test_many_changes_in_one_transaction_update_the_vector_once(indexed, committed):
    from django.test.utils import CaptureQueriesContext

    partnership = Partnership.objects.get(title="Healthy Tynemouth")

    def edit_with_rows():
        partnership.title = "Healthy and active Tynemouth"
        partnership.save()
        for text in ("Walking groups", "Park runs", "Swimming lessons"):
            Outcome.objects.create(partnership=partnership, description=text)

    with CaptureQueriesContext(connection) as queries:
        committed(edit_with_rows)
    updates = [q["sql"] for q in queries if 'SET "search_vector"' in q["sql"]]
    assert len(updates) == 1, updates
    assert _found("swimming") == ["Healthy and active Tynemouth"]
