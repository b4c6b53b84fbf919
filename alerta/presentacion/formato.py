"""How figures of the portal read, in es-PE."""

from functools import cache

from django.db.models import Choices
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def etiqueta(opciones: type[Choices], valor: object) -> str:
    """A stored choice as people read it (what get_FOO_display gives: the
    value itself when it is not a choice), for rows of lists and workbooks:
    get_FOO_display builds a dict of every label on each call."""
    return _etiquetas(opciones, get_language()).get(valor, valor)


@cache
def _etiquetas(opciones: type[Choices], idioma: str | None) -> dict:
    return {valor: str(texto) for valor, texto in opciones.choices}


def duracion_texto(segundos: float | None) -> str:
    if segundos is None:
        return "—"
    if segundos < 0.1:
        return _("menos de %(s)s s") % {"s": number_format(0.1, 1)}
    if segundos < 60:
        return _("%(s)s s") % {"s": number_format(segundos, 1)}
    minutos, s = divmod(round(segundos), 60)
    if minutos < 60:
        return _("%(m)d min %(s)d s") % {"m": minutos, "s": s}
    horas, minutos = divmod(minutos, 60)
    return _("%(h)d h %(m)d min") % {"h": horas, "m": minutos}
