"""The back office's own site: Django's admin with a programme dashboard on its home page."""

import logging
from functools import wraps
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldError, ValidationError
from django.db import DataError, transaction
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from import_export.results import Result

from .errors import RefusedRequest

logger = logging.getLogger("leadingplaces")


class PortalAdminSite(admin.AdminSite):
    site_header = "Leading Places back office"
    site_title = "Leading Places back office"
    index_title = "Programme dashboard"
    # Without the sidebar of every model beside each page, a list and its filters fit a laptop
    # screen; the breadcrumbs and the dashboard lead everywhere the sidebar did.
    enable_nav_sidebar = False

    @property
    def login_form(self):
        """By username or email address, as the portal's sign-in."""
        from .forms import BackOfficeSignInForm  # needs the apps loaded, and this site is made before

        return BackOfficeSignInForm

    def index(self, request, extra_context=None):
        return super().index(request, {**(extra_context or {}), "dashboard": dashboard()})

    def admin_view(self, view, cacheable=False):
        """Django's, except that a list action's selection which is not record numbers (every
        record here is numbered) is refused as a bad request: Django passes it on to the action,
        which then fails with a server error when it reads the records. Checked after Django's
        own checks, so a visitor who is not signed in is still sent to sign in."""

        @wraps(view)
        def checked(request, *args, **kwargs):
            selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME) if request.method == "POST" else []
            if not all(pk.isascii() and pk.isdigit() for pk in selected):
                raise RefusedRequest("The selected records were not understood.")
            if request.GET:
                response = _with_query_understood(request, view, *args, **kwargs)
            else:
                response = view(request, *args, **kwargs)
            return with_refused_status(request, response)

        guarded = super().admin_view(checked, cacheable)

        @wraps(view)
        def typed_kept(request, *args, **kwargs):
            # A form sent after the sign-in ended: Django would send its sender to sign in, losing
            # what they typed (a long edit of a partnership's page, say); it is shown to copy.
            if request.method == "POST" and not request.user.is_authenticated and (typed := _typed(request.POST)):
                from .views import not_saved_signed_out  # needs the apps loaded, and this site is made before

                # Back to the page after signing in; an import's confirmation is only sent, not opened.
                back = request.path.removesuffix("process_import/") + (
                    "import/" if request.path.endswith("process_import/") else ""
                )
                sign_in = f"{reverse('admin:login', current_app=self.name)}?{urlencode({'next': back})}"
                return not_saved_signed_out(request, typed, sign_in)
            return guarded(request, *args, **kwargs)

        return typed_kept

    def login(self, request, extra_context=None):
        """Django's sign-in, except that an evaluator already signed in who opens it is taken to
        their evaluations rather than asked to sign in to a different account."""
        from evaluations.roles import is_evaluator  # needs the apps loaded, and this site is made before

        if request.method == "GET" and not request.user.is_staff and is_evaluator(request.user):
            messages.info(request, "The back office is for programme officers. Your evaluations are here.")
            return redirect("evaluations:dashboard")
        extra_context = {"title": "Sign in", **(extra_context or {})}  # Django's says "Log in"
        return with_refused_status(request, super().login(request, extra_context))


# What a back-office form sends besides what its sender typed: its hidden workings and buttons.
NOT_TYPED = {"csrfmiddlewaretoken", "opened_state", "version", "action", "index", "select_across"}
NOT_TYPED |= {"resource", "format", "import_file_name", "original_file_name", "checked_at"}  # an import's
NOT_TYPED_ENDINGS = ("-id", "-DELETE", "-position", "-opened_state", "FORMS")


def _typed(posted):
    """What a back-office form held that its sender typed, as (where it was, the text): the boxes'
    text, not their record numbers, positions, ticks or hidden workings. A box in a list of rows is
    named by its list and row ("Memberships, row 2: note")."""
    typed = []
    for name, value in posted.items():
        value = value.strip()
        if not value or value.isdigit() or value == "on" or name.startswith("_") or name in NOT_TYPED:
            continue
        if "password" in name:  # never shown back
            continue
        if name.endswith(NOT_TYPED_ENDINGS) or name.startswith(helpers.ACTION_CHECKBOX_NAME):
            continue
        parts = name.split("-")
        if len(parts) == 3 and parts[1].isdigit():
            label = f"{parts[0].replace('_', ' ').capitalize()}, row {int(parts[1]) + 1}: {parts[2].replace('_', ' ')}"
        else:
            label = name.replace("_", " ").capitalize()
        typed.append((label, value))
    return typed


def with_refused_status(request, response):
    """A form sent and shown again with its errors, or an import refused, answers 422, as the
    portal's own forms do: the request was understood, and refused with a message (Django's admin
    and django-import-export answer 200). A delete refused because other records need the ones
    chosen answers 409; one of records this person may not delete, 403."""
    context = getattr(response, "context_data", None) or {}
    form = context.get("form") or getattr(context.get("adminform"), "form", None)
    if request.method != "POST" or response.status_code != 200:
        return response
    result = context.get("result")  # an import's preview, refused when any row is
    refused = (
        context.get("errors")
        or (form is not None and form.is_bound and form.errors)
        or (isinstance(result, Result) and (result.has_errors() or result.has_validation_errors()))
    )
    if refused:
        response.status_code = 422
    elif context.get("protected"):
        response.status_code = 409  # a delete confirmed, and refused: other records need these ones
    elif context.get("perms_lacking"):
        response.status_code = 403  # a delete confirmed of records this person may not delete
    return response


# Lookups Django allows on a list's own fields but the database may refuse: a pattern it cannot
# compile is an error, not an empty list.
PATTERN_LOOKUPS = ("__regex", "__iregex")
SEARCH_MOST_WORDS, SEARCH_MOST_CHARACTERS = 50, 500


def _with_query_understood(request, view, *args, **kwargs):
    """The view's page, or a 400 when the filters in its address (?status__exact=..., ?term=...)
    cannot be used. Django lets a list be filtered by any of its own fields, typed into the
    address; a value the database refuses (a NUL character, a year out of range, a text for a
    number) used to fail as a server error when the page read its records."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            raise RefusedRequest("The page's address contains a character that cannot be used (NUL).")
        if key.endswith(PATTERN_LOOKUPS):
            raise RefusedRequest("Lists cannot be filtered by a pattern; use the search box.")
    for search in (request.GET.get("q", ""), request.GET.get("term", "")):  # a list's search, an autocomplete's
        if len(search) > SEARCH_MOST_CHARACTERS or len(search.split()) > SEARCH_MOST_WORDS:
            # Each word is looked for in every searched field: SQLite refuses a search far longer.
            raise RefusedRequest(
                f"The search is too long: search for up to {SEARCH_MOST_WORDS} words and "
                f"{SEARCH_MOST_CHARACTERS} characters."
            )
    try:
        # In a savepoint: on PostgreSQL a refused query leaves the transaction unusable.
        with transaction.atomic():
            response = view(request, *args, **kwargs)
            if isinstance(response, TemplateResponse):
                response.render()  # the records are read as the page is drawn
    except (IncorrectLookupParameters, FieldError, DataError, ValueError, OverflowError, ValidationError) as error:
        logger.warning("Back-office address not understood: %s (%s)", request.get_full_path(), error)
        raise RefusedRequest("The filters in the page's address were not understood.") from error
    return response


class PortalAdminConfig(AdminConfig):
    default_site = "leadingplaces.admin.PortalAdminSite"

    def ready(self):
        super().ready()
        _ignore_invalid_autocomplete_values()


def _ignore_invalid_autocomplete_values():
    """Django's autocomplete widget looks up the submitted values as they are, so a tampered
    value (": " for a number) raises a server error when the form is shown again with its
    errors. Drop values that cannot be keys before the lookup; the field's own validation
    still reports them as an invalid choice."""
    from django.contrib.admin.widgets import AutocompleteMixin

    original = AutocompleteMixin.optgroups

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        valid = []
        for item in value:
            try:
                key.to_python(item)
                valid.append(item)
            except (ValidationError, ValueError, TypeError):
                pass
        return original(self, name, valid, attr)

    AutocompleteMixin.optgroups = optgroups


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
