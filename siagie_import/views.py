from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from alerta import scoping
from alerta.auditoria import registra_acceso
from alerta.models import Accion
from alerta.presentacion.formato import duracion_texto
from alerta.xlsx import respuesta_xlsx

from .forms import ImportacionForm
from .models import EstadoImportacion, Importacion
from .reporte import libro_rechazos, nombre_reporte
from .services import (
    ArchivoInvalido,
    importacion_encolar,
    importacion_registrar,
    importacion_reintentar,
    importaciones_cerrar_interrumpidas,
    progreso_leer,
)

POR_PAGINA = 50
RECHAZOS_EN_PAGINA = 100
FINALES = (EstadoImportacion.COMPLETADA, EstadoImportacion.FALLIDA)
AVISO_SIN_COLA = gettext_lazy(
    "No se pudo poner la importación en cola: el servicio de tareas no responde. "
    "El archivo quedó guardado."
)


def _importacion_o_404(request: HttpRequest, pk: int) -> Importacion:
    importacion = scoping.importacion_o_404(request.user, pk)
    # Without a Celery beat (the embedded setup) nothing else would close an
    # import whose process died, and its page would wait for ever.
    if importacion.estado == EstadoImportacion.EN_CURSO and (
        importaciones_cerrar_interrumpidas(ids=[importacion.pk])
    ):
        importacion.refresh_from_db()
    return importacion


def _porcentaje(
    importacion: Importacion, procesadas: int, total: int | None
) -> int | None:
    if total:
        return min(100, procesadas * 100 // total)
    return 100 if importacion.estado in FINALES else None


@login_required
@require_http_methods(["GET", "POST"])
def lista(request: HttpRequest) -> HttpResponse:
    # The list has no object to scope; a user who may see no import may not
    # know the page exists either.
    if not scoping.ve_todo(request.user):
        raise Http404

    form = ImportacionForm()
    if request.method == "POST":
        form = ImportacionForm(request.POST, request.FILES)
        if form.is_valid():
            archivo = form.cleaned_data["archivo"]
            encolada = []
            try:
                with transaction.atomic():
                    importacion = importacion_registrar(
                        archivo=archivo,
                        nombre=archivo.name,
                        usuario=request.user,
                        tipo=form.cleaned_data["tipo"],
                        anio=form.cleaned_data["anio"],
                    )
                    # A worker must find the row: queue only once it is committed.
                    # With the broker down the file is kept, to be queued again.
                    transaction.on_commit(
                        lambda: encolada.append(
                            importacion_encolar(importacion=importacion)
                        )
                    )
            except ArchivoInvalido as e:
                form.add_error("tipo", str(e))
            else:
                if encolada == [False]:
                    messages.error(request, AVISO_SIN_COLA)
                return redirect("importacion:detalle", pk=importacion.pk)

    pagina = Paginator(
        scoping.importaciones_visibles(request.user).recientes(), POR_PAGINA
    ).get_page(request.GET.get("pagina"))
    for importacion in pagina:
        importacion.duracion_texto = duracion_texto(importacion.duracion_s)

    ctx = {"form": form, "pagina": pagina}
    return render(request, "siagie_import/lista.html", ctx)


@login_required
@require_GET
@registra_acceso(Accion.VER_LISTA, "importacion:{pk}")
def detalle(request: HttpRequest, pk: int) -> HttpResponse:
    importacion = _importacion_o_404(request, pk)
    procesadas, total = progreso_leer(importacion)
    rechazos = list(
        importacion.rechazos.order_by("fila", "pk").only(
            "fila", "columna", "valor", "motivo"
        )[:RECHAZOS_EN_PAGINA]
    )
    ctx = {
        "importacion": importacion,
        # One never queued waits for a retry, not for a worker: nothing to poll.
        "en_proceso": importacion.estado not in FINALES and not importacion.sin_encolar,
        "puede_reintentar": importacion.estado == EstadoImportacion.PENDIENTE
        and importacion.sin_encolar
        and scoping.ve_todo(request.user),
        "procesadas": procesadas,
        "total": total,
        "porcentaje": _porcentaje(importacion, procesadas, total),
        "duracion": duracion_texto(importacion.duracion_s),
        "rechazos": rechazos,
        "hay_mas_rechazos": importacion.filas_rechazadas > len(rechazos),
    }
    respuesta = render(request, "siagie_import/detalle.html", ctx)
    # Rejected values may be students' names: seeing them is an access.
    respuesta.sin_datos_personales = not rechazos
    return respuesta


@login_required
@require_POST
def reintentar(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue again an import the broker did not take (Minedu and admins)."""
    if not scoping.ve_todo(request.user):
        raise Http404
    importacion = _importacion_o_404(request, pk)
    if importacion.estado != EstadoImportacion.PENDIENTE:
        messages.info(request, _("Esta importación ya no está en cola."))
    elif importacion_reintentar(importacion=importacion):
        messages.success(request, _("La importación se puso en cola otra vez."))
    else:
        messages.error(request, AVISO_SIN_COLA)
    return redirect("importacion:detalle", pk=importacion.pk)


@login_required
@require_GET
@never_cache
def progreso(request: HttpRequest, pk: int) -> JsonResponse:
    importacion = _importacion_o_404(request, pk)
    procesadas, total = progreso_leer(importacion)
    ctx = {
        "estado": importacion.estado,
        "estado_texto": importacion.get_estado_display(),
        "procesadas": procesadas,
        "total": total,
        "porcentaje": _porcentaje(importacion, procesadas, total),
    }
    return JsonResponse(ctx)


@login_required
@require_GET
@registra_acceso(Accion.DESCARGAR, "importacion:{pk}")
def rechazos_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    importacion = scoping.importacion_o_404(request.user, pk)
    return respuesta_xlsx(libro_rechazos(importacion), nombre_reporte(importacion))
