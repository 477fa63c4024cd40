"""Olivia, a programme officer, keeps the records: the dashboard, bulk actions, no lost edits
and safe deletes."""

import csv
import html
import io
import re
from decimal import Decimal

import pytest
import tablib
from django import forms
from django.urls import reverse
from django.utils.html import strip_tags

from evaluations.models import Evaluation, Finding, OutcomeProgress
from partnerships.models import NO_ROOM_AFTER_LAST, POSITION_MOST, Institution, Membership, Outcome, Partnership
from partnerships.resources import PartnershipResource
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:partnerships_partnership_changelist")


def test_the_dashboard_shows_the_programmes_figures(officer_client, programme):
    Evaluation.objects.update(status=Evaluation.Status.SUBMITTED)
    response = officer_client.get(reverse("admin:index"))
    dashboard = response.context["dashboard"]
    assert [(r["phase__name"], r["published"], r["draft"]) for r in dashboard["by_phase"]] == [
        ("Phase 1", 1, 0),
        ("Phase 2", 2, 1),
    ]
    assert [e["title"] for e in dashboard["awaiting_review"]] == ["Phase 2 evaluation"]
    assert dashboard["missing"] == {"no_outcomes": 3, "no_lead": 0, "no_region": 0}
    assert "Programme dashboard" in response.text
    assert '?missing=outcomes">3 without desired outcomes</a>' in response.text
    # A figure of none is said, with no link to an empty list.
    assert "<li>None without a region</li>" in response.text and "?missing=region" not in response.text


def test_each_missing_information_figure_links_to_the_records(officer_client, programme):
    Membership.objects.filter(partnership__title="Wearside skills strategy").update(role=Membership.Role.PARTNER)
    response = officer_client.get(CHANGELIST, {"missing": "lead"})
    assert [p.title for p in response.context["cl"].result_list] == ["Wearside skills strategy"]
    response = officer_client.get(CHANGELIST, {"missing": "outcomes"})
    assert len(response.context["cl"].result_list) == 3


def test_publishing_in_bulk_records_who_did_it(officer_client, programme):
    draft = Partnership.objects.get(title="Secret draft partnership")
    response = officer_client.post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert "1 partnership published." in response.text
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.history.first().history_user.username == "olivia"

    officer_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [draft.pk], "confirmed": "yes"})
    draft.refresh_from_db()
    assert not draft.is_published


def test_publishing_a_partnership_with_no_partners_or_summary_warns_the_officer(officer_client, programme):
    draft = Partnership.objects.get(title="Secret draft partnership")
    draft.memberships.all().delete()
    draft.summary = ""
    draft.save()
    complete = Partnership.objects.get(title="Healthy Tynemouth")
    complete.unpublish()
    selected = [draft.pk, complete.pk]

    response = officer_client.post(CHANGELIST, {"action": "publish", "_selected_action": selected}, follow=True)

    assert "2 partnerships published." in response.text
    assert f"{draft}: its public page has no partners and no summary; add them on its page." in response.text
    assert f"{complete}:" not in response.text


def test_publishing_many_incomplete_partnerships_warns_of_ten_and_counts_the_rest(officer_client, programme):
    phase = Partnership.objects.get(title="Secret draft partnership").phase
    drafts = [factories.partnership(phase=phase, summary="", status=Partnership.Status.DRAFT).pk for _ in range(12)]
    response = officer_client.post(CHANGELIST, {"action": "publish", "_selected_action": drafts}, follow=True)
    assert response.text.count("its public page has no partners and no summary") == 10
    assert "2 more published partnerships lack partners or a summary too." in response.text


def test_saving_a_published_partnership_without_partners_warns_once_the_partners_are_saved(officer_client, programme):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    data = change_form_data(officer_client, partnership)
    for key in [k for k in data if k.startswith("memberships-") and k.endswith("-id")]:
        data[key.removesuffix("-id") + "-DELETE"] = "on"
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])

    response = officer_client.post(url, data, follow=True)

    assert not partnership.memberships.exists()
    assert f"{partnership}: its public page has no partners; add them on its page." in response.text
    # A partnership with its partners and summary saves without a warning.
    wearside = Partnership.objects.get(title="Wearside skills strategy")
    wearside_url = reverse("admin:partnerships_partnership_change", args=[wearside.pk])
    saved = officer_client.post(wearside_url, change_form_data(officer_client, wearside), follow=True)
    assert "was changed successfully" in saved.text and "its public page has" not in saved.text


def test_unpublishing_asks_first_and_no_leaves_everything_public(officer_client, programme):
    phase_2 = Partnership.objects.filter(phase__slug="phase-2", status=Partnership.Status.PUBLISHED)
    draft = Partnership.objects.get(title="Secret draft partnership")
    chosen = [p.pk for p in phase_2] + [draft.pk]

    page = officer_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": chosen})

    assert page.status_code == 200
    assert "Unpublish these partnerships?" in page.text and "2 published partnerships to unpublish" in page.text
    assert "1 of those you selected is not published, and will stay as it is." in page.text
    assert reverse("admin:partnerships_partnership_change", args=[draft.pk]) not in page.text
    for partnership in phase_2:
        assert reverse("admin:partnerships_partnership_change", args=[partnership.pk]) in page.text
    assert 'name="confirmed" value="yes"' in page.text
    assert f'href="{CHANGELIST}" class="button cancel-link">No, take me back</a>' in page.text
    assert phase_2.count() == 2  # nothing changed yet

    done = officer_client.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": chosen, "confirmed": "yes"}, follow=True
    )
    assert "2 partnerships unpublished." in done.text
    assert not Partnership.objects.filter(pk__in=chosen, status=Partnership.Status.PUBLISHED).exists()


def test_unpublishing_only_drafts_says_so_and_asks_nothing(officer_client, programme):
    draft = Partnership.objects.get(title="Secret draft partnership")
    response = officer_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [draft.pk]}, follow=True)
    assert "None of the selected partnerships is published." in response.text
    assert "Unpublish these partnerships?" not in response.text


def test_unpublishing_all_matching_a_filter_keeps_the_filter_through_the_confirmation(officer_client, programme):
    filtered = f"{CHANGELIST}?phase__id__exact={Partnership.objects.get(title='Healthy Tynemouth').phase_id}"
    one_shown = Partnership.objects.get(title="Healthy Tynemouth").pk
    form = {"action": "unpublish", "_selected_action": [one_shown], "select_across": "1"}

    page = officer_client.post(filtered, form)
    assert f'<form method="post" action="{filtered}">' in page.text
    officer_client.post(filtered, {**form, "confirmed": "yes"})

    assert not Partnership.objects.filter(phase__slug="phase-2", status=Partnership.Status.PUBLISHED).exists()
    assert Partnership.objects.filter(phase__slug="phase-1", status=Partnership.Status.PUBLISHED).exists()


def test_the_selected_records_export_to_csv(officer_client, programme):
    chosen = Partnership.objects.filter(phase__slug="phase-2").order_by("pk")[:2]
    response = officer_client.post(
        CHANGELIST, {"action": "export_selected_to_csv", "_selected_action": [p.pk for p in chosen]}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbfphase,slug,place")  # UTF-8, marked for spreadsheets
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["phase"], row["slug"]) for row in rows] == [(p.phase.slug, p.slug) for p in chosen]
    assert rows[0]["place"] == chosen[0].place.slug  # related records by slug, as the import reads them

    # Imported again, as an officer would after correcting it, it changes nothing.
    dataset = tablib.Dataset().load(response.content.decode("utf-8-sig"), format="csv")
    result = PartnershipResource().import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}


def test_text_beginning_with_a_dash_is_marked_as_text_in_an_export_and_imports_again_as_it_was(
    officer_client, programme
):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    partnership.why_chosen = "- Strong leadership\n- A shared plan"
    partnership.save()
    response = officer_client.post(
        CHANGELIST, {"action": "export_selected_to_csv", "_selected_action": [partnership.pk]}
    )
    dataset = tablib.Dataset().load(response.content.decode("utf-8-sig"), format="csv")
    # The "'" keeps a spreadsheet from reading "- Strong…" as a formula; the import takes it off.
    assert dataset.dict[0]["why_chosen"] == "'- Strong leadership\n- A shared plan"
    result = PartnershipResource().import_data(dataset, dry_run=True)
    assert [row.import_type for row in result.rows] == ["skip"]


def test_exporting_more_selected_partnerships_asks_no_more_queries(
    officer_client, programme, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_to_export(count):
        chosen = [p.pk for p in Partnership.objects.order_by("pk")[:count]]
        with CaptureQueriesContext(connection) as queries:
            officer_client.post(CHANGELIST, {"action": "export_selected_to_csv", "_selected_action": chosen})
        return len(queries)

    assert Partnership.objects.count() >= 4
    assert queries_to_export(2) == queries_to_export(4)


def test_selected_evaluations_export_with_related_records_by_name(officer_client, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    response = officer_client.post(
        reverse("admin:evaluations_evaluation_changelist"),
        {"action": "export_selected_to_csv", "_selected_action": [evaluation.pk]},
    )
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row["title"] == "Phase 2 evaluation" and row["phase"] == str(evaluation.phase)


def _is_file(bound_field):
    return isinstance(bound_field.field, forms.FileField)


def change_form_data(client, record):
    """What a record's change form posts when saved as opened: every field and inline as rendered."""
    opts = record._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]))
    form = response.context["adminform"].form
    # A stored file is not sent again: a browser sends its file box empty unless a new one is chosen.
    data = {field.html_name: field.value() for field in form if field.value() is not None and not _is_file(field)}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for field in management:
            data[field.html_name] = field.value()
        for inline_form in formset.formset.forms:
            for field in inline_form:
                value = field.value()
                if value is not None and value is not False and not _is_file(field):
                    data[field.html_name] = value
    return data


def listed_errors(response):
    """The errors listed at the top of a record page, as (what each says, the id its link goes to)."""
    summary = re.search(r'<div class="error-summary".*?</div>', response.text, re.S)
    assert summary, "no list of errors at the top of the page"
    items = re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    return [
        (
            html.unescape(strip_tags(item)).strip(),
            link.group(1) if (link := re.search(r'href="#([^"]+)"', item)) else None,
        )
        for item in items
    ]


def test_the_second_of_two_concurrent_edits_is_refused_and_the_first_stands(programme, officer):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    olivia = client_for(officer)
    other = client_for(factories_officer())
    first = change_form_data(olivia, partnership)
    second = change_form_data(other, partnership)

    first["title"] = "Active Tynemouth"
    saved = olivia.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), first)
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved

    second["title"] = "Healthier Tynemouth"
    response = other.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), second)
    assert response.status_code == 422
    assert "Someone else saved this record after you opened it" in response.text
    partnership.refresh_from_db()
    assert partnership.title == "Active Tynemouth"


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("partnerships.Place", "name"),
        ("partnerships.Theme", "name"),
        ("partnerships.Membership", "note"),
        ("partnerships.Challenge", "description"),
        ("partnerships.Outcome", "unit"),
        ("partnerships.Document", "title"),
        ("evaluations.OutcomeProgress", "evidence_note"),
        ("evaluations.EvaluationDocument", "title"),
    ],
)
def test_the_second_of_two_concurrent_edits_of_a_record_without_a_version_is_refused_too(
    one_of_everything, officer, label, field
):
    from django.apps import apps

    record = apps.get_model(label).objects.order_by("pk").first()
    address = reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])
    olivia, priya = client_for(officer), client_for(factories_officer())
    first, second = change_form_data(olivia, record), change_form_data(priya, record)

    saved = olivia.post(address, first | {field: "Olivia's words"})
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    refused = priya.post(address, second | {field: "Priya's words"})

    assert refused.status_code == 422
    assert "Someone else saved this record after you opened it" in refused.text
    record.refresh_from_db()
    assert getattr(record, field) == "Olivia's words"


def factories_officer():
    from django.contrib.auth.models import Group, User

    from evaluations.roles import PROGRAMME_OFFICERS

    user = User.objects.create_user("priya", "priya@example.org", "x", is_staff=True)
    user.groups.add(Group.objects.get(name=PROGRAMME_OFFICERS))
    return user


def test_an_institution_in_partnerships_cannot_be_deleted_and_the_admin_says_why(officer_client, programme):
    council = Institution.objects.get(name="Tynemouth City Council")
    url = reverse("admin:partnerships_institution_delete", args=[council.pk])
    page = officer_client.get(url)
    assert "would require deleting the following protected related objects" in page.text
    assert page.status_code == 200 and "Tynemouth City Council in Tynemouth – Phase 2" in page.text
    refused = officer_client.post(url, {"post": "yes"})
    assert refused.status_code == 409 and "protected related objects" in refused.text
    assert Institution.objects.filter(pk=council.pk).exists()
    chosen = {"action": "delete_selected", "_selected_action": [council.pk], "post": "yes"}
    refused = officer_client.post(reverse("admin:partnerships_institution_changelist"), chosen)
    assert refused.status_code == 409 and Institution.objects.filter(pk=council.pk).exists()


def test_olivia_removing_an_outcome_an_evaluation_assessed_is_told_which_and_what_to_do(officer_client, programme):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    outcome = tynemouth.outcomes.get()
    OutcomeProgress.objects.create(evaluation=evaluation, outcome=outcome, status=Outcome.Progress.IN_PROGRESS)
    data = change_form_data(officer_client, tynemouth) | {"outcomes-0-DELETE": "on", "summary": "Not saved alone."}

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[tynemouth.pk]), data)

    assert response.status_code == 422
    assert listed_errors(response) == [
        (
            "Desired outcomes: “Fewer people inactive” cannot be removed, as Phase 2 evaluation recorded progress on "
            "it (“In progress”). Untick “Delete” to keep it, or remove what refers to it first.",
            "outcomes-group",
        )
    ]
    assert "protected related objects" not in response.text
    tynemouth.refresh_from_db()
    assert tynemouth.outcomes.get() == outcome and tynemouth.summary != "Not saved alone."


def test_a_phase_with_partnerships_cannot_be_deleted(officer_client, programme):
    from partnerships.models import Phase

    phase = Phase.objects.get(slug="phase-2")
    page = officer_client.get(reverse("admin:partnerships_phase_delete", args=[phase.pk]))
    assert "protected related objects" in page.text
    officer_client.post(reverse("admin:partnerships_phase_delete", args=[phase.pk]), {"post": "yes"})
    assert Phase.objects.filter(pk=phase.pk).exists()


def test_officers_cannot_manage_users_groups_or_permissions(officer_client, admin_client_):
    for name in ("auth_user_changelist", "auth_user_add", "auth_group_changelist", "auth_group_add"):
        assert officer_client.get(reverse(f"admin:{name}")).status_code == 403
        assert admin_client_.get(reverse(f"admin:{name}")).status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_the_partnership_changelist_uses_a_constant_number_of_queries(
    officer_client, programme, extra, django_assert_num_queries
):
    for i in range(extra):
        factories.partnership(title=f"Extra {i}")
    # savepoint, session, user, groups and permissions (2), phases and themes for the filters (2),
    # the count, the page of partnerships with place and phase, release
    with django_assert_num_queries(10):
        assert officer_client.get(CHANGELIST).status_code == 200


def test_a_form_opened_before_a_bulk_action_is_refused_and_the_action_stands(programme, officer):
    draft = Partnership.objects.get(title="Secret draft partnership")
    olivia = client_for(officer)
    opened = change_form_data(olivia, draft)
    client_for(factories_officer()).post(CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]})

    opened["title"] = "Renamed in an old form"
    response = olivia.post(reverse("admin:partnerships_partnership_change", args=[draft.pk]), opened)
    assert "Someone else saved this record after you opened it" in response.text
    draft.refresh_from_db()
    assert draft.is_published and draft.title == "Secret draft partnership"


def test_a_tampered_choice_in_an_autocomplete_field_is_an_error_message_not_a_crash(officer_client, programme):
    response = officer_client.post(reverse("admin:evaluations_evaluation_add"), {"title": "X", "phase": ":"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.text
    assert not Evaluation.objects.filter(title="X").exists()


def test_a_partner_added_by_someone_else_since_the_page_was_opened_is_named_not_a_server_error(
    programme, officer, officer_client
):
    partnership = Partnership.objects.get(title="Wearside skills strategy")
    college = Institution.objects.get(name="Tynemouth College")
    opened = change_form_data(officer_client, partnership)
    Membership.objects.create(partnership=partnership, institution=college, role=Membership.Role.PARTNER)
    row = int(opened["memberships-TOTAL_FORMS"])
    opened |= {
        "memberships-TOTAL_FORMS": row + 1,
        f"memberships-{row}-institution": college.pk,
        f"memberships-{row}-role": Membership.Role.PARTNER,
        "summary": "An edit that must wait.",
    }

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), opened)

    assert response.status_code == 422
    assert (
        "Tynemouth College was added here by someone else since you opened this page. Remove the row you added, "
        "or open the page again to see theirs." in response.text
    )
    partnership.refresh_from_db()
    assert partnership.summary != "An edit that must wait."
    assert partnership.memberships.filter(institution=college).count() == 1


def test_a_row_someone_else_changed_since_the_page_was_opened_is_not_overwritten(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    outcome = partnership.outcomes.get()
    opened = change_form_data(officer_client, partnership) | {"summary": "Olivia's new summary."}
    # Another officer rewords the outcome in its own page meanwhile.
    Outcome.objects.filter(pk=outcome.pk).update(description="Fewer people inactive, in every ward.")

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), opened)

    assert response.status_code == 422
    assert "Someone else changed this row after you opened the page, so your changes were not saved." in response.text
    outcome.refresh_from_db()
    partnership.refresh_from_db()
    assert outcome.description == "Fewer people inactive, in every ward."
    assert partnership.summary != "Olivia's new summary."


def test_an_evaluators_edit_to_a_finding_survives_an_officer_saving_the_evaluation_opened_before(
    programme, officer_client
):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    finding = evaluation.findings.order_by("position").first()
    opened = change_form_data(officer_client, evaluation) | {"summary": "Saved over an evaluator's edit?"}
    Finding.objects.filter(pk=finding.pk).update(text="Reworded by the evaluator.")

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), opened)

    assert "Someone else changed this row after you opened the page" in response.text
    finding.refresh_from_db()
    assert finding.text == "Reworded by the evaluator."


def test_a_findings_partnerships_changed_by_an_evaluator_survive_an_officer_saving_the_evaluation(
    programme, officer_client
):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    finding = evaluation.findings.order_by("position").first()
    opened = change_form_data(officer_client, evaluation) | {"summary": "Saved over an evaluator's edit?"}
    # The evaluator names one more partnership, and changes nothing else of the finding.
    named = set(finding.partnerships.values_list("pk", flat=True))
    another = evaluation.phase.partnerships.exclude(pk__in=named).first()
    finding.partnerships.add(another)

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), opened)

    assert response.status_code == 422
    assert "Someone else changed this row after you opened the page" in response.text
    assert set(finding.partnerships.values_list("pk", flat=True)) == named | {another.pk}
    evaluation.refresh_from_db()
    assert evaluation.summary != "Saved over an evaluator's edit?"


def test_an_officer_saving_a_page_nobody_else_changed_is_not_troubled(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    opened = change_form_data(officer_client, partnership) | {"summary": "Olivia's new summary."}
    assert (
        officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), opened).status_code
        == 302
    )


def test_a_row_someone_else_removed_since_the_page_was_opened_is_said_not_left_unexplained(programme, officer_client):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    opened = change_form_data(officer_client, evaluation) | {"summary": "Saved after a finding went?"}
    evaluation.findings.order_by("position").first().delete()  # the evaluator removed it meanwhile

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), opened)

    assert response.status_code == 422
    assert "Someone else removed this row after you opened the page, so your changes were not saved." in response.text
    listed = listed_errors(response)
    assert [message for message, _ in listed] == [
        "Findings, row 1: Someone else removed this row after you opened the page, so your changes were not "
        "saved. Open the page again to see what is there now, then make your changes."
    ]
    assert listed[0][1] == "findings-0"  # the row, not its hidden record number
    evaluation.refresh_from_db()
    assert evaluation.summary == "What Phase 2 achieved."


def _with_new_outcomes(data, *descriptions, position=""):
    row = int(data["outcomes-TOTAL_FORMS"])
    for offset, description in enumerate(descriptions):
        data |= {f"outcomes-{row + offset}-description": description, f"outcomes-{row + offset}-position": position}
        data |= {f"outcomes-{row + offset}-progress": Outcome.Progress.NOT_ASSESSED}
    return data | {"outcomes-TOTAL_FORMS": row + len(descriptions)}


def test_outcomes_olivia_adds_with_no_position_go_after_the_last_in_the_order_she_added_them(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    first = partnership.outcomes.get()
    opened = change_form_data(officer_client, partnership)
    data = _with_new_outcomes(opened, "More walking to school.", "More cycling to work.")

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 302
    listed = list(partnership.outcomes.values_list("description", "position"))
    assert listed == [(first.description, first.position), ("More walking to school.", first.position + 1)] + [
        ("More cycling to work.", first.position + 2)
    ]


def test_a_new_outcome_row_offers_an_empty_position_that_says_it_goes_last(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    page = officer_client.get(reverse("admin:partnerships_partnership_change", args=[partnership.pk]))
    (outcomes,) = [f.formset for f in page.context["inline_admin_formsets"] if f.formset.prefix == "outcomes"]
    empty = outcomes.empty_form
    assert empty["position"].value() is None and not empty.fields["position"].required
    assert "Leave it empty to put it last." in page.text


def test_two_outcome_rows_at_one_position_are_refused_and_nothing_is_saved(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    taken = partnership.outcomes.get().position
    opened = change_form_data(officer_client, partnership) | {"summary": "An edit that must wait."}
    data = _with_new_outcomes(opened, "More walking to school.", position=taken)

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 422
    assert f"Another row here is at position {taken}. Give each row its own position" in response.text
    assert partnership.outcomes.count() == 1
    partnership.refresh_from_db()
    assert partnership.summary != "An edit that must wait."


def test_an_outcome_added_on_its_own_page_with_no_position_goes_after_the_partnerships_last(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    last = partnership.outcomes.get().position
    data = {"partnership": partnership.pk, "description": "More walking.", "position": ""}
    response = officer_client.post(reverse("admin:partnerships_outcome_add"), data | {"progress": "not-assessed"})
    assert response.status_code == 302
    assert partnership.outcomes.get(description="More walking.").position == last + 1


def test_a_finding_added_in_the_back_office_with_no_position_goes_after_the_evaluations_last(programme, officer_client):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    last = max(evaluation.findings.values_list("position", flat=True))
    data = {"evaluation": evaluation.pk, "kind": Finding.Kind.LESSON, "text": "Start with the data.", "position": ""}
    response = officer_client.post(reverse("admin:evaluations_finding_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert evaluation.findings.get(text="Start with the data.").position == last + 1


def test_a_partnership_olivia_adds_on_an_institutions_page_puts_the_institution_last_among_its_partners(
    programme, officer_client
):
    college = Institution.objects.get(name="Tynemouth College")
    wearside = Partnership.objects.exclude(memberships__institution=college).filter(memberships__isnull=False).first()
    before = list(wearside.memberships.order_by("position").values_list("institution_id", "position"))
    data = change_form_data(officer_client, college)
    row = int(data["memberships-TOTAL_FORMS"])
    data |= {f"memberships-{row}-partnership": wearside.pk, f"memberships-{row}-role": Membership.Role.PARTNER}
    data["memberships-TOTAL_FORMS"] = row + 1

    response = officer_client.post(reverse("admin:partnerships_institution_change", args=[college.pk]), data)

    assert response.status_code == 302
    after = list(wearside.memberships.order_by("position").values_list("institution_id", "position"))
    assert after == [*before, (college.pk, before[-1][1] + 1)]


def _save_institution(client, institution, aliases):
    data = change_form_data(client, institution) | {"aliases": aliases}
    return client.post(reverse("admin:partnerships_institution_change", args=[institution.pk]), data)


def test_olivia_types_an_institutions_other_names_one_a_line(programme, officer_client):
    college = Institution.objects.get(name="Tynemouth College")
    response = _save_institution(officer_client, college, "Tynemouth Coll.\r\n  Tynemouth \x00  FE College \r\n\r\n")
    assert response.status_code == 302
    college.refresh_from_db()
    assert college.aliases == ["Tynemouth Coll.", "Tynemouth FE College"]
    # The page shows them as she typed them, a name a line.
    page = officer_client.get(reverse("admin:partnerships_institution_change", args=[college.pk]))
    assert 'id="id_aliases">\nTynemouth Coll.\nTynemouth FE College</textarea>' in page.text
    assert "Other names" in page.text


@pytest.mark.parametrize("typed", ["NaN", "1e400", "Bedford Uni", '{"a": 1}', "[1, 2]"])
def test_whatever_olivia_types_as_other_names_is_kept_as_names_never_a_server_error(programme, officer_client, typed):
    college = Institution.objects.get(name="Tynemouth College")
    assert _save_institution(officer_client, college, typed).status_code == 302
    college.refresh_from_db()
    assert college.aliases == [typed]


def test_an_other_name_longer_than_a_name_may_be_is_refused_and_the_old_names_stand(programme, officer_client):
    college = Institution.objects.get(name="Tynemouth College")
    college.aliases = ["Tynemouth Coll."]
    college.save()
    response = _save_institution(officer_client, college, "x" * 201)
    assert response.status_code == 422
    assert "A name is at most 200 characters; the one beginning “xxxx" in response.text
    college.refresh_from_db()
    assert college.aliases == ["Tynemouth Coll."]


@pytest.mark.parametrize(
    ("case", "said", "not_said"),
    [
        ("neither a file nor a link", "Upload a file or give an external link.", "not both"),
        ("a phase and a partnership", "Choose exactly one programme, phase or partnership", "belongs to exactly one"),
    ],
)
def test_a_document_olivia_cannot_save_gets_one_message_that_fits(programme, officer_client, case, said, not_said):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    data = {"title": "Slides", "kind": "other", "partnership": partnership.pk, "url": "https://example.org/"}
    if case == "neither a file nor a link":
        data["url"] = ""
    else:
        data["phase"] = partnership.phase.pk
    response = officer_client.post(reverse("admin:partnerships_document_add"), data)
    assert response.status_code == 422
    [(message, box)] = listed_errors(response)
    assert said in message and box and not_said not in response.text


def test_olivia_is_warned_that_deleting_a_published_evaluation_takes_it_off_the_public_pages(programme, officer_client):
    published = Evaluation.objects.get(title="Phase 2 evaluation")
    assert published.is_published
    page = officer_client.get(reverse("admin:evaluations_evaluation_delete", args=[published.pk]))
    assert "This evaluation is published: deleting it takes it off the public pages at once" in page.text
    published.status = Evaluation.Status.DRAFT
    published.save()
    page = officer_client.get(reverse("admin:evaluations_evaluation_delete", args=[published.pk]))
    assert "is published" not in page.text and "Yes, I’m sure" in page.text


def test_deleting_several_partnerships_names_those_that_are_published(programme, officer_client):
    chosen = list(Partnership.objects.order_by("pk"))
    published = [p for p in chosen if p.is_published]
    assert 1 < len(published) < len(chosen)
    page = officer_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [p.pk for p in chosen]})
    assert f"{len(published)} of these are published: deleting takes them off the public pages at once" in page.text
    for partnership in chosen:
        assert (f"<li>{partnership}</li>" in page.text) == partnership.is_published


@pytest.mark.parametrize(
    ("field", "limit", "said"),
    [
        ("summary", 1000, "A summary"),
        ("why_chosen", 5000, "Why it was chosen"),
        ("outcomes_intro", 1000, "The lead-in"),
    ],
)
def test_a_partnerships_long_text_over_its_limit_is_refused_in_words_and_nothing_is_saved(
    programme, officer_client, field, limit, said
):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    before = getattr(partnership, field)
    data = change_form_data(officer_client, partnership) | {field: "x" * (limit + 1), "title": "Not saved"}
    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)
    assert response.status_code == 422
    assert f"{said} can be up to {limit:,} characters, and this one has {limit + 1:,}. Shorten it." in response.text
    partnership.refresh_from_db()
    assert (getattr(partnership, field), partnership.title) == (before, "Healthy Tynemouth")


def test_a_line_break_counts_once_towards_a_summarys_limit(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    summary = "\r\n".join(["x" * 99] * 10)  # 999 characters as stored; the browser sends 1,008
    data = change_form_data(officer_client, partnership) | {"summary": summary}
    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)
    assert response.status_code == 302


def test_a_new_outcome_left_without_a_position_goes_after_one_given_the_next_position(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    taken = partnership.outcomes.get().position
    opened = change_form_data(officer_client, partnership)
    data = _with_new_outcomes(opened, "Left empty.")
    data = _with_new_outcomes(data, "Given the next.", position=taken + 1)

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 302
    positions = dict(partnership.outcomes.values_list("description", "position"))
    assert (positions["Given the next."], positions["Left empty."]) == (taken + 1, taken + 2)


def test_two_outcomes_saved_at_one_position_before_the_rule_do_not_block_an_unrelated_edit(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    Outcome.objects.create(
        partnership=partnership, description="An old twin.", position=partnership.outcomes.get().position
    )
    data = change_form_data(officer_client, partnership) | {"summary": "A new summary."}

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.summary == "A new summary."


def test_an_outcome_added_on_its_own_page_at_a_position_taken_is_refused(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    taken = partnership.outcomes.get().position
    data = {
        "partnership": partnership.pk,
        "description": "More walking.",
        "position": taken,
        "progress": "not-assessed",
    }
    response = officer_client.post(reverse("admin:partnerships_outcome_add"), data)
    assert response.status_code == 422
    assert f"Another row of {partnership} is at position {taken}. Give this one another, or leave it empty" in (
        response.text
    )
    assert partnership.outcomes.count() == 1


def test_a_position_past_what_every_database_holds_is_refused_on_sqlite_too(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    opened = change_form_data(officer_client, partnership) | {"summary": "An edit that must wait."}
    data = _with_new_outcomes(opened, "More walking to school.", position=99999)

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 422
    assert "A position is at most 32,767." in response.text
    assert partnership.outcomes.count() == 1
    partnership.refresh_from_db()
    assert partnership.summary != "An edit that must wait."


def test_a_new_outcome_olivia_leaves_last_after_one_she_moves_to_the_largest_position_is_refused_in_words(
    programme, officer_client
):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    first = partnership.outcomes.get()
    opened = change_form_data(officer_client, partnership) | {"outcomes-0-position": POSITION_MOST}
    data = _with_new_outcomes(opened, "More walking to school.")

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 422
    assert "There is no room after position 32,767, the largest a position can be, to put this row last." in (
        response.text
    )
    assert list(partnership.outcomes.values_list("pk", "position")) == [(first.pk, first.position)]


def test_a_new_outcome_left_last_after_one_saved_at_the_largest_position_is_refused_once_in_words(
    programme, officer_client
):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    partnership.outcomes.update(position=POSITION_MOST)
    data = _with_new_outcomes(change_form_data(officer_client, partnership), "More walking to school.")

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 422
    assert listed_errors(response) == [
        (
            "Desired outcomes, row 2, Position: There is no room after position 32,767, the largest a position can "
            "be, to put this row last. Give it a position of its own, or give the last row a lower one.",
            "id_outcomes-1-position",
        )
    ]
    assert partnership.outcomes.count() == 1


def test_a_new_outcome_sent_without_its_position_box_goes_last_too(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    last = partnership.outcomes.get().position
    data = _with_new_outcomes(change_form_data(officer_client, partnership), "More walking to school.")
    del data["outcomes-1-position"]  # as a script that leaves it out would send it

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 302
    assert partnership.outcomes.get(description="More walking to school.").position == last + 1


def test_olivia_lowering_the_last_outcome_and_adding_one_after_it_in_one_save_is_saved(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    first = partnership.outcomes.get()
    partnership.outcomes.update(position=POSITION_MOST)
    data = change_form_data(officer_client, partnership) | {"outcomes-0-position": 5}
    data = _with_new_outcomes(data, "More walking to school.")

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 302
    assert list(partnership.outcomes.values_list("pk", "position")) == [
        (first.pk, 5),
        (partnership.outcomes.get(description="More walking to school.").pk, 6),
    ]


def test_an_outcome_added_on_its_own_page_after_one_at_the_largest_position_is_refused_in_words(
    programme, officer_client
):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    partnership.outcomes.update(position=POSITION_MOST)
    data = {"partnership": partnership.pk, "description": "More walking.", "position": "", "progress": "not-assessed"}

    response = officer_client.post(reverse("admin:partnerships_outcome_add"), data)

    assert response.status_code == 422
    assert NO_ROOM_AFTER_LAST in response.text
    assert partnership.outcomes.count() == 1


def test_a_partnership_added_on_an_institutions_page_whose_last_partner_is_at_the_largest_position_is_refused(
    programme, officer_client
):
    college = Institution.objects.get(name="Tynemouth College")
    wearside = Partnership.objects.exclude(memberships__institution=college).filter(memberships__isnull=False).first()
    wearside.memberships.update(position=POSITION_MOST)
    data = change_form_data(officer_client, college)
    row = int(data["memberships-TOTAL_FORMS"])
    data |= {f"memberships-{row}-partnership": wearside.pk, f"memberships-{row}-role": Membership.Role.PARTNER}
    data["memberships-TOTAL_FORMS"] = row + 1

    response = officer_client.post(reverse("admin:partnerships_institution_change", args=[college.pk]), data)

    assert response.status_code == 422
    assert NO_ROOM_AFTER_LAST in response.text
    assert not wearside.memberships.filter(institution=college).exists()


def test_the_sections_of_a_partnerships_page_are_named_as_the_public_page_names_them(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    page = officer_client.get(reverse("admin:partnerships_partnership_change", args=[partnership.pk]))

    headings = [str(inline.opts.verbose_name_plural) for inline in page.context["inline_admin_formsets"]]
    assert headings == ["partners", "challenges", "desired outcomes", "documents"]
    assert "Add another Partner" in page.text and "Add another Desired outcome" in page.text


def _two_members(partnership):
    first, second = partnership.memberships.order_by("position", "pk")[:2]
    return first, second


def test_olivia_swapping_two_partners_institutions_in_one_save_is_told_how_to_do_it(leading_places, officer_client):
    partnership = Partnership.objects.get(phase__slug="phase-2", slug="bedford")
    first, second = _two_members(partnership)
    data = change_form_data(officer_client, partnership) | {
        "memberships-0-institution": second.institution_id,
        "memberships-1-institution": first.institution_id,
    }

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 422
    assert f"This row takes the institution of “{second}”, which takes this row’s in turn" in response.text
    assert "Remove one of the two rows and save, then add it again with its new value." in response.text
    assert list(partnership.memberships.order_by("position", "pk").values_list("institution", flat=True))[:2] == [
        first.institution_id,
        second.institution_id,
    ]


def test_olivia_gives_one_partner_the_institution_of_a_partner_she_removes_in_the_same_save(
    leading_places, officer_client
):
    partnership = Partnership.objects.get(phase__slug="phase-2", slug="bedford")
    first, second = _two_members(partnership)
    data = change_form_data(officer_client, partnership) | {
        "memberships-0-institution": second.institution_id,
        "memberships-1-DELETE": "on",
    }

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.institution_id == second.institution_id
    assert not Membership.objects.filter(pk=second.pk).exists()


def test_olivia_moves_institutions_along_three_partners_in_one_save(leading_places, officer_client):
    partnership = Partnership.objects.get(phase__slug="phase-2", slug="bedford")
    first, second, third = partnership.memberships.order_by("position", "pk")[:3]
    newcomer = Institution.objects.exclude(memberships__partnership=partnership).first()
    # Row 1 takes row 2's institution, row 2 takes row 3's, and row 3 a new one: saved last to first.
    data = change_form_data(officer_client, partnership) | {
        "memberships-0-institution": second.institution_id,
        "memberships-1-institution": third.institution_id,
        "memberships-2-institution": newcomer.pk,
    }

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 302
    moved = [Membership.objects.get(pk=row.pk).institution_id for row in (first, second, third)]
    assert moved == [second.institution_id, third.institution_id, newcomer.pk]


def test_olivia_giving_a_partner_an_institution_no_other_row_has_saves_as_before(leading_places, officer_client):
    partnership = Partnership.objects.get(phase__slug="phase-2", slug="bedford")
    first, _ = _two_members(partnership)
    newcomer = Institution.objects.exclude(memberships__partnership=partnership).first()
    data = change_form_data(officer_client, partnership) | {"memberships-0-institution": newcomer.pk}

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.institution == newcomer


def test_olivia_sees_every_error_of_a_partnership_and_its_partners_listed_at_the_top_each_linked_to_its_box(
    programme, officer_client
):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    data = change_form_data(officer_client, partnership) | {"title": ""}
    row = int(data["memberships-TOTAL_FORMS"])
    data |= {f"memberships-{row}-role": "partner", f"memberships-{row}-note": "Leads on skills."}  # no institution
    data["memberships-TOTAL_FORMS"] = row + 1

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 422
    assert listed_errors(response) == [
        ("Title: Enter the title.", "id_title"),
        (f"Partners, row {row + 1}, Institution: Choose the institution.", f"id_memberships-{row}-institution"),
    ]
    assert f'id="id_memberships-{row}-institution"' in response.text and 'id="id_title"' in response.text
    assert Partnership.objects.get(pk=partnership.pk).title == "Healthy Tynemouth"


def test_a_record_page_opened_without_errors_lists_none(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    page = officer_client.get(reverse("admin:partnerships_partnership_change", args=[partnership.pk]))
    assert page.status_code == 200 and 'id="error-summary"' not in page.text


def test_ada_finds_the_record_of_sign_in_attempts_under_that_name_on_the_dashboard(admin_client_):
    page = admin_client_.get(reverse("admin:index"))
    assert page.status_code == 200
    assert "Sign-in attempts" in page.text and ">Axes<" not in page.text


def test_the_errors_of_a_row_olivia_is_removing_are_not_listed_as_hers_to_correct(programme, officer_client):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    data = change_form_data(officer_client, partnership) | {"title": ""}
    data |= {"outcomes-0-indicator": Outcome.Indicator.NUMERIC, "outcomes-0-target": "", "outcomes-0-DELETE": "on"}

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[partnership.pk]), data)

    assert response.status_code == 422
    assert listed_errors(response) == [("Title: Enter the title.", "id_title")]


def test_an_add_page_sent_back_with_errors_does_not_have_django_focus_its_first_box_over_the_list(officer_client):
    add = reverse("admin:partnerships_place_add")
    assert 'data-model-name="place"' in officer_client.get(add).text  # a new page starts at its first box
    refused = officer_client.post(add, {})
    assert refused.status_code == 422 and 'id="error-summary"' in refused.text
    assert "data-model-name" not in refused.text


def test_a_partnership_named_by_its_phases_evaluation_cannot_move_to_another_phase(programme, officer_client):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    phase_2, phase_1 = tynemouth.phase, Partnership.objects.get(title="Skills for Tynemouth").phase
    evaluation = Evaluation.objects.get(phase=phase_2)
    finding = factories.finding(evaluation, text="Tynemouth walked more.", position=9)
    finding.partnerships.add(tynemouth)
    data = change_form_data(officer_client, tynemouth) | {"phase": phase_1.pk, "summary": "Not saved alone."}

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[tynemouth.pk]), data)

    assert response.status_code == 422
    assert response.context["adminform"].form.errors["phase"] == [
        f"It cannot move to another phase while an evaluation of its phase names it: {evaluation.title} (its "
        "findings). Keep its phase; or, to move it, first open that evaluation under Evaluations, then take it and "
        "its desired outcomes off the findings that name them."
    ]
    tynemouth.refresh_from_db()
    assert (tynemouth.phase, finding.partnerships.get()) == (phase_2, tynemouth)


@pytest.mark.parametrize(
    ("naming", "said", "undo"),
    [
        (
            "an outcome in a finding",
            "(its findings)",
            "take it and its desired outcomes off the findings that name them",
        ),
        ("progress", "(its progress on desired outcomes)", "remove the progress on its desired outcomes"),
        (
            "looked at in detail",
            "(the partnerships it looked at in detail)",
            "untick it under “Partnerships looked at in detail”",
        ),
    ],
)
def test_a_partnership_its_phases_evaluation_names_in_any_way_cannot_move_to_another_phase_and_olivia_is_told_how(
    programme, officer_client, naming, said, undo
):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    phase_1 = Partnership.objects.get(title="Skills for Tynemouth").phase
    evaluation = Evaluation.objects.get(phase=tynemouth.phase)
    outcome = tynemouth.outcomes.get()
    if naming == "an outcome in a finding":
        factories.finding(evaluation, text="Walking rose.", position=9).outcomes.add(outcome)
    elif naming == "progress":
        OutcomeProgress.objects.create(evaluation=evaluation, outcome=outcome, status=Outcome.Progress.ACHIEVED)
    else:
        evaluation.looked_at_in_detail.add(tynemouth)
    data = change_form_data(officer_client, tynemouth) | {"phase": phase_1.pk}

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[tynemouth.pk]), data)

    assert response.status_code == 422, naming
    assert response.context["adminform"].form.errors["phase"] == [
        f"It cannot move to another phase while an evaluation of its phase names it: {evaluation.title} {said}. "
        f"Keep its phase; or, to move it, first open that evaluation under Evaluations, then {undo}."
    ]


def test_a_partnership_two_evaluations_of_its_phase_name_is_told_of_both(programme, officer_client):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    phase_1 = Partnership.objects.get(title="Skills for Tynemouth").phase
    first = Evaluation.objects.get(phase=tynemouth.phase)
    second = factories.evaluation(phase=tynemouth.phase, title="A second look")
    factories.finding(first, text="Walking rose.", position=9).partnerships.add(tynemouth)
    factories.finding(second, text="Cycling rose.").partnerships.add(tynemouth)
    second.looked_at_in_detail.add(tynemouth)
    data = change_form_data(officer_client, tynemouth) | {"phase": phase_1.pk}

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[tynemouth.pk]), data)

    assert response.context["adminform"].form.errors["phase"] == [
        "It cannot move to another phase while evaluations of its phase name it: A second look (its findings and "
        "the partnerships it looked at in detail); Phase 2 evaluation (its findings). Keep its phase; or, to move "
        "it, first open each of those evaluations under Evaluations, then take it and its desired outcomes off the "
        "findings that name them; then untick it under “Partnerships looked at in detail”."
    ]


def test_a_partnership_no_evaluation_of_its_phase_names_moves_to_another_phase(programme, officer_client):
    wearside = Partnership.objects.get(title="Wearside skills strategy")
    phase_1 = Partnership.objects.get(title="Skills for Tynemouth").phase
    data = change_form_data(officer_client, wearside) | {"phase": phase_1.pk}

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[wearside.pk]), data)

    assert response.status_code == 302
    wearside.refresh_from_db()
    assert wearside.phase == phase_1


def test_olivia_sees_what_she_typed_on_a_partnerships_page_when_her_sign_in_ended_before_she_saved_it(
    officer_client, programme
):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    address = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    data = change_form_data(officer_client, partnership) | {"summary": "A long <careful> edit."}
    data["memberships-0-note"] = "Leads the walking work."
    officer_client.logout()  # the sign-in ends, or she signs out in another tab

    response = officer_client.post(address, data)

    assert response.status_code == 403 and "no-store" in response["Cache-Control"]  # it holds what was typed
    assert "Not saved: you were signed out" in response.text
    typed = dict(
        re.findall(
            r'<label class="form-label" for="typed-\d+">(.*?)</label>\s*<textarea[^>]*>(.*?)</textarea>',
            response.text,
            re.S,
        )
    )
    assert typed["Summary"] == "A long &lt;careful&gt; edit."
    assert typed["Memberships, row 1: note"] == "Leads the walking work."
    assert not any(label.endswith(("id", "position", "version")) or "FORMS" in label for label in typed)
    assert f'href="/admin/login/?next={address.replace("/", "%2F")}"' in response.text
    partnership.refresh_from_db()
    assert partnership.summary != "A long <careful> edit."
    assert officer_client.get(address).status_code == 302  # opening a page still leads to signing in


def test_what_a_back_office_form_sent_after_the_sign_in_ended_shows_back_leaves_out_passwords_and_workings():
    from django.http import QueryDict

    from leadingplaces.admin import _typed

    posted = QueryDict(mutable=True)
    posted.update({"summary": "Kept.", "old_password": "secret-1", "new_password1": "secret-2", "version": "7"})
    posted.update(
        {"import_file_name": "tmp123.csv", "checked_at": "2026-12-04T20:00:00+00:00", "memberships-0-id": "4"}
    )

    assert _typed(posted) == [("Summary", "Kept.")]


@pytest.mark.parametrize(
    ("written", "saved"),
    [("1,000", Decimal("1000")), ("2,500.5", Decimal("2500.5")), (" 72 ", Decimal("72")), ("1e5", None)],
)
def test_olivia_writes_an_outcomes_figures_as_people_write_numbers(programme, officer_client, written, saved):
    partnership = Partnership.objects.get(title="Healthy Tynemouth")
    data = {
        "partnership": partnership.pk,
        "description": "More apprentices.",
        "progress": "not-assessed",
        "indicator": "numeric",
        "unit": "apprentices",
        "baseline": written,
        "target": "3,000",
    }
    response = officer_client.post(reverse("admin:partnerships_outcome_add"), data)

    if saved is None:  # "1e5" is how a program writes a number, not a person: refused, as on the workspace
        assert response.status_code == 422
        assert response.context["adminform"].form.errors["baseline"] == ["Enter a number, such as 72 or 1,250.5."]
        assert not partnership.outcomes.filter(description="More apprentices.").exists()
    else:
        assert response.status_code == 302, response.context["adminform"].form.errors
        outcome = partnership.outcomes.get(description="More apprentices.")
        assert (outcome.baseline, outcome.target) == (saved, Decimal("3000"))


def test_an_outcomes_figures_are_typed_in_boxes_of_text_from_which_a_browser_sends_1_000_as_written(
    programme, officer_client
):
    page = officer_client.get(reverse("admin:partnerships_outcome_add")).text
    for name in ("baseline", "target"):
        box = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'type="text"' in box and 'inputmode="decimal"' in box and "step=" not in box
