from django.db import migrations, models
from django.db.models import Count


def refuse_places_with_two_partnerships_in_a_phase(apps, schema_editor):
    """Before the rule is kept by the database: a database that breaks it is named, pair by pair,
    where adding the constraint would fail with the database's own message."""
    Partnership = apps.get_model("partnerships", "Partnership")
    twice = (
        Partnership.objects.values("phase__name", "place__name")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .order_by("phase__name", "place__name")
    )
    if found := [f"{row['place__name']} in {row['phase__name']} ({row['count']} partnerships)" for row in twice]:
        raise RuntimeError(
            "A place may now have one partnership a phase, and these have more: "
            + "; ".join(found)
            + ". Give each of them another place, or delete the ones not needed, in the back office of the "
            "release before this one; then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0007_document_file_field"),
    ]

    operations = [
        migrations.RunPython(refuse_places_with_two_partnerships_in_a_phase, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="partnership",
            constraint=models.UniqueConstraint(
                fields=("phase", "place"),
                name="one_partnership_per_place_per_phase",
                violation_error_message="This place already has a partnership in this phase: open that one to "
                "change it, or choose another place.",
            ),
        ),
    ]
