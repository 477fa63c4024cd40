"""Eve, an evaluator, writes up her evaluation: summary, findings, progress and evidence."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import Evaluation, EvaluationDocument, Finding, OutcomeProgress
from partnerships.models import POSITION_MOST, Outcome, Partnership
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


def test_eve_lands_on_her_dashboard_and_sees_only_her_evaluations(evaluator_client, evaluation, programme):
    factories.evaluation(phase=evaluation.partnership.phase, title="Someone else's evaluation")
    response = evaluator_client.get(url("dashboard"))
    assert response.status_code == 200
    assert "Healthy Tynemouth evaluation" in response.text
    assert "Someone else" not in response.text


def test_eves_dashboard_says_when_comments_on_a_returned_evaluation_are_waiting(evaluator_client, evaluation):
    assert "comments are waiting" not in evaluator_client.get(url("dashboard")).text
    evaluation.status, evaluation.review_comments = Evaluation.Status.RETURNED, "Say which schools."
    evaluation.save()
    assert "The programme office's comments are waiting for you." in evaluator_client.get(url("dashboard")).text


def test_eve_saves_a_summary(evaluator_client, evaluation):
    response = evaluator_client.post(url("workspace", evaluation.pk), {"summary": "  A strong start.  "})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.summary == "A strong start."


def test_a_summary_over_5000_characters_is_refused_with_its_length_and_kept_for_shortening(
    evaluator_client, evaluation
):
    evaluation.summary = "The summary as it was."
    evaluation.save()
    page = evaluator_client.get(url("workspace", evaluation.pk)).text
    assert "maxlength" not in page and "Up to 5,000 characters" in page
    long_text = "The partners met every month.\r\n" * 200  # 6,200 characters as sent, 6,000 as typed
    response = evaluator_client.post(url("workspace", evaluation.pk), {"summary": long_text})
    assert response.status_code == 422
    # Each line break counted once, and the last one stripped.
    assert "A summary can be up to 5,000 characters, and this one has 5,999." in response.text
    assert f"<title>Error: {evaluation.title}" in response.text
    assert long_text.strip() in response.text  # as sent, for shortening
    evaluation.refresh_from_db()
    assert evaluation.summary == "The summary as it was."


def test_a_summary_of_exactly_5000_characters_is_saved(evaluator_client, evaluation):
    response = evaluator_client.post(url("workspace", evaluation.pk), {"summary": "x" * 5000})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert len(evaluation.summary) == 5000


def test_eve_tells_apart_outcomes_that_begin_with_the_same_words(evaluator_client, evaluation):
    opening = "To make Tynemouth a thriving and active place for everyone who lives there, "
    for ending in ("with more people walking to work", "with more people cycling to school"):
        evaluation.partnership.outcomes.create(description=opening + ending, position=9)
    page = evaluator_client.get(url("finding-add", evaluation.pk)).text
    assert f"{opening}with more people walking to work" in page
    assert f"{opening}with more people cycling to school" in page


def test_in_a_phase_evaluation_each_outcome_is_named_with_its_place(evaluator_client, phase_evaluation):
    outcome = Partnership.objects.get(title="Healthy Tynemouth").outcomes.get()
    page = evaluator_client.get(url("finding-add", phase_evaluation.pk)).text
    assert f"Tynemouth: {outcome.description}" in page


def test_eve_adds_a_finding_about_an_outcome_of_the_one_partnership_she_evaluates(evaluator_client, evaluation):
    outcome = evaluation.partnership.outcomes.get()
    form = evaluator_client.get(url("finding-add", evaluation.pk)).text
    assert 'name="outcomes"' in form and "Desired outcomes it concerns (optional)" in form
    assert outcome.description in form and f"Tynemouth: {outcome.description}" not in form  # no place to tell apart
    assert 'name="partnerships"' not in form  # every finding of this evaluation is about its partnership

    response = evaluator_client.post(
        url("finding-add", evaluation.pk),
        {"kind": "achievement", "text": "Inactivity fell.", "evidence": "data", "outcomes": [outcome.pk]},
    )

    assert response.status_code == 302
    finding = evaluation.findings.get(text="Inactivity fell.")
    assert finding.position == 1
    assert list(finding.outcomes.all()) == [outcome]
    assert finding.history.first().history_user.username == "eve"


def test_eve_names_the_partnerships_a_finding_of_a_phase_evaluation_is_about(evaluator_client, phase_evaluation):
    wearside = Partnership.objects.get(title="Wearside skills strategy")
    response = evaluator_client.post(
        url("finding-add", phase_evaluation.pk),
        {"kind": "challenge", "text": "Wearside struggled.", "partnerships": [wearside.pk]},
    )
    assert response.status_code == 302
    assert list(phase_evaluation.findings.get(text="Wearside struggled.").partnerships.all()) == [wearside]


def test_a_blank_finding_is_refused_and_keeps_what_was_typed(evaluator_client, evaluation):
    response = evaluator_client.post(
        url("finding-add", evaluation.pk), {"kind": "lesson", "text": "   ", "evidence": "observed"}
    )
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert 'href="#id_text"' in response.text
    assert '<option value="observed" selected>' in response.text
    assert evaluation.findings.count() == 1


def test_a_finding_over_2000_characters_is_refused_with_its_length_and_kept_for_shortening(
    evaluator_client, evaluation
):
    page = evaluator_client.get(url("finding-add", evaluation.pk)).text
    assert "maxlength" not in page and "Up to 2,000 characters" in page
    long_text = "The partners met.\r\n" * 200  # 3,800 characters as sent, 3,600 as typed
    response = evaluator_client.post(url("finding-add", evaluation.pk), {"kind": "lesson", "text": long_text})
    assert response.status_code == 422
    # Each line break counted once, and the last one stripped.
    assert "A finding can be up to 2,000 characters, and this one has 3,599." in response.text
    assert long_text.strip() in response.text  # as sent, for shortening
    assert evaluation.findings.count() == 1


def test_in_a_phase_evaluation_an_outcome_needs_its_partnership_ticked_too(evaluator_client, phase_evaluation):
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    wearside = Partnership.objects.get(title="Wearside skills strategy")
    wearside_outcome = Outcome.objects.create(partnership=wearside, description="More apprentices.", position=0)
    before = phase_evaluation.findings.count()
    finding = {"kind": "lesson", "text": "Work with employers.", "partnerships": [tynemouth.pk]}

    refused = evaluator_client.post(
        url("finding-add", phase_evaluation.pk), finding | {"outcomes": [wearside_outcome.pk]}
    )

    assert refused.status_code == 422
    assert (
        "Each desired outcome you tick needs its partnership ticked too: tick Wearside among the partnerships, "
        "or untick its outcome." in refused.text
    )
    assert phase_evaluation.findings.count() == before

    both = finding | {"partnerships": [tynemouth.pk, wearside.pk], "outcomes": [wearside_outcome.pk]}
    assert evaluator_client.post(url("finding-add", phase_evaluation.pk), both).status_code == 302
    workspace = evaluator_client.get(url("workspace", phase_evaluation.pk)).text
    assert "Wearside’s outcome “More apprentices.”" in workspace


def test_a_finding_about_a_partnership_outside_the_scope_is_refused(evaluator_client, phase_evaluation):
    elsewhere = Partnership.objects.get(title="Skills for Tynemouth")  # of Phase 1
    response = evaluator_client.post(
        url("finding-add", phase_evaluation.pk),
        {"kind": "challenge", "text": "Tynemouth struggled.", "partnerships": [elsewhere.pk]},
    )
    assert response.status_code == 422
    assert "Choose only partnerships within this evaluation’s scope." in response.text
    assert "Tynemouth struggled." in response.text
    assert not Finding.objects.filter(text="Tynemouth struggled.").exists()


def test_eve_edits_reorders_and_removes_findings(evaluator_client, evaluation):
    first = evaluation.findings.get()
    second = factories.finding(evaluation, text="Second finding.")
    evaluator_client.post(url("finding-edit", evaluation.pk, first.pk), {"kind": "achievement", "text": "Edited."})
    first.refresh_from_db()
    assert (first.kind, first.text) == ("achievement", "Edited.")

    evaluator_client.post(url("finding-move", evaluation.pk, second.pk), {"direction": "up"})
    assert list(evaluation.findings.order_by("position").values_list("text", flat=True)) == [
        "Second finding.",
        "Edited.",
    ]

    evaluator_client.post(url("finding-delete", evaluation.pk, first.pk))
    assert list(evaluation.findings.values_list("text", flat=True)) == ["Second finding."]


def test_eve_adding_or_editing_a_finding_goes_back_to_it_with_the_news_in_its_card(evaluator_client, evaluation):
    added = evaluator_client.post(url("finding-add", evaluation.pk), {"kind": "lesson", "text": "Start early."})
    finding = evaluation.findings.get(text="Start early.")
    assert added["Location"] == url("workspace", evaluation.pk) + f"#finding-{finding.pk}"
    page = evaluator_client.get(added["Location"]).text
    assert f'data-about="finding-{finding.pk}">The finding is added.</div>' in page

    edited = evaluator_client.post(url("finding-edit", evaluation.pk, finding.pk), {"kind": "lesson", "text": "Begin."})
    assert edited["Location"] == url("workspace", evaluation.pk) + f"#finding-{finding.pk}"
    page = evaluator_client.get(edited["Location"]).text
    assert f'data-about="finding-{finding.pk}">The finding is saved.</div>' in page


def test_moving_a_finding_says_where_it_now_is_and_returns_to_it(evaluator_client, evaluation):
    second = factories.finding(evaluation, text="Second finding.")
    moved = evaluator_client.post(url("finding-move", evaluation.pk, second.pk), {"direction": "up"})
    assert moved["Location"].endswith(f"#finding-{second.pk}")
    assert "Finding moved up: it is now number 1 of the achievements." in evaluator_client.get(moved["Location"]).text

    again = evaluator_client.post(url("finding-move", evaluation.pk, second.pk), {"direction": "up"}, follow=True)
    assert "The finding is already first of the achievements." in again.text
    assert evaluation.findings.order_by("position", "pk").first() == second


def test_findings_move_among_their_own_kind_as_the_public_pages_group_them(evaluator_client, evaluation):
    first = evaluation.findings.get()  # an achievement
    lesson = factories.finding(evaluation, kind=Finding.Kind.LESSON, text="A lesson.")
    second = factories.finding(evaluation, text="Second achievement.")
    page = evaluator_client.get(url("workspace", evaluation.pk)).text
    assert '<h3 class="h5 mt-4" id="kind-achievement">Achievements</h3>' in page
    assert '<h3 class="h5 mt-4" id="kind-lesson">Lesson</h3>' in page
    assert page.index("Second achievement.") < page.index("A lesson.")  # grouped, not in the order added
    assert 'Move up<span class="visually-hidden"> achievement 2</span>' in page
    assert 'Move up<span class="visually-hidden"> lesson 1</span>' not in page  # alone in its kind

    evaluator_client.post(url("finding-move", evaluation.pk, second.pk), {"direction": "up"})

    assert [f.text for f in evaluation.findings.filter(kind="achievement").order_by("position", "pk")] == [
        "Second achievement.",
        first.text,
    ]
    lesson.refresh_from_db()
    assert lesson.position == 1  # the lesson, of another kind, is where it was


def test_a_move_in_no_known_direction_changes_nothing(evaluator_client, evaluation):
    finding = evaluation.findings.get()
    response = evaluator_client.post(url("finding-move", evaluation.pk, finding.pk), {"direction": "sideways"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.position == 0


def test_the_workspace_says_how_many_desired_outcomes_are_assessed(evaluator_client, evaluation):
    outcome = Outcome.objects.get(partnership=evaluation.partnership)
    Outcome.objects.create(partnership=evaluation.partnership, description="More clubs.", position=1)
    assert (
        "<strong>0 of 2</strong> desired outcomes assessed so far."
        in evaluator_client.get(url("workspace", evaluation.pk)).text
    )
    OutcomeProgress.objects.create(evaluation=evaluation, outcome=outcome, status="achieved")
    assert (
        "<strong>1 of 2</strong> desired outcomes assessed so far: 1 achieved."
        in evaluator_client.get(url("workspace", evaluation.pk)).text
    )


def test_the_workspace_says_how_eve_found_the_outcomes_she_assessed_in_the_order_of_the_statuses(
    evaluator_client, evaluation, other_evaluator
):
    first = Outcome.objects.get(partnership=evaluation.partnership)
    more = [
        Outcome.objects.create(partnership=evaluation.partnership, description=f"Outcome {n}.", position=n)
        for n in range(1, 4)
    ]
    for outcome, status in zip([first, *more], ["achieved", "in-progress", "achieved"], strict=False):
        OutcomeProgress.objects.create(evaluation=evaluation, outcome=outcome, status=status)
    # Another evaluation's assessment of the same outcome is not this one's.
    other = factories.evaluation(partnership=evaluation.partnership, title="Another look")
    OutcomeProgress.objects.create(evaluation=other, outcome=more[2], status="not-achieved")

    page = evaluator_client.get(url("workspace", evaluation.pk)).text

    assert "<strong>3 of 4</strong> desired outcomes assessed so far: 1 in progress, 2 achieved." in page


def test_eve_records_progress_on_each_outcome_and_can_clear_it(evaluator_client, evaluation):
    outcome = Outcome.objects.get(partnership=evaluation.partnership)
    field = f"status_{outcome.pk}"
    evaluator_client.post(url("progress", evaluation.pk), {field: "in-progress", f"note_{outcome.pk}": "Survey"})
    assert OutcomeProgress.objects.get(evaluation=evaluation, outcome=outcome).evidence_note == "Survey"
    evaluator_client.post(url("progress", evaluation.pk), {field: "", f"note_{outcome.pk}": ""})
    assert not OutcomeProgress.objects.filter(evaluation=evaluation).exists()


def test_evidence_without_a_status_is_refused(evaluator_client, evaluation):
    outcome = Outcome.objects.get(partnership=evaluation.partnership)
    response = evaluator_client.post(url("progress", evaluation.pk), {f"note_{outcome.pk}": "Survey"})
    assert response.status_code == 422
    assert "Choose a progress status for the evidence you gave." in response.text
    assert not OutcomeProgress.objects.exists()


def test_evidence_over_500_characters_is_refused_with_its_length_and_kept_for_shortening(evaluator_client, evaluation):
    outcome = Outcome.objects.get(partnership=evaluation.partnership)
    page = evaluator_client.get(url("progress", evaluation.pk)).text
    assert "maxlength" not in page and "One paragraph of up to 500 characters" in page
    note = "Survey of members.\r\n" * 30  # 600 characters as sent, 570 as typed
    response = evaluator_client.post(
        url("progress", evaluation.pk), {f"status_{outcome.pk}": "in-progress", f"note_{outcome.pk}": note}
    )
    assert response.status_code == 422
    assert "Evidence can be up to 500 characters, and this has 569." in response.text
    assert f"Evidence on “{outcome.description}”" in response.text  # in the error summary, telling the fields apart
    assert note.strip() in response.text
    assert not OutcomeProgress.objects.exists()


def test_evidence_typed_over_several_lines_is_kept_as_one_paragraph(evaluator_client, evaluation):
    outcome = Outcome.objects.get(partnership=evaluation.partnership)
    evaluator_client.post(
        url("progress", evaluation.pk),
        {f"status_{outcome.pk}": "in-progress", f"note_{outcome.pk}": "Survey of members.\r\nMinutes  of meetings."},
    )
    assert OutcomeProgress.objects.get().evidence_note == "Survey of members. Minutes of meetings."


def test_the_progress_form_states_how_each_outcome_is_measured(evaluator_client, evaluation):
    outcome = Outcome.objects.get(partnership=evaluation.partnership)
    outcome.indicator, outcome.baseline, outcome.target, outcome.unit = "numeric", 100, 200, "scale companies"
    outcome.save()
    page = evaluator_client.get(url("progress", evaluation.pk)).text
    assert f'<p class="form-text mt-0" id="indicator_{outcome.pk}">Target: from 100 to 200 scale companies</p>' in page
    assert f'aria-describedby="indicator_{outcome.pk}"' in page
    assert "Not yet assessed" in page  # as the public pages say


def _opened(page):
    return re.search(r'name="opened" value="(\w+)"', page).group(1)


def _opened_progress(page):
    """The saved state of each outcome that the progress page carries: {"opened_<pk>": digest}."""
    return dict(re.findall(r'name="(opened_\d+)" value="(\w+)"', page))


def test_progress_a_co_evaluator_saved_after_eve_opened_the_page_is_not_overwritten_unseen(
    evaluator_client, evaluation
):
    outcome = Outcome.objects.get(partnership=evaluation.partnership)
    opened = _opened_progress(evaluator_client.get(url("progress", evaluation.pk)).text)
    # Her co-evaluator saves first.
    OutcomeProgress.objects.create(evaluation=evaluation, outcome=outcome, status="achieved", evidence_note="Survey")
    eves = opened | {f"status_{outcome.pk}": "in-progress", f"note_{outcome.pk}": "Minutes"}

    refused = evaluator_client.post(url("progress", evaluation.pk), eves)

    assert refused.status_code == 422
    assert (
        "Someone else saved progress on this outcome after you opened this page: it is now “Achieved”, with the "
        "evidence “Survey”. Yours is below: save again to put it in place of theirs." in refused.text
    )
    assert "Minutes" in refused.text  # her entries, kept for saving again
    assert OutcomeProgress.objects.get().status == "achieved"
    # Having seen the warning, she saves again: the page now carries what is saved.
    again = evaluator_client.post(url("progress", evaluation.pk), eves | _opened_progress(refused.text))
    assert again.status_code == 302
    assert OutcomeProgress.objects.get().evidence_note == "Minutes"


def _two_outcomes(evaluation):
    """The partnership's desired outcome, and a second one added to it."""
    first = Outcome.objects.get(partnership=evaluation.partnership)
    return first, Outcome.objects.create(partnership=evaluation.partnership, description="More people walk", position=1)


def _assessed(evaluation):
    """{outcome: (status, evidence note)} as saved."""
    return {a.outcome: (a.status, a.evidence_note) for a in evaluation.progress.all()}


def test_eve_saving_progress_on_one_outcome_keeps_what_a_co_evaluator_saved_on_another_since(
    evaluator_client, evaluation
):
    first, second = _two_outcomes(evaluation)
    page = evaluator_client.get(url("progress", evaluation.pk)).text
    # The page as she opened it: both outcomes not yet assessed.
    eves = _opened_progress(page) | {
        f"status_{first.pk}": "",
        f"note_{first.pk}": "",
        f"status_{second.pk}": "in-progress",
        f"note_{second.pk}": "Step counts",
    }
    # Her co-evaluator records the first outcome meanwhile.
    OutcomeProgress.objects.create(evaluation=evaluation, outcome=first, status="achieved", evidence_note="Survey")

    saved = evaluator_client.post(url("progress", evaluation.pk), eves)

    assert saved.status_code == 302
    assert _assessed(evaluation) == {first: ("achieved", "Survey"), second: ("in-progress", "Step counts")}


def test_a_co_evaluators_save_stands_after_eve_corrects_a_mistake_on_another_outcome(evaluator_client, evaluation):
    first, second = _two_outcomes(evaluation)
    opened = _opened_progress(evaluator_client.get(url("progress", evaluation.pk)).text)
    OutcomeProgress.objects.create(evaluation=evaluation, outcome=first, status="achieved", evidence_note="Survey")
    # Eve leaves the first outcome as she opened it, and forgets the second's status.
    eves = opened | {
        f"status_{first.pk}": "",
        f"note_{first.pk}": "",
        f"status_{second.pk}": "",
        f"note_{second.pk}": "Step counts",
    }
    refused = evaluator_client.post(url("progress", evaluation.pk), eves)
    assert refused.status_code == 422 and "Choose a progress status for the evidence you gave." in refused.text
    # The page shown again still carries the state she first opened, not the co-evaluator's save.
    assert _opened_progress(refused.text) == opened

    fixed = eves | _opened_progress(refused.text) | {f"status_{second.pk}": "in-progress"}
    assert evaluator_client.post(url("progress", evaluation.pk), fixed).status_code == 302

    assert _assessed(evaluation) == {first: ("achieved", "Survey"), second: ("in-progress", "Step counts")}


def test_progress_the_form_shows_differently_from_how_it_is_saved_is_kept_when_left_alone(evaluator_client, evaluation):
    first, second = _two_outcomes(evaluation)
    # Saved in the back office: a status the form does not offer, and a note on two lines.
    OutcomeProgress.objects.create(
        evaluation=evaluation, outcome=first, status=Outcome.Progress.NOT_ASSESSED, evidence_note="Survey\nof 40"
    )
    page = evaluator_client.get(url("progress", evaluation.pk)).text
    left_alone = _opened_progress(page) | {
        f"status_{first.pk}": "",
        f"note_{first.pk}": "Survey\nof 40",
        f"status_{second.pk}": "achieved",
        f"note_{second.pk}": "",
    }

    assert evaluator_client.post(url("progress", evaluation.pk), left_alone).status_code == 302

    kept = evaluation.progress.get(outcome=first)
    assert (kept.status, kept.evidence_note) == (Outcome.Progress.NOT_ASSESSED, "Survey\nof 40")
    assert evaluation.progress.get(outcome=second).status == "achieved"


def test_a_finding_a_co_evaluator_changed_after_eve_opened_it_is_not_overwritten_unseen(evaluator_client, evaluation):
    finding = evaluation.findings.get()
    edit = url("finding-edit", evaluation.pk, finding.pk)
    opened = _opened(evaluator_client.get(edit).text)
    Finding.objects.filter(pk=finding.pk).update(text="Partners met every week.")  # her co-evaluator's edit
    eves = {"opened": opened, "kind": "achievement", "text": "Partners met every fortnight."}

    refused = evaluator_client.post(edit, eves)

    assert "Someone else changed this finding after you opened it, so nothing was saved." in refused.text
    assert "Partners met every fortnight." in refused.text
    finding.refresh_from_db()
    assert finding.text == "Partners met every week."
    assert evaluator_client.post(edit, eves | {"opened": _opened(refused.text)}).status_code == 302
    finding.refresh_from_db()
    assert finding.text == "Partners met every fortnight."


def test_eve_sees_the_edit_she_typed_when_a_co_evaluator_removed_the_finding_before_she_saved_it(
    evaluator_client, evaluation
):
    finding = evaluation.findings.get()
    edit = url("finding-edit", evaluation.pk, finding.pk)
    opened = _opened(evaluator_client.get(edit).text)
    finding.delete()  # her co-evaluator removes it

    refused = evaluator_client.post(edit, {"opened": opened, "kind": "achievement", "text": "Partners met weekly."})

    assert refused.status_code == 409
    assert "Someone removed this finding after you opened it. If it is still needed, add it again" in refused.text
    assert "Partners met weekly." in refused.text
    assert not evaluation.findings.exists()
    assert evaluator_client.get(edit).status_code == 404
    # One button adds what she typed as a new finding.
    add = url("finding-add", evaluation.pk)
    assert f'action="{add}"' in refused.text and "Add it as a new finding</button>" in refused.text
    added = evaluator_client.post(add, {"kind": "achievement", "text": "Partners met weekly."})
    assert added.status_code == 302
    assert list(evaluation.findings.values_list("text", flat=True)) == ["Partners met weekly."]


def test_removing_a_finding_a_co_evaluator_already_removed_says_so(evaluator_client, evaluation):
    remove = url("finding-delete", evaluation.pk, evaluation.findings.get().pk)
    evaluation.findings.get().delete()  # her co-evaluator removes it first

    response = evaluator_client.post(remove, follow=True)

    assert response.status_code == 200
    assert "That finding had already been removed." in response.text


def test_eve_renames_a_document_and_lets_it_be_published_keeping_its_file(
    evaluator_client, evaluation, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("visit.pdf", PDF, content_type="application/pdf")
    evaluator_client.post(url("document-add", evaluation.pk), {"title": "Visit", "kind": "evidence", "file": upload})
    document = EvaluationDocument.objects.get()
    workspace = evaluator_client.get(url("workspace", evaluation.pk)).text
    edit = url("document-edit", evaluation.pk, document.pk)
    assert f'href="{edit}">Edit<span class="visually-hidden"> Visit</span></a>' in workspace
    form = evaluator_client.get(edit)
    opened = form.context["form"]["opened"].value()

    saved = evaluator_client.post(
        edit, {"title": "Site visit notes", "kind": "evidence", "is_public": "on", "opened": opened}, follow=True
    )

    assert saved.redirect_chain == [(url("workspace", evaluation.pk) + "#documents-heading", 302)]
    assert "“Site visit notes” is saved." in saved.text
    document.refresh_from_db()
    assert (document.title, document.is_public, document.file.read()) == ("Site visit notes", True, PDF)


def test_a_document_changed_by_a_co_evaluator_after_eve_opened_it_is_not_overwritten(evaluator_client, evaluation):
    document = EvaluationDocument.objects.create(evaluation=evaluation, title="Notes", url="https://example.org/n")
    edit = url("document-edit", evaluation.pk, document.pk)
    opened = evaluator_client.get(edit).context["form"]["opened"].value()
    EvaluationDocument.objects.filter(pk=document.pk).update(title="Oscar's title")

    refused = evaluator_client.post(edit, {"title": "Eve's title", "kind": "evidence", "opened": opened})

    assert refused.status_code == 422
    assert "Someone else changed this document after you opened it, so nothing was saved." in refused.text
    assert "Eve&#x27;s title" in refused.text
    document.refresh_from_db()
    assert document.title == "Oscar's title"
    again = refused.context["form"]["opened"].value()
    assert evaluator_client.post(edit, {"title": "Eve's title", "kind": "evidence", "opened": again}).status_code == 302


def test_a_document_emptied_of_its_title_is_refused_in_words(evaluator_client, evaluation):
    document = EvaluationDocument.objects.create(evaluation=evaluation, title="Notes", url="https://example.org/n")
    response = evaluator_client.post(url("document-edit", evaluation.pk, document.pk), {"title": "", "kind": ""})
    assert response.status_code == 422
    assert response.context["form"].errors["title"] == ["Enter a title for the document."]
    document.refresh_from_db()
    assert document.title == "Notes"


def test_removing_a_document_a_co_evaluator_already_removed_says_so(evaluator_client, evaluation):
    document = EvaluationDocument.objects.create(evaluation=evaluation, title="Notes", url="https://example.org/n")
    remove = url("document-delete", evaluation.pk, document.pk)
    document.delete()  # her co-evaluator removes it first

    response = evaluator_client.post(remove, follow=True)

    assert response.redirect_chain == [(url("workspace", evaluation.pk), 302)]
    assert "That document had already been removed." in response.text
    assert evaluator_client.get(remove).status_code == 404


def test_an_outcome_the_progress_form_did_not_send_keeps_its_assessment(evaluator_client, evaluation):
    first = Outcome.objects.get(partnership=evaluation.partnership)
    added_since = Outcome.objects.create(partnership=evaluation.partnership, description="More clubs.", position=1)
    OutcomeProgress.objects.create(evaluation=evaluation, outcome=added_since, status="achieved")
    evaluator_client.post(url("progress", evaluation.pk), {f"status_{first.pk}": "in-progress"})
    assert dict(OutcomeProgress.objects.values_list("outcome__description", "status")) == {
        "Fewer people inactive": "in-progress",
        "More clubs.": "achieved",
    }


def _numeric(outcome, target=100, unit="scale companies"):
    outcome.indicator, outcome.target, outcome.unit = Outcome.Indicator.NUMERIC, target, unit
    outcome.save()
    return outcome


def test_eve_records_the_figure_a_numeric_outcome_reached_and_the_public_page_shows_it(
    evaluator_client, evaluation, anonymous
):
    outcome = _numeric(Outcome.objects.get(partnership=evaluation.partnership), target=2000)
    saved = evaluator_client.post(
        url("progress", evaluation.pk),
        {f"status_{outcome.pk}": "in-progress", f"value_{outcome.pk}": " 1,072.50 ", f"note_{outcome.pk}": "Survey."},
    )
    assert saved.status_code == 302
    assert str(OutcomeProgress.objects.get(outcome=outcome).value_reached) == "1072.50"
    page = evaluator_client.get(url("progress", evaluation.pk)).text
    assert f'name="value_{outcome.pk}" id="id_value_{outcome.pk}" value="1072.5"' in page  # as typed, not 1072.50
    assert "Where the indicator stands now, in scale companies: the target is 2,000." in page
    outcome.baseline = 250
    outcome.save()
    page = evaluator_client.get(url("progress", evaluation.pk)).text
    assert "Where the indicator stands now, in scale companies: it started at 250 and the target is 2,000." in page

    evaluation.status = Evaluation.Status.PUBLISHED
    evaluation.save()
    public = anonymous.get(evaluation.partnership.get_absolute_url()).text
    assert (
        "Healthy Tynemouth evaluation</a>: in progress, 1,072.50 scale companies reached, against a target of 2,000 "
        "from a baseline of 250. Survey." in public
    )


def test_a_figure_reached_that_is_not_a_number_is_refused_and_the_saved_one_is_kept(evaluator_client, evaluation):
    outcome = _numeric(Outcome.objects.get(partnership=evaluation.partnership))
    OutcomeProgress.objects.create(evaluation=evaluation, outcome=outcome, status="in-progress", value_reached=40)
    for typed, message in [
        ("about seventy", "Enter the figure reached as a number, such as 72 or 1,250.5."),
        ("72.125", "Enter a figure with no more than 2 decimal places."),
        ("1" * 13, "Enter a figure of no more than 12 digits before the decimal point."),
        ("NaN", "Enter the figure reached as a number, such as 72 or 1,250.5."),
        ("1e5", "Enter the figure reached as a number, such as 72 or 1,250.5."),
        ("1_000", "Enter the figure reached as a number, such as 72 or 1,250.5."),
        ("1,2,3", "Enter the figure reached as a number, such as 72 or 1,250.5."),
        ("١٢٣", "Enter the figure reached as a number, such as 72 or 1,250.5."),
    ]:
        response = evaluator_client.post(
            url("progress", evaluation.pk), {f"status_{outcome.pk}": "achieved", f"value_{outcome.pk}": typed}
        )
        assert response.status_code == 422, typed
        assert message in response.text, typed
        assert f'value="{typed}"' in response.text  # kept for correcting
        kept = OutcomeProgress.objects.get()
        assert (kept.status, kept.value_reached) == ("in-progress", 40)


@pytest.mark.parametrize(
    ("typed", "saved"), [("1,250.5", "1250.50"), (".5", "0.50"), ("1250.", "1250.00"), ("-5", "-5.00")]
)
def test_a_figure_reached_is_read_as_people_write_it(evaluator_client, evaluation, typed, saved):
    outcome = _numeric(Outcome.objects.get(partnership=evaluation.partnership))
    response = evaluator_client.post(
        url("progress", evaluation.pk), {f"status_{outcome.pk}": "achieved", f"value_{outcome.pk}": typed}
    )
    assert response.status_code == 302, typed
    assert str(OutcomeProgress.objects.get().value_reached) == saved


def test_a_figure_without_a_status_is_refused(evaluator_client, evaluation):
    outcome = _numeric(Outcome.objects.get(partnership=evaluation.partnership))
    response = evaluator_client.post(url("progress", evaluation.pk), {f"value_{outcome.pk}": "12"})
    assert "Choose a progress status for the figure you gave." in response.text
    assert not OutcomeProgress.objects.exists()


def test_only_an_outcome_with_a_numeric_indicator_asks_for_a_figure(evaluator_client, evaluation):
    outcome = Outcome.objects.get(partnership=evaluation.partnership)
    assert not outcome.is_numeric
    page = evaluator_client.get(url("progress", evaluation.pk)).text
    assert "Figure reached" not in page and "and any figure reached" in page
    evaluator_client.post(
        url("progress", evaluation.pk), {f"status_{outcome.pk}": "achieved", f"value_{outcome.pk}": "12"}
    )
    assert OutcomeProgress.objects.get().value_reached is None  # a figure sent anyway is not kept


def test_a_submitted_evaluations_progress_is_shown_read_only_and_says_why(evaluator_client, submitted):
    page = evaluator_client.get(url("progress", submitted.pk)).text
    assert "This evaluation is submitted and waiting for review, so it cannot be changed unless" in page
    assert " disabled>" in page and " readonly aria-describedby" in page and "Save progress" not in page


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_eve_attaches_a_pdf_under_a_generated_name_and_downloads_it(evaluator_client, evaluation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("../../etc/passwd report.pdf", PDF, content_type="application/pdf")
    response = evaluator_client.post(
        url("document-add", evaluation.pk), {"title": "Survey results", "kind": "evidence", "file": upload}
    )
    assert response.status_code == 302
    document = EvaluationDocument.objects.get()
    assert document.file.name.startswith("documents/") and ".." not in document.file.name
    assert "passwd" not in document.file.name
    download = evaluator_client.get(url("document", document.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF


def test_eve_removes_a_document_after_confirming_and_olivia_can_restore_it(
    evaluator_client, evaluation, officer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("draft.pdf", PDF, content_type="application/pdf")
    evaluator_client.post(
        url("document-add", evaluation.pk), {"title": "Early draft", "kind": "evidence", "file": upload}
    )
    document = EvaluationDocument.objects.get()
    workspace = evaluator_client.get(url("workspace", evaluation.pk)).text
    assert url("document-delete", evaluation.pk, document.pk) in workspace

    confirm = evaluator_client.get(url("document-delete", evaluation.pk, document.pk))
    assert "Remove this document?" in confirm.text and "Early draft" in confirm.text
    assert EvaluationDocument.objects.exists(), "showing the question removed nothing"

    response = evaluator_client.post(url("document-delete", evaluation.pk, document.pk), follow=True)
    assert "“Early draft” is removed." in response.text
    assert not EvaluationDocument.objects.exists()
    assert (tmp_path / document.file.name).read_bytes() == PDF  # the file is kept

    # Olivia finds it on the evaluation's page in the back office and restores it from its history.
    olivia = client_for(officer)
    evaluation_page = olivia.get(f"/admin/evaluations/evaluation/{evaluation.pk}/change/").text
    history = f"/admin/evaluations/evaluationdocument/{document.pk}/history/"
    assert f'<a href="{history}">Early draft</a>, removed' in evaluation_page and "by eve" in evaluation_page
    added = document.history.get(history_type="+")
    assert f"{history}{added.history_id}/" in olivia.get(history).text
    address = f"{history}{added.history_id}/"
    form = olivia.get(address).context["adminform"].form
    fields = {name: value for name, value in form.initial.items() if name != "file" and value is not None}
    assert olivia.post(address, fields).status_code == 302
    restored = EvaluationDocument.objects.get(pk=document.pk)
    assert restored.title == "Early draft" and restored.file.read() == PDF
    assert f'<a href="{history}">' not in olivia.get(f"/admin/evaluations/evaluation/{evaluation.pk}/change/").text


def test_a_submitted_evaluations_documents_cannot_be_removed(evaluator_client, submitted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = EvaluationDocument.objects.create(evaluation=submitted, title="Notes", url="https://example.org/n")
    assert (
        url("document-delete", submitted.pk, document.pk)
        not in evaluator_client.get(url("workspace", submitted.pk)).text
    )
    assert evaluator_client.post(url("document-delete", submitted.pk, document.pk)).status_code == 403
    assert EvaluationDocument.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.exe", b"MZ\x90\x00", "“notes.exe” is not a document of a kind the portal keeps. Choose a PDF"),
        ("disguised.pdf", b"<html><script>alert(1)</script>", "“disguised.pdf” is named as a PDF document, but its"),
        ("fake.docx", b"PK\x03\x04not really a zip", "“fake.docx” is named as a DOCX document, but its content"),
    ],
)
def test_a_disallowed_upload_is_refused_by_its_content(
    evaluator_client, evaluation, name, content, message, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content)
    response = evaluator_client.post(
        url("document-add", evaluation.pk), {"title": "X", "kind": "evidence", "file": upload}
    )
    assert response.status_code == 422
    assert message in response.text
    assert "external link" not in response.text  # the form offers no link, so no message about one
    assert not EvaluationDocument.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_an_upload_form_sent_without_a_file_asks_for_the_file_and_nothing_else(evaluator_client, evaluation):
    response = evaluator_client.post(url("document-add", evaluation.pk), {"title": "X", "kind": "evidence"})
    assert response.status_code == 422
    assert 'href="#id_file">File: Choose a file to attach.</a>' in response.text
    assert "external link" not in response.text
    assert not EvaluationDocument.objects.exists()


def test_an_oversized_upload_is_refused_with_the_limit_stated(evaluator_client, evaluation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    response = evaluator_client.post(
        url("document-add", evaluation.pk), {"title": "Big", "kind": "evidence", "file": upload}
    )
    assert response.status_code == 422
    assert "larger than 1 MB" in response.text
    assert not EvaluationDocument.objects.exists()


def test_eve_sending_a_file_far_over_the_limit_is_refused_before_it_is_read(evaluator_client, evaluation, settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("scan.pdf", PDF + b"0" * (3 * 1024 * 1024))
    response = evaluator_client.post(
        url("document-add", evaluation.pk), {"title": "Scan", "kind": "evidence", "file": upload}
    )
    assert response.status_code == 413
    assert "nothing was saved" in response.text and "up to 1 MB" in response.text
    assert not EvaluationDocument.objects.exists()


def test_the_upload_form_states_the_limits(evaluator_client, evaluation):
    response = evaluator_client.get(url("document-add", evaluation.pk))
    assert "up to 20 MB" in response.text
    assert "PDF, Word, Excel, PowerPoint or OpenDocument" in response.text


def test_an_internal_document_is_never_served_to_the_public(anonymous, evaluation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = EvaluationDocument(evaluation=evaluation, title="Notes", kind="evidence")
    document.file.save("notes.pdf", SimpleUploadedFile("notes.pdf", PDF))
    evaluation.status = Evaluation.Status.PUBLISHED
    evaluation.save()
    assert anonymous.get(url("document", document.pk)).status_code == 404
    document.is_public = True
    document.save()
    assert anonymous.get(url("document", document.pk)).status_code == 200


def test_a_published_document_has_a_public_address_that_crawlers_may_follow(anonymous, evaluation):
    document = EvaluationDocument.objects.create(evaluation=evaluation, title="Notes", url="https://x.org/")
    address = url("document", document.pk)
    assert address == f"/evaluations/documents/{document.pk}/"
    robots = anonymous.get("/robots.txt").text
    assert "Disallow: /evaluator/" in robots and "Disallow: /evaluations/" not in robots
    # A link made when documents were under /evaluator/ still leads to it.
    old = anonymous.get(f"/evaluator/documents/{document.pk}/")
    assert (old.status_code, old["Location"]) == (301, address)


def test_a_finding_about_an_outcome_outside_the_scope_is_refused_and_the_summary_links_to_it(
    evaluator_client, evaluation
):
    elsewhere = factories.partnership(phase=evaluation.partnership.phase, outcomes=["Fewer empty shops"])
    response = evaluator_client.post(
        url("finding-add", evaluation.pk),
        {"kind": "challenge", "text": "Shops closed.", "outcomes": [elsewhere.outcomes.get().pk]},
    )
    assert response.status_code == 422
    assert "Choose only outcomes of partnerships within this evaluation’s scope." in response.text
    assert 'href="#id_outcomes_0"' in response.text and 'id="id_outcomes_0"' in response.text
    assert "Shops closed." in response.text
    assert not Finding.objects.filter(text="Shops closed.").exists()


def test_a_new_finding_goes_after_the_last_even_after_a_removal(evaluator_client, evaluation):
    second = factories.finding(evaluation, text="Second.", position=1)
    factories.finding(evaluation, text="Third.", position=2)
    second.delete()
    evaluator_client.post(url("finding-add", evaluation.pk), {"kind": "lesson", "text": "Fourth."})
    assert list(evaluation.findings.order_by("position", "pk").values_list("text", "position")) == [
        ("Partners met every month.", 0),
        ("Third.", 2),
        ("Fourth.", 3),
    ]


def test_eve_adding_a_finding_after_one_at_the_largest_position_is_told_why_it_was_not_added(
    evaluator_client, evaluation
):
    evaluation.findings.update(position=POSITION_MOST)
    response = evaluator_client.post(url("finding-add", evaluation.pk), {"kind": "lesson", "text": "Fourth."})
    assert response.status_code == 422
    assert "There is no room for another finding after the last one" in response.text
    assert "Fourth." in response.text  # what she wrote is kept
    assert not evaluation.findings.filter(text="Fourth.").exists()


@pytest.mark.parametrize(
    "unseen", ["\u200b\u200b \ufeff", "\u200b\u00ad", "\u2060\u00a0\u2063", "\u180e", "\u3164\u2800", "\u034f\uffa0"]
)
def test_a_finding_of_characters_of_no_width_is_refused_as_empty(evaluator_client, evaluation, unseen):
    response = evaluator_client.post(url("finding-add", evaluation.pk), {"kind": "lesson", "text": unseen})
    assert response.status_code == 422
    assert "Write the finding before saving it." in response.text
    assert evaluation.findings.count() == 1


def test_a_summary_saved_by_a_co_evaluator_meanwhile_is_not_overwritten(evaluator_client, evaluation):
    opened_at = evaluation.version
    evaluation.summary = "Oscar's summary."
    evaluation.save()
    response = evaluator_client.post(
        url("workspace", evaluation.pk), {"summary": "Eve's summary.", "version": opened_at}
    )
    assert response.status_code == 422
    assert "Someone else changed this evaluation after you opened it, so your summary was not saved." in response.text
    assert "Eve&#x27;s summary." in response.text
    # She sees Oscar's summary beside hers.
    assert "The summary as saved now" in response.text and "Oscar&#x27;s summary." in response.text
    evaluation.refresh_from_db()
    assert evaluation.summary == "Oscar's summary."


def test_having_read_oscars_summary_eve_saves_hers_in_its_place_from_the_page_shown_again(evaluator_client, evaluation):
    opened_at = evaluation.version
    evaluation.summary = "Oscar's summary."
    evaluation.save()
    refused = evaluator_client.post(
        url("workspace", evaluation.pk), {"summary": "Eve's summary.", "version": opened_at}
    )
    shown_again = re.search(r'name="version" value="(\d+)"', refused.text).group(1)

    again = evaluator_client.post(
        url("workspace", evaluation.pk), {"summary": "Eve's summary.", "version": shown_again}
    )

    assert again.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.summary == "Eve's summary."


def test_the_dashboard_gives_each_evaluation_its_status_and_dates(evaluator_client, submitted):
    from django.utils import timezone

    submitted.submitted_at = timezone.datetime(2018, 3, 5, 10, 0, tzinfo=timezone.get_current_timezone())
    submitted.save()
    text = evaluator_client.get(url("dashboard")).text
    assert "Submitted for review" in text and "Submitted 5 Mar 2018" in text
    assert "Change your password" in text


def test_the_dashboard_counts_each_evaluations_findings(evaluator_client, evaluation, evaluator):
    empty = factories.evaluation(title="Nothing found yet")
    empty.evaluators.add(evaluator)
    for text in ("One.", "Two.", "Three."):
        factories.finding(evaluation, text=text)
    rows = evaluator_client.get(url("dashboard")).context["evaluations"]
    counts = {row.title: row.finding_count for row in rows}
    assert counts == {evaluation.title: 4, "Nothing found yet": 0}  # the fixture's finding and three more


def test_eve_changes_her_password_on_a_portal_page(evaluator_client):
    response = evaluator_client.get("/accounts/password_change/")
    assert response.status_code == 200
    assert "Change your password" in response.text and "Your evaluations" in response.text


def _zip(entries):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _ooxml(kind):
    main = {"docx": "wordprocessingml.document", "xlsx": "spreadsheetml.sheet", "pptx": "presentationml.presentation"}
    types = (
        '<?xml version="1.0"?><Types><Override PartName="/main.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.{main[kind]}.main+xml"/></Types>'
    )
    return _zip({"[Content_Types].xml": types, "main.xml": "<x/>"})


def _odf(kind):
    return _zip({"mimetype": f"application/vnd.oasis.opendocument.{kind}", "content.xml": "<x/>"})


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.docx", _ooxml("docx")),
        ("figures.xlsx", _ooxml("xlsx")),
        ("slides.pptx", _ooxml("pptx")),
        ("report.odt", _odf("text")),
        ("figures.ods", _odf("spreadsheet")),
        ("slides.odp", _odf("presentation")),
        ("old report.DOC", OLE2),
        ("old figures.xls", OLE2),
        ("old slides.ppt", OLE2),
        ("report.pdf", PDF),
    ],
)
def test_every_allowed_kind_of_document_is_accepted_by_its_content(
    evaluator_client, evaluation, name, content, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = evaluator_client.post(
        url("document-add", evaluation.pk),
        {"title": "Evidence", "kind": "evidence", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302
    assert EvaluationDocument.objects.get().file.name.lower().endswith(name.rsplit(".", 1)[1].lower())


@pytest.mark.parametrize("name", ["Interim report " * 12 + "(final).pdf", ".pdf", "REPORT.PDF"])
def test_a_document_keeps_its_extension_under_a_generated_name_however_its_file_was_named(
    evaluator_client, evaluation, name, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = evaluator_client.post(
        url("document-add", evaluation.pk),
        {"title": "Evidence", "kind": "evidence", "file": SimpleUploadedFile(name, PDF)},
    )
    assert response.status_code == 302  # a name of 191 characters too: the stored name is generated
    stored = EvaluationDocument.objects.get().file.name
    assert re.fullmatch(r"documents/[0-9a-f]{32}\.pdf", stored), stored


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("renamed.docx", _odf("text"), "DOCX"),
        ("renamed.xlsx", _ooxml("docx"), "XLSX"),
        ("renamed.odt", _odf("spreadsheet"), "ODT"),
        ("no-types.docx", _zip({"word/document.xml": "<x/>"}), "DOCX"),
        ("renamed.doc", PDF, "DOC"),
        ("renamed.pdf", OLE2, "PDF"),
        ("empty.pdf", b"", None),
    ],
)
def test_a_document_whose_content_does_not_match_its_name_is_refused(
    evaluator_client, evaluation, name, content, kind, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = evaluator_client.post(
        url("document-add", evaluation.pk),
        {"title": "X", "kind": "evidence", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 422
    assert "There is a problem" in response.text
    if kind:
        assert f"“{name}” is named as a {kind} document, but its content is not one." in response.text
    assert not EvaluationDocument.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_eve_sent_back_for_a_missing_title_is_told_to_choose_her_file_again(
    evaluator_client, evaluation, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = evaluator_client.post(
        url("document-add", evaluation.pk),
        {"title": "", "kind": "evidence", "file": SimpleUploadedFile("site visit.pdf", PDF)},
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["title"] == ["Enter a title for the document."]
    assert errors["file"] == ["Choose “site visit.pdf” again once the rest is put right: it was not kept."]
    assert not EvaluationDocument.objects.exists() and not any(tmp_path.rglob("*.*"))


@pytest.mark.parametrize("key", ["99999999999999999999", "-99999999999999999999"])
def test_a_partnership_id_no_database_could_hold_is_refused_as_a_choice(evaluator_client, phase_evaluation, key):
    before = phase_evaluation.findings.count()
    response = evaluator_client.post(
        url("finding-add", phase_evaluation.pk), {"kind": "lesson", "text": "A lesson.", "partnerships": [key]}
    )
    assert response.status_code == 422
    assert "Choose only partnerships within this evaluation’s scope." in response.text
    assert phase_evaluation.findings.count() == before


def test_a_new_document_is_filed_as_evidence_unless_eve_says_otherwise(evaluator_client, evaluation):
    page = evaluator_client.get(url("document-add", evaluation.pk)).text
    assert re.search(r'<option value="evidence"\s+selected>Evidence</option>', page)
    assert len(re.findall(r"\bselected>", page)) == 1


def test_a_phase_evaluations_progress_form_has_a_list_of_its_partnerships_to_jump_to(
    evaluator_client, phase_evaluation
):
    wearside = Partnership.objects.get(title="Wearside skills strategy")
    Outcome.objects.create(partnership=wearside, description="More apprentices.", position=0)
    page = evaluator_client.get(url("progress", phase_evaluation.pk)).text
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    assert f'<a href="#partnership-{tynemouth.pk}">Tynemouth (1)</a>' in page
    assert f'<h2 class="h4 mt-4" id="partnership-{wearside.pk}">Wearside</h2>' in page


def test_a_finding_sent_twice_is_saved_once_and_eve_is_told_why(evaluator_client, evaluation):
    finding = {"kind": "lesson", "text": "Meet monthly.", "evidence": "observed"}
    assert evaluator_client.post(url("finding-add", evaluation.pk), finding).status_code == 302

    again = evaluator_client.post(url("finding-add", evaluation.pk), finding)

    assert again.status_code == 422
    assert "This evaluation already has this lesson, word for word, so it was not saved again." in again.text
    assert evaluation.findings.filter(text="Meet monthly.").count() == 1
    # Spaced differently, the words read the same on every page, so they are the same finding.
    respaced = evaluator_client.post(url("finding-add", evaluation.pk), finding | {"text": "Meet  monthly. "})
    assert respaced.status_code == 422 and evaluation.findings.filter(kind="lesson").count() == 1
    # The same words as another kind of finding are a different finding.
    as_conclusion = finding | {"kind": "conclusion"}
    assert evaluator_client.post(url("finding-add", evaluation.pk), as_conclusion).status_code == 302


def test_a_finding_edited_into_a_copy_of_another_is_refused_and_saving_it_unchanged_is_not(
    evaluator_client, evaluation
):
    kept = evaluation.findings.get()
    other = factories.finding(evaluation, kind=kept.kind, text="A different finding.")
    edit = url("finding-edit", evaluation.pk, other.pk)

    copy = evaluator_client.post(edit, {"kind": kept.kind, "text": kept.text, "evidence": ""})
    unchanged = evaluator_client.post(edit, {"kind": other.kind, "text": other.text, "evidence": ""})

    assert copy.status_code == 422 and "word for word" in copy.text
    assert unchanged.status_code == 302


def test_a_finding_with_a_twin_saved_before_can_still_be_given_another_partnership(evaluator_client, phase_evaluation):
    original = phase_evaluation.findings.order_by("position").first()
    twin = factories.finding(phase_evaluation, kind=original.kind, text=original.text)
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")

    response = evaluator_client.post(
        url("finding-edit", phase_evaluation.pk, twin.pk),
        {"kind": twin.kind, "text": twin.text, "evidence": twin.evidence, "partnerships": [tynemouth.pk]},
    )

    assert response.status_code == 302
    assert list(twin.partnerships.all()) == [tynemouth]


def test_a_long_outcome_is_named_in_full_in_the_progress_forms_error_summary(evaluator_client, evaluation):
    outcome = Outcome.objects.get(partnership=evaluation.partnership)
    outcome.description = (
        "More young people in every ward take part in sport, with clubs in all twelve secondary schools."
    )
    outcome.save()

    response = evaluator_client.post(url("progress", evaluation.pk), {f"note_{outcome.pk}": "Survey."})

    assert response.status_code == 422
    assert f"Progress on “{outcome.description}”" in response.text


def test_eve_is_offered_no_empty_group_of_outcomes_when_the_partnership_has_none(
    evaluator_client, evaluation_without_outcomes
):
    page = evaluator_client.get(url("finding-add", evaluation_without_outcomes.pk)).text
    assert "Desired outcomes it concerns" not in page

    saved = evaluator_client.post(
        url("finding-add", evaluation_without_outcomes.pk), {"kind": "lesson", "text": "Start with employers."}
    )

    assert saved.status_code == 302
    assert evaluation_without_outcomes.findings.get().text == "Start with employers."


def test_the_workspace_says_there_is_no_progress_to_record_when_no_outcome_is_in_scope(
    evaluator_client, evaluation_without_outcomes
):
    page = evaluator_client.get(url("workspace", evaluation_without_outcomes.pk)).text
    assert "have no desired outcomes recorded, so there is no progress to record" in page
    assert url("progress", evaluation_without_outcomes.pk) not in page


def test_an_upload_form_with_no_title_or_too_long_a_one_says_so_in_words(evaluator_client, evaluation):
    untitled = evaluator_client.post(url("document-add", evaluation.pk), {"title": "", "kind": "evidence"})
    long = evaluator_client.post(url("document-add", evaluation.pk), {"title": "x" * 300, "kind": "evidence"})

    assert untitled.status_code == long.status_code == 422
    assert 'href="#id_title">Title: Enter a title for the document.</a>' in untitled.text
    assert "A title can be up to 200 characters, and this one has 300." in long.text
    assert not EvaluationDocument.objects.exists()


def test_eve_opening_a_buttons_address_as_a_link_gets_a_page_not_a_blank(evaluator_client, evaluation):
    finding = evaluation.findings.get()
    response = evaluator_client.get(f"/evaluator/{evaluation.pk}/findings/{finding.pk}/move/")
    assert response.status_code == 405
    assert "use its buttons" in response.text and "Sign out" in response.text  # the portal's own page


def test_eve_sees_the_finding_she_typed_when_her_sign_in_ended_before_she_saved_it(evaluator_client, evaluation):
    address = url("finding-add", evaluation.pk)
    evaluator_client.get(address)
    evaluator_client.logout()  # the sign-in ends, or she signs out in another tab

    response = evaluator_client.post(address, {"kind": "lesson", "text": "Meet <employers> early.", "evidence": ""})

    assert response.status_code == 403
    assert "Not saved: you were signed out" in response.text
    assert '<label class="form-label" for="typed-1">Finding</label>' in response.text
    assert "Meet &lt;employers&gt; early." in response.text
    workspace = url("workspace", evaluation.pk)
    assert f'href="/accounts/login/?next={workspace.replace("/", "%2F")}"' in response.text  # back to it
    assert not evaluation.findings.filter(text__startswith="Meet").exists()
    assert evaluator_client.get(address).status_code == 302  # opening a page still leads to signing in


def test_eve_pressing_attach_twice_attaches_the_document_once_and_is_told_why(
    evaluator_client, evaluation, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    def attach(title, content):
        upload = SimpleUploadedFile("visit.pdf", content, content_type="application/pdf")
        return evaluator_client.post(
            url("document-add", evaluation.pk), {"title": title, "kind": "evidence", "file": upload}
        )

    assert attach("Visit", PDF).status_code == 302
    again = attach("Visit", PDF)

    assert again.status_code == 422
    assert "This evaluation already has this file as “Visit”, so it was not attached again." in again.text
    assert evaluation.documents.count() == 1
    # Another file of the same title, or the same file under another title, is another document.
    assert attach("Visit", PDF + b"%another\n").status_code == 302
    assert attach("Visit, second copy", PDF).status_code == 302
    assert evaluation.documents.count() == 3


@pytest.mark.parametrize("title", ["Report\u2028Annex", "Report\x0bAnnex", "Report\x85Annex", "Report\nAnnex"])
def test_a_document_title_with_a_line_break_in_it_is_refused_in_words_when_attached_or_renamed(
    evaluator_client, evaluation, settings, tmp_path, title
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("visit.pdf", PDF, content_type="application/pdf")
    attached = evaluator_client.post(
        url("document-add", evaluation.pk), {"title": title, "kind": "evidence", "file": upload}
    )
    document = EvaluationDocument.objects.create(evaluation=evaluation, title="Notes", url="https://example.org/n")
    renamed = evaluator_client.post(
        url("document-edit", evaluation.pk, document.pk), {"title": title, "kind": "evidence"}
    )

    for response in (attached, renamed):
        assert response.status_code == 422
        assert response.context["form"].errors["title"] == ["This goes on one line: take out the line breaks."]
    assert list(evaluation.documents.values_list("title", flat=True)) == ["Notes"]
