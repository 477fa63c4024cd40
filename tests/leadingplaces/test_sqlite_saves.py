"""On SQLite (what `scripts/start` runs on), two people saving at the same moment both succeed:
the second waits for the first rather than failing with "database is locked"."""

import contextlib
import threading

import pytest
from django.db import connection, connections, transaction

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own locking")


def _save_as_a_request_does(alias, value, barrier, errors):
    """Read, wait for the other request to have read too, then write: in one transaction, as
    every request is (ATOMIC_REQUESTS)."""
    try:
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM saved")
            # Broken when the other request waits for this one to finish instead, as it should.
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=2)
            cursor.execute("INSERT INTO saved (value) VALUES (%s)", [value])
    except Exception as error:  # noqa: BLE001 - the test reports whatever a save raised
        errors.append(error)
    finally:
        connections[alias].close()


@pytest.fixture
def portal_file_database(tmp_path, django_db_blocker):
    """An alias for a database in a file, set up as the portal's own; not the test database,
    which is in memory and locks differently."""
    alias = "two_saves"
    connections.settings[alias] = {**connections.settings["default"], "NAME": str(tmp_path / "portal.sqlite3")}
    with django_db_blocker.unblock():
        yield alias
        connections[alias].close()
    del connections.settings[alias]


def test_two_saves_at_the_same_moment_on_sqlite_both_succeed(portal_file_database):
    alias = portal_file_database
    with connections[alias].cursor() as cursor:
        cursor.execute("CREATE TABLE saved (value TEXT)")
    connections[alias].close()
    barrier, errors = threading.Barrier(2), []
    requests = [
        threading.Thread(target=_save_as_a_request_does, args=(alias, value, barrier, errors))
        for value in ("eve", "evan")
    ]
    for request in requests:
        request.start()
    for request in requests:
        request.join(timeout=30)

    assert errors == []
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT value FROM saved ORDER BY value")
        assert [row[0] for row in cursor.fetchall()] == ["evan", "eve"]
