from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from riesgo import selectors as riesgo_selectors
from seguimiento import scoping as seguimiento_scoping

from . import scoping
from .auditoria import registra_acceso
from .ficha import ficha_de
from .models import Accion

# Set by the new-action page on success: the student whose draft to clear.
SESION_BORRADOR_ENVIADO = "seguimiento_borrador_enviado"


def _seguimiento(user, estudiante) -> list[dict]:
    """The student's visible actions, newest first, each with what the user
    may read and do."""
    acciones = (
        seguimiento_scoping.acciones_visibles(user)
        .filter(estudiante=estudiante)
        .select_related("tipo", "autor", "seccion", "orientacion")
        .order_by("-fecha", "-creada")
    )
    return [
        {
            "accion": a,
            "lee_nota": seguimiento_scoping.lee_nota(user, a),
            "puede_corregir": seguimiento_scoping.puede_corregir(user, a),
        }
        for a in acciones
    ]


@login_required
@require_GET
@registra_acceso(Accion.VER_ESTUDIANTE, "estudiante:{uuid}")
def estudiante_detalle(request: HttpRequest, uuid) -> HttpResponse:
    estudiante = scoping.estudiante_o_404(request.user, uuid)
    ejecucion = riesgo_selectors.ejecucion_vigente()
    ficha = ficha_de(estudiante, ejecucion)
    enviado = request.session.pop(SESION_BORRADOR_ENVIADO, None)
    ctx = {
        "ficha": ficha,
        "estudiante": estudiante,
        "ejecucion": ejecucion,
        "acciones": _seguimiento(request.user, estudiante),
        "registra": seguimiento_scoping.seccion_de_registro(request.user, estudiante)
        is not None,
        "borrador_enviado": enviado == str(estudiante.uuid),
    }
    return render(request, "alerta/estudiante_detalle.html", ctx)
