"""Sign-in events in the log, with the request id, so that an incident can be traced."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from .client_address import client_address, username_tried

logger = logging.getLogger("leadingplaces.signin")


def _address(request):
    return (client_address(request) or "-") if request is not None else "-"


def _logged_in(sender, request, user, **kwargs):
    logger.info("Sign-in: user %s from %s", user.pk, _address(request))


def _logged_out(sender, request, user, **kwargs):
    logger.info("Sign-out: user %s from %s", getattr(user, "pk", "-"), _address(request))


def _login_failed(sender, credentials, request=None, **kwargs):
    # The username is logged, never the password; Django already masks sensitive credentials.
    username = username_tried(request, credentials) or ""
    logger.warning("Failed sign-in for username %r from %s", username, _address(request))


def connect():
    user_logged_in.connect(_logged_in, dispatch_uid="signin-log-in")
    user_logged_out.connect(_logged_out, dispatch_uid="signin-log-out")
    user_login_failed.connect(_login_failed, dispatch_uid="signin-log-failed")
