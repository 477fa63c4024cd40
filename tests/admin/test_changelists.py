"""Every changelist: its search and every choice of every filter open, and the number of queries
does not grow with the number of rows."""

import re
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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


def test_each_rows_checkbox_is_the_same_html_as_djangos_own(leading_places):
    from django.contrib.admin import ModelAdmin

    from partnerships.admin_mixins import PortalAdmin
    from partnerships.models import Partnership

    partnership = Partnership.objects.get(slug="tees-valley")
    ours = admin.site._registry[Partnership]
    assert isinstance(ours, PortalAdmin)
    stock = ModelAdmin(Partnership, admin.site).action_checkbox(partnership)
    assert ours.action_checkbox(partnership) == stock
    assert f'value="{partnership.pk}"' in stock and "Tees Valley" in stock


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_list_shows_fifty_rows_a_page_without_counting_the_whole_table(model):
    model_admin = admin.site._registry[model]
    assert model_admin.list_per_page == 50
    assert model_admin.show_full_result_count is False


def test_the_filter_choice_for_no_theme_or_no_phase_says_what_it_means(officer_client, programme):
    partnerships = officer_client.get(reverse("admin:partnerships_partnership_changelist")).text
    evaluations = officer_client.get(reverse("admin:evaluations_evaluation_changelist")).text
    assert '<a href="?themes__isnull=True">No themes</a>' in partnerships
    assert '<a href="?phase__isnull=True">Of one partnership</a>' in evaluations


def test_olivia_choosing_an_action_with_no_evaluation_ticked_is_told_to_tick_one_first(officer_client, leading_places):
    changelist = reverse("admin:evaluations_evaluation_changelist")
    response = officer_client.post(changelist, {"action": "delete_selected", "index": 0}, follow=True)
    said = [str(message) for message in response.context["messages"]]
    assert said == ["Nothing was changed: tick one or more evaluations in the list first, then choose the action."]


def test_olivias_list_of_partnerships_is_headed_by_what_it_lists_with_each_phase_beside_its_place(
    officer_client, leading_places
):
    page = officer_client.get(reverse("admin:partnerships_partnership_changelist")).text
    assert "<h1>Partnerships</h1>" in page and "Select partnership to change" not in page
    headings = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', page)
    assert headings[:3] == ["place", "phase", "title"]
