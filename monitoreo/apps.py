from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoreoConfig(AppConfig):
    name = "monitoreo"
    verbose_name = _("Monitoreo del uso")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the login recorder)
