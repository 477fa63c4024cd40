"""The sitemap: every public page, with addresses under SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from evaluations.models import Evaluation

from .models import Institution, Partnership, Phase, Theme


class PublicSitemap(Sitemap):
    """Addresses on the configured public site, whatever host the request came to."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"


class StaticPages(PublicSitemap):
    def items(self):
        return ["home", "partnerships:list", "partnerships:institutions", "partnerships:data", "accessibility"]

    def location(self, item):
        return reverse(item)


class Phases(PublicSitemap):
    def items(self):
        return Phase.objects.order_by("start_date", "pk")


class Partnerships(PublicSitemap):
    def items(self):
        return Partnership.objects.published().select_related("phase").order_by("phase__start_date", "slug", "pk")

    def lastmod(self, partnership):
        return partnership.updated_at


class Institutions(PublicSitemap):
    def items(self):
        return Institution.objects.public().order_by("name")


class Themes(PublicSitemap):
    def items(self):
        return Theme.objects.order_by("name")


class Evaluations(PublicSitemap):
    def items(self):
        return Evaluation.objects.published().order_by("slug")


SITEMAPS = {
    "pages": StaticPages,
    "phases": Phases,
    "partnerships": Partnerships,
    "institutions": Institutions,
    "themes": Themes,
    "evaluations": Evaluations,
}
