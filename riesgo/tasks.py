"""Celery tasks of the risk model: training and the nightly scoring run.

The nightly run is a chord: one task per chunk of IEs (a group), then the
closing step once every chunk is done. Every task of a run goes to the queue
the run was started from.
"""

import datetime as dt

from celery import chord, group, shared_task
from django.utils import timezone

from alerta.models import Usuario

from .models import EjecucionPuntaje, EstadoEjecucion
from .scoring import (
    ejecucion_reabrir,
    lote_puntuar,
    lotes_pendientes,
    puntaje_cerrar,
    puntaje_fallar,
    puntaje_iniciar,
)
from .training import modelo_entrenar

# A run still "en curso" after this long was cut off (its worker died).
INTERRUMPIDA_TRAS = dt.timedelta(hours=20)


def _cola(request) -> str | None:
    info = getattr(request, "delivery_info", None) or {}
    return info.get("routing_key")


def ejecucion_lanzar(ejecucion: EjecucionPuntaje, *, cola: str | None = None):
    """Send the chunks not done yet as a chord closed by `cerrar_ejecucion`."""
    opciones = {"queue": cola} if cola else {}
    cierre = cerrar_ejecucion.si(ejecucion.pk).set(**opciones)
    lotes = lotes_pendientes(ejecucion)
    if not lotes:
        return cierre.apply_async()
    return chord(
        group(puntuar_lote.si(lote, ejecucion.pk).set(**opciones) for lote in lotes)
    )(cierre)


def ejecucion_reanudar(ejecucion: EjecucionPuntaje, *, cola: str | None = None):
    """Finish an interrupted or failed run under its own id."""
    ejecucion_reabrir(ejecucion)
    return ejecucion_lanzar(ejecucion, cola=cola)


def interrumpidas_cerrar() -> int:
    limite = timezone.now() - INTERRUMPIDA_TRAS
    return EjecucionPuntaje.objects.filter(
        estado=EstadoEjecucion.EN_CURSO, inicio__lt=limite
    ).update(
        estado=EstadoEjecucion.FALLIDA,
        fin=timezone.now(),
        error="Interrumpida: no terminó a tiempo.",
    )


@shared_task(bind=True, name="riesgo.tasks.puntuar_estudiantes")
def puntuar_estudiantes(self, anio: int | None = None) -> int:
    """The nightly run (Celery beat, 02:00 America/Lima). Returns the run's id."""
    interrumpidas_cerrar()
    ejecucion = puntaje_iniciar(anio=anio)
    ejecucion_lanzar(ejecucion, cola=_cola(self.request))
    return ejecucion.pk


@shared_task(name="riesgo.tasks.puntuar_lote")
def puntuar_lote(lote_id: int, ejecucion_id: int) -> int:
    try:
        return lote_puntuar(lote_id)
    except Exception as exc:
        # The chord will not call its closing step: record the failure here.
        puntaje_fallar(ejecucion_id, exc)
        raise


@shared_task(name="riesgo.tasks.cerrar_ejecucion")
def cerrar_ejecucion(ejecucion_id: int) -> int:
    try:
        return puntaje_cerrar(ejecucion_id).estudiantes
    except Exception as exc:
        puntaje_fallar(ejecucion_id, exc)
        raise


@shared_task(name="riesgo.tasks.entrenar_modelo")
def entrenar_modelo(usuario_id: int | None = None) -> int:
    """Train a new version (not published). Returns its version number."""
    usuario = Usuario.objects.filter(pk=usuario_id).first() if usuario_id else None
    return modelo_entrenar(usuario=usuario).version
