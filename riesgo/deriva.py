"""Drift watch: how far the students scored tonight are from the model's
training data, by the population stability index (PSI).

When a version is trained, `referencia_deriva` stores the bins of each of its
features and of its predicted probability (`PUNTAJE`), with the share of the
training rows (of the validation rows for the probability) in each bin:

    numeric:     {"tipo": "numerica", "cortes": [c1 < ... < ck],
                  "esperado": [k + 1 bin shares..., share missing]}
                 bins (-inf, c1], (c1, c2], ..., (ck, +inf), then missing;
                 the cuts are the training deciles, deduplicated.
    categorical: {"tipo": "categorica", "categorias": [...],
                  "esperado": [one share per category..., share of others]}

Each chunk of a nightly run counts its rows into those same bins (`contar`);
counts add up, so the closing step sums the chunks' counts (`sumar`) and
computes the PSI of each variable (`psi`) without reading the students again.

    PSI = sum over bins of (a - e) * ln(a / e)

with a and e the observed and expected shares. A bin empty on either side
would make it infinite: both shares are floored at `PISO` (0.0001), the usual
choice, so an empty bin adds a large but finite term.
"""

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from django.conf import settings

from .models import NivelDeriva

# The predicted probability, beside the features (no feature has this name).
PUNTAJE = "puntaje"
TRAMOS = 10
PISO = 1e-4
NUMERICA = "numerica"
CATEGORICA = "categorica"


def tramos_numericos(serie: pd.Series, tramos: int = TRAMOS) -> dict:
    """The bins of a numeric column at its quantiles, and their shares."""
    valores = pd.to_numeric(serie, errors="coerce").to_numpy(dtype=float)
    conocidos = valores[~np.isnan(valores)]
    if len(conocidos):
        # Observed values as cuts (no interpolation): a 0/1 column is cut at
        # 0 and 1, not at 0.3.
        cuantiles = np.quantile(
            conocidos, np.linspace(0, 1, tramos + 1)[1:-1], method="lower"
        )
        cortes = np.unique(cuantiles)
    else:
        cortes = np.array([], dtype=float)
    referencia = {"tipo": NUMERICA, "cortes": cortes.tolist()}
    referencia["esperado"] = _proporciones(contar_variable(referencia, serie))
    return referencia


def tramos_categoricos(serie: pd.Series) -> dict:
    """The share of each category seen in training, and of any other."""
    categorias = serie.astype(object).fillna("").astype(str).value_counts()
    referencia = {"tipo": CATEGORICA, "categorias": categorias.index.tolist()}
    referencia["esperado"] = _proporciones(contar_variable(referencia, serie))
    return referencia


def referencia_deriva(
    X: pd.DataFrame,
    *,
    numericas: Iterable[str],
    categoricas: Iterable[str],
    probabilidades: np.ndarray,
) -> dict:
    """The reference bins of every feature of a version and of its score."""
    referencia = {c: tramos_numericos(X[c]) for c in numericas}
    referencia |= {c: tramos_categoricos(X[c]) for c in categoricas}
    referencia[PUNTAJE] = tramos_numericos(pd.Series(probabilidades))
    return referencia


def contar_variable(referencia: Mapping, serie: pd.Series) -> np.ndarray:
    """Rows per bin of `referencia` (the same order as its shares)."""
    if referencia["tipo"] == NUMERICA:
        valores = pd.to_numeric(serie, errors="coerce").to_numpy(dtype=float)
        cortes = np.asarray(referencia["cortes"], dtype=float)
        faltan = np.isnan(valores)
        # side="left": a value equal to a cut falls in the bin it closes.
        tramo = np.searchsorted(cortes, valores[~faltan], side="left")
        conteos = np.bincount(tramo, minlength=len(cortes) + 1)
        return np.append(conteos, faltan.sum()).astype(np.int64)
    categorias = referencia["categorias"]
    textos = serie.astype(object).fillna("").astype(str)
    # Unseen categories get code -1: shifted to 0, the "others" bucket, last.
    codigos = pd.Index(categorias).get_indexer(textos).astype(np.int64)
    conteos = np.bincount(codigos + 1, minlength=len(categorias) + 1)
    return np.roll(conteos, -1).astype(np.int64)


def contar(
    referencia: Mapping[str, Mapping], X: pd.DataFrame, probabilidades
) -> dict[str, list[int]]:
    """A chunk's rows per bin of every variable of the reference (JSON-ready)."""
    conteos = {}
    for variable, tramos in referencia.items():
        if variable == PUNTAJE:
            serie = pd.Series(np.asarray(probabilidades, dtype=float))
        elif variable in X:
            serie = X[variable]
        else:
            continue
        conteos[variable] = contar_variable(tramos, serie).tolist()
    return conteos


def sumar(partes: Iterable[Mapping[str, list[int]]]) -> dict[str, list[int]]:
    """The counts of several chunks added up, variable by variable."""
    total: dict[str, np.ndarray] = {}
    for parte in partes:
        for variable, conteos in parte.items():
            previo = total.get(variable)
            conteos = np.asarray(conteos, dtype=np.int64)
            total[variable] = conteos if previo is None else previo + conteos
    return {v: c.tolist() for v, c in total.items()}


def _proporciones(conteos) -> list[float]:
    conteos = np.asarray(conteos, dtype=float)
    total = conteos.sum()
    return (conteos / total if total else conteos).tolist()


def psi(esperado, observado) -> float:
    """Population stability index of observed counts (or shares) against
    expected shares, both floored at PISO."""
    e = np.maximum(np.asarray(esperado, dtype=float), PISO)
    o = np.asarray(observado, dtype=float)
    a = np.maximum(o / o.sum() if o.sum() else o, PISO)
    return float(np.sum((a - e) * np.log(a / e)))


def nivel(valor: float) -> str:
    """estable, moderada or importante, by the settings' thresholds."""
    if valor >= settings.DERIVA_PSI_IMPORTANTE:
        return NivelDeriva.IMPORTANTE
    if valor >= settings.DERIVA_PSI_MODERADA:
        return NivelDeriva.MODERADA
    return NivelDeriva.ESTABLE


def psi_por_variable(
    referencia: Mapping[str, Mapping], conteos: Mapping[str, list[int]]
) -> dict[str, float]:
    """The PSI of every variable of the reference that has rows counted."""
    resultado = {}
    for variable, tramos in referencia.items():
        observado = conteos.get(variable)
        if observado is None or sum(observado) == 0:
            continue
        if len(observado) != len(tramos["esperado"]):
            raise ValueError(f"Counts of {variable} do not match its bins")
        resultado[variable] = psi(tramos["esperado"], observado)
    return resultado
