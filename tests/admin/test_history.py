"""Who changed what and when: the history of a record, its differences, and a revert."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import Evaluation, Finding
from partnerships.models import Partnership
from tests.admin.test_admin_smoke import VERSIONED, _url
from tests.admin.test_back_office import change_form_data
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_an_officer_sees_who_changed_a_record_and_what_changed_then_reverts_it(officer_client, leading_places):
    hull = Partnership.objects.get(slug="hull")
    original = hull.title
    hull.title = "A mistaken title"
    hull.save()

    history = officer_client.get(reverse("admin:partnerships_partnership_history", args=[hull.pk]))
    assert history.status_code == 200
    # The list of changes names the field with its old and new values.
    import re

    changes = re.sub(r"\s+", " ", history.text)
    assert f"<strong>Title:</strong> {original} &nbsp;&rarr;&nbsp;&nbsp;A mistaken title" in changes

    earlier = hull.history.earliest("history_date")
    revert_url = reverse("admin:partnerships_partnership_simple_history", args=[hull.pk, earlier.history_id])
    form = officer_client.get(revert_url)
    assert form.status_code == 200 and original in form.text
    data = {field.html_name: field.value() for field in form.context["adminform"].form if field.value() is not None}
    response = officer_client.post(revert_url, data)
    assert response.status_code == 302
    hull.refresh_from_db()
    assert hull.title == original
    assert hull.history.first().history_user.username == "olivia"


def test_a_version_with_no_user_or_reason_says_so_plainly_rather_than_none(officer_client, leading_places):
    hull = Partnership.objects.get(slug="hull")
    hull.title = "Edited in a script"
    hull.save()  # outside a request: no user, and no reason given
    history = officer_client.get(reverse("admin:partnerships_partnership_history", args=[hull.pk]))
    cells = [" ".join(cell.split()) for cell in history.text.split("<td>")[1:]]
    assert "Not recorded (a data load or a script) </td>" in cells
    assert "None </td>" not in cells and "None</td>" not in cells
    assert "style=" not in history.text.split('id="change-history"')[1]  # nothing for the CSP to block


def _history_queries(client, model, pk):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_url(model, "history", pk)).status_code == 200
    return len(captured)


def _save_a_new_version(record, n):
    """Saves the record; a record with tracked lists (a partnership's themes, a finding's
    partnerships and outcomes) also chooses a different one or two records in each."""
    record.save()
    for field in record.history.model._history_m2m_fields:
        choices = list(field.related_model.objects.order_by("pk")[:3])
        getattr(record, field.name).set(choices[n % 3 : n % 3 + 1 + n % 2])


@pytest.mark.parametrize("model", VERSIONED, ids=lambda model: model._meta.label)
def test_a_history_page_costs_the_same_queries_with_2_versions_as_with_12(officer_client, one_of_everything, model):
    record = model.objects.order_by("pk").first()
    _save_a_new_version(record, 0)
    officer_client.get(_url(model, "history", record.pk))  # the first page of a session fills caches
    few = _history_queries(officer_client, model, record.pk)
    for n in range(1, 11):
        _save_a_new_version(record, n)
    assert record.history.count() >= 12
    many = _history_queries(officer_client, model, record.pk)
    assert many == few, f"{model._meta.label}: {few} queries with 2 versions, {many} with 12"


def test_a_change_to_a_findings_partnerships_shows_both_lists_by_name(officer_client, leading_places):
    finding = Finding.objects.order_by("pk").first()
    hull, tees = Partnership.objects.get(slug="hull"), Partnership.objects.get(slug="tees-valley")
    finding.partnerships.set([hull])
    finding.partnerships.set([hull, tees])

    history = officer_client.get(_url(Finding, "history", finding.pk))

    changes = " ".join(history.text.split())
    assert f"<strong>Partnerships:</strong> {hull} &nbsp;&rarr;&nbsp;&nbsp;{hull}, {tees}" in changes


def test_olivia_reads_a_changed_choice_and_an_emptied_text_in_a_history_as_the_record_page_words_them(
    officer_client, leading_places
):
    hull = Partnership.objects.get(slug="hull")
    old_region = hull.get_region_display()
    hull.region, hull.why_chosen = "north-west", ""
    hull.save()

    history = officer_client.get(_url(Partnership, "history", hull.pk))

    changes = html.unescape(" ".join(history.text.split()))
    assert f"<strong>Region:</strong> {old_region} \xa0→\xa0\xa0North West" in changes
    assert "<strong>Why it was chosen:</strong>" in changes and "\xa0→\xa0\xa0(empty)" in changes
    assert "north-west" not in changes


def test_a_theme_deleted_since_an_old_version_shows_as_deleted(officer_client, leading_places):
    from partnerships.models import Theme

    hull = Partnership.objects.get(slug="hull")
    gone = Theme.objects.create(name="Short-lived", slug="short-lived")
    hull.themes.add(gone)
    pk = gone.pk
    gone.delete()

    history = officer_client.get(_url(Partnership, "history", hull.pk))

    assert f"Deleted theme (pk={pk})" in history.text


def test_reverting_a_partnership_brings_back_its_themes_as_they_were_in_that_version(officer_client, leading_places):
    hull = Partnership.objects.get(slug="hull")
    themes_then = set(hull.themes.values_list("pk", flat=True))
    assert themes_then
    earlier = hull.history.latest("history_date")
    hull.themes.clear()  # a mistaken edit, recorded as a new version
    hull.title = "A mistaken title"
    hull.save()

    revert_url = reverse("admin:partnerships_partnership_simple_history", args=[hull.pk, earlier.history_id])
    form = officer_client.get(revert_url)
    shown = form.context["adminform"].form["themes"].value()
    assert set(shown) == themes_then
    data = {field.html_name: field.value() for field in form.context["adminform"].form if field.value() is not None}
    assert officer_client.post(revert_url, data).status_code == 302

    hull.refresh_from_db()
    assert set(hull.themes.values_list("pk", flat=True)) == themes_then


def test_olivia_is_told_before_saving_a_draft_version_of_a_published_partnership_that_it_comes_off_the_site(
    officer_client, leading_places
):
    hull = Partnership.objects.get(slug="hull")
    draft = hull.history.latest("history_date")
    Partnership.history.filter(pk=draft.pk).update(status=Partnership.Status.DRAFT)
    hull.title = "A later title"
    hull.save()

    form = officer_client.get(reverse("admin:partnerships_partnership_simple_history", args=[hull.pk, draft.pk]))

    assert "this version of it is a draft: saving it takes the partnership off them." in form.text


def test_olivia_is_told_that_saving_an_old_version_of_a_published_evaluation_keeps_it_published(
    officer_client, programme
):
    evaluation = Evaluation.objects.filter(status=Evaluation.Status.PUBLISHED).first()
    earlier = evaluation.history.earliest("history_date")
    url = reverse("admin:evaluations_evaluation_simple_history", args=[evaluation.pk, earlier.history_id])

    form = officer_client.get(url)

    assert "saving this version changes its public page at once. Its status stays Published" in form.text


def test_olivia_is_told_that_saving_a_published_version_of_a_draft_partnership_puts_it_on_the_site(
    officer_client, leading_places
):
    hull = Partnership.objects.get(slug="hull")
    published = hull.history.earliest("history_date")
    hull.status = Partnership.Status.DRAFT
    hull.save()

    form = officer_client.get(reverse("admin:partnerships_partnership_simple_history", args=[hull.pk, published.pk]))

    assert (
        "This partnership is a draft, and this version of it is published: saving it puts the partnership on "
        "the public pages." in form.text
    )


def test_a_draft_version_of_a_draft_partnership_comes_with_no_warning(officer_client, leading_places):
    hull = Partnership.objects.get(slug="hull")
    hull.status = Partnership.Status.DRAFT
    hull.save()
    draft = hull.history.latest("history_date")
    hull.title = "A later title"
    hull.save()

    form = officer_client.get(reverse("admin:partnerships_partnership_simple_history", args=[hull.pk, draft.pk]))

    assert form.status_code == 200 and "public pages" not in form.text


def test_olivia_reads_who_changed_a_record_by_name_with_no_link_to_an_account_she_may_not_open(
    officer, officer_client, admin_user, leading_places
):
    officer.last_name = "Okafor"
    officer.save()
    hull = Partnership.objects.get(slug="hull")
    data = change_form_data(officer_client, hull) | {"title": "Hull, edited by Olivia"}
    assert officer_client.post(_url(Partnership, "change", hull.pk), data).status_code == 302
    user_page = reverse("admin:auth_user_change", args=[officer.pk])

    hers = officer_client.get(_url(Partnership, "history", hull.pk)).text
    adas = client_for(admin_user).get(_url(Partnership, "history", hull.pk)).text

    assert "Olivia Okafor" in hers and user_page not in hers
    assert f'<a href="{user_page}">Olivia Okafor</a>' in adas


def test_a_version_olivia_cannot_save_again_is_refused_with_its_reason_and_a_422(officer_client, leading_places):
    hull = Partnership.objects.get(slug="hull")
    earlier = hull.history.earliest("history_date")
    hull.slug = "hull-renamed"
    hull.save()
    other = Partnership.objects.filter(phase=hull.phase).exclude(pk=hull.pk).first()
    other.slug = "hull"  # another partnership has taken the slug the old version had
    other.save()
    url = reverse("admin:partnerships_partnership_simple_history", args=[hull.pk, earlier.history_id])
    form = officer_client.get(url)
    data = {field.html_name: field.value() for field in form.context["adminform"].form if field.value() is not None}

    response = officer_client.post(url, data)

    assert response.status_code == 422
    assert "Another partnership in this phase already uses this slug." in response.text
    hull.refresh_from_db()
    assert hull.slug == "hull-renamed"


def test_olivias_one_save_of_a_partnerships_title_and_themes_is_one_version_of_it(officer_client, leading_places):
    from partnerships.models import Theme

    hull = Partnership.objects.get(slug="hull")
    versions_before = hull.history.count()
    themes_before = set(hull.themes.values_list("pk", flat=True))
    other = Theme.objects.exclude(pk__in=themes_before).first()
    data = change_form_data(officer_client, hull) | {"title": "Hull, retitled", "themes": [other.pk]}

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[hull.pk]), data)

    assert response.status_code == 302

    assert hull.history.count() == versions_before + 1
    latest = hull.history.latest("history_id")
    assert (latest.title, latest.history_type, latest.history_user.username) == ("Hull, retitled", "~", "olivia")
    assert [row.theme_id for row in latest.themes.all()] == [other.pk]


def test_a_partnership_olivia_adds_with_themes_has_one_version_an_addition(officer_client, leading_places):
    from partnerships.models import Phase, Place, Theme

    place = Place.objects.create(name="Luton", slug="luton")
    theme = Theme.objects.first()
    data = {
        "phase": Phase.objects.get(slug="phase-2").pk,
        "place": place.pk,
        "title": "Luton together",
        "slug": "luton",
        "region": "north-east",
        "themes": [theme.pk],
        "status": "draft",
        "stage": "active",
        **{
            f"{prefix}-{key}": value
            for prefix in ("memberships", "challenges", "outcomes", "documents")
            for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
        },
    }

    response = officer_client.post(reverse("admin:partnerships_partnership_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    luton = Partnership.objects.get(slug="luton")
    (only,) = luton.history.all()
    assert only.history_type == "+" and [row.theme_id for row in only.themes.all()] == [theme.pk]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_a_version_oscar_saves_while_olivias_save_waits_stays_in_the_history(officer, leading_places):
    from django.contrib.auth.models import User

    from tests.evaluations.test_concurrent_saves import _sent_while

    hull = Partnership.objects.get(slug="hull")
    olivia = client_for(officer)
    data = change_form_data(olivia, hull) | {"summary": "Olivia's summary."}
    oscar = User.objects.create_user("oscar-officer")

    def oscars_save():
        locked = Partnership.objects.select_for_update().get(pk=hull.pk)
        locked.title = "Oscar's title"
        locked._history_user = oscar
        locked.save()

    page, waited = _sent_while(
        oscars_save, olivia, reverse("admin:partnerships_partnership_change", args=[hull.pk]), data
    )

    assert waited
    assert page.status_code in (302, 422)
    assert hull.history.filter(history_user=oscar, title="Oscar's title").exists()


def test_a_revert_that_brings_back_other_themes_is_one_version_too(officer_client, leading_places):
    hull = Partnership.objects.get(slug="hull")
    earlier = hull.history.latest("history_id")
    hull.themes.clear()
    hull.title = "A mistaken title"
    hull.save()
    versions_before = hull.history.count()
    revert_url = reverse("admin:partnerships_partnership_simple_history", args=[hull.pk, earlier.history_id])
    form = officer_client.get(revert_url).context["adminform"].form
    data = {field.html_name: field.value() for field in form if field.value() is not None}

    assert officer_client.post(revert_url, data).status_code == 302

    assert hull.history.count() == versions_before + 1
    latest = hull.history.latest("history_id")
    assert latest.title == earlier.title
    assert sorted(row.theme_id for row in latest.themes.all()) == sorted(row.theme_id for row in earlier.themes.all())


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_olivias_save_sent_while_oscar_saves_the_same_partnership_waits_and_is_refused(officer, leading_places):
    from tests.evaluations.test_concurrent_saves import _sent_while

    hull = Partnership.objects.get(slug="hull")
    olivia = client_for(officer)
    data = change_form_data(olivia, hull) | {"summary": "Olivia's summary."}

    def oscars_save():
        locked = Partnership.objects.select_for_update().get(pk=hull.pk)
        locked.title = "Oscar's title"
        locked.save()

    page, waited = _sent_while(
        oscars_save, olivia, reverse("admin:partnerships_partnership_change", args=[hull.pk]), data
    )

    assert waited
    assert page.status_code == 422 and "Someone else saved this record after you opened it" in page.text
    hull.refresh_from_db()
    assert (hull.title, hull.summary) == ("Oscar's title", Partnership.objects.get(pk=hull.pk).summary)
    assert hull.summary != "Olivia's summary."


def _versions_of_rows(record, *lists):
    return {name: sum(row.history.count() for row in getattr(record, name).all()) for name in lists}


def test_olivia_saving_a_partnerships_summary_adds_no_version_to_the_rows_she_left_as_they_were(
    officer_client, one_of_everything
):
    tees = Partnership.objects.get(slug="tees-valley")
    lists = ("memberships", "challenges", "outcomes", "documents")
    before = _versions_of_rows(tees, *lists)
    data = change_form_data(officer_client, tees) | {"summary": "A new summary."}

    response = officer_client.post(reverse("admin:partnerships_partnership_change", args=[tees.pk]), data)

    assert response.status_code == 302
    assert _versions_of_rows(tees, *lists) == before
    assert tees.history.count() and Partnership.objects.get(pk=tees.pk).summary == "A new summary."


def test_olivia_saving_an_evaluations_summary_adds_no_version_to_its_findings_progress_or_documents(
    officer_client, one_of_everything
):
    evaluation = Evaluation.objects.get()
    lists = ("findings", "progress", "documents")
    before = _versions_of_rows(evaluation, *lists)
    data = change_form_data(officer_client, evaluation) | {"summary": "A new summary."}

    response = officer_client.post(reverse("admin:evaluations_evaluation_change", args=[evaluation.pk]), data)

    assert response.status_code == 302
    assert _versions_of_rows(evaluation, *lists) == before


def test_olivia_is_told_what_a_version_is_and_that_restoring_one_waits_for_her_save(officer_client, leading_places):
    hull = Partnership.objects.get(slug="hull")
    page = officer_client.get(reverse("admin:partnerships_partnership_history", args=[hull.pk])).text
    assert "Open a version by its date to see it in full and, if you choose, restore it: nothing changes" in page
    assert "revert to a previous version of this object" not in page
