from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = "Programme data"

    def ready(self):
        from leadingplaces import public_cache

        # Any change to programme or evaluation data, by any path, starts a new generation
        # of the public page cache.
        public_cache.connect()
