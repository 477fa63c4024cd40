"""Who may do what with an evaluation. Views and templates ask these, never the groups directly."""

from .roles import is_officer


def is_assigned(user, evaluation):
    return user.is_authenticated and evaluation.evaluators.filter(pk=user.pk).exists()


def can_edit(user, evaluation):
    """An assigned evaluator, while the evaluation is a draft or has been returned."""
    return evaluation.is_editable_by_evaluator() and is_assigned(user, evaluation)


def can_review(user):
    """Programme officers and administrators review submitted evaluations."""
    return is_officer(user)
