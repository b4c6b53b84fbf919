"""The API's list filters, those of the pages: nivel, grado, sección, level;
and the scopes above them (IE, UGEL, DRE).

A filter that names a scope (a sección, an IE, a UGEL) is looked up through
`alerta.scoping`: one outside the user's scope is a 404, like its page, never
an empty list that would tell it exists.
"""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from orientaciones.models import Factor
from riesgo.models import NivelRiesgo

from .. import scoping
from ..models import Nivel, q_quinto_de_secundaria
from . import paginacion


class _OpcionSinMayusculas(forms.ChoiceField):
    # "alto", "ALTO" and "Alto" are one value.
    def to_python(self, value):
        return super().to_python(value).lower()


class FiltroOpcion(filters.ChoiceFilter):
    """A choice among a TextChoices' values, written in lower case."""

    field_class = _OpcionSinMayusculas

    def __init__(self, *args, opciones, **kwargs):
        choices = [(v.lower(), etiqueta) for v, etiqueta in opciones.choices]
        super().__init__(*args, choices=choices, **kwargs)

    def filter(self, qs: QuerySet, value):
        return super().filter(qs, value.upper() if value else value)


class _Usuario:
    @property
    def usuario(self):
        return self.request.user


class FiltroEstudiantes(_Usuario, filters.FilterSet):
    seccion = filters.UUIDFilter(
        method="por_seccion", label=_("Sección (su identificador)")
    )
    ie = filters.CharFilter(
        method="por_ie", label=_("Institución educativa (código modular-anexo)")
    )
    ugel = filters.CharFilter(method="por_ugel", label=_("UGEL (su código)"))
    nivel = FiltroOpcion(field_name="seccion__nivel", opciones=Nivel, label=_("Nivel"))
    grado = filters.NumberFilter(field_name="seccion__grado", label=_("Grado"))
    riesgo = FiltroOpcion(
        method="por_riesgo", opciones=NivelRiesgo, label=_("Nivel de riesgo")
    )

    def por_seccion(self, qs: QuerySet, _nombre: str, valor) -> QuerySet:
        seccion = scoping.seccion_o_404(self.usuario, valor)
        return paginacion.acotada(qs.filter(seccion_id=seccion.pk))

    def por_ie(self, qs: QuerySet, _nombre: str, valor: str) -> QuerySet:
        ie = scoping.ie_o_404(self.usuario, valor)
        return paginacion.acotada(qs.filter(seccion__ie_id=ie.pk))

    def por_ugel(self, qs: QuerySet, _nombre: str, valor: str) -> QuerySet:
        ugel = scoping.ugel_o_404(self.usuario, valor)
        return paginacion.acotada(qs.filter(seccion__ie__ugel_id=ugel.pk))

    def por_riesgo(self, qs: QuerySet, _nombre: str, valor: str) -> QuerySet:
        # The level of `con_puntaje` (None in 5.º de secundaria), written on
        # the joined score itself: an inner join the indexes serve, where the
        # annotation's CASE would be evaluated row by row.
        return qs.filter(puntaje_vigente__nivel=valor.upper()).exclude(
            q_quinto_de_secundaria("seccion__")
        )


class FiltroSecciones(_Usuario, filters.FilterSet):
    ie = filters.CharFilter(
        method="por_ie", label=_("Institución educativa (código modular-anexo)")
    )
    nivel = FiltroOpcion(field_name="nivel", opciones=Nivel, label=_("Nivel"))
    grado = filters.NumberFilter(field_name="grado", label=_("Grado"))

    def por_ie(self, qs: QuerySet, _nombre: str, valor: str) -> QuerySet:
        return qs.filter(ie_id=scoping.ie_o_404(self.usuario, valor).pk)


class FiltroIes(_Usuario, filters.FilterSet):
    ugel = filters.CharFilter(method="por_ugel", label=_("UGEL (su código)"))

    def por_ugel(self, qs: QuerySet, _nombre: str, valor: str) -> QuerySet:
        return qs.filter(ugel_id=scoping.ugel_o_404(self.usuario, valor).pk)


class FiltroUgeles(_Usuario, filters.FilterSet):
    dre = filters.NumberFilter(method="por_dre", label=_("DRE (su número)"))

    def por_dre(self, qs: QuerySet, _nombre: str, valor) -> QuerySet:
        return qs.filter(dre_id=scoping.dre_o_404(self.usuario, int(valor)).pk)


class FiltroOrientaciones(filters.FilterSet):
    nivel = FiltroOpcion(method="por_nivel", opciones=Nivel, label=_("Nivel"))
    factor = filters.ChoiceFilter(
        field_name="factor", choices=Factor.choices, label=_("Factor de riesgo")
    )

    def por_nivel(self, qs: QuerySet, _nombre: str, valor: str) -> QuerySet:
        return qs.para_nivel(valor.upper())
