from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiesgoConfig(AppConfig):
    name = "riesgo"
    verbose_name = _("Riesgo de deserción")
