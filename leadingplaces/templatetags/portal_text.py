"""Template filters for the portal's wording."""

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def duration(delta):
    """A timedelta in words: "30 minutes", "1 hour, 30 minutes"."""
    now = timezone.now()
    return timesince(now - delta, now)
