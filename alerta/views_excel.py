"""Spreadsheet downloads of an IE and of a UGEL (the sección's is in views)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from riesgo import selectors as riesgo_selectors

from . import reportes, scoping
from .auditoria import registra_acceso
from .exports import libro_ie, libro_ugel, respuesta_xlsx
from .models import Accion


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
        secciones=reportes.secciones_ordenadas(secciones),
        resumen=reportes.resumen_por("seccion_id", secciones, ejecucion),
        tutores=reportes.tutores_por_seccion(secciones),
        filas=reportes.filas_de_secciones(secciones, ejecucion).iterator(
            chunk_size=reportes.LOTE
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
    archivo = libro_ugel(
        ugel=ugel,
        anio=anio,
        ies=reportes.ies_con_resumen(
            scoping.ies_visibles(request.user).filter(ugel=ugel), secciones, ejecucion
        ),
        filas=reportes.filas_alto_medio(secciones, ejecucion).iterator(
            chunk_size=reportes.LOTE
        ),
        ejecucion=ejecucion,
        usuario=request.user,
    )
    return respuesta_xlsx(archivo, f"riesgo-ugel-{ugel.codigo}-{anio}")
