from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from riesgo import selectors as riesgo_selectors

from . import scoping
from .auditoria import registra_acceso
from .ficha import ficha_de
from .models import Accion


@login_required
@require_GET
@registra_acceso(Accion.VER_ESTUDIANTE, "estudiante:{uuid}")
def estudiante_detalle(request: HttpRequest, uuid) -> HttpResponse:
    estudiante = scoping.estudiante_o_404(request.user, uuid)
    ejecucion = riesgo_selectors.ejecucion_vigente()
    ficha = ficha_de(estudiante, ejecucion)
    ctx = {"ficha": ficha, "estudiante": estudiante, "ejecucion": ejecucion}
    return render(request, "alerta/estudiante_detalle.html", ctx)
