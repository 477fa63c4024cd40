"""Back-office behaviour shared by the programme and evaluation admins."""

import csv
import dataclasses
import datetime
import io
import zipfile
from itertools import pairwise

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import NestedObjects, quote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ImportForm, SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name
from tablib.exceptions import InvalidDimensions

from leadingplaces.fingerprints import fingerprint

from .documents import FileRefusedFirst, not_readable_as_a_sheet, say_chosen_file_not_kept
from .forms import said_in_words
from .history import last_version_id, one_version_per_save
from .models import NO_ROOM_AFTER_LAST, POSITION_MOST
from .resources import CHANGED_SINCE_CHECKED, other_separator
from .views import CSV_BOM, spreadsheet_cell

STALE_MESSAGE = (
    "Someone else saved this record after you opened it, so your changes were not saved. "
    "Open the record again to see their changes, then make yours."
)


class HistoryInWords(HistoricalRecordContextHelper):
    """A history page's changes as the record's page shows its values: a choice by its name
    ("North West", not "north-west"), a list as its names ("Health, Skills", not "[Health,
    Skills]"), yes or no, "(empty)" for an empty value and "(none)" for an empty list."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(value, list):
            return ", ".join(map(str, value)) or "(none)"
        if value is None or value == "":
            return "(empty)"
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if field.flatchoices:
            return dict(field.flatchoices).get(value, value)
        return value


# Django's message for an action chosen with no record ticked.
NOTHING_TICKED = "Items must be selected in order to perform actions on them. No items have been changed."


class PortalAdmin(SimpleHistoryAdmin):
    """What every back-office list shares: history, 50 rows a page and no count of the whole table."""

    list_per_page = 50
    show_full_result_count = False

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryInWords(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        obj._last_version_before_save = request.last_version_before_save = last_version_id(obj) if change else 0
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        one_version_per_save(form.instance)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return said_in_words(super().formfield_for_dbfield(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = PortalAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if request.method == "POST" and context.get("errors"):
            # A document chosen in a row of a page sent back for another row's error is not kept.
            for inline in context.get("inline_admin_formsets", []):
                for form in inline.formset.forms:
                    say_chosen_file_not_kept(form)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        """Django's list, headed by what it lists ("Partnerships"), where Django's heading asks to
        "Select partnership to change"."""
        title = capfirst(self.model._meta.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def message_user(self, request, message, *args, **kwargs):
        """Django's messages, but that of an action chosen with no record ticked says what to do."""
        if message == gettext(NOTHING_TICKED):
            plural = self.model._meta.verbose_name_plural
            message = f"Nothing was changed: tick one or more {plural} in the list first, then choose the action."
        super().message_user(request, message, *args, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        _must_be_a_number(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """The page that saves an old version again, which first says so when that changes what
        the public sees."""
        _must_be_a_number(object_id, version_id)
        if request.method == "GET":
            current = self.model._default_manager.filter(pk=object_id).first()
            version = self.model.history.filter(pk=version_id, **{self.model._meta.pk.attname: object_id}).first()
            may_save = current is not None and not self.revert_disabled(request, current)
            if may_save and version is not None and (warning := self.revert_warning(current, version)):
                messages.warning(request, warning)
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302 and hasattr(request, "last_version_before_save"):
            # django-simple-history saves the lists itself, without save_related.
            record = self.model._default_manager.get(pk=object_id)
            record._last_version_before_save = request.last_version_before_save
            one_version_per_save(record)
        if request.method == "POST" and response.status_code == 200:
            # Shown again with what stopped the save (a saved version redirects), as any refused
            # form answers; django-simple-history renders it without a context to read.
            response.status_code = 422
        return response

    def revert_warning(self, current, version):
        """What an officer is told before saving an old version that changes the public pages."""
        if not hasattr(current, "is_published"):
            return None
        name = current._meta.verbose_name
        if not current.is_published:
            if version.instance.is_published:
                return (
                    f"This {name} is a draft, and this version of it is published: saving it puts the {name} "
                    "on the public pages."
                )
            return None
        if not version.instance.is_published:
            return (
                f"This {name} is on the public pages, and this version of it is a draft: saving it takes the "
                f"{name} off them."
            )
        return f"This {name} is on the public pages: saving this version changes what they show at once."

    def action_checkbox(self, obj):
        """Django's own row checkbox, the same HTML written directly: rendering it as a form widget,
        three templates a row, was a third of a list page's cost."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select this object for an action - {}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            str(obj),
        )

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """django-simple-history's differences between versions, except that the tracked lists (a
        partnership's themes, a finding's partnerships and outcomes) are read in one query each for
        the whole page, where django-simple-history reads them twice a version."""
        versions = list(historical_records)
        lists = [field.name for field in self.model.history.model._history_m2m_fields]
        chosen = {name: self._chosen_in(versions, name) for name in lists}
        records = {name: self._records_named(name, chosen[name]) for name in lists}
        for new, old in pairwise(versions):
            delta = new.diff_against(old, excluded_fields=lists, foreign_keys_are_objs=foreign_keys_are_objs)
            changes = [*delta.changes]
            for name in lists:
                before, after = chosen[name][old.pk], chosen[name][new.pk]
                if before != after:
                    target = get_m2m_reverse_field_name(self.model._meta.get_field(name))
                    rows = [
                        [{target: records[name][pk] if foreign_keys_are_objs else pk} for pk in pks]
                        for pks in (before, after)
                    ]
                    changes.append(ModelChange(name, *rows))
            changes.sort(key=lambda change: change.field)  # in field order, as django-simple-history lists them
            delta = dataclasses.replace(delta, changes=changes, changed_fields=[change.field for change in changes])
            helper = self.get_historical_record_context_helper(request, new)
            new.history_delta_changes = helper.context_for_delta_changes(delta)

    def _chosen_in(self, versions, name):
        """{version's history_id: the primary keys chosen in its list, in order}."""
        chosen = {version.pk: [] for version in versions}
        if versions:
            rows = getattr(versions[0], name).model.objects.filter(history__in=versions)
            target = get_m2m_reverse_field_name(self.model._meta.get_field(name))
            for version, pk in rows.order_by(target).values_list("history_id", f"{target}_id"):
                chosen[version].append(pk)
        return chosen

    def _records_named(self, name, chosen):
        """The records chosen in any version, named in one query; one since deleted shows as
        deleted, as django-simple-history shows it."""
        related = self.model._meta.get_field(name).related_model
        pks = {pk for pks in chosen.values() for pk in pks}
        # The default manager: a partnership's leaves out the search vector, which no name shows.
        found = related._default_manager.select_related(*getattr(related, "named_with", ())).in_bulk(pks)
        return {pk: found.get(pk) or DeletedObject(related, pk) for pk in pks}

    def get_deleted_objects(self, objs, request):
        """What Django's delete confirmation lists, read as Django reads it, except that each
        related record comes with the records its name shows (see NamedNestedObjects)."""
        return deleted_objects(objs, request, self.admin_site)


def _first_line(upload):
    """The first line of an uploaded file, as text, without reading the rest."""
    if upload is None:
        return ""
    upload.seek(0)
    line = upload.readline(4096)
    upload.seek(0)
    return line.decode("utf-8-sig", errors="replace") if isinstance(line, bytes) else line


def _row_of_other_length(upload):
    """The first row of an uploaded CSV file with more cells than it has headings, as (its number
    in a spreadsheet, its cells, the headings), or None. Read again from the start: tablib refuses
    such a file without saying where (a row with fewer cells it fills out with empty ones)."""
    if upload is None:
        return None
    upload.seek(0)
    text = upload.read()
    upload.seek(0)
    rows = csv.reader(io.StringIO(text.decode("utf-8-sig", errors="replace") if isinstance(text, bytes) else text))
    try:
        headings = len(next(rows, []))
        found = next(((number, len(row)) for number, row in enumerate(rows, 2) if len(row) > headings), None)
    except csv.Error:
        return None
    return (*found, headings) if found else None


def _must_be_a_number(*ids):
    """Every record and version here is numbered: django-simple-history's pages fail with a server
    error on any other id in their address, where there is simply no such record."""
    if not all(value.isascii() and value.isdigit() and len(value) < 19 for value in ids):
        raise Http404("No such record.")


class RelatedFilter(admin.RelatedFieldListFilter):
    """Django's filter by a related record, whose choice for none says so ("No themes", or a
    subclass's `none_label`) rather than showing a bare "-"."""

    none_label = None

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.empty_value_display = self.none_label or f"No {field.verbose_name}"


NO_ROWS = "No valid data to import."  # how django-import-export's message of a file without rows begins
WHICH_SHEET = (
    "A workbook is read from the sheet that was open when it was last saved: if the records are on another "
    "sheet, open that sheet, save the workbook, then choose it again."
)


def _is_workbook(form):
    upload = form.files.get(form.add_prefix("import_file"))  # as sent: an error takes it out of cleaned_data
    return upload is not None and upload.name.lower().endswith(".xlsx")


def _say_why_no_rows(form):
    """django-import-export's "No valid data to import" said in words an officer can act on."""
    errors = form.errors.get("import_file", []) if form is not None and form.is_bound else []
    if any(str(error).startswith(NO_ROWS) for error in errors):
        message = "The file has its column headings but no rows below them to import."
        form.errors["import_file"] = form.error_class([f"{message} {WHICH_SHEET}" if _is_workbook(form) else message])


class SheetImportForm(ImportForm):
    """django-import-export's choice of a file, refusing at once a file that is plainly a document
    of another kind (a PDF, say), which it would read as text with neither headings nor rows.
    Checked by the portal rather than the browser, so that a form sent without a file is told so
    in words, at the top of the page as any refused form is."""

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].error_messages["required"] = "Choose the file to import."
        self.fields["format"].error_messages["required"] = "Choose the file's format: csv or xlsx."

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        chosen = dict(self.fields["format"].choices).get(cleaned.get("format"), "")
        if upload is not None:
            upload.seek(0)
            head = upload.read(8)
            upload.seek(0)
            if reason := not_readable_as_a_sheet(head, str(chosen).lower()):
                self.add_error("import_file", reason)
        return cleaned


class ConfirmAsCheckedForm(ConfirmImportForm):
    """django-import-export's confirmation of a checked file, carrying when it was checked."""

    checked_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_checked_at(self):
        try:
            checked_at = datetime.datetime.fromisoformat(self.cleaned_data["checked_at"])
        except ValueError:
            return None  # made by hand: confirmed as django-import-export would
        return checked_at if timezone.is_aware(checked_at) else None  # as the check wrote it, or by hand


class SheetExportForm(SelectableFieldsExportForm):
    """django-import-export's export form, with the first format (CSV) chosen, where it asked for
    one to be chosen from an empty box; and each column offered by its heading in the file, as
    the import page lists them ("outcomes_intro", not "Outcomes Intro")."""

    def _init_formats(self, formats):
        super()._init_formats(formats)
        self.fields["format"].choices = [choice for choice in self.fields["format"].choices if choice[0]]

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return field.column_name if field else field_name


class SpreadsheetMixin(ImportExportMixin):
    """Spreadsheet import and export (django-import-export), with a problem with the whole file,
    such as a missing column, given as a plain message rather than with a Python traceback.

    A confirmed import updates only records as they were when the file was checked: one that
    someone changed in between (an officer's edit on its page) would otherwise lose that edit to
    the file without a word, where a save from an older page is refused (BaseResource.import_instance)."""

    import_template_name = "admin/import_export/import_plain_errors.html"
    import_form_class = SheetImportForm
    export_form_class = SheetExportForm
    confirm_form_class = ConfirmAsCheckedForm

    def add_success_message(self, result, request):
        """What the confirmed import did, in the words its check used ("the same as saved" rather
        than django-import-export's "skipped", which reads as if rows had failed)."""
        totals = result.totals
        removed = f", {totals['delete']} removed" if totals["delete"] else ""
        messages.success(
            request,
            f"Import finished: {totals['new']} new, {totals['update']} changed{removed}, and {totals['skip']} the same "
            f"as saved {self.model._meta.verbose_name_plural}, left as they were.",
        )

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        return initial | {"checked_at": request.import_checked_at.isoformat()} if import_form else initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        if isinstance(form, ConfirmAsCheckedForm):
            kwargs["checked_at"] = form.cleaned_data.get("checked_at")
        return kwargs

    def add_data_read_fail_error_to_form(self, form, error):
        """A file that cannot be read is said so in words, where django-import-export names the
        Python exception ("'StopIteration' encountered while trying to read file")."""
        upload = form.cleaned_data.get("import_file")
        if isinstance(error, StopIteration):
            message = (
                "The file is empty: it has no rows, not even the column headings. A file exported from this "
                "page shows the columns it needs."
            )
            if _is_workbook(form):
                message += f" {WHICH_SHEET}"
        elif isinstance(error, csv.Error) and "field larger than field limit" in str(error):
            message = (
                f"A cell of the file holds more than {csv.field_size_limit():,} characters, far more than any "
                "field here takes: the file may be damaged, or a quotation mark may be missing its pair, so that "
                "the rest of the file reads as one cell. Check the file, then choose it again."
            )
        elif isinstance(error, UnicodeDecodeError):
            message = (
                "The file’s text is not in the UTF-8 encoding this import reads, as a CSV file saved by older "
                "versions of Excel is not. In Excel, save it as “CSV UTF-8 (Comma delimited)”, or as an XLSX "
                "workbook and choose XLSX, then choose the file again."
            )
        elif separator := other_separator(_first_line(upload)):
            message = (
                f"The file’s columns are separated by {separator} rather than commas. Save it as “CSV UTF-8 "
                "(Comma delimited)”, or as an XLSX workbook and choose XLSX, then choose the file again."
            )
        elif isinstance(error, InvalidDimensions) and (uneven := _row_of_other_length(upload)):
            row, cells, headings = uneven
            message = (
                f"Row {row} of the file has {cells} cells, and its first row only {headings} column headings: a row "
                "can have no more cells than there are headings. Look in that row for a comma too many, or a "
                "quotation mark without its pair, then choose the file again. Rows are numbered as in a spreadsheet."
            )
        else:
            message = (
                "The file could not be read. Check that the format chosen is the file’s own (CSV for a "
                ".csv file, XLSX for a spreadsheet saved from Excel), then choose the file again."
            )
        form.add_error("import_file", message)

    def import_action(self, request, **kwargs):
        """The import page, with each column an import reads said in words (see
        BaseResource.column_guide), after a file that could not be read as well."""
        request.import_checked_at = timezone.now()  # before the file's check reads any record
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None:
            _say_why_no_rows(context.get("form"))
            resources = [
                resource_class(**self.get_import_resource_kwargs(request))
                for resource_class in self.get_import_resource_classes(request)
            ]
            context["column_guides"] = [
                (resource._meta.model._meta.verbose_name_plural, resource.column_guide()) for resource in resources
            ]
        return response

    def process_result(self, result, request):
        """The confirmed import's outcome. When a row could no longer be imported (the records
        changed since the preview), nothing was applied: the officer is told so and sent back to
        choose the file again, where django-import-export reported the import as done and logged
        records that were never saved."""
        changed = [
            # Numbered as in a spreadsheet, where the headings are row 1, as the check's page numbers them.
            f"row {row.number + 1} ({message.removesuffix(CHANGED_SINCE_CHECKED).strip()})"
            for row in result.invalid_rows
            for message in row.error_dict.get(NON_FIELD_ERRORS, [])
            if message.endswith(CHANGED_SINCE_CHECKED)
        ]
        if changed:
            return self._back_to_import(
                request,
                f"Nothing was imported: someone changed records that the file updates after you checked it, at "
                f"{'; '.join(changed)}. Choose the file again: its check shows what it would change now, their "
                "changes included.",
            )
        if result.has_errors() or result.has_validation_errors():
            return self._back_to_import(
                request,
                "Nothing was imported: since the preview, the records have changed so that some rows can no longer "
                "be imported. Choose the file again to see which rows, and why.",
            )
        return super().process_result(result, request)

    def process_import(self, request, **kwargs):
        """The confirmed import; when its file is no longer there (the import was already
        confirmed, in another tab or by pressing twice) or the confirmation was tampered with,
        a message and the import page again, where django-import-export failed with a server error."""
        try:
            return super().process_import(request, **kwargs)
        except (OSError, IndexError, ValueError, zipfile.BadZipFile):  # gone, or a name or format not the preview's
            return self._back_to_import(
                request,
                "This import could not be confirmed: it may have been confirmed already (check the list), "
                "or it waited too long. Choose the file again to import it.",
            )

    def _back_to_import(self, request, message):
        """The import page again, with why the confirmed import did not happen."""
        self.message_user(request, message, messages.ERROR)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))


class NamedNestedObjects(NestedObjects):
    """Django's collector of the records a delete takes with it, reading with each one the records
    its name shows (the model's `named_with`, e.g. a membership's institution and partnership),
    where Django's own asks the database once per record listed."""

    def related_objects(self, related_model, related_fields, objs):
        queryset = super().related_objects(related_model, related_fields, objs)
        return queryset.select_related(*_named_with(related_model))


def _named_with(model):
    """What a record's name reads from other tables: the model's `named_with`; for the table
    behind a many-to-many list, the two records each row links, with what their names read."""
    if not model._meta.auto_created:
        return getattr(model, "named_with", ())
    ends = [f for f in model._meta.concrete_fields if f.is_relation]
    return [f.name for f in ends] + [f"{f.name}__{n}" for f in ends for n in getattr(f.related_model, "named_with", ())]


def _plural_name(model):
    """A model's name in the delete confirmation's summary: "links of partnerships to themes" for
    the table behind a many-to-many list, where Django says "Partnership-theme relationships"."""
    if not model._meta.auto_created:
        return model._meta.verbose_name_plural
    first, second = (f.related_model._meta.verbose_name_plural for f in model._meta.concrete_fields if f.is_relation)
    return f"links of {first} to {second}"


def _link_name(row):
    """A row of a many-to-many list, named by the records it links: "partnership Tynemouth –
    Phase 2 to theme Skills", where Django says "Partnership_themes object (26)"."""
    first, second = (f for f in row._meta.concrete_fields if f.is_relation)
    return f"{first.verbose_name} {getattr(row, first.name)} to {second.verbose_name} {getattr(row, second.name)}"


def deleted_objects(objs, request, admin_site):
    """django.contrib.admin.utils.get_deleted_objects (Django 5.2) with NamedNestedObjects."""
    if not objs:
        return [], {}, set(), []
    collector = NamedNestedObjects(using=router.db_for_write(objs[0]._meta.model), origin=objs)
    collector.collect(objs)
    perms_needed = set()

    def format_callback(obj):
        opts = obj._meta
        if opts.auto_created:
            return f"Link of {_link_name(obj)}"
        if not admin_site.is_registered(obj.__class__):
            return f"{capfirst(opts.verbose_name)}: {obj}"
        if not admin_site.get_model_admin(obj.__class__).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        try:
            url = reverse(f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
        except NoReverseMatch:
            return f"{capfirst(opts.verbose_name)}: {obj}"
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    model_count = {_plural_name(model): len(found) for model, found in collector.model_objs.items()}
    return to_delete, model_count, perms_needed, protected


class LabelledFromRow:
    """For Django's autocomplete boxes: label the chosen records from `chosen`, the records the
    row has already read, rather than with a query of the box's own; that query, one per box per
    row, made a long inline cost hundreds of queries. Anything else (a changed value sent back
    with an error, a new row) is labelled by Django's own query."""

    chosen = None

    def optgroups(self, name, value, attr=None):
        # Matched on the primary key: every autocomplete field here points at one (no to_field).
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.chosen is None or selected != {str(record.pk) for record in self.chosen}:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))  # the empty choice, as Django gives
        for record in self.chosen:
            label = self.choices.field.label_from_instance(record)
            options.append(self.create_option(name, record.pk, label, selected, len(options)))
        return [(None, options, 0)]


class LabelledAutocompleteSelect(LabelledFromRow, AutocompleteSelect):
    pass


class WithoutClearAll:
    """For a box of several choices: no select2 "clear all" button, which select2 draws as a span
    directly inside the list of chosen records, which is not list markup (axe-core's "list", WCAG
    1.3.1). Each chosen record keeps its own remove button."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-allow-clear"] = "false"
        return attrs


class PortalAutocompleteSelectMultiple(WithoutClearAll, AutocompleteSelectMultiple):
    pass


class ScopedAutocompleteSelectMultiple(PortalAutocompleteSelectMultiple):
    """A box of several choices that offers only records within what another field of the form
    has chosen (`scope_field`, e.g. an evaluation's phase): its script sends that field's value
    with each search, and the searched model's admin filters by it."""

    def __init__(self, field, admin_site, scope_field, **kwargs):
        super().__init__(field, admin_site, **kwargs)
        self.attrs["data-scope-field"] = scope_field

    @property
    def media(self):
        # Listed after Django's script, which it replaces a part of: media lists are merged by order.
        return super().media + forms.Media(js=["admin/js/autocomplete.js", "js/admin-autocomplete-scope.js"])


class LabelledAutocompleteSelectMultiple(LabelledFromRow, WithoutClearAll, AutocompleteSelectMultiple):
    pass


ROW_STALE_MESSAGE = (
    "Someone else changed this row after you opened the page, so your changes were not saved. "
    "Open the page again to see their change, then make yours."
)


ROW_GONE_MESSAGE = (
    "Someone else removed this row after you opened the page, so your changes were not saved. "
    "Open the page again to see what is there now, then make your changes."
)


def row_state(form):
    """A digest of a row's record as saved: its own fields, and the many-to-many lists its form
    shows (a finding's partnerships and outcomes), read from the rows already fetched."""
    record = form.instance
    own = [(f.attname, f.value_from_object(record)) for f in record._meta.concrete_fields if not f.primary_key]
    lists = [
        (f.name, *sorted(r.pk for r in getattr(record, f.name).all()))
        for f in record._meta.many_to_many
        if f.name in form.fields
    ]
    return fingerprint([*own, *lists])


def lists_as_of_version(form):
    """On a page that reverts a record to an earlier version (django-simple-history's, whose record
    knows its version as `_history`), the tracked lists as they were in that version (a
    partnership's themes): Django's form would show them as they are now, and saving would keep
    them so."""
    version = getattr(form.instance, "_history", None)
    if version is None or form.is_bound:
        return
    for field in getattr(version, "_history_m2m_fields", []):
        if field.name in form.fields:
            target = get_m2m_reverse_field_name(field)
            form.initial[field.name] = list(getattr(version, field.name).values_list(f"{target}_id", flat=True))


def with_hidden_field(fieldsets, name):
    """The fieldsets without the field `name` (a form's state as opened), and a hidden one holding
    it. Where no fieldsets are declared, Django's one lists every field of the form, that one too,
    which would then be on the page twice."""
    shown = [(title, {**opts, "fields": [f for f in opts["fields"] if f != name]}) for title, opts in fieldsets]
    return [*shown, (None, {"fields": [name], "classes": ["hidden-version"]})]


class OpenedState(forms.CharField):
    """The record as the page showed it, in a hidden box: compared with the record as saved, to
    refuse a save from a page opened before someone else's. Sent back as it came, it is never a
    change of the record: counted as one, every row of a page was saved again (and a version
    added to its history) on every save of the page, whether its row was edited or not."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        return False


class RowForm(forms.ModelForm):
    """An inline row's form. It carries the row as it was when the page was opened, so that a
    change someone else made to the row since (an evaluator editing a finding while an officer
    has the evaluation open) is refused rather than silently overwritten: the page's own version
    check covers only the record the page is about. It also hands its record's chosen related
    records to its autocomplete boxes."""

    opened_state = OpenedState()
    stale_message = ROW_STALE_MESSAGE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lists_as_of_version(self)
        if self.instance.pk is None:
            if "position" in self.fields:
                # A new row goes after the last unless given a place (see InList).
                self.fields["position"].required = False
                self.fields["position"].initial = None
                self.fields["position"].help_text = "Its place in the list. Leave it empty to put it last."
            elif hasattr(self.instance, "put_last"):
                # Added from the other end (a partnership added on an institution's page): it goes
                # last in the partnership's list too, not at the field's default place on top.
                self.instance.position = None
            return
        # Read before the form's values are put on the record: the row as now saved.
        self.saved_state = row_state(self)
        if not self.is_bound:
            self.fields["opened_state"].initial = self.saved_state
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the admin's add/change links
            if isinstance(widget, LabelledFromRow):
                widget.chosen = self._chosen(name)

    def clean(self):
        cleaned = super().clean()
        if self.has_error("id"):
            # The row's hidden record number names a record no longer there: someone removed it.
            # Django's error sits on that hidden field, where nobody would see it.
            raise forms.ValidationError(ROW_GONE_MESSAGE, code="gone")
        opened = cleaned.get("opened_state")
        if self.instance.pk is not None and opened and opened != self.saved_state:
            raise forms.ValidationError(self.stale_message, code="stale")
        return cleaned

    def _chosen(self, name):
        if self.instance._meta.get_field(name).many_to_many:
            return list(getattr(self.instance, name).all())
        related = getattr(self.instance, name)
        return [] if related is None else [related]


# Said by a new row of a list, on the list's page, whose position box was left empty.
NO_ROOM_TO_PUT_LAST = (
    f"There is no room after position {POSITION_MOST:,}, the largest a position can be, to put this row last. "
    "Give it a position of its own, or give the last row a lower one."
)


class RowsFormSet(BaseInlineFormSet):
    """A record's inline rows. A value that must be unique among them (a partnership's
    institutions) may move from one saved row to another in one save: the rows are saved in an
    order that frees each value before it is taken (removed rows first), as the database checks
    each row as it is written. Two rows swapping values cannot be ordered so; they are refused
    with a message where they failed with a server error."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self._is_its_list():
            form.instance.placed_by_its_list = True  # see _put_new_rows_last, and InList.clean
        return form

    def _is_its_list(self):
        """Whether these rows are their parent's list, in which each has a position (a
        partnership's outcomes); not when the parent is at the other end (an institution's
        memberships, each in a partnership's list)."""
        return getattr(self.model, "list_of", None) == self.fk.name

    def _put_new_rows_last(self):
        """Each new row left without a position goes after the last, in the order of the page: the
        last as typed here, or saved since the page was opened. There is no room after the largest
        position a list can have: that is said by the row."""
        rows = [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]
        typed = [form.cleaned_data["position"] for form in rows if form.cleaned_data.get("position") is not None]
        not_shown = self._last_position_not_shown()
        after = max([*typed, *([] if not_shown is None else [not_shown])], default=-1)
        for form in rows:
            # A row with a position box left empty (or not sent), or one without a box (see RowForm).
            if form.cleaned_data.get("position") is None and (
                "position" in form.fields or form.instance.position is None
            ):
                after += 1
                if after > POSITION_MOST:
                    if "position" in form.fields:
                        form.add_error("position", NO_ROOM_TO_PUT_LAST)
                    else:
                        form.add_error(None, NO_ROOM_AFTER_LAST)
                    continue
                form.instance.position = after
                if "position" in form.fields:
                    form.cleaned_data["position"] = after

    def _last_position_not_shown(self):
        """The last position among rows saved since the page was opened, which it does not show."""
        if self.instance.pk is None:
            return None
        shown = [form.instance.pk for form in self.initial_forms]
        others = self.model.objects.filter(**{self.fk.name: self.instance}).exclude(pk__in=shown)
        return others.aggregate(last=Max("position"))["last"]

    def clean(self):
        super().clean()
        if self._is_its_list():
            self._put_new_rows_last()
        saved = [form for form in self.initial_forms if form.instance.pk is not None and form.cleaned_data]
        self._saved_after = {}  # a row: the rows whose values it takes, saved before it
        self._taken = {}  # a row: what it takes, and from which row, for the message
        for names in self._unique_together():
            held = {self._key(form, names, form.initial.get): form for form in saved}
            for form in saved:
                if self._should_delete_form(form) or not set(names) & set(form.changed_data):
                    continue
                holder = held.get(self._key(form, names, form.cleaned_data.get))
                if holder is not None and holder is not form and not self._should_delete_form(holder):
                    self._saved_after.setdefault(form, []).append(holder)
                    self._taken[form] = (names, holder)
        for form in self._saved_after:
            if self._waits_for(form, form):
                names, holder = self._taken[form]
                form.add_error(
                    None,
                    f"This row takes the {self._named(names)} of “{holder.instance}”, "
                    "which takes this row’s in turn: two rows cannot swap in one save. Remove one of the two rows "
                    "and save, then add it again with its new value.",
                )

    def _waits_for(self, form, target, seen=()):
        """Whether `form` is to be saved after `target`, through the rows it waits for."""
        for holder in self._saved_after.get(form, []):
            if holder is target or (holder not in seen and self._waits_for(holder, target, (*seen, holder))):
                return True
        return False

    def save_existing_objects(self, commit=True):
        """Django's, with the saved rows taken in the order clean() worked out: removed rows
        first, then each row after the rows whose values it takes."""
        self.changed_objects = []
        self.deleted_objects = []
        removed = self.deleted_forms
        ordered = [*removed]
        for form in self.initial_forms:
            self._after_those_it_waits_for(form, ordered)
        saved = []
        for form in ordered:
            record = form.instance
            if record.pk is None:  # as in Django: a row not of this record, or already removed
                continue
            if form in removed:
                self.deleted_objects.append(record)
                self.delete_existing(record, commit=commit)
            elif form.has_changed():
                self.changed_objects.append((record, form.changed_data))
                saved.append(self.save_existing(form, record, commit=commit))
                if not commit:
                    self.saved_forms.append(form)
        return saved

    def _after_those_it_waits_for(self, form, ordered):
        if form in ordered:
            return
        for holder in getattr(self, "_saved_after", {}).get(form, []):
            self._after_those_it_waits_for(holder, ordered)
        ordered.append(form)

    def _unique_together(self):
        """The sets of this form's fields that must be unique together, the parent's own left out."""
        checks, _ = self.model()._get_unique_checks(include_meta_constraints=True)
        shown = set(self.form.base_fields)
        together = []
        for _model, names in checks:
            names = tuple(name for name in names if name != self.fk.name)
            if names and set(names) <= shown:
                together.append(names)
        return together

    @staticmethod
    def _key(form, names, read):
        values = [read(name) for name in names]
        return tuple(getattr(value, "pk", value) for value in values)

    def _named(self, names):
        return " and ".join(str(self.model._meta.get_field(name).verbose_name) for name in names)


class ProtectedRowSaidInWords:
    """For an inline row's form: a row that others refer to (a desired outcome whose progress an
    evaluation recorded) is refused removal in words that say what refers to it and what to do,
    where Django lists "the following protected related objects"."""

    def hand_clean_DELETE(self):
        try:
            super().hand_clean_DELETE()
        except ValidationError as error:
            if error.code != "deleting_protected":
                raise
            raise ValidationError(protected_in_words(self.instance), code="deleting_protected") from None


def protected_in_words(record):
    collector = NestedObjects(using=router.db_for_write(type(record)))
    collector.collect([record])
    referring = [_as_referring(other) for other in collector.protected]
    shown = "; ".join(referring[:5]) + (f"; and {len(referring) - 5} more" if len(referring) > 5 else "")
    return f"“{record}” cannot be removed, as {shown}. Untick “Delete” to keep it, or remove what refers to it first."


def _as_referring(record):
    """How a record that keeps another from being removed is said: by its own `as_referring`, or plainly."""
    if hasattr(record, "as_referring"):
        return record.as_referring()
    return f"the {record._meta.verbose_name} “{record}” refers to it"


class RowInline(admin.StackedInline):
    """An inline whose rows carry their state as opened (see RowForm), in a hidden fieldset."""

    form = RowForm
    formset = RowsFormSet
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (ProtectedRowSaidInWords, formset.form), {})
        return formset

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return said_in_words(super().formfield_for_dbfield(db_field, request, **kwargs))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return with_hidden_field(fieldsets, "opened_state")


class RowsUniqueWithSavedFormSet(RowsFormSet):
    """Inline rows of which at most one per record may name the same `unique_field` (a
    partnership's institutions), checked against the rows saved by now as well as against each
    other: a row someone else added since the page was opened was a duplicate that the database
    refused with a server error, where the officer needs to be told."""

    unique_field = None

    def clean(self):
        super().clean()
        if self.instance.pk is None or self.unique_field is None:
            return
        rows = [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]
        chosen = {form.cleaned_data.get(self.unique_field) for form in rows} - {None}
        shown = [form.instance.pk for form in self.initial_forms]
        saved_since = (
            self.model.objects.filter(**{self.fk.name: self.instance, f"{self.unique_field}__in": chosen})
            .exclude(pk__in=shown)
            .select_related(self.unique_field)
        )
        named = sorted(str(getattr(record, self.unique_field)) for record in saved_since)
        if named:
            raise forms.ValidationError(
                f"{'; '.join(named)} {'was' if len(named) == 1 else 'were'} added here by someone else since you "
                "opened this page. Remove the row you added, or open the page again to see theirs."
            )


class DistinctPositionsFormSet(RowsFormSet):
    """Inline rows whose positions tell them apart (the spreadsheet import and the programme data
    file find a partnership's outcomes by position). A new row left without a position is given
    the one after the last here; two rows at one position are refused when one of them is new or
    was moved (two saved at one position before this rule, and left alone, are let be)."""

    def clean(self):
        super().clean()  # which puts new rows left without a position last
        rows = [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]
        at = {}
        for form in rows:
            at.setdefault(form.cleaned_data.get("position"), []).append(form)
        for position, forms_at in at.items():
            touched = [f for f in forms_at if f.instance.pk is None or "position" in f.changed_data]
            if position is None or len(forms_at) < 2 or not touched:
                continue
            for form in touched:
                form.add_error(
                    "position",
                    f"Another row here is at position {position}. Give each row its own position, "
                    "or leave a new row’s empty to put it last.",
                )


class AutocompleteInline(RowInline):
    """An inline whose autocomplete boxes cost no query per row. The records chosen in its
    foreign-key boxes are read with the rows; a subclass with a many-to-many box, or whose labels
    name further records (a partnership is named by its place and phase), extends get_queryset
    with the prefetch_related or select_related they need."""

    def get_queryset(self, request):
        fields = [self.model._meta.get_field(name) for name in self.get_autocomplete_fields(request)]
        return super().get_queryset(request).select_related(*[f.name for f in fields if f.many_to_one])

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RecordForm(RowForm):
    """A record's own page for a record without a version (a place, an outcome, a membership):
    the record as opened is compared with the record as saved, as for an inline's row."""

    stale_message = STALE_MESSAGE


class DistinctPositionRecordForm(RecordForm):
    """A record's own page for a row of a list told apart by position (a desired outcome): a
    position another row of the same partnership has is refused, as in the partnership's page."""

    def clean(self):
        cleaned = super().clean()
        position, parent = cleaned.get("position"), cleaned.get("partnership")
        moved = self.instance.pk is None or {"position", "partnership"} & set(self.changed_data)
        if position is None or parent is None or not moved:
            return cleaned
        others = type(self.instance).objects.filter(partnership=parent, position=position).exclude(pk=self.instance.pk)
        if others.exists():
            leave = ", or leave it empty to put it last" if self.instance.pk is None else ""
            self.add_error(
                "position", f"Another row of {parent} is at position {position}. Give this one another{leave}."
            )
        return cleaned


class DocumentRowForm(FileRefusedFirst, RowForm):
    pass


class DocumentRecordForm(FileRefusedFirst, RecordForm):
    pass


class VersionedAdminForm(forms.ModelForm):
    """Carries the record's version as it was when the form was opened."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lists_as_of_version(self)
        if self.instance.pk and not self.is_bound:
            # The stored version, not the instance's: a revert form holds an older copy.
            self.fields["opened_version"].initial = self._stored_version()

    def _stored_version(self):
        return self.stored("version")

    def stored(self, name):
        """The record's value as saved now: the form's own record may hold an older copy (on a
        revert page, that of the version being reverted to)."""
        return type(self.instance).objects.filter(pk=self.instance.pk).values_list(name, flat=True).first()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Read under a lock on the record, held until the save's transaction ends: a save of it
            # by someone else at the same moment finishes first, and this one is then refused as
            # from an older page, rather than both passing the check and the second undoing the first.
            type(self.instance)._base_manager.select_for_update().filter(pk=self.instance.pk).values_list("pk").first()
            if cleaned.get("opened_version") != self._stored_version():
                raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return cleaned


class NoLostEditsMixin:
    """Refuse to save a change form opened before someone else saved the same record.

    If the record's version has moved on since the officer opened the form, the save is refused
    with a clear message and nothing is written, so the first officer's values stand.
    """

    form = VersionedAdminForm
    opened_field = "opened_version"  # the form's field that carries the record as opened

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return with_hidden_field(fieldsets, self.opened_field)


class NoLostEditsOfUnversionedMixin(NoLostEditsMixin):
    """NoLostEditsMixin for records without a version: a change form opened before someone else
    saved the same record is refused, by comparing the record's fields as opened and as saved."""

    form = RecordForm
    opened_field = "opened_state"


def confirmed(request):
    """Whether the officer has answered yes on the confirmation page of an action."""
    return request.POST.get("confirmed") == "yes"


def unpublish_confirmation(modeladmin, request, selected, consequence):
    """Ask before taking records off the public site, as Django asks before deleting: the page
    lists the published ones among those selected, says what will happen, and posts the same
    selection back to the same list address (so an "all matching" selection keeps its filters)
    with `confirmed`; "No" returns to the list unchanged. None when nothing selected is published.
    """
    opts = modeladmin.model._meta
    published = selected.published()
    count = published.count()
    if not count:
        modeladmin.message_user(
            request, f"None of the selected {opts.verbose_name_plural} is published.", messages.WARNING
        )
        return None
    shown = list(published[:20])
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"Unpublish these {opts.verbose_name_plural}?",
        "opts": opts,
        "consequence": consequence,
        "shown": shown,
        "count": count,
        "more": count - len(shown),
        "not_published": selected.count() - count,
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "list_url": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/confirm_unpublish.html", context)


@admin.action(description="Export the selected records to CSV")
def export_selected_to_csv(modeladmin, request, queryset):
    """The selected records as a spreadsheet: in the columns of the records' import where they
    have one (slugs for related records), so that the file can be corrected and imported again;
    otherwise every field, with each related record by its name rather than its number."""
    if resources := getattr(modeladmin, "resource_classes", None):
        # Read as the import's own export reads (its lists prefetched), and written as it writes
        # (text that would be a formula already marked, as the import expects): the file is for
        # importing again.
        resource = resources[0]()
        selected = resource.get_queryset().filter(pk__in=queryset.values("pk")).order_by("pk")
        dataset = resource.export(queryset=selected)
        return _csv_download(modeladmin, [dataset.headers, *dataset], cell=str)
    fields = [f for f in modeladmin.model._meta.concrete_fields if f.name != "search_vector"]
    related = [f for f in fields if f.is_relation]
    named = [
        *(f.name for f in related),
        *(f"{f.name}__{n}" for f in related for n in getattr(f.related_model, "named_with", ())),
    ]
    records = queryset.select_related(*named).order_by("pk")
    rows = [[f.name for f in fields], *([_value(record, f) for f in fields] for record in records)]
    return _csv_download(modeladmin, rows, cell=spreadsheet_cell)


def _csv_download(modeladmin, rows, cell):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{modeladmin.model._meta.model_name}-selected.csv"'
    response.write(CSV_BOM)
    writer = csv.writer(response)
    for row in rows:
        writer.writerow(["" if value is None else cell(value) for value in row])
    return response


def _value(record, field):
    if field.is_relation:
        return getattr(record, field.name) or ""
    return field.value_from_object(record)


def report(modeladmin, request, changed, verb):
    """How many records an action changed: a success message, or, when it changed none, a plain one."""
    opts = modeladmin.model._meta
    if changed == 0:
        modeladmin.message_user(request, f"No {opts.verbose_name_plural} {verb}.", messages.INFO)
        return
    noun = opts.verbose_name if changed == 1 else opts.verbose_name_plural
    modeladmin.message_user(request, f"{changed} {noun} {verb}.", messages.SUCCESS)
