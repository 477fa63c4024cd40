from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = "Evaluations and findings"  # not "Evaluations", the name of its list of evaluations too

    def ready(self):
        from .models import Evaluation
        from .roles import ensure_roles
        from .services import tell_newly_assigned

        # Permissions only exist once every app has migrated, so the groups are set up then.
        post_migrate.connect(ensure_roles, sender=self)
        m2m_changed.connect(tell_newly_assigned, sender=Evaluation.evaluators.through)
