"""Pages of the pilots: the list, a new evaluation (designed and drawn), its
page with the counts per stratum × arm and the balance table, publishing it,
and its downloads.

Designing is Minedu's (pilotos.scoping.evaluacion_que_disena_o_404); reading
goes through pilotos.scoping, which gives a UGEL specialist only the units of
their UGEL. Out of scope is 404. The pages show unit codes, school names and
aggregates, never a student or a teacher: nothing is recorded in the access
log (tests/alerta/test_auditoria.py says so per page).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alerta.xlsx import respuesta_xlsx
from riesgo.models import NivelRiesgo

from . import scoping, selectors, services
from .analisis import ALFA, POTENCIA
from .balance import COVARIABLES
from .datos import resultados_de
from .exportar import csv_de_evaluacion, libro_de_evaluacion
from .forms import EvaluacionForm, PublicarForm
from .lectura import lectura_de_balance
from .tasks import analizar_evaluacion


@login_required
@require_GET
def lista(request: HttpRequest) -> HttpResponse:
    disena = scoping.disena(request.user)
    evaluaciones = scoping.evaluaciones_visibles(request.user)
    if not scoping.lee_pilotos(request.user):
        raise Http404
    ctx = {
        "evaluaciones": evaluaciones.prefetch_related("ugeles"),
        "disena": disena,
    }
    return render(request, "pilotos/lista.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def nueva(request: HttpRequest) -> HttpResponse:
    if not scoping.disena(request.user):
        raise Http404
    form = EvaluacionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campos = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in ("ugeles", "brazos_texto", "cortes_texto")
        }
        try:
            with transaction.atomic():
                evaluacion = services.evaluacion_crear(
                    creada_por=request.user,
                    ugeles=form.cleaned_data["ugeles"],
                    brazos=form.cleaned_data["brazos_texto"],
                    cortes_tamano=form.cleaned_data["cortes_texto"],
                    **campos,
                )
                services.evaluacion_sortear(evaluacion=evaluacion)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Se creó la evaluación y se sorteó."))
            return redirect("pilotos:detalle", uuid=evaluacion.uuid)
    return render(request, "pilotos/nueva.html", {"form": form})


@login_required
@require_GET
def detalle(request: HttpRequest, uuid) -> HttpResponse:
    evaluacion = scoping.evaluacion_o_404(request.user, uuid)
    unidades = scoping.unidades_visibles(request.user, evaluacion)
    balance = selectors.balance(evaluacion, unidades)
    columnas = [
        *(_("Media: %(c)s") % {"c": t} for t in COVARIABLES.values()),
        *(_("Dif. normalizada: %(c)s") % {"c": t} for t in COVARIABLES.values()),
        _("Valor p conjunto"),
    ]
    ctx = {
        "evaluacion": evaluacion,
        "disena": scoping.disena(request.user),
        "reproducible": selectors.se_reproduce(evaluacion),
        "brazos": evaluacion.brazos,
        "conteos": [
            (e, list(zip([b["codigo"] for b in evaluacion.brazos], n, strict=True)), t)
            for e, n, t in selectors.conteos_por_estrato(evaluacion, unidades)
        ],
        # Each row's figures with their column's name (read out on a phone).
        "columnas_balance": columnas,
        "balance": [
            (
                f,
                list(
                    zip(
                        columnas,
                        [
                            *(f.medias[c] for c in COVARIABLES),
                            *(f.diferencias.get(c) for c in COVARIABLES),
                            f.p,
                        ],
                        strict=True,
                    )
                ),
            )
            for f in balance
        ],
        "lectura": lectura_de_balance(balance),
        "unidades": unidades.select_related("ugel").prefetch_related("ies"),
        # What each arm receives while it acts, and what its units received.
        "brazos_actuan": selectors.brazos_en_la_pagina(evaluacion, unidades),
    }
    return render(request, "pilotos/detalle.html", ctx)


@login_required
@require_POST
def sortear(request: HttpRequest, uuid) -> HttpResponse:
    evaluacion = scoping.evaluacion_que_disena_o_404(request.user, uuid)
    try:
        services.evaluacion_sortear(evaluacion=evaluacion)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Se volvió a sortear con los datos vigentes."))
    return redirect("pilotos:detalle", uuid=evaluacion.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def publicar(request: HttpRequest, uuid) -> HttpResponse:
    evaluacion = scoping.evaluacion_que_disena_o_404(request.user, uuid)
    error = None
    form = PublicarForm(
        request.POST if request.method == "POST" else None,
        initial={"actua_hasta": services.actua_hasta_por_defecto(evaluacion)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluacion_publicar(
                evaluacion=evaluacion, actua_hasta=form.cleaned_data["actua_hasta"]
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request, _("La evaluación quedó publicada: su sorteo ya no cambia.")
            )
            return redirect("pilotos:detalle", uuid=evaluacion.uuid)
    ctx = {"evaluacion": evaluacion, "error": error, "form": form}
    return render(request, "pilotos/publicar.html", ctx)


def _pct(valor: float | None) -> float | None:
    return None if valor is None else 100 * valor


def _puntos(e) -> dict | None:
    """An estimate in percentage points, for the page."""
    if e is None:
        return None
    return {
        "efecto": 100 * e.efecto,
        "inferior": 100 * e.inferior,
        "superior": 100 * e.superior,
        "p": e.p,
        "distinto_de_cero": not e.contiene(0.0),
    }


def _por_nivel(r) -> list[dict]:
    """Rows level × arm, levels from alto down: students, dropouts, rate and
    (Minedu) the arm's difference with control at that level."""
    itt = {
        (nivel, brazo): e
        for nivel, estimaciones in r.por_nivel
        for brazo, e in estimaciones
    }
    filas = []
    for nivel in NivelRiesgo.values:
        for b in r.brazos:
            estudiantes, desertores = b.por_nivel.get(nivel, (0, 0))
            if not estudiantes:
                continue
            filas.append(
                {
                    "nivel": NivelRiesgo(nivel).label,
                    "brazo": b.codigo,
                    "estudiantes": estudiantes,
                    "desertores": desertores,
                    "tasa": 100 * desertores / estudiantes,
                    "itt": _puntos(itt.get((nivel, b.codigo))),
                }
            )
    return filas


@login_required
@require_GET
def resultados(request: HttpRequest, uuid) -> HttpResponse:
    """Use per arm while the arms act and, once the outcome year is
    imported, dropout per arm; for Minedu, the estimates over every unit. A
    UGEL specialist sees the figures of their own units only."""
    evaluacion = scoping.evaluacion_o_404(request.user, uuid)
    if not evaluacion.publicada:
        raise Http404
    unidades = scoping.unidades_visibles(request.user, evaluacion)
    r = resultados_de(evaluacion, unidades, completo=scoping.disena(request.user))
    if r.pendiente and cache.add(f"pilotos:analizando:{evaluacion.pk}", 1, 600):
        # Queued once per ten minutes however often the page is reloaded.
        pk = evaluacion.pk
        transaction.on_commit(lambda: analizar_evaluacion.delay(pk))
    # One chart: dropout per arm once known (what the pilot is about), the
    # use per arm until then; the tables hold both.
    if r.disponible and not r.pendiente:
        serie = (_("Deserción (%)"), [_pct(b.tasa) for b in r.brazos])
    else:
        serie = (
            _("Semanas con uso de sus docentes (%)"),
            [_pct(b.uso) for b in r.brazos],
        )
    grafico = {
        "etiquetas": [b.codigo for b in r.brazos],
        "eje_y": _("Porcentaje"),
        "barras": [
            {
                "etiqueta": serie[0],
                "valores": [None if v is None else round(v, 2) for v in serie[1]],
            }
        ],
    }
    filas = [
        {
            "b": b,
            "uso": _pct(b.uso),
            "tasa": _pct(b.tasa),
            "itt": _puntos(b.itt),
            "minimo": _pct(b.efecto_minimo),
        }
        for b in r.brazos
    ]
    ctx = {
        "evaluacion": evaluacion,
        "r": r,
        "filas": filas,
        # What each arm's units received: the take-up beside the use.
        "brazos_actuan": selectors.brazos_en_la_pagina(evaluacion, unidades),
        "por_nivel": _por_nivel(r),
        "iv": _puntos(r.iv),
        "debil": r.f_primera_etapa is not None and r.f_primera_etapa < 10,
        "grafico": grafico,
        "confianza": round(100 * (1 - ALFA)),
        "potencia": round(100 * POTENCIA),
    }
    return render(request, "pilotos/resultados.html", ctx)


def _nombre(evaluacion, extension: str) -> str:
    return f"evaluacion-{slugify(evaluacion.nombre)[:40]}.{extension}"


@login_required
@require_GET
def exportar_xlsx(request: HttpRequest, uuid) -> HttpResponse:
    evaluacion = scoping.evaluacion_o_404(request.user, uuid)
    unidades = scoping.unidades_visibles(request.user, evaluacion)
    archivo = libro_de_evaluacion(
        evaluacion, unidades, selectors.balance(evaluacion, unidades)
    )
    return respuesta_xlsx(archivo, _nombre(evaluacion, "xlsx"))


@login_required
@require_GET
def exportar_csv(request: HttpRequest, uuid) -> HttpResponse:
    evaluacion = scoping.evaluacion_o_404(request.user, uuid)
    unidades = scoping.unidades_visibles(request.user, evaluacion)
    respuesta = HttpResponse(
        csv_de_evaluacion(evaluacion, unidades), content_type="text/csv; charset=utf-8"
    )
    respuesta["Content-Disposition"] = (
        f'attachment; filename="{_nombre(evaluacion, "csv")}"'
    )
    return respuesta
