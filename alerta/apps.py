from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertaConfig(AppConfig):
    name = "alerta"
    verbose_name = _("Alerta Escuela")
