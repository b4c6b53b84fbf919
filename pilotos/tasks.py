"""Celery task of the pilots."""

from celery import shared_task

from .datos import analisis_calcular
from .models import Estado, Evaluacion
from .uso import uso_de_unidades_registrar


@shared_task(name="pilotos.tasks.copiar_uso_de_unidades")
def copiar_uso_de_unidades() -> int:
    """The nightly copy of each unit's weekly use (Celery beat, 04:50
    America/Lima, after monitoreo's aggregation). Weeks still in monitoreo's
    window are copied again every night, so a night when the aggregation ran
    late is made good the next. Then the analysis of every published
    evaluation whose outcome year is imported, when its data changed.
    Returns the rows written."""
    filas = uso_de_unidades_registrar()
    for evaluacion in Evaluacion.objects.filter(estado=Estado.PUBLICADA):
        # Nothing while its outcome year is missing.
        analisis_calcular(evaluacion)
    return filas


@shared_task(name="pilotos.tasks.analizar_evaluacion")
def analizar_evaluacion(evaluacion_id: int) -> int | None:
    """An evaluation's analysis, queued from its results page when it is
    missing. Returns the stored analysis' id."""
    evaluacion = Evaluacion.objects.filter(pk=evaluacion_id).first()
    analisis = analisis_calcular(evaluacion) if evaluacion else None
    return analisis.pk if analisis else None
