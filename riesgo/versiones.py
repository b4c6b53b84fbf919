"""The life of a model version: publish, retire, restore the previous one.

At most one version is published (a constraint in the schema); the nightly run
scores with it. Retiring it leaves no published version: the nightly run then
fails cleanly and the last scores stay the current ones.

A version that does not beat its baseline (the logistic regression trained on
the same rows, stored in its metrics) on ROC-AUC or on PR-AUC is published
only when the caller says so explicitly (`aunque_no_supere_base`): the web
page asks for a confirmation, the command for a flag.
"""

import math
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alerta.models import Usuario

from .cortes import texto_decimal
from .models import EstadoModelo, ModeloRiesgo


class SinVersionAnterior(Exception):
    pass


class NoPublicada(Exception):
    """Only the published version can be retired: retiring another one would
    make it the version a restore brings back."""


# --- Against the baseline ------------------------------------------------------


@dataclass(frozen=True)
class FrenteABase:
    """One metric of a version beside the same metric of its baseline."""

    metrica: str
    modelo: float
    base: float

    @property
    def supera(self) -> bool:
        return self.modelo > self.base

    @property
    def modelo_texto(self) -> str:
        return texto_decimal(self.modelo, 3)

    @property
    def base_texto(self) -> str:
        return texto_decimal(self.base, 3)


# The metrics a version must beat its baseline on, by key of a metrics block.
METRICAS_FRENTE_A_BASE = (("roc_auc", "ROC-AUC"), ("pr_auc", "PR-AUC"))


def _cifra(metricas: Any, bloque: str, clave: str) -> float | None:
    """metricas[bloque][clave] when it is a finite number (versions trained
    before the baseline was stored have none)."""
    datos = metricas.get(bloque) if isinstance(metricas, dict) else None
    valor = datos.get(clave) if isinstance(datos, dict) else None
    if isinstance(valor, bool) or not isinstance(valor, int | float):
        return None
    return float(valor) if math.isfinite(valor) else None


def frente_a_base(modelo: ModeloRiesgo) -> list[FrenteABase]:
    """ROC-AUC and PR-AUC of the version and of its baseline, those stored for
    both (a version trained before the baseline was stored has none)."""
    filas = []
    for clave, nombre in METRICAS_FRENTE_A_BASE:
        propio = _cifra(modelo.metricas, "modelo", clave)
        base = _cifra(modelo.metricas, "base", clave)
        if propio is not None and base is not None:
            filas.append(FrenteABase(nombre, propio, base))
    return filas


def no_supera_base(modelo: ModeloRiesgo) -> list[FrenteABase]:
    """The metrics on which the version does not beat its baseline."""
    return [f for f in frente_a_base(modelo) if not f.supera]


def cifras_no_supera(debajo: list[FrenteABase]) -> str:
    """'ROC-AUC (0,904 frente a 0,908) ni en PR-AUC (0,567 frente a 0,574)'."""
    return _(" ni en ").join(
        _("%(metrica)s (%(modelo)s frente a %(base)s)")
        % {"metrica": f.metrica, "modelo": f.modelo_texto, "base": f.base_texto}
        for f in debajo
    )


def texto_no_supera(modelo: ModeloRiesgo, debajo: list[FrenteABase]) -> str:
    """One sentence: which metrics, with both figures."""
    cifras = cifras_no_supera(debajo)
    return _(
        "La versión %(v)d no supera a su línea de base (la regresión logística "
        "entrenada con los mismos datos) en %(cifras)s."
    ) % {"v": modelo.version, "cifras": cifras}


class NoSuperaBase(Exception):
    def __init__(self, modelo: ModeloRiesgo, debajo: list[FrenteABase]) -> None:
        super().__init__(texto_no_supera(modelo, debajo))
        self.modelo = modelo
        self.debajo = debajo


def _registrar(
    *, modelo: ModeloRiesgo, usuario: Usuario, debajo: list[FrenteABase]
) -> None:
    # Who published which version, and whether it beat its baseline, in the
    # admin's history of the version.
    mensaje = _("Publicada.")
    if debajo:
        mensaje = _("Publicada con confirmación, aunque: %(motivo)s") % {
            "motivo": texto_no_supera(modelo, debajo)
        }
    LogEntry.objects.create(
        user=usuario,
        content_type=ContentType.objects.get_for_model(ModeloRiesgo),
        object_id=str(modelo.pk),
        object_repr=str(modelo)[:200],
        action_flag=CHANGE,
        change_message=mensaje,
    )


@transaction.atomic
def modelo_publicar(
    *,
    modelo: ModeloRiesgo,
    usuario: Usuario | None = None,
    aunque_no_supere_base: bool = False,
) -> ModeloRiesgo:
    """Publish a version; the one published before is retired.

    A version that does not beat its baseline raises NoSuperaBase, unless
    `aunque_no_supere_base`. With `usuario`, the publication is recorded in
    the admin's history of the version.
    """
    debajo = no_supera_base(modelo)
    if debajo and not aunque_no_supere_base:
        raise NoSuperaBase(modelo, debajo)
    ahora = timezone.now()
    ModeloRiesgo.objects.select_for_update().filter(
        estado=EstadoModelo.PUBLICADO
    ).exclude(pk=modelo.pk).update(estado=EstadoModelo.RETIRADO, retirado_en=ahora)
    modelo.estado = EstadoModelo.PUBLICADO
    modelo.publicado_en = ahora
    modelo.save(update_fields=["estado", "publicado_en"])
    if usuario is not None:
        _registrar(modelo=modelo, usuario=usuario, debajo=debajo)
    return modelo


@transaction.atomic
def modelo_retirar(*, modelo: ModeloRiesgo) -> ModeloRiesgo:
    """Retire the published version; any other raises NoPublicada."""
    # Read under a lock: a publication at the same moment cannot slip between
    # the check and the write.
    estado = (
        ModeloRiesgo.objects.select_for_update()
        .filter(pk=modelo.pk)
        .values_list("estado", flat=True)
        .get()
    )
    if estado != EstadoModelo.PUBLICADO:
        raise NoPublicada(_("Solo se puede retirar la versión publicada."))
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
    # It was published before: undoing a change asks for no confirmation.
    return modelo_publicar(modelo=anterior, aunque_no_supere_base=True)
