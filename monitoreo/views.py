"""Use monitoring pages. Aggregate pages (UGEL, DRE, country) name nobody;
the pages that name teachers (an IE's, a UGEL's list, one teacher, the
workbook) record the access (VER_DOCENTES). Scope comes from alerta.scoping:
a UGEL sees only its own IEs and teachers; anything else is a 404."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alerta import scoping
from alerta.auditoria import registra_acceso
from alerta.models import Accion, InstitucionEducativa
from alerta.xlsx import respuesta_xlsx

from . import selectors
from .libro import libro_uso_ugel
from .models import TipoAmbito

POR_PAGINA = 25


def _pagina(request: HttpRequest, filas, nombre: str = "pagina"):
    return Paginator(filas, POR_PAGINA).get_page(request.GET.get(nombre))


def _ugel_y_sus_ies(request: HttpRequest, codigo: str):
    ugel = scoping.ugel_o_404(request.user, codigo)
    return ugel, scoping.ies_visibles(request.user).filter(ugel=ugel)


def _comun(tipo: str, ambito_id: int) -> dict:
    semanas = selectors.serie(tipo, ambito_id)
    return {
        "calculo": selectors.ultimo_calculo(),
        "semanas": semanas,
        "grafico": selectors.datos_grafico(semanas),
        "semana_actual": semanas[-1],
        "semana_pasada": semanas[-2],
    }


@login_required
@require_GET
def ugel(request: HttpRequest, codigo: str) -> HttpResponse:
    ugel, ies = _ugel_y_sus_ies(request, codigo)
    ctx = {
        "ugel": ugel,
        "resumen": selectors.resumen(ies, TipoAmbito.UGEL, ugel.pk),
        "sin_uso": _pagina(request, selectors.sin_uso(ies), "pagina_sin_uso"),
        "ies": _pagina(request, selectors.por_ie(ies)),
        **_comun(TipoAmbito.UGEL, ugel.pk),
    }
    return render(request, "monitoreo/ugel.html", ctx)


@login_required
@require_GET
@registra_acceso(Accion.VER_DOCENTES, "uso-ugel:{codigo}")
def ugel_docentes(request: HttpRequest, codigo: str) -> HttpResponse:
    ugel, ies = _ugel_y_sus_ies(request, codigo)
    filtro = request.GET.get("filtro", "")
    filtro = filtro if filtro in selectors.FILTROS_DOCENTES else ""
    ctx = {
        "ugel": ugel,
        "filtro": filtro,
        "calculo": selectors.ultimo_calculo(),
        "docentes": _pagina(request, selectors.docentes(ies, filtro)),
    }
    return render(request, "monitoreo/ugel_docentes.html", ctx)


@login_required
@require_GET
@registra_acceso(Accion.VER_DOCENTES, "uso-ugel:{codigo}")
def ugel_libro(request: HttpRequest, codigo: str) -> FileResponse:
    ugel, ies = _ugel_y_sus_ies(request, codigo)
    archivo = libro_uso_ugel(ugel=ugel, ies=ies, usuario=request.user)
    return respuesta_xlsx(archivo, f"uso-{ugel.codigo}")


@login_required
@require_GET
@registra_acceso(Accion.VER_DOCENTES, "uso-ie:{codigo}")
def ie(request: HttpRequest, codigo: str) -> HttpResponse:
    ie = scoping.ie_o_404(request.user, codigo)
    ies = InstitucionEducativa.objects.filter(pk=ie.pk)
    ctx = {
        "ie": ie,
        "resumen": selectors.resumen(ies, TipoAmbito.IE, ie.pk),
        "docentes": _pagina(request, selectors.docentes(ies)),
        **_comun(TipoAmbito.IE, ie.pk),
    }
    return render(request, "monitoreo/ie.html", ctx)


@login_required
@require_GET
@registra_acceso(Accion.VER_DOCENTES, "uso-docente:{pk}")
def docente(request: HttpRequest, pk: int) -> HttpResponse:
    ies = scoping.ies_visibles(request.user)
    filas = selectors.docente_o_none(pk, ies)
    if not filas:
        raise Http404
    semanas = selectors.serie_de_docente(filas[0].usuario, ies)
    ctx = {
        "filas": filas,
        "persona": filas[0].usuario,
        "calculo": selectors.ultimo_calculo(),
        "semanas": semanas,
        "grafico": selectors.datos_grafico(semanas, de_docente=True),
    }
    return render(request, "monitoreo/docente.html", ctx)


@login_required
@require_GET
def dre(request: HttpRequest, pk: int) -> HttpResponse:
    dre = scoping.dre_o_404(request.user, pk)
    ies = scoping.ies_visibles(request.user).filter(ugel__dre=dre)
    ugeles = list(
        scoping.ugeles_visibles(request.user).filter(dre=dre).order_by("nombre")
    )
    por_ugel = selectors.resumen_por(ies, TipoAmbito.UGEL)
    ctx = {
        "dre": dre,
        "resumen": selectors.resumen(ies, TipoAmbito.DRE, dre.pk),
        "hijos": [(u, por_ugel.get(u.pk, selectors.Resumen())) for u in ugeles],
        **_comun(TipoAmbito.DRE, dre.pk),
    }
    return render(request, "monitoreo/dre.html", ctx)


@login_required
@require_GET
def nacional(request: HttpRequest) -> HttpResponse:
    if not scoping.ve_todo(request.user):
        raise Http404
    ies = InstitucionEducativa.objects.all()
    dres = list(scoping.dres_visibles(request.user).order_by("nombre"))
    por_dre = selectors.resumen_por(ies, TipoAmbito.DRE)
    ctx = {
        "resumen": selectors.resumen(ies, TipoAmbito.PAIS, 0),
        "hijos": [(d, por_dre.get(d.pk, selectors.Resumen())) for d in dres],
        **_comun(TipoAmbito.PAIS, 0),
    }
    return render(request, "monitoreo/nacional.html", ctx)
