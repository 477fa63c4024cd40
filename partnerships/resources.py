"""Spreadsheet import and export of the programme data (CSV and XLSX), keyed by slugs.

Every import is previewed row by row first and applied in one transaction, so a file with
one bad row changes nothing. Re-importing an export changes nothing: unchanged rows are skipped.
"""

import functools
import re
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Max
from django.utils.text import capfirst
from import_export import fields, resources, widgets

from .history import last_version_id, one_version_per_save
from .models import POSITION_MOST, Institution, Membership, Outcome, Partnership, Phase, Place, Theme
from .views import spreadsheet_cell, unmarked_cell


class PartnershipKeyWidget(widgets.ForeignKeyWidget):
    """A partnership as "phase-slug/slug", e.g. "phase-2/bedford"."""

    reads = "A partnership, by its phase’s slug and its own, such as phase-2/bedford."

    def __init__(self):
        super().__init__(Partnership)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        phase_slug, _, slug = str(value).strip().partition("/")
        try:
            return Partnership.objects.get(phase__slug=phase_slug, slug=slug)
        except Partnership.DoesNotExist:
            raise ValueError(f"No partnership “{value}”: write it as phase-slug/slug, e.g. phase-2/bedford.") from None

    def render(self, value, obj=None, **kwargs):
        return f"{value.phase.slug}/{value.slug}" if value else ""


class SlugWidget(widgets.ForeignKeyWidget):
    """A record named by its slug; an unknown slug is refused by name."""

    @property
    def reads(self):
        return f"The {self.model._meta.verbose_name}’s slug."

    def __init__(self, model):
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"No {self.model._meta.verbose_name} with the slug “{value}”.") from None


class SlugsWidget(widgets.ManyToManyWidget):
    """Records named by their slugs, separated by "|"; an unknown slug is refused by name
    rather than dropped, which would have removed the record's other choices unnoticed."""

    @property
    def reads(self):
        plural = self.model._meta.verbose_name_plural
        example = "|".join(self.model.objects.order_by("slug").values_list("slug", flat=True)[:2])
        return f"Slugs of {plural}, separated by |" + (f", such as {example}." if example else ".")

    def __init__(self, model):
        super().__init__(model, field="slug", separator="|")

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        wanted = {slug.strip() for slug in str(value or "").split(self.separator) if slug.strip()}
        if missing := sorted(wanted - {record.slug for record in found}):
            name = self.model._meta.verbose_name
            raise ValueError(" ".join(f"No {name} with the slug “{slug}”." for slug in missing))
        return found


class NumberWidget(widgets.DecimalWidget):
    """A number, with or without commas between thousands ("2,000"); anything else is refused in
    words (django-import-export's own message was "[<class 'decimal.ConversionSyntax'>]")."""

    reads = "A number, such as 72, 1250.5 or 2,000."

    THOUSANDS = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and self.THOUSANDS.fullmatch(value.strip()):
            value = value.strip().replace(",", "")
        try:
            return super().clean(value, row, **kwargs)
        except (ArithmeticError, ValueError, TypeError):
            raise ValueError(f"“{value}” is not a number: write a number such as 72 or 1250.5.") from None


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number, such as a position in a list; anything else is refused in words."""

    reads = "A whole number from 0."

    MOST = POSITION_MOST

    def clean(self, value, row=None, **kwargs):
        # django-import-export's own widget reads 1.5 as 1 and -1 as -1; a spreadsheet's 2.0 is 2,
        # and 1,000 is a thousand.
        if isinstance(value, str) and NumberWidget.THOUSANDS.fullmatch(value.strip()):
            value = value.strip().replace(",", "")
        try:
            number = Decimal(str(value).strip()) if not self.is_empty(value) else None
        except (ArithmeticError, ValueError, TypeError):
            number = Decimal("NaN")
        if number is not None and not (number.is_finite() and number == number.to_integral_value() and number >= 0):
            raise ValueError(f"“{value}” is not a whole number: write one such as 0, 1 or 2.")
        if number is not None and number > self.MOST:
            raise ValueError(f"“{value}” is too large for a position: a position is at most {self.MOST:,}.")
        try:
            return super().clean(value, row, **kwargs)
        except (ArithmeticError, ValueError, TypeError):
            raise ValueError(f"“{value}” is not a whole number: write one such as 0, 1 or 2.") from None


class PositionField(fields.Field):
    """A row's place in its list. Left empty, a new row goes after the last, as one added in the
    back office does (see InList), and a row already saved keeps its place."""

    reads = "Its place in the list, from 0. Left empty, a new row goes last and a saved one keeps its place."

    def __init__(self):
        super().__init__("position", "position", WholeNumberWidget(), saves_null_values=False)

    def save(self, instance, row, is_m2m=False, **kwargs):
        super().save(instance, row, is_m2m, **kwargs)
        if instance.pk is None and self.clean(row, **kwargs) is None:
            instance.put_last()


class DayWidget(widgets.DateWidget):
    """A date written as this portal writes it (2018-03-31) or as people in the UK do (31/03/2018),
    never as in the US, where 01/02/2018 is in January; anything else is refused in words
    (django-import-export's own message was "Value could not be parsed using defined formats.")."""

    reads = "A date, written 2018-03-31 or 31/03/2018."

    FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

    def __init__(self):
        super().__init__()
        self.formats = self.FORMATS  # the first is also the one exported

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value.strip() if isinstance(value, str) else value, row, **kwargs)
        except ValueError:
            raise ValueError(f"“{value}” is not a date: write it as 2018-03-31 or 31/03/2018.") from None


CHANGED_SINCE_CHECKED = "was changed by someone else after the file was checked"


class BaseResource(resources.ModelResource):
    column_notes = {}  # what a column holds, for the import page, where its field's name does not say

    def column_guide(self):
        """For the import page, each column the import reads: (heading, what it holds, whether it
        may be left empty, whether it names the row's record)."""
        keys = set(self.get_import_id_fields())
        guide = []
        for field in self.get_import_fields():
            model_field = self._meta.model._meta.get_field(field.attribute)
            holds = getattr(field, "reads", None) or getattr(field.widget, "reads", None)
            holds = self.column_notes.get(field.column_name, holds or f"{capfirst(model_field.verbose_name)}.")
            left_empty = ""
            if model_field.choices:
                labels = {code: str(label) for code, label in model_field.flatchoices}
                holds = f"One of: {', '.join(label for code, label in labels.items() if code)}."
                if self._kept_when_empty(field):
                    left_empty = (
                        f"Left empty, a new record’s is {labels[model_field.get_default()]} and a saved one’s stays "
                        "as it is."
                    )
            help_text = "" if isinstance(field, PositionField) else str(model_field.help_text)  # said already
            holds = " ".join(filter(None, [holds, help_text, left_empty]))
            optional = model_field.blank or bool(left_empty) or isinstance(field, PositionField)
            guide.append((field.column_name, holds, optional, field.attribute in keys))
        return guide

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        """As django-import-export, which fails with a server error on rows without headings: a
        file whose first row is empty, or holds only empty cells, is refused before its rows are read."""
        if any(str(heading or "").strip() for heading in dataset.headers or []) or not len(dataset):
            return super().import_data_inner(
                dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
            )
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        error = ValueError(
            "The file’s first row has no column headings: it may be empty. Put the headings on the first row, as "
            "a file exported from this page has them, then choose the file again."
        )
        self.handle_import_error(result, error, raise_errors)
        return result

    def before_import(self, dataset, **kwargs):
        """Headings are read in any capitals and without spaces around them ("Slug " is slug). A
        file with two columns of one heading, or without the columns that identify each row, is
        refused with their names; so is a file with a NUL character, or with two rows for one record."""
        if dataset.headers:
            dataset.headers = [h.strip().lower() if isinstance(h, str) else h for h in dataset.headers]
        headers = dataset.headers or []
        if repeated := sorted({h for h in headers if isinstance(h, str) and h and headers.count(h) > 1}):
            # One would be checked and the other imported: keep one, and say which.
            raise ValueError(
                f"The file has more than one column headed {' and '.join(f'“{h}”' for h in repeated)} (headings "
                "are read in any capitals). Keep one column of each, then import again."
            )
        id_fields = [self.fields[name] for name in self.get_import_id_fields()]
        if missing := [field.column_name for field in id_fields if field.column_name not in headers]:
            expected = ", ".join(field.column_name for field in self.get_import_fields())
            if len(headers) == 1 and isinstance(headers[0], str) and (separator := other_separator(headers[0])):
                raise ValueError(
                    f"The file’s columns are separated by {separator} rather than commas, so its headings read as "
                    f"one column. Save it as “CSV UTF-8 (Comma delimited)”, or as an XLSX workbook and choose "
                    "XLSX, then choose the file again."
                )
            raise ValueError(
                f"The file has no {' or '.join(missing)} column, which this import needs to know which record "
                f"each row is. The columns it reads are: {expected}. A file exported from this page has them."
            )
        refuse_nul_characters(dataset, [field.column_name for field in self.get_import_fields()])
        refuse_repeated_rows(dataset, id_fields)
        super().before_import(dataset, **kwargs)

    def export_field(self, field, instance, **kwargs):
        """Text that a spreadsheet would run as a formula (=HYPERLINK(…), say) is marked as text,
        as on the public download; before_import_row takes the mark off again."""
        value = super().export_field(field, instance, **kwargs)
        return spreadsheet_cell(value) if isinstance(value, str) else value

    def before_import_row(self, row, **kwargs):
        """Each cell unmarked (see export_field); a choice may be written by its name, as the
        back office shows it ("Published", "South East"), as well as by its code ("published")."""
        codes = self._choice_codes()
        for column, value in row.items():
            value = unmarked_cell(value)
            if column in codes and isinstance(value, str):
                value = codes[column].get(" ".join(value.split()).casefold(), value)
            row[column] = value
        super().before_import_row(row, **kwargs)

    def _choice_codes(self):
        """For each column of a field with choices: each choice's code, by its name and by itself."""
        if not hasattr(self, "_codes"):
            self._codes = {}
            for field in self.get_import_fields():
                try:
                    choices = self._meta.model._meta.get_field(field.attribute).flatchoices
                except FieldDoesNotExist:
                    continue
                if choices:
                    by_name = {str(label).casefold(): code for code, label in choices}
                    self._codes[field.column_name] = by_name | {str(code).casefold(): code for code, _ in choices}
        return self._codes

    def import_data(self, dataset, *args, **kwargs):
        """Any row that cannot be imported means that none is, however the import is started (the
        back office asks for this; django-import-export's own default applies the other rows)."""
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)

    def get_or_init_instance(self, instance_loader, row):
        """A row whose key names no record it can be (an unknown phase, say) is one of the rows
        that cannot be imported, listed with the others, rather than an error that hides them."""
        try:
            return super().get_or_init_instance(instance_loader, row)
        except ValueError as error:
            # Every key cell's problem, by the column it is in, and those of the other cells, so
            # that one correction of the file is enough.
            keys = {}
            for name in self.get_import_id_fields():
                try:
                    self.fields[name].clean(row)
                except ValueError as key_error:
                    keys[self.fields[name].attribute] = [str(key_error)]
            raise ValidationError(
                {**(keys or {NON_FIELD_ERRORS: [str(error)]}), **self._errors_besides_key(row)}
            ) from None

    def _errors_besides_key(self, row):
        """The problems of a row's other cells, checked as for a new record, for a row whose key
        names no record it can be: {attribute: [messages]}."""
        keys = {self.fields[name].attribute for name in self.get_import_id_fields()}
        instance = self.init_instance(row)
        found = {}
        try:
            self.import_instance(instance, row)
        except ValidationError as error:
            found = error.update_error_dict({})
        try:
            self.validate_instance(instance, {**found, **{key: [] for key in keys}}, validate_unique=False)
        except ValidationError as error:
            found = error.message_dict
        return {name: messages for name, messages in found.items() if name not in keys and messages}

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """As django-import-export, except that a choice with a default left empty keeps a saved
        record's value, where it would be set to the default: an empty status cell took a
        published partnership off the public pages. A new record takes the default."""
        if instance.pk is not None and self._kept_when_empty(field) and _is_blank(row.get(field.column_name)):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def _kept_when_empty(self, field):
        try:
            model_field = self._meta.model._meta.get_field(field.attribute)
        except FieldDoesNotExist:
            return False
        return bool(model_field.choices) and not model_field.blank and model_field.has_default()

    def import_instance(self, instance, row, checked_at=None, **kwargs):
        """As django-import-export, and the lists (a partnership's themes) read too, which it
        reads only when saving, after the row's other problems had been reported; so every
        problem of every row is found in one go. When the import is confirmed, a record someone
        changed after the file was checked (`checked_at`) is refused, rather than overwritten."""
        if checked_at and instance.pk and instance.history.filter(history_date__gt=checked_at).exists():
            raise ValidationError({NON_FIELD_ERRORS: [f"{instance} {CHANGED_SINCE_CHECKED}"]})
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance._last_version_before_save = last_version_id(instance)  # 0 for a new record
        super().before_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        """As django-import-export, and a row's record saved with its lists is one version in its
        history, as a save in the back office is (a partnership's themes made two more)."""
        super().save_m2m(instance, row, **kwargs)
        one_version_per_save(instance)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """As django-import-export, with the model's own messages in words (Django's "Value
        'atlantis' is not a valid choice." names neither the column nor the choices)."""
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            raise ValidationError(
                {name: [_in_words(instance, name, e) for e in errors] for name, errors in error.error_dict.items()}
            ) from None

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True


def _in_words(instance, name, error):
    """A model field's validation error as an officer reads it: the choices a choice can be, how
    long a text can be; any other message as it is."""
    params = error.params or {}
    if error.code == "invalid_choice" and name != NON_FIELD_ERRORS:
        choices = ", ".join(str(label) for value, label in instance._meta.get_field(name).flatchoices if value)
        return f"“{params.get('value')}” is not one of the choices, which are: {choices}."
    if error.code == "max_length" and {"limit_value", "show_value"} <= params.keys():
        shown = params["show_value"]  # a TextLengthValidator's is written already: "1,001"
        shown = f"{shown:,}" if isinstance(shown, int) else shown
        return f"This can be up to {params['limit_value']:,} characters, and has {shown}."
    if error.code in ("blank", "null"):
        return "This cannot be left empty."
    return error.message % params if params else error.message


def other_separator(heading):
    """The separator, in words, of a CSV file whose columns are not separated by commas (Excel's
    CSV uses semicolons where a comma is the decimal point), from its first line."""
    if "," in heading:
        return None
    return next((words for mark, words in ((";", "semicolons"), ("\t", "tabs")) if mark in heading), None)


def refuse_nul_characters(dataset, columns):
    """A NUL character is no part of any text: the file is damaged or not the format chosen. It
    is refused by row and column, where PostgreSQL's own message named neither (and SQLite would
    store it). Only the columns the import reads are looked at."""
    found = [
        f"row {line}, column {column}"
        for line, row in enumerate(dataset, start=2)  # as a spreadsheet numbers them, the headings being 1
        for column, value in zip(dataset.headers, row, strict=False)
        if column in columns and isinstance(value, str) and "\x00" in value
    ]
    if found:
        raise ValueError(
            f"The file has a NUL character (a zero byte, which is not text) in {_listed(found, '; ')} (the "
            "headings being row 1). The file may be damaged, or saved in another format than the one chosen: "
            "save it again as CSV or XLSX, then import it."
        )


def refuse_repeated_rows(dataset, id_fields):
    """Two rows for the same record would both be applied, the last silently winning: the file is
    refused, naming the rows, so that the officer chooses which one is meant. Rows whose key is
    incomplete are left to the row's own error."""
    columns = [field.column_name for field in id_fields]
    indexes = [dataset.headers.index(column) for column in columns]
    lines_by_key = {}
    for line, row in enumerate(dataset, start=2):  # as a spreadsheet numbers them, the headings being 1
        key = tuple(_as_compared(field.widget, row[i]) for field, i in zip(id_fields, indexes, strict=True))
        if all(key):
            lines_by_key.setdefault(key, []).append(line)
    repeated = [(key, lines) for key, lines in lines_by_key.items() if len(lines) > 1]
    if repeated:
        described = "; ".join(
            f"rows {_listed([str(line) for line in lines])} ({_named(columns, key)})" for key, lines in repeated[:10]
        )
        if len(repeated) > 10:
            described += f"; and {len(repeated) - 10} more records"
        raise ValueError(
            f"Some rows are for the same record: {described}. Keep one row for each record, then import again."
        )


def _as_compared(widget, value):
    """A key cell as the import will read it: a whole number by its widget's own reading, so that
    "1", "1.0" and "01" are one number; any other cell as its text."""
    text = "" if value is None else str(value).strip()
    if isinstance(widget, widgets.IntegerWidget):
        try:
            number = widget.clean(value)
        except ValueError:
            return text  # the row's own error will say why
        return "" if number is None else str(number)
    return text


def _is_blank(value):
    return value is None or not str(value).strip()


def _as_number(widget, value):
    """A position cell as a number, or -1 when it is not one (the row's own error says why)."""
    try:
        return widget.clean(value)
    except ValueError:
        return -1


def _named(columns, values):
    return ", ".join(f"{column} “{value}”" for column, value in zip(columns, values, strict=True))


def _listed(items, separator=", "):
    """“a”, “a and b”, “a, b and c”; at most ten, and how many more."""
    shown = items[:10] + ([f"{len(items) - 10} more"] if len(items) > 10 else [])
    return shown[0] if len(shown) == 1 else f"{separator.join(shown[:-1])} and {shown[-1]}"


class InstitutionResource(BaseResource):
    column_notes = {
        "slug": "Its short name in addresses and files: lower-case letters, digits and hyphens, such as "
        "bedford-borough-council.",
        "name": "Its name, as shown publicly.",
        "website": "Its website’s address, such as https://www.bedford.gov.uk/.",
        "identifier": "",
    }

    class Meta(BaseResource.Meta):
        model = Institution
        import_id_fields = ["slug"]
        fields = ["slug", "name", "kind", "region", "website", "identifier"]


def text(name):
    """A long text column whose empty cells stay empty text rather than becoming NULL."""
    return fields.Field(name, name, widgets.CharWidget(coerce_to_string=True, allow_blank=True))


class PartnershipResource(BaseResource):
    column_notes = {
        "slug": "Its short name: lower-case letters, digits and hyphens, such as bedford.",
        "title": "Its title, as shown publicly.",
        "why_chosen": "Why it was chosen for the programme, as shown publicly.",
        "summary": "",
        "outcomes_intro": "",
    }
    summary = text("summary")
    outcomes_intro = text("outcomes_intro")
    why_chosen = text("why_chosen")
    phase = fields.Field("phase", "phase", SlugWidget(Phase))
    place = fields.Field("place", "place", SlugWidget(Place))
    themes = fields.Field("themes", "themes", SlugsWidget(Theme))

    class Meta(BaseResource.Meta):
        model = Partnership
        import_id_fields = ["phase", "slug"]
        fields = [
            "phase",
            "slug",
            "place",
            "title",
            "summary",
            "region",
            "themes",
            "outcomes_intro",
            "why_chosen",
            "status",
            "stage",
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("phase", "place").prefetch_related("themes")


class MembershipResource(BaseResource):
    column_notes = {"note": ""}
    partnership = fields.Field("partnership", "partnership", PartnershipKeyWidget())
    institution = fields.Field("institution", "institution", SlugWidget(Institution))
    position = PositionField()

    class Meta(BaseResource.Meta):
        model = Membership
        import_id_fields = ["partnership", "institution"]
        fields = ["partnership", "institution", "role", "note", "position"]

    def get_queryset(self):
        return super().get_queryset().select_related("partnership__phase", "institution")


class OutcomeResource(BaseResource):
    column_notes = {
        "position": "Its place in the partnership’s list, from 0, which with the partnership names the outcome. "
        "Left empty, the row adds an outcome after the last.",
        "description": "The outcome the partnership wants, as shown publicly.",
        "unit": "",
    }
    partnership = fields.Field("partnership", "partnership", PartnershipKeyWidget())
    description = text("description")
    position = PositionField()
    baseline = fields.Field("baseline", "baseline", NumberWidget())
    target = fields.Field("target", "target", NumberWidget())
    target_date = fields.Field("target_date", "target_date", DayWidget())

    class Meta(BaseResource.Meta):
        model = Outcome
        import_id_fields = ["partnership", "position"]
        fields = [
            "partnership",
            "position",
            "description",
            "indicator",
            "baseline",
            "target",
            "unit",
            "target_date",
            "progress",
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("partnership__phase")

    def before_import(self, dataset, **kwargs):
        """Each new outcome left without a position is numbered here, after the partnership's last
        saved outcome and after every position the file gives it, as the preview then shows: given
        only the saved last one, it could take a position a later row names, and that row would
        then overwrite it."""
        super().before_import(dataset, **kwargs)
        partnerships, positions = dataset.headers.index("partnership"), dataset.headers.index("position")
        widget = self.fields["position"].widget
        rows = [list(row) for row in dataset]
        last_saved = functools.cache(self._last_saved)  # one lookup per partnership, not per row
        taken = {}
        for row in rows:
            if not widget.is_empty(row[positions]):
                key = str(row[partnerships]).strip()
                taken[key] = max(taken.get(key, -1), _as_number(widget, row[positions]))
        for row in rows:
            if widget.is_empty(row[positions]) and (key := str(row[partnerships] or "").strip()):
                after = max(taken.get(key, -1), last_saved(key))
                if after < POSITION_MOST:  # else left empty: the row is refused with why (InList.clean)
                    row[positions] = taken[key] = after + 1
        for index, row in enumerate(rows):
            dataset[index] = row

    def _last_saved(self, key):
        try:
            partnership = self.fields["partnership"].widget.clean(key)
        except ValueError:
            return -1  # the row's own error says why
        last = Outcome.objects.filter(partnership=partnership).aggregate(last=Max("position"))["last"]
        return -1 if last is None else last

    def get_instance(self, instance_loader, row):
        """The outcome at the row's position; two at one position cannot be told apart, and are
        named rather than failing with "get() returned more than one"."""
        try:
            return super().get_instance(instance_loader, row)
        except Outcome.MultipleObjectsReturned:
            raise ValueError(
                f"{row.get('partnership')} has more than one desired outcome at position {row.get('position')}: "
                "give each outcome its own position on the partnership's page, then import again."
            ) from None
