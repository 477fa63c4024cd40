"""Template filters for the back office's own pages."""

from django import template

register = template.Library()


@register.filter
def published_only(records):
    """Those of the records that are on the public pages now (a published partnership or evaluation)."""
    return [record for record in records if getattr(record, "is_published", False)]
