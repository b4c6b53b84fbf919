from celery import shared_task

from .auditoria import registros_acceso_purgar
from .models import Usuario
from .services import primer_ingreso_enviar


@shared_task(name="alerta.tasks.enviar_primer_ingreso")
def enviar_primer_ingreso(usuario_id: int) -> bool:
    usuario = Usuario.objects.filter(pk=usuario_id).first()
    return bool(usuario) and primer_ingreso_enviar(usuario=usuario)


@shared_task(name="alerta.tasks.purgar_registros_acceso")
def purgar_registros_acceso() -> int:
    """Delete the access log's rows past their retention (Celery beat)."""
    return registros_acceso_purgar()


@shared_task(name="alerta.tasks.enviar_clave_olvidada", ignore_result=True)
def enviar_clave_olvidada(*, email: str) -> None:
    """Look up `email` and mail the reset (or first-login) link. Returns
    nothing: a result would be stored, and would tell whether it matched."""
    from .cuentas import clave_olvidada_enviar

    clave_olvidada_enviar(email=email)
