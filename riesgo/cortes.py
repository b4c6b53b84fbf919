"""The one rule that turns a probability into a risk level, and how it reads.

alto if p >= corte_alto, medio if p >= corte_medio, bajo otherwise. `niveles`
is the only place where a probability is compared with a cut-off: scoring,
`ModeloRiesgo.nivel_para`, the training metrics and every phrase or cell that
shows a probability beside its level go through it (a scalar is a one-element
array), so that the rule cannot differ between them.

Figures are said so that they never contradict the rule: a cut-off is shown
exactly ("2,8 %", or "2,8352 %" for an older version whose cut-offs were not
rounded), and a student's probability with the fewest decimals that keep it on
the side of the cut-off its level says (2.79 % beside a 2.8 % cut-off reads
"2,79 %", never "2,8 %" or "3 %").
"""

import math
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import NivelRiesgo

# Stored probabilities keep six decimals (four of a percentage): the level is
# taken from the stored value, so that the figure and its level always agree.
DECIMALES_PROBABILIDAD = 6
# Cut-offs are stored with three significant digits, so that they can be said
# exactly in a sentence (see docs/decisions/0004-cortes-por-cuota.md).
CIFRAS_CORTE = 3
CIEN = Decimal(100)


def niveles(probabilidades, corte_alto: float, corte_medio: float) -> np.ndarray:
    """The level of each probability: the rule, written once."""
    p = np.asarray(probabilidades, dtype=float)
    return np.select(
        [p >= corte_alto, p >= corte_medio],
        [NivelRiesgo.ALTO.value, NivelRiesgo.MEDIO.value],
        NivelRiesgo.BAJO.value,
    )


def nivel(probabilidad: float, corte_alto: float, corte_medio: float) -> str:
    return str(niveles([probabilidad], corte_alto, corte_medio)[0])


def probabilidades_guardadas(probabilidades) -> np.ndarray:
    """Probabilities as a score stores them (and as its level is taken from)."""
    return np.round(np.asarray(probabilidades, dtype=float), DECIMALES_PROBABILIDAD)


def corte_redondeado(corte: float) -> float:
    """A cut-off with CIFRAS_CORTE significant digits (0.0283517 -> 0.0284)."""
    if corte <= 0:
        return corte
    return float(f"{corte:.{CIFRAS_CORTE}g}")


# --- How the figures read (es-PE separators through the active locale) --------


def _decimales(d: Decimal) -> int:
    return max(0, -d.normalize().as_tuple().exponent)


def _texto(d: Decimal, decimales: int) -> str:
    return f"{number_format(d, decimales)}\xa0%"


def corte_en_porcentaje(corte: float) -> Decimal:
    """The cut-off as a percentage, exactly as far as stored probabilities can
    tell: beyond their six decimals it is rounded up, which classifies every
    stored probability the same way."""
    exacto = Decimal(repr(float(corte))) * CIEN
    paso = Decimal(1).scaleb(-(DECIMALES_PROBABILIDAD - 2))
    return exacto.quantize(paso, ROUND_CEILING).normalize()


def texto_decimal(valor: float, decimales: int) -> str:
    """A figure as "0,905", rounded half up (number_format alone cuts a float's
    digits: 0.0587 would read 0,058)."""
    d = Decimal(repr(float(valor))).quantize(
        Decimal(1).scaleb(-decimales), ROUND_HALF_UP
    )
    return number_format(d, decimales)


def texto_corte(corte: float) -> str:
    """A cut-off as "2,8 %", with every decimal it has."""
    d = corte_en_porcentaje(corte)
    return _texto(d, _decimales(d))


def probabilidad_en_porcentaje(
    probabilidad: float, corte_alto: float, corte_medio: float, *, minimo: int = 0
) -> Decimal:
    """The probability as a percentage with the fewest decimals (at least
    `minimo`) that leave it on the same side of both cut-offs as itself."""
    p = float(probabilidad)
    su_nivel = nivel(p, corte_alto, corte_medio)
    exacto = Decimal(repr(p)) * CIEN
    for decimales in range(minimo, DECIMALES_PROBABILIDAD - 1):
        q = exacto.quantize(Decimal(1).scaleb(-decimales), ROUND_HALF_UP)
        if nivel(float(q / CIEN), corte_alto, corte_medio) == su_nivel:
            return q
    return exacto.quantize(Decimal(1).scaleb(-(DECIMALES_PROBABILIDAD - 2)))


def texto_probabilidad(
    probabilidad: float, corte_alto: float, corte_medio: float, *, minimo: int = 0
) -> str:
    """A student's probability as "2,79 %" (see probabilidad_en_porcentaje)."""
    q = probabilidad_en_porcentaje(probabilidad, corte_alto, corte_medio, minimo=minimo)
    return _texto(q, max(minimo, _decimales(q)))


# --- Sentences -----------------------------------------------------------------


def frase_de_nivel(nivel_riesgo: str, corte_alto: float, corte_medio: float) -> str:
    """What a level means, in one sentence, with the cut-offs' exact figures."""
    alto, medio = texto_corte(corte_alto), texto_corte(corte_medio)
    if nivel_riesgo == NivelRiesgo.ALTO:
        return _(
            "Riesgo alto (naranja): la probabilidad estimada de no matricularse "
            "el año siguiente es de %(alto)s o más."
        ) % {"alto": alto}
    if nivel_riesgo == NivelRiesgo.MEDIO:
        return _(
            "Riesgo medio (amarillo): la probabilidad es de %(medio)s o más, y "
            "menor que %(alto)s."
        ) % {"medio": medio, "alto": alto}
    return _("Riesgo bajo (verde): la probabilidad es menor que %(medio)s.") % {
        "medio": medio
    }


def frases_de_niveles(corte_alto: float, corte_medio: float) -> list[str]:
    return [
        frase_de_nivel(n, corte_alto, corte_medio)
        for n in (NivelRiesgo.ALTO, NivelRiesgo.MEDIO, NivelRiesgo.BAJO)
    ]


def de_cada(parte: int, total: int) -> tuple[int, int] | None:
    """(k, n) when parte / total is exactly "k de cada n" (n 10, 100 or 1000,
    k at least 1); None otherwise: a rounded "de cada" would say a figure that
    is not the real one."""
    if total <= 0 or parte <= 0:
        return None
    for n in (10, 100, 1000):
        if (parte * n) % total == 0:
            return parte * n // total, n
    return None


def texto_proporcion(parte: int, total: int) -> str:
    """A share as a percentage, with one decimal, or as many as it takes for a
    share above zero not to read 0 %."""
    if total <= 0:
        return "—"
    d = Decimal(parte) / Decimal(total) * CIEN
    decimales = 1
    if parte:
        decimales = max(1, min(4, -math.floor(math.log10(float(d)))))
    q = d.quantize(Decimal(1).scaleb(-decimales), ROUND_HALF_UP)
    return _texto(q, decimales)
