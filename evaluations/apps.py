from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = "Evaluations"

    def ready(self):
        from .roles import ensure_roles

        # Permissions only exist once every app has migrated, so the groups are set up then.
        post_migrate.connect(ensure_roles, sender=self)
