"""Evaluators' accounts, which programme officers open and switch off themselves."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from evaluations.models import EvaluatorAccount
from evaluations.roles import EVALUATORS
from tests.admin.test_back_office import change_form_data, factories_officer
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ADD = reverse("admin:evaluations_evaluatoraccount_add")
NEW = {"first_name": "Nia", "last_name": "Nwosu", "email": "Nia.Nwosu@example.ac.uk"}


def _link(message):
    return re.search(r"http\S*/accounts/reset/\S+", message.body).group(0)


def test_olivia_opens_an_account_for_a_new_evaluator_who_chooses_a_password_and_signs_in(
    officer_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(ADD, NEW, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:evaluations_evaluatoraccount_changelist")
    assert "An email went to Nia.Nwosu@example.ac.uk with a link to choose a password." in response.text
    nia = get_user_model().objects.get(email="Nia.Nwosu@example.ac.uk")
    assert (nia.username, nia.is_staff, nia.is_superuser) == ("nia.nwosu@example.ac.uk", False, False)
    assert list(nia.groups.values_list("name", flat=True)) == [EVALUATORS]
    (invitation,) = mail.outbox
    assert (
        invitation.to == ["Nia.Nwosu@example.ac.uk"] and invitation.subject == "Your Leading Places evaluator account"
    )
    assert "Dear Nia Nwosu," in invitation.body and "The link works once, for 3 days." in invitation.body

    visitor = Client()
    form = visitor.get(_link(invitation).removeprefix("http://testserver"), follow=True)
    chosen = {"new_password1": "Nias-own-long-pass-7", "new_password2": "Nias-own-long-pass-7"}
    assert visitor.post(form.redirect_chain[-1][0], chosen).status_code == 302
    signed_in = visitor.post(
        "/accounts/login/", {"username": "nia.nwosu@example.ac.uk", "password": chosen["new_password1"]}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/evaluator/"


def test_an_account_olivia_opens_cannot_be_made_staff_or_given_groups_whatever_the_form_sends(officer_client):
    response = officer_client.post(ADD, NEW | {"is_staff": "on", "is_superuser": "on", "groups": "1", "username": "x"})

    assert response.status_code == 302
    nia = get_user_model().objects.get(email="Nia.Nwosu@example.ac.uk")
    assert not nia.is_staff and not nia.is_superuser
    assert list(nia.groups.values_list("name", flat=True)) == [EVALUATORS]


def test_an_email_address_another_account_has_is_refused_however_it_is_capitalised(officer_client, evaluator, officer):
    before = get_user_model().objects.count()
    for taken in ("EVE@example.org", " Olivia@Example.org "):
        response = officer_client.post(ADD, NEW | {"email": taken})
        assert response.status_code == 422
        assert "Another account has this email address already." in response.text
    assert get_user_model().objects.count() == before


def test_an_account_needs_a_name_and_an_email_address(officer_client):
    response = officer_client.post(ADD, {"first_name": "", "last_name": "", "email": ""})

    assert response.status_code == 422
    assert response.context["adminform"].form.errors == {
        "first_name": ["Enter the evaluator's first name."],
        "last_name": ["Enter the evaluator's last name."],
        "email": ["Enter the evaluator's email address."],
    }
    assert "This field is required" not in response.text
    assert not EvaluatorAccount.objects.exists()


def test_olivia_sees_only_evaluators_accounts_and_cannot_open_a_staff_one(officer_client, officer, evaluator):
    listed = officer_client.get(reverse("admin:evaluations_evaluatoraccount_changelist"))
    assert list(listed.context["cl"].result_list) == [EvaluatorAccount.objects.get(pk=evaluator.pk)]

    hers = officer_client.get(reverse("admin:evaluations_evaluatoraccount_change", args=[officer.pk]))
    assert hers.status_code == 302  # Django's answer for a record not in the list: back to the list
    assert officer_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_olivia_switches_an_account_off_rather_than_removing_it(officer_client, evaluator):
    change = reverse("admin:evaluations_evaluatoraccount_change", args=[evaluator.pk])
    data = {"first_name": evaluator.first_name, "last_name": "Evans", "email": evaluator.email}  # no is_active: off

    assert officer_client.post(change, data).status_code == 302
    evaluator.refresh_from_db()
    assert not evaluator.is_active and evaluator.last_name == "Evans"
    delete = reverse("admin:evaluations_evaluatoraccount_delete", args=[evaluator.pk])
    assert officer_client.get(delete).status_code == 403


def test_olivia_sends_the_invitation_again_to_the_accounts_that_can_sign_in(
    officer_client, evaluator, other_evaluator, django_capture_on_commit_callbacks
):
    other_evaluator.is_active = False
    other_evaluator.save()
    data = {"action": "send_invitation", "_selected_action": [evaluator.pk, other_evaluator.pk]}

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("admin:evaluations_evaluatoraccount_changelist"), data, follow=True)

    assert [message.to for message in mail.outbox] == [[evaluator.email]]
    assert "Invitations went to 1 account." in response.text
    assert "1 switched-off account got none." in response.text


def test_eve_is_told_at_her_old_address_when_olivia_changes_her_accounts_email_address(
    officer_client, evaluator, django_capture_on_commit_callbacks
):
    change = reverse("admin:evaluations_evaluatoraccount_change", args=[evaluator.pk])
    data = {"first_name": "Eve", "last_name": "Evans", "email": "eve.evans@example.ac.uk", "is_active": "on"}

    with django_capture_on_commit_callbacks(execute=True):
        assert officer_client.post(change, data).status_code == 302

    (told,) = mail.outbox
    assert told.to == ["eve@example.org"]
    assert "from eve@example.org to eve.evans@example.ac.uk" in told.body


def test_nia_signs_in_with_her_new_address_once_olivia_changes_it_and_her_old_one_is_free_again(officer_client):
    officer_client.post(ADD, NEW)
    nia = EvaluatorAccount.objects.get(email=NEW["email"])
    nia.set_password("Nias-own-long-pass-7")
    nia.save()
    change = reverse("admin:evaluations_evaluatoraccount_change", args=[nia.pk])
    data = change_form_data(officer_client, nia) | {"email": "Nia.Okafor@example.ac.uk"}

    assert officer_client.post(change, data).status_code == 302

    nia.refresh_from_db()
    assert nia.username == "nia.okafor@example.ac.uk"
    for address, signs_in in (("Nia.Okafor@example.ac.uk", True), ("Nia.Nwosu@example.ac.uk", False)):
        response = Client().post("/accounts/login/", {"username": address, "password": "Nias-own-long-pass-7"})
        assert (response.status_code == 302) is signs_in, address
    other = {"first_name": "Nia", "last_name": "Nwosu", "email": "nia.nwosu@example.ac.uk"}
    assert officer_client.post(ADD, other).status_code == 302  # her old address, for someone else


def test_an_account_switched_off_by_one_officer_is_not_switched_back_on_by_another_whose_page_was_older(
    officer_client, officer, evaluator
):
    change = reverse("admin:evaluations_evaluatoraccount_change", args=[evaluator.pk])
    other = client_for(factories_officer())
    first = change_form_data(officer_client, EvaluatorAccount.objects.get(pk=evaluator.pk))
    second = change_form_data(other, EvaluatorAccount.objects.get(pk=evaluator.pk))
    assert first["opened_state"]
    del first["is_active"]  # olivia switches the account off
    first["last_name"] = "Evans"

    assert officer_client.post(change, first).status_code == 302
    refused = other.post(change, second | {"last_name": "Osborne"})

    assert refused.status_code == 422
    assert "Someone else saved this record after you opened it" in refused.text
    evaluator.refresh_from_db()
    assert not evaluator.is_active and evaluator.last_name == "Evans"


def test_eve_signing_in_while_olivia_has_her_account_open_does_not_stop_olivias_save(officer_client, evaluator):
    change = reverse("admin:evaluations_evaluatoraccount_change", args=[evaluator.pk])
    opened = change_form_data(officer_client, EvaluatorAccount.objects.get(pk=evaluator.pk))
    get_user_model().objects.filter(pk=evaluator.pk).update(last_login="2026-12-01T10:00:00Z")  # eve signs in

    assert officer_client.post(change, opened | {"last_name": "Evans"}).status_code == 302
    evaluator.refresh_from_db()
    assert evaluator.last_name == "Evans"
