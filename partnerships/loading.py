"""Loading the programme's data from the reviewed data file into the database.

The file is the reference: each record it names is created, or brought back to what
the file says. Records that officers added in the back office are left alone.
Running it twice changes nothing the second time.
"""

import tomllib
from collections import Counter
from pathlib import Path

from django.db import transaction

from .history import last_version_id, one_version_per_save
from .models import (
    Challenge,
    Institution,
    Membership,
    Outcome,
    Partnership,
    Phase,
    PhaseBody,
    Place,
    Programme,
    ProgrammeBody,
    Theme,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "leading_places.toml"
CHANGE_REASON = "Loaded from the Leading Places data file"


def read_data(path=DATA_FILE):
    with open(path, "rb") as f:
        return tomllib.load(f)


class Report:
    """What a load did, model by model: created, updated, unchanged and removed."""

    def __init__(self):
        self.counts = Counter()

    def record(self, model, outcome):
        self.counts[(model._meta.verbose_name_plural, outcome)] += 1

    def total(self, outcome):
        return sum(n for (_, o), n in self.counts.items() if o == outcome)

    def lines(self):
        names = sorted({name for name, _ in self.counts})
        for name in names:
            c, u, s, r = (self.counts[(name, o)] for o in ("created", "updated", "unchanged", "removed"))
            yield f"{name}: {c} created, {u} updated, {s} unchanged" + (f", {r} removed" if r else "")


def sync(report, model, lookup, values, lists=None):
    """Create the record, or update the fields that differ; save only when something changed.
    `lists` gives the records of its many-to-many fields by name; a change to one is an update.
    A record saved and its lists changed is one version in its history, as a save in the back office is."""
    lists = lists or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj._last_version_before_save = 0
        obj._change_reason = CHANGE_REASON
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        to_set, outcome = {name: records for name, records in lists.items() if records}, "created"
    else:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        to_set = {name: records for name, records in lists.items() if set(getattr(obj, name).all()) != set(records)}
        if changed or to_set:  # only a record to be written is locked, and its history read
            obj._last_version_before_save = last_version_id(obj)
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj._change_reason = CHANGE_REASON
            obj.save()
        outcome = "updated" if changed or to_set else "unchanged"
    for name, records in to_set.items():
        getattr(obj, name).set(records)
    one_version_per_save(obj)
    report.record(model, outcome)
    return obj


def _text(value):
    return (value or "").strip()


def _date(value):
    return value or None


class Loader:
    """Reads the parsed data file into the database, keeping slugs as keys."""

    def __init__(self, data, report):
        self.data = data
        self.report = report
        self.institutions = {}
        self.themes = {}
        self.places = {}
        self.phases = {}
        self.partnerships = {}

    def institution(self, slug):
        try:
            return self.institutions[slug]
        except KeyError:
            raise ValueError(f"The data file names an unknown institution: {slug!r}") from None

    def load(self):
        for row in self.data.get("institutions", []):
            self.load_institution(row)
        for row in self.data.get("themes", []):
            self.themes[row["slug"]] = sync(
                self.report,
                Theme,
                {"slug": row["slug"]},
                {"name": row["name"], "description": _text(row.get("description"))},
            )
        for row in self.data.get("places", []):
            self.places[row["slug"]] = sync(self.report, Place, {"slug": row["slug"]}, {"name": row["name"]})
        programmes = {row["slug"]: self.load_programme(row) for row in self.data.get("programmes", [])}
        for row in self.data.get("phases", []):
            self.load_phase(row, programmes[row["programme"]])
        for row in self.data.get("partnerships", []):
            self.load_partnership(row)

    def load_institution(self, row):
        aliases = sorted(row.get("aliases", []))
        self.institutions[row["slug"]] = sync(
            self.report,
            Institution,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "kind": row["kind"],
                "region": row.get("region", ""),
                "website": row.get("website", ""),
                "identifier": row.get("identifier", ""),
                "aliases": aliases,
            },
        )

    def load_programme(self, row):
        programme = sync(
            self.report,
            Programme,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "description": _text(row.get("description")),
                "start_date": _date(row.get("start_date")),
                "end_date": _date(row.get("end_date")),
            },
        )
        for body in row.get("bodies", []):
            sync(
                self.report,
                ProgrammeBody,
                {"programme": programme, "institution": self.institution(body["institution"]), "role": body["role"]},
                {},
            )
        return programme

    def load_phase(self, row, programme):
        phase = sync(
            self.report,
            Phase,
            {"slug": row["slug"]},
            {
                "programme": programme,
                "number": row["number"],
                "name": row["name"],
                "start_date": row["start_date"],
                "end_date": row["end_date"],
                "description": _text(row.get("description")),
            },
        )
        for body in row.get("bodies", []):
            sync(
                self.report,
                PhaseBody,
                {"phase": phase, "institution": self.institution(body["institution"]), "role": body["role"]},
                {"note": body.get("note", "")},
            )
        self.phases[row["slug"]] = phase

    def load_partnership(self, row):
        phase = self.phases[row["phase"]]
        partnership = sync(
            self.report,
            Partnership,
            {"phase": phase, "slug": row["slug"]},
            {
                "place": self.places[row["place"]],
                "title": row["title"],
                "summary": _text(row.get("summary")),
                "region": row.get("region", ""),
                "outcomes_intro": _text(row.get("outcomes_intro")),
                "why_chosen": _text(row.get("why_chosen")),
                "status": Partnership.Status.PUBLISHED,
                "stage": row.get("stage", Partnership.Stage.COMPLETED),
            },
            lists={"themes": {self.themes[slug] for slug in row.get("themes", [])}},
        )
        for position, member in enumerate(row.get("members", [])):
            sync(
                self.report,
                Membership,
                {"partnership": partnership, "institution": self.institution(member["institution"])},
                {
                    "role": member.get("role", Membership.Role.PARTNER),
                    "note": member.get("note", ""),
                    "position": position,
                },
            )
        challenges = row.get("challenges", [])
        for position, text in enumerate(challenges):
            sync(
                self.report, Challenge, {"partnership": partnership, "position": position}, {"description": _text(text)}
            )
        # Challenges past the file's list (the file's were merged, or one was added by hand) go.
        for extra in partnership.challenges.filter(position__gte=len(challenges)):
            extra._change_reason = CHANGE_REASON
            extra.delete()
            self.report.record(Challenge, "removed")
        for position, outcome in enumerate(row.get("outcomes", [])):
            sync(self.report, Outcome, {"partnership": partnership, "position": position}, _outcome_values(outcome))
        self.partnerships[f"{row['phase']}/{row['slug']}"] = partnership


def _outcome_values(row):
    return {
        "description": _text(row["description"]),
        "indicator": row.get("indicator", ""),
        "baseline": row.get("baseline"),
        "target": row.get("target"),
        "unit": row.get("unit", ""),
        "target_date": _date(row.get("target_date")),
    }


@transaction.atomic
def load_programme_data(data, report=None):
    """Load programmes, phases, institutions, themes, places and partnerships; return the loader."""
    loader = Loader(data, report or Report())
    loader.load()
    Partnership.objects.update_search_vectors()
    return loader
