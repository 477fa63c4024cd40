"""The evaluation workflow: submit, return with comments, publish and unpublish.

Each step checks that it is allowed, changes the evaluation, records who did it and when,
and tells the people who need to know, all in one transaction.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import Evaluation, EvaluationEvent
from .roles import EVALUATORS, PROGRAMME_OFFICERS

Status = Evaluation.Status


class WorkflowError(ValidationError):
    """A workflow step that is not allowed now, with a message for the person who tried it."""


@transaction.atomic
def submit(evaluation, *, by):
    evaluation = evaluation.locked()
    if not evaluation.is_editable_by_evaluator():
        raise WorkflowError("This evaluation has already been submitted.")
    if reason := evaluation.why_not_ready():
        raise WorkflowError(reason)
    evaluation.status = Status.SUBMITTED
    evaluation.submitted_at = timezone.now()
    evaluation.save()
    _record(evaluation, EvaluationEvent.Action.SUBMITTED, by)
    _email(_officer_addresses(), "submitted", evaluation, by)
    return evaluation


@transaction.atomic
def return_for_changes(evaluation, *, by, comments):
    evaluation = evaluation.locked()
    if evaluation.status != Status.SUBMITTED:
        raise WorkflowError("Only a submitted evaluation can be returned.")
    comments = (comments or "").strip()
    if not comments:
        raise WorkflowError("Say what needs to change, so that the evaluator knows what to do.")
    evaluation.status = Status.RETURNED
    evaluation.review_comments = comments
    evaluation.save()
    _record(evaluation, EvaluationEvent.Action.RETURNED, by, comments)
    _email(_evaluator_addresses(evaluation), "returned", evaluation, by)
    return evaluation


@transaction.atomic
def publish(evaluation, *, by, comments=""):
    """Publish a submitted evaluation; any comments go in its history and to its evaluators."""
    evaluation = evaluation.locked()
    if evaluation.status != Status.SUBMITTED:
        raise WorkflowError("Only a submitted evaluation can be published.")
    comments = (comments or "").strip()
    evaluation.status = Status.PUBLISHED
    evaluation.published_at = timezone.now()
    evaluation.review_comments = ""
    evaluation.save()
    _record(evaluation, EvaluationEvent.Action.PUBLISHED, by, comments)
    _email(_evaluator_addresses(evaluation), "published", evaluation, by, comments=comments)
    return evaluation


@transaction.atomic
def unpublish(evaluation, *, by):
    """Take a published evaluation off the public pages; it goes back to the officers' review,
    and its evaluators are told."""
    evaluation = evaluation.locked()
    if evaluation.status != Status.PUBLISHED:
        raise WorkflowError("Only a published evaluation can be unpublished.")
    evaluation.status = Status.SUBMITTED
    evaluation.published_at = None
    evaluation.save()
    _record(evaluation, EvaluationEvent.Action.UNPUBLISHED, by)
    _email(_evaluator_addresses(evaluation), "unpublished", evaluation, by)
    return evaluation


def tell_newly_assigned(sender, instance, action, reverse, pk_set, **kwargs):
    """Each evaluator newly assigned to an evaluation, however (the back office's action, or its
    boxes on the evaluation's page), is emailed where to find it. Connected in apps.py."""
    if action != "post_add" or reverse or not pk_set:
        return
    added = get_user_model().objects.filter(pk__in=pk_set, is_active=True).exclude(email="")
    _email(sorted(added.values_list("email", flat=True)), "assigned", instance, by=None)


def _record(evaluation, action, by, comment=""):
    EvaluationEvent.objects.create(evaluation=evaluation, action=action, by=by, comment=comment)


def _officer_addresses():
    users = get_user_model().objects.filter(is_active=True, is_staff=True, groups__name=PROGRAMME_OFFICERS)
    addresses = {email for email in users.values_list("email", flat=True) if email}
    if settings.PROGRAMME_OFFICE_EMAIL:
        addresses.add(settings.PROGRAMME_OFFICE_EMAIL)
    return sorted(addresses)


def _evaluator_addresses(evaluation):
    return sorted({email for email in evaluation.evaluators.values_list("email", flat=True) if email})


def _email(recipients, step, evaluation, by, comments=""):
    if not recipients:
        return
    context = {
        "evaluation": evaluation,
        "by": by,
        "comments": comments,
        "workspace_url": settings.SITE_URL + reverse("evaluations:workspace", args=[evaluation.pk]),
        "review_url": settings.SITE_URL + reverse("evaluations:review", args=[evaluation.pk]),
        "public_url": settings.SITE_URL + evaluation.get_absolute_url(),
    }
    # On one line: a title sent with a line break in it (only a crafted request can) would make
    # the header invalid, and the step already saved would end in a server error.
    subject = " ".join(render_to_string(f"evaluations/email/{step}_subject.txt", context).split())
    body = render_to_string(f"evaluations/email/{step}.txt", context)
    # One message to each person, so that nobody learns the others' addresses; sent after the
    # commit, so that nobody is told about a change that was rolled back.
    messages = [(subject, body, None, [recipient]) for recipient in recipients]
    transaction.on_commit(lambda: send_mass_mail(messages))


@transaction.atomic
def open_evaluator_account(account):
    """Save a new evaluator's account, signed in to by its email address, and email the evaluator
    a link to choose a password. Its first password is one nobody knows, so that until then
    nobody can sign in with it, and a forgotten-password email can reach it later on."""
    account.username = account.email.lower()
    account.is_staff = account.is_superuser = False
    account.set_password(secrets.token_urlsafe(32))
    account.save()
    account.groups.add(Group.objects.get(name=EVALUATORS))
    invite(account)


def tell_old_address(account, old_address):
    """Tell an evaluator at their old address that their account's address was changed: password
    resets now go to the new one, so a change they did not ask for must not pass unnoticed."""
    context = {"account": account, "old_address": old_address}
    subject = " ".join(render_to_string("evaluations/email/address_changed_subject.txt", context).split())
    body = render_to_string("evaluations/email/address_changed.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [old_address]))


def invite(account):
    """Email an evaluator a link to choose a password, once the change that asked for it is saved."""
    path = reverse(
        "password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(account.pk)), default_token_generator.make_token(account)],
    )
    context = {
        "account": account,
        "link": settings.SITE_URL + path,
        "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        "sign_in_url": settings.SITE_URL + reverse("login"),
    }
    subject = " ".join(render_to_string("evaluations/email/invited_subject.txt", context).split())
    body = render_to_string("evaluations/email/invited.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [account.email]))
