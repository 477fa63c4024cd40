"""Errors the portal raises itself."""

from django.core.exceptions import BadRequest


class RefusedRequest(BadRequest):
    """A request refused with a reason written for the person who sent it, which the 400 page
    shows (Django's own bad requests give reasons meant for developers, which it does not)."""
