"""How figures of the portal read, in es-PE."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _


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
