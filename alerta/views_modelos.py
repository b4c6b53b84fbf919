"""The model page: Minedu trains, compares, publishes, retires and restores
versions of the risk model, and sees whether the nightly runs worked.

Only aggregates are shown here. Whoever may not see it (anyone but Minedu and
administrators) gets 404 on every URL and method, as for the import pages.
"""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from resultados.selectors import trayectoria, trayectorias
from riesgo.models import EjecucionPuntaje, EstadoModelo, ModeloRiesgo
from riesgo.versiones import (
    NoPublicada,
    SinVersionAnterior,
    modelo_publicar,
    modelo_restaurar_anterior,
    modelo_retirar,
    no_supera_base,
    texto_no_supera,
    version_anterior,
)

from . import scoping
from .presentacion import modelos as presentacion
from .presentacion.deriva import deriva
from .presentacion.formato import duracion_texto
from .scoping import solo_minedu

EJECUCIONES_EN_LISTA = 10


def _volver(request: HttpRequest, modelo: ModeloRiesgo) -> HttpResponse:
    if request.POST.get("volver") == "detalle":
        return redirect("modelos:detalle", version=modelo.version)
    return redirect("modelos:lista")


@solo_minedu
@require_GET
def lista(request: HttpRequest) -> HttpResponse:
    # The stored artefact's reference values are not shown here.
    modelos = list(
        ModeloRiesgo.objects.defer("referencia", "referencia_deriva").order_by(
            "-version"
        )
    )
    ejecuciones = list(
        EjecucionPuntaje.objects.select_related("modelo")
        .only(
            "anio",
            "estado",
            "inicio",
            "fin",
            "duracion_s",
            "estudiantes",
            "lotes",
            "error",
            "modelo__version",
        )
        .order_by("-inicio", "-pk")[:EJECUCIONES_EN_LISTA]
    )
    for e in ejecuciones:
        e.duracion_texto = duracion_texto(e.duracion_s)

    publicado = next((m for m in modelos if m.estado == EstadoModelo.PUBLICADO), None)
    produccion = trayectorias(modelos)
    ctx = {
        "versiones": [(m, presentacion.resumen(m)) for m in modelos],
        # Each version's years in production, beside its validation.
        "produccion": [(m, produccion[m.pk]) for m in modelos if m.pk in produccion],
        "publicado": publicado,
        # The published version's drift in its last run (riesgo.deriva).
        "deriva": deriva(publicado) if publicado else None,
        "anterior": version_anterior(),
        "ejecuciones": ejecuciones,
        "estados": EstadoModelo,
    }
    return render(request, "riesgo/lista.html", ctx)


@solo_minedu
@require_GET
def detalle(request: HttpRequest, version: int) -> HttpResponse:
    modelo = scoping.modelo_o_404(request.user, version)
    graficos = presentacion.datos_graficos(modelo)
    ctx = {
        "modelo": modelo,
        "resumen": presentacion.resumen(modelo),
        "datos": presentacion.datos_entrenamiento(modelo),
        "cortes": presentacion.cortes(modelo),
        "comparacion": presentacion.filas_comparacion(modelo),
        "grupos": presentacion.filas_por_grupo(modelo),
        "calibracion": presentacion.calibracion(modelo),
        "oraculo": presentacion.oraculo(modelo),
        # Each year it scored whose outcome is known (resultados).
        "produccion": trayectoria(modelo),
        "graficos": graficos,
        "estados": EstadoModelo,
        # The version's drift in its last successful run (riesgo.deriva).
        "deriva": deriva(modelo),
    }
    return render(request, "riesgo/detalle.html", ctx)


@solo_minedu
@require_POST
def entrenar(request: HttpRequest) -> HttpResponse:
    # Imported here: the task module pulls in training and scoring (scikit-learn,
    # pandas), which no page needs otherwise.
    from riesgo.tasks import entrenar_modelo

    usuario_id = request.user.pk
    # The task takes ids only, and is queued once nothing here is left uncommitted.
    transaction.on_commit(lambda: entrenar_modelo.delay(usuario_id))
    messages.success(
        request,
        _(
            "Entrenamiento en cola. La nueva versión aparecerá en esta lista cuando "
            "termine; no se publica sola."
        ),
    )
    return redirect("modelos:lista")


@solo_minedu
@require_POST
def publicar(request: HttpRequest, version: int) -> HttpResponse:
    modelo = scoping.modelo_o_404(request.user, version)
    if modelo.estado == EstadoModelo.PUBLICADO:
        messages.info(
            request, _("La versión %(v)d ya está publicada.") % {"v": modelo.version}
        )
        return _volver(request, modelo)
    debajo = no_supera_base(modelo)
    if debajo and request.POST.get("confirmar") != "1":
        # Nothing is published until the figures were seen and confirmed.
        ctx = {
            "modelo": modelo,
            "comparacion": presentacion.frente_a_base(modelo),
            "motivo": texto_no_supera(modelo, debajo),
            "sin_marcar": request.POST.get("paso") == "confirmar",
            "volver": request.POST.get("volver", ""),
        }
        return render(request, "riesgo/confirmar_publicacion.html", ctx)
    anterior = ModeloRiesgo.objects.publicado()
    modelo_publicar(
        modelo=modelo, usuario=request.user, aunque_no_supere_base=bool(debajo)
    )
    texto = _("Versión %(v)d publicada. La ejecución nocturna puntuará con ella.")
    texto %= {"v": modelo.version}
    if debajo:
        texto += " " + _(
            "Se publicó con su confirmación, aunque no supera a su línea de base."
        )
    if anterior is not None:
        texto += " " + _("La versión %(v)d quedó retirada.") % {"v": anterior.version}
    messages.success(request, texto)
    return _volver(request, modelo)


@solo_minedu
@require_POST
def retirar(request: HttpRequest, version: int) -> HttpResponse:
    modelo = scoping.modelo_o_404(request.user, version)
    try:
        modelo_retirar(modelo=modelo)
    except NoPublicada as e:
        messages.error(request, str(e))
        return _volver(request, modelo)
    messages.warning(
        request,
        _(
            "Versión %(v)d retirada. No queda ninguna versión publicada: la ejecución "
            "nocturna no puntuará y se mantienen los últimos puntajes."
        )
        % {"v": modelo.version},
    )
    return _volver(request, modelo)


@solo_minedu
@require_POST
def restaurar(request: HttpRequest) -> HttpResponse:
    try:
        modelo = modelo_restaurar_anterior()
    except SinVersionAnterior:
        messages.error(request, _("No hay una versión anterior que restaurar."))
    else:
        messages.success(
            request,
            _("Se restauró la versión %(v)d: ahora es la publicada.")
            % {"v": modelo.version},
        )
    return redirect("modelos:lista")
