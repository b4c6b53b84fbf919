from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from riesgo import selectors as riesgo_selectors

from . import scoping
from .ficha import ficha_de
from .models import Accion
from .services import registro_acceso_crear


@login_required
@require_GET
def estudiante_detalle(request: HttpRequest, uuid) -> HttpResponse:
    estudiante = scoping.estudiante_o_404(request.user, uuid)
    ejecucion = riesgo_selectors.ejecucion_vigente()
    ficha = ficha_de(estudiante, ejecucion)
    registro_acceso_crear(
        usuario=request.user,
        accion=Accion.VER_ESTUDIANTE,
        objeto=f"estudiante:{estudiante.uuid}",
    )
    ctx = {"ficha": ficha, "estudiante": estudiante, "ejecucion": ejecucion}
    return render(request, "alerta/estudiante_detalle.html", ctx)
