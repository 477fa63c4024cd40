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
def submitted(evaluation):
    evaluation.status = Evaluation.Status.SUBMITTED
    evaluation.save()
    return evaluation
