from celery import shared_task

from .services import importacion_procesar


@shared_task(name="siagie_import.tasks.procesar_importacion")
def procesar_importacion(importacion_id: int) -> int:
    """Load a registered file (queued after the upload commits). Returns its id."""
    importacion_procesar(importacion_id=importacion_id)
    return importacion_id
