"""Celery task of the outcome report."""

from celery import shared_task

from .calculo import resultados_calcular


@shared_task(name="resultados.tasks.calcular_resultados")
def calcular_resultados() -> list[int]:
    """The nightly step (Celery beat, 05:00 America/Lima, after the scoring run
    and the use aggregation), also queued from the national page: computes
    the reports that are missing or whose year t+1 changed. Returns their ids."""
    return [informe.pk for informe in resultados_calcular()]
