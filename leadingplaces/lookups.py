"""Database lookups the portal adds to Django's."""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerIn(In):
    """`in` on an integer column, leaving out numbers the column cannot hold.

    Django already does this for `exact` and the comparisons; without it here, a tampered id in
    a form (a tick box, an autocomplete) reaches SQLite, which raises OverflowError: a server
    error instead of "not a valid choice"."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register():
    IntegerField.register_lookup(IntegerIn)
