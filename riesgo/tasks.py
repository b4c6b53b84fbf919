from celery import shared_task

from .scoring import puntaje_ejecutar


@shared_task(name="riesgo.tasks.puntuar_estudiantes")
def puntuar_estudiantes(anio: int | None = None) -> int:
    """The nightly run (Celery beat, 02:00 America/Lima). Returns the run's id."""
    return puntaje_ejecutar(anio=anio).pk
