"""Officers assign evaluators and publish evaluations in bulk from the back office."""

import html
import re

import pytest
from django.urls import reverse

from evaluations.models import Evaluation, Finding, OutcomeProgress
from partnerships.models import Outcome, Partnership
from tests.admin.test_back_office import change_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:evaluations_evaluation_changelist")
FINDING_ADD = reverse("admin:evaluations_finding_add")


def test_an_officer_assigns_an_evaluator_to_several_evaluations(officer_client, programme, evaluator):
    evaluation = Evaluation.objects.get()
    page = officer_client.post(CHANGELIST, {"action": "assign_evaluator", "_selected_action": [evaluation.pk]})
    assert page.status_code == 200 and "Assign an evaluator" in page.text
    # Olivia chooses Eve by her name and address: a username alone would not say who she is.
    assert ">Eve (eve@example.org)</option>" in page.text
    done = officer_client.post(
        CHANGELIST,
        {
            "action": "assign_evaluator",
            "_selected_action": [evaluation.pk],
            "evaluator": evaluator.pk,
            "apply": "Assign",
        },
        follow=True,
    )
    assert "now assigned to Eve (eve@example.org)" in done.text
    assert list(evaluation.evaluators.all()) == [evaluator]


def test_an_evaluations_page_lists_its_possible_evaluators_by_name_and_address(
    officer_client, programme, evaluator, django_user_model
):
    django_user_model.objects.create_user("x7", email="", first_name="", last_name="").groups.add(
        *evaluator.groups.all()
    )
    evaluation = Evaluation.objects.get()
    page = officer_client.get(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]))
    assert "Eve (eve@example.org)</label>" in page.text
    assert "x7</label>" in page.text  # an account with neither a name nor an address, by its username


def test_only_evaluators_can_be_assigned(officer_client, programme, officer):
    evaluation = Evaluation.objects.get()
    officer_client.post(
        CHANGELIST,
        {"action": "assign_evaluator", "_selected_action": [evaluation.pk], "evaluator": officer.pk, "apply": "Assign"},
    )
    assert not evaluation.evaluators.exists()


def test_bulk_publishing_goes_through_the_workflow_and_refuses_drafts(officer_client, programme):
    evaluation = Evaluation.objects.get()
    evaluation.status = Evaluation.Status.DRAFT
    evaluation.save()
    response = officer_client.post(CHANGELIST, {"action": "publish", "_selected_action": [evaluation.pk]}, follow=True)
    assert "Only a submitted evaluation can be published." in response.text
    said = [(message.level_tag, message.message) for message in response.context["messages"]]
    assert ("info", "No evaluations published.") in said  # not a success message for nothing done
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.save()
    officer_client.post(CHANGELIST, {"action": "publish", "_selected_action": [evaluation.pk]})
    evaluation.refresh_from_db()
    assert evaluation.is_published
    assert evaluation.events.get().by.username == "olivia"


def test_publishing_in_bulk_warns_of_an_evaluation_that_says_neither_who_evaluated_it_nor_when(
    officer_client, programme
):
    evaluation = Evaluation.objects.get()
    evaluation.status, evaluation.evaluator_name, evaluation.evaluator_organisation, evaluation.date = (
        Evaluation.Status.SUBMITTED,
        "",
        None,
        None,
    )
    evaluation.save()
    response = officer_client.post(CHANGELIST, {"action": "publish", "_selected_action": [evaluation.pk]}, follow=True)
    assert f"{evaluation}: the public page does not say who evaluated it or when" in response.text


def test_officers_tick_evaluators_on_the_form_and_a_former_evaluator_is_not_dropped(
    officer_client, programme, evaluator, other_evaluator, officer
):
    import re

    evaluation = Evaluation.objects.get()
    evaluation.evaluators.add(other_evaluator)
    other_evaluator.groups.clear()  # Oscar has since left the Evaluators group
    response = officer_client.get(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]))
    assert response.status_code == 200
    boxes = dict(re.findall(r'<input type="checkbox" name="evaluators" value="(\d+)"([^>]*)>', response.text))
    assert set(boxes) == {str(evaluator.pk), str(other_evaluator.pk)}  # no officer, no administrator
    assert "checked" in boxes[str(other_evaluator.pk)] and "checked" not in boxes[str(evaluator.pk)]
    first_box = re.search(r'id="(id_evaluators_\d+)"', response.text).group(1)
    assert f'for="{first_box}"' in response.text  # each box has its label


def test_the_evaluation_form_says_so_when_there_is_no_evaluator_to_tick(officer_client, programme):
    evaluation = Evaluation.objects.get()
    response = officer_client.get(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]))
    assert "No evaluator has an account yet: add one under Evaluator accounts." in response.text


def test_unpublishing_an_evaluation_asks_first_then_takes_it_off_the_public_pages(officer_client, programme):
    evaluation = Evaluation.objects.get()
    assert evaluation.is_published
    form = {"action": "unpublish", "_selected_action": [evaluation.pk]}

    page = officer_client.post(CHANGELIST, form)
    assert "Unpublish these evaluations?" in page.text and "findings on partnership and phase pages" in page.text
    evaluation.refresh_from_db()
    assert evaluation.is_published

    officer_client.post(CHANGELIST, {**form, "confirmed": "yes"})
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUBMITTED
    assert officer_client.get(evaluation.get_absolute_url()).status_code == 200  # staff still preview it


def test_an_officer_cannot_publish_an_evaluation_by_editing_its_status(officer_client, programme):
    # Publishing goes through the review, which records who published it and when.
    evaluation = Evaluation.objects.get()
    evaluation.status = Evaluation.Status.DRAFT
    evaluation.save()
    data = change_form_data(officer_client, evaluation)
    assert "status" not in data  # shown, not editable

    data["status"] = Evaluation.Status.PUBLISHED
    data["summary"] = "Edited summary"
    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.summary == "Edited summary"
    assert evaluation.status == Evaluation.Status.DRAFT and evaluation.published_at is None


def test_the_back_office_refuses_a_summary_over_the_limit_and_keeps_the_saved_one(officer_client, programme):
    evaluation = Evaluation.objects.get()
    saved = evaluation.summary
    data = change_form_data(officer_client, evaluation)
    data["summary"] = "x" * 5001
    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 422
    assert "A summary can be up to 5,000 characters, and this one has 5,001." in response.text
    evaluation.refresh_from_db()
    assert evaluation.summary == saved


def test_the_back_office_counts_a_line_break_in_a_summary_once_as_the_workspace_does(officer_client, programme):
    evaluation = Evaluation.objects.get()
    data = change_form_data(officer_client, evaluation)
    data["summary"] = ("x" * 99 + "\r\n") * 50  # 5,050 characters as the browser sends them, 5,000 as typed
    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert len(evaluation.summary.replace("\r\n", "\n")) == 4999  # the last line break is stripped


def test_an_evaluation_added_in_the_back_office_starts_as_a_draft(officer_client, programme):
    from partnerships.models import Partnership

    partnership = Partnership.objects.filter(status="published").first()
    add = reverse("admin:evaluations_evaluation_add")
    form = officer_client.get(add).text
    assert 'name="status"' not in form
    data = {
        "title": "Quick evaluation",
        "slug": "quick-evaluation",
        "partnership": partnership.pk,
        "status": "published",
        "opened_version": "",
    }
    for prefix in ["findings", "progress", "documents", "events"]:
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = officer_client.post(add, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Evaluation.objects.get(slug="quick-evaluation").status == Evaluation.Status.DRAFT


def test_reverting_an_evaluation_to_an_earlier_version_keeps_its_current_status(officer_client, programme):
    evaluation = Evaluation.objects.get()
    evaluation.status, evaluation.summary = Evaluation.Status.PUBLISHED, "As published"
    evaluation.save()
    published = evaluation.history.latest("history_date")
    evaluation.status, evaluation.published_at, evaluation.summary = Evaluation.Status.DRAFT, None, "Being redone"
    evaluation.save()

    revert = reverse("admin:evaluations_evaluation_simple_history", args=[evaluation.pk, published.history_id])
    data = change_form_data(officer_client, evaluation) | {"summary": "As published"}
    response = officer_client.post(revert, data)

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.summary == "As published"  # the reverted text
    assert evaluation.status == Evaluation.Status.DRAFT and evaluation.published_at is None  # not published again


def _with_findings(evaluation, count):
    Finding.objects.bulk_create(
        Finding(evaluation=evaluation, kind=Finding.Kind.LESSON, text=f"Lesson {n}", position=n) for n in range(count)
    )


def test_an_evaluation_with_few_findings_has_them_edited_on_its_page(officer_client, programme):
    evaluation = Evaluation.objects.get()
    page = officer_client.get(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])).text
    count = evaluation.findings.count()
    assert 'name="findings-TOTAL_FORMS"' in page
    assert f"{count} finding{'s' if count != 1 else ''}, edited below; also in <a href=" in page


def test_an_evaluation_with_hundreds_of_findings_has_them_edited_in_the_list_of_findings(officer_client, programme):
    evaluation = Evaluation.objects.get()
    _with_findings(evaluation, 300)
    url = reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])
    page = officer_client.get(url).text
    count = evaluation.findings.count()
    assert 'name="findings-TOTAL_FORMS"' not in page
    findings_url = f"{reverse('admin:evaluations_finding_changelist')}?evaluation={evaluation.pk}"
    assert f'{count} findings, too many to edit on this page: <a href="{findings_url}">' in page

    listed = officer_client.get(findings_url)
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == count
    assert f'<a href="?evaluation={evaluation.pk}">{evaluation.title}</a>' in listed.text  # what it is filtered by

    data = change_form_data(officer_client, evaluation) | {"summary": "Saved without the findings on the page"}
    assert officer_client.post(url, data).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.summary == "Saved without the findings on the page" and evaluation.findings.count() == count


@pytest.mark.parametrize("value", ["99999999999999999999", "٣", "²", "abc", "-1", "0"])
def test_the_list_of_findings_of_an_evaluation_no_number_names_lists_none_rather_than_all(
    officer_client, programme, value
):
    assert Finding.objects.exists()
    listed = officer_client.get(reverse("admin:evaluations_finding_changelist"), {"evaluation": value})
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 0
    assert "No such evaluation" in listed.text


def test_olivias_edit_to_a_finding_is_saved_though_an_evaluator_added_the_one_too_many_since_she_opened_the_page(
    officer_client, programme
):
    evaluation = Evaluation.objects.get()
    evaluation.findings.all().delete()
    _with_findings(evaluation, 50)
    url = reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])
    data = change_form_data(officer_client, evaluation) | {"summary": "Officer summary", "findings-0-text": "Corrected"}
    assert "findings-TOTAL_FORMS" in data
    Finding.objects.create(evaluation=evaluation, kind=Finding.Kind.LESSON, text="The 51st finding", position=50)

    response = officer_client.post(url, data)

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.summary == "Officer summary"
    assert evaluation.findings.get(position=0).text == "Corrected"
    assert evaluation.findings.count() == 51


def test_a_page_opened_with_too_many_findings_to_show_is_saved_after_one_is_removed(officer_client, programme):
    evaluation = Evaluation.objects.get()
    evaluation.findings.all().delete()
    _with_findings(evaluation, 51)
    url = reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])
    data = change_form_data(officer_client, evaluation) | {"summary": "Saved without the findings"}
    assert "findings-TOTAL_FORMS" not in data
    evaluation.findings.last().delete()

    response = officer_client.post(url, data)

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.summary == "Saved without the findings" and evaluation.findings.count() == 50


def test_an_officer_cannot_name_a_partnership_or_outcome_outside_a_findings_evaluation(officer_client, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    pilot = Partnership.objects.get(title="Skills for Tynemouth")  # Phase 1
    pilot_outcome = Outcome.objects.create(partnership=pilot, description="More apprentices.", position=0)
    finding = {"evaluation": evaluation.pk, "kind": "lesson", "text": "Work with employers.", "position": 0}
    before = Finding.objects.count()

    refused = officer_client.post(
        FINDING_ADD, finding | {"partnerships": [tynemouth.pk, pilot.pk], "outcomes": [pilot_outcome.pk]}
    )

    assert refused.status_code == 422
    errors = refused.context["adminform"].form.errors
    assert errors["partnerships"] == [
        "Choose only partnerships within this evaluation’s scope, Phase 2: Tynemouth – Phase 1 is not."
    ]
    assert errors["outcomes"] == [
        "Choose only outcomes of partnerships within this evaluation’s scope, Phase 2: Tynemouth – Phase 1 is not."
    ]
    assert Finding.objects.count() == before


def test_in_the_back_office_too_a_phase_findings_outcome_needs_its_partnership_ticked(officer_client, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    wearside = Partnership.objects.get(title="Wearside skills strategy")
    outcome = tynemouth.outcomes.get()
    finding = {"evaluation": evaluation.pk, "kind": "lesson", "text": "Work with employers.", "position": 0}

    refused = officer_client.post(FINDING_ADD, finding | {"partnerships": [wearside.pk], "outcomes": [outcome.pk]})

    assert refused.context["adminform"].form.errors["outcomes"] == [
        "Each desired outcome you tick needs its partnership ticked too: tick Tynemouth among the partnerships, "
        "or untick its outcome."
    ]
    saved = officer_client.post(
        FINDING_ADD, finding | {"partnerships": [wearside.pk, tynemouth.pk], "outcomes": [outcome.pk]}
    )
    assert saved.status_code == 302
    assert list(Finding.objects.get(text="Work with employers.").outcomes.all()) == [outcome]


def test_an_officer_pressing_save_twice_on_a_new_finding_saves_it_once(officer_client, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    finding = {"evaluation": evaluation.pk, "kind": "lesson", "text": "Work with employers.", "position": 0}
    assert officer_client.post(FINDING_ADD, finding).status_code == 302

    again = officer_client.post(FINDING_ADD, finding)

    assert again.status_code == 422
    assert again.context["adminform"].form.errors["text"] == ["This evaluation already has this lesson, word for word."]
    assert evaluation.findings.filter(text="Work with employers.").count() == 1


def test_a_finding_row_on_the_evaluations_page_is_held_to_its_scope_and_nothing_is_half_saved(
    officer_client, programme
):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    outcome = Partnership.objects.get(title="Healthy Tynemouth").outcomes.get()
    data = change_form_data(officer_client, evaluation) | {"summary": "A summary that must not be saved alone."}
    row = int(data["findings-TOTAL_FORMS"])
    data |= {
        "findings-TOTAL_FORMS": row + 1,
        f"findings-{row}-kind": "lesson",
        f"findings-{row}-text": "An outcome without its partnership.",
        f"findings-{row}-outcomes": [outcome.pk],
        f"findings-{row}-position": row,
    }

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 422
    assert "Each desired outcome you tick needs its partnership ticked too: tick Tynemouth" in response.text
    evaluation.refresh_from_db()
    assert evaluation.summary == "What Phase 2 achieved."
    assert not Finding.objects.filter(text="An outcome without its partnership.").exists()


def test_an_officer_cannot_give_a_figure_reached_to_an_outcome_without_a_numeric_indicator(officer_client, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    outcome = Partnership.objects.get(title="Healthy Tynemouth").outcomes.get()
    progress = {"evaluation": evaluation.pk, "outcome": outcome.pk, "status": "achieved", "value_reached": "12"}

    refused = officer_client.post(reverse("admin:evaluations_outcomeprogress_add"), progress)

    assert refused.status_code == 422
    assert refused.context["adminform"].form.errors["value_reached"] == [
        "Only an outcome with a numeric indicator has a figure reached: clear the figure, or give the outcome a "
        "numeric indicator and a target."
    ]
    assert not OutcomeProgress.objects.filter(outcome=outcome).exists()
    outcome.indicator, outcome.target = Outcome.Indicator.NUMERIC, 20
    outcome.save()
    assert officer_client.post(reverse("admin:evaluations_outcomeprogress_add"), progress).status_code == 302


def test_two_new_rows_with_the_same_words_on_an_evaluations_page_are_refused_and_neither_is_saved(
    officer_client, programme
):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    data = change_form_data(officer_client, evaluation)
    row = int(data["findings-TOTAL_FORMS"])
    # The second spaced differently: on every page the two read the same.
    for added, text in ((row, "Meet employers early."), (row + 1, "Meet  employers\nearly.")):
        data |= {
            f"findings-{added}-kind": "lesson",
            f"findings-{added}-text": text,
            f"findings-{added}-position": added,
        }
    data["findings-TOTAL_FORMS"] = row + 2

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 422
    assert "Another row on this page has this lesson, word for word." in response.text
    assert not Finding.objects.filter(text__startswith="Meet ").exists()


def test_an_officer_may_add_two_rows_of_the_same_words_when_they_are_of_different_kinds(officer_client, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    data = change_form_data(officer_client, evaluation)
    row = int(data["findings-TOTAL_FORMS"])
    for added, kind in ((row, "lesson"), (row + 1, "achievement")):
        data |= {
            f"findings-{added}-kind": kind,
            f"findings-{added}-text": "Employers came early.",
            f"findings-{added}-position": added,
        }
    data["findings-TOTAL_FORMS"] = row + 2

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 302
    assert Finding.objects.filter(text="Employers came early.").count() == 2


def test_an_officer_records_which_of_the_phases_partnerships_its_evaluation_looked_at_in_detail(
    officer_client, programme
):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    data = change_form_data(officer_client, evaluation) | {"looked_at_in_detail": [tynemouth.pk]}

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 302
    assert list(evaluation.looked_at_in_detail.all()) == [tynemouth]
    assert [p.partnership for p in evaluation.history.latest().looked_at_in_detail.all()] == [tynemouth]


def test_an_evaluation_cannot_look_in_detail_at_a_partnership_of_another_phase_and_nothing_is_saved(
    officer_client, programme
):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    phase_1 = Partnership.objects.get(title="Skills for Tynemouth")
    data = change_form_data(officer_client, evaluation) | {
        "looked_at_in_detail": [phase_1.pk],
        "summary": "A summary that must not be saved alone.",
    }

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 422
    assert response.context["adminform"].form.errors["looked_at_in_detail"] == [
        "Choose only partnerships of Phase 2: Tynemouth – Phase 1 is not."
    ]
    evaluation.refresh_from_db()
    assert evaluation.summary == "What Phase 2 achieved." and not evaluation.looked_at_in_detail.exists()


def test_an_evaluation_of_one_partnership_looks_at_no_others_in_detail(officer_client, programme):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    evaluation = Evaluation.objects.create(partnership=tynemouth, title="Tynemouth evaluation", slug="tynemouth")
    data = change_form_data(officer_client, evaluation) | {"looked_at_in_detail": [tynemouth.pk]}

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 422
    assert response.context["adminform"].form.errors["looked_at_in_detail"] == [
        "Only an evaluation of a whole phase looks at some of its partnerships in detail: clear these."
    ]
    assert not evaluation.looked_at_in_detail.exists()


def _looked_at_choices(officer_client, **scope):
    query = {"app_label": "evaluations", "model_name": "evaluation", "field_name": "looked_at_in_detail", "term": ""}
    response = officer_client.get(reverse("admin:autocomplete"), query | scope)
    assert response.status_code == 200
    return sorted(result["text"] for result in response.json()["results"])


def test_the_looked_at_in_detail_box_offers_only_partnerships_of_the_phase_chosen_on_the_form(
    officer_client, programme
):
    phase_2 = Evaluation.objects.get(title="Phase 2 evaluation").phase
    of_phase_2 = sorted(str(p) for p in Partnership.objects.filter(phase=phase_2))
    assert "Tynemouth – Phase 2" in of_phase_2 and Partnership.objects.exclude(phase=phase_2).exists()

    assert _looked_at_choices(officer_client, phase=phase_2.pk) == of_phase_2
    # Searched by place and title only: another partnership with a member of that name is not offered.
    assert _looked_at_choices(officer_client, phase=phase_2.pk, term="Tyne") == ["Tynemouth – Phase 2"]
    assert _looked_at_choices(officer_client, phase="") == []  # no phase chosen yet
    for tampered in ("²", "٣", "-1", "9" * 30):  # not a record number: nothing offered, no error
        assert _looked_at_choices(officer_client, phase=tampered) == []
    # A search that does not say the phase (a page opened before the box sent it) offers every
    # phase's; the form refuses one of another phase when it is saved.
    assert _looked_at_choices(officer_client) == sorted(str(p) for p in Partnership.objects.all())


def test_the_looked_at_in_detail_box_sends_the_phase_of_its_form(officer_client, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    page = officer_client.get(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]))
    assert 'data-scope-field="phase"' in page.text
    assert "js/admin-autocomplete-scope" in page.text


def test_a_submitted_evaluations_back_office_page_leads_to_its_review_page(officer_client, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.save()
    page = officer_client.get(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]))
    review = reverse("evaluations:review", args=[evaluation.pk])
    assert f'Waiting for review: <a href="{review}">return or publish it on its review page</a>.' in page.text
    assert officer_client.get(review).status_code == 200


def test_an_evaluation_whose_findings_name_its_phases_partnerships_cannot_be_moved_to_another_phase(
    officer_client, programme
):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    phase_1 = Partnership.objects.get(title="Skills for Tynemouth").phase
    finding = Finding.objects.create(evaluation=evaluation, kind="achievement", text="Tynemouth moved.", position=9)
    finding.partnerships.add(Partnership.objects.get(title="Healthy Tynemouth"))
    data = change_form_data(officer_client, evaluation) | {"phase": phase_1.pk, "summary": "Not to be saved alone."}

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 422
    assert response.context["adminform"].form.errors["phase"] == [
        f"Its findings or progress name Tynemouth – Phase 2, which is not within {phase_1}. "
        "Change those first, or keep the scope as it was."
    ]
    evaluation.refresh_from_db()
    assert evaluation.phase != phase_1 and evaluation.summary == "What Phase 2 achieved."


def test_an_evaluation_whose_findings_name_no_partnership_can_be_moved_to_another_phase(officer_client, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    assert not Partnership.objects.filter(findings__evaluation=evaluation).exists()
    phase_1 = Partnership.objects.get(title="Skills for Tynemouth").phase
    data = change_form_data(officer_client, evaluation) | {"phase": phase_1.pk}

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.phase == phase_1


def test_progress_on_an_outcome_outside_the_evaluations_scope_is_refused_in_the_list_and_on_its_page(
    officer_client, programme
):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    phase_1_outcome = Outcome.objects.create(
        partnership=Partnership.objects.get(title="Skills for Tynemouth"), description="More apprentices."
    )
    message = "Choose an outcome of a partnership within this evaluation’s scope, Phase 2: Tynemouth – Phase 1 is not."

    added = officer_client.post(
        reverse("admin:evaluations_outcomeprogress_add"),
        {"evaluation": evaluation.pk, "outcome": phase_1_outcome.pk, "status": "achieved"},
    )
    data = change_form_data(officer_client, evaluation)
    row = int(data["progress-TOTAL_FORMS"])
    data |= {"progress-TOTAL_FORMS": row + 1, f"progress-{row}-outcome": phase_1_outcome.pk}
    data[f"progress-{row}-status"] = "achieved"
    on_its_page = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert added.status_code == 422 and added.context["adminform"].form.errors["outcome"] == [message]
    assert on_its_page.status_code == 422 and message in on_its_page.text
    assert not OutcomeProgress.objects.filter(outcome=phase_1_outcome).exists()


def test_eve_is_emailed_when_olivia_assigns_her_and_not_again_when_she_is_assigned_twice(
    officer_client, programme, evaluator, django_capture_on_commit_callbacks
):
    from django.core import mail

    evaluation = Evaluation.objects.get()
    assign = {"action": "assign_evaluator", "_selected_action": [evaluation.pk], "evaluator": evaluator.pk}
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(CHANGELIST, assign | {"apply": "Assign"})
        officer_client.post(CHANGELIST, assign | {"apply": "Assign"})
    assert [m.to for m in mail.outbox] == [["eve@example.org"]]
    message = mail.outbox[0]
    assert message.subject == f"You are an evaluator of: {evaluation.title}"
    assert f"/evaluator/{evaluation.pk}/" in message.body


def test_an_evaluator_ticked_on_the_evaluations_page_is_emailed_too(
    officer_client, programme, evaluator, other_evaluator, django_capture_on_commit_callbacks
):
    from django.core import mail

    evaluation = Evaluation.objects.get()
    evaluation.evaluators.add(other_evaluator)
    data = change_form_data(officer_client, evaluation) | {"evaluators": [other_evaluator.pk, evaluator.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["eve@example.org"]]  # Oscar was assigned already


def test_reverting_an_evaluation_to_a_version_of_another_phase_is_refused_while_its_findings_name_this_phases(
    officer_client, programme
):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    phase_2, phase_1 = evaluation.phase, Partnership.objects.get(title="Skills for Tynemouth").phase
    evaluation.phase = phase_1
    evaluation.save()  # a version of phase 1, while its findings named no partnership
    of_phase_1 = evaluation.history.latest("history_date")
    evaluation.phase = phase_2
    evaluation.save()
    finding = Finding.objects.create(evaluation=evaluation, kind="achievement", text="Tynemouth moved.", position=9)
    finding.partnerships.add(Partnership.objects.get(title="Healthy Tynemouth"))
    revert_url = reverse("admin:evaluations_evaluation_simple_history", args=[evaluation.pk, of_phase_1.history_id])
    form = officer_client.get(revert_url).context["adminform"].form
    data = {field.html_name: field.value() for field in form if field.value() is not None}

    response = officer_client.post(revert_url, data)

    assert response.status_code == 422
    assert "Its findings or progress name Tynemouth – Phase 2, which is not within" in response.text
    evaluation.refresh_from_db()
    assert evaluation.phase == phase_2


def test_olivia_giving_a_finding_a_position_past_the_largest_is_refused_and_nothing_is_saved(officer_client, programme):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    finding = evaluation.findings.first()
    data = change_form_data(officer_client, evaluation) | {"summary": "An edit that must wait."}
    row = next(key for key, value in data.items() if key.endswith("-id") and value == finding.pk).removesuffix("-id")
    data[f"{row}-position"] = 99_999_999

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 422
    assert "A position is at most 32,767." in response.text
    finding.refresh_from_db()
    evaluation.refresh_from_db()
    assert finding.position < 32_767 and evaluation.summary != "An edit that must wait."


def test_olivia_reads_an_evaluations_review_history_in_a_table_whose_every_heading_is_named_and_saves_the_page(
    officer_client, programme, officer
):
    from evaluations.models import EvaluationEvent

    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    EvaluationEvent.objects.create(evaluation=evaluation, action="returned", by=officer, comment="Add evidence.")
    page = officer_client.get(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])).text
    history = page.split('id="events-group"')[1].split("</table>")[0]

    assert re.findall(r"<th\b[^>]*>(.*?)</th>", history) == ["Action", "By", "At", "Comment"]
    assert "Returned with comments" in history and "Add evidence." in history

    data = change_form_data(officer_client, evaluation) | {"summary": "A new summary."}
    saved = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)
    assert saved.status_code == 302 and evaluation.events.get().comment == "Add evidence."


def test_olivia_adding_an_evaluation_with_its_boxes_empty_is_told_what_each_needs_by_name(officer_client, programme):
    response = officer_client.post(reverse("admin:evaluations_evaluation_add"), {"status": "draft"})

    assert response.status_code == 422
    errors = response.context["adminform"].form.errors
    assert errors["title"] == ["Enter the title."] and errors["slug"] == ["Enter the slug."]


def test_an_evaluations_back_office_page_is_reached_through_evaluations_and_findings_and_says_which_date_it_asks_for(
    officer_client, programme
):
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    page = officer_client.get(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])).text
    crumbs = page.split('class="breadcrumbs"')[1].split("</div>")[0]
    breadcrumbs = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", crumbs)))
    assert "Home › Evaluations and findings › Evaluations ›" in breadcrumbs
    assert "The date of the evaluation's report, shown with it on the public pages" in page
