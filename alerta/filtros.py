"""Filters, name search, sort and pages of the risk lists (sección and IE).

The rows come from `riesgo.selectors.filas_de_*` (already scoped); everything
here narrows, orders and cuts them in SQL, so that a page costs a count and a
page query whatever the size of the school.
"""

import unicodedata
from dataclasses import dataclass

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from riesgo.factores import muestra_factores
from riesgo.models import NivelRiesgo
from riesgo.selectors import ORDEN_NOMBRE

from .models import Matricula, Nivel, Seccion
from .presentacion.niveles import cambio_de_nivel, factores_de

POR_PAGINA = 50

# GET parameters that never go back into a list's address.
_FUERA_DE_LA_DIRECCION = ("q", "csrfmiddlewaretoken", "limpiar", "pagina")

ORDEN_RIESGO = "riesgo"
ORDEN_POR_NOMBRE = "nombre"
ORDEN_SECCION = "seccion"

# The follow-up filter (seguimiento.resumen).
SIN_ACCION = "sin_accion"

ORDENES = {
    ORDEN_RIESGO: (F("probabilidad").desc(nulls_last=True), *ORDEN_NOMBRE, "pk"),
    ORDEN_POR_NOMBRE: (*ORDEN_NOMBRE, "pk"),
    ORDEN_SECCION: (
        "seccion__nivel",
        "seccion__grado",
        "seccion__letra",
        *ORDEN_NOMBRE,
        "pk",
    ),
}

NO_VALIDO = _("Ese valor no es válido: se muestra la lista sin ese filtro.")

# Each letter of a searched name matches itself with or without its accent,
# in upper or lower case ("nunez" finds NÚÑEZ, "huamán" finds HUAMAN).
VARIANTES = {
    "A": "AÁÀÂÄaáàâä",
    "E": "EÉÈÊËeéèêë",
    "I": "IÍÌÎÏiíìîï",
    "O": "OÓÒÔÖoóòôö",
    "U": "UÚÙÛÜuúùûü",
    "N": "NÑnñ",
    "C": "CÇcç",
}


def _sin_tildes(texto: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", texto) if not unicodedata.combining(c)
    )


def patron_palabra(palabra: str) -> str:
    """A regular expression, valid on SQLite and PostgreSQL alike, matching
    `palabra` whatever its accents. Anything but a letter matches any one
    character (an apostrophe, a hyphen), so no user input reaches the
    pattern unescaped."""
    partes = []
    for c in _sin_tildes(palabra.upper()):
        if c in VARIANTES:
            partes.append(f"[{VARIANTES[c]}]")
        elif "A" <= c <= "Z":
            partes.append(c)
        else:
            partes.append(".")
    return "".join(partes)


def q_nombre(texto: str, prefijo: str = "estudiante__") -> Q:
    """Every word of `texto` in one of the student's three name fields."""
    q = Q()
    # A "word" without a single letter (a stray dash) narrows nothing.
    for palabra in (p for p in texto.split() if any(c.isalpha() for c in p)):
        patron = patron_palabra(palabra)
        q &= (
            Q(**{f"{prefijo}apellido_paterno__iregex": patron})
            | Q(**{f"{prefijo}apellido_materno__iregex": patron})
            | Q(**{f"{prefijo}nombres__iregex": patron})
        )
    return q


class Selector(forms.Select):
    """Django's Select written in Python: the same HTML (tests/alerta/
    test_filtros.py compares them) without a template, whose loop over the
    options was a fifth of the CPU of an IE page of 100 secciones. No option
    groups and one selected option, as in every choice of these filters."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        partes = [format_html('<select name="{}"', name)]
        for clave, valor in self.build_attrs(self.attrs, attrs).items():
            if valor is True:
                partes.append(format_html(" {}", clave))
            elif valor is not False:
                partes.append(format_html(' {}="{}"', clave, valor))
        partes.append(">")
        elegidos = self.format_value(value)
        marcada = False
        for opcion, etiqueta in self.choices:
            texto = "" if opcion is None else str(opcion)
            elegida = not marcada and texto in elegidos
            marcada = marcada or elegida
            partes.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>',
                    texto,
                    " selected" if elegida else "",
                    etiqueta,
                )
            )
        partes.append("\n</select>")
        # Every part was escaped above.
        return mark_safe("".join(partes))


class FiltroLista(forms.Form):
    """GET parameters of a risk list. Built with the secciones the list
    spans; with none (a sección's own list) nivel, grado and sección go."""

    q = forms.CharField(label=_("Buscar por nombre"), required=False, max_length=80)
    nivel = forms.ChoiceField(label=_("Nivel"), required=False, widget=Selector)
    grado = forms.TypedChoiceField(
        label=_("Grado"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=Selector,
    )
    seccion = forms.ChoiceField(label=_("Sección"), required=False, widget=Selector)
    riesgo = forms.ChoiceField(
        label=_("Nivel de riesgo"),
        required=False,
        choices=[("", _("Todos")), *NivelRiesgo.choices],
        widget=Selector,
    )
    seguimiento = forms.ChoiceField(
        label=_("Seguimiento"),
        required=False,
        choices=[
            ("", _("Todos")),
            (SIN_ACCION, _("Alto o medio sin acción en 30 días")),
        ],
        widget=Selector,
    )
    orden = forms.ChoiceField(
        label=_("Ordenar por"),
        required=False,
        choices=[
            (ORDEN_RIESGO, _("Mayor riesgo primero")),
            (ORDEN_POR_NOMBRE, _("Apellidos y nombres")),
            (ORDEN_SECCION, _("Grado y sección")),
        ],
        widget=Selector,
    )

    def __init__(self, data: QueryDict, *, secciones: list[Seccion] | None = None):
        super().__init__(data)
        for campo in self.fields.values():
            campo.error_messages["invalid_choice"] = NO_VALIDO
        if secciones is None:
            for nombre in ("nivel", "grado", "seccion"):
                del self.fields[nombre]
            self.fields["orden"].choices = self.fields["orden"].choices[:2]
            return
        niveles = {s.nivel for s in secciones}
        self.fields["nivel"].choices = [("", _("Todos"))] + [
            (valor, etiqueta) for valor, etiqueta in Nivel.choices if valor in niveles
        ]
        # Inicial counts years of age: grado 3 is "3 años" there and "3.º" in
        # primaria; where both are listed the choice says both.
        escritos: dict[int, set[str]] = {}
        for s in secciones:
            escritos.setdefault(s.grado, set()).add(s.grado_corto)
        self.fields["grado"].choices = [("", _("Todos"))] + [
            (g, " / ".join(sorted(escritos[g]))) for g in sorted(escritos)
        ]
        self.fields["seccion"].choices = [("", _("Todas"))] + [
            (str(s.uuid), str(s))
            for s in sorted(secciones, key=lambda s: (s.nivel, s.grado, s.letra))
        ]

    @property
    def filtros(self) -> dict:
        """The valid values only: a bad one is left out, never an error page."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


def filtrar(filas: QuerySet[Matricula], filtros: dict) -> QuerySet[Matricula]:
    if "nivel" in filtros:
        filas = filas.filter(seccion__nivel=filtros["nivel"])
    if "grado" in filtros:
        filas = filas.filter(seccion__grado=filtros["grado"])
    if "seccion" in filtros:
        filas = filas.filter(seccion__uuid=filtros["seccion"])
    if "riesgo" in filtros:
        filas = filas.filter(nivel_riesgo=filtros["riesgo"])
    if filtros.get("seguimiento") == SIN_ACCION:
        from seguimiento.resumen import q_alto_o_medio_sin_accion

        filas = filas.filter(q_alto_o_medio_sin_accion())
    if filtros.get("q", "").strip():
        filas = filas.filter(q_nombre(filtros["q"]))
    return filas.order_by(*ORDENES[filtros.get("orden", ORDEN_RIESGO)])


def _clave_busqueda(lista: str) -> str:
    return f"busqueda:{lista}"


def parametros_de_lista(request: HttpRequest, lista: str) -> QueryDict | None:
    """The parameters of the list `lista` ("ie:<codigo>", "seccion:<uuid>"):
    its filters from the address, its name search from the session.

    A searched name is a minor's name: it never goes into an address (browser
    history, server logs, the Referer header). The search form is posted; the
    text is kept in the session and the page answers with a redirect to an
    address holding only the filters. None means: answer with that redirect
    (`direccion_limpia`), because a search was posted, the address carried a
    name, or the filters were cleared.

    A `q` in an address (typed, bookmarked, an old link) is dropped unread:
    neither searched nor kept, and the search already in the session stays
    as it was, so that an address can never choose what a list shows by name.
    """
    clave = _clave_busqueda(lista)
    if request.method == "POST":
        if "limpiar" in request.POST:
            request.session.pop(clave, None)
            return None
        texto = request.POST.get("q", "").strip()[:80]
        if texto:
            request.session[clave] = texto
        else:
            request.session.pop(clave, None)
        return None
    if "q" in request.GET:
        return None
    if "limpiar" in request.GET:
        request.session.pop(clave, None)
        return None
    parametros = request.GET.copy()
    parametros["q"] = request.session.get(clave, "")
    return parametros


def direccion_limpia(request: HttpRequest) -> str:
    """The list's own address with its filters and without any name."""
    datos = request.POST if request.method == "POST" else request.GET
    if "limpiar" in datos:
        return request.path
    filtros = QueryDict(mutable=True)
    for campo, valores in datos.lists():
        if campo not in _FUERA_DE_LA_DIRECCION:
            filtros.setlist(campo, [v for v in valores if v])
    consulta = filtros.urlencode()
    return f"{request.path}?{consulta}" if consulta else request.path


@dataclass
class Listado:
    formulario: FiltroLista
    pagina: Page
    filas: list[Matricula]
    filtrado: bool  # some filter narrows the list


def pagina_de(filas: QuerySet, numero: str | None) -> Page:
    """Page `numero` of `filas` (the first when it is not a valid page), as
    Paginator.get_page gives it. The first page of a list that fits in one
    page (a sección's list, nearly always) is read with one query, without
    counting first: its length is the count. A longer list's first page costs
    the same two queries as Paginator's."""
    paginador = Paginator(filas, POR_PAGINA)
    if numero not in (None, "", "1"):
        return paginador.get_page(numero)
    primeras = list(filas[: POR_PAGINA + 1])
    if len(primeras) <= POR_PAGINA:
        paginador.count = len(primeras)  # a cached_property: now known
    return Page(primeras[:POR_PAGINA], 1, paginador)


def listado(
    datos: QueryDict,
    filas: QuerySet[Matricula],
    *,
    secciones: list[Seccion] | None = None,
) -> Listado:
    """One page of `filas` as the GET parameters ask, each row with its
    factors (phrases with guidance links) and its change of level."""
    formulario = FiltroLista(datos, secciones=secciones)
    filtros = formulario.filtros
    pagina = pagina_de(filtrar(filas, filtros), datos.get("pagina"))
    filas_pagina = list(pagina.object_list)
    for fila in filas_pagina:
        fila.factores = (
            factores_de(fila, fila.seccion.nivel)
            if muestra_factores(fila.nivel_riesgo)
            else []
        )
        fila.cambio = cambio_de_nivel(fila.nivel_riesgo, fila.nivel_anterior)
    return Listado(
        formulario=formulario,
        pagina=pagina,
        filas=filas_pagina,
        filtrado=bool(set(filtros) - {"orden"}),
    )
