from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from riesgo import selectors as riesgo_selectors
from riesgo.models import COLOR_NIVEL, NivelRiesgo

from . import scoping, selectors
from .exports import libro_seccion
from .models import Accion, Rol
from .services import registro_acceso_crear

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def salud(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _anio(ejecucion) -> int | None:
    return ejecucion.anio if ejecucion else selectors.anio_vigente()


def _ranking_ies(user, ugel, anio, ejecucion) -> list:
    """The UGEL's IEs with their counts, most students at medio+alto first."""
    secciones = scoping.secciones_visibles(user).filter(ie__ugel=ugel, anio=anio)
    conteos = riesgo_selectors.conteos_por("ie_id", secciones, ejecucion)
    ies = scoping.ies_visibles(user).filter(ugel=ugel, pk__in=conteos.keys())
    return sorted(
        ((ie, conteos[ie.pk]) for ie in ies),
        key=lambda f: (-(f[1].alto + f[1].medio), f[0].nombre),
    )


@login_required
@require_GET
def inicio(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = scoping.roles_de(user)
    ejecucion = riesgo_selectors.ejecucion_vigente()
    anio = _anio(ejecucion)
    secciones = scoping.secciones_visibles(user).filter(anio=anio)

    mis_secciones = []
    if Rol.TUTOR in roles:
        tutoradas = secciones.filter(
            tutores__usuario=user, tutores__rol=Rol.TUTOR, tutores__activa=True
        ).select_related("ie")
        conteos = riesgo_selectors.conteos_por("id", tutoradas, ejecucion)
        mis_secciones = [(s, conteos.get(s.pk)) for s in tutoradas]

    ies = []
    if Rol.DIRECTOR in roles:
        dirigidas = scoping.ies_visibles(user).filter(
            directores__usuario=user, directores__anio=anio, directores__activa=True
        )
        conteos = riesgo_selectors.conteos_por("ie_id", secciones, ejecucion)
        ies = [(ie, conteos.get(ie.pk)) for ie in dirigidas]

    # A UGEL specialist's home is the ranking of the UGEL's IEs.
    rankings = [
        (ugel, _ranking_ies(user, ugel, anio, ejecucion))
        for ugel in scoping.ugeles_visibles(user).filter(
            asignacion__usuario=user,
            asignacion__rol=Rol.ESPECIALISTA_UGEL,
            asignacion__activa=True,
        )
    ]

    ugeles = []
    if roles & {Rol.ESPECIALISTA_DRE, Rol.NACIONAL} or user.is_superuser:
        visibles = scoping.ugeles_visibles(user).select_related("dre")
        conteos = riesgo_selectors.conteos_por("ie__ugel_id", secciones, ejecucion)
        ugeles = [
            (u, conteos.get(u.pk)) for u in visibles.order_by("dre__nombre", "nombre")
        ]

    ctx = {
        "anio": anio,
        "ejecucion": ejecucion,
        "mis_secciones": mis_secciones,
        "ies": ies,
        "rankings": rankings,
        "ugeles": ugeles,
        "sin_rol": not roles and not user.is_superuser,
    }
    return render(request, "alerta/inicio.html", ctx)


@login_required
@require_GET
def ie_detalle(request: HttpRequest, codigo: str) -> HttpResponse:
    ie = scoping.ie_o_404(request.user, codigo)
    ejecucion = riesgo_selectors.ejecucion_vigente()
    anio = _anio(ejecucion)
    secciones = scoping.secciones_visibles(request.user).filter(ie=ie, anio=anio)
    conteos = riesgo_selectors.conteos_por("id", secciones, ejecucion)
    ctx = {
        "ie": ie,
        "anio": anio,
        "ejecucion": ejecucion,
        "secciones": [(s, conteos.get(s.pk)) for s in secciones],
    }
    return render(request, "alerta/ie_detalle.html", ctx)


@login_required
@require_GET
def ugel_detalle(request: HttpRequest, codigo: str) -> HttpResponse:
    ugel = scoping.ugel_o_404(request.user, codigo)
    ejecucion = riesgo_selectors.ejecucion_vigente()
    anio = _anio(ejecucion)
    ctx = {
        "ugel": ugel,
        "anio": anio,
        "ejecucion": ejecucion,
        "ies": _ranking_ies(request.user, ugel, anio, ejecucion),
    }
    return render(request, "alerta/ugel_detalle.html", ctx)


@login_required
@require_GET
def seccion_detalle(request: HttpRequest, uuid) -> HttpResponse:
    seccion = scoping.seccion_o_404(request.user, uuid)
    ejecucion = riesgo_selectors.ejecucion_vigente()
    filas = list(riesgo_selectors.filas_de_seccion(seccion, ejecucion))
    for fila in filas:
        fila.factores = riesgo_selectors.factores_de(fila, seccion.nivel)
    registro_acceso_crear(
        usuario=request.user, accion=Accion.VER_LISTA, objeto=f"seccion:{seccion.uuid}"
    )
    ctx = {
        "seccion": seccion,
        "ejecucion": ejecucion,
        "filas": filas,
        "niveles": NivelRiesgo,
        "colores": COLOR_NIVEL,
    }
    return render(request, "alerta/seccion_detalle.html", ctx)


@login_required
@require_GET
def seccion_excel(request: HttpRequest, uuid) -> HttpResponse:
    seccion = scoping.seccion_o_404(request.user, uuid)
    ejecucion = riesgo_selectors.ejecucion_vigente()
    contenido = libro_seccion(
        seccion=seccion,
        filas=riesgo_selectors.filas_de_seccion(seccion, ejecucion),
        ejecucion=ejecucion,
        usuario=request.user,
    )
    registro_acceso_crear(
        usuario=request.user, accion=Accion.DESCARGAR, objeto=f"seccion:{seccion.uuid}"
    )
    nombre = slugify(
        f"riesgo-{seccion.ie.codigo}-{seccion.anio}-{seccion.grado}{seccion.letra}"
    )
    response = HttpResponse(contenido, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{nombre}.xlsx"'
    return response
