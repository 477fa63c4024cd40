"""Signing in: lockout after repeated failures, password reset by email, sessions that end, and a log."""

import logging
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def _attempt(username, password, address):
    return Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password})


def test_eve_signs_in_and_lands_on_her_evaluations(evaluator):
    response = _attempt("eve", PASSWORD, "10.0.0.1")
    assert response.status_code == 302 and response["Location"] == "/evaluator/"


def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(evaluator):
    response = _attempt("eve", "wrong", "10.0.0.1")
    assert response.status_code == 422
    # Once, in the error summary at the top of the form.
    assert response.text.count("The username or email address, or the password, is not right.") == 1
    assert 'class="error-summary"' in response.text


def test_each_failure_says_how_many_tries_are_left_before_sign_in_is_paused(evaluator, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    first = _attempt("eve", "wrong", "10.0.0.7")
    assert (
        "You can try 4 more times. After that, signing in with these details from your connection is paused "
        "for 30\xa0minutes." in first.text
    )
    for _ in range(2):
        _attempt("eve", "wrong", "10.0.0.7")
    assert "You can try 1 more time. After that" in _attempt("eve", "wrong", "10.0.0.7").text
    # Failures from another address are counted apart, as the lockout counts them.
    assert "You can try 4 more times." in _attempt("eve", "wrong", "10.0.0.8").text
    assert _attempt("eve", "wrong", "10.0.0.7").status_code == 429


def test_eve_sending_the_form_without_her_password_is_asked_for_it_not_warned_of_a_pause(evaluator):
    response = _attempt("eve", "", "10.0.0.10")
    assert response.status_code == 422
    assert "Enter your password." in response.text
    assert "more time" not in response.text and "paused" not in response.text


def test_a_username_typed_with_a_trailing_space_is_counted_as_django_axes_counts_it(evaluator):
    _attempt("eve ", "wrong", "10.0.0.9")
    assert "You can try 3 more times." in _attempt("eve ", "wrong", "10.0.0.9").text


def test_a_form_sent_without_a_username_gets_no_count_of_tries(evaluator):
    response = _attempt("", "wrong", "10.0.0.7")
    assert response.status_code == 422
    assert "You can try" not in response.text


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/accounts/login/", "The username or email address, or the password, is not right."),
        ("/admin/login/", "The username or email address, or the password, is not right for a staff account."),
    ],
)
def test_a_username_longer_than_any_is_a_wrong_username_not_an_error(evaluator, path, message):
    response = Client(REMOTE_ADDR="10.0.0.10").post(path, {"username": "u" * 300, "password": "wrong"})
    assert response.status_code == 422
    assert message in response.text
    # Counted under the 150 characters a username can have: the lockout's records hold no more.
    assert AccessAttempt.objects.get().username == "u" * 150


def test_eve_signs_out_and_is_told_so_on_the_home_page(evaluator, leading_places):
    client = Client()
    client.force_login(evaluator)
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "You have signed out." in response.text
    assert "You have signed out." not in client.get("/").text  # said once
    assert client.get("/evaluator/").status_code == 302  # and really signed out


def test_eve_opening_the_sign_out_address_as_a_link_gets_the_sign_out_button(evaluator, leading_places):
    client = Client()
    client.force_login(evaluator)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert '<form method="post" action="/accounts/logout/">' in page.text and "You are signed in as eve." in page.text
    assert client.get("/evaluator/").status_code == 200  # opening it signed nobody out
    client.logout()
    assert "You are not signed in" in client.get("/accounts/logout/").text


def test_repeated_failures_lock_that_username_from_that_address(evaluator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt("eve", "wrong", "10.0.0.66")
    locked = _attempt("eve", PASSWORD, "10.0.0.66")
    assert locked.status_code == 429
    assert "Sign-in is paused for this account" in locked.text
    assert "try again in 30\xa0minutes." in locked.text  # not the "PT30M" django-axes passes


def _reset_password(email, address):
    """A new password chosen through the emailed link, from `address`; returns the password."""
    client = Client(REMOTE_ADDR=address)
    client.post("/accounts/password_reset/", {"email": email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form = client.get(link, follow=True)
    new = "Another-long-pass-99"
    assert client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}).status_code == 302
    return new


def test_a_password_reset_lifts_the_lockout(evaluator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt("eve", "wrong", "10.0.0.66")
    new = _reset_password("eve@example.org", "10.0.0.66")

    assert _attempt("eve", new, "10.0.0.66").status_code == 302


def test_failures_from_another_address_cannot_lock_the_real_user_out(evaluator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _attempt("eve", "wrong", "203.0.113.9")
    assert _attempt("eve", PASSWORD, "10.0.0.1").status_code == 302


def _attempt_through_a_proxy(username, password, forwarded_for):
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_behind_a_proxy_failures_from_elsewhere_cannot_lock_the_real_user_out(evaluator, settings):
    settings.TRUSTED_PROXIES = 1  # nginx in front, appending the address it was reached from
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        # The attacker also sends the real user's address first, which is not believed.
        _attempt_through_a_proxy("eve", "wrong", "198.51.100.20, 203.0.113.9")
    assert _attempt_through_a_proxy("eve", "wrong", "203.0.113.9").status_code == 429  # the attacker is locked
    assert _attempt_through_a_proxy("eve", PASSWORD, "198.51.100.20").status_code == 302  # eve is not


@pytest.mark.parametrize("forwarded", ["not-an-address", "203.0.113.9, <script>", "1" * 300, ",,,"])
def test_behind_a_proxy_a_forwarded_entry_that_is_not_an_address_counts_as_the_proxy(evaluator, settings, forwarded):
    settings.TRUSTED_PROXIES = 1
    response = _attempt_through_a_proxy("eve", "wrong", forwarded)
    assert response.status_code == 422
    assert "The username or email address, or the password, is not right." in response.text
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(evaluator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt_through_a_proxy("eve", "wrong", "198.51.100.20")
    # All from 127.0.0.1 whatever the header says, so a changed header does not escape the lockout.
    assert _attempt_through_a_proxy("eve", PASSWORD, "192.0.2.1").status_code == 429


def test_a_password_can_be_reset_by_email(evaluator, anonymous):
    response = anonymous.post("/accounts/password_reset/", {"email": "eve@example.org"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["eve@example.org"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form = anonymous.get(link, follow=True)
    assert "Choose a new password" in form.text
    done = anonymous.post(
        form.redirect_chain[-1][0], {"new_password1": "Another-long-pass-99", "new_password2": "Another-long-pass-99"}
    )
    assert done.status_code == 302
    evaluator.refresh_from_db()
    assert evaluator.check_password("Another-long-pass-99")

    used = anonymous.get(link, follow=True)  # the link again, once used
    assert used.status_code == 410
    assert "<title>This link has expired" in used.text and "Ask for a new one" in used.text


def test_repeated_reset_requests_send_one_email_an_address_in_a_few_minutes(evaluator, anonymous):
    from django.core.cache import cache

    for _ in range(10):
        response = anonymous.post("/accounts/password_reset/", {"email": "EVE@example.org"})
        assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    cache.clear()  # as when the minutes have passed
    anonymous.post("/accounts/password_reset/", {"email": "eve@example.org"})
    assert len(mail.outbox) == 2


def test_weak_passwords_are_refused(evaluator, anonymous):
    anonymous.post("/accounts/password_reset/", {"email": "eve@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form = anonymous.get(link, follow=True)
    response = anonymous.post(form.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"})
    assert response.status_code == 422
    assert response.context["form"].errors == {"new_password1": ["This password is too common."]}


def test_sessions_end(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_sign_in_events_are_logged_with_the_request_id(evaluator, caplog):
    with caplog.at_level(logging.INFO, logger="leadingplaces.signin"):
        _attempt("eve", "wrong", "10.0.0.1")
        _attempt("eve", PASSWORD, "10.0.0.1")
    messages = [record.getMessage() for record in caplog.records if record.name == "leadingplaces.signin"]
    assert "Failed sign-in for username 'eve' from 10.0.0.1" in messages
    assert any(m.startswith("Sign-in: user") for m in messages)
    assert all(len(record.request_id) == 32 for record in caplog.records if record.name == "leadingplaces.signin")
    assert PASSWORD not in caplog.text


def test_a_form_sent_from_an_expired_page_gets_a_plain_explanation(evaluator):
    # Signed out in another tab, say: the form's security token no longer matches.
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "eve", "password": PASSWORD})
    assert response.status_code == 403
    assert "The form could not be sent" in response.text
    assert "Nothing was saved." in response.text and "accepts cookies" in response.text
    assert "CSRF verification failed" not in response.text


def test_eve_signs_in_with_her_email_address_or_her_username_in_capitals(evaluator):
    assert _attempt("eve@example.org", PASSWORD, "10.0.0.21").status_code == 302
    assert _attempt("EVE", PASSWORD, "10.0.0.22").status_code == 302
    assert _attempt("Eve@Example.org", PASSWORD, "10.0.0.23").status_code == 302


def test_failures_at_one_account_count_together_however_its_name_is_typed(evaluator):
    _attempt("eve", "wrong", "10.0.0.24")
    _attempt("EVE", "wrong", "10.0.0.24")
    response = _attempt("eve@example.org", "wrong", "10.0.0.24")
    assert "You can try 2 more times." in response.text
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"eve"}


def test_a_username_that_two_accounts_share_in_other_capitals_signs_in_only_as_typed(evaluator):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="EVE", email="other@example.org", password=PASSWORD + "-other")
    assert _attempt("Eve", PASSWORD, "10.0.0.25").status_code == 422  # it names two accounts: neither is guessed
    assert _attempt("EVE", PASSWORD + "-other", "10.0.0.25").status_code == 302


def test_an_empty_sign_in_form_says_what_to_enter_in_words(evaluator):
    response = Client().post("/accounts/login/", {"username": "", "password": ""})
    assert response.status_code == 422
    assert "Enter your username or email address." in response.text
    assert "Enter your password." in response.text


def test_tries_at_a_name_that_is_no_account_count_together_however_it_is_capitalised(evaluator):
    # Counted apart, they told an account's name (whose tries count together) from any other.
    _attempt("nobody@example.org", "wrong", "10.0.0.26")
    assert "You can try 3 more times." in _attempt("NOBODY@example.org", "wrong", "10.0.0.26").text


def test_a_password_reset_lifts_the_lockout_of_an_account_whose_name_has_capitals(settings):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="Olga", email="olga@example.org", password=PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt("Olga", "wrong", "10.0.0.27")
    assert _attempt("Olga", PASSWORD, "10.0.0.27").status_code == 429
    new = _reset_password("olga@example.org", "10.0.0.27")

    assert _attempt("Olga", new, "10.0.0.27").status_code == 302


def test_an_officer_signs_in_to_the_back_office_with_her_email_address(officer):
    response = Client().post("/admin/login/", {"username": "OLIVIA@example.org", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_nul_character_in_the_username_is_a_wrong_sign_in_not_an_error(evaluator, path):
    # PostgreSQL refuses NUL in a query; the form refuses it first, so no account is looked up.
    response = Client().post(path, {"username": "eve\x00@example.org", "password": PASSWORD})
    assert response.status_code == 422
    assert "Null characters are not allowed." in response.text


def test_eve_signing_in_to_the_back_office_with_her_own_password_is_told_where_evaluators_sign_in(evaluator):
    client = Client()
    response = client.post("/admin/login/", {"username": "eve", "password": PASSWORD})

    assert response.status_code == 422
    assert "This account is an evaluator’s, and the back office is for programme officers." in response.text
    assert 'href="/accounts/login/"' in response.text and 'href="/accounts/password_reset/"' in response.text
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()  # her password was right: not a failed try


def test_eve_already_signed_in_who_opens_the_back_office_is_taken_to_her_evaluations(evaluator):
    client = Client()
    client.force_login(evaluator)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/evaluator/"
    assert "The back office is for programme officers. Your evaluations are here." in response.text


def test_eve_changing_her_password_is_told_in_plain_words_what_to_put_right(evaluator):
    client = Client()
    client.force_login(evaluator)

    empty = client.post("/accounts/password_change/", {})
    wrong = client.post(
        "/accounts/password_change/",
        {"old_password": "not-it", "new_password1": "Another-long-pass-99", "new_password2": "Another-long-pass-98"},
    )

    assert empty.status_code == wrong.status_code == 422
    assert "Current password: Enter your current password." in empty.text
    assert "New password: Enter a new password." in empty.text
    assert "Confirm the new password: Enter the new password again." in empty.text
    assert "Your current password is not right. Enter it again." in wrong.text
    assert "The two passwords are not the same. Type the new password in both boxes again." in wrong.text
    assert "This field is required" not in empty.text and "Old password" not in empty.text
    evaluator.refresh_from_db()
    assert evaluator.check_password(PASSWORD)


def test_eve_choosing_too_short_a_new_password_is_told_so_by_its_own_box(evaluator):
    client = Client()
    client.force_login(evaluator)

    response = client.post(
        "/accounts/password_change/", {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    )

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["new_password1"]
    assert "This password is too short." in errors["new_password1"][0]
    assert 'href="#id_new_password1"' in response.text


def test_a_reset_asked_for_without_an_email_address_says_what_to_enter(anonymous):
    empty = anonymous.post("/accounts/password_reset/", {"email": ""})
    malformed = anonymous.post("/accounts/password_reset/", {"email": "eve at example"})

    assert empty.status_code == malformed.status_code == 422
    assert "Email address: Enter the email address of your account." in empty.text
    assert "Enter an email address in the correct format, like name@example.org." in malformed.text
    assert not mail.outbox


def test_a_new_password_from_a_reset_link_typed_differently_twice_is_refused_in_plain_words(evaluator):
    client = Client(REMOTE_ADDR="10.0.0.77")
    client.post("/accounts/password_reset/", {"email": "eve@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form = client.get(link, follow=True)

    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Another-long-pass-99", "new_password2": "Another-long-pass-98"}
    )

    assert response.status_code == 422
    assert "The two passwords are not the same." in response.text and "Confirm the new password" in response.text


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_username_of_100000_characters_is_a_wrong_sign_in_not_a_failing_lookup(evaluator, path):
    response = Client(REMOTE_ADDR="10.0.0.11").post(path, {"username": "u" * 100_000, "password": "x"})
    assert response.status_code == 422
    assert "The username or email address, or the password, is not right" in response.text


def test_an_account_neither_staff_nor_an_evaluators_is_told_only_that_its_details_are_wrong(db):
    from tests.conftest import _user

    _user("fred")  # an officer's account whose staff status was taken away, say

    response = Client().post("/admin/login/", {"username": "fred", "password": PASSWORD})

    assert response.status_code == 422
    assert "is not right for a staff account" in response.text and "This account is an evaluator" not in response.text


def test_eve_signed_in_can_still_sign_in_to_the_back_office_as_olivia_on_the_same_browser(evaluator, officer):
    client = Client()
    client.force_login(evaluator)

    response = client.post("/admin/login/", {"username": "olivia", "password": PASSWORD, "next": "/admin/"})

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert int(client.session["_auth_user_id"]) == officer.pk


def test_the_back_office_sign_in_page_is_headed_by_what_it_is_for_and_says_sign_in_throughout(anonymous):
    page = anonymous.get("/admin/login/")
    assert re.findall(r"<h1>(.*?)</h1>", page.text) == ["Sign in to the back office"]
    assert "<title>Sign in | Leading Places back office</title>" in page.text
    assert '<input type="submit" value="Sign in">' in page.text
    assert 'id="login-form" novalidate>' in page.text  # an empty form gets the page's words, not the browser's
    assert "Log in" not in page.text and "login credentials" not in page.text


def test_fred_signed_in_with_an_account_of_no_role_who_opens_the_back_office_is_told_whose_account_it_needs(db):
    fred = User.objects.create_user("fred", password=PASSWORD)
    page = client_for(fred).get("/admin/login/")
    assert "You are signed in as fred, whose account cannot use the back office." in page.text
    assert "sign in with a programme officer's account" in page.text
