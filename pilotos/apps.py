from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotosConfig(AppConfig):
    name = "pilotos"
    verbose_name = _("Pilotos")
