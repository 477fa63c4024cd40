"""Every column that a list filters or sorts on leads an index, so no list reads a whole table."""

import pytest
from django.contrib import admin
from django.db import connection

from partnerships.models import Institution, Partnership
from tests.admin.test_admin_smoke import MODELS

pytestmark = pytest.mark.django_db


def _indexes(model):
    """The column lists of the table's indexes (unique constraints and primary key included)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [tuple(c["columns"]) for c in constraints.values() if c["index"] or c["unique"] or c["primary_key"]]


def _led_by_an_index(model, columns):
    columns = tuple(columns)
    return any(index[: len(columns)] == columns for index in _indexes(model))


def _hops(model, path):
    """(model, column) for each step of a lookup path such as "partnership__phase"."""
    hops = []
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many:
            through = field.remote_field.through
            hops.append((through, through._meta.get_field(model._meta.model_name).column))
        elif field.one_to_many:  # a reverse foreign key: the join reads the other table's key
            hops.append((field.related_model, field.field.column))
        elif field.concrete:
            hops.append((model, field.column))
        if field.is_relation:
            model = field.related_model
    return hops


def _filters(model_admin):
    for item in model_admin.list_filter:
        if isinstance(item, str):
            yield item
        elif isinstance(item, tuple):
            yield item[0]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_back_office_filter_reads_an_index(model):
    model_admin = admin.site._registry[model]
    for path in _filters(model_admin):
        for table, column in _hops(model, path):
            assert _led_by_an_index(table, [column]), (
                f"{model._meta.label} filter {path}: {table._meta.db_table}.{column}"
            )


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_back_office_list_is_sorted_along_an_index(model):
    ordering = admin.site._registry[model].get_ordering(None) or model._meta.ordering
    fields = [name.lstrip("-") for name in ordering]
    if any("__" in name for name in fields):
        pytest.skip(f"{model._meta.label} sorts by a related table's column, over a short table")
    columns = [model._meta.get_field(name).column for name in fields]
    assert _led_by_an_index(model, columns), f"{model._meta.label} sorted by {columns}"


@pytest.mark.parametrize(
    ("model", "path"),
    [
        (Partnership, "phase"),
        (Partnership, "status"),
        (Partnership, "region"),
        (Partnership, "themes"),
        (Partnership, "memberships__institution__kind"),
        (Institution, "kind"),
    ],
)
def test_every_public_filter_reads_an_index(model, path):
    for table, column in _hops(model, path):
        assert _led_by_an_index(table, [column]), f"{table._meta.db_table}.{column}"
