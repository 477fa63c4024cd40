"""Form fields shared by the portal's own forms and its back office."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

LARGEST_KEY = 2**63 - 1  # the widest integer key a supported database can store


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, except that an id no database could hold is an invalid choice. Django's own
    passes it to an `IN` lookup, where SQLite raises OverflowError: a server error."""

    def _check_values(self, value):
        if self._keys_are_integers() and isinstance(value, list | tuple | set | frozenset):
            for key in value:
                if key_out_of_range(key):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": key}
                    )
        return super()._check_values(value)

    def _keys_are_integers(self):
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        return isinstance(key, models.IntegerField)


def key_out_of_range(key):
    """Whether this is a whole number no database's integer key can hold."""
    try:
        number = int(str(key).strip())
    except ValueError:
        return False  # not a number at all: Django's own checks refuse it
    return not -LARGEST_KEY - 1 <= number <= LARGEST_KEY
