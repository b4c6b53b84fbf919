"""Pages of follow-up actions: a new one for a student, correcting one, and
its history. Reads go through seguimiento.scoping, writes through
seguimiento.services; out of scope is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from alerta import scoping as alerta_scoping
from alerta.auditoria import registra_acceso
from alerta.models import Accion
from orientaciones.models import Factor
from orientaciones.selectors import orientaciones_para

from . import scoping, services
from .forms import AccionForm
from .models import AccionSeguimiento

# Where the offline outbox sends a form (the API may not be mounted yet).
BANDEJA_POR_DEFECTO = "/api/v1/acciones/"

# Session key: the student whose draft was just sent (the student page clears it).
# Also read (by value) in alerta.views_estudiantes.
SESION_BORRADOR_ENVIADO = "seguimiento_borrador_enviado"


def url_bandeja() -> str:
    try:
        return reverse("api:accion-list")
    except NoReverseMatch:
        return BANDEJA_POR_DEFECTO


def _factores_de_riesgo(estudiante) -> list[str]:
    """The guidance factors of the student's shown risk factors, if any."""
    from alerta.ficha import ficha_de
    from riesgo import selectors as riesgo_selectors
    from riesgo.factores import FACTOR_ORIENTACION

    ejecucion = riesgo_selectors.ejecucion_vigente()
    if ejecucion is None:
        return []
    ficha = ficha_de(estudiante, ejecucion)
    codigos = {FACTOR_ORIENTACION.get(f.codigo) for f in ficha.factores or []}
    return [c for c in Factor.values if c in codigos]


def _errores_del_servicio(form: AccionForm, exc: ValidationError) -> None:
    campos = getattr(exc, "error_dict", None) or {None: exc.error_list}
    for campo, errores in campos.items():
        campo = campo if campo in form.fields else None
        for error in errores:
            form.add_error(campo, error)


def _contexto(request, form, estudiante, **extra) -> dict:
    return {
        "form": form,
        "estudiante": estudiante,
        "bandeja_url": url_bandeja(),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
@registra_acceso(Accion.VER_ESTUDIANTE, "estudiante:{uuid}")
def accion_nueva(request: HttpRequest, uuid) -> HttpResponse:
    estudiante = alerta_scoping.estudiante_o_404(request.user, uuid)
    seccion = scoping.seccion_de_registro(request.user, estudiante)
    if seccion is None:
        raise Http404
    orientaciones = list(orientaciones_para(request.user))
    if request.method == "POST":
        form = AccionForm(request.POST, orientaciones=orientaciones)
        if form.is_valid():
            if form.cleaned_data["estudiante"] != estudiante.uuid:
                raise Http404
            try:
                _accion, creada = services.accion_crear(
                    autor=request.user,
                    estudiante=estudiante,
                    seccion=seccion,
                    uuid=form.cleaned_data["id"],
                    **form.datos_de_accion(),
                )
            except ValidationError as exc:
                _errores_del_servicio(form, exc)
            else:
                if creada:
                    messages.success(request, _("Se registró la acción."))
                else:
                    messages.info(request, _("Esa acción ya estaba registrada."))
                request.session[SESION_BORRADOR_ENVIADO] = str(estudiante.uuid)
                return redirect(
                    reverse("estudiante_detalle", args=[estudiante.uuid])
                    + "#seguimiento"
                )
    else:
        inicial = {
            "estudiante": estudiante.uuid,
            "factores": _factores_de_riesgo(estudiante),
        }
        pedida = request.GET.get("orientacion", "")
        if pedida.isdigit() and int(pedida) in {o.pk for o in orientaciones}:
            inicial["orientacion"] = int(pedida)
        form = AccionForm(initial=inicial, orientaciones=orientaciones)
    return render(
        request,
        "seguimiento/accion_form.html",
        _contexto(request, form, estudiante, nueva=True),
    )


@login_required
@require_http_methods(["GET", "POST"])
@registra_acceso(Accion.VER_ESTUDIANTE, "accion:{uuid}")
def accion_corregir(request: HttpRequest, uuid) -> HttpResponse:
    accion = scoping.accion_o_404(request.user, uuid)
    estudiante = accion.estudiante
    if not scoping.puede_corregir(request.user, accion):
        # Only the author, still writing for the sección, learns that the
        # window closed; for everyone else the page does not exist.
        en_alcance = scoping.secciones_que_registra(request.user).filter(
            pk=accion.seccion_id
        )
        if accion.autor_id != request.user.pk or not en_alcance.exists():
            raise Http404
        return render(
            request,
            "seguimiento/accion_plazo_vencido.html",
            {
                "accion": accion,
                "estudiante": estudiante,
                "dias": scoping.plazo_de_correccion().days,
            },
        )
    orientaciones = list(orientaciones_para(request.user))
    if accion.orientacion is not None and accion.orientacion not in orientaciones:
        orientaciones.append(accion.orientacion)
    opciones = {"orientaciones": orientaciones, "tipo_actual": accion.tipo}
    if request.method == "POST":
        form = AccionForm(request.POST, **opciones)
        if form.is_valid():
            try:
                services.accion_corregir(
                    accion, autor=request.user, **form.datos_de_accion()
                )
            except ValidationError as exc:
                _errores_del_servicio(form, exc)
            else:
                messages.success(request, _("Se corrigió la acción."))
                return redirect(
                    reverse("estudiante_detalle", args=[estudiante.uuid])
                    + "#seguimiento"
                )
    else:
        form = AccionForm(
            initial={
                "id": accion.uuid,
                "estudiante": estudiante.uuid,
                "tipo": accion.tipo.codigo,
                "fecha": accion.fecha,
                "estado": accion.estado,
                "nota": accion.nota,
                "reservada": accion.reservada,
                "factores": accion.factores,
                "orientacion": accion.orientacion_id,
            },
            **opciones,
        )
    return render(
        request,
        "seguimiento/accion_form.html",
        _contexto(request, form, estudiante, nueva=False, accion=accion),
    )


CAMPOS_HISTORIAL = (
    ("tipo", gettext_lazy("Tipo")),
    ("fecha", gettext_lazy("Fecha")),
    ("estado", gettext_lazy("Estado")),
    ("nota", gettext_lazy("Nota")),
    ("reservada", gettext_lazy("Nota reservada")),
    ("factores", gettext_lazy("Factores")),
    ("orientacion", gettext_lazy("Orientación")),
)


def _versiones(user, accion: AccionSeguimiento) -> list[dict]:
    """Each stored version, oldest first, with who, when and what changed."""
    from orientaciones.models import Orientacion

    from .models import TipoAccion

    versiones = list(
        accion.versiones.select_related("history_user").order_by("history_date")
    )
    tipos = {t.pk: t for t in TipoAccion.objects.all()}
    ids_orientacion = {v.orientacion_id for v in versiones if v.orientacion_id}
    orientaciones = Orientacion.objects.in_bulk(ids_orientacion)
    etiquetas_factor = dict(Factor.choices)
    lee = scoping.lee_nota(user, accion) and (
        not any(v.reservada for v in versiones)
        or accion.autor_id == user.pk
        or scoping.dirige(user, accion.seccion)
    )
    etiquetas_estado = dict(AccionSeguimiento._meta.get_field("estado").choices)
    salida, anterior = [], None
    for v in versiones:
        valores = {
            "tipo": str(tipos.get(v.tipo_id, "")),
            "fecha": v.fecha,
            "estado": str(etiquetas_estado.get(v.estado, v.estado)),
            "nota": v.nota if lee else None,
            "reservada": v.reservada,
            "factores": ", ".join(
                str(etiquetas_factor.get(c, c)) for c in (v.factores or [])
            ),
            "orientacion": str(orientaciones.get(v.orientacion_id, "") or ""),
        }
        crudos = {
            "tipo": v.tipo_id,
            "fecha": v.fecha,
            "estado": v.estado,
            "nota": v.nota,
            "reservada": v.reservada,
            "factores": list(v.factores or []),
            "orientacion": v.orientacion_id,
        }
        cambios = [
            {"campo": etiqueta, "valor": valores[campo], "clave": campo}
            for campo, etiqueta in CAMPOS_HISTORIAL
            if anterior is None or anterior[campo] != crudos[campo]
        ]
        salida.append(
            {
                "fecha": v.history_date,
                "autor": v.history_user,
                "primera": anterior is None,
                "cambios": cambios,
            }
        )
        anterior = crudos
    salida.reverse()
    return salida


@login_required
@require_GET
@registra_acceso(Accion.VER_ESTUDIANTE, "accion:{uuid}")
def accion_historial(request: HttpRequest, uuid) -> HttpResponse:
    accion = scoping.accion_o_404(request.user, uuid)
    return render(
        request,
        "seguimiento/accion_historial.html",
        {
            "accion": accion,
            "estudiante": accion.estudiante,
            "versiones": _versiones(request.user, accion),
            "puede_corregir": scoping.puede_corregir(request.user, accion),
        },
    )
