"""A migration that narrows a column first brings the values it cannot hold within it."""

import datetime

import pytest

from tests.partnerships.test_migrations import _latest, _migrate

BEFORE = [("evaluations", "0016_evaluator_account_indexes")]


@pytest.mark.django_db(transaction=True)
def test_findings_at_positions_past_the_limit_are_numbered_again_in_their_order_when_the_limit_comes():
    apps = _migrate(BEFORE)
    Programme, Phase = apps.get_model("partnerships", "Programme"), apps.get_model("partnerships", "Phase")
    Evaluation, Finding = apps.get_model("evaluations", "Evaluation"), apps.get_model("evaluations", "Finding")
    programme = Programme.objects.create(name="Leading Places", slug="leading-places")
    phase = Phase.objects.create(
        programme=programme,
        number=2,
        name="Phase 2",
        slug="phase-2",
        start_date=datetime.date(2017, 7, 1),
        end_date=datetime.date(2018, 3, 31),
    )
    evaluation = Evaluation.objects.create(phase=phase, title="Phase 2 evaluation", slug="phase-2")
    other = Evaluation.objects.create(phase=phase, title="Another", slug="another")
    for text, position in (("third", 99_999_999), ("first", 0), ("second", 40_000)):
        Finding.objects.create(evaluation=evaluation, kind="success", text=text, position=position)
    Finding.objects.create(evaluation=other, kind="success", text="untouched", position=7)
    try:
        apps = _migrate(_latest())
    finally:
        _migrate(_latest())
    Finding = apps.get_model("evaluations", "Finding")
    assert list(
        Finding.objects.filter(evaluation__slug="phase-2").order_by("position").values_list("text", "position")
    ) == [
        ("first", 0),
        ("second", 1),
        ("third", 2),
    ]
    assert Finding.objects.get(text="untouched").position == 7
