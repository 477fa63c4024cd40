"""Keep each partnership's stored search vector in step with the text it covers, whatever
writes that text: the admin and its inlines, an import, the loader or the shell.

The vector covers the partnership's title, place, summary and outcomes introduction, its
challenges, outcomes, partners' names and themes. After the transaction commits, the
partnerships that a saved or deleted record belongs to are brought up to date.
"""

from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from .models import Challenge, Institution, Membership, Outcome, Partnership, Place, Theme


def _affected(instance):
    """The partnerships whose searchable text includes this record's."""
    if isinstance(instance, Partnership):
        return Partnership.objects.filter(pk=instance.pk)
    if isinstance(instance, Membership | Challenge | Outcome):
        return Partnership.objects.filter(pk=instance.partnership_id)
    if isinstance(instance, Institution):
        return Partnership.objects.filter(memberships__institution=instance)
    if isinstance(instance, Place):
        return Partnership.objects.filter(place=instance)
    return Partnership.objects.filter(themes=instance)


def _refresh_after_commit(instance, using):
    if _uses_vectors(using):
        # The ids now, before a delete takes the links with it.
        _refresh_ids(_affected(instance).using(using).values_list("pk", flat=True).distinct(), using)


def _refresh_ids(ids, using):
    ids = list(ids or [])
    if ids and _uses_vectors(using):
        transaction.on_commit(
            lambda: Partnership.objects.using(using).filter(pk__in=ids).update_search_vectors(), using=using
        )


def _uses_vectors(using):
    return connections[using].vendor == "postgresql"  # elsewhere search does not use the stored vector


def _saved(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        _refresh_after_commit(instance, using)


def _deleted(sender, instance, using="default", **kwargs):
    _refresh_after_commit(instance, using)


def _themes_changed(sender, instance, action, reverse, pk_set, using="default", **kwargs):
    if not reverse:  # partnership.themes.add(…), .remove(…), .clear()
        if action in ("post_add", "post_remove", "post_clear"):
            _refresh_after_commit(instance, using)
    elif action in ("post_add", "post_remove"):  # theme.partnerships.add(…) or .remove(…)
        _refresh_ids(pk_set, using)
    elif action == "pre_clear":  # theme.partnerships.clear(), while the links are still there
        _refresh_after_commit(instance, using)


def connect():
    for model in (Partnership, Membership, Challenge, Outcome, Institution, Place, Theme):
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-vector-saved-{model.__name__}")
    for model in (Membership, Challenge, Outcome):
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-vector-deleted-{model.__name__}")
    # A theme's links are gone by the time it has been deleted.
    pre_delete.connect(_deleted, sender=Theme, dispatch_uid="search-vector-theme-deleted")
    m2m_changed.connect(_themes_changed, sender=Partnership.themes.through, dispatch_uid="search-vector-themes")
