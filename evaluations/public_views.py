"""The public face of evaluations: the published evaluation page, and the read queries that the
public partnership and phase pages use to show what published evaluations found.

Nothing here shows evaluators' user accounts: only the name and organisation credited on the
published evaluation.
"""

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from partnerships.models import Partnership

from .models import Evaluation, EvaluationDocument, Finding, OutcomeProgress, findings_by_kind


def latest_published():
    return Evaluation.objects.published().order_by("-published_at", "-date", "-pk").select_related("phase").first()


def published_for_phase(phase):
    return Evaluation.objects.published().filter(phase=phase).order_by("-date", "title")


def published_evaluations_of(partnership):
    """(the published evaluations of its phase, its own published evaluations), read in one query;
    each of the phase's with `looked_at_it_in_detail`: whether it studied this partnership closely."""
    in_detail = Evaluation.looked_at_in_detail.through.objects.filter(
        evaluation=OuterRef("pk"), partnership=partnership
    )
    evaluations = list(
        Evaluation.objects.published()
        .concerning(partnership)
        .annotate(looked_at_it_in_detail=Exists(in_detail))
        .order_by("-date", "title")
    )
    return [e for e in evaluations if e.phase_id], [e for e in evaluations if e.partnership_id]


def published_documents_about(partnership):
    """The public documents of the published evaluations of the partnership itself."""
    return (
        EvaluationDocument.objects.filter(
            evaluation__partnership=partnership, evaluation__status=Evaluation.Status.PUBLISHED, is_public=True
        )
        .select_related("evaluation")
        .order_by("evaluation__published_at", "evaluation_id", "title")  # by evaluation, for the page's groups
    )


def published_findings_about(partnership):
    """Findings of a published evaluation of the partnership itself, and of a published evaluation
    of its phase that name the partnership.

    Two queries joined by UNION ALL rather than one with OR: each half is answered from an index,
    where the OR made PostgreSQL read every finding of the phase's evaluation. The halves cannot
    share a finding, since an evaluation covers either a partnership or a phase, never both."""
    published = (
        Finding.objects.filter(evaluation__status=Evaluation.Status.PUBLISHED).select_related("evaluation").order_by()
    )
    about_it = published.filter(evaluation__partnership=partnership)
    naming_it = published.filter(evaluation__phase_id=partnership.phase_id, partnerships=partnership)
    return findings_by_kind(about_it.union(naming_it, all=True))


def outcomes_with_published_progress(partnership):
    """The partnership's desired outcomes, each with `published_assessments` from published
    evaluations, the earliest published first, so that the latest word comes last."""
    assessments = (
        OutcomeProgress.objects.filter(evaluation__status=Evaluation.Status.PUBLISHED)
        .select_related("evaluation")
        .order_by("evaluation__published_at", "evaluation_id")
    )
    return partnership.outcomes.prefetch_related(
        Prefetch("assessments", queryset=assessments, to_attr="published_assessments")
    )


def _get_evaluation_for(user, slug):
    """The evaluation by slug (or by number, for old links): published for anyone, any status for staff."""
    evaluations = Evaluation.objects.select_related(
        "phase", "partnership__phase", "partnership__place", "evaluator_organisation"
    ).defer("partnership__search_vector")
    if not (user.is_active and user.is_staff):
        evaluations = evaluations.published()
    evaluation = evaluations.filter(slug=slug).first()
    if evaluation is None and slug.isdigit() and len(slug) < 18:
        evaluation = evaluations.filter(pk=int(slug)).first()
    if evaluation is None:
        raise Http404("No such evaluation.")
    return evaluation


def _progress_shown(evaluation):
    """The evaluation's assessments of desired outcomes, by partnership then in the outcomes'
    order; of published partnerships only, as a draft's outcomes are not public."""
    return (
        evaluation.progress.filter(outcome__partnership__status=Partnership.Status.PUBLISHED)
        .select_related("outcome__partnership__place", "outcome__partnership__phase")
        .defer("outcome__partnership__search_vector")
        .order_by("outcome__partnership__place__name", "outcome__partnership_id", "outcome__position")
    )


@require_safe
def evaluation_detail(request, slug):
    evaluation = _get_evaluation_for(request.user, slug)
    named = Partnership.objects.published().select_related("phase", "place").order_by("place__name")
    findings = evaluation.findings.prefetch_related(Prefetch("partnerships", queryset=named))
    scope = evaluation.partnership if evaluation.partnership_id else evaluation.phase
    context = {
        "evaluation": evaluation,
        "preview": not evaluation.is_published,
        "scope": scope,
        "scope_is_public": evaluation.phase_id is not None or evaluation.partnership.is_published,
        "findings": findings_by_kind(findings),
        # Of its phase: a partnership moved to another phase since is no longer one of them.
        "looked_at_in_detail": evaluation.looked_at_in_detail.published()
        .filter(phase=evaluation.phase_id)
        .select_related("phase", "place")
        .order_by("place__name"),
        "documents": EvaluationDocument.objects.filter(evaluation=evaluation, is_public=True).order_by("title"),
        "progress": _progress_shown(evaluation),
    }
    return render(request, "evaluations/evaluation_detail.html", context)
