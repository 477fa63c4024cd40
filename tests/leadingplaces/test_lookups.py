"""An id too large for any integer column matches nothing, in an `in` lookup as in `exact`."""

import pytest

from partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_ids_out_of_range_are_no_match_and_the_others_still_are(programme):
    partnership = Partnership.objects.order_by("pk").first()
    assert list(Partnership.objects.filter(pk__in=[2**70, -(2**70)])) == []
    assert list(Partnership.objects.filter(pk__in=[2**70, partnership.pk])) == [partnership]
    assert list(Partnership.objects.exclude(pk__in=[2**70]).order_by("pk")) == list(Partnership.objects.order_by("pk"))
