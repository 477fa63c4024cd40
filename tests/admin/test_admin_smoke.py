"""Every model in the back office opens: its list, its add form and a record's change form."""

import re
from collections import Counter

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"partnerships", "evaluations"}
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in PORTAL_APPS),
    key=lambda model: model._meta.label,
)

# Those whose every version is kept (django-simple-history): all but evaluators' accounts.
VERSIONED = [model for model in MODELS if hasattr(model, "history")]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_an_officer_can_open_every_list_add_and_change_page(officer_client, one_of_everything, model):
    response = officer_client.get(_url(model, "changelist"))
    assert response.status_code == 200

    response = officer_client.get(_url(model, "add"))
    assert response.status_code == 200

    record = model.objects.first()
    response = officer_client.get(_url(model, "change", record.pk))
    assert response.status_code == 200
    assert str(record) in response.content.decode() or record._meta.verbose_name in response.content.decode()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_add_and_change_page_gives_each_element_its_own_id(officer_client, one_of_everything, model):
    # A repeated id breaks the labels that point at it (WCAG 1.3.1, 4.1.2).
    for address in (_url(model, "add"), _url(model, "change", model.objects.first().pk)):
        ids = re.findall(r'\sid="([^"]+)"', officer_client.get(address).text)
        assert [name for name, count in Counter(ids).items() if count > 1] == [], address


def test_the_back_office_lists_every_portal_model():
    labels = {model._meta.label for model in MODELS}
    assert labels >= {
        "partnerships.Programme",
        "partnerships.Phase",
        "partnerships.Partnership",
        "partnerships.Institution",
        "partnerships.Membership",
        "partnerships.Theme",
        "partnerships.Challenge",
        "partnerships.Outcome",
        "partnerships.Document",
        "partnerships.Place",
        "evaluations.Evaluation",
        "evaluations.Finding",
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_a_record_read_with_its_named_with_is_named_without_another_query(
    one_of_everything, model, django_assert_num_queries
):
    # Lists that name many records at once (the delete confirmation, inline headings) rely on it.
    record = model.objects.select_related(*getattr(model, "named_with", ())).order_by("pk").first()
    with django_assert_num_queries(0):
        str(record)


def test_olivias_links_at_the_top_of_every_back_office_page_say_what_they_do_in_the_portals_words(officer_client):
    page = officer_client.get(reverse("admin:index")).text
    tools = re.search(r'<div id="user-tools">(.*?)</div>', page, re.S).group(1)
    assert '<a href="/">View the public site</a>' in tools
    assert f'<a href="{reverse("admin:password_change")}">Change your password</a>' in tools
    assert '<button type="submit">Sign out</button>' in tools
    assert "Log out" not in page and "View site" not in page
