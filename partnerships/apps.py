from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = "Programme data"

    def ready(self):
        from . import signals

        # Every write to what public search covers keeps the stored search vectors up to date.
        signals.connect()
