from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from alerta.models import Nivel

from . import selectors
from .models import Factor, Lectura


def _elegido(request: HttpRequest, nombre: str, validos: list[str]) -> str:
    # A filter value from a stale link or a hand-edited URL is ignored, not an error.
    valor = request.GET.get(nombre, "")
    return valor if valor in validos else ""


@login_required
def lista(request: HttpRequest) -> HttpResponse:
    nivel = _elegido(request, "nivel", Nivel.values)
    factor = _elegido(request, "factor", Factor.values)
    orientaciones = selectors.orientaciones_para(
        request.user, nivel=nivel, factor=factor
    ).only("slug", "titulo", "resumen", "audiencia", "nivel", "factor")

    ctx = {
        "orientaciones": orientaciones,
        "niveles": Nivel.choices,
        "factores": Factor.choices,
        "nivel": nivel,
        "factor": factor,
        "filtrado": bool(nivel or factor),
    }
    return render(request, "orientaciones/lista.html", ctx)


@login_required
def detalle(request: HttpRequest, slug: str) -> HttpResponse:
    orientacion = selectors.orientacion_o_404(request.user, slug)
    # Counted by the use monitoring (read once a day per item, whatever
    # the reloads: see monitoreo.calculo).
    Lectura.objects.create(usuario=request.user, orientacion=orientacion)

    ctx = {"orientacion": orientacion}
    return render(request, "orientaciones/detalle.html", ctx)
