"""The factors of a student's risk in a teacher's words, and their guidance.

Kept apart from riesgo.explicaciones (which needs pandas and scikit-learn) so
that the pages that show factors load neither.
"""

from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from orientaciones.models import Factor

from .models import NivelRiesgo

# The levels whose factors people see. A student at bajo has factors too (the
# model always names the three that weigh most), but "what raises the risk" of
# a student at low risk reads as a contradiction: lists, the student's page and
# the workbooks show them for alto and medio only.
NIVELES_CON_FACTORES = frozenset({NivelRiesgo.ALTO, NivelRiesgo.MEDIO})


def muestra_factores(nivel_riesgo: str | None) -> bool:
    """Whether the factors of a score at `nivel_riesgo` are shown."""
    return nivel_riesgo in NIVELES_CON_FACTORES


FACTOR_ORIENTACION: dict[str, str | None] = {
    "inasistencias": Factor.INASISTENCIAS,
    "bajo_rendimiento": Factor.BAJO_RENDIMIENTO,
    "repitencia": Factor.REPITENCIA,
    "extraedad": Factor.EXTRAEDAD,
    "interrupcion_previa": Factor.INTERRUPCION_PREVIA,
    "retiro": Factor.RETIRO,
    "traslados": Factor.TRASLADOS,
    "trabajo_infantil": Factor.TRABAJO_INFANTIL,
    "pobreza": Factor.POBREZA,
    "entorno_familiar": Factor.ENTORNO_FAMILIAR,
    "lengua_originaria": Factor.LENGUA_ORIGINARIA,
    "discapacidad": Factor.DISCAPACIDAD,
    "documento_extranjero": Factor.DOCUMENTO_EXTRANJERO,
    "ruralidad": Factor.RURALIDAD,
    "contexto_escuela": Factor.CONTEXTO_ESCUELA,
}

FRASES = {
    "inasistencias": _("Falta a clases con frecuencia"),
    "bajo_rendimiento": _("Tiene notas bajas o desaprobó el año"),
    "repitencia": _("Ha repetido de grado"),
    "extraedad": _("Tiene más edad de la esperada para su grado"),
    "interrupcion_previa": _("Dejó de estudiar algún año"),
    "retiro": _("Se retiró de la escuela este año o el anterior"),
    "traslados": _("Ha cambiado de escuela"),
    "trabajo_infantil": _("Trabaja mientras estudia"),
    "pobreza": _("Su hogar vive en pobreza"),
    "entorno_familiar": _(
        "Su apoderado tiene pocos años de estudio o no es su padre ni su madre"
    ),
    "lengua_originaria": _("Su lengua materna es una lengua originaria"),
    "discapacidad": _("Tiene una discapacidad"),
    "documento_extranjero": _("Tiene documento de identidad extranjero"),
    "ruralidad": _("Estudia en una escuela rural"),
    "contexto_escuela": _(
        "En su escuela o su distrito muchos estudiantes dejaron de estudiar el "
        "año pasado"
    ),
}


def frase(codigo: str) -> str:
    """What a factor means, in words a teacher understands."""
    texto = FRASES.get(codigo)
    return str(texto) if texto is not None else codigo


@dataclass(frozen=True)
class FactorMostrado:
    codigo: str
    frase: str
    url: str | None  # the orientaciones about it, for the student's nivel


def factores_mostrados(codigos: list[str], nivel: str) -> list[FactorMostrado]:
    """A score's factor codes as phrases with their guidance link ("" skipped)."""
    idioma = get_language()
    return [_mostrado(codigo, nivel, idioma) for codigo in codigos if codigo]


@cache
def _mostrado(codigo: str, nivel: str, idioma: str | None) -> FactorMostrado:
    # Lists show three factors a row: the phrase and the link are built once
    # per factor, nivel and language (reverse and gettext cost more than the
    # rest of a row). The URL conf and the phrases do not change while the
    # process runs.
    factor = FACTOR_ORIENTACION.get(codigo)
    url = (
        f"{reverse('orientaciones:lista')}?"
        f"{urlencode({'factor': factor, 'nivel': nivel})}"
        if factor
        else None
    )
    return FactorMostrado(codigo, str(frase(codigo)), url)
