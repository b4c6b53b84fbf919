"""Reads of an evaluation: its units as a table, the counts per stratum and
arm, and the balance table. Callers pass units already scoped
(pilotos.scoping.unidades_visibles)."""

from collections import Counter

import pandas as pd
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from .balance import COVARIABLES, FilaBrazo, tabla_de_balance
from .models import Evaluacion, UnidadEvaluacion
from .services import redibujar


def tabla_de_unidades(unidades: QuerySet[UnidadEvaluacion]) -> pd.DataFrame:
    filas = list(unidades.values("codigo", "estrato", "brazo", *COVARIABLES))
    return pd.DataFrame(filas, columns=["codigo", "estrato", "brazo", *COVARIABLES])


def balance(
    evaluacion: Evaluacion, unidades: QuerySet[UnidadEvaluacion]
) -> list[FilaBrazo]:
    datos = tabla_de_unidades(unidades).astype({c: float for c in COVARIABLES})
    brazos = [b["codigo"] for b in evaluacion.brazos]
    return tabla_de_balance(datos, brazos, evaluacion.control)


def conteos_por_estrato(
    evaluacion: Evaluacion, unidades: QuerySet[UnidadEvaluacion]
) -> list[tuple[str, list[int], int]]:
    """Rows (estrato, units per arm in the arms' order, total)."""
    brazos = [b["codigo"] for b in evaluacion.brazos]
    cuenta = Counter(unidades.values_list("estrato", "brazo"))
    estratos = sorted({e for e, _b in cuenta})
    filas = []
    for e in estratos:
        por_brazo = [cuenta[(e, b)] for b in brazos]
        filas.append((e, por_brazo, sum(por_brazo)))
    return filas


def se_reproduce(evaluacion: Evaluacion) -> bool | None:
    """Whether drawing again from what is stored gives every unit its arm;
    None before the draw."""
    if evaluacion.sorteada_en is None:
        return None
    try:
        redibujado = redibujar(evaluacion)
    except ValidationError:
        return False
    return redibujado == dict(evaluacion.unidades.values_list("codigo", "brazo"))
