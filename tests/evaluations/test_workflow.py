"""Submit, return with comments, publish: who may do each step, what it records and who is told."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from evaluations import services
from evaluations.models import Evaluation, EvaluationDocument, EvaluationEvent, Finding, OutcomeProgress
from partnerships.models import Outcome, Partnership, Place
from tests import factories

pytestmark = pytest.mark.django_db

# "Accept and publish", then "Yes, publish it" on the page that asks first.
PUBLISH = {"decision": "publish", "confirmed": "yes"}


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


def test_submitting_locks_the_evaluation_records_who_and_tells_the_officers(
    evaluator_client, evaluation, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = evaluator_client.post(url("submit", evaluation.pk))
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUBMITTED
    assert evaluation.submitted_at is not None
    event = evaluation.events.get()
    assert (event.action, event.by.username) == ("submitted", "eve")
    assert [m.to for m in mail.outbox] == [["olivia@example.org"]]
    assert "Healthy Tynemouth evaluation" in mail.outbox[0].subject


def test_eve_pressing_submit_twice_submits_once_and_is_told_it_was_done_already(
    evaluator_client, evaluation, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evaluator_client.post(url("submit", evaluation.pk))
        again = evaluator_client.post(url("submit", evaluation.pk), follow=True)

    assert again.redirect_chain == [(url("dashboard"), 302)]
    assert "The evaluation was already submitted. The programme office will review it." in again.text
    assert evaluation.events.count() == 1 and len(mail.outbox) == 1
    assert evaluator_client.get(url("submit", evaluation.pk)).status_code == 403  # nothing left to check


def test_a_title_with_a_line_break_in_it_still_gives_a_one_line_subject_and_the_submission_stands(
    evaluator_client, evaluation, officer, django_capture_on_commit_callbacks
):
    Evaluation.objects.filter(pk=evaluation.pk).update(title="Healthy Tynemouth\r\nevaluation")  # a crafted save

    with django_capture_on_commit_callbacks(execute=True):
        response = evaluator_client.post(url("submit", evaluation.pk))

    assert response.status_code == 302
    assert mail.outbox[0].subject.count("\n") == 0 and "Healthy Tynemouth evaluation" in mail.outbox[0].subject
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUBMITTED


def test_eve_checks_what_she_is_about_to_submit_before_she_submits_it(evaluator_client, evaluation):
    factories.finding(evaluation, kind=Finding.Kind.LESSON, text="Start with the data.")
    factories.finding(evaluation, kind=Finding.Kind.LESSON, text="Meet often.")
    EvaluationDocument.objects.create(evaluation=evaluation, title="Minutes", url="https://x.org/", is_public=True)

    page = evaluator_client.get(url("submit", evaluation.pk))

    assert page.status_code == 200
    text = page.text
    assert "Check the evaluation, then submit it" in text
    assert "1 achievement</li>" in text and "2 lessons</li>" in text
    assert "0 of 1 desired outcome assessed" in text
    assert "<strong>1 desired outcome is not assessed</strong>, so its partnership’s page will go on saying" in text
    assert "1 attached, 1 of which may be published" in text
    assert "Not written" in text  # no summary yet
    workspace = url("workspace", evaluation.pk)
    assert f'href="{workspace}#summary-heading"' in text and f'href="{url("progress", evaluation.pk)}"' in text
    assert "Submit the evaluation</button>" in text
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT  # looking changes nothing
    assert not evaluation.events.exists()


def test_the_check_page_counts_a_phase_evaluations_findings_that_name_no_partnership(
    evaluator_client, phase_evaluation
):
    phase_evaluation.findings.all().delete()
    factories.finding(phase_evaluation, text="Across the phase.")
    factories.finding(phase_evaluation, text="Also across it.")
    factories.finding(phase_evaluation, text="In Tynemouth.").partnerships.add(
        Partnership.objects.get(title="Healthy Tynemouth")
    )

    text = evaluator_client.get(url("submit", phase_evaluation.pk)).text
    assert "<strong>2 findings name no partnership</strong>, so they appear on the evaluation's page only" in text

    phase_evaluation.findings.filter(text="Also across it.").delete()
    text = evaluator_client.get(url("submit", phase_evaluation.pk)).text
    assert "<strong>1 finding names no partnership</strong>, so it appears" in text


def test_an_evaluation_of_one_partnership_is_never_said_to_have_findings_naming_none(evaluator_client, evaluation):
    assert not evaluation.findings.filter(partnerships__isnull=False).exists()
    assert "name no partnership" not in evaluator_client.get(url("submit", evaluation.pk)).text


def test_a_returned_evaluation_shows_the_officers_comments_on_the_check_page(evaluator_client, evaluation):
    evaluation.status, evaluation.review_comments = Evaluation.Status.RETURNED, "Link each finding to a partnership."
    evaluation.save()
    text = evaluator_client.get(url("submit", evaluation.pk)).text
    assert "The programme office's comments when they returned it" in text
    assert "<p>Link each finding to a partnership.</p>" in text


def test_eves_list_says_when_an_evaluation_was_returned_to_her_last(evaluator_client, submitted, officer):
    services.return_for_changes(submitted, by=officer, comments="Add evidence.")
    EvaluationEvent.objects.filter(action="returned").update(at=datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC))
    services.submit(Evaluation.objects.get(pk=submitted.pk), by=submitted.evaluators.get())
    services.return_for_changes(Evaluation.objects.get(pk=submitted.pk), by=officer, comments="And a summary.")

    text = evaluator_client.get(url("dashboard")).text

    assert f"Returned {date_format(timezone.localtime(), 'j M Y')}<br>" in text and "Returned 2 Nov 2026" not in text


def test_the_check_page_takes_only_looking_and_submitting(evaluator_client, evaluation):
    for method in ("put", "delete", "patch"):
        assert getattr(evaluator_client, method)(url("submit", evaluation.pk)).status_code == 405
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT


def test_the_workspace_leads_to_the_check_page_rather_than_submitting_at_once(evaluator_client, evaluation):
    text = evaluator_client.get(url("workspace", evaluation.pk)).text
    assert f'href="{url("submit", evaluation.pk)}">Check and submit</a>' in text
    assert f'action="{url("submit", evaluation.pk)}"' not in text


def test_an_evaluation_without_findings_cannot_be_submitted(evaluator_client, evaluation):
    evaluation.findings.all().delete()
    check = evaluator_client.get(url("submit", evaluation.pk))
    assert check.status_code == 200
    assert "You cannot submit the evaluation yet" in check.text
    assert "Add at least one finding before submitting the evaluation." in check.text
    assert "Submit the evaluation</button>" not in check.text
    assert "Error:" not in check.text and "error-summary" not in check.text  # nothing was sent yet
    response = evaluator_client.post(url("submit", evaluation.pk))
    assert response.status_code == 400
    assert "<title>Error: " in response.text and "There is a problem" in response.text
    assert "Add at least one finding before submitting the evaluation." in response.text
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT
    assert not evaluation.events.exists()


def test_after_submitting_every_edit_is_refused_with_a_clear_message(evaluator_client, submitted):
    finding = submitted.findings.get()
    attempts = [
        ("workspace", [submitted.pk], {"summary": "Changed"}),
        ("finding-add", [submitted.pk], {"kind": "lesson", "text": "New"}),
        ("finding-edit", [submitted.pk, finding.pk], {"kind": "lesson", "text": "Changed"}),
        ("finding-delete", [submitted.pk, finding.pk], {}),
        ("finding-move", [submitted.pk, finding.pk], {"direction": "down"}),
        ("progress", [submitted.pk], {}),
        ("document-add", [submitted.pk], {"title": "X"}),
    ]
    for name, args, data in attempts:
        response = evaluator_client.post(url(name, *args), data)
        # A form with typed text comes back with it (409); the rest are refused outright.
        keeps_what_was_typed = name in ("workspace", "finding-add", "finding-edit", "progress")
        assert response.status_code == (409 if keeps_what_was_typed else 403), name
        assert "cannot be changed until it is returned" in response.text
        if name not in ("finding-move", "workspace", "progress"):  # pages that are only forms
            assert evaluator_client.get(url(name, *args)).status_code == 403, name
    submitted.refresh_from_db()
    assert submitted.summary == "" and list(submitted.findings.values_list("text", flat=True)) == [
        "Partners met every month."
    ]
    page = evaluator_client.get(url("workspace", submitted.pk))
    assert "waiting for review, so it cannot be changed" in page.text


def test_eve_sees_the_finding_she_typed_when_a_colleague_submitted_the_evaluation_before_she_saved_it(
    evaluator_client, submitted
):
    typed = {"kind": "lesson", "text": "Partners need a shared budget.", "evidence": "observed"}

    response = evaluator_client.post(url("finding-add", submitted.pk), typed)

    assert response.status_code == 409
    assert "Your changes were not saved" in response.text
    assert "submitted for review, so it cannot be changed until it is returned to you" in response.text
    assert "Partners need a shared budget.</textarea>" in response.text
    assert "Save the finding" not in response.text
    assert not submitted.findings.filter(text="Partners need a shared budget.").exists()


def test_eve_sees_the_edit_she_typed_to_a_finding_when_the_evaluation_was_submitted_before_she_saved_it(
    evaluator_client, submitted
):
    finding = submitted.findings.get()

    response = evaluator_client.post(
        url("finding-edit", submitted.pk, finding.pk), {"kind": "lesson", "text": "Partners met weekly."}
    )

    assert response.status_code == 409
    assert "Partners met weekly.</textarea>" in response.text
    finding.refresh_from_db()
    assert finding.text == "Partners met every month."


def test_eve_sees_the_summary_she_typed_beside_the_saved_one_when_the_evaluation_was_submitted_first(
    evaluator_client, submitted
):
    response = evaluator_client.post(url("workspace", submitted.pk), {"summary": "What we found, in short."})

    assert response.status_code == 409
    assert "The summary you typed, not saved" in response.text
    assert "What we found, in short.</textarea>" in response.text
    assert "Save the summary" not in response.text
    submitted.refresh_from_db()
    assert submitted.summary == ""


def test_eve_sees_the_progress_she_typed_when_the_evaluation_was_submitted_before_she_saved_it(
    evaluator_client, submitted
):
    outcome = submitted.partnership.outcomes.get()
    typed = {f"status_{outcome.pk}": "achieved", f"note_{outcome.pk}": "Surveys show fewer inactive."}

    response = evaluator_client.post(url("progress", submitted.pk), typed)

    assert response.status_code == 409
    assert "Your changes were not saved" in response.text
    assert "Surveys show fewer inactive.</textarea>" in response.text
    assert "Save progress" not in response.text
    assert not submitted.progress.exists()


def test_a_published_evaluation_is_refused_for_being_published_not_for_waiting(evaluator_client, submitted):
    submitted.status = Evaluation.Status.PUBLISHED
    submitted.save()
    response = evaluator_client.post(url("finding-add", submitted.pk), {"kind": "lesson", "text": "New"})
    assert response.status_code == 409
    assert "This evaluation is published, so it cannot be changed." in response.text
    assert "until it is returned" not in response.text


def test_an_officer_returns_it_with_comments_that_the_evaluator_then_sees(
    officer_client, evaluator_client, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(url("review", submitted.pk), {"decision": "return", "comments": "Add evidence."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Evaluation.Status.RETURNED
    assert submitted.events.last().comment == "Add evidence."
    assert mail.outbox[0].to == ["eve@example.org"]
    assert "Add evidence." in mail.outbox[0].body
    page = evaluator_client.get(url("workspace", submitted.pk))
    assert "Comments from the programme office" in page.text and "Add evidence." in page.text
    assert evaluator_client.post(url("workspace", submitted.pk), {"summary": "Now editable"}).status_code == 302


def test_a_step_by_someone_whose_account_was_deleted_is_shown_as_by_someone(
    officer_client, evaluator_client, submitted, django_user_model
):
    officer_client.post(url("review", submitted.pk), {"decision": "return", "comments": "Add evidence."})
    django_user_model.objects.filter(username="olivia").delete()  # an administrator removes her account
    officer_client.force_login(django_user_model.objects.create_user("otto", is_staff=True, is_superuser=True))

    workspace = evaluator_client.get(url("workspace", submitted.pk))
    review = officer_client.get(url("review", submitted.pk))

    assert workspace.status_code == 200 and "Returned with comments by someone" in workspace.text
    assert review.status_code == 200 and "Returned with comments by someone" in review.text


def test_a_review_sent_with_both_decisions_is_refused_and_the_evaluation_waits_as_it_was(officer_client, submitted):
    response = officer_client.post(url("review", submitted.pk), {"decision": ["return", "publish"], "comments": "x"})
    assert response.status_code == 422
    assert "Choose “Return with comments” or “Accept and publish”." in response.text
    submitted.refresh_from_db()
    assert submitted.status == Evaluation.Status.SUBMITTED and not submitted.events.exists()


def test_a_publish_sent_with_a_confirmation_other_than_yes_asks_olivia_first(officer_client, submitted):
    response = officer_client.post(url("review", submitted.pk), {"decision": "publish", "confirmed": "maybe"})
    assert response.status_code == 200 and f"<h1>Publish “{submitted.title}”?</h1>" in response.text
    submitted.refresh_from_db()
    assert submitted.status == Evaluation.Status.SUBMITTED


def test_returning_without_comments_is_refused_and_said_at_the_top_of_the_page(officer_client, submitted):
    response = officer_client.post(url("review", submitted.pk), {"decision": "return", "comments": "  "})
    assert response.status_code == 422
    assert "Say what needs to change" in response.text
    summary = response.text.index('id="error-summary"')
    assert response.text.index("</h1>") < summary < response.text.index('id="findings-heading"')
    assert '<a href="#id_comments">Comments for the evaluators: Say what needs to change' in response.text
    submitted.refresh_from_db()
    assert submitted.status == Evaluation.Status.SUBMITTED


def test_an_officer_publishes_it_and_the_findings_go_public(
    officer_client, anonymous, submitted, django_capture_on_commit_callbacks
):
    assert anonymous.get(submitted.get_absolute_url()).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        reviewed = officer_client.post(url("review", submitted.pk), PUBLISH, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == Evaluation.Status.PUBLISHED and submitted.published_at
    # Olivia is back at the evaluations waiting for review, with a way to the page she published.
    assert reviewed.redirect_chain == [(url("dashboard"), 302)]
    assert (
        f'The evaluation is published. <a href="{submitted.get_absolute_url()}">See it on the public site</a>.'
        in reviewed.text
    )
    assert mail.outbox[0].to == ["eve@example.org"]
    public = anonymous.get(submitted.get_absolute_url())
    assert public.status_code == 200 and "Partners met every month." in public.text
    partnership_page = anonymous.get(submitted.partnership.get_absolute_url()).text
    assert "Partners met every month." in partnership_page
    for private in ("eve@example.org", "olivia@example.org", ">eve<", ">olivia<"):
        assert private not in public.text and private not in partnership_page


def test_olivia_pressing_accept_and_publish_is_asked_first_and_nothing_is_published_yet(
    officer_client, submitted, other_evaluator
):
    submitted.evaluators.add(other_evaluator)
    opened = _as_opened(officer_client.get(url("review", submitted.pk)))

    asked = officer_client.post(
        url("review", submitted.pk), {"decision": "publish", "comments": "Thanks.\nA clear read.", "reviewed": opened}
    )

    assert asked.status_code == 200
    text = " ".join(asked.text.split())
    assert f"<h1>Publish “{submitted.title}”?</h1>" in text
    assert "Its summary and its 1 finding go on the public site at once." in text
    assert "Its evaluators are emailed the news with your comments." in text
    assert '<input type="hidden" name="comments" value="Thanks.\nA clear read.">' in asked.text
    assert f'<input type="hidden" name="reviewed" value="{opened}">' in asked.text
    assert f'formaction="{url("review", submitted.pk)}#decision-heading">No, go back to the review' in asked.text
    submitted.refresh_from_db()
    assert submitted.status == Evaluation.Status.SUBMITTED and not submitted.events.exists()
    assert not mail.outbox


def test_olivia_going_back_from_the_question_finds_the_review_with_her_comments_and_nothing_decided(
    officer_client, submitted
):
    back = officer_client.post(url("review", submitted.pk), {"back": "yes", "comments": "Thanks, a clear read."})

    assert back.status_code == 200
    assert "There is a problem" not in back.text
    assert back.context["form"]["comments"].value() == "Thanks, a clear read."
    submitted.refresh_from_db()
    assert submitted.status == Evaluation.Status.SUBMITTED and not submitted.events.exists()


def test_olivia_going_back_from_the_question_after_a_finding_changed_cannot_publish_unwarned(officer_client, submitted):
    opened = _as_opened(officer_client.get(url("review", submitted.pk)))
    asked = officer_client.post(url("review", submitted.pk), {"decision": "publish", "reviewed": opened})
    submitted.findings.update(text="Partners met every fortnight.")  # meanwhile, in the back office

    back = officer_client.post(url("review", submitted.pk), {"back": "yes", "reviewed": _as_opened(asked)})
    decided = officer_client.post(url("review", submitted.pk), PUBLISH | {"reviewed": _as_opened(back)})

    assert decided.status_code == 409
    assert "This evaluation changed after you opened this page, so your decision was not taken." in decided.text
    submitted.refresh_from_db()
    assert submitted.status == Evaluation.Status.SUBMITTED


def test_the_review_says_where_a_findings_evidence_comes_from_only_where_it_is_stated(officer_client, submitted):
    submitted.findings.update(evidence="")
    factories.finding(submitted, text="Attendance doubled.", evidence="data")
    page = " ".join(officer_client.get(url("review", submitted.pk)).text.split())
    assert "Evidence: backed by data or a document" in page
    assert "not stated" not in page


def test_olivias_comments_when_she_publishes_go_to_the_evaluators_and_into_the_history(
    officer_client, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = PUBLISH | {"comments": "  Thanks, a clear read. "}
        officer_client.post(url("review", submitted.pk), decision)
    assert submitted.events.get(action="published").comment == "Thanks, a clear read."
    assert "Comments from the programme office:\n\nThanks, a clear read.\n" in mail.outbox[0].body
    submitted.refresh_from_db()
    assert submitted.review_comments == ""  # nothing waits for the evaluators: it is published


def test_publishing_without_comments_sends_the_plain_news(
    officer_client, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(url("review", submitted.pk), PUBLISH)
    assert "Comments from" not in mail.outbox[0].body


def test_a_draft_cannot_be_published_or_returned(officer, evaluation):
    with pytest.raises(services.WorkflowError, match="Only a submitted evaluation can be published"):
        services.publish(evaluation, by=officer)
    with pytest.raises(services.WorkflowError, match="Only a submitted evaluation can be returned"):
        services.return_for_changes(evaluation, by=officer, comments="No")
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT and not EvaluationEvent.objects.exists()


def test_unpublishing_takes_it_off_the_public_pages(officer, anonymous, submitted):
    services.publish(submitted, by=officer)
    services.unpublish(submitted, by=officer)
    assert anonymous.get(submitted.get_absolute_url()).status_code == 404
    assert list(submitted.events.values_list("action", flat=True)) == ["published", "unpublished"]


def test_eve_is_told_when_olivia_takes_her_published_evaluation_off_the_public_site(
    officer, submitted, django_capture_on_commit_callbacks
):
    services.publish(submitted, by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(submitted, by=officer)
    (told,) = mail.outbox
    assert told.to == ["eve@example.org"]
    assert told.subject == f"Evaluation taken off the public site: {submitted.title}"
    assert "back with them for review. Nothing of it has changed." in told.body
    assert f"/evaluator/{submitted.pk}/" in told.body


def test_the_programme_office_address_is_also_told(settings, evaluation, evaluator, django_capture_on_commit_callbacks):
    settings.PROGRAMME_OFFICE_EMAIL = "leadingplaces@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(evaluation, by=evaluator)
    assert mail.outbox[0].to == ["leadingplaces@example.org"]


def test_each_evaluator_is_told_of_publication_in_a_message_of_their_own(
    officer, submitted, other_evaluator, django_capture_on_commit_callbacks
):
    submitted.evaluators.add(other_evaluator)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(submitted, by=officer)
    assert sorted(message.to for message in mail.outbox) == [["eve@example.org"], ["oscar@example.org"]]
    assert all(not message.cc and not message.bcc for message in mail.outbox)


def test_officers_see_what_awaits_their_review_on_the_dashboard(officer_client, submitted):
    factories.evaluation(phase=submitted.partnership.phase, title="Still a draft")
    response = officer_client.get(url("dashboard"))
    assert "Waiting for your review" in response.text
    assert "Healthy Tynemouth evaluation" in response.text
    assert "Still a draft" not in response.text


def test_the_real_phase_2_evaluation_shows_every_finding_by_kind_on_the_public_pages(leading_places, anonymous):
    page = anonymous.get("/evaluations/phase-2-evaluation/")
    assert page.status_code == 200
    text = page.text
    assert "Evaluation of Leading Places Phase 2 Programme" in text and "Dr Peter O&#x27;Brien" in text
    for heading in ("Achievements", "Challenges", "Recommendations", "Conclusions"):
        assert heading in text
    assert text.index("Achievements") < text.index("Challenges") < text.index("Recommendations")
    assert "Catalyst for ‘inter-disciplinary’ and applied forms of research" in text
    assert "How will the ‘programme’ be taken forward?" in text
    phase = anonymous.get("/phases/phase-2/").text
    assert 'href="/evaluations/phase-2-evaluation/"' in phase


def test_the_review_page_offers_two_buttons_return_with_comments_and_accept_and_publish(officer_client, submitted):
    text = officer_client.get(url("review", submitted.pk)).text
    assert '<button type="submit" name="decision" value="return"' in text and "Return with comments</button>" in text
    assert '<button type="submit" name="decision" value="publish"' in text and "Accept and publish</button>" in text


def test_olivia_reads_each_outcome_in_full_on_the_review_page(officer_client, submitted):
    outcome = submitted.partnership.outcomes.get()
    outcome.description = (
        "More young people in every ward take part in sport, with clubs in all twelve secondary schools."
    )
    outcome.save()
    OutcomeProgress.objects.create(evaluation=submitted, outcome=outcome, status="achieved")

    text = officer_client.get(url("review", submitted.pk)).text

    assert f"Tynemouth: {outcome.description} — <strong>Achieved</strong>" in text


def test_olivia_is_warned_before_publishing_an_evaluation_that_says_neither_who_evaluated_it_nor_when(
    officer_client, submitted
):
    submitted.evaluator_name, submitted.evaluator_organisation, submitted.date = "", None, None
    submitted.save()
    text = officer_client.get(url("review", submitted.pk)).text
    assert "The public page will not say who evaluated it or when." in text
    assert "Evaluated by: <strong>not set</strong>" in text

    submitted.evaluator_name, submitted.date = "Dr Example", datetime.date(2018, 3, 31)
    submitted.save()
    text = officer_client.get(url("review", submitted.pk)).text
    assert "The public page will not say" not in text
    assert "Evaluated by: Dr Example" in text and "Date: 31 March 2018" in text


def test_an_evaluation_without_a_summary_is_pointed_out_before_it_is_submitted_and_published(
    evaluator_client, officer_client, evaluation
):
    evaluation.summary = ""
    evaluation.save()
    check = evaluator_client.get(url("submit", evaluation.pk)).text
    assert "<strong>Not written.</strong> The public page will give the findings with no summary above them" in check
    assert "Submit the evaluation</button>" in check  # a warning, not a refusal

    evaluator_client.post(url("submit", evaluation.pk))
    review = officer_client.get(url("review", evaluation.pk)).text
    assert "No summary: the public page will give the findings with nothing above them." in review


def test_the_review_page_credits_the_evaluation_as_its_public_page_will(officer_client, submitted):
    submitted.evaluator_organisation = factories.institution(name="Ecorys UK")
    submitted.save()
    review = officer_client.get(url("review", submitted.pk)).text
    public = officer_client.get(submitted.get_absolute_url()).text  # staff preview it before publishing

    assert "Evaluated by: Dr Example, Ecorys UK</p>" in review
    assert '<dd>Dr Example, <a href="/institutions/ecorys-uk/">Ecorys UK</a></dd>' in public


def test_the_review_page_says_which_documents_would_be_published(officer_client, officer, submitted):
    from evaluations.models import EvaluationDocument

    EvaluationDocument.objects.create(evaluation=submitted, title="Survey", url="https://x.org/s", is_public=True)
    EvaluationDocument.objects.create(evaluation=submitted, title="Interviews", url="https://x.org/i")
    text = officer_client.get(url("review", submitted.pk)).text
    assert 'Survey</a> <span class="text-secondary-strong">(to be published with the evaluation)</span>' in text
    assert 'Interviews</a> <span class="text-secondary-strong">(internal: officers and evaluators only)</span>' in text

    services.publish(submitted, by=officer)
    text = officer_client.get(url("review", submitted.pk)).text
    assert 'Survey</a> <span class="text-secondary-strong">(published with the evaluation)</span>' in text


@pytest.mark.parametrize("decision", [None, "", "delete"])
def test_a_review_without_a_known_decision_is_refused_and_keeps_the_comments(officer_client, submitted, decision):
    data = {"comments": "Looks good."} | ({"decision": decision} if decision is not None else {})
    response = officer_client.post(url("review", submitted.pk), data)
    assert response.status_code == 422
    assert "Choose “Return with comments” or “Accept and publish”." in response.text
    assert "Looks good." in response.text
    submitted.refresh_from_db()
    assert submitted.status == Evaluation.Status.SUBMITTED and not submitted.events.exists()


def _as_opened(response):
    """The review page's record of what it showed, as its form sends it back."""
    return re.search(r'name="reviewed" value="([0-9a-f]+)"', response.text).group(1)


def test_olivia_cannot_publish_from_a_page_opened_before_a_finding_was_corrected(officer_client, submitted):
    opened = _as_opened(officer_client.get(url("review", submitted.pk)))
    # Meanwhile Priya corrects the finding in the back office.
    submitted.findings.update(text="Partners met every fortnight.")
    response = officer_client.post(
        url("review", submitted.pk), PUBLISH | {"comments": "Well done.", "reviewed": opened}
    )
    assert response.status_code == 409
    assert "This evaluation changed after you opened this page, so your decision was not taken." in response.text
    # The page shows the finding as it is now, and keeps what Olivia wrote.
    assert "Partners met every fortnight." in response.text and "Well done." in response.text
    submitted.refresh_from_db()
    assert submitted.status == Evaluation.Status.SUBMITTED and not submitted.events.exists()
    # Having read it again, she publishes from the page she was shown.
    again = officer_client.post(url("review", submitted.pk), PUBLISH | {"reviewed": _as_opened(response)})
    assert again.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Evaluation.Status.PUBLISHED


def test_olivias_return_from_a_page_opened_before_eve_resubmitted_is_refused(
    officer_client, submitted, evaluator, officer
):
    opened = _as_opened(officer_client.get(url("review", submitted.pk)))
    # Oscar returned it from another page, Eve answered and submitted it again.
    services.return_for_changes(submitted, by=officer, comments="Add evidence.")
    services.submit(submitted, by=evaluator)
    response = officer_client.post(
        url("review", submitted.pk), {"decision": "return", "comments": "Add evidence.", "reviewed": opened}
    )
    assert response.status_code == 409
    assert submitted.events.filter(action="returned").count() == 1


@pytest.mark.parametrize("change", [{"description": "Reworded by Priya."}, {"unit": "walkers"}])
def test_an_outcome_that_a_finding_and_progress_name_changed_makes_a_page_opened_before_it_stale(
    officer_client, submitted, change
):
    outcome = submitted.partnership.outcomes.first()
    submitted.findings.get().outcomes.add(outcome)
    OutcomeProgress.objects.create(evaluation=submitted, outcome=outcome, status="achieved")
    opened = _as_opened(officer_client.get(url("review", submitted.pk)))
    Outcome.objects.filter(pk=outcome.pk).update(**change)
    assert _as_opened(officer_client.get(url("review", submitted.pk))) != opened


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda e: factories.finding(e, text="A second finding."), id="a finding added"),
        pytest.param(lambda e: e.findings.get().partnerships.add(e.partnership), id="a finding linked"),
        pytest.param(lambda e: e.findings.all().delete(), id="a finding removed"),
        pytest.param(
            lambda e: EvaluationDocument.objects.create(evaluation=e, title="Minutes", url="https://x.org/"),
            id="a document attached",
        ),
        pytest.param(
            lambda e: OutcomeProgress.objects.create(
                evaluation=e, outcome=e.partnership.outcomes.first(), status="achieved"
            ),
            id="progress recorded",
        ),
        pytest.param(lambda e: Evaluation.objects.get(pk=e.pk).save(), id="the evaluation saved"),
        pytest.param(
            lambda e: Place.objects.filter(pk=e.partnership.place_id).update(name="Tynemouth Bay"), id="a place renamed"
        ),
    ],
)
def test_any_change_to_what_the_review_page_shows_makes_a_page_opened_before_it_stale(
    officer_client, submitted, change
):
    opened = _as_opened(officer_client.get(url("review", submitted.pk)))
    assert _as_opened(officer_client.get(url("review", submitted.pk))) == opened  # the same page, the same record
    change(submitted)
    assert _as_opened(officer_client.get(url("review", submitted.pk))) != opened


def test_a_decision_on_an_evaluation_that_is_not_submitted_changes_nothing(officer_client, evaluation):
    response = officer_client.post(url("review", evaluation.pk), {"decision": "publish"}, follow=True)
    assert "Only a submitted evaluation can be published." in response.text
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT and not evaluation.events.exists()


def test_each_step_records_who_and_when_and_tells_the_right_people(
    evaluation, evaluator, officer, admin_user, django_capture_on_commit_callbacks
):
    # Olivia, an active staff officer, is told of each submission; Ada, an administrator outside the group, is not.
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(evaluation, by=evaluator)
        services.return_for_changes(evaluation, by=officer, comments="More evidence.")
        services.submit(evaluation, by=evaluator)
        services.publish(evaluation, by=officer)
    events = list(evaluation.events.values_list("action", "by__username", "comment"))
    assert events == [
        ("submitted", "eve", ""),
        ("returned", "olivia", "More evidence."),
        ("submitted", "eve", ""),
        ("published", "olivia", ""),
    ]
    assert all(event.at for event in evaluation.events.all())
    assert [m.to for m in mail.outbox] == [
        ["olivia@example.org"],
        ["eve@example.org"],
        ["olivia@example.org"],
        ["eve@example.org"],
    ]
    assert "ada@example.org" not in str([m.to for m in mail.outbox])


def test_inactive_officers_and_officers_without_staff_status_are_not_emailed(
    evaluation, evaluator, officer, django_capture_on_commit_callbacks
):
    officer.is_active = False
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(evaluation, by=evaluator)
    assert mail.outbox == []


def test_no_email_is_sent_when_the_step_is_refused(evaluation, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.WorkflowError):
        services.publish(evaluation, by=officer)
    assert mail.outbox == []


def test_olivias_comments_longer_than_the_limit_are_refused_in_words_and_kept_to_shorten(officer_client, submitted):
    comments = "Add evidence. " * 400  # 5,600 characters
    response = officer_client.post(url("review", submitted.pk), {"decision": "return", "comments": comments})
    assert response.status_code == 422
    assert "Comments can be up to 5,000 characters, and this one has 5,599. Shorten it." in response.text
    assert "Say what needs to change" not in response.text  # they are there, only too long
    assert comments.strip() in response.text
    submitted.refresh_from_db()
    assert submitted.status == Evaluation.Status.SUBMITTED and submitted.review_comments == ""


def test_once_her_evaluation_is_published_eve_finds_her_way_to_its_public_page(evaluator_client, submitted, officer):
    services.publish(submitted, by=officer)
    public = submitted.get_absolute_url()
    workspace = evaluator_client.get(url("workspace", submitted.pk)).text
    assert (
        f'This evaluation is published, so it cannot be changed: <a href="{public}">see it on the public site</a>'
        in (workspace)
    )
    dashboard = evaluator_client.get(url("dashboard")).text
    assert f'<a class="small" href="{public}">See it on the public site' in dashboard


def test_a_finding_names_its_outcomes_in_full_on_the_review_page(officer_client, submitted):
    outcome = submitted.partnership.outcomes.first()
    outcome.description = "More residents of every ward walking or cycling at least three times a week by 2020"
    outcome.save()
    submitted.findings.get().outcomes.add(outcome)
    text = officer_client.get(url("review", submitted.pk)).text
    assert f"“{outcome.description}”" in text


def test_the_check_page_says_nothing_of_unassessed_outcomes_once_every_one_is_assessed(evaluator_client, evaluation):
    for outcome in evaluation.outcomes_in_scope():
        OutcomeProgress.objects.create(evaluation=evaluation, outcome=outcome, status="in-progress")
    text = evaluator_client.get(url("submit", evaluation.pk)).text
    assert "1 of 1 desired outcome assessed" in text and "not assessed" not in text


def test_olivias_list_of_evaluations_is_named_for_reviewing_and_eves_as_hers(officer_client, evaluator_client, db):
    olivias, eves = officer_client.get(url("dashboard")).text, evaluator_client.get(url("dashboard")).text
    assert "<h1>Evaluations to review</h1>" in olivias and "<h1>Your evaluations</h1>" in eves
    # So do the title, the header's link and the breadcrumb.
    assert olivias.count("Evaluations to review") == 4 and "Your evaluations" not in olivias
    assert eves.count("Your evaluations") == 4 and "Evaluations to review" not in eves
