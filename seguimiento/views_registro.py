"""The monthly contact record of a sección: one screen, one row per student.

With JavaScript (static/js/registro_mensual.js) each tap saves its row
through the API, by way of the offline outbox when the page has one. Without
it, the page is a plain form: "Guardar todo" posts every row that has an
answer, and each one goes through `services.registro_mensual_guardar`.
"""

import uuid as uuid_lib
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from alerta.auditoria import registra_acceso
from alerta.models import Accion, Matricula, Seccion
from riesgo import selectors as riesgo_selectors

from . import scoping, services
from .models import MedioContacto, RegistroMensual, SigueClases

FORMATO_MES = "%Y-%m"
PRIMER_MES_ESCOLAR = 3  # the school year starts in March


def meses_del_anio(seccion: Seccion) -> list[date]:
    """The months of the sección's school year up to this one, latest first."""
    actual = services.mes_actual()
    desde = date(seccion.anio, PRIMER_MES_ESCOLAR, 1)
    hasta = min(actual, date(seccion.anio, 12, 1))
    meses = []
    mes = desde
    while mes <= hasta:
        meses.append(mes)
        mes = date(mes.year + mes.month // 12, mes.month % 12 + 1, 1)
    return list(reversed(meses)) or [actual]


def _mes_pedido(texto: str | None, opciones: list[date]) -> date:
    for mes in opciones:
        if texto == mes.strftime(FORMATO_MES):
            return mes
    return opciones[0]


@dataclass
class Fila:
    matricula: Matricula
    registro: RegistroMensual | None
    # The id the row's record has, or will have once saved (posted by the
    # plain form, so that posting it twice stores once).
    id: uuid_lib.UUID = field(default_factory=uuid_lib.uuid4)

    @property
    def estudiante(self):
        return self.matricula.estudiante

    @property
    def contactado(self) -> str:
        if self.registro is None:
            return ""
        return "si" if self.registro.contactado else "no"

    @property
    def medio(self) -> str:
        if self.registro is not None and self.registro.medio:
            return self.registro.medio
        return MedioContacto.PRESENCIAL

    @property
    def sigue_clases(self) -> str:
        if self.registro is not None and self.registro.sigue_clases:
            return self.registro.sigue_clases
        return SigueClases.SI


def _filas(user, seccion: Seccion, mes: date) -> list[Fila]:
    ejecucion = riesgo_selectors.ejecucion_vigente()
    matriculas = list(
        riesgo_selectors.filas_de_seccion(seccion, ejecucion)
        .select_related("estudiante")
        .order_by(*riesgo_selectors.ORDEN_NOMBRE, "pk")
    )
    registros = {
        r.estudiante_id: r
        for r in scoping.registros_visibles(user)
        .filter(estudiante__in=[m.estudiante_id for m in matriculas], mes=mes)
        .select_related("autor")
    }
    filas = []
    for m in matriculas:
        registro = registros.get(m.estudiante_id)
        fila = Fila(matricula=m, registro=registro)
        if registro is not None:
            fila.id = registro.uuid
        filas.append(fila)
    return filas


def _guardar_todo(request: HttpRequest, seccion: Seccion, mes: date) -> None:
    """Save every row of the plain form that has an answer and changed."""
    guardados, errores = 0, []
    for fila in _filas(request.user, seccion, mes):
        clave = str(fila.estudiante.uuid)
        contactado = request.POST.get(f"c-{clave}", "")
        if contactado not in ("si", "no"):
            continue
        valores = {
            "contactado": contactado == "si",
            "medio": request.POST.get(f"m-{clave}", "") if contactado == "si" else "",
            "sigue_clases": request.POST.get(f"s-{clave}", ""),
        }
        r = fila.registro
        if r is not None and (r.contactado, r.medio, r.sigue_clases) == tuple(
            valores.values()
        ):
            continue
        try:
            id_fila = uuid_lib.UUID(request.POST.get(f"id-{clave}", ""))
        except ValueError:
            id_fila = fila.id
        try:
            services.registro_mensual_guardar(
                autor=request.user,
                estudiante=fila.estudiante,
                seccion=seccion,
                mes=mes,
                uuid=id_fila,
                **valores,
            )
            guardados += 1
        except services.Conflicto as conflicto:
            autor = conflicto.existente.autor
            errores.append(
                _(
                    "%(estudiante)s: ya registrado por %(autor)s; se mantiene "
                    "ese registro."
                )
                % {
                    "estudiante": fila.estudiante.nombre_completo,
                    "autor": autor.get_full_name() or autor.get_username(),
                }
            )
        except ValidationError as exc:
            errores.append(
                f"{fila.estudiante.nombre_completo}: {' '.join(exc.messages)}"
            )
    if guardados:
        messages.success(
            request,
            ngettext(
                "Se guardó %(n)s registro.", "Se guardaron %(n)s registros.", guardados
            )
            % {"n": guardados},
        )
    elif not errores:
        messages.info(request, _("No había cambios que guardar."))
    for error in errores:
        messages.error(request, error)


@login_required
@require_http_methods(["GET", "POST"])
@registra_acceso(Accion.VER_LISTA, "seccion:{uuid}")
def registro_mensual(request: HttpRequest, uuid) -> HttpResponse:
    seccion = scoping.seccion_que_registra_o_404(request.user, uuid)
    meses = meses_del_anio(seccion)
    datos = request.POST if request.method == "POST" else request.GET
    mes = _mes_pedido(datos.get("mes"), meses)
    if request.method == "POST":
        _guardar_todo(request, seccion, mes)
        direccion = reverse("seguimiento:registro-mensual", args=[seccion.uuid])
        return redirect(f"{direccion}?mes={mes:%Y-%m}")
    filas = _filas(request.user, seccion, mes)
    ctx = {
        "seccion": seccion,
        "mes": mes,
        "mes_texto": mes.strftime(FORMATO_MES),
        "mes_nombre": date_format(mes, "F \\d\\e Y"),
        "meses": [
            (m.strftime(FORMATO_MES), date_format(m, "F \\d\\e Y")) for m in meses
        ],
        "filas": filas,
        "hechos": sum(1 for f in filas if f.registro is not None),
        "medios": MedioContacto.choices,
        "sigue": SigueClases.choices,
        "api": reverse("api:registro-mensual-list"),
    }
    return render(request, "seguimiento/registro_mensual.html", ctx)
