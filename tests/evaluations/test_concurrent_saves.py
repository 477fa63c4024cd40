"""Saves sent at the same moment as another change to the evaluation wait for it, and are then
checked against it, rather than overwriting it. Row locks are PostgreSQL's; on SQLite every
save waits for the one before (tests/leadingplaces/test_sqlite_saves.py)."""

import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from evaluations import services
from evaluations.models import Evaluation, Finding
from tests.conftest import client_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def _sent_while(change, client, address, data, then=None):
    """Send the form while `change` is made and not yet committed: the response, and whether the
    request was still waiting when the change was about to be committed (after `then`, the rest
    of the change, made a second after the form was sent)."""
    response = {}

    def send():
        try:
            response["page"] = client.post(address, data)
        finally:
            connection.close()

    request = threading.Thread(target=send)
    with transaction.atomic():
        change()
        request.start()
        request.join(timeout=1)
        waited = request.is_alive()
        if then is not None:
            then()
    request.join(timeout=30)
    return response["page"], waited


def test_eves_summary_sent_while_oscar_submits_waits_and_is_refused_and_the_submission_stands(
    evaluation, evaluator, other_evaluator
):
    evaluation.evaluators.add(other_evaluator)
    address = reverse("evaluations:workspace", args=[evaluation.pk])
    eve = client_for(evaluator)

    page, waited = _sent_while(
        lambda: services.submit(evaluation, by=other_evaluator),
        eve,
        address,
        {"summary": "Eve's summary.", "version": evaluation.version},
    )

    assert waited
    assert page.status_code == 409 and "Eve&#x27;s summary." in page.text
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SUBMITTED and evaluation.summary == ""


def test_eves_summary_sent_while_oscar_saves_his_is_refused_and_oscars_stands(evaluation, evaluator, other_evaluator):
    evaluation.evaluators.add(other_evaluator)
    address = reverse("evaluations:workspace", args=[evaluation.pk])
    opened = evaluation.version

    def oscar_saves():
        locked = evaluation.locked()
        locked.summary = "Oscar's summary."
        locked.save()

    page, waited = _sent_while(oscar_saves, client_for(evaluator), address, {"summary": "Eve's.", "version": opened})

    assert waited
    assert page.status_code == 422
    evaluation.refresh_from_db()
    assert evaluation.summary == "Oscar's summary."


def test_eves_edit_of_a_finding_sent_while_oscar_saves_his_is_refused_and_oscars_stands(
    evaluation, evaluator, other_evaluator
):
    evaluation.evaluators.add(other_evaluator)
    finding = evaluation.findings.get()
    eve = client_for(evaluator)
    address = reverse("evaluations:finding-edit", args=[evaluation.pk, finding.pk])
    opened = eve.get(address).context["form"].saved_fingerprint

    def oscar_saves():
        evaluation.locked()  # as his own save does
        Finding.objects.filter(pk=finding.pk).update(text="Oscar's words.")

    page, waited = _sent_while(oscar_saves, eve, address, {"opened": opened, "kind": "achievement", "text": "Eve's."})

    assert waited
    assert page.status_code == 422
    finding.refresh_from_db()
    assert finding.text == "Oscar's words."


def test_oscar_removing_a_finding_while_eve_saves_her_edit_of_it_waits_and_then_removes_it(
    evaluation, evaluator, other_evaluator
):
    evaluation.evaluators.add(other_evaluator)
    finding = evaluation.findings.get()
    address = reverse("evaluations:finding-delete", args=[evaluation.pk, finding.pk])
    eves = {}

    def eve_opens_her_save():
        evaluation.locked()  # as her save does, then reads the finding
        eves["finding"] = Finding.objects.get(pk=finding.pk)

    def eve_writes_it():
        eves["finding"].text = "Eve's words."
        eves["finding"].save()

    page, waited = _sent_while(eve_opens_her_save, client_for(other_evaluator), address, {}, then=eve_writes_it)

    # Before, the removal went through at once, and Eve's save then wrote the finding back.
    assert waited
    assert page.status_code == 302
    assert not evaluation.findings.exists()
