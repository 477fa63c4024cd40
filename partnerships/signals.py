"""Keep each partnership's stored search vector in step with the text it covers, whatever
writes that text: the admin and its inlines, an import, the loader or the shell.

The vector covers the partnership's title, place, summary and outcomes introduction, its
challenges, outcomes, partners' names and themes. After the transaction commits, the
partnerships that a saved or deleted record belongs to are brought up to date.
"""

from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from .models import Challenge, Institution, Membership, Outcome, Partnership, Place, Theme


def _affected_ids(instance):
    """The ids of the partnerships whose searchable text includes this record's."""
    if isinstance(instance, Partnership):
        return [instance.pk]
    if isinstance(instance, Membership | Challenge | Outcome):
        return [instance.partnership_id]
    if isinstance(instance, Institution):
        partnerships = Partnership.objects.filter(memberships__institution=instance)
    elif isinstance(instance, Place):
        partnerships = Partnership.objects.filter(place=instance)
    else:
        partnerships = Partnership.objects.filter(themes=instance)
    # Read now, before a delete takes the links with it.
    return list(partnerships.using(instance._state.db).values_list("pk", flat=True).distinct())


def _refresh_after_commit(instance, using):
    if _uses_vectors(using):
        _refresh_ids(_affected_ids(instance), using)


def _refresh_ids(ids, using):
    """Bring these partnerships up to date once the transaction commits. A form that saves a
    partnership and ten inline rows asks eleven times: the ids wait together, and the first of
    the callbacks updates them all, the rest find nothing left to do. (Ids left waiting by a
    rolled-back transaction are refreshed at the next commit, which does no harm.)"""
    if not ids or not _uses_vectors(using):
        return
    connection = connections[using]
    connection.__dict__.setdefault("_search_vectors_waiting", set()).update(ids)
    transaction.on_commit(lambda: _refresh_waiting(connection, using), using=using)


def _refresh_waiting(connection, using):
    ids = connection.__dict__.pop("_search_vectors_waiting", None)
    if ids:
        Partnership.objects.using(using).filter(pk__in=ids).update_search_vectors()


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
