from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrientacionesConfig(AppConfig):
    name = "orientaciones"
    verbose_name = _("Orientaciones")
