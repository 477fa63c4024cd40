"""A migration that adds a rule refuses, in words, a database that breaks it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("partnerships", "0007_document_file_field")]
AFTER = [("partnerships", "0008_one_partnership_per_place_per_phase")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_database_with_two_partnerships_of_a_place_in_one_phase_is_named_before_the_rule_is_added():
    apps = _migrate(BEFORE)
    Programme, Phase = apps.get_model("partnerships", "Programme"), apps.get_model("partnerships", "Phase")
    Place, Partnership = apps.get_model("partnerships", "Place"), apps.get_model("partnerships", "Partnership")
    programme = Programme.objects.create(name="Leading Places", slug="leading-places")
    phase = Phase.objects.create(
        programme=programme,
        number=2,
        name="Phase 2",
        slug="phase-2",
        start_date=datetime.date(2017, 7, 1),
        end_date=datetime.date(2018, 3, 31),
    )
    bedford = Place.objects.create(name="Bedford", slug="bedford")
    for slug in ("bedford", "bedford-2"):
        Partnership.objects.create(phase=phase, place=bedford, slug=slug, title=slug)
    try:
        with pytest.raises(RuntimeError, match=r"these have more: Bedford in Phase 2 \(2 partnerships\)\. Give each"):
            _migrate(AFTER)
        Partnership.objects.filter(slug="bedford-2").delete()
    finally:
        _migrate(_latest())
    assert Partnership.objects.count() == 1


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
