"""Template filters and tags for the back office's own pages."""

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.utils.text import capfirst

register = template.Library()


@register.filter
def published_only(records):
    """Those of the records that are on the public pages now (a published partnership or evaluation),
    read with what their names show, in one query however many."""
    if isinstance(records, QuerySet):
        records = records.select_related(*getattr(records.model, "named_with", ()))
    return [record for record in records if getattr(record, "is_published", False)]


@register.simple_tag
def errors_listed(adminform, inline_admin_formsets):
    """Every error on a back-office record page as (what it says, the id of the box it is about),
    so that the page can list them at its top, each linked to its box: an error in a row of a
    list far down the page (a partnership's partners, say) is otherwise easy to miss. The id is
    that of the row, or of the list, for an error about a whole row or list."""
    listed = _form_errors(adminform.form, "", "")
    for inline in inline_admin_formsets:
        formset, heading = inline.formset, capfirst(inline.opts.verbose_name_plural)
        listed += [(f"{heading}: {error}", f"{formset.prefix}-group") for error in formset.non_form_errors()]
        for number, form in enumerate(formset.forms):
            if formset.can_delete and formset._should_delete_form(form):
                continue  # being removed: its errors do not stop the save, as Django's own list knows
            listed += _form_errors(form, f"{heading}, row {number + 1}", f"{formset.prefix}-{number}")
    return listed


def _form_errors(form, where, row_id):
    listed = []
    gone = form.has_error(NON_FIELD_ERRORS, "gone")  # the row was removed: its hidden id's error says no more
    for name, errors in form.errors.items():
        field = form[name] if name in form.fields else None
        if field is None or field.is_hidden:
            if gone and field is not None:
                continue
            box, label = row_id, where
        else:
            box, label = _box_of(field) or row_id, ", ".join(filter(None, [where, str(field.label)]))
        listed += [(f"{label}: {error}" if label else error, box) for error in errors]
    return listed


def _box_of(field):
    """The id of the box a field's error link goes to: its own; a date and time's first box; or
    the group of a list of checkboxes."""
    widget = getattr(field.field.widget, "widget", field.field.widget)  # inside the admin's related-links wrapper
    if field.id_for_label:
        return field.id_for_label
    if isinstance(widget, forms.MultiWidget) and field.auto_id:
        return f"{field.auto_id}_0"
    return field.auto_id or None
