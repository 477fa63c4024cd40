"""Template filters for the portal's wording."""

import re

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def duration(delta):
    """A timedelta in words: "30 minutes", "1 hour, 30 minutes"."""
    now = timezone.now()
    return timesince(now - delta, now)


BULLET = re.compile(r"^[-•]\s+")


@register.filter(needs_autoescape=True)
def paragraphs(text, autoescape=True):
    """Text in paragraphs, as Django's `linebreaks` gives it, except that a paragraph whose every
    line begins with "- " (or "• ") is a bulleted list, as in the source documents."""
    escape = conditional_escape if autoescape else str
    html = []
    for block in re.split(r"\n\s*\n", normalize_newlines(str(text)).strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(BULLET.match(line) for line in lines):
            items = "".join(f"<li>{escape(BULLET.sub('', line))}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{'<br>'.join(escape(line) for line in lines)}</p>")
    return mark_safe("\n\n".join(html))  # noqa: S308 - every part escaped above
