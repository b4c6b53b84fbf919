from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiagieImportConfig(AppConfig):
    name = "siagie_import"
    verbose_name = _("Importación SIAGIE")
