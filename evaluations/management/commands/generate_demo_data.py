from django.core.management.base import BaseCommand, CommandError

from evaluations.demo_data import Scale, generate, remove_demo_data


class Command(BaseCommand):
    help = (
        "Build realistic synthetic data for benchmarks: by default 10,000 partnerships with 50 programmes, "
        "5,000 institutions, 60,000 memberships and 100,000 findings. The same --seed gives the same data. "
        "Replaces earlier demo data; never touches the real programme."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=int, default=10_000, help="Scale; the rest follow the ratios.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--remove", action="store_true", help="Only remove the demo data.")

    def handle(self, *args, partnerships, seed, remove, **options):
        if remove:
            remove_demo_data()
            self.stdout.write(self.style.SUCCESS("Demo data removed."))
            return
        if partnerships < 1:
            raise CommandError("--partnerships must be at least 1.")
        scale = Scale.of(partnerships)
        self.stdout.write(f"Generating {scale} with seed {seed}")
        generate(scale, seed=seed, report=self.stdout.write)
