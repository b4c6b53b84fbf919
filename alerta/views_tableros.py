"""Dashboards of UGEL, DRE and Minedu: counts only (see
alerta.presentacion.tableros). The nominal drill-down is the IE page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from riesgo.models import EjecucionPuntaje

from . import scoping
from .presentacion import tableros
from .presentacion.conteos import conteos_por_clave
from .presentacion.libros import libro_capacitaciones
from .xlsx import respuesta_xlsx

IES_POR_PAGINA = 25


@login_required
@require_GET
def ugel_detalle(request: HttpRequest, codigo: str) -> HttpResponse:
    ugel = scoping.ugel_o_404(request.user, codigo)
    ejecucion = EjecucionPuntaje.objects.vigente()
    orden = tableros.orden_valido(request.GET.get("orden"))
    ies = tableros.ies_de(request.user, ugel)
    tablero = tableros.tablero(
        ejecucion=ejecucion, alcance=ugel, hijos=ies, orden=orden
    )
    pagina = Paginator(tablero.hijos, IES_POR_PAGINA).get_page(
        request.GET.get("pagina")
    )
    ctx = {
        "ugel": ugel,
        "ejecucion": ejecucion,
        "tablero": tablero,
        "orden": orden,
        "pagina": pagina,
        "filas": tableros.con_objetos(ies, pagina.object_list),
        "graficos": tableros.datos_graficos(tablero.grados),
        "regla_grupos": tableros.REGLA_GRUPOS,
    }
    return render(request, "alerta/ugel_detalle.html", ctx)


@login_required
@require_GET
def ugel_capacitaciones(request: HttpRequest, codigo: str) -> FileResponse:
    ugel = scoping.ugel_o_404(request.user, codigo)
    ejecucion = EjecucionPuntaje.objects.vigente()
    ies = tableros.ies_de(request.user, ugel)
    # Ranked as the UGEL's page ranks them.
    ranking = tableros.ranking(conteos_por_clave(ejecucion, ies), ies)
    archivo = libro_capacitaciones(
        ugel=ugel,
        filas=tableros.con_objetos(ies, ranking),
        ejecucion=ejecucion,
        usuario=request.user,
    )
    anio = ejecucion.anio if ejecucion else ""
    return respuesta_xlsx(archivo, f"capacitaciones-{ugel.codigo}-{anio}")


def _comparacion(request: HttpRequest, alcance, hijos) -> dict:
    """The context of a dashboard that compares the parts of a scope."""
    ejecucion = EjecucionPuntaje.objects.vigente()
    orden = tableros.orden_valido(request.GET.get("orden"), tableros.PORCENTAJE)
    tablero = tableros.tablero(
        ejecucion=ejecucion, alcance=alcance, hijos=hijos, orden=orden
    )
    comparados = tableros.con_objetos(hijos, tablero.hijos)
    return {
        "ejecucion": ejecucion,
        "tablero": tablero,
        "orden": orden,
        "comparados": comparados,
        "graficos": tableros.datos_graficos(tablero.grados, comparados),
    }


@login_required
@require_GET
def dre_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    dre = scoping.dre_o_404(request.user, pk)
    ctx = {
        "dre": dre,
        **_comparacion(request, dre, tableros.ugeles_de(request.user, dre)),
    }
    return render(request, "alerta/dre_detalle.html", ctx)


@login_required
@require_GET
def nacional(request: HttpRequest) -> HttpResponse:
    if not scoping.ve_todo(request.user):
        raise Http404
    ctx = _comparacion(request, None, tableros.dres_de(request.user))
    return render(request, "alerta/nacional.html", ctx)
