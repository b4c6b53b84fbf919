"""Spreadsheet downloads of an IE and of a UGEL (the sección's is in views,
the UGEL's training planning in views_tableros)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from riesgo import selectors as riesgo_selectors

from . import scoping
from .auditoria import registra_acceso
from .models import Accion
from .presentacion import filas, tableros
from .presentacion.conteos import con_sin_puntaje, conteos_por, conteos_por_clave
from .presentacion.libros import libro_ie, libro_ugel
from .xlsx import respuesta_xlsx


@login_required
@require_GET
@registra_acceso(Accion.DESCARGAR, "ie:{codigo}")
def ie_excel(request: HttpRequest, codigo: str) -> FileResponse:
    ie = scoping.ie_o_404(request.user, codigo)
    ejecucion = riesgo_selectors.ejecucion_vigente()
    anio = scoping.anio_mostrado(request.user)
    secciones = scoping.secciones_visibles(request.user).filter(ie=ie, anio=anio)
    archivo = libro_ie(
        ie=ie,
        anio=anio,
        secciones=filas.secciones_ordenadas(secciones),
        resumen=conteos_por("seccion_id", secciones, ejecucion),
        tutores=filas.tutores_por_seccion(secciones),
        filas=filas.filas_de_secciones(secciones, ejecucion).iterator(
            chunk_size=filas.LOTE
        ),
        ejecucion=ejecucion,
        usuario=request.user,
    )
    return respuesta_xlsx(archivo, f"riesgo-{ie.codigo}-{anio}")


@login_required
@require_GET
@registra_acceso(Accion.DESCARGAR, "ugel:{codigo}")
def ugel_excel(request: HttpRequest, codigo: str) -> FileResponse:
    ugel = scoping.ugel_o_404(request.user, codigo)
    ejecucion = riesgo_selectors.ejecucion_vigente()
    anio = scoping.anio_mostrado(request.user)
    secciones = scoping.secciones_visibles(request.user).filter(
        ie__ugel=ugel, anio=anio
    )
    # Counted and ranked as the UGEL's page counts and ranks them, with the
    # students the run did not count, and the IEs where it counted none.
    ies = tableros.ies_de(request.user, ugel)
    conteos = con_sin_puntaje(conteos_por_clave(ejecucion, ies), secciones)
    ranking = tableros.ranking(conteos, ies, sin_puntaje=True)
    archivo = libro_ugel(
        ugel=ugel,
        anio=anio,
        ies=tableros.con_objetos(ies, ranking),
        filas=filas.filas_alto_medio(secciones, ejecucion).iterator(
            chunk_size=filas.LOTE
        ),
        ejecucion=ejecucion,
        usuario=request.user,
    )
    return respuesta_xlsx(archivo, f"riesgo-ugel-{ugel.codigo}-{anio}")
