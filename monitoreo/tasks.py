"""Celery tasks of the use monitoring."""

from celery import shared_task

from .calculo import uso_calcular


@shared_task(name="monitoreo.tasks.calcular_uso")
def calcular_uso() -> int:
    """The nightly aggregation of use (Celery beat, 04:15 America/Lima, after
    the scoring run, whose counts of alto students it reads). Returns the
    number of teachers counted."""
    return uso_calcular().docentes
