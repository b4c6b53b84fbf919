from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods

from riesgo import selectors as riesgo_selectors
from riesgo.models import COLOR_NIVEL, NivelRiesgo
from seguimiento import agregados as seguimiento_agregados
from seguimiento import resumen
from seguimiento import scoping as seguimiento_scoping
from seguimiento.services import mes_actual

from . import scoping
from .auditoria import registra_acceso
from .filtros import direccion_limpia, listado, parametros_de_lista
from .models import Accion, Rol
from .presentacion import tableros
from .presentacion.conteos import conteos_por, conteos_por_clave, mostrados
from .presentacion.libros import libro_seccion
from .presentacion.vigencia import clave_de_conteos
from .xlsx import respuesta_xlsx


def salud(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _ranking_ies(user, ugel, ejecucion, limite: int = 10) -> list:
    """The UGEL's IEs with most students at medio+alto, from the aggregates of
    the run (the whole ranking is on the UGEL dashboard)."""
    ies = tableros.ies_de(user, ugel)
    ranking = tableros.ranking(conteos_por_clave(ejecucion, ies), ies)
    return tableros.con_objetos(ies, ranking[:limite])


@login_required
@require_GET
def inicio(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = scoping.roles_de(user)
    ejecucion = riesgo_selectors.ejecucion_vigente()
    anio = scoping.anio_mostrado(user)
    secciones = scoping.secciones_visibles(user).filter(anio=anio)

    mis_secciones = []
    if Rol.TUTOR in roles:
        tutoradas = secciones.filter(
            tutores__usuario=user, tutores__rol=Rol.TUTOR, tutores__activa=True
        ).select_related("ie")
        conteos = mostrados(conteos_por("seccion_id", tutoradas, ejecucion), ejecucion)
        mis_secciones = [(s, conteos.get(s.pk)) for s in tutoradas]

    ies = []
    if Rol.DIRECTOR in roles:
        dirigidas = scoping.ies_visibles(user).filter(
            directores__usuario=user, directores__anio=anio, directores__activa=True
        )
        conteos = mostrados(
            conteos_por("seccion__ie_id", secciones, ejecucion), ejecucion
        )
        ies = [(ie, conteos.get(ie.pk)) for ie in dirigidas]

    # A UGEL specialist's home starts with the IEs of the UGEL most in need.
    rankings = [
        (ugel, _ranking_ies(user, ugel, ejecucion))
        for ugel in scoping.ugeles_visibles(user).filter(
            asignacion__usuario=user,
            asignacion__rol=Rol.ESPECIALISTA_UGEL,
            asignacion__activa=True,
        )
    ]

    # DRE specialists and Minedu compare UGELs and DREs on their dashboards:
    # here, a link to each with its totals (from the aggregates of the run).
    tableros_dre = []
    if Rol.ESPECIALISTA_DRE in roles:
        dres = scoping.dres_visibles(user).filter(
            asignacion__usuario=user,
            asignacion__rol=Rol.ESPECIALISTA_DRE,
            asignacion__activa=True,
        )
        conteos = conteos_por_clave(ejecucion, dres)
        tableros_dre = [(d, conteos.get(d.pk)) for d in dres.distinct()]
    ve_nacional = scoping.ve_todo(user)
    # Minedu is told of the current run's important drift (riesgo.deriva).
    derivas_importantes = (
        riesgo_selectors.derivas_importantes_vigentes(ejecucion) if ve_nacional else []
    )
    total_nacional = (
        tableros.totales(tableros.por_grado(ejecucion, None)) if ve_nacional else None
    )

    ctx = {
        "anio": anio,
        "ejecucion": ejecucion,
        "mis_secciones": mis_secciones,
        "ies": ies,
        "rankings": rankings,
        "tableros_dre": tableros_dre,
        "ve_nacional": ve_nacional,
        "derivas_importantes": derivas_importantes,
        "total_nacional": total_nacional,
        "sin_rol": not roles and not user.is_superuser,
    }
    return render(request, "alerta/inicio.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
@registra_acceso(Accion.VER_LISTA, "ie:{codigo}")
def ie_detalle(request: HttpRequest, codigo: str) -> HttpResponse:
    user = request.user
    ie = scoping.ie_o_404(user, codigo)
    parametros = parametros_de_lista(request, f"ie:{ie.codigo}")
    if parametros is None:
        return redirect(direccion_limpia(request))
    ejecucion = riesgo_selectors.ejecucion_vigente()
    anio = scoping.anio_mostrado(user)
    de_la_ie = scoping.secciones_visibles(user).filter(ie=ie, anio=anio)
    secciones = list(de_la_ie)

    def conteos_por_seccion() -> list:
        conteos = mostrados(conteos_por("seccion_id", de_la_ie, ejecucion), ejecucion)
        return [(s, conteos.get(s.pk)) for s in secciones]

    # Every student of the IE, filtered and one page at a time.
    filas = riesgo_selectors.filas_de_ie(
        scoping.matriculas_visibles(user),
        ie.pk,
        anio,
        ejecucion,
        riesgo_selectors.ejecucion_anterior(ejecucion),
    )
    lista = listado(parametros, filas, secciones=secciones)
    ctx = {
        "ie": ie,
        "anio": anio,
        "ejecucion": ejecucion,
        # Counted only if the table is not in the cache (the template's
        # {% cache %}, keyed by clave_conteos).
        "secciones": SimpleLazyObject(conteos_por_seccion),
        "clave_conteos": clave_de_conteos(
            ambito=f"ie:{ie.pk}:{anio}",
            ejecucion_id=ejecucion.pk if ejecucion else None,
            ids=[s.pk for s in secciones],
        ),
        "hay_quinto": any(s.sin_riesgo for s in secciones),
        "lista": lista,
        "asigna_tutores": scoping.ies_que_dirige(user, anio).filter(pk=ie.pk).exists(),
        # Follow-up per sección: changes with every action, never cached.
        "seguimiento_secciones": seguimiento_agregados.por_seccion(
            ie, anio, secciones=secciones, ejecucion=ejecucion
        ),
        "bimestre": seguimiento_agregados.bimestre_de(timezone.localdate()),
        "mes": mes_actual(),
    }
    return render(request, "alerta/ie_detalle.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
@registra_acceso(Accion.VER_LISTA, "seccion:{uuid}")
def seccion_detalle(request: HttpRequest, uuid) -> HttpResponse:
    seccion = scoping.seccion_o_404(request.user, uuid)
    parametros = parametros_de_lista(request, f"seccion:{seccion.uuid}")
    if parametros is None:
        return redirect(direccion_limpia(request))
    ejecucion = riesgo_selectors.ejecucion_vigente()
    filas = riesgo_selectors.filas_de_seccion(
        seccion, ejecucion, riesgo_selectors.ejecucion_anterior(ejecucion)
    )
    lista = listado(parametros, filas)
    ctx = {
        "seccion": seccion,
        "ejecucion": ejecucion,
        "lista": lista,
        "filas": lista.filas,
        "niveles": NivelRiesgo,
        "colores": COLOR_NIVEL,
        # Each row's last action and this month's record (seguimiento).
        "seguimiento": resumen.por_estudiante(
            [f.estudiante_id for f in lista.filas], mes_actual()
        ),
        "registra": seguimiento_scoping.secciones_que_registra(request.user)
        .filter(pk=seccion.pk)
        .exists(),
    }
    return render(request, "alerta/seccion_detalle.html", ctx)


@login_required
@require_GET
@registra_acceso(Accion.DESCARGAR, "seccion:{uuid}")
def seccion_excel(request: HttpRequest, uuid) -> FileResponse:
    seccion = scoping.seccion_o_404(request.user, uuid)
    ejecucion = riesgo_selectors.ejecucion_vigente()
    archivo = libro_seccion(
        seccion=seccion,
        filas=riesgo_selectors.filas_de_seccion(seccion, ejecucion),
        ejecucion=ejecucion,
        usuario=request.user,
    )
    return respuesta_xlsx(
        archivo,
        f"riesgo-{seccion.ie.codigo}-{seccion.anio}-{seccion.grado}{seccion.letra}",
    )
