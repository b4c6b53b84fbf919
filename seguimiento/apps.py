import importlib

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def catalogo_asegurar(sender, using="default", **kwargs) -> None:
    """Every kind of the fixed catalogue exists (created if missing, never
    renamed or un-retired). The data migration seeded it; a database flushed
    by `flush` (as tests on a transactional database do) comes back without
    data, and Django sends post_migrate after a flush as after a migrate."""
    from .models import TipoAccion

    catalogo = importlib.import_module(
        "seguimiento.migrations.0002_catalogo_tipos"
    ).CATALOGO
    for orden, (codigo, nombre) in enumerate(catalogo, start=1):
        TipoAccion.objects.using(using).get_or_create(
            codigo=codigo, defaults={"nombre": nombre, "orden": orden}
        )


class SeguimientoConfig(AppConfig):
    name = "seguimiento"
    verbose_name = _("Seguimiento")

    def ready(self) -> None:
        post_migrate.connect(catalogo_asegurar, sender=self)
