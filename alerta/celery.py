import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alerta.settings")

app = Celery("alerta")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _cerrar_importaciones_interrumpidas(**_kwargs) -> None:
    """A worker that starts may replace one that died mid-import: close those
    imports at once instead of at the next beat."""
    from django.db import connections

    from siagie_import.tasks import cerrar_importaciones_interrumpidas

    cerrar_importaciones_interrumpidas()
    # The worker's main process does not use the database otherwise.
    connections.close_all()
