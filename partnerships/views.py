"""The public pages: the programme, its phases, partnerships, institutions and themes, and the data.

Only published partnerships appear in lists, downloads and counts. A draft's own page is a 404
for the public; staff may open it, and see a banner saying that it is a preview.
"""

import csv
import datetime
import re

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from evaluations import public_views as evaluation_pages

from .forms import PartnershipFilterForm
from .models import (
    Document,
    Institution,
    Membership,
    Partnership,
    Phase,
    PhaseBody,
    Programme,
    ProgrammeBody,
    Theme,
)

PER_PAGE = 20
# A last page of up to this many joins the page before it, rather than standing alone.
ORPHANS = 5
LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    "attribution": "Contains public sector information from the Local Government Association's Leading Places "
    "programme, licensed under the Open Government Licence v3.0.",
}


def _is_staff(user):
    return user.is_active and user.is_staff


@require_safe
def home(request):
    programme = (
        Programme.objects.prefetch_related(
            Prefetch("bodies", queryset=ProgrammeBody.objects.select_related("institution").order_by("role", "pk"))
        )
        .filter(slug=settings.HOME_PROGRAMME_SLUG)
        .first()
    )
    phases = Phase.objects.filter(programme=programme).with_partnership_counts().order_by("start_date", "number")
    # Only the programme's own published partnerships are joined and counted, so the page costs
    # the same however much else is recorded.
    themes = (
        Theme.objects.filter(
            partnerships__status=Partnership.Status.PUBLISHED, partnerships__phase__programme=programme
        )
        .annotate(published_count=Count("partnerships"))
        .order_by("name")
    )
    return render(
        request,
        "home.html",
        {
            "programme": programme,
            "bodies": _roles_by_institution(programme.bodies.all() if programme else []),
            "phases": phases,
            "themes": themes,
            "latest_evaluation": evaluation_pages.latest_published(),
        },
    )


@require_safe
def phase_detail(request, slug):
    phase = get_object_or_404(Phase.objects.select_related("programme"), slug=slug)
    bodies = phase.bodies.select_related("institution").order_by("role", "institution__name")
    return render(
        request,
        "partnerships/phase_detail.html",
        {
            "phase": phase,
            "bodies_by_role": _group(bodies, PhaseBody.Role, "role"),
            "partnerships": Partnership.objects.published().in_phase(phase).for_list(),
            "evaluations": evaluation_pages.published_for_phase(phase),
            "documents": phase.documents.filter(is_public=True).order_by("title"),
        },
    )


def _roles_by_institution(bodies):
    """[(institution, [role labels…]), …], so that a body with two roles is listed once."""
    roles = {}
    for body in bodies:
        roles.setdefault(body.institution, []).append(body.get_role_display())
    return list(roles.items())


def _group(rows, choices, attribute):
    """[(label, [rows…]), …] in the order the choices are declared, leaving out empty groups."""
    rows = list(rows)
    groups = [(label, [row for row in rows if getattr(row, attribute) == value]) for value, label in choices.choices]
    return [(label, members) for label, members in groups if members]


@require_safe
def partnership_list(request):
    form = PartnershipFilterForm(request.GET)
    paginator = Paginator(form.results().for_list(), PER_PAGE, orphans=ORPHANS)
    page = paginator.get_page(request.GET.get("page"))  # the nearest valid page for "abc" or 99999
    context = {
        "form": form,
        "page": page,
        "page_numbers": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "partnerships": page.object_list,
        "query_string": form.query_string(),
    }
    if not paginator.count:
        context["suggestion"] = suggestion = form.spelling_suggestion()
        context["suggestion_query_string"] = form.query_string(q=suggestion)
    # A filter not understood is refused (400), with the message by that filter, as downloads are.
    return render(request, "partnerships/partnership_list.html", context, status=400 if form.errors else 200)


# phase_slug and slug together name one partnership: a place may take part in several phases.
CSV_COLUMNS = [
    "phase",
    "phase_slug",
    "slug",
    "url",
    "title",
    "place",
    "region",
    "stage",
    "themes",
    "lead_partners",
    "partners",
    "supporting_partners",
    "summary",
]


def _row(partnership):
    members = {role: [] for role in Membership.Role.values}
    for membership in partnership.memberships.all():
        members[membership.role].append(membership.institution.name)
    return {
        "phase": partnership.phase.name,
        "phase_slug": partnership.phase.slug,
        "slug": partnership.slug,
        "url": settings.SITE_URL + partnership.get_absolute_url(),
        "title": partnership.title,
        "place": partnership.place.name,
        "region": partnership.get_region_display(),
        "stage": partnership.get_stage_display(),
        "themes": [theme.name for theme in partnership.themes.all()],
        "lead_partners": members[Membership.Role.LEAD],
        "partners": members[Membership.Role.PARTNER],
        "supporting_partners": members[Membership.Role.SUPPORTING],
        "summary": partnership.summary,
    }


NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
FORMULA_MARKS = ("=", "+", "-", "@")


def spreadsheet_cell(value):
    """A value as a downloaded spreadsheet's cell: a list joined with "; ", and text beginning with
    =, +, - or @, which a spreadsheet would run as a formula, marked as text with a "'" (a number
    is left as it is)."""
    value = "; ".join(value) if isinstance(value, list) else "" if value is None else str(value)
    if value[:1] in FORMULA_MARKS and not NUMBER.fullmatch(value):
        return "'" + value
    if value[:1] == "'" and value[1:2] in FORMULA_MARKS:
        return "'" + value  # text that looks marked already: marked again, so that an import keeps its "'"
    return value


def unmarked_cell(value):
    """A spreadsheet's cell as read back in an import: the "'" that spreadsheet_cell puts before
    text beginning with =, +, - or @ is taken off again, so that a file exported from the portal
    imports as it was (a spreadsheet program keeps the mark to itself, and saves the text alone)."""
    if isinstance(value, str) and value[:1] == "'" and spreadsheet_cell(value[1:]) == value:
        return value[1:]  # exactly what spreadsheet_cell makes of the rest
    return value


# A UTF-8 byte-order mark first, so that spreadsheet programs (Excel above all) read the file as
# UTF-8 and show "Newcastle’s" rather than "Newcastleâ€™s".
CSV_BOM = "\ufeff"


class _Echo:
    def write(self, value):
        return value


def _filters_refused(form, *, as_json):
    """A 400 that says which filter was not understood, rather than an empty download that looks
    like a true answer; or None when every filter is understood."""
    if form.is_valid():
        return None
    problems = [message for messages in form.errors.values() for message in messages]
    if as_json:
        answer = {"error": "A filter was not understood.", "problems": problems, "accepted": form.accepted_values()}
        return JsonResponse(answer, status=400, json_dumps_params={"ensure_ascii": False})
    lines = ["The download was not made: a filter was not understood.", *problems]
    lines.append(f"The filters to choose from are on {settings.SITE_URL}{reverse('partnerships:list')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8", status=400)


@require_safe
def partnership_csv(request):
    form = PartnershipFilterForm(request.GET)
    if refused := _filters_refused(form, as_json=False):
        return refused
    partnerships = form.results().for_list()
    writer = csv.writer(_Echo())

    def rows():
        yield CSV_BOM + writer.writerow(CSV_COLUMNS)
        for partnership in partnerships.iterator(chunk_size=100):
            row = _row(partnership)
            yield writer.writerow([spreadsheet_cell(row[column]) for column in CSV_COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="leading-places-partnerships-{_today()}.csv"'
    return response


@require_safe
def partnership_json(request):
    form = PartnershipFilterForm(request.GET)
    if refused := _filters_refused(form, as_json=True):
        return refused
    rows = [_row(partnership) for partnership in form.results().for_list()]
    payload = {
        "title": "Leading Places partnerships",
        "source": settings.SITE_URL
        + reverse("partnerships:list")
        + (f"?{form.query_string()}" if form.query_string() else ""),
        "licence": LICENCE,
        "generated": _today(),
        "count": len(rows),
        "partnerships": rows,
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'inline; filename="leading-places-partnerships-{_today()}.json"'
    return response


def _today():
    return datetime.date.today().isoformat()


@require_safe
def partnership_detail(request, phase_slug, slug):
    # Anyone sees a published partnership; staff see drafts too, to preview them.
    partnerships = Partnership.objects.visible_to(request.user)
    partnership = partnerships.select_related("phase__programme", "place").filter(phase__slug=phase_slug, slug=slug)
    partnership = partnership.first()
    if partnership is None:  # a mistyped address is offered the nearest one
        suggestion = partnerships.nearest_address(phase_slug, slug)
        return render(request, "404.html", {"suggestion": suggestion}, status=404)
    memberships = partnership.memberships.select_related("institution")
    phase_evaluations, own_evaluations = evaluation_pages.published_evaluations_of(partnership)
    context = {
        "partnership": partnership,
        "preview": not partnership.is_published,
        "themes": partnership.themes.all(),
        "members_by_role": _group(memberships, Membership.Role, "role"),
        "challenges": partnership.challenges.all(),
        "outcomes": evaluation_pages.outcomes_with_published_progress(partnership),
        "findings": evaluation_pages.published_findings_about(partnership),
        "phase_evaluations": phase_evaluations,
        "own_evaluations": own_evaluations,
        "documents": partnership.documents.filter(is_public=True).order_by("title"),
        "evaluation_documents": evaluation_pages.published_documents_about(partnership),
        "other_phases": Partnership.objects.published()
        .filter(place=partnership.place)
        .exclude(phase=partnership.phase_id)
        .select_related("phase")
        .order_by("phase__start_date"),
    }
    return render(request, "partnerships/partnership_detail.html", context)


@require_safe
def institution_list(request):
    institutions = Institution.objects.public().with_published_counts().order_by("name")
    return render(
        request,
        "partnerships/institution_list.html",
        {"institutions_by_kind": _group(institutions, Institution.Kind, "kind"), "count": len(institutions)},
    )


@require_safe
def institution_detail(request, slug):
    institution = get_object_or_404(Institution, slug=slug)
    is_public = Institution.objects.public().filter(pk=institution.pk).exists()
    if not is_public and not _is_staff(request.user):
        raise Http404("No public record of this institution.")
    memberships = (
        institution.memberships.filter(partnership__status=Partnership.Status.PUBLISHED)
        .select_related("partnership__phase", "partnership__place")
        .defer("partnership__search_vector")
        .order_by("partnership__phase__start_date", "partnership__place__name")
    )
    return render(
        request,
        "partnerships/institution_detail.html",
        {
            "institution": institution,
            "preview": not is_public,
            "memberships": memberships,
            "programme_roles": institution.programme_roles.select_related("programme").order_by("programme", "role"),
            "home_programme_slug": settings.HOME_PROGRAMME_SLUG,
            "phase_roles": institution.phase_roles.select_related("phase").order_by("phase__start_date", "role"),
            "worked_with": Institution.objects.worked_with(institution).order_by("name"),
        },
    )


@require_safe
def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    partnerships = Partnership.objects.published().filter(themes=theme).for_list()
    return render(request, "partnerships/theme_detail.html", {"theme": theme, "partnerships": partnerships})


def _get_document_for(user, pk):
    """A public document of a published partnership (or of a phase or programme), or anything for staff."""
    document = get_object_or_404(Document.objects.select_related("partnership"), pk=pk)
    is_public = document.is_public and (document.partnership is None or document.partnership.is_published)
    if not is_public and not _is_staff(user):
        raise Http404("No such document.")
    return document


@require_safe
def document_download(request, pk):
    document = _get_document_for(request.user, pk)
    if document.url:
        return redirect(document.url)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The document's file is missing.") from error
    return FileResponse(handle, as_attachment=True, filename=document.download_name)


@require_safe
def data_page(request):
    return render(
        request,
        "partnerships/data.html",
        {
            "phases": Phase.objects.with_partnership_counts().filter(published_count__gt=0).order_by("start_date"),
            "themes": Theme.objects.filter(partnerships__status=Partnership.Status.PUBLISHED).distinct(),
            "licence": LICENCE,
        },
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /evaluator/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
