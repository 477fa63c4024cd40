"""Fixtures shared by the back-office tests."""

import pytest


@pytest.fixture
def one_of_everything(leading_places, evaluator):
    """The real data, plus the kinds of record it has none of (an evaluator's account among them)."""
    from evaluations.models import Evaluation, EvaluationDocument, OutcomeProgress
    from partnerships.models import Document, Outcome, Partnership

    tees = Partnership.objects.get(slug="tees-valley")
    evaluation = Evaluation.objects.get()
    Document.objects.create(title="National event slides", url="https://example.org/slides", partnership=tees)
    EvaluationDocument.objects.create(title="Interview notes", url="https://example.org/notes", evaluation=evaluation)
    OutcomeProgress.objects.create(
        evaluation=evaluation, outcome=Outcome.objects.filter(partnership=tees).first(), status="in-progress"
    )
