"""The evaluator workspace, and the officers' review page.

Evaluators see and change only the evaluations assigned to them: any other is a 404, for
reading and writing alike. Once submitted, an evaluation is locked for them until an officer
returns it.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from leadingplaces.views import not_saved_signed_out
from partnerships.models import Outcome, Partnership

from . import services
from .forms import DocumentDetailsForm, EvidenceDocumentForm, FindingForm, OutcomeProgressForm, ReviewForm, SummaryForm
from .models import Evaluation, EvaluationDocument, findings_by_kind
from .permissions import can_edit, can_review

NO_ROOM_FOR_FINDING = (
    "There is no room for another finding after the last one, which is at the largest position a list can "
    "have. Ask the programme office to give the last findings lower positions."
)

# What an evaluator types on the workspace's forms, by field name (or its start), as it is labelled.
TYPED_FIELDS = {
    "summary": "Summary",
    "text": "Finding",
    "comments": "Comments",
    "title": "Title",
    "note_": "Progress note",
    "value_": "Figure reached",
}


def signed_in_required(view):
    """Django's login_required, except for a form sent after the sign-in ended (it lasts
    SESSION_COOKIE_AGE, and signing out in another tab ends it too): rather than a redirect to
    signing in, which would lose what was typed, a page that shows it, to copy, and says so (403)."""

    @wraps(view)
    def signed_in_view(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method != "POST":
            return redirect_to_login(request.get_full_path())
        typed = [
            (label, value)
            for name, value in request.POST.items()
            for start, label in TYPED_FIELDS.items()
            if (name == start or (start.endswith("_") and name.startswith(start))) and value.strip()
        ]
        # Back to the evaluation after signing in: some of these addresses only take a form.
        back = reverse("evaluations:workspace", args=[kwargs["pk"]]) if "pk" in kwargs else request.path
        return not_saved_signed_out(request, typed, f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back})}")

    return signed_in_view


def _get_evaluation_for(user, pk):
    """The evaluation if it is assigned to this user, otherwise a 404."""
    evaluations = Evaluation.objects.assigned_to(user).select_related(
        "phase", "partnership__place", "partnership__phase"
    )
    return get_object_or_404(evaluations, pk=pk)


def _evaluation_for(request, pk):
    """The evaluation, as _get_evaluation_for gives it; for a form sent, read again under its row
    lock, held until the request's transaction ends (ATOMIC_REQUESTS), so that what the form is
    checked against (that the evaluation is still editable, that nobody changed what was opened,
    that a finding is still there) holds until the change is written. Saves to one evaluation,
    whoever sends them, are made one after the other."""
    evaluation = _get_evaluation_for(request.user, pk)
    return evaluation.locked() if request.method == "POST" else evaluation


def _get_editable_evaluation_for(request, pk):
    evaluation = _evaluation_for(request, pk)
    if not can_edit(request.user, evaluation):
        raise PermissionDenied(_why_not_editable(evaluation))
    return evaluation


def _not_editable(request, evaluation, template, context):
    """Refuse a change to an evaluation that its evaluators can no longer change. A form sent after
    it was submitted (from another tab, or by a co-evaluator) gets its page again with what was
    typed, to copy, and why nothing was saved (409); anything else gets the 403 page."""
    if request.method != "POST":
        raise PermissionDenied(_why_not_editable(evaluation))
    context = {**context, "evaluation": evaluation, "not_saved": _why_not_editable(evaluation)}
    return render(request, template, context, status=409)


def _why_not_editable(evaluation):
    if evaluation.status == Evaluation.Status.PUBLISHED:
        return "This evaluation is published, so it cannot be changed. Ask the programme office to correct it."
    return "This evaluation has been submitted for review, so it cannot be changed until it is returned to you."


def _posted(request):
    """The submitted data, or None for a GET; an empty POST still counts as a submission."""
    return request.POST if request.method == "POST" else None


def _findings(evaluation):
    """The evaluation's findings grouped by kind, in the order the public pages show them."""
    return findings_by_kind(
        evaluation.findings.prefetch_related(
            Prefetch("partnerships", queryset=Partnership.objects.select_related("place")),
            Prefetch("outcomes", queryset=Outcome.objects.select_related("partnership__place")),
        )
    )


@require_safe
@signed_in_required
def dashboard(request):
    evaluations = (
        Evaluation.objects.assigned_to(request.user)
        .select_related("phase", "partnership__place", "partnership__phase")
        .with_finding_counts()
        .with_last_returned()
        .order_by("-updated_at")
    )
    awaiting_review = (
        Evaluation.objects.awaiting_review()
        .select_related("phase", "partnership__place", "partnership__phase")
        .order_by("submitted_at")
        if can_review(request.user)
        else None
    )
    return render(
        request,
        "evaluations/dashboard.html",
        {"evaluations": evaluations, "awaiting_review": awaiting_review},
    )


@signed_in_required
def workspace(request, pk):
    evaluation = _evaluation_for(request, pk)
    form = SummaryForm(initial={"summary": evaluation.summary, "version": evaluation.version})
    if request.method == "POST":
        form = SummaryForm(request.POST, evaluation=evaluation)
        if not can_edit(request.user, evaluation):
            context = _workspace_context(request, evaluation, summary_form=form)
            return _not_editable(request, evaluation, "evaluations/workspace.html", context)
        if form.is_valid():
            evaluation.summary = form.cleaned_data["summary"].strip()
            evaluation.save()
            messages.success(request, "The summary is saved.")
            return redirect("evaluations:workspace", pk=pk)
    context = _workspace_context(request, evaluation, summary_form=form)
    return render(request, "evaluations/workspace.html", context, status=refused_status(form))


def refused_status(form):
    """422 for a page shown again with its form's errors: the request was understood, and refused
    with a message; 200 otherwise."""
    return 422 if form.is_bound and form.errors else 200


def _workspace_context(request, evaluation, **extra):
    return {
        "evaluation": evaluation,
        "findings": _findings(evaluation),
        "documents": evaluation.documents.order_by("created_at"),
        "events": evaluation.events.select_related("by"),
        "can_edit": can_edit(request.user, evaluation),
        "outcomes": evaluation.outcome_coverage(),
        **extra,
    }


@signed_in_required
def finding_add(request, pk):
    # Locked when sent: the check that it repeats no other finding, and its position, hold when
    # the form is sent twice at once.
    evaluation = _evaluation_for(request, pk)
    form = FindingForm(_posted(request), evaluation=evaluation)
    if not can_edit(request.user, evaluation):
        return _not_editable(request, evaluation, "evaluations/finding_form.html", {"form": form})
    if request.method == "POST" and form.is_valid():
        finding = form.save(commit=False)
        finding.evaluation = evaluation
        try:
            finding.position = evaluation.next_finding_position()
        except ValidationError:
            form.add_error(None, NO_ROOM_FOR_FINDING)
        else:
            finding.save()
            form.save_m2m()
            return _back_at_finding(request, finding, "The finding is added.")
    context = {"evaluation": evaluation, "form": form}
    return render(request, "evaluations/finding_form.html", context, status=refused_status(form))


@signed_in_required
def finding_edit(request, pk, finding_pk):
    evaluation = _evaluation_for(request, pk)
    finding = evaluation.findings.filter(pk=finding_pk).first()
    if finding is None:
        return _finding_removed(request, evaluation)
    form = FindingForm(_posted(request), instance=finding, evaluation=evaluation)
    if not can_edit(request.user, evaluation):
        context = {"form": form, "finding": finding}
        return _not_editable(request, evaluation, "evaluations/finding_form.html", context)
    if request.method == "POST" and form.is_valid():
        return _back_at_finding(request, form.save(), "The finding is saved.")
    context = {"evaluation": evaluation, "form": form, "finding": finding}
    return render(request, "evaluations/finding_form.html", context, status=refused_status(form))


def _finding_removed(request, evaluation):
    """For a finding that is not there: a 404 when its page is opened; when its form is sent, as
    after a co-evaluator removed it, the form again with what was typed, which one button adds as
    a new finding (409)."""
    if request.method != "POST":
        raise Http404("No such finding.")
    form = FindingForm(request.POST, evaluation=evaluation)
    context = {"evaluation": evaluation, "form": form, "removed": True}
    return render(request, "evaluations/finding_form.html", context, status=409)


@signed_in_required
def finding_delete(request, pk, finding_pk):
    evaluation = _get_editable_evaluation_for(request, pk)
    finding = evaluation.findings.filter(pk=finding_pk).first()
    if finding is None and request.method == "POST":
        messages.info(request, "That finding had already been removed.")
        return redirect("evaluations:workspace", pk=pk)
    if finding is None:
        raise Http404("No such finding.")
    if request.method == "POST":
        finding.delete()
        messages.success(request, "The finding is removed.")
        return redirect("evaluations:workspace", pk=pk)
    return render(request, "evaluations/finding_confirm_delete.html", {"evaluation": evaluation, "finding": finding})


@require_POST
@signed_in_required
def finding_move(request, pk, finding_pk):
    evaluation = _get_editable_evaluation_for(request, pk)
    finding = get_object_or_404(evaluation.findings, pk=finding_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Choose whether to move the finding up or down.")
        return redirect("evaluations:workspace", pk=pk)
    number = finding.move(direction)
    kinds = f"{finding.get_kind_display().lower()}s"
    if number is None:
        return _back_at_finding(
            request,
            finding,
            f"The finding is already {'first' if direction == 'up' else 'last'} of the {kinds}.",
            messages.INFO,
        )
    return _back_at_finding(request, finding, f"Finding moved {direction}: it is now number {number} of the {kinds}.")


def _back_at_finding(request, finding, message, level=messages.SUCCESS):
    """The workspace, opened at the finding, with the message in its card (evaluator-forms.js), so
    that the evaluator goes on from where she was rather than from the top of the page."""
    card = f"finding-{finding.pk}"
    messages.add_message(request, level, message, card)
    return redirect(reverse("evaluations:workspace", args=[finding.evaluation_id]) + f"#{card}")


def _progress_form(evaluation, data):
    outcomes = (
        evaluation.outcomes_in_scope()
        .select_related("partnership__place")
        .order_by("partnership__place__name", "position")
    )
    current = {a.outcome_id: a for a in evaluation.progress.all()}
    return OutcomeProgressForm(data, outcomes=outcomes, current=current)


@signed_in_required
def progress(request, pk):
    evaluation = _evaluation_for(request, pk)  # locked when sent: checked against what is saved
    if request.method != "POST":
        form = _progress_form(evaluation, None)
    elif not can_edit(request.user, evaluation):
        context = {"form": _progress_form(evaluation, request.POST), "can_edit": False}
        return _not_editable(request, evaluation, "evaluations/progress_form.html", context)
    else:
        form = _progress_form(evaluation, request.POST)
        if form.is_valid():
            evaluation.record_progress(form.assessments())
            messages.success(request, "Progress on the outcomes is saved.")
            return redirect("evaluations:workspace", pk=pk)
    context = {"evaluation": evaluation, "form": form, "can_edit": can_edit(request.user, evaluation)}
    return render(request, "evaluations/progress_form.html", context, status=refused_status(form))


@signed_in_required
def document_add(request, pk):
    evaluation = _get_editable_evaluation_for(request, pk)
    form = EvidenceDocumentForm(
        _posted(request), request.FILES if request.method == "POST" else None, evaluation=evaluation
    )
    if request.method == "POST" and form.is_valid():
        document = form.save(commit=False)
        document.evaluation = evaluation
        document.save()
        messages.success(request, f"“{document.title}” is attached.")
        return redirect("evaluations:workspace", pk=pk)
    context = {"evaluation": evaluation, "form": form}
    return render(request, "evaluations/document_form.html", context, status=refused_status(form))


@signed_in_required
def document_edit(request, pk, document_pk):
    evaluation = _get_editable_evaluation_for(request, pk)
    document = evaluation.documents.filter(pk=document_pk).first()
    if document is None and request.method == "POST":  # removed by a co-evaluator meanwhile
        messages.info(request, "That document had been removed, so nothing was saved.")
        return redirect("evaluations:workspace", pk=pk)
    if document is None:
        raise Http404("No such document.")
    form = DocumentDetailsForm(_posted(request), instance=document)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"“{document.title}” is saved.")
        return redirect(reverse("evaluations:workspace", args=[pk]) + "#documents-heading")
    context = {"evaluation": evaluation, "form": form, "document": document}
    return render(request, "evaluations/document_edit.html", context, status=refused_status(form))


@signed_in_required
def document_delete(request, pk, document_pk):
    """Take a document off the evaluation. Its file stays in storage and the record in the
    history, so an officer can restore it from the back office."""
    evaluation = _get_editable_evaluation_for(request, pk)
    document = evaluation.documents.filter(pk=document_pk).first()
    if document is None and request.method == "POST":  # removed already: by a co-evaluator, or pressed twice
        messages.info(request, "That document had already been removed.")
        return redirect("evaluations:workspace", pk=pk)
    if document is None:
        raise Http404("No such document.")
    if request.method == "POST":
        document.delete()
        messages.success(request, f"“{document.title}” is removed.")
        return redirect("evaluations:workspace", pk=pk)
    context = {"evaluation": evaluation, "document": document}
    return render(request, "evaluations/document_confirm_delete.html", context)


def document_download(request, pk):
    """Evidence is for the evaluation's evaluators and officers; a public document of a published
    evaluation is for anyone. Always downloaded, never shown in the browser."""
    document = get_object_or_404(EvaluationDocument.objects.select_related("evaluation"), pk=pk)
    evaluation = document.evaluation
    public = document.is_public and evaluation.is_published
    allowed = public or can_review(request.user) or evaluation.evaluators.filter(pk=request.user.pk).exists()
    if not allowed or not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.download_name)


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_required
def submit(request, pk):
    """Check what is about to be sent, then submit it for review."""
    evaluation = _evaluation_for(request, pk)
    if request.method == "POST" and evaluation.status == Evaluation.Status.SUBMITTED:
        # Sent twice (a double click), or by a co-evaluator a moment before: done already.
        messages.info(request, "The evaluation was already submitted. The programme office will review it.")
        return redirect("evaluations:dashboard")
    if not can_edit(request.user, evaluation):
        raise PermissionDenied(_why_not_editable(evaluation))
    refused = None
    if request.method == "POST":
        try:
            services.submit(evaluation, by=request.user)
        except services.WorkflowError as error:
            refused = error.message
        else:
            messages.success(request, "Thank you: the evaluation is submitted. The programme office will review it.")
            return redirect("evaluations:dashboard")
    context = {
        "evaluation": evaluation,
        "not_ready": evaluation.why_not_ready(),
        "refused": refused,
        "findings_by_kind": evaluation.finding_counts_by_kind(),
        "findings_naming_no_partnership": evaluation.findings_naming_no_partnership(),
        "outcomes": evaluation.outcome_coverage(),
        "documents": evaluation.document_counts(),
    }
    return render(request, "evaluations/submit_check.html", context, status=400 if refused else 200)


@signed_in_required
def review(request, pk):
    if not can_review(request.user):
        raise Http404
    evaluation = get_object_or_404(
        Evaluation.objects.select_related(
            "phase", "partnership__place", "partnership__phase", "evaluator_organisation"
        ),
        pk=pk,
    )
    findings = _findings(evaluation)
    progress = list(evaluation.progress.select_related("outcome__partnership__place"))
    documents = list(evaluation.documents.order_by("created_at"))
    shown = evaluation.as_reviewed(findings, progress, documents)
    # From the question "Publish it?" back to the review, with the comments written; the page keeps
    # what was reviewed first, so that a decision on it after a change meanwhile is refused too.
    going_back = "back" in request.POST
    if going_back:
        form = ReviewForm(initial={"comments": request.POST.get("comments", "")}, shown=shown)
    else:
        form = ReviewForm(_posted(request), shown=shown)
    # A decision taken on a page opened before the evaluation changed is understood, and refused.
    status = 409 if form.is_bound and form.has_error(NON_FIELD_ERRORS, "stale") else refused_status(form)
    can_decide = evaluation.status == Evaluation.Status.SUBMITTED
    if request.method == "POST" and not going_back and form.is_valid():
        if form.cleaned_data["decision"] == ReviewForm.PUBLISH and can_decide and not form.cleaned_data["confirmed"]:
            context = {
                "evaluation": evaluation,
                "form": form,
                "shown": shown,
                "findings": findings,
                "public_documents": sum(document.is_public for document in documents),
                "evaluator_count": evaluation.evaluators.count(),
            }
            return render(request, "evaluations/publish_confirm.html", context)
        try:
            if form.cleaned_data["decision"] == ReviewForm.PUBLISH:
                services.publish(evaluation, by=request.user, comments=form.cleaned_data["comments"])
                messages.success(
                    request,
                    format_html(
                        'The evaluation is published. <a href="{}">See it on the public site</a>.',
                        evaluation.get_absolute_url(),
                    ),
                )
            else:
                services.return_for_changes(evaluation, by=request.user, comments=form.cleaned_data["comments"])
                messages.success(request, "The evaluation is returned to its evaluators with your comments.")
            return redirect("evaluations:dashboard")
        except services.WorkflowError as error:
            messages.error(request, error.message)
            status = 409  # understood, but the evaluation is not in a state to take it
    context = {
        "evaluation": evaluation,
        "form": form,
        "findings": findings,
        "progress": progress,
        "documents": documents,
        "reviewed": request.POST.get("reviewed", shown) if going_back else shown,
        "events": evaluation.events.select_related("by"),
        "can_decide": can_decide,
    }
    return render(request, "evaluations/review.html", context, status=status)
