"""Shared fixtures: the people who use the portal, and a small programme to test against.

Personas
- officer (Olivia): a programme officer at the LGA, staff, in the "Programme officers" group.
- evaluator (Eve): an independent evaluator, assigned to the evaluations she works on.
- other_evaluator (Oscar): another evaluator, assigned to nothing of Eve's.
- admin_user (Ada): an administrator (superuser) who also manages users.
- anonymous: a member of the public, not signed in.
"""

import os

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.test import Client

from evaluations.roles import EVALUATORS, PROGRAMME_OFFICERS
from tests import factories

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses
# synchronous calls from such a thread unless told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-Long-test-passphrase-42"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Pages are rendered afresh in tests; the public page cache has tests of its own.
    settings.PUBLIC_CACHE_SECONDS = 0
    cache.clear()
    # The manifest storage needs collectstatic; tests serve the source files instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(username, *, group=None, **extra):
    user = User.objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, first_name=username.title(), **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def officer(db):
    return _user("olivia", group=PROGRAMME_OFFICERS, is_staff=True)


@pytest.fixture
def evaluator(db):
    return _user("eve", group=EVALUATORS)


@pytest.fixture
def other_evaluator(db):
    return _user("oscar", group=EVALUATORS)


@pytest.fixture
def admin_user(db):
    return _user("ada", is_staff=True, is_superuser=True)


@pytest.fixture
def anonymous():
    return Client()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer_client(officer):
    return client_for(officer)


@pytest.fixture
def evaluator_client(evaluator):
    return client_for(evaluator)


@pytest.fixture
def other_evaluator_client(other_evaluator):
    return client_for(other_evaluator)


@pytest.fixture
def admin_client_(admin_user):
    return client_for(admin_user)


@pytest.fixture
def programme(db):
    """A small programme: two phases, a few published partnerships and one draft."""
    return factories.small_programme()


@pytest.fixture
def leading_places(db):
    """The real Leading Places data, loaded from the data file as the portal ships it."""
    from evaluations.loading import load_leading_places
    from partnerships.loading import read_data

    return load_leading_places(read_data())


# Browser tests: the machine's own Chromium, never a downloaded one.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }
