from django.core.management.base import BaseCommand, CommandError

from evaluations.loading import load_leading_places
from partnerships.loading import DATA_FILE, read_data
from partnerships.models import Programme


class Command(BaseCommand):
    help = (
        "Load the Leading Places programme (phases, partnerships, institutions, outcomes and the "
        "published evaluation) from partnerships/data/leading_places.toml. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=DATA_FILE, help="Another data file of the same shape.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into a database with no programme yet, so that officers' edits are kept.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Programme.objects.exists():
            self.stdout.write(
                "The database already holds programme data, so it is left as it is. To bring every record "
                "back to the data file, undoing any edits made in the back office, run load_leading_places."
            )
            return
        try:
            data = read_data(options["file"])
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read the data file: {error}") from error
        report = load_leading_places(data)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {report.total('created')} created, {report.total('updated')} updated, "
                f"{report.total('unchanged')} unchanged."
            )
        )
