import pytest

from evaluations.models import Evaluation
from partnerships.models import Partnership
from tests import factories


@pytest.fixture
def evaluation(programme, evaluator):
    """A draft evaluation of the Healthy Tynemouth partnership, assigned to Eve, with one finding."""
    tynemouth = Partnership.objects.get(title="Healthy Tynemouth")
    evaluation = factories.evaluation(partnership=tynemouth, title="Healthy Tynemouth evaluation")
    evaluation.evaluators.add(evaluator)
    factories.finding(evaluation, text="Partners met every month.")
    return evaluation


@pytest.fixture
def phase_evaluation(programme, evaluator):
    """The programme's evaluation of Phase 2 as a whole, back in draft and assigned to Eve."""
    evaluation = Evaluation.objects.get(title="Phase 2 evaluation")
    evaluation.status = Evaluation.Status.DRAFT
    evaluation.save()
    evaluation.evaluators.add(evaluator)
    return evaluation


@pytest.fixture
def submitted(evaluation):
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.save()
    return evaluation
