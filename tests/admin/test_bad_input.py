"""No value an officer can send to a back-office form causes a server error or a half save.

Every add form and a change form of every model is sent the same odd value in every field,
its inline rows' fields included: a NUL character, a huge text, numbers far
out of range, an impossible date, markup, an id that does not exist, nothing. Each comes back
as the form with its errors, a 422 (or a 400 when the whole request is too large), leaving the
database as it was; or, where the value happens to be valid everywhere, is saved.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model

from tests.admin.test_admin_smoke import MODELS, _url
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    "nul\x00byte",
    "x" * 1_000,
    "-99999999999999999999",
    "99999999999999999999",
    "2026-02-31",
    "<script>alert(1)</script>",
    "two\r\nlines",
    "999999999",
    "",
]


def _fields(response):
    """(names of every field the page's form and inline rows send, the inlines' bookkeeping as
    the page gave it). The bookkeeping is kept: Django refuses a tampered count of rows itself,
    after building up to 2,000 of them, which takes seconds and is not what this tests."""
    adminform = response.context["adminform"]
    names = [adminform.form.add_prefix(name) for name in adminform.form.fields]
    bookkeeping = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        bookkeeping.update({management.add_prefix(name): management[name].value() for name in management.fields})
        for form in [*formset.forms, formset.empty_form]:
            names += [form.add_prefix(name) for name in form.fields]
    return names, bookkeeping


def _snapshot():
    portal = [model for model in apps.get_models() if model._meta.app_label in {"partnerships", "evaluations"}]
    return {model._meta.label: model.objects.count() for model in [*portal, get_user_model()]}


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_bad_values_in_every_field_are_refused_without_a_server_error(officer_client, leading_places, model):
    addresses = [_url(model, "add")]
    existing = model.objects.order_by("pk").first()
    if existing is not None:
        addresses.append(_url(model, "change", existing.pk))
    for address in addresses:
        names, bookkeeping = _fields(officer_client.get(address))
        for value in BAD_VALUES:
            before = _snapshot()
            response = officer_client.post(address, {**dict.fromkeys(names, value), **bookkeeping})
            sent = (address, repr(value[:40]), response.status_code)
            assert response.status_code in (302, 400, 422), sent
            if response.status_code == 400:
                assert "The request could not be used" in response.text, sent
            if response.status_code != 302:  # refused: nothing at all was written
                assert _snapshot() == before, sent


def test_a_request_too_large_to_read_gets_a_400_that_says_nothing_was_saved(officer_client, settings, leading_places):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    before = _snapshot()
    response = officer_client.post(_url(MODELS[0], "add"), {"title": "x" * 5000})
    assert response.status_code == 400
    assert "too large" in response.text and "nothing was saved" in response.text
    assert _snapshot() == before


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_every_action_refuses_a_selection_that_is_not_record_numbers(admin_user, leading_places, model):
    ada = client_for(admin_user)  # an administrator, who has every action, also on accounts and sign-in records
    url = _url(model, "changelist")
    choices = ada.get(url).context["action_form"].fields["action"].choices
    actions = [name for name, _ in choices if name]
    assert actions
    for action in actions:
        for selection in (["abc"], ["1", "1; DROP TABLE x"], ["1.5"], [""], ["²"]):
            before = _snapshot()
            response = ada.post(url, {"action": action, "_selected_action": selection, "confirmed": "yes"})
            sent = (action, selection, response.status_code)
            assert response.status_code == 400, sent
            assert "The request could not be used" in response.text, sent
            assert _snapshot() == before, sent


def test_every_record_in_the_back_office_is_numbered():
    # The back-office site refuses a list selection that is not whole numbers (leadingplaces/admin.py).
    for model in admin.site._registry:
        assert model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"), model._meta.label


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in_whatever_the_selection(client, leading_places):
    response = client.post(_url(MODELS[0], "changelist"), {"action": "delete_selected", "_selected_action": ["abc"]})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


PDF = b"%PDF-1.4 report"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "evil.html",
            b"<script>alert(1)</script>",
            "“evil.html” is not a document of a kind the portal keeps. Choose a PDF, Word, Excel, PowerPoint or "
            "OpenDocument file.",
        ),
        (
            "tool.exe",
            b"MZ\x90\x00",
            "“tool.exe” is not a document of a kind the portal keeps. Choose a PDF, Word, Excel, PowerPoint or "
            "OpenDocument file.",
        ),
        (
            "fake.pdf",
            b"not a pdf",
            "“fake.pdf” is named as a PDF document, but its content is not one. Check that it is the right file, "
            "then choose it again.",
        ),
    ],
)
@pytest.mark.parametrize("model", ["partnerships.document", "evaluations.evaluationdocument"])
def test_an_officer_uploading_a_file_that_is_not_a_document_is_refused_and_nothing_is_saved(
    officer_client, leading_places, settings, tmp_path, model, name, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evaluations.models import Evaluation
    from partnerships.models import Partnership

    settings.MEDIA_ROOT = tmp_path
    owner = {
        "partnerships.document": {"partnership": Partnership.objects.get(slug="hull").pk},
        "evaluations.evaluationdocument": {"evaluation": Evaluation.objects.get(slug="phase-2-evaluation").pk},
    }[model]
    data = {"title": "Report", "kind": "other", "is_public": "on", **owner}

    response = officer_client.post(
        _url(apps.get_model(model), "add"), data | {"file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 422
    assert response.context["adminform"].form.errors == {"file": [message]}  # not "upload a file", too
    assert not apps.get_model(model).objects.filter(title="Report").exists()
    assert not any(tmp_path.rglob("*.*"))
    saved = officer_client.post(
        _url(apps.get_model(model), "add"), data | {"file": SimpleUploadedFile("report.pdf", PDF)}
    )
    assert saved.status_code == 302 and apps.get_model(model).objects.filter(title="Report").exists()


def test_an_officer_is_refused_a_file_over_the_limit_and_told_the_limit(
    officer_client, leading_places, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partnerships.models import Document, Partnership

    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    hull = Partnership.objects.get(slug="hull")
    form = officer_client.get(_url(Document, "add"))
    assert "PDF, Word, Excel, PowerPoint or OpenDocument, up to" in form.text

    response = officer_client.post(
        _url(Document, "add"),
        {"title": "Big", "kind": "other", "partnership": hull.pk, "file": SimpleUploadedFile("big.pdf", PDF * 100_000)},
    )

    assert response.status_code == 422
    assert response.context["adminform"].form.errors["file"] == [
        "“big.pdf” is larger than 1 MB, the most a document can be. Choose a smaller file."
    ]
    assert not Document.objects.filter(title="Big").exists()


def test_a_document_row_on_a_partnerships_page_is_checked_too_and_nothing_is_half_saved(
    officer_client, leading_places, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partnerships.models import Partnership
    from tests.admin.test_back_office import change_form_data

    settings.MEDIA_ROOT = tmp_path
    hull = Partnership.objects.get(slug="hull")
    data = change_form_data(officer_client, hull) | {
        "title": "Retitled with a bad upload",
        "documents-TOTAL_FORMS": "1",
        "documents-0-title": "Slides",
        "documents-0-kind": "other",
        "documents-0-file": SimpleUploadedFile("slides.svg", b"<svg onload='alert(1)'/>"),
    }

    response = officer_client.post(_url(Partnership, "change", hull.pk), data)

    assert response.status_code == 422
    assert "“slides.svg” is not a document of a kind the portal keeps. Choose a PDF, Word" in response.text
    hull.refresh_from_db()
    assert hull.title != "Retitled with a bad upload" and not hull.documents.exists()


def test_a_document_chosen_in_a_row_of_a_page_sent_back_for_another_error_is_said_to_need_choosing_again(
    officer_client, leading_places, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partnerships.models import Partnership
    from tests.admin.test_back_office import change_form_data, listed_errors

    settings.MEDIA_ROOT = tmp_path
    hull = Partnership.objects.get(slug="hull")
    data = change_form_data(officer_client, hull) | {
        "title": "",  # the error elsewhere on the page
        "documents-TOTAL_FORMS": "1",
        "documents-0-title": "Slides",
        "documents-0-kind": "other",
        "documents-0-file": SimpleUploadedFile("slides.pdf", PDF),
    }

    response = officer_client.post(_url(Partnership, "change", hull.pk), data)

    assert response.status_code == 422
    assert (
        "Documents, row 1, File: Choose “slides.pdf” again once the rest is put right: it was not kept.",
        "id_documents-0-file",
    ) in listed_errors(response)
    assert not hull.documents.exists() and not any(tmp_path.rglob("*.*"))


def test_an_officer_sending_a_file_far_over_the_limit_is_refused_unread_with_a_page_that_says_so(
    officer_client, leading_places, settings, tmp_path, monkeypatch
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.http.multipartparser import MultiPartParser

    from partnerships.models import Document, Partnership

    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENT_MAX_UPLOAD_MB = 1

    def parse(parser):
        raise AssertionError("the body was read")

    monkeypatch.setattr(MultiPartParser, "parse", parse)
    before = _snapshot()
    hull = Partnership.objects.get(slug="hull")
    big = SimpleUploadedFile("big.pdf", PDF * 150_000)  # 2.1 MB: over twice the limit
    response = officer_client.post(
        _url(Document, "add"), {"title": "Big", "kind": "other", "partnership": hull.pk, "file": big}
    )

    assert response.status_code == 413
    assert "What you sent is too large" in response.text
    assert "A document can be up to 1 MB." in response.text
    assert "Content-Security-Policy" in response
    assert _snapshot() == before


@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\u2028"])
def test_a_title_or_a_partners_note_sent_with_a_line_break_is_refused_and_nothing_is_saved(
    officer_client, leading_places, line_break
):
    from partnerships.models import Partnership
    from tests.admin.test_back_office import change_form_data, listed_errors

    bedford = Partnership.objects.get(phase__slug="phase-2", slug="bedford")
    data = change_form_data(officer_client, bedford)
    data |= {"title": f"Bedford{line_break}Borough", "memberships-0-note": f"including{line_break}the council"}
    before = _snapshot()

    response = officer_client.post(_url(Partnership, "change", bedford.pk), data)

    assert response.status_code == 422
    said = [message for message, _ in listed_errors(response)]
    assert "Title: This goes on one line: take out the line breaks." in said
    assert "Partners, row 1, Note: This goes on one line: take out the line breaks." in said
    assert _snapshot() == before and Partnership.objects.get(pk=bedford.pk).title == bedford.title


def test_a_phase_number_past_what_every_database_holds_is_refused_on_sqlite_too(officer_client, programme):
    from partnerships.models import Phase
    from tests.admin.test_back_office import change_form_data

    phase = Phase.objects.get(slug="phase-2")
    data = change_form_data(officer_client, phase) | {"number": "99999999"}

    response = officer_client.post(_url(Phase, "change", phase.pk), data)

    assert response.status_code == 422
    assert response.context["adminform"].form.errors["number"] == ["A phase's number is at most 32,767."]
    phase.refresh_from_db()
    assert phase.number == 2


@pytest.mark.parametrize("model", ["partnerships.document", "evaluations.evaluationdocument"])
def test_an_officer_sent_back_for_a_missing_title_is_told_to_choose_her_file_again(
    officer_client, leading_places, settings, tmp_path, model
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evaluations.models import Evaluation
    from partnerships.models import Partnership

    settings.MEDIA_ROOT = tmp_path
    owner = {
        "partnerships.document": {"partnership": Partnership.objects.get(slug="hull").pk},
        "evaluations.evaluationdocument": {"evaluation": Evaluation.objects.get(slug="phase-2-evaluation").pk},
    }[model]
    data = {"title": "", "kind": "other", **owner, "file": SimpleUploadedFile("report.pdf", PDF)}

    response = officer_client.post(_url(apps.get_model(model), "add"), data)

    assert response.status_code == 422
    errors = response.context["adminform"].form.errors
    assert errors["file"] == ["Choose “report.pdf” again once the rest is put right: it was not kept."]
    assert "title" in errors
    assert not any(tmp_path.rglob("*.*"))
