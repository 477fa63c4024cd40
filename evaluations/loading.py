"""Loading the published evaluations from the programme's data file."""

from django.db import transaction
from django.utils import timezone

from partnerships.loading import Report, load_programme_data, sync

from .models import Evaluation, Finding


def _published_at(row):
    return timezone.make_aware(timezone.datetime.combine(row["date"], timezone.datetime.min.time()))


def load_evaluations(data, loader, report):
    for row in data.get("evaluations", []):
        scope = {"phase": None, "partnership": None}
        if "partnership" in row:
            scope["partnership"] = loader.partnerships[row["partnership"]]
        else:
            scope["phase"] = loader.phases[row["phase"]]
        in_detail = {loader.partnerships[key] for key in row.get("looked_at_in_detail", [])}
        if error := Evaluation(**scope).looked_at_in_detail_error(in_detail):
            raise ValueError(f"The data file's evaluation {row['slug']!r}: {error}")
        evaluation = sync(
            report,
            Evaluation,
            {"slug": row["slug"]},
            {
                **scope,
                "title": row["title"],
                "evaluator_name": row.get("evaluator_name", ""),
                "evaluator_organisation": loader.institution(row["evaluator_organisation"])
                if row.get("evaluator_organisation")
                else None,
                "date": row.get("date"),
                "status": row.get("status", Evaluation.Status.PUBLISHED),
                "summary": (row.get("summary") or "").strip(),
                "published_at": _published_at(row) if row.get("status") == "published" else None,
            },
            lists={"looked_at_in_detail": in_detail},
        )
        for position, finding in enumerate(row.get("findings", [])):
            sync(
                report,
                Finding,
                {"evaluation": evaluation, "position": position},
                {"kind": finding["kind"], "text": finding["text"].strip()},
                lists={"partnerships": {loader.partnerships[key] for key in finding.get("partnerships", [])}},
            )


@transaction.atomic
def load_leading_places(data):
    """Load the whole programme, evaluations included, and report what changed."""
    report = Report()
    loader = load_programme_data(data, report)
    load_evaluations(data, loader, report)
    return report
