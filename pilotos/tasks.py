"""Celery task of the pilots."""

from celery import shared_task

from .uso import uso_de_unidades_registrar


@shared_task(name="pilotos.tasks.copiar_uso_de_unidades")
def copiar_uso_de_unidades() -> int:
    """The nightly copy of each unit's weekly use (Celery beat, 04:50
    America/Lima, after monitoreo's aggregation). Weeks still in monitoreo's
    window are copied again every night, so a night when the aggregation ran
    late is made good the next. Returns the rows written."""
    return uso_de_unidades_registrar()
