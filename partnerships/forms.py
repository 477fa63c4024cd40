"""The public filter form, which reads the partnership list's query string whatever it holds; and the
rule of every form's one-line boxes."""

import re
import unicodedata
from urllib.parse import urlencode

from django import forms
from django.utils.choices import flatten_choices

from leadingplaces import public_cache

from .models import Institution, Membership, Partnership, Phase, Region, Theme

SEARCH_MAX_LENGTH = 200


LINE_BREAKS = "\r\n\x0b\x0c\x85\u2028\u2029"


def refuse_line_breaks(value):
    if isinstance(value, str) and any(character in value for character in LINE_BREAKS):
        raise forms.ValidationError("This goes on one line: take out the line breaks.", code="line_break")


def on_one_line(formfield):
    """A one-line box's field, refusing line breaks: a browser's box cannot hold one, but a form
    made by hand can send it, and it would split a name in a list or an email's subject."""
    widget = getattr(formfield, "widget", None)
    if isinstance(getattr(widget, "widget", widget), forms.TextInput):  # inside the admin's related-links wrapper
        formfield.validators.append(refuse_line_breaks)
    return formfield


def said_in_words(formfield):
    """A back-office box's field: on one line where it is a one-line box, and a box left empty
    told what to give by name ("Enter the title.", "Choose the place."), where Django says only
    "This field is required." beside every kind of box."""
    on_one_line(formfield)
    required = getattr(formfield, "error_messages", {}).get("required")
    if formfield is not None and formfield.required and required == forms.Field.default_error_messages["required"]:
        choosing = isinstance(formfield, forms.ChoiceField | forms.ModelChoiceField | forms.FileField)
        formfield.error_messages["required"] = (
            f"{'Choose' if choosing else 'Enter'} the {str(formfield.label).lower()}."
        )
    return formfield


class WrittenNumberField(forms.DecimalField):
    """A number as people write it ("1,250", "72.5"): digits 0-9, with commas between thousands or
    none, and a decimal point. Python's own reading would also take "1e5", "1_000" and "1,2,3",
    and digits of other scripts; Django's would refuse "1,250"."""

    widget = forms.TextInput
    WRITTEN = re.compile(r"-?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages |= {
            "invalid": "Enter a number, such as 72 or 1,250.5.",
            "max_digits": "Enter a figure of no more than 12 digits before the decimal point and 2 after.",
            "max_whole_digits": "Enter a figure of no more than 12 digits before the decimal point.",
            "max_decimal_places": "Enter a figure with no more than 2 decimal places.",
        }

    def widget_attrs(self, widget):
        # A box of text, not of type number: a browser would not send "1,250" from one, but an
        # empty box instead, and the figure would be saved as none.
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if value and not self.WRITTEN.fullmatch(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = value.replace(",", "")
        return super().to_python(value)


class SearchTextField(forms.CharField):
    """Free text that is safe to search with: control characters (NUL included) become spaces,
    runs of spaces collapse, and anything past the limit is cut off rather than refused."""

    def to_python(self, value):
        value = super().to_python(value)
        cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else ch for ch in value)
        return " ".join(cleaned.split())[:SEARCH_MAX_LENGTH]


class FilterChoiceField(forms.ChoiceField):
    """A choice from an address, read without the spaces around it: "?phase=%20" means any phase."""

    def to_python(self, value):
        return super().to_python(value).strip()


def _unknown(what):
    return f"There is no {what} “%(value)s”: choose one from the list."


class PartnershipFilterForm(forms.Form):
    """Phase, theme, region, kind of partner and words; every field optional, combined with AND."""

    q = SearchTextField(
        label="Search words", required=False, widget=forms.TextInput(attrs={"maxlength": SEARCH_MAX_LENGTH})
    )
    phase = FilterChoiceField(required=False, error_messages={"invalid_choice": _unknown("phase")})
    theme = FilterChoiceField(required=False, error_messages={"invalid_choice": _unknown("theme")})
    region = FilterChoiceField(
        choices=[("", "Any region"), *Region.choices],
        required=False,
        error_messages={"invalid_choice": _unknown("region")},
    )
    kind = FilterChoiceField(
        label="Kind of partner",
        choices=[("", "Any kind"), (Institution.ANY_COUNCIL, "Any council"), *Institution.Kind.choices],
        required=False,
        error_messages={"invalid_choice": _unknown("kind of partner")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain values rather than a model instance per option: with many programmes, the list of
        # phases had become the most expensive part of the page.
        self.fields["phase"].choices = [("", "Any phase"), *Phase.objects.choices()]
        self.fields["theme"].choices = [("", "Any theme"), *Theme.objects.values_list("slug", "name")]
        # Offered: only the kinds among the partners of published partnerships, so that no option
        # always finds nothing; any kind is still understood in an address. Read when the list is
        # drawn, not for a download, and kept with the published data's generation where it can be.
        self.fields["kind"].widget.choices = self._kinds_in_use

    def _kinds_in_use(self):
        if not hasattr(self, "_offered_kinds"):  # the widget asks each time it reads its options
            used = public_cache.remembered("partner-kinds", Membership.objects.published().kinds_of_partner)
            if used.intersection(Institution.COUNCILS):
                used.add(Institution.ANY_COUNCIL)
            self._offered_kinds = [(v, label) for v, label in self.fields["kind"].choices if not v or v in used]
        return self._offered_kinds

    def clean(self):
        # An address can name a filter twice (?phase=phase-1&phase=phase-2), where the form offers
        # one choice; rather than quietly keep the last, say so.
        for name in self.fields:
            given = set(self.data.getlist(name)) if hasattr(self.data, "getlist") else set()
            if len(given) > 1:
                label = (self.fields[name].label or name).lower()
                self.add_error(name, f"The address gives {len(given)} values for {label}: choose one.")
        return super().clean()

    def accepted_values(self):
        """{filter: [the values it understands]} for each filter refused, for a download's 400."""
        return {
            name: [value for value, _label in flatten_choices(self.fields[name].choices) if value]
            for name in self.errors
            if name in self.fields and hasattr(self.fields[name], "choices")
        }

    def results(self, partnerships=None):
        """The matching partnerships; none at all when a filter value is not one we know."""
        partnerships = Partnership.objects.published() if partnerships is None else partnerships
        if not self.is_valid():
            return partnerships.none()
        return self._filtered(partnerships).search(self.cleaned_data["q"])

    def spelling_suggestion(self):
        """Search words that would find something within the other filters, for a search that
        found nothing ("sheffeild" -> "Sheffield"); "" when there are none."""
        if not self.is_valid() or not self.cleaned_data["q"]:
            return ""
        return self._filtered(Partnership.objects.published()).spelling_suggestion(self.cleaned_data["q"])

    def _filtered(self, partnerships):
        data = self.cleaned_data
        return partnerships.matching(phase=data["phase"], theme=data["theme"], region=data["region"], kind=data["kind"])

    def is_filtered(self):
        return any((self.data.get(name) or "").strip() for name in self.fields)

    def query_string(self, **replaced):
        """The filters as given (or as replaced), without the page number, for links to other pages
        and downloads."""
        values = {name: self.data.get(name) for name in self.fields} | replaced
        return urlencode({name: value for name, value in values.items() if value})

    def applied(self):
        """Human-readable labels of the valid filters in use, for the results summary."""
        if not self.is_valid():
            return []
        labels = []
        for name in ("phase", "theme", "region", "kind"):
            value = self.cleaned_data[name]
            if value:
                field = self.fields[name]
                labels.append(dict(flatten_choices(field.choices))[value])
        if self.cleaned_data["q"]:
            labels.append(f"“{self.cleaned_data['q']}”")
        return labels
