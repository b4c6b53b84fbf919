from celery import shared_task

from alerta.models import Usuario

from .scoring import puntaje_ejecutar
from .training import modelo_entrenar


@shared_task(name="riesgo.tasks.puntuar_estudiantes")
def puntuar_estudiantes(anio: int | None = None) -> int:
    """The nightly run (Celery beat, 02:00 America/Lima). Returns the run's id."""
    return puntaje_ejecutar(anio=anio).pk


@shared_task(name="riesgo.tasks.entrenar_modelo")
def entrenar_modelo(usuario_id: int | None = None) -> int:
    """Train a new version (not published). Returns its version number."""
    usuario = Usuario.objects.filter(pk=usuario_id).first() if usuario_id else None
    return modelo_entrenar(usuario=usuario).version
