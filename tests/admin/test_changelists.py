"""Every changelist: its search and every choice of every filter open, and the number of queries
does not grow with the number of rows."""

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.admin.test_admin_smoke import MODELS, _url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_search_and_filter_choice_of_every_changelist_opens(officer_client, leading_places, model):
    url = _url(model, "changelist")
    assert officer_client.get(url, {"q": "Bedford"}).status_code == 200
    response = officer_client.get(url)
    changelist = response.context["cl"]
    choices = 0
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            assert officer_client.get(url + choice["query_string"]).status_code == 200, choice
            choices += 1
    assert choices >= len(admin.site._registry[model].list_filter)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_changelist_costs_the_same_number_of_queries_with_more_rows(officer_client, leading_places, model):
    url = _url(model, "changelist")
    small = _queries(officer_client, url)
    call_command("generate_demo_data", "--partnerships", "60", stdout=StringIO())
    large = _queries(officer_client, url)
    assert large == small, f"{model._meta.label}: {small} queries with the real data, {large} with more"
