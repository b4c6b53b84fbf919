from celery import shared_task

from .services import importacion_procesar, importaciones_cerrar_interrumpidas


# Nobody reads its result (the import's row says how it went): without one,
# queueing it needs only the broker.
@shared_task(name="siagie_import.tasks.procesar_importacion", ignore_result=True)
def procesar_importacion(importacion_id: int) -> int:
    """Load a registered file (queued after the upload commits). Returns its id."""
    importacion_procesar(importacion_id=importacion_id)
    return importacion_id


@shared_task(name="siagie_import.tasks.cerrar_importaciones_interrumpidas")
def cerrar_importaciones_interrumpidas() -> int:
    """Close the imports whose process died (Celery beat). Returns how many."""
    return len(importaciones_cerrar_interrumpidas())
