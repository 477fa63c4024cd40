import pytest

from evaluations.models import Evaluation
from partnerships.models import Partnership
from tests import factories


def _draft_evaluation_of(partnership_title, evaluator):
    partnership = Partnership.objects.get(title=partnership_title)
    evaluation = factories.evaluation(partnership=partnership, title=f"{partnership_title} evaluation")
    evaluation.evaluators.add(evaluator)
    return evaluation


@pytest.fixture
def evaluation(programme, evaluator):
    """A draft evaluation of the Healthy Tynemouth partnership, assigned to Eve, with one finding."""
    evaluation = _draft_evaluation_of("Healthy Tynemouth", evaluator)
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


@pytest.fixture
def evaluation_without_outcomes(programme, evaluator):
    """A draft evaluation of Skills for Tynemouth, a partnership with no desired outcomes, assigned to Eve."""
    return _draft_evaluation_of("Skills for Tynemouth", evaluator)
