"""The access log (Ley 29733): which views show personal data, the row each
writes, and how long the rows are kept.

A view that shows personal data (students' or teachers') says so with
`registra_acceso`; tests/alerta/test_auditoria.py walks the URLconf and
fails on a view that neither says so nor is listed there as showing none.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import RegistroAcceso
from .services import registro_acceso_crear

LARGO_OBJETO = RegistroAcceso._meta.get_field("objeto").max_length


def registra_acceso(accion: str, objeto: str) -> Callable:
    """Record every successful (200) answer of the view as an access of
    `accion` to `objeto`, a format of the URL's arguments ("ie:{codigo}",
    "estudiante:{uuid}"): opaque references, never a name.

    Goes right above the view, under `login_required`. A 404 (out of scope),
    a redirect or an error records nothing. A view whose answer happens to
    hold no personal data (an import without rejected rows) sets
    `respuesta.sin_datos_personales = True`.
    """

    def decorador(vista: Callable) -> Callable:
        @wraps(vista)
        def envuelta(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            respuesta = vista(request, *args, **kwargs)
            if respuesta.status_code == 200 and not getattr(
                respuesta, "sin_datos_personales", False
            ):
                # The URL's own text: bounded, since an address may spell
                # one object in many ways ("0123456-0" and "0123456-000").
                registro_acceso_crear(
                    usuario=request.user,
                    accion=accion,
                    objeto=objeto.format(**kwargs)[:LARGO_OBJETO],
                )
            return respuesta

        # Read by the test that walks the URLconf (kept by the outer
        # decorators, which copy the view's attributes).
        envuelta.registro_acceso = (accion, objeto)
        return envuelta

    return decorador


def limite_de_retencion(ahora: datetime | None = None) -> datetime:
    """Rows recorded before this moment are past the retention period."""
    dias = settings.REGISTRO_ACCESO_RETENCION_DIAS
    return (ahora or timezone.now()) - timedelta(days=dias)


def registros_acceso_purgar(*, ahora: datetime | None = None) -> int:
    """Delete the access log's rows older than the retention period
    (REGISTRO_ACCESO_RETENCION_DIAS). Returns how many went."""
    borrados, _por_modelo = RegistroAcceso.objects.filter(
        fecha__lt=limite_de_retencion(ahora)
    ).delete()
    return borrados
