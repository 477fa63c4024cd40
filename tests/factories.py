"""Small builders for test data. Each takes keyword overrides and fills in the rest."""

import datetime
import itertools

from django.utils.text import slugify

from evaluations.models import Evaluation, Finding
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

_counter = itertools.count(1)


def _next():
    return next(_counter)


def programme(**kw):
    n = _next()
    kw.setdefault("name", f"Programme {n}")
    kw.setdefault("slug", slugify(kw["name"]))
    return Programme.objects.create(**kw)


def phase(**kw):
    if "programme" not in kw:
        kw["programme"] = Programme.objects.first() or programme(name="Leading Places")
    n = kw.setdefault("number", _next())
    kw.setdefault("name", f"Phase {n}")
    kw.setdefault("slug", slugify(kw["name"]))
    kw.setdefault("start_date", datetime.date(2017, 7, 1))
    kw.setdefault("end_date", datetime.date(2018, 3, 31))
    return Phase.objects.create(**kw)


def institution(**kw):
    n = _next()
    kw.setdefault("name", f"Institution {n}")
    kw.setdefault("slug", slugify(kw["name"]))
    kw.setdefault("kind", Institution.Kind.UNIVERSITY)
    kw.setdefault("region", Region.NORTH_EAST)
    return Institution.objects.create(**kw)


def place(**kw):
    n = _next()
    kw.setdefault("name", f"Place {n}")
    kw.setdefault("slug", slugify(kw["name"]))
    return Place.objects.create(**kw)


def theme(**kw):
    n = _next()
    kw.setdefault("name", f"Theme {n}")
    kw.setdefault("slug", slugify(kw["name"]))
    return Theme.objects.create(**kw)


def partnership(*, themes=(), members=(), outcomes=(), challenges=(), **kw):
    kw.setdefault("phase", Phase.objects.first() or phase())
    kw.setdefault("place", place())
    kw.setdefault("slug", kw["place"].slug)
    kw.setdefault("title", f"Working together in {kw['place'].name}")
    kw.setdefault("summary", f"Councils and universities in {kw['place'].name} work on a shared challenge.")
    kw.setdefault("region", Region.NORTH_EAST)
    kw.setdefault("status", Partnership.Status.PUBLISHED)
    p = Partnership.objects.create(**kw)
    p.themes.set(themes)
    for position, (inst, role) in enumerate(members):
        Membership.objects.create(partnership=p, institution=inst, role=role, position=position)
    for position, text in enumerate(outcomes):
        Outcome.objects.create(partnership=p, description=text, position=position)
    for position, text in enumerate(challenges):
        Challenge.objects.create(partnership=p, description=text, position=position)
    return p


def evaluation(**kw):
    n = _next()
    if "partnership" not in kw and "phase" not in kw:
        kw["phase"] = Phase.objects.first() or phase()
    kw.setdefault("title", f"Evaluation {n}")
    kw.setdefault("slug", slugify(kw["title"]))
    kw.setdefault("evaluator_name", "Dr Example")
    return Evaluation.objects.create(**kw)


def finding(evaluation, **kw):
    kw.setdefault("kind", Finding.Kind.ACHIEVEMENT)
    kw.setdefault("text", "The partners met every month.")
    kw.setdefault("position", evaluation.findings.count())
    return Finding.objects.create(evaluation=evaluation, **kw)


def small_programme():
    """Two phases; three published partnerships and one draft; a published phase evaluation."""
    lp = programme(name="Leading Places")
    one = phase(
        programme=lp,
        number=1,
        name="Phase 1",
        slug="phase-1",
        start_date=datetime.date(2016, 5, 1),
        end_date=datetime.date(2017, 3, 31),
    )
    two = phase(programme=lp, number=2, name="Phase 2", slug="phase-2")
    health = theme(name="Health and wellbeing", slug="health-and-wellbeing")
    skills = theme(name="Skills", slug="skills")
    council = institution(name="Tynemouth City Council", kind=Institution.Kind.CITY_COUNCIL)
    uni = institution(name="University of Tynemouth")
    college = institution(name="Tynemouth College", kind=Institution.Kind.FE_COLLEGE)
    tynemouth = place(name="Tynemouth")
    members = [(council, Membership.Role.LEAD), (uni, Membership.Role.PARTNER)]
    partnership(phase=one, place=tynemouth, themes=[skills], members=members, title="Skills for Tynemouth")
    partnership(
        phase=two,
        place=tynemouth,
        themes=[health],
        members=[*members, (college, Membership.Role.PARTNER)],
        title="Healthy Tynemouth",
        outcomes=["Fewer people inactive"],
        challenges=["Inactivity is rising."],
    )
    partnership(
        phase=two,
        place=place(name="Wearside"),
        themes=[skills],
        members=[(uni, Membership.Role.LEAD)],
        title="Wearside skills strategy",
        region=Region.NORTH_WEST,
    )
    partnership(
        phase=two,
        place=place(name="Hidden Vale"),
        status=Partnership.Status.DRAFT,
        title="Secret draft partnership",
        members=[(college, Membership.Role.LEAD)],
    )
    ev = evaluation(
        phase=two, title="Phase 2 evaluation", status=Evaluation.Status.PUBLISHED, summary="What Phase 2 achieved."
    )
    finding(ev, text="Partners built lasting relationships.")
    finding(ev, kind=Finding.Kind.RECOMMENDATION, text="Extend the programme.")
    return lp
