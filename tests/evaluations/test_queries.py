"""The dashboard and the workspace cost the same number of queries however many findings there are."""

import pytest
from django.urls import reverse

from evaluations.models import Evaluation
from tests import factories

pytestmark = pytest.mark.django_db


def _with_findings(evaluation, count):
    for i in range(count):
        finding = factories.finding(evaluation, text=f"Finding {i}")
        finding.partnerships.add(evaluation.partnership)


def _count_queries(client, url, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("findings", [2, 30])
def test_the_workspace_uses_a_constant_number_of_queries(
    evaluator_client, evaluation, findings, django_assert_num_queries
):
    _with_findings(evaluation, findings)
    # savepoint, session, user, evaluation (with its scope), is-assigned check, findings, their
    # partnerships, their outcomes, documents, events, outcomes assessed, release
    _count_queries(
        evaluator_client, reverse("evaluations:workspace", args=[evaluation.pk]), django_assert_num_queries, 12
    )


@pytest.mark.parametrize("evaluations", [1, 12])
def test_the_dashboard_uses_a_constant_number_of_queries(
    evaluator_client, evaluator, evaluation, evaluations, django_assert_num_queries
):
    for i in range(evaluations):
        extra = factories.evaluation(partnership=evaluation.partnership, title=f"Extra {i}")
        extra.evaluators.add(evaluator)
        _with_findings(extra, 3)
    # savepoint, session, user, assigned evaluations with their finding counts, release
    # (an evaluator is not staff, so no group lookup for the review list)
    _count_queries(evaluator_client, reverse("evaluations:dashboard"), django_assert_num_queries, 5)


@pytest.mark.parametrize("findings", [2, 30])
def test_the_review_page_uses_a_constant_number_of_queries(
    officer_client, submitted, findings, django_assert_num_queries
):
    _with_findings(submitted, findings)
    # savepoint, session, user, groups (may review), evaluation, findings, their partnerships,
    # their outcomes, progress, documents, events, release
    _count_queries(officer_client, reverse("evaluations:review", args=[submitted.pk]), django_assert_num_queries, 12)


@pytest.mark.parametrize("waiting", [1, 12])
def test_an_officers_dashboard_uses_a_constant_number_of_queries(
    officer_client, evaluation, waiting, django_assert_num_queries
):
    for i in range(waiting):
        factories.evaluation(partnership=evaluation.partnership, title=f"Waiting {i}", status="submitted")
    # savepoint, session, user, groups (may review), assigned evaluations, evaluations waiting for review, release
    _count_queries(officer_client, reverse("evaluations:dashboard"), django_assert_num_queries, 7)


@pytest.mark.parametrize("findings", [2, 30])
def test_the_finding_edit_page_uses_a_constant_number_of_queries(
    evaluator_client, evaluation, findings, django_assert_num_queries
):
    _with_findings(evaluation, findings)
    finding = evaluation.findings.last()
    # savepoint, session, user, evaluation (with its scope), is-assigned check, the finding, its chosen
    # partnerships (for the page's state as opened), its chosen outcomes, whether any outcome is in
    # scope (the boxes are left out when none is), the outcomes in scope, release; an evaluation of one
    # partnership offers no choice of partnerships
    _count_queries(
        evaluator_client,
        reverse("evaluations:finding-edit", args=[evaluation.pk, finding.pk]),
        django_assert_num_queries,
        11,
    )


def _args(name, evaluation, document):
    if name in ("finding-delete", "finding-edit"):
        return [evaluation.pk, evaluation.findings.first().pk]
    if name == "document-delete":
        return [evaluation.pk, document.pk]
    return [evaluation.pk]


@pytest.mark.parametrize("name", ["finding-add", "finding-delete", "progress", "document-add", "document-delete"])
def test_every_other_workspace_page_costs_the_same_queries_with_much_more_data(evaluator_client, evaluation, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluations.models import EvaluationDocument
    from partnerships.models import Outcome

    document = EvaluationDocument.objects.create(evaluation=evaluation, title="Notes", url="https://example.org/n")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert (
                evaluator_client.get(reverse(f"evaluations:{name}", args=_args(name, evaluation, document))).status_code
                == 200
            )
        return len(queries)

    small = count()
    _with_findings(evaluation, 30)
    for i in range(20):
        Outcome.objects.create(partnership=evaluation.partnership, description=f"Outcome {i}", position=10 + i)
    for i in range(10):
        EvaluationDocument.objects.create(evaluation=evaluation, title=f"Notes {i}", url="https://example.org/n")
    assert count() == small


@pytest.mark.parametrize("findings", [2, 30])
def test_the_check_and_submit_page_uses_a_constant_number_of_queries(
    evaluator_client, evaluation, findings, django_assert_num_queries
):
    _with_findings(evaluation, findings)
    # savepoint, session, user, evaluation (with its scope), is-assigned check, has findings,
    # findings per kind, outcome coverage, document counts, release
    _count_queries(evaluator_client, reverse("evaluations:submit", args=[evaluation.pk]), django_assert_num_queries, 10)


@pytest.mark.parametrize("findings", [2, 30])
def test_the_check_and_submit_page_of_a_phase_evaluation_uses_a_constant_number_of_queries(
    evaluator_client, evaluator, programme, findings, django_assert_num_queries
):
    phase_evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    phase_evaluation.status = Evaluation.Status.DRAFT
    phase_evaluation.save()
    phase_evaluation.evaluators.add(evaluator)
    for i in range(findings):
        factories.finding(phase_evaluation, text=f"Finding {i}")
    # As for one partnership's evaluation, and a count of the findings that name no partnership.
    url = reverse("evaluations:submit", args=[phase_evaluation.pk])
    _count_queries(evaluator_client, url, django_assert_num_queries, 11)
