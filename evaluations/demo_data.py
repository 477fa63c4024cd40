"""Realistic synthetic data at a chosen scale, for benchmarks and for trying the portal with volume.

Everything it makes has a slug starting with "demo-", so it can be told apart from the real
programme and removed again. The same seed always gives the same data. It writes with bulk
operations, so it leaves no history rows: it is test data, not a record of anyone's work.
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction

from leadingplaces import public_cache
from partnerships.models import (
    Challenge,
    Institution,
    Membership,
    Outcome,
    Partnership,
    Phase,
    Place,
    Programme,
    Region,
    Theme,
)

from .models import Evaluation, Finding

PREFIX = "demo-"
BATCH = 2000

PLACE_WORDS = [
    "Ash",
    "Brook",
    "Castle",
    "Dale",
    "East",
    "Fair",
    "Green",
    "High",
    "King",
    "Lea",
    "Marsh",
    "North",
    "Oak",
    "Port",
    "Queen",
    "Red",
    "South",
    "Stone",
    "Thorn",
    "Water",
    "West",
    "Wood",
    "Bridge",
    "Mill",
]
PLACE_ENDINGS = ["ford", "ton", "ley", "by", "ham", "wick", "field", "bury", "mouth", "minster", "stead", "worth"]
CHALLENGE_TOPICS = [
    "skills shortages in digital and engineering jobs",
    "physical inactivity and poor mental health among young people",
    "low productivity among small and medium-sized businesses",
    "an ageing population in rural areas that is hard to reach with services",
    "a lack of affordable workspace for creative businesses",
    "poverty and insecure work despite economic growth",
    "air quality, congestion and fuel poverty in the city centre",
    "too few local people going on to higher education",
]
OUTCOME_VERBS = ["Develop", "Agree", "Deliver", "Establish", "Increase", "Reduce", "Test", "Embed"]
FINDING_TEXTS = [
    "Partners aligned the project with the local industrial strategy.",
    "Senior leaders met regularly and kept the momentum going.",
    "Project management capacity depended on a few committed individuals.",
    "The partnership should share its approach with neighbouring places.",
    "Place-based collaboration needs leadership, vision and investment.",
    "Student volunteers added capacity to deliver the programme.",
    "Data sharing between the council and the NHS took longer than planned.",
]


@dataclass
class Scale:
    programmes: int = 50
    partnerships: int = 10_000
    institutions: int = 5_000
    memberships: int = 60_000
    findings: int = 100_000

    @classmethod
    def of(cls, partnerships):
        """The planning ratios (10,000 partnerships : 5,000 institutions : 60,000 memberships …)."""
        ratio = partnerships / 10_000
        return cls(
            programmes=max(1, round(50 * ratio)),
            partnerships=partnerships,
            institutions=max(10, round(5_000 * ratio)),
            memberships=max(partnerships, round(60_000 * ratio)),
            findings=max(1, round(100_000 * ratio)),
        )


class Generator:
    def __init__(self, scale, seed=1, report=print):
        self.scale = scale
        self.random = random.Random(seed)
        self.report = report
        self.started = time.monotonic()

    def step(self, message):
        self.report(f"[{time.monotonic() - self.started:6.1f}s] {message}")

    def run(self):
        self.step("Removing earlier demo data")
        remove_demo_data()
        themes = list(Theme.objects.all()) or self.themes()
        institutions = self.institutions()
        phases = self.programmes_and_phases()
        places = self.places(phases)
        partnerships = self.partnerships(phases, places, themes)
        self.memberships(partnerships, institutions)
        self.challenges_and_outcomes(partnerships)
        self.evaluations_and_findings(phases, partnerships)
        self.step("Updating search vectors")
        update_search = getattr(Partnership.objects, "update_search_vectors", None)
        if update_search:
            update_search()
        public_cache.bump()
        self.step("Done")

    def themes(self):
        names = ["Skills", "Health and wellbeing", "Inclusive growth", "Innovation", "Culture", "Smart cities"]
        return Theme.objects.bulk_create(
            [Theme(name=name, slug=f"{PREFIX}{name.lower().replace(' ', '-')}") for name in names]
        )

    def institutions(self):
        kinds = Institution.Kind.values
        regions = Region.values
        rows = [
            Institution(
                name=f"Demo {self._place_name(i)} {Institution.Kind(kinds[i % len(kinds)]).label} {i}",
                slug=f"{PREFIX}institution-{i}",
                kind=kinds[i % len(kinds)],
                region=self.random.choice(regions),
            )
            for i in range(self.scale.institutions)
        ]
        Institution.objects.bulk_create(rows, batch_size=BATCH)
        self.step(f"Created {len(rows):,} institutions")
        return list(Institution.objects.filter(slug__startswith=PREFIX).only("id"))

    def programmes_and_phases(self):
        programmes = Programme.objects.bulk_create(
            [
                Programme(name=f"Demo programme {i}", slug=f"{PREFIX}programme-{i}", description="Synthetic data.")
                for i in range(self.scale.programmes)
            ]
        )
        phases = []
        for programme in programmes:
            for number in (1, 2, 3):
                start = datetime.date(2015 + number + self.random.randint(0, 5), 4, 1)
                phases.append(
                    Phase(
                        programme=programme,
                        number=number,
                        name=f"{programme.name}, phase {number}",
                        slug=f"{programme.slug}-phase-{number}",
                        start_date=start,
                        end_date=start + datetime.timedelta(days=330),
                    )
                )
        Phase.objects.bulk_create(phases)
        self.step(f"Created {len(programmes):,} programmes and {len(phases):,} phases")
        return list(Phase.objects.filter(slug__startswith=PREFIX))

    def places(self, phases):
        # Enough for each partnership's place to be the only one of its phase (see partnerships()).
        count = max(10, self.scale.partnerships // 5, -(-self.scale.partnerships // len(phases)))
        rows = [Place(name=f"{self._place_name(i)} {i}", slug=f"{PREFIX}place-{i}") for i in range(count)]
        Place.objects.bulk_create(rows, batch_size=BATCH)
        return list(Place.objects.filter(slug__startswith=PREFIX))

    def partnerships(self, phases, places, themes):
        rows = []
        for i in range(self.scale.partnerships):
            # Each place about as often as any other, and at most once a phase (the programme's
            # rule): its k-th partnership is in the phase k after its own number.
            number, k = i % len(places), i // len(places)
            place = places[number]
            topic = self.random.choice(CHALLENGE_TOPICS)
            rows.append(
                Partnership(
                    phase=phases[(number + k) % len(phases)],
                    place=place,
                    slug=f"{place.slug}-{i}",
                    title=f"Tackling {topic.split(' ', 3)[-1]} in {place.name}",
                    summary=f"Councils, universities and colleges in {place.name} work together on {topic}.",
                    region=self.random.choice(Region.values),
                    why_chosen="The partners share a priority and have worked together before.",
                    status=Partnership.Status.PUBLISHED if self.random.random() < 0.9 else Partnership.Status.DRAFT,
                    stage=self.random.choice(Partnership.Stage.values),
                )
            )
        Partnership.objects.bulk_create(rows, batch_size=BATCH)
        partnerships = list(Partnership.objects.filter(slug__startswith=PREFIX).only("id", "phase_id"))
        through = Partnership.themes.through
        links = {(p.id, theme.id) for p in partnerships for theme in self.random.sample(themes, k=min(2, len(themes)))}
        through.objects.bulk_create([through(partnership_id=p, theme_id=t) for p, t in links], batch_size=BATCH * 5)
        self.step(f"Created {len(partnerships):,} partnerships with {len(links):,} theme links")
        return partnerships

    def memberships(self, partnerships, institutions):
        per = max(1, self.scale.memberships // len(partnerships))
        rows = []
        for partnership in partnerships:
            chosen = self.random.sample(institutions, k=min(per, len(institutions)))
            for position, institution in enumerate(chosen):
                role = Membership.Role.LEAD if position == 0 else Membership.Role.PARTNER
                rows.append(Membership(partnership=partnership, institution=institution, role=role, position=position))
        Membership.objects.bulk_create(rows, batch_size=BATCH * 5)
        self.step(f"Created {len(rows):,} memberships")

    def challenges_and_outcomes(self, partnerships):
        challenges, outcomes = [], []
        for p in partnerships:
            challenges.append(Challenge(partnership=p, description=self.random.choice(CHALLENGE_TOPICS).capitalize()))
            for position in range(3):
                verb = self.random.choice(OUTCOME_VERBS)
                outcomes.append(
                    Outcome(
                        partnership=p,
                        description=f"{verb} a shared plan for {position + 1} priorities.",
                        position=position,
                    )
                )
        Challenge.objects.bulk_create(challenges, batch_size=BATCH * 5)
        Outcome.objects.bulk_create(outcomes, batch_size=BATCH * 5)
        self.step(f"Created {len(challenges):,} challenges and {len(outcomes):,} outcomes")

    def evaluations_and_findings(self, phases, partnerships):
        evaluations = [
            Evaluation(
                title=f"Evaluation of {phase.name}",
                slug=f"{phase.slug}-evaluation",
                phase=phase,
                evaluator_name="Demo Evaluator",
                status=Evaluation.Status.PUBLISHED,
                summary="Synthetic evaluation.",
                date=phase.end_date,
            )
            for phase in phases
        ]
        Evaluation.objects.bulk_create(evaluations)
        evaluations = list(Evaluation.objects.filter(slug__startswith=PREFIX))
        by_phase = {}
        for p in partnerships:
            by_phase.setdefault(p.phase_id, []).append(p.id)
        kinds = Finding.Kind.values
        findings = []
        for i in range(self.scale.findings):
            evaluation = evaluations[i % len(evaluations)]
            findings.append(
                Finding(
                    evaluation=evaluation,
                    kind=kinds[i % len(kinds)],
                    text=self.random.choice(FINDING_TEXTS),
                    position=i // len(evaluations),
                )
            )
        Finding.objects.bulk_create(findings, batch_size=BATCH * 5)
        through = Finding.partnerships.through
        links = []
        for finding in Finding.objects.filter(evaluation__slug__startswith=PREFIX).values("id", "evaluation__phase_id"):
            candidates = by_phase.get(finding["evaluation__phase_id"])
            if candidates and self.random.random() < 0.5:
                links.append(through(finding_id=finding["id"], partnership_id=self.random.choice(candidates)))
        through.objects.bulk_create(links, batch_size=BATCH * 5)
        self.step(f"Created {len(evaluations):,} evaluations and {len(findings):,} findings")

    def _place_name(self, i):
        return PLACE_WORDS[i % len(PLACE_WORDS)] + PLACE_ENDINGS[(i // len(PLACE_WORDS)) % len(PLACE_ENDINGS)]


@transaction.atomic
def remove_demo_data():
    """Delete everything the generator made, children first.

    It deletes in bulk, without signals: per-row deletes of 100,000 findings would each
    write a history row, and the demo data has no history worth keeping.
    """
    demo = {"slug__startswith": PREFIX}
    in_demo_evaluation = {"evaluation__slug__startswith": PREFIX}
    in_demo_partnership = {"partnership__slug__startswith": PREFIX}
    querysets = [
        Finding.partnerships.through.objects.filter(finding__evaluation__slug__startswith=PREFIX),
        Finding.outcomes.through.objects.filter(finding__evaluation__slug__startswith=PREFIX),
        Finding.objects.filter(**in_demo_evaluation),
        Evaluation.evaluators.through.objects.filter(**in_demo_evaluation),
        Evaluation.objects.filter(**demo),
        Membership.objects.filter(**in_demo_partnership),
        Challenge.objects.filter(**in_demo_partnership),
        Outcome.objects.filter(**in_demo_partnership),
        Partnership.themes.through.objects.filter(**in_demo_partnership),
        Partnership.objects.filter(**demo),
        Place.objects.filter(**demo),
        Phase.objects.filter(**demo),
        Programme.objects.filter(**demo),
        Institution.objects.filter(**demo),
        Theme.objects.filter(**demo),
    ]
    for queryset in querysets:
        queryset._raw_delete(queryset.db)


def generate(scale, seed=1, report=print):
    with transaction.atomic():
        Generator(scale, seed=seed, report=report).run()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
