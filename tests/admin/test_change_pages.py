"""Olivia opens a record in the back office: its page costs the same number of queries whether
it has 2 related rows or 12 (members, roles, findings naming partnerships and outcomes,
assessments, documents, workflow steps, partnerships looked at in detail), so a long record
stays quick to open."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import Evaluation, EvaluationDocument, EvaluationEvent, OutcomeProgress
from partnerships.models import (
    Challenge,
    Institution,
    Membership,
    Outcome,
    Partnership,
    PhaseBody,
    Programme,
    ProgrammeBody,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _partnership_with(rows):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    for i in range(rows):
        Membership.objects.create(partnership=partnership, institution=factories.institution(), role="partner")
        Challenge.objects.create(partnership=partnership, description=f"Challenge {i}", position=i + 1)
        Outcome.objects.create(partnership=partnership, description=f"Outcome {i}", position=i + 1)
    return reverse("admin:partnerships_partnership_change", args=[partnership.pk])


def _institution_with(rows):
    institution = Institution.objects.filter(name="University of Many Places").first()
    institution = institution or factories.institution(name="University of Many Places")
    for _ in range(rows):
        Membership.objects.create(partnership=factories.partnership(), institution=institution, role="partner")
    return reverse("admin:partnerships_institution_change", args=[institution.pk])


def _programme_with(rows):
    programme = Programme.objects.get()
    for _ in range(rows):
        ProgrammeBody.objects.create(programme=programme, institution=factories.institution(), role="funder")
    return reverse("admin:partnerships_programme_change", args=[programme.pk])


def _phase_with(rows):
    phase = Partnership.objects.get(title="Healthy Tynemouth").phase
    for _ in range(rows):
        PhaseBody.objects.create(phase=phase, institution=factories.institution(), role="funder")
    return reverse("admin:partnerships_phase_change", args=[phase.pk])


def _evaluation_with(rows):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    officer = get_user_model().objects.get(username="olivia")
    partnerships = list(Partnership.objects.filter(phase=evaluation.phase))
    for i in range(rows):
        outcome = Outcome.objects.create(partnership=partnerships[0], description=f"Outcome {i}", position=10 + i)
        OutcomeProgress.objects.create(evaluation=evaluation, outcome=outcome, status="achieved")
        finding = factories.finding(evaluation, text=f"Finding {i}")
        finding.partnerships.set(partnerships)
        finding.outcomes.set(Outcome.objects.filter(partnership__phase=evaluation.phase))
        EvaluationEvent.objects.create(evaluation=evaluation, action="submitted", by=officer)
        EvaluationDocument.objects.create(evaluation=evaluation, title=f"Evidence {i}", url="https://x.org/")
        evaluation.looked_at_in_detail.add(factories.partnership(phase=evaluation.phase))
    return reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])


@pytest.mark.parametrize(
    "record_with", [_partnership_with, _institution_with, _programme_with, _phase_with, _evaluation_with]
)
def test_a_record_page_costs_the_same_queries_with_2_related_rows_as_with_12(officer_client, programme, record_with):
    url = record_with(2)
    officer_client.get(url)  # the first page of a session fills caches that any later page reuses
    few = _queries(officer_client, url)
    record_with(10)
    many = _queries(officer_client, url)
    assert many == few, f"{url}: {few} queries with 2 rows of each kind, {many} with 12"


def test_each_rows_chosen_institution_shows_as_chosen_with_its_name(officer_client, programme):
    url = _partnership_with(3)
    text = officer_client.get(url).text
    for membership in Partnership.objects.get(title="Healthy Tynemouth").memberships.select_related("institution"):
        assert f'<option value="{membership.institution_id}" selected>{membership.institution.name}</option>' in text


def test_a_row_sent_back_with_another_institution_shows_the_one_chosen_not_the_one_saved(rf, officer, programme):
    from django.contrib import admin

    from partnerships.admin import MembershipInline

    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    membership = partnership.memberships.select_related("institution").first()
    saved = membership.institution.name
    chosen = factories.institution(name="Newly Chosen University")
    request = rf.get("/")
    request.user = officer
    form_class = MembershipInline(Partnership, admin.site).get_formset(request, partnership).form

    form = form_class(data={"institution": chosen.pk, "role": "not-a-role"}, instance=membership)

    assert not form.is_valid()
    html = str(form["institution"])
    assert f'<option value="{chosen.pk}" selected>Newly Chosen University</option>' in html
    assert saved not in html


@pytest.mark.parametrize(
    "record_with", [_partnership_with, _institution_with, _programme_with, _phase_with, _evaluation_with]
)
def test_a_delete_confirmation_costs_the_same_queries_with_2_related_rows_as_with_12(
    officer_client, programme, record_with
):
    url = record_with(2).replace("/change/", "/delete/")
    officer_client.get(url)
    few = _queries(officer_client, url)
    record_with(10)
    many = _queries(officer_client, url)
    assert many == few, f"{url}: {few} queries with 2 rows of each kind, {many} with 12"


@pytest.mark.parametrize("model", [Partnership, Institution, Membership, Evaluation], ids=lambda m: m._meta.label)
def test_deleting_12_selected_records_asks_with_the_same_queries_as_deleting_2(officer_client, programme, model):
    _partnership_with(12)  # every kind of record has at least 12 rows
    _institution_with(12)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    def confirmation_queries(count):
        selected = list(model.objects.order_by("pk").values_list("pk", flat=True)[:count])
        with CaptureQueriesContext(connection) as captured:
            response = officer_client.post(url, {"action": "delete_selected", "_selected_action": selected})
        # Are you sure, or (institutions still in partnerships) why it cannot be deleted.
        assert "admin/delete_selected_confirmation.html" in [t.name for t in response.templates]
        return len(captured)

    confirmation_queries(2)
    few = confirmation_queries(2)
    many = confirmation_queries(12)
    assert many == few, f"{model._meta.label}: {few} queries for 2 selected, {many} for 12"


@pytest.mark.parametrize(
    "record_with", [_partnership_with, _institution_with, _programme_with, _phase_with, _evaluation_with]
)
def test_the_delete_confirmation_lists_exactly_what_djangos_own_would(rf, officer, programme, record_with):
    # partnerships.admin_mixins.deleted_objects is Django's get_deleted_objects with another collector.
    from django.contrib import admin
    from django.contrib.admin.utils import get_deleted_objects
    from django.urls import resolve

    from partnerships.admin_mixins import deleted_objects

    match = resolve(record_with(3))
    model_admin = admin.site._registry[match.func.model_admin.model]
    request = rf.get("/")
    request.user = officer
    records = [model_admin.model.objects.get(pk=match.kwargs["object_id"])]
    ours, django = deleted_objects(records, request, admin.site), get_deleted_objects(records, request, admin.site)
    assert _as_tree(ours[0]) == _as_tree(django[0])  # the same records, each under the same parent
    # The counts per model (each many-to-many table's named by what it links), the permissions
    # needed, and what is protected.
    assert sorted(ours[1].values()) == sorted(django[1].values())
    assert {k: n for k, n in ours[1].items() if _link_as_one(k) != "a link"} == {
        k: n for k, n in django[1].items() if _link_as_one(k) != "a link"
    }
    assert ours[2:] == django[2:]


def test_the_delete_confirmation_names_the_records_a_link_row_links_not_its_table(officer_client, programme):
    from partnerships.models import Theme

    theme = Theme.objects.filter(partnerships__isnull=False).first()
    partnership = theme.partnerships.first()
    page = officer_client.get(reverse("admin:partnerships_theme_delete", args=[theme.pk]))
    assert f"Link of partnership {partnership} to theme {theme}" in page.text
    assert "Links of partnerships to themes: " in page.text  # the summary, counted
    assert "object (" not in page.text and "relationship" not in page.text


def _as_tree(nested):
    """Django's nested list of records to delete ([record, [its records…], record, …]) as sorted
    (record, children) pairs: rows of a table without an ordering (a many-to-many table's, say) come
    in whatever order the database's plan gives, which differs between two ways of reading them."""
    pairs, rest = [], list(nested)
    while rest:
        record = rest.pop(0)
        children = _as_tree(rest.pop(0)) if rest and isinstance(rest[0], list) else []
        pairs.append((_link_as_one(str(record)), children))
    return sorted(pairs)


def _link_as_one(name):
    """A many-to-many row (or their count) as either names it: Django by its table ("…relationship:
    Partnership_themes object (26)"), the portal by the records it links ("Link of partnership … to
    theme …")."""
    name = str(name)
    is_link = name.startswith(("Link of ", "links of ")) or re.search(r"relationships?(: \w+ object \(\d+\))?$", name)
    return "a link" if is_link else name


def test_an_outcomes_progress_box_says_it_is_the_programmes_own_report_not_an_evaluations(officer_client, programme):
    from partnerships.models import Partnership

    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    page = officer_client.get(reverse("admin:partnerships_partnership_change", args=[tynemouth.pk]))
    assert "Progress reported by the programme" in page.text
    assert "beside the progress any published evaluation found, which evaluators record." in page.text
