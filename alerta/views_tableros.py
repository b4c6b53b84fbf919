"""Dashboards of UGEL, DRE and Minedu: counts only (see
alerta.presentacion.tableros). The nominal drill-down is the IE page."""

from functools import cache

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from riesgo.models import EjecucionPuntaje

from . import scoping
from .presentacion import tableros
from .presentacion.conteos import conteos_por_clave
from .presentacion.libros import libro_capacitaciones
from .presentacion.vigencia import clave_de_conteos
from .xlsx import respuesta_xlsx

IES_POR_PAGINA = 25
# How long a rendered dashboard stays in the cache. Its key changes with every
# scoring run and import; the limit bounds what an edit in the admin may wait.
SEGUNDOS_EN_CACHE = 3600


@login_required
@require_GET
def ugel_detalle(request: HttpRequest, codigo: str) -> HttpResponse:
    ugel = scoping.ugel_o_404(request.user, codigo)
    ejecucion = EjecucionPuntaje.objects.vigente()
    orden = tableros.orden_valido(request.GET.get("orden"))
    ies = tableros.ies_de(request.user, ugel)

    def tablero() -> tableros.Tablero:
        return tableros.tablero(
            ejecucion=ejecucion, alcance=ugel, hijos=ies, orden=orden
        )

    def pagina():
        return Paginator(ctx["tablero"].hijos, IES_POR_PAGINA).get_page(
            request.GET.get("pagina")
        )

    # What the dashboard shows changes only with a scoring run (or an import):
    # it is rendered once for each order and page (the template's {% cache %},
    # decision 0017), and computed only when it is not in the cache. Links in it
    # carry the address's parameters: an address with others is not cached.
    ctx = {
        "ugel": ugel,
        "ejecucion": ejecucion,
        "tablero": SimpleLazyObject(tablero),
        "orden": orden,
        "pagina": SimpleLazyObject(pagina),
        "filas": SimpleLazyObject(
            lambda: tableros.con_objetos(ies, ctx["pagina"].object_list)
        ),
        # A function, called by the template (json_script needs the dict).
        "graficos": cache(lambda: tableros.datos_graficos(ctx["tablero"].grados)),
        "regla_grupos": tableros.REGLA_GRUPOS,
        "clave_tablero": clave_de_conteos(
            ambito=f"ugel:{ugel.pk}:{orden}:{request.GET.get('pagina', '1')[:6]}",
            ejecucion_id=ejecucion.pk if ejecucion else None,
            ids=ies.values_list("pk", flat=True),
        ),
        "segundos_en_cache": (
            SEGUNDOS_EN_CACHE if set(request.GET) <= {"orden", "pagina"} else 0
        ),
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
