"""Service endpoints (health checks for load balancers and monitoring), signing out, and the
password reset's changes to Django's own views."""

import hashlib
import logging

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.utils import reset as reset_lockouts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import (
    LoginView,
    LogoutView,
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
)
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

from .client_address import lockout_name
from .errors import RefusedRequest
from .forms import ChangePasswordForm, NewPasswordForm, ResetRequestForm, SignInForm
from .templatetags.portal_text import duration

logger = logging.getLogger("leadingplaces")


def not_saved_signed_out(request, typed, sign_in):
    """The page for a form sent after its sender's sign-in ended: nothing was saved, and what they
    typed, as (label, text), is shown to copy, with the way to sign in again (403)."""
    context = {"typed": typed, "sign_in": sign_in}
    response = render(request, "registration/signed_out_while_saving.html", context, status=403)
    add_never_cache_headers(response)  # it holds what was typed
    return response


@never_cache
@transaction.non_atomic_requests
def live(request):
    """The process is up. Does no work at all, so it also measures the framework's own cost."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@transaction.non_atomic_requests
def healthz(request):
    """Ready to serve: the database and the cache both answer."""
    checks = {"database": _check_database(), "cache": _check_cache()}
    healthy = all(status == "ok" for status in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        logger.error("Health check: database failed: %s", error)
        return "failing"


def _check_cache():
    try:
        cache.set("healthz", "ok", 10)
        return "ok" if cache.get("healthz") == "ok" else "failing"
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        logger.error("Health check: cache failed: %s", error)
        return "failing"


def bad_request(request, exception):
    """Django's own 400 page without its CSRF check, which reads the form again: a form Django
    cannot read (one not sent as UTF-8) failed that check a second time, and became a 500. The
    portal's own refusals say why."""
    reason = str(exception) if isinstance(exception, RefusedRequest) else ""
    return render(request, "400.html", {"reason": reason}, status=400)


class RefusedFormStatusMixin:
    """A form shown again with its errors answers 422: the request was understood, and refused
    with a message (Django's own views answer 200)."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        return response


class SignInView(RefusedFormStatusMixin, LoginView):
    """Django's sign-in, by username or email address (SignInForm), which after a failed attempt
    also says how many are left before django-axes pauses sign-in for that username from this
    address, so the pause is no surprise."""

    form_class = SignInForm

    def form_invalid(self, form):
        # As cleaned (spaces stripped), which is how django-axes counted the failure.
        username = form.cleaned_data.get("username")
        if username:
            failures = AxesProxyHandler.get_failures(self.request, {"username": username})
            left = settings.AXES_FAILURE_LIMIT - failures
            if failures and left > 0:  # a form sent without a password was not an attempt, and is not counted
                cool_off = get_cool_off(self.request)
                form.add_error(
                    None,
                    f"You can try {left} more time{'s' if left > 1 else ''}. After that, signing in with these "
                    f"details from your connection is paused{f' for {duration(cool_off)}' if cool_off else ''}.",
                )
        return super().form_invalid(form)


class SignOutView(LogoutView):
    """Django's sign-out, then the home page with a message saying that it worked. Signing out is
    a form sent with the button; the address opened as a link (a bookmark) shows that button."""

    http_method_names = ["get", "head", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/sign_out.html")

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, "You have signed out.")
        return response


class NewPasswordView(RefusedFormStatusMixin, PasswordResetConfirmView):
    """Django's choice of a new password from a reset email, which also lifts any sign-in lockout
    on the account: the lockout page suggests a reset, and the new password should then work."""

    form_class = NewPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_lockouts(username=lockout_name(form.user.get_username()))
        return response

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not context.get("validlink"):
            response.status_code = 410  # the link was used already or is too old: said on the page
        return response


class PasswordResetRequestView(RefusedFormStatusMixin, PasswordResetView):
    """Django's request for a reset email, sending at most one to an address every
    PASSWORD_RESET_EMAIL_MINUTES, so that repeated requests cannot flood an inbox. A repeat gets
    the same "check your email" page, which says nothing about which addresses have accounts."""

    form_class = ResetRequestForm

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        key = "password-reset-sent:" + hashlib.sha256(address.encode()).hexdigest()
        try:
            first = cache.add(key, True, timeout=settings.PASSWORD_RESET_EMAIL_MINUTES * 60)
        except Exception as error:  # noqa: BLE001 - without the cache, send as Django would
            logger.warning("Password reset: cache unavailable, sending without a limit: %s", error)
            first = True
        return super().form_valid(form) if first else HttpResponseRedirect(self.get_success_url())


class ChangePasswordView(RefusedFormStatusMixin, PasswordChangeView):
    """Django's change of password by a signed-in person."""

    form_class = ChangePasswordForm
