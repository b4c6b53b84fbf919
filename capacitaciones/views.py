"""Pages of a UGEL's trainings: the list and the prioritised IEs, a new
session, its page, the invitations, the attendance and the comparison of use.

Reading goes through alerta.scoping (the UGEL) and capacitaciones.scoping (a
session); planning through capacitaciones.scoping's planners. Out of scope is
404. Pages that name teachers write the access log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from alerta import scoping as alerta_scoping
from alerta.auditoria import registra_acceso
from alerta.forms import nombre_docente
from alerta.models import Accion, InstitucionEducativa, Ugel, Usuario
from alerta.presentacion import tableros
from alerta.presentacion.conteos import conteos_por_clave
from pilotos.brazos import brazos_vigentes
from riesgo.models import EjecucionPuntaje

from . import scoping, services
from .comparacion import SEMANAS, comparacion_de_ugel
from .forms import (
    AsistenciaForm,
    CapacitacionForm,
    CapacitacionNuevaForm,
    ElegirIEsForm,
)
from .models import Capacitacion, Modalidad

IES_POR_PAGINA = 25
SESIONES_POR_PAGINA = 20


def _priorizadas(user: Usuario, ugel: Ugel) -> tuple[list, dict[int, int]]:
    """The UGEL's IEs ranked as its page and planning workbook rank them,
    with the suggested small group of each (tableros.grupos_sugeridos)."""
    ejecucion = EjecucionPuntaje.objects.vigente()
    ies = tableros.ies_de(user, ugel)
    filas = tableros.con_objetos(
        ies, tableros.ranking(conteos_por_clave(ejecucion, ies), ies)
    )
    return filas, tableros.grupos_sugeridos(filas)


def _con_cifras(sesiones):
    return sesiones.annotate(
        invitados=Count("invitaciones"),
        asistentes=Count("invitaciones", filter=Q(invitaciones__asistio=True)),
    )


@login_required
@require_GET
def ugel(request: HttpRequest, codigo: str) -> HttpResponse:
    ugel = alerta_scoping.ugel_o_404(request.user, codigo)
    hoy = timezone.localdate()
    sesiones = _con_cifras(Capacitacion.objects.filter(ugel=ugel))
    filas, grupos = _priorizadas(request.user, ugel)
    pagina = Paginator(filas, IES_POR_PAGINA).get_page(request.GET.get("pagina"))
    pasadas = Paginator(
        sesiones.filter(fecha__lt=hoy).order_by("-fecha", "-hora", "-pk"),
        SESIONES_POR_PAGINA,
    ).get_page(request.GET.get("pasadas"))
    ctx = {
        "ugel": ugel,
        "planifica": scoping.puede_planificar(request.user, ugel),
        "proximas": sesiones.filter(fecha__gte=hoy).order_by("fecha", "hora", "pk"),
        "pasadas": pasadas,
        "pagina": pagina,
        "filas": [(ie, c, grupos.get(ie.pk)) for ie, c in pagina.object_list],
        "grupos": len(set(grupos.values())),
        "regla_grupos": tableros.REGLA_GRUPOS,
    }
    return render(request, "capacitaciones/ugel.html", ctx)


def _ies_del_grupo(user: Usuario, ugel: Ugel, grupo: str) -> list[int]:
    filas, grupos = _priorizadas(user, ugel)
    return [ie.pk for ie, _c in filas if str(grupos.get(ie.pk)) == grupo]


@login_required
@require_http_methods(["GET", "POST"])
@registra_acceso(Accion.VER_DOCENTES, "ugel:{codigo}")
def nueva(request: HttpRequest, codigo: str) -> HttpResponse:
    ugel = scoping.ugel_que_planifica_o_404(request.user, codigo)
    anio = alerta_scoping.anio_mostrado(request.user)
    ies_ugel = InstitucionEducativa.objects.filter(ugel=ugel).select_related("distrito")
    grupo = request.GET.get("grupo", "")
    if request.method == "POST":
        eleccion = ElegirIEsForm(request.POST, ies=ies_ugel)
    elif grupo:
        eleccion = ElegirIEsForm(
            {"ies": _ies_del_grupo(request.user, ugel, grupo)}, ies=ies_ugel
        )
    else:
        eleccion = ElegirIEsForm(request.GET, ies=ies_ugel)
    if not eleccion.is_valid():
        # No IE chosen yet: nobody is named on the page.
        respuesta = render(
            request,
            "capacitaciones/nueva.html",
            {"ugel": ugel, "eleccion": eleccion, "form": None},
        )
        respuesta.sin_datos_personales = True
        return respuesta
    ies = eleccion.cleaned_data["ies"]
    asignaciones = scoping.asignaciones_docentes(ies, anio).order_by(
        "usuario__last_name", "usuario__first_name", "usuario_id", "pk"
    )
    inicial = {"modalidad": Modalidad.GRUPO_PEQUENO} if grupo else {}
    form = CapacitacionNuevaForm(
        request.POST if request.method == "POST" else None,
        asignaciones=asignaciones,
        initial=inicial,
    )
    if request.method == "POST" and form.is_valid():
        datos = form.cleaned_data
        try:
            capacitacion = services.capacitacion_crear(
                ugel=ugel,
                anio=anio,
                modalidad=datos["modalidad"],
                fecha=datos["fecha"],
                hora=datos["hora"],
                lugar=datos["lugar"],
                enlace=datos["enlace"],
                tema=datos["tema"],
                notas=datos["notas"],
                docentes=list(datos["docentes"]),
                ies=ies,
                por=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Se planificó la capacitación. Envíe las invitaciones por correo "
                    "cuando esté lista."
                ),
            )
            return redirect("capacitaciones:detalle", uuid=capacitacion.uuid)
    ctx = {
        "ugel": ugel,
        "eleccion": eleccion,
        # Each IE with the pilot's arm that acts on it today, if any.
        "ies": _con_brazo(ies),
        "anio": anio,
        "form": form,
    }
    return render(request, "capacitaciones/nueva.html", ctx)


def _con_brazo(ies) -> list[InstitucionEducativa]:
    ies = list(ies)
    vigentes = brazos_vigentes([ie.pk for ie in ies], timezone.localdate())
    for ie in ies:
        ie.brazo_vigente = vigentes.get(ie.pk)
    return ies


def _invitaciones(capacitacion: Capacitacion) -> list:
    invitaciones = list(
        capacitacion.invitaciones.select_related("usuario", "ie").order_by(
            "usuario__last_name", "usuario__first_name", "usuario_id"
        )
    )
    for i in invitaciones:
        i.nombre = nombre_docente(i.usuario)
    return invitaciones


@login_required
@require_GET
@registra_acceso(Accion.VER_DOCENTES, "capacitacion:{uuid}")
def detalle(request: HttpRequest, uuid) -> HttpResponse:
    capacitacion = scoping.capacitacion_o_404(request.user, uuid)
    invitaciones = _invitaciones(capacitacion)
    planifica = scoping.puede_planificar(request.user, capacitacion.ugel)
    ctx = {
        "capacitacion": capacitacion,
        "ugel": capacitacion.ugel,
        "invitaciones": invitaciones,
        "planifica": planifica,
        "por_invitar": sum(1 for i in invitaciones if i.invitada is None),
        "cancelable": all(i.asistio is None for i in invitaciones),
        "asistencia": AsistenciaForm(invitaciones=invitaciones) if planifica else None,
    }
    return render(request, "capacitaciones/detalle.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
@registra_acceso(Accion.VER_DOCENTES, "capacitacion:{uuid}")
def invitar(request: HttpRequest, uuid) -> HttpResponse:
    capacitacion = scoping.capacitacion_que_planifica_o_404(request.user, uuid)
    if request.method == "POST":
        enviadas, sin_correo, retenidas = services.invitaciones_enviar(
            capacitacion=capacitacion
        )
        messages.success(
            request,
            ngettext(
                "Se envió %(n)d invitación por correo.",
                "Se enviaron %(n)d invitaciones por correo.",
                enviadas,
            )
            % {"n": enviadas},
        )
        if sin_correo:
            messages.warning(
                request,
                ngettext(
                    "%(n)d docente no tiene correo registrado: avísele por otro medio.",
                    "%(n)d docentes no tienen correo registrado: avíseles por otro "
                    "medio.",
                    sin_correo,
                )
                % {"n": sin_correo},
            )
        if retenidas:
            messages.warning(
                request,
                ngettext(
                    "%(n)d invitación no se envió: el docente tiene una IE en un "
                    "brazo de una evaluación que, mientras actúa, no recibe "
                    "capacitaciones de esta modalidad.",
                    "%(n)d invitaciones no se enviaron: los docentes tienen una IE "
                    "en un brazo de una evaluación que, mientras actúa, no recibe "
                    "capacitaciones de esta modalidad.",
                    retenidas,
                )
                % {"n": retenidas},
            )
        return redirect("capacitaciones:detalle", uuid=capacitacion.uuid)
    pendientes = [i for i in _invitaciones(capacitacion) if i.invitada is None]
    repartos = services.retenidas_por_brazos(
        capacitacion=capacitacion, usuario_ids=[i.usuario_id for i in pendientes]
    )
    retenidas = {pk for pk, r in repartos.items() if not r.permitido}
    se_envian = [i for i in pendientes if i.usuario_id not in retenidas]
    ctx = {
        "capacitacion": capacitacion,
        "ugel": capacitacion.ugel,
        "con_correo": [i for i in se_envian if i.usuario.email],
        "sin_correo": [i for i in se_envian if not i.usuario.email],
        "retenidas": [i for i in pendientes if i.usuario_id in retenidas],
    }
    return render(request, "capacitaciones/invitar.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
@registra_acceso(Accion.VER_DOCENTES, "capacitacion:{uuid}")
def asistencia(request: HttpRequest, uuid) -> HttpResponse:
    capacitacion = scoping.capacitacion_que_planifica_o_404(request.user, uuid)
    invitaciones = _invitaciones(capacitacion)
    form = AsistenciaForm(
        request.POST if request.method == "POST" else None, invitaciones=invitaciones
    )
    if request.method == "POST" and form.is_valid():
        services.asistencia_registrar(
            capacitacion=capacitacion,
            asistieron={int(pk) for pk in form.cleaned_data["asistieron"]},
        )
        messages.success(request, _("Se guardó la asistencia."))
        return redirect("capacitaciones:detalle", uuid=capacitacion.uuid)
    ctx = {"capacitacion": capacitacion, "ugel": capacitacion.ugel, "form": form}
    return render(request, "capacitaciones/asistencia.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def editar(request: HttpRequest, uuid) -> HttpResponse:
    capacitacion = scoping.capacitacion_que_planifica_o_404(request.user, uuid)
    form = CapacitacionForm(
        request.POST if request.method == "POST" else None, instance=capacitacion
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.capacitacion_editar(capacitacion=capacitacion, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Se guardaron los cambios."))
            return redirect("capacitaciones:detalle", uuid=capacitacion.uuid)
    ctx = {"capacitacion": capacitacion, "ugel": capacitacion.ugel, "form": form}
    return render(request, "capacitaciones/editar.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
@registra_acceso(Accion.VER_DOCENTES, "capacitacion:{uuid}")
def cancelar(request: HttpRequest, uuid) -> HttpResponse:
    capacitacion = scoping.capacitacion_que_planifica_o_404(request.user, uuid)
    error = None
    if request.method == "POST":
        ugel = capacitacion.ugel
        try:
            avisadas = services.capacitacion_cancelar(capacitacion=capacitacion)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                ngettext(
                    "Se canceló la capacitación y se avisó por correo a %(n)d docente.",
                    "Se canceló la capacitación y se avisó por correo a %(n)d "
                    "docentes.",
                    avisadas,
                )
                % {"n": avisadas},
            )
            return redirect("capacitaciones:ugel", codigo=ugel.codigo)
    invitaciones = _invitaciones(capacitacion)
    ctx = {
        "capacitacion": capacitacion,
        "ugel": capacitacion.ugel,
        "error": error,
        "con_asistencia": any(i.asistio is not None for i in invitaciones),
        "avisar": [i for i in invitaciones if i.invitada and i.usuario.email],
    }
    return render(request, "capacitaciones/cancelar.html", ctx)


def _porcentaje(valor: float) -> float:
    return round(valor * 100, 1)


def datos_grafico(filas) -> dict:
    """What the chart draws (json_script): the share of active weeks of each
    group and window, per modality. The table beside has the same numbers."""
    if not filas:
        return {}
    series = [
        (_("Capacitados: 4 semanas antes"), "capacitados_antes"),
        (_("Capacitados: 4 semanas desde la sesión"), "capacitados_despues"),
        (_("Aún sin capacitar: mismas semanas antes"), "sin_capacitar_antes"),
        (_("Aún sin capacitar: mismas semanas después"), "sin_capacitar_despues"),
    ]
    return {
        "etiquetas": [f.etiqueta for f in filas],
        "series": [
            {
                "etiqueta": str(etiqueta),
                "valores": [
                    _porcentaje(getattr(f, campo).semanas_activas) for f in filas
                ],
            }
            for etiqueta, campo in series
        ],
        "eje_y": _("Semanas con uso (%)"),
        "decimal": get_format("DECIMAL_SEPARATOR"),
    }


@login_required
@require_GET
def comparacion(request: HttpRequest, codigo: str) -> HttpResponse:
    ugel = alerta_scoping.ugel_o_404(request.user, codigo)
    filas = comparacion_de_ugel(
        ugel=ugel,
        anio=alerta_scoping.anio_mostrado(request.user),
        hoy=timezone.localdate(),
    )
    ctx = {
        "ugel": ugel,
        "filas": filas,
        "semanas": SEMANAS,
        "grafico": datos_grafico(filas),
    }
    return render(request, "capacitaciones/comparacion.html", ctx)
