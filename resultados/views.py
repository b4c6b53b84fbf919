"""Outcome report pages: aggregates only, never a student (which is why they
record no access). Scope comes from alerta.scoping: a UGEL sees its own IEs,
a DRE its UGELs, Minedu the country; anything else is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alerta import scoping
from alerta.models import Dre, InstitucionEducativa, Ugel
from alerta.xlsx import respuesta_xlsx

from . import selectors
from .forms import anio_pedido
from .libro import libro_resultados
from .models import AmbitoResultado, Dimension

POR_PAGINA = 25


def _comun(request: HttpRequest, ambito: str, clave: int) -> dict:
    informe = selectors.informe_de(anio_pedido(request.GET))
    ctx = {"informe": informe, "anios": selectors.anios_con_informe()}
    if informe is None:
        return ctx
    metricas = selectors.calidad(informe, ambito, clave)
    desgloses = selectors.desgloses(informe, ambito, clave)
    return {
        **ctx,
        "desgloses": desgloses,
        "tablas_grupos": [
            (Dimension(d).label, desgloses[d], d)
            for d in selectors.DESGLOSES
            if desgloses[d]
        ],
        "metricas": metricas,
        "grafico": selectors.datos_grafico(metricas),
    }


def _hijos(informe, ambito: str, objetos: list) -> list:
    if informe is None:
        return []
    totales = selectors.totales(informe, ambito, [o.pk for o in objetos])
    return [(o, totales[o.pk]) for o in objetos if o.pk in totales]


@login_required
@require_GET
def nacional(request: HttpRequest) -> HttpResponse:
    if not scoping.ve_todo(request.user):
        raise Http404
    ctx = _comun(request, AmbitoResultado.PAIS, 0)
    dres = list(Dre.objects.order_by("nombre"))
    ctx |= {
        "hijos": _hijos(ctx["informe"], AmbitoResultado.DRE, dres),
        "pendientes": ctx["informe"] is None,
    }
    return render(request, "resultados/nacional.html", ctx)


@login_required
@require_GET
def dre(request: HttpRequest, pk: int) -> HttpResponse:
    dre = scoping.dre_o_404(request.user, pk)
    ctx = _comun(request, AmbitoResultado.DRE, dre.pk)
    ugeles = list(
        scoping.ugeles_visibles(request.user).filter(dre=dre).order_by("nombre")
    )
    ctx |= {"dre": dre, "hijos": _hijos(ctx["informe"], AmbitoResultado.UGEL, ugeles)}
    return render(request, "resultados/dre.html", ctx)


@login_required
@require_GET
def ugel(request: HttpRequest, codigo: str) -> HttpResponse:
    ugel = scoping.ugel_o_404(request.user, codigo)
    ctx = _comun(request, AmbitoResultado.UGEL, ugel.pk)
    ies = list(
        scoping.ies_visibles(request.user)
        .filter(ugel=ugel)
        .only("pk", "codigo_modular", "anexo", "nombre")
        .order_by("nombre", "pk")
    )
    hijos = _hijos(ctx["informe"], AmbitoResultado.IE, ies)
    pagina = Paginator(hijos, POR_PAGINA).get_page(request.GET.get("pagina"))
    ctx |= {"ugel": ugel, "pagina": pagina, "hijos": pagina.object_list}
    return render(request, "resultados/ugel.html", ctx)


def _libro(request: HttpRequest, *, titulo, ambito, clave, hijos, ambito_hijos, nombre):
    informe = selectors.informe_de(anio_pedido(request.GET))
    # Without a report yet, the workbook says so (like the page).
    archivo = libro_resultados(
        informe=informe,
        titulo=titulo,
        ambito=ambito,
        clave=clave,
        hijos=_hijos(informe, ambito_hijos, hijos),
        usuario=request.user,
    )
    anio = informe.anio if informe else ""
    return respuesta_xlsx(archivo, f"resultados-{nombre}-{anio}")


@login_required
@require_GET
def nacional_libro(request: HttpRequest) -> FileResponse:
    if not scoping.ve_todo(request.user):
        raise Http404
    return _libro(
        request,
        titulo=_("Nacional"),
        ambito=AmbitoResultado.PAIS,
        clave=0,
        hijos=list(Dre.objects.order_by("nombre")),
        ambito_hijos=AmbitoResultado.DRE,
        nombre="nacional",
    )


@login_required
@require_GET
def dre_libro(request: HttpRequest, pk: int) -> FileResponse:
    dre: Dre = scoping.dre_o_404(request.user, pk)
    ugeles: list[Ugel] = list(
        scoping.ugeles_visibles(request.user).filter(dre=dre).order_by("nombre")
    )
    return _libro(
        request,
        titulo=dre.nombre,
        ambito=AmbitoResultado.DRE,
        clave=dre.pk,
        hijos=ugeles,
        ambito_hijos=AmbitoResultado.UGEL,
        nombre=f"dre-{dre.pk}",
    )


@login_required
@require_GET
def ugel_libro(request: HttpRequest, codigo: str) -> FileResponse:
    ugel = scoping.ugel_o_404(request.user, codigo)
    ies: list[InstitucionEducativa] = list(
        scoping.ies_visibles(request.user).filter(ugel=ugel).order_by("nombre", "pk")
    )
    return _libro(
        request,
        titulo=f"{ugel.nombre} ({ugel.codigo})",
        ambito=AmbitoResultado.UGEL,
        clave=ugel.pk,
        hijos=ies,
        ambito_hijos=AmbitoResultado.IE,
        nombre=ugel.codigo,
    )


@scoping.solo_minedu
@require_POST
def calcular(request: HttpRequest) -> HttpResponse:
    # Imported here: the task pulls in pandas and scikit-learn.
    from .tasks import calcular_resultados

    transaction.on_commit(calcular_resultados.delay)
    messages.success(
        request,
        _(
            "Cálculo en cola. Se calculan los años cuyo año siguiente ya está "
            "importado y que no tienen un informe al día."
        ),
    )
    return redirect("resultados:nacional")
