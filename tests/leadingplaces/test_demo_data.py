"""The demo data generator builds the planned proportions, repeatably, and leaves real data alone."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from evaluations.models import Evaluation, Finding
from partnerships.models import Institution, Membership, Partnership, Programme

pytestmark = pytest.mark.django_db


def _generate(*args):
    out = StringIO()
    call_command("generate_demo_data", *args, stdout=out)
    return out.getvalue()


def _fingerprint():
    return list(Partnership.objects.order_by("slug").values_list("slug", "title", "region", "status"))


def test_it_builds_data_in_the_planned_proportions_and_reports_progress(programme):
    output = _generate("--partnerships", "200")
    assert "Created 200 partnerships" in output
    assert "Done" in output
    demo = {"slug__startswith": "demo-"}
    assert Partnership.objects.filter(**demo).count() == 200
    assert Institution.objects.filter(**demo).count() == 100
    assert Programme.objects.filter(**demo).count() == 1
    assert Membership.objects.filter(partnership__slug__startswith="demo-").count() == 1200
    assert Finding.objects.filter(evaluation__slug__startswith="demo-").count() == 2000


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(db):
    _generate("--partnerships", "50", "--seed", "7")
    first = _fingerprint()
    _generate("--partnerships", "50", "--seed", "7")
    assert _fingerprint() == first
    _generate("--partnerships", "50", "--seed", "8")
    assert _fingerprint() != first


def test_removing_demo_data_leaves_the_real_programme_untouched(programme):
    real = (Partnership.objects.count(), Institution.objects.count(), Evaluation.objects.count())
    _generate("--partnerships", "30")
    _generate("--remove")
    assert (Partnership.objects.count(), Institution.objects.count(), Evaluation.objects.count()) == real


def test_a_scale_below_one_is_refused_with_a_clear_message(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        _generate("--partnerships", "0")


@pytest.mark.parametrize("count", ["100", "1000"])
def test_demo_places_each_have_about_as_many_partnerships_and_at_most_one_a_phase(db, count):
    _generate("--partnerships", count)  # the database refuses a place twice in a phase
    per_place = Counter(Partnership.objects.filter(slug__startswith="demo-").values_list("place", flat=True))
    assert max(per_place.values()) - min(per_place.values()) <= 1
