import importlib

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The data migrations that wrote the library, and the function of each.
SIEMBRA = (
    ("0002_orientaciones_iniciales", "crear_orientaciones"),
    ("0004_orientaciones_por_factor", "crear_orientaciones"),
    ("0005_seguimiento_en_el_portal", "adelante"),
)


def biblioteca_restaurar(sender, using="default", plan=None, **kwargs) -> None:
    """After a `flush` (as tests on a transactional database do), write the
    library again as its data migrations wrote it. Django sends post_migrate
    after a flush without a plan; after a real migrate the migrations have
    written it already, and an emptied library is left as it was left."""
    from django.apps import apps

    from .models import Orientacion

    if plan is not None or Orientacion.objects.using(using).exists():
        return
    for migracion, funcion in SIEMBRA:
        modulo = importlib.import_module(f"orientaciones.migrations.{migracion}")
        getattr(modulo, funcion)(apps, None)


class OrientacionesConfig(AppConfig):
    name = "orientaciones"
    verbose_name = _("Orientaciones")

    def ready(self) -> None:
        post_migrate.connect(biblioteca_restaurar, sender=self)
