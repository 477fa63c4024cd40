"""A pg_dump of the portal restored into a fresh database brings back every record, history included."""

import shutil
import subprocess
import uuid

import pytest
from django.apps import apps
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _counts(cursor):
    tables = sorted(model._meta.db_table for model in apps.get_models(include_auto_created=True) if model._meta.managed)
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # table names come from the models
        counts[table] = cursor.fetchone()[0]
    return counts


def test_a_dump_restored_into_a_fresh_database_has_every_record_and_its_history(leading_places, officer):
    if connection.vendor != "postgresql":
        pytest.skip("Backups are pg_dump/pg_restore: run the suite with DATABASE_URL on PostgreSQL.")
    if not shutil.which("pg_dump"):
        pytest.fail("pg_dump is not installed, so backups cannot be tested.")
    from partnerships.models import Partnership

    edited = Partnership.objects.get(slug="hull")
    edited.title = "Inclusive growth in Hull, revised"
    edited.save()

    settings = connection.settings_dict
    args = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432), "-U", settings["USER"]]
    restored = f"restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        before = _counts(cursor)
    assert before["partnerships_historicalpartnership"] > 21

    dump = subprocess.run(["pg_dump", *args, "-Fc", settings["NAME"]], capture_output=True, check=True).stdout
    subprocess.run(["createdb", *args, restored], check=True)
    try:
        subprocess.run(["pg_restore", *args, "--no-owner", "-d", restored], input=dump, check=True)
        import psycopg2

        other = psycopg2.connect(host=args[1], port=args[3], user=args[5], dbname=restored)
        with other, other.cursor() as cursor:
            after = _counts(cursor)
            cursor.execute("SELECT title FROM partnerships_partnership WHERE slug = 'hull'")
            assert cursor.fetchone()[0] == "Inclusive growth in Hull, revised"
        other.close()
    finally:
        subprocess.run(["dropdb", *args, "--if-exists", restored], check=True)
    assert after == before
