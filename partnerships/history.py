"""A record's history as one version per save: used by the back office's pages and by the loader."""

from django.db.models import Max


def last_version_id(record):
    """The last version of a record in its history, read under a lock on the record held until the
    save's transaction ends: a save of it by someone else at the same moment finishes first, and
    its version is then before this one's, not taken for one of this save's own."""
    history = getattr(type(record), "history", None)
    if history is None or record.pk is None:
        return 0
    type(record)._base_manager.select_for_update().filter(pk=record.pk).values_list("pk").first()
    return history.filter(**{record._meta.pk.attname: record.pk}).aggregate(last=Max("history_id"))["last"] or 0


def one_version_per_save(record):
    """One version in a record's history for one save of its page. django-simple-history makes one
    when the record is saved and another each time one of its tracked lists changes after (a
    partnership's themes: one for those removed, one for those added); the last holds all of the
    save, so it is the one kept, as the kind of change the first was (an addition, for a new record).
    The save sets `record._last_version_before_save` to `last_version_id(record)` (0 for a new
    record) before it begins."""
    history = getattr(type(record), "history", None)
    before = getattr(record, "_last_version_before_save", None)
    if history is None or before is None:
        return
    versions = list(
        history.filter(**{record._meta.pk.attname: record.pk}, history_id__gt=before)
        .order_by("history_id")
        .values_list("history_id", "history_type")
    )
    if len(versions) < 2:
        return
    earlier = [history_id for history_id, _ in versions[:-1]]
    for related in history.model._meta.related_objects:  # their lists as of each version go with them
        related.related_model._base_manager.filter(**{related.field.name + "_id__in": earlier}).delete()
    history.filter(history_id__in=earlier).delete()
    history.filter(history_id=versions[-1][0]).update(history_type=versions[0][1])
