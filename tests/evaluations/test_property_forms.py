"""Property-based: whatever is typed into the evaluator and sign-in forms, the answer is a page or
a redirect, never a server error, and a rejected submission stores nothing."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluations.models import Evaluation, EvaluationDocument, Finding, OutcomeProgress

pytestmark = pytest.mark.django_db

TEXT = st.text(max_size=3000)
CHOICE = st.one_of(
    st.sampled_from(["achievement", "lesson", "observed", "data", "in-progress", "return", "publish"]),
    st.text(max_size=30),
)
IDS = st.lists(st.one_of(st.integers(min_value=-5, max_value=10**12).map(str), st.text(max_size=12)), max_size=4)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _stored(evaluation):
    evaluation.refresh_from_db()
    return (
        evaluation.summary,
        evaluation.status,
        list(Finding.objects.order_by("pk").values("text", "kind")),
        list(OutcomeProgress.objects.values("status", "evidence_note", "value_reached")),
        EvaluationDocument.objects.count(),
    )


@SETTINGS
@given(kind=CHOICE, text=TEXT, evidence=CHOICE, partnerships=IDS, outcomes=IDS)
def test_any_finding_submission_is_saved_whole_or_refused_whole(
    evaluator_client, evaluation, kind, text, evidence, partnerships, outcomes
):
    before = _stored(evaluation)
    response = evaluator_client.post(
        reverse("evaluations:finding-add", args=[evaluation.pk]),
        {"kind": kind, "text": text, "evidence": evidence, "partnerships": partnerships, "outcomes": outcomes},
    )
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert "There is a problem" in response.text
        assert _stored(evaluation) == before
    else:
        assert Finding.objects.count() == len(before[2]) + 1


@SETTINGS
@given(summary=TEXT)
def test_any_summary_is_saved_or_refused_with_a_message(evaluator_client, evaluation, summary):
    response = evaluator_client.post(reverse("evaluations:workspace", args=[evaluation.pk]), {"summary": summary})
    assert response.status_code in (302, 422)


FIGURE = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**16), max_value=10**16).map(lambda n: f"{n:,}"),
    st.text(max_size=20),
)


@SETTINGS
@given(status=CHOICE, note=st.text(max_size=700), figure=FIGURE)
def test_any_progress_submission_is_saved_whole_or_refused_whole(evaluator_client, evaluation, status, note, figure):
    outcome = evaluation.partnership.outcomes.get()
    outcome.indicator, outcome.target = "numeric", 100  # so that the form has a figure reached
    outcome.save()
    before = _stored(evaluation)
    response = evaluator_client.post(
        reverse("evaluations:progress", args=[evaluation.pk]),
        {f"status_{outcome.pk}": status, f"note_{outcome.pk}": note, f"value_{outcome.pk}": figure},
    )
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert _stored(evaluation) == before


@SETTINGS
@given(decision=CHOICE, comments=TEXT)
def test_any_review_decision_is_applied_or_refused_whole(officer_client, submitted, decision, comments):
    submitted.status = Evaluation.Status.SUBMITTED
    submitted.save()
    events_before = submitted.events.count()
    response = officer_client.post(
        reverse("evaluations:review", args=[submitted.pk]),
        {"decision": decision, "comments": comments, "confirmed": "yes"},
    )
    assert response.status_code in (302, 422)
    submitted.refresh_from_db()
    if response.status_code == 422:
        assert submitted.status == Evaluation.Status.SUBMITTED
        assert submitted.events.count() == events_before


@SETTINGS
@given(username=st.text(max_size=300), password=st.text(max_size=300))
def test_any_sign_in_attempt_gets_a_page_or_a_redirect(anonymous, evaluator, username, password):
    response = anonymous.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code in (302, 422, 429)  # signed in; refused with a message; paused
