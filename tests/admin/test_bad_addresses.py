"""Whatever is typed into a back-office address (a list's filters, an autocomplete's search, a
history page's number) gets a page or a 400, never a server error."""

import pytest
from django.db import models
from django.urls import reverse

from tests.admin.test_admin_smoke import MODELS, VERSIONED, _url

pytestmark = pytest.mark.django_db


def _own_fields(model, kind):
    return [f.name for f in model._meta.concrete_fields if isinstance(f, kind) and not f.is_relation]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_olivia_gets_a_400_for_a_filter_the_database_cannot_use_typed_into_a_lists_address(
    officer_client, one_of_everything, model
):
    text = _own_fields(model, (models.CharField, models.TextField))[0]
    for query, expected in [
        ({text: "\x00"}, 400),
        ({f"{text}__in": "a,\x00"}, 400),
        ({f"{text}__regex": "["}, 400),
        ({f"{text}__iregex": "("}, 400),
        ({"id__gt": "9" * 30}, (200, 400)),  # SQLite cannot hold the number; PostgreSQL finds nothing
        ({"id__exact": "abc"}, (302, 400)),  # Django's own answer: the list with "incorrect lookup"
    ]:
        response = officer_client.get(_url(model, "changelist"), query)
        assert response.status_code in (expected if isinstance(expected, tuple) else (expected,)), query
        if response.status_code == 400:
            assert "The request could not be used" in response.text


def test_a_year_out_of_range_in_a_lists_address_gets_a_400(officer_client, leading_places):
    response = officer_client.get(reverse("admin:partnerships_partnership_changelist"), {"created_at__year": "9" * 8})
    assert response.status_code in (200, 400)


def test_an_autocomplete_search_with_a_nul_character_gets_a_400(officer_client, leading_places):
    for model_name, field in [("finding", "partnerships"), ("finding", "outcomes"), ("evaluation", "partnership")]:
        response = officer_client.get(
            "/admin/autocomplete/",
            {"term": "\x00", "app_label": "evaluations", "model_name": model_name, "field_name": field},
        )
        assert response.status_code == 400, (model_name, field)


@pytest.mark.parametrize("model", VERSIONED, ids=lambda model: model._meta.label)
def test_a_history_page_for_a_record_or_version_that_is_not_a_number_is_not_found(
    officer_client, one_of_everything, model
):
    record = model.objects.order_by("pk").first()
    assert officer_client.get(_url(model, "history", "abc")).status_code == 404
    assert officer_client.get(_url(model, "simple_history", record.pk, "abc")).status_code == 404
    assert officer_client.get(_url(model, "history", record.pk)).status_code == 200


def test_an_export_with_odd_filters_in_its_address_gets_a_page_or_a_400(officer_client, leading_places):
    export = reverse("admin:partnerships_partnership_export")
    assert officer_client.get(export, {"format": "abc"}).status_code in (200, 400)
    posted = officer_client.post(
        f"{export}?phase__id__exact=abc", {"format": 0, "resource": 0, "partnershipresource_slug": "on"}
    )
    assert posted.status_code == 400


@pytest.mark.parametrize("search", ["word " * 51, "x" * 501], ids=["51-words", "501-characters"])
def test_olivia_searching_a_list_for_far_too_much_is_told_the_limit(officer_client, leading_places, search):
    response = officer_client.get(reverse("admin:partnerships_partnership_changelist"), {"q": search})

    assert response.status_code == 400
    assert "The search is too long: search for up to 50 words and 500 characters." in response.text


def test_a_search_of_50_words_or_500_characters_is_made(officer_client, leading_places):
    for search in ("hull " * 50, "h" * 500):
        response = officer_client.get(reverse("admin:partnerships_partnership_changelist"), {"q": search})
        assert response.status_code == 200


def test_an_autocomplete_search_for_far_too_much_is_refused_with_the_limit(officer_client, leading_places):
    query = {"app_label": "evaluations", "model_name": "evaluation", "field_name": "partnership"}
    response = officer_client.get("/admin/autocomplete/", query | {"term": "word " * 2000})
    assert response.status_code == 400
    assert officer_client.get("/admin/autocomplete/", query | {"term": "hull"}).status_code == 200
