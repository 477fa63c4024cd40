"""The portal's two groups and what each may do.

Programme officers are staff who keep the programme data and review evaluations in the
admin; they do not manage users, groups or permissions. Evaluators are not staff and work
only in the evaluator workspace, so their group carries no admin permissions.
"""

from django.contrib.auth.models import Group, Permission

PROGRAMME_OFFICERS = "Programme officers"
EVALUATORS = "Evaluators"

OFFICER_APPS = ["partnerships", "evaluations"]


def officer_permissions():
    return Permission.objects.filter(content_type__app_label__in=OFFICER_APPS)


def ensure_roles(**kwargs):
    """Create the groups and give officers every permission on programme and evaluation data."""
    officers, _ = Group.objects.get_or_create(name=PROGRAMME_OFFICERS)
    Group.objects.get_or_create(name=EVALUATORS)
    officers.permissions.add(*officer_permissions())


def is_officer(user):
    return user.is_active and user.is_staff and (user.is_superuser or _in_group(user, PROGRAMME_OFFICERS))


def is_evaluator(user):
    return user.is_active and _in_group(user, EVALUATORS)


def _in_group(user, name):
    if not user.is_authenticated:
        return False
    return any(group.name == name for group in user.groups.all())


def person_in_words(user):
    """An account as officers choose it from a list: "Eve Evans (eve@example.org)", where a
    username alone ("eve") would not say who it is; whatever of the two the account has."""
    name = user.get_full_name()
    contact = user.email or user.get_username()
    return f"{name} ({contact})" if name else contact
