"""The life of a model version: publish, retire, restore the previous one.

At most one version is published (a constraint in the schema); the nightly run
scores with it. Retiring it leaves no published version: the nightly run then
fails cleanly and the last scores stay the current ones.
"""

from django.db import transaction
from django.utils import timezone

from .models import EstadoModelo, ModeloRiesgo


class SinVersionAnterior(Exception):
    pass


@transaction.atomic
def modelo_publicar(*, modelo: ModeloRiesgo) -> ModeloRiesgo:
    """Publish a version; the one published before is retired."""
    ahora = timezone.now()
    ModeloRiesgo.objects.select_for_update().filter(
        estado=EstadoModelo.PUBLICADO
    ).exclude(pk=modelo.pk).update(estado=EstadoModelo.RETIRADO, retirado_en=ahora)
    modelo.estado = EstadoModelo.PUBLICADO
    modelo.publicado_en = ahora
    modelo.save(update_fields=["estado", "publicado_en"])
    return modelo


@transaction.atomic
def modelo_retirar(*, modelo: ModeloRiesgo) -> ModeloRiesgo:
    modelo.estado = EstadoModelo.RETIRADO
    modelo.retirado_en = timezone.now()
    modelo.save(update_fields=["estado", "retirado_en"])
    return modelo


def version_anterior() -> ModeloRiesgo | None:
    """The version retired last: the one a restore brings back."""
    return (
        ModeloRiesgo.objects.filter(
            estado=EstadoModelo.RETIRADO, retirado_en__isnull=False
        )
        .order_by("-retirado_en", "-version")
        .first()
    )


@transaction.atomic
def modelo_restaurar_anterior() -> ModeloRiesgo:
    """Undo the last publication or retirement in one step."""
    anterior = version_anterior()
    if anterior is None:
        raise SinVersionAnterior("No hay una versión anterior que restaurar.")
    return modelo_publicar(modelo=anterior)
