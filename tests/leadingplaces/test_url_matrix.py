"""One permission matrix over every URL pattern of the project.

For each address it states what anonymous visitors, Eve (an assigned evaluator), Oscar (an
evaluator not assigned), Olivia (a programme officer) and Ada (an administrator) get from a GET.
Admin addresses follow one rule: staff only, and officers are refused the user, group and
permission screens. A URL added without a row here fails the test, so the matrix stays whole.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from evaluations.models import Evaluation, EvaluationDocument, OutcomeProgress
from partnerships.models import Document, Institution, Partnership, Theme
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

# A string is a redirect to that address (temporary or permanent); a number is the status itself.
LOGIN, ADMIN_LOGIN = "/accounts/login/", "/admin/login/"
PERSONAS = ["anonymous", "evaluator", "other_evaluator", "officer", "admin_user"]
PUBLIC = (200, 200, 200, 200, 200)

# name: (arguments from the world, expected GET status per persona)
MATRIX = {
    "home": ((), PUBLIC),
    "accessibility": ((), PUBLIC),
    "healthz": ((), PUBLIC),
    "healthz-live": ((), PUBLIC),
    "sitemap": ((), PUBLIC),
    "robots-txt": ((), PUBLIC),
    "partnerships:phase": (("phase",), PUBLIC),
    "partnerships:list": ((), PUBLIC),
    "partnerships:list-csv": ((), PUBLIC),
    "partnerships:list-json": ((), PUBLIC),
    "partnerships:detail": (("phase", "partnership"), PUBLIC),
    "partnerships:institutions": ((), PUBLIC),
    "partnerships:institution": (("institution",), PUBLIC),
    "partnerships:theme": (("theme",), PUBLIC),
    "partnerships:document": (("internal_document",), (404, 404, 404, 200, 200)),
    "partnerships:data": ((), PUBLIC),
    "evaluations:detail": (("draft_evaluation_slug",), (404, 404, 404, 200, 200)),
    "evaluations:dashboard": ((), (LOGIN, 200, 200, 200, 200)),
    "evaluations:workspace": (("evaluation",), (LOGIN, 200, 404, 404, 404)),
    "evaluations:finding-add": (("evaluation",), (LOGIN, 200, 404, 404, 404)),
    "evaluations:finding-edit": (("evaluation", "finding"), (LOGIN, 200, 404, 404, 404)),
    "evaluations:finding-delete": (("evaluation", "finding"), (LOGIN, 200, 404, 404, 404)),
    "evaluations:finding-move": (("evaluation", "finding"), (405, 405, 405, 405, 405)),
    "evaluations:progress": (("evaluation",), (LOGIN, 200, 404, 404, 404)),
    "evaluations:document-add": (("evaluation",), (LOGIN, 200, 404, 404, 404)),
    "evaluations:document-edit": (("evaluation", "evaluation_document"), (LOGIN, 200, 404, 404, 404)),
    "evaluations:document-delete": (("evaluation", "evaluation_document"), (LOGIN, 200, 404, 404, 404)),
    "evaluations:document": (("evaluation_document",), (404, 200, 404, 200, 200)),
    "evaluations:document-old-address": (("evaluation_document",), ("/evaluations/documents/",) * 5),
    "evaluations:submit": (("evaluation",), (LOGIN, 200, 404, 404, 404)),
    "evaluations:review": (("evaluation",), (LOGIN, 404, 404, 200, 200)),
    "login": ((), PUBLIC),
    "logout": ((), PUBLIC),  # the sign-out button; signing out itself is a POST
    "password_change": ((), (LOGIN, 200, 200, 200, 200)),
    "password_change_done": ((), (LOGIN, 200, 200, 200, 200)),
    "password_reset": ((), PUBLIC),
    "password_reset_done": ((), PUBLIC),
    "password_reset_confirm": (("uid", "token"), (410, 410, 410, 410, 410)),  # no reset link here: "expired"
    "password_reset_complete": ((), PUBLIC),
}
STAFF_ONLY = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, 200)
ADMINISTRATORS_ONLY = (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 200)
ADMIN_SPECIAL = {
    "admin:login": ((), (200, "/evaluator/", "/evaluator/", 302, 302)),  # evaluators to their own pages
    "admin:logout": ((), ("/admin/", "/admin/", "/admin/", 405, 405)),
    "admin:view_on_site": (("content_type", "partnership_pk"), (ADMIN_LOGIN,) * 3 + ("http",) * 2),
    "admin:autocomplete": ((), (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 403)),
    "admin:jsi18n": ((), STAFF_ONLY),
    "admin:password_change": ((), STAFF_ONLY),
    "admin:password_change_done": ((), STAFF_ONLY),
    # The sign-in lockout records are written by django-axes, never added by hand.
    "admin:axes_accessattempt_add": ((), (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 403)),
    "admin:axes_accesslog_add": ((), (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 403)),
    "admin:axes_accessfailurelog_add": ((), (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 403)),
    # An evaluator's account is switched off, never removed, so that who did what stays known.
    "admin:evaluations_evaluatoraccount_delete": (("object_id",), (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 403, 403)),
}


def _patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


@pytest.fixture
def world(leading_places, request, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evaluator = request.getfixturevalue("evaluator")
    bedford = Partnership.objects.get(slug="bedford")
    evaluation = Evaluation.objects.create(title="Bedford evaluation", slug="bedford-evaluation", partnership=bedford)
    evaluation.evaluators.add(evaluator)
    finding = evaluation.findings.create(kind="lesson", text="A lesson.")
    evidence = EvaluationDocument(evaluation=evaluation, title="Notes", kind="evidence")
    evidence.file.save("notes.pdf", SimpleUploadedFile("notes.pdf", b"%PDF-1.4\n"))
    OutcomeProgress.objects.create(evaluation=evaluation, outcome=bedford.outcomes.first(), status="in-progress")
    # One failed and one successful sign-in, so that the lockout records exist.
    Client(REMOTE_ADDR="10.1.1.1").post("/accounts/login/", {"username": "eve", "password": PASSWORD})
    Client(REMOTE_ADDR="10.1.1.1").post("/accounts/login/", {"username": "eve", "password": "wrong"})
    internal = Document(title="Internal", partnership=bedford, is_public=False)
    internal.file.save("internal.pdf", SimpleUploadedFile("internal.pdf", b"%PDF-1.4\n"))
    return {
        "phase": bedford.phase.slug,
        "partnership": bedford.slug,
        "partnership_pk": bedford.pk,
        "institution": Institution.objects.get(name="Bedford Borough Council").slug,
        "theme": Theme.objects.get(slug="health-and-wellbeing").slug,
        "internal_document": internal.pk,
        "draft_evaluation_slug": evaluation.slug,
        "evaluation": evaluation.pk,
        "finding": finding.pk,
        "evaluation_document": evidence.pk,
        "uid": "MQ",
        "token": "set-password",
        "content_type": ContentType.objects.get_for_model(Partnership).pk,
    }


def _admin_row(name, pattern, world):
    if name in ADMIN_SPECIAL:
        return ADMIN_SPECIAL[name]
    route = str(pattern.pattern)
    if name.endswith("_process_import"):  # the second step of an import only takes the confirmed POST
        return (), (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 405, 405)
    if name in ("admin:index",):
        return (), STAFF_ONLY
    if name == "admin:app_list":
        return ("app_label",), STAFF_ONLY
    model_name = name.removeprefix("admin:")
    apps = ("partnerships", "evaluations", "auth", "axes")
    app_label = next((label for label in apps if model_name.startswith(label)), None)
    if app_label is None:
        return None
    expected = ADMINISTRATORS_ONLY if app_label in ("auth", "axes") else STAFF_ONLY
    groups = pattern.pattern.regex.groups
    args = ("object_id", "history_id")[:groups] if groups else ()
    if "password" in route:
        args = ("id",)
    return args, expected


def _admin_args(name, names, world):
    model_key = name.removeprefix("admin:").rsplit("_", 1)[0]
    model = None
    for candidate in ContentType.objects.filter(app_label__in=["partnerships", "evaluations", "auth", "axes"]):
        if model_key.startswith(f"{candidate.app_label}_{candidate.model}"):
            model = candidate.model_class()
    values = []
    for arg in names:
        if arg in ("object_id", "id"):
            first = model.objects.order_by("pk").first()
            assert first is not None, f"no {model.__name__} to open for {name}"
            values.append(first.pk)
        elif arg == "history_id":
            obj = model.objects.order_by("pk").first()
            values.append(obj.history.first().history_id)
        elif arg == "app_label":
            values.append("partnerships")
        else:
            values.append(world[arg])
    return values


def _check(response, expected, label):
    if isinstance(expected, str):
        assert response.status_code in (301, 302) and response["Location"].startswith(expected), label
    else:
        assert response.status_code == expected, f"{label}: {response.status_code} != {expected}"


def test_every_url_pattern_answers_each_persona_as_the_matrix_says(world, request):
    clients = {
        persona: request.getfixturevalue("anonymous") if persona == "anonymous" else None for persona in PERSONAS
    }
    for persona in PERSONAS[1:]:
        clients[persona] = client_for(request.getfixturevalue(persona))

    missing = []
    checked = 0
    for name, pattern in _patterns():
        if name.startswith("admin:"):
            row = _admin_row(name, pattern, world)
            if row is None:
                missing.append(name)
                continue
            args, expected = row
            values = _admin_args(name, args, world) if args and args[0] != "content_type" else [world[a] for a in args]
        elif name in MATRIX:
            args, expected = MATRIX[name]
            values = [world[a] for a in args]
        else:
            missing.append(name)
            continue
        url = reverse(name, args=values)
        for persona, status in zip(PERSONAS, expected, strict=True):
            _check(clients[persona].get(url), status, f"{persona} GET {url} ({name})")
        checked += 1
    assert not missing, f"URL patterns without a row in the permission matrix: {missing}"
    assert checked > 60
