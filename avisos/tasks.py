from datetime import date

from celery import group, shared_task
from django.conf import settings
from django.utils import timezone

from riesgo.selectors import ejecucion_vigente

from . import selectors, services


@shared_task(name="avisos.tasks.enviar_resumenes_semanales")
def enviar_resumenes_semanales() -> int:
    """Queue this week's digest (Celery beat, Monday morning in Lima) in
    batches of AVISOS_LOTE_USUARIOS users. Returns how many users."""
    semana = selectors.semana_de(timezone.localdate())
    ids = list(
        selectors.destinatarios(semana=semana, ejecucion=ejecucion_vigente())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    n = settings.AVISOS_LOTE_USUARIOS
    lotes = [ids[i : i + n] for i in range(0, len(ids), n)]
    if lotes:
        group(enviar_resumenes_lote.s(lote, semana.isoformat()) for lote in lotes)()
    return len(ids)


@shared_task(
    name="avisos.tasks.enviar_resumenes_lote",
    autoretry_for=(services.ResumenesNoEnviados,),
    max_retries=3,
    retry_backoff=300,
)
def enviar_resumenes_lote(usuario_ids: list[int], semana: str) -> int:
    """Send one batch; a retry sends only those not sent yet (the claims)."""
    return services.resumenes_enviar(
        usuario_ids=usuario_ids, semana=date.fromisoformat(semana)
    )
