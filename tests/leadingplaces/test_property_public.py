"""Property-based: no value of any public query parameter, on any public address that takes
them, causes a server error, and a refused value never changes stored data."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerships.models import Partnership

pytestmark = pytest.mark.django_db

# Text that a browser or a script could send: any Unicode, control characters and NUL included.
ANY_TEXT = st.text(max_size=400)
LIKELY = st.sampled_from(["phase-1", "phase-2", "skills", "health-and-wellbeing", "london", "university", "", "0"])
VALUE = st.one_of(ANY_TEXT, LIKELY)
PARAMETERS = st.fixed_dictionaries(
    {},
    optional=dict.fromkeys(("q", "phase", "theme", "region", "kind", "page"), VALUE),
)
FILTERED_ADDRESSES = ["/partnerships/", "/partnerships.csv", "/partnerships.json", "/institutions/"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(address=st.sampled_from(FILTERED_ADDRESSES), params=PARAMETERS)
def test_no_combination_of_filter_values_causes_an_error_or_a_change(anonymous, programme, address, params):
    before = list(Partnership.objects.order_by("pk").values_list("pk", "version"))
    response = anonymous.get(address, params)
    # A filter it does not know is refused (400): a download says so, the list page by the filter.
    assert response.status_code in (200, 400)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    assert list(Partnership.objects.order_by("pk").values_list("pk", "version")) == before


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slug=st.text(min_size=1, max_size=120))
def test_no_slug_in_a_public_address_causes_an_error(anonymous, programme, slug):
    from urllib.parse import quote

    for prefix in ("/phases/", "/partnerships/phase-2/", "/institutions/", "/themes/", "/evaluations/"):
        response = anonymous.get(prefix + quote(slug, safe="") + "/")
        assert response.status_code in (200, 301, 404), (prefix, slug, response.status_code)
