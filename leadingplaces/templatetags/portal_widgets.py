"""Template tags for form widgets."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _html(value):
    """Escaped text, or the value as it is when it is already HTML-safe."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def _attributes(attrs):
    return "".join(
        f" {name}" if value is True else f' {name}="{_html(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


@register.simple_tag
def select_options(optgroups):
    """A select's <option>s and <optgroup>s, the same HTML as Django's option template writes,
    but in plain Python: a template render per option made long lists (the phases of every
    programme, the admin's choices) the most expensive part of a page."""
    parts = []
    for group_name, options, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{_html(group_name)}">')
        for option in options:
            value, attributes, label = _html(option["value"]), _attributes(option["attrs"]), _html(option["label"])
            parts.append(f'\n  <option value="{value}"{attributes}>{label}</option>')
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # noqa: S308 - every value and label above is escaped
