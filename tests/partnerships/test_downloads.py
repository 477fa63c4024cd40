"""The data downloads honour the filters, carry the licence, and never include drafts or people."""

import csv
import io
import json

import pytest
from django.core.files.base import ContentFile

from partnerships.models import Document, Institution, Partnership, Phase

pytestmark = pytest.mark.django_db


def _csv(client, **params):
    response = client.get("/partnerships.csv", params)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="leading-places-partnerships-')
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbfphase,"), "a UTF-8 byte-order mark, then the header"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _json(client, **params):
    response = client.get("/partnerships.json", params)
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_csv_has_one_row_per_published_partnership_with_its_partners_and_themes(anonymous, programme):
    rows = _csv(anonymous)
    assert sorted(row["title"] for row in rows) == [
        "Healthy Tynemouth",
        "Skills for Tynemouth",
        "Wearside skills strategy",
    ]
    healthy = next(row for row in rows if row["title"] == "Healthy Tynemouth")
    assert healthy["url"] == "http://127.0.0.1:8000/partnerships/phase-2/tynemouth/"
    assert healthy["lead_partners"] == "Tynemouth City Council"
    assert healthy["partners"] == "University of Tynemouth; Tynemouth College"
    assert healthy["themes"] == "Health and wellbeing"


def test_each_partnership_in_the_downloads_is_named_uniquely_by_its_phase_and_slug(anonymous, leading_places):
    # Gloucestershire, Newcastle and Brighton and Hove took part in both phases.
    for rows in (_csv(anonymous), _json(anonymous)["partnerships"]):
        keys = [(row["phase_slug"], row["slug"]) for row in rows]
        assert len(set(keys)) == len(keys) == 21
        assert len({row["slug"] for row in rows}) < 21
        assert ("phase-1", "gloucestershire") in keys and ("phase-2", "gloucestershire") in keys


def test_the_downloads_honour_the_same_filters_as_the_list(anonymous, leading_places):
    params = {"phase": "phase-2", "theme": "health-and-wellbeing"}
    expected = ["bedford", "blackburn-with-darwen", "sheffield-city-region", "shropshire"]
    assert sorted(row["slug"] for row in _csv(anonymous, **params)) == expected
    payload = _json(anonymous, **params)
    assert payload["count"] == 4
    assert sorted(p["slug"] for p in payload["partnerships"]) == expected
    assert [p["slug"] for p in _json(anonymous, q="scale-up")["partnerships"]] == ["tees-valley"]


def test_the_json_carries_the_open_government_licence_and_its_source(anonymous, programme):
    payload = _json(anonymous, phase="phase-2")
    assert payload["licence"]["name"] == "Open Government Licence v3.0"
    assert payload["licence"]["url"].startswith("https://www.nationalarchives.gov.uk/")
    assert payload["source"] == "http://127.0.0.1:8000/partnerships/?phase=phase-2"
    assert payload["count"] == 2


def test_drafts_and_user_accounts_never_reach_a_download(anonymous, officer_client, evaluator, programme):
    for client in (anonymous, officer_client):
        csv_text = b"".join(client.get("/partnerships.csv").streaming_content).decode()
        json_text = client.get("/partnerships.json").content.decode()
        for text in (csv_text, json_text):
            assert "Secret draft" not in text and "Hidden Vale" not in text
            assert "@example.org" not in text and evaluator.username not in text


def test_an_unknown_filter_gets_a_400_that_names_it_not_an_empty_download_that_looks_true(anonymous, programme):
    csv_answer = anonymous.get("/partnerships.csv", {"phase": "phase-99"})
    assert csv_answer.status_code == 400 and csv_answer["Content-Type"] == "text/plain; charset=utf-8"
    assert csv_answer.text.startswith(
        "The download was not made: a filter was not understood.\n"
        "There is no phase “phase-99”: choose one from the list."
    )
    json_answer = anonymous.get("/partnerships.json", {"theme": "nope", "kind": "wizard"})
    assert json_answer.status_code == 400
    assert json_answer.json() == {
        "error": "A filter was not understood.",
        "problems": [
            "There is no theme “nope”: choose one from the list.",
            "There is no kind of partner “wizard”: choose one from the list.",
        ],
        # The list, for a program that cannot see the page's.
        "accepted": {
            "theme": ["health-and-wellbeing", "skills"],
            "kind": [Institution.ANY_COUNCIL, *Institution.Kind.values],
        },
    }


def test_a_filter_given_twice_in_a_download_address_is_refused_rather_than_one_quietly_kept(anonymous, programme):
    answer = anonymous.get("/partnerships.json?phase=phase-1&phase=phase-2")

    assert answer.status_code == 400
    assert answer.json()["problems"] == ["The address gives 2 values for phase: choose one."]


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_defused(anonymous, programme):
    Partnership.objects.filter(title="Healthy Tynemouth").update(summary='=HYPERLINK("http://evil.example")')
    healthy = next(row for row in _csv(anonymous) if row["title"] == "Healthy Tynemouth")
    assert healthy["summary"] == '\'=HYPERLINK("http://evil.example")'


def test_the_data_page_lists_every_download_with_the_licence(anonymous, programme):
    text = anonymous.get("/data/").text
    assert "Open Government Licence v3.0" in text
    for link in (
        'href="/partnerships.csv"',
        'href="/partnerships.json"',
        'href="/partnerships.csv?phase=phase-1"',
        'href="/partnerships.json?phase=phase-2"',
        'href="/partnerships.csv?theme=skills"',
    ):
        assert link in text, link


@pytest.fixture
def documents(programme, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    healthy = Partnership.objects.get(title="Healthy Tynemouth")
    draft = Partnership.objects.get(title="Secret draft partnership")

    def document(title, **kw):
        doc = Document(title=title, **kw)
        if "url" not in kw:
            doc.file.save("slides.pdf", ContentFile(b"%PDF-1.4 slides"), save=False)
        doc.save()
        return doc

    return {
        "public": document("Launch slides", partnership=healthy, is_public=True),
        "link": document("Case study", partnership=healthy, is_public=True, url="https://example.org/case-study"),
        "internal": document("Internal notes", partnership=healthy, is_public=False),
        "of_draft": document("Draft slides", partnership=draft, is_public=True),
        "phase": document("Phase report", phase=Phase.objects.get(slug="phase-2"), is_public=True),
    }


def test_a_public_document_downloads_as_an_attachment_and_a_link_redirects(anonymous, documents):
    response = anonymous.get(f"/documents/{documents['public'].pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Launch slides.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 slides"
    link = anonymous.get(f"/documents/{documents['link'].pk}/")
    assert link.status_code == 302 and link["Location"] == "https://example.org/case-study"


@pytest.mark.parametrize(
    ("title", "name"),
    [("Final report.PDF", "Final report.pdf"), ("Report: 2018/19", "Report- 2018-19.pdf"), ("???", "---.pdf")],
)
def test_a_document_downloads_under_its_title_with_its_extension_once(anonymous, documents, title, name):
    document = documents["public"]
    document.title = title
    document.save()
    response = anonymous.get(f"/documents/{document.pk}/")
    assert f'filename="{name}"' in response["Content-Disposition"]


def test_the_partnership_and_phase_pages_list_only_public_documents(anonymous, documents):
    text = anonymous.get("/partnerships/phase-2/tynemouth/").text
    assert "Launch slides" in text and "Case study" in text and "Internal notes" not in text
    assert "Phase report" in anonymous.get("/phases/phase-2/").text


def test_each_listed_document_says_its_file_type_and_size_or_that_it_is_elsewhere(anonymous, documents):
    text = anonymous.get("/partnerships/phase-2/tynemouth/").text
    slides = documents["public"]
    assert (
        f'<a href="/documents/{slides.pk}/">Launch slides</a> <span class="small">(other, PDF, 15\xa0bytes)</span>'
        in text
    )
    assert (
        '<a href="https://example.org/case-study">Case study</a> <span class="small">(other, on another website)</span>'
        in text
    )
    assert "(other, PDF, 15\xa0bytes)" in anonymous.get("/phases/phase-2/").text


def test_a_listed_document_whose_file_has_gone_is_listed_without_a_size_not_an_error(anonymous, documents):
    documents["public"].file.storage.delete(documents["public"].file.name)
    text = anonymous.get("/partnerships/phase-2/tynemouth/").text
    assert 'Launch slides</a> <span class="small">(other)</span>' in text


def test_internal_documents_and_those_of_drafts_are_404_to_the_public_but_open_to_staff(
    anonymous, evaluator_client, officer_client, documents
):
    for key in ("internal", "of_draft"):
        url = f"/documents/{documents[key].pk}/"
        assert anonymous.get(url).status_code == 404
        assert evaluator_client.get(url).status_code == 404
        assert officer_client.get(url).status_code == 200


def test_a_document_whose_file_has_gone_is_a_404_not_an_error(anonymous, documents):
    documents["public"].file.storage.delete(documents["public"].file.name)
    assert anonymous.get(f"/documents/{documents['public'].pk}/").status_code == 404
