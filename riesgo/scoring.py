"""Score every current student with the published model."""

import logging
import time

from django.db import transaction
from django.utils import timezone

from alerta.selectors import anio_vigente

from . import artefactos
from .features import CATEGORICAS, NUMERICAS, construir_features
from .models import EjecucionPuntaje, EstadoEjecucion, ModeloRiesgo, Puntaje

logger = logging.getLogger(__name__)

LOTE_ESCRITURA = 5000


class SinModeloPublicado(Exception):
    pass


def puntaje_ejecutar(*, anio: int | None = None) -> EjecucionPuntaje:
    """One scoring run. Its scores become current only if it succeeds.

    A failed run is recorded as such; the previous successful run's scores stay
    the current ones, since readers always take the latest successful run.
    """
    modelo = ModeloRiesgo.objects.publicado()
    if modelo is None:
        raise SinModeloPublicado("No hay un modelo de riesgo publicado.")
    anio = anio or anio_vigente()
    ejecucion = EjecucionPuntaje.objects.create(modelo=modelo, anio=anio)
    inicio = time.monotonic()
    try:
        pipeline = artefactos.cargar(modelo.artefacto, modelo.sha256)
        X = construir_features(anio, solo_vigentes=True)
        probabilidades = (
            pipeline.predict_proba(X[NUMERICAS + CATEGORICAS])[:, 1] if len(X) else []
        )
        with transaction.atomic():
            Puntaje.objects.bulk_create(
                (
                    Puntaje(
                        ejecucion=ejecucion,
                        matricula_id=matricula_id,
                        probabilidad=float(p),
                        nivel=modelo.nivel_para(p),
                    )
                    for matricula_id, p in zip(X.index, probabilidades, strict=True)
                ),
                batch_size=LOTE_ESCRITURA,
            )
            ejecucion.estado = EstadoEjecucion.EXITOSA
            ejecucion.estudiantes = len(X)
            ejecucion.fin = timezone.now()
            ejecucion.duracion_s = time.monotonic() - inicio
            ejecucion.save()
    except Exception as exc:
        logger.exception("Scoring run %s failed", ejecucion.pk)
        EjecucionPuntaje.objects.filter(pk=ejecucion.pk).update(
            estado=EstadoEjecucion.FALLIDA,
            fin=timezone.now(),
            duracion_s=time.monotonic() - inicio,
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        raise
    logger.info(
        "Scoring run %s scored %s students", ejecucion.pk, ejecucion.estudiantes
    )
    return ejecucion
