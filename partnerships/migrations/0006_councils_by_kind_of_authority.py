"""The real data's city councils, filed under their kind of authority, as the data file now has them.

Only those still filed as "city-council" change, so that an officer's own choice stands. The update
writes no history record (the data file is the change's record), and is not undone when migrating
back."""

from django.db import migrations

KINDS = {
    "newcastle-city-council": "metropolitan-borough-council",
    "coventry-city-council": "metropolitan-borough-council",
    "hull-city-council": "unitary-council",
    "nottingham-city-council": "unitary-council",
    "stoke-on-trent-city-council": "unitary-council",
    "brighton-and-hove-city-council": "unitary-council",
    "bristol-city-council": "unitary-council",
    "gloucester-city-council": "district-council",
}


def file_by_kind(apps, schema_editor):
    Institution = apps.get_model("partnerships", "Institution")
    for slug, kind in KINDS.items():
        Institution.objects.filter(slug=slug, kind="city-council").update(kind=kind)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0005_slug_help_text")]

    operations = [migrations.RunPython(file_by_kind, migrations.RunPython.noop)]
