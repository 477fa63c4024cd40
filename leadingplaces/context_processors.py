from django.conf import settings

# The header's sections, by the first part of a page's address: phase and theme pages are part
# of browsing the partnerships.
NAV_SECTIONS = {
    "partnerships": "partnerships",
    "phases": "partnerships",
    "themes": "partnerships",
    "institutions": "institutions",
    "data": "data",
    "evaluator": "evaluator",
}


def site(request):
    """Values every template may need: the canonical site address, and the header's current section."""
    first = request.path_info.strip("/").split("/")[0]  # path_info: the same under a sub-path
    return {"SITE_URL": settings.SITE_URL, "nav_section": NAV_SECTIONS.get(first, "")}
