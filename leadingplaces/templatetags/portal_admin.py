"""Template filters for the back office's own pages."""

from django import template
from django.db.models import QuerySet

register = template.Library()


@register.filter
def published_only(records):
    """Those of the records that are on the public pages now (a published partnership or evaluation),
    read with what their names show, in one query however many."""
    if isinstance(records, QuerySet):
        records = records.select_related(*getattr(records.model, "named_with", ()))
    return [record for record in records if getattr(record, "is_published", False)]
