from celery import shared_task

from .models import Usuario
from .services import primer_ingreso_enviar


@shared_task(name="alerta.tasks.enviar_primer_ingreso")
def enviar_primer_ingreso(usuario_id: int) -> bool:
    usuario = Usuario.objects.filter(pk=usuario_id).first()
    return bool(usuario) and primer_ingreso_enviar(usuario=usuario)
