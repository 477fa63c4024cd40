"""Who changed what and when: the history of a record, its differences, and a revert."""

import pytest
from django.urls import reverse

from partnerships.models import Partnership

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
