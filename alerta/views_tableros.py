"""Dashboards of UGEL, DRE and Minedu: counts only (see
alerta.presentacion.tableros). The nominal drill-down is the IE page."""

from functools import cache

from django.contrib.auth.decorators import login_required
from django.core.cache import cache as cache_django
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from riesgo.models import EjecucionPuntaje
from seguimiento import agregados as seguimiento_agregados
from seguimiento.services import mes_de

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
# Follow-up figures change with every action and record: kept a few minutes.
SEGUNDOS_SEGUIMIENTO = 300


def _seguimiento(request: HttpRequest, ies, ambito: str, ejecucion, clave: str) -> dict:
    """Follow-up by IE (seguimiento.agregados) of the scoped `ies`: the total,
    the ranking of IEs with most alto and medio students without action, and
    one page of IEs by name. One grouped query, kept a few minutes under `clave`
    (a key of alerta.presentacion.vigencia for the same IEs) plus the day."""
    anio = scoping.anio_mostrado(request.user)
    hoy = timezone.localdate()
    # The counts' key without its scope (its first part): run, import,
    # language and the IEs shown.
    clave = "|".join(
        ["seguimiento", ambito, str(anio), hoy.isoformat(), clave.split("|", 1)[1]]
    )
    datos = cache_django.get(clave)
    if datos is None:
        filas = seguimiento_agregados.por_ie(
            ies, anio=anio, ejecucion=ejecucion, hoy=hoy
        )
        datos = {
            "filas": sorted(filas.values(), key=lambda f: (f.ie.nombre, f.ie_id)),
            "ranking": seguimiento_agregados.ranking_sin_accion(ies, filas=filas),
        }
        cache_django.set(clave, datos, SEGUNDOS_SEGUIMIENTO)
    pagina = Paginator(datos["filas"], IES_POR_PAGINA).get_page(
        request.GET.get("pagina_seguimiento")
    )
    return {
        "anio": anio,
        "mes": mes_de(hoy),
        "total": sum(datos["filas"], seguimiento_agregados.FilaIE(ie_id=0)),
        "ranking": datos["ranking"],
        "pagina": pagina,
        "filas": [(f.ie, f) for f in pagina.object_list],
    }


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
        "seguimiento": SimpleLazyObject(
            lambda: _seguimiento(
                request, ies, f"ugel:{ugel.pk}", ejecucion, ctx["clave_tablero"]
            )
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
    comparacion = _comparacion(request, dre, tableros.ugeles_de(request.user, dre))
    ejecucion = comparacion["ejecucion"]
    ies = scoping.ies_visibles(request.user).filter(ugel__dre=dre)
    ctx = {
        "dre": dre,
        **comparacion,
        "seguimiento": SimpleLazyObject(
            lambda: _seguimiento(
                request,
                ies,
                f"dre:{dre.pk}",
                ejecucion,
                clave_de_conteos(
                    ambito="dre",
                    ejecucion_id=ejecucion.pk if ejecucion else None,
                    ids=ies.values_list("pk", flat=True),
                ),
            )
        ),
    }
    return render(request, "alerta/dre_detalle.html", ctx)


@login_required
@require_GET
def nacional(request: HttpRequest) -> HttpResponse:
    if not scoping.ve_todo(request.user):
        raise Http404
    ctx = _comparacion(request, None, tableros.dres_de(request.user))
    return render(request, "alerta/nacional.html", ctx)
