from django.conf import settings


def site(request):
    """Values every template may need, such as the canonical site address."""
    return {"SITE_URL": settings.SITE_URL}
