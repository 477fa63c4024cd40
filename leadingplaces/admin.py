"""The back office's own site: Django's admin with a programme dashboard on its home page."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db.models import Count, Q


class PortalAdminSite(admin.AdminSite):
    site_header = "Leading Places back office"
    site_title = "Leading Places back office"
    index_title = "Programme dashboard"

    def index(self, request, extra_context=None):
        return super().index(request, {**(extra_context or {}), "dashboard": dashboard()})


class PortalAdminConfig(AdminConfig):
    default_site = "leadingplaces.admin.PortalAdminSite"


def dashboard():
    """The figures an officer checks first, each with the filter that lists the records.

    Five queries: partnerships by phase and status, evaluations awaiting review, and one count
    for each kind of missing information.
    """
    # Imported here: this module is loaded while the apps are still being set up.
    from evaluations.models import Evaluation
    from partnerships.models import Partnership

    by_phase = (
        Partnership.objects.values("phase__name", "phase__id")
        .annotate(
            published=Count("pk", filter=Q(status=Partnership.Status.PUBLISHED)),
            draft=Count("pk", filter=Q(status=Partnership.Status.DRAFT)),
        )
        .order_by("phase__start_date", "phase__number", "phase__name")
    )
    awaiting = list(Evaluation.objects.awaiting_review().order_by("submitted_at").values("pk", "title", "submitted_at"))
    missing = {f"no_{what}": Partnership.objects.missing(what).count() for what in ("outcomes", "lead", "region")}
    return {"by_phase": by_phase, "awaiting_review": awaiting, "missing": missing}
