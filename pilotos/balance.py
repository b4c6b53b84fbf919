"""The balance table of a draw: per arm, its size and the covariates' means;
each treatment arm's normalised difference against control; and a joint test
of orthogonality.

The joint test, for each treatment arm: among that arm's and control's units,
a linear probability model of "in the arm" on the covariates with strata fixed
effects (statsmodels OLS), and the F test that every covariate's coefficient
is zero. A large p-value is what a fair draw gives; a small one (below 0.05)
says the arm differs from control on the covariates more than chance would
usually make it.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from django.utils.translation import gettext_lazy as _

COVARIABLES = {
    "tamano": _("Estudiantes"),
    "proporcion_rural": _("Proporción rural"),
    "proporcion_medio_alto": _("Proporción en riesgo medio o alto"),
    "desercion_anterior": _("Retiro del año anterior"),
}
UMBRAL_DIFERENCIA = 0.25
UMBRAL_P = 0.05


@dataclass
class FilaBrazo:
    brazo: str
    n: int
    medias: dict[str, float | None]
    # Against control; empty for the control arm.
    diferencias: dict[str, float | None] = field(default_factory=dict)
    # Joint test against control: F statistic and its p-value.
    f: float | None = None
    p: float | None = None


def diferencia_normalizada(t: pd.Series, c: pd.Series) -> float | None:
    """(m_t − m_c) / sqrt((s_t² + s_c²) / 2), sample variances (ddof 1)."""
    t, c = t.dropna(), c.dropna()
    if len(t) < 2 or len(c) < 2:
        return None
    escala = math.sqrt((t.var() + c.var()) / 2)
    if escala == 0:
        return 0.0 if t.mean() == c.mean() else None
    return float((t.mean() - c.mean()) / escala)


def prueba_conjunta(
    datos: pd.DataFrame, brazo: str, control: str
) -> tuple[float, float] | None:
    """F test that the covariates do not predict being in `brazo` rather than
    `control`, with strata fixed effects. None when it cannot be estimated."""
    d = datos[datos["brazo"].isin([brazo, control])].copy()
    d["tratado"] = (d["brazo"] == brazo).astype(float)
    # Covariates with a value for every unit and some variation.
    usadas = [c for c in COVARIABLES if d[c].notna().all() and d[c].nunique() > 1]
    if not usadas:
        return None
    efectos = " + C(estrato)" if d["estrato"].nunique() > 1 else ""

    def modelo(covariables: list[str]):
        return smf.ols(f"tratado ~ {' + '.join(['1', *covariables])}{efectos}", data=d)

    # A covariate the strata (or the others) already determine, such as the
    # rural share where each stratum is all rural or all urban, cannot be
    # tested: it is left out rather than making the design singular.
    independientes: list[str] = []
    for c in usadas:
        exog = modelo([*independientes, c]).exog
        if np.linalg.matrix_rank(exog) == exog.shape[1]:
            independientes.append(c)
    usadas = independientes
    if not usadas:
        return None
    ajuste = modelo(usadas).fit()
    if ajuste.df_resid < 1:
        return None
    prueba = ajuste.f_test(", ".join(f"{c} = 0" for c in usadas))
    return float(np.squeeze(prueba.fvalue)), float(prueba.pvalue)


def tabla_de_balance(
    datos: pd.DataFrame, brazos: list[str], control: str
) -> list[FilaBrazo]:
    """`datos`: one row per unit with `brazo`, `estrato` and the covariates."""
    filas = []
    for brazo in brazos:
        del_brazo = datos[datos["brazo"] == brazo]
        medias = {
            c: (None if del_brazo[c].dropna().empty else float(del_brazo[c].mean()))
            for c in COVARIABLES
        }
        fila = FilaBrazo(brazo=brazo, n=len(del_brazo), medias=medias)
        if brazo != control:
            del_control = datos[datos["brazo"] == control]
            fila.diferencias = {
                c: diferencia_normalizada(del_brazo[c], del_control[c])
                for c in COVARIABLES
            }
            resultado = prueba_conjunta(datos, brazo, control)
            if resultado is not None:
                fila.f, fila.p = resultado
        filas.append(fila)
    return filas
