"""Account pages: the director's tutor assignment and the locked-out page
(sign-in and password pages are Django's own views, set up in alerta/urls.py)."""

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import cuentas, scoping
from .auditoria import registra_acceso
from .forms import AsignarTutorForm, DocenteNuevoForm, nombre_docente
from .models import Accion, Asignacion, InstitucionEducativa, Rol, Seccion, Usuario


def _secciones(
    user: Usuario, ie: InstitucionEducativa, anio: int | None
) -> QuerySet[Seccion]:
    return scoping.secciones_visibles(user).filter(ie=ie, anio=anio)


@login_required
@require_http_methods(["GET", "POST"])
@registra_acceso(Accion.VER_DOCENTES, "ie:{codigo}")
def ie_tutores(request: HttpRequest, codigo: str) -> HttpResponse:
    anio = scoping.anio_mostrado(request.user)
    ie = scoping.ie_dirigida_o_404(request.user, codigo, anio)
    secciones = _secciones(request.user, ie, anio)
    docentes = cuentas.docentes_de_ie(ie)

    form = None
    if request.method == "POST":
        form = AsignarTutorForm(request.POST, secciones=secciones, docentes=docentes)
        if form.is_valid():
            seccion, tutor = form.cleaned_data["seccion"], form.cleaned_data["tutor"]
            cambio = cuentas.seccion_tutor_asignar(
                seccion=seccion, tutor=tutor, por=request.user
            )
            datos = {"docente": nombre_docente(tutor), "seccion": seccion}
            if cambio:
                messages.success(
                    request, _("%(docente)s es ahora tutor(a) de %(seccion)s.") % datos
                )
            else:
                messages.info(
                    request, _("%(docente)s ya era tutor(a) de %(seccion)s.") % datos
                )
            return redirect("ie_tutores", codigo=ie.codigo)

    vigentes = Prefetch(
        "tutores",
        queryset=Asignacion.objects.vigentes()
        .filter(rol=Rol.TUTOR)
        .select_related("usuario")
        .order_by("usuario__last_name", "usuario__first_name"),
        to_attr="tutores_vigentes",
    )
    filas = [
        (
            s,
            [nombre_docente(a.usuario) for a in s.tutores_vigentes],
            {a.usuario_id for a in s.tutores_vigentes},
        )
        for s in secciones.prefetch_related(vigentes)
    ]
    ctx = {
        "ie": ie,
        "anio": anio,
        "filas": filas,
        "docentes": [(d.pk, nombre_docente(d)) for d in docentes],
        "form": form,
    }
    return render(request, "alerta/tutores.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def ie_tutor_nuevo(request: HttpRequest, codigo: str) -> HttpResponse:
    anio = scoping.anio_mostrado(request.user)
    ie = scoping.ie_dirigida_o_404(request.user, codigo, anio)
    form = DocenteNuevoForm(
        request.POST or None,
        secciones=_secciones(request.user, ie, anio),
        initial={"seccion": request.GET.get("seccion", "")},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            usuario, creado = cuentas.seccion_tutor_nuevo(
                seccion=d["seccion"],
                numero_documento=d["numero_documento"],
                nombres=d["nombres"],
                apellidos=d["apellidos"],
                email=d["email"],
                por=request.user,
            )
        except ValidationError as exc:
            form.add_error("numero_documento", exc)
        else:
            datos = {"docente": nombre_docente(usuario), "seccion": d["seccion"]}
            if creado:
                texto = _(
                    "Se creó la cuenta de %(docente)s, tutor(a) de %(seccion)s. "
                    "Recibirá por correo el enlace para elegir su contraseña."
                )
            else:
                texto = _(
                    "Ese DNI ya tenía cuenta: %(docente)s es ahora tutor(a) de "
                    "%(seccion)s. Sus datos no se modificaron."
                )
            messages.success(request, texto % datos)
            return redirect("ie_tutores", codigo=ie.codigo)
    ctx = {"ie": ie, "anio": anio, "form": form}
    return render(request, "alerta/tutores_nuevo.html", ctx)


def ingreso_bloqueado(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """What a locked-out login gets (AXES_LOCKOUT_CALLABLE): 429, in Spanish,
    without repeating what was typed."""
    minutos = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(
        request, "registration/bloqueado.html", {"minutos": minutos}, status=429
    )
