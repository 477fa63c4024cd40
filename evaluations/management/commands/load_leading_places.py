from django.core.management.base import BaseCommand, CommandError

from evaluations.loading import load_leading_places
from partnerships.loading import DATA_FILE, read_data


class Command(BaseCommand):
    help = (
        "Load the Leading Places programme (phases, partnerships, institutions, outcomes and the "
        "published evaluation) from partnerships/data/leading_places.toml. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=DATA_FILE, help="Another data file of the same shape.")

    def handle(self, *args, **options):
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
