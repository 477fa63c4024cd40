"""The permission matrix of the evaluator workspace: every address and action, for everyone.

Personas: anonymous; Eve, the assigned evaluator; Oscar, an evaluator not assigned; Olivia, a
programme officer; Ada, an administrator. A refusal changes nothing in the database.
"""

import pytest
from django.urls import reverse

from evaluations.models import Evaluation, EvaluationDocument, EvaluationEvent, Finding, OutcomeProgress
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to the sign-in page
SIGNED_OUT = 403  # a form sent when not signed in: what was typed, to copy, and a link to sign in

# address name, its arguments (from the fixture), and the expected status for each persona
# (anonymous, assigned evaluator, other evaluator, officer, administrator), for GET then POST.
MATRIX = [
    ("dashboard", "", (LOGIN, 200, 200, 200, 200), (405, 405, 405, 405, 405)),
    ("workspace", "e", (LOGIN, 200, 404, 404, 404), (SIGNED_OUT, 302, 404, 404, 404)),
    ("finding-add", "e", (LOGIN, 200, 404, 404, 404), (SIGNED_OUT, 302, 404, 404, 404)),
    ("finding-edit", "ef", (LOGIN, 200, 404, 404, 404), (SIGNED_OUT, 302, 404, 404, 404)),
    ("finding-delete", "ef", (LOGIN, 200, 404, 404, 404), (SIGNED_OUT, 302, 404, 404, 404)),
    ("finding-move", "ef", (405, 405, 405, 405, 405), (SIGNED_OUT, 302, 404, 404, 404)),
    ("progress", "e", (LOGIN, 200, 404, 404, 404), (SIGNED_OUT, 302, 404, 404, 404)),
    ("document-add", "e", (LOGIN, 200, 404, 404, 404), (SIGNED_OUT, 422, 404, 404, 404)),  # sent without a file
    ("document-edit", "ed", (LOGIN, 200, 404, 404, 404), (SIGNED_OUT, 302, 404, 404, 404)),
    ("document-delete", "ed", (LOGIN, 200, 404, 404, 404), (SIGNED_OUT, 302, 404, 404, 404)),
    ("document", "d", (404, 200, 404, 200, 200), (404, 200, 404, 200, 200)),
    ("submit", "e", (LOGIN, 200, 404, 404, 404), (SIGNED_OUT, 302, 404, 404, 404)),
    ("review", "s", (LOGIN, 404, 404, 200, 200), (SIGNED_OUT, 404, 404, 302, 302)),
]
PERSONAS = ["anonymous", "evaluator", "other_evaluator", "officer", "admin_user"]
POST_DATA = {
    "workspace": {"summary": "Changed by someone"},
    "finding-add": {"kind": "lesson", "text": "Added by someone"},
    "finding-edit": {"kind": "lesson", "text": "Edited by someone"},
    "finding-move": {"direction": "down"},
    "progress": {},
    "document-add": {"title": "X"},
    "document-edit": {"title": "Renamed by someone", "kind": "evidence"},
    "review": {"decision": "publish", "confirmed": "yes"},
}


@pytest.fixture
def world(evaluation, request, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests import factories

    settings.MEDIA_ROOT = tmp_path
    factories.finding(evaluation, text="Second.")
    document = EvaluationDocument(evaluation=evaluation, title="Internal notes", kind="evidence")
    document.file.save("notes.pdf", SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n"))
    submitted = factories.evaluation(
        partnership=evaluation.partnership, title="Submitted one", status=Evaluation.Status.SUBMITTED
    )
    submitted.evaluators.add(request.getfixturevalue("evaluator"))
    factories.finding(submitted)
    return {"e": evaluation, "f": evaluation.findings.first(), "d": document, "s": submitted}


def _args(world, spec):
    return [{"e": world["e"].pk, "f": world["f"].pk, "d": world["d"].pk, "s": world["s"].pk}[key] for key in spec]


def _snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Evaluation, Finding, OutcomeProgress, EvaluationDocument, EvaluationEvent)
    ]


def _client(request, persona):
    if persona == "anonymous":
        return request.getfixturevalue("anonymous")
    return client_for(request.getfixturevalue(persona))


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("name", "spec", "get", "post"), MATRIX, ids=[row[0] for row in MATRIX])
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_workspace_address_answers_each_persona_as_the_matrix_says(
    request, world, persona, name, spec, get, post
):
    index = PERSONAS.index(persona)
    client = _client(request, persona)
    target = reverse(f"evaluations:{name}", args=_args(world, spec))

    before = _snapshot()
    _check(client.get(target), get[index])
    assert _snapshot() == before, "a GET changed the database"

    response = client.post(target, POST_DATA.get(name, {}))
    _check(response, post[index])
    if post[index] != 302:  # refused, or a form shown again with its errors
        assert _snapshot() == before, "a refused or invalid POST changed the database"


def test_the_matrix_covers_every_evaluator_address():
    from evaluations.urls import urlpatterns

    public = {"detail", "document-old-address"}  # a redirect to the document's own address, which is in the matrix
    assert {p.name for p in urlpatterns} - public == {row[0] for row in MATRIX}


def test_evaluators_cannot_reach_the_admin(evaluator_client, evaluator, anonymous):
    response = evaluator_client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    signed_in = anonymous.post("/admin/login/", {"username": "eve", "password": "a-Long-test-passphrase-42"})
    assert signed_in.status_code == 422
    assert "the back office is for programme officers" in signed_in.text
    assert "_auth_user_id" not in anonymous.session


def test_every_form_carries_csrf_protection(evaluator_client, evaluation):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(evaluation.evaluators.get())
    response = strict.post(reverse("evaluations:workspace", args=[evaluation.pk]), {"summary": "No token"})
    assert response.status_code == 403
    factories.finding(evaluation, text="A second achievement, so that findings can be moved.")
    page = evaluator_client.get(reverse("evaluations:workspace", args=[evaluation.pk]))
    assert page.text.count("csrfmiddlewaretoken") >= 3  # signing out, the summary, moving each finding
