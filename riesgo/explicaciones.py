"""Why a student's risk is high: the factors that raise it most, from the model.

Method (occlusion against a reference). Each factor is a group of feature
columns (`GRUPOS`). Its contribution to a student's risk is

    p(student) - p(student with the group's columns set to the reference)

where the reference of a column is the value typical of the students who
stayed in school: over the training rows whose label is 0, the median of a
numeric column (missing if more than half of its values are missing) and the
most frequent value of a categorical one (see `referencia_calcular`). The
reference is stored with each model version, so explanations are those of
that version. A factor is named only if it raises the risk, by at least
`MINIMO_APORTE`; the `k` largest are kept, the rest padded with "".

Rules that keep the explanation honest:

- A column is occluded only on the side its phrase describes (`SENTIDO`):
  "Falta a clases con frecuencia" is never said of a student who misses fewer
  days than the typical one, whatever the model does there. Categorical
  values belong to a factor by `VALORES_PROPIOS`; in particular
  `situacion_final` is shared: RETIRADO is "retiro", DESAPROBADO / REQUIERE
  RECUPERACION "bajo_rendimiento".
- Unknown values (NaN, "DESCONOCIDO") are never replaced: the model is not
  allowed to blame a factor we know nothing about.
- Context columns (`CONTEXTO`: grado, nivel, sexo, and the school's gestión
  and size) are held at the student's own value and never named: they are not
  something a school acts on or tells a family, and they shape how much the
  other factors weigh.
- A student whose probability is below `MINIMO_APORTE` cannot have a factor
  and is not occluded at all.
- Columns a model version does not use are skipped, so a version trained on
  an older feature list still gets explanations from the groups it knows.

Everything is batched, with no Python loop over students: one predict for the
students, then one for the modified copies of all students for all factors,
stacked (only the rows a factor actually changes). When the pipeline's last step sees
its input columns one to one (an OrdinalEncoder and passthrough, as
`riesgo.training` builds it), the features are encoded once and the copies
are made on the encoded matrix; otherwise the raw table is stacked.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

DESCONOCIDO = "DESCONOCIDO"

# OpenMP threads per prediction. Scoring runs in parallel over chunks (one
# worker process per core): threads inside each process oversubscribe the
# cores, and every tree of the boosting then waits for a busy core (explaining
# 50,000 students took 6-8 s with two threads on a loaded 2-core machine,
# under 3 s with one).
HILOS = 1

# Below this rise in probability (0.2 percentage points) a factor is not
# named: it is within the model's noise and nothing a teacher could act on.
MINIMO_APORTE = 0.002

CONTEXTO = ("grado", "nivel", "sexo", "privada", "tamano_ie")

GRUPOS: dict[str, list[str]] = {
    "inasistencias": ["tasa_inasistencia", "tasa_inasistencia_anterior"],
    "bajo_rendimiento": [
        "nota_matematica",
        "nota_comunicacion",
        "tendencia_notas",
        "situacion_final",
    ],
    "repitencia": ["repite", "anios_repetidos", "desaprobo_anio_anterior"],
    "extraedad": ["extraedad"],
    "interrupcion_previa": [
        "reentrante",
        "interrupciones",
        "matriculado_anio_anterior",
    ],
    "retiro": ["retirado_anio_anterior", "situacion_final"],
    "traslados": ["cambios_ie", "traslado_en_anio"],
    "trabajo_infantil": ["trabaja", "horas_trabajo"],
    "pobreza": ["cse", "juntos"],
    "entorno_familiar": ["educacion_apoderado", "apoderado_no_padre"],
    "lengua_originaria": ["lengua_originaria"],
    "discapacidad": ["discapacidad"],
    "documento_extranjero": ["documento_extranjero"],
    "ruralidad": ["rural"],
    "contexto_escuela": ["desercion_ie_anterior", "desercion_distrito_anterior"],
}

# Numeric columns: +1 if only values above the reference are this factor
# ("more absences"), -1 if only values below it ("lower grades").
SENTIDO: dict[str, int] = {
    "tasa_inasistencia": 1,
    "tasa_inasistencia_anterior": 1,
    "nota_matematica": -1,
    "nota_comunicacion": -1,
    "tendencia_notas": -1,
    "repite": 1,
    "anios_repetidos": 1,
    "desaprobo_anio_anterior": 1,
    "extraedad": 1,
    "reentrante": 1,
    "interrupciones": 1,
    "matriculado_anio_anterior": -1,
    "retirado_anio_anterior": 1,
    "cambios_ie": 1,
    "traslado_en_anio": 1,
    "trabaja": 1,
    "horas_trabajo": 1,
    # Juntos serves poor households: a sign of poverty, not a cause.
    "juntos": 1,
    "educacion_apoderado": -1,
    "apoderado_no_padre": 1,
    "lengua_originaria": 1,
    "discapacidad": 1,
    "documento_extranjero": 1,
    "rural": 1,
    "desercion_ie_anterior": 1,
    "desercion_distrito_anterior": 1,
}

# (group, categorical column) -> the values of the column that are that factor.
VALORES_PROPIOS: dict[tuple[str, str], frozenset[str]] = {
    ("retiro", "situacion_final"): frozenset({"RETIRADO"}),
    ("bajo_rendimiento", "situacion_final"): frozenset(
        {"DESAPROBADO", "REQUIERE RECUPERACION"}
    ),
    ("pobreza", "cse"): frozenset({"POBRE", "POBRE EXTREMO"}),
}


@dataclass
class Explicacion:
    probabilidad: np.ndarray  # (n,)
    codigos: np.ndarray  # (n, k) of group codes, "" where fewer factors
    aportes: np.ndarray  # (n, k) rise in probability of each factor, 0 for ""


def referencia_calcular(X: pd.DataFrame) -> dict:
    """The reference value of each column (JSON-serialisable; None = missing).

    Meant to be given the training rows of students who stayed in school.
    """
    referencia: dict = {}
    for col in X.columns:
        serie = X[col]
        if pd.api.types.is_numeric_dtype(serie) and not pd.api.types.is_bool_dtype(
            serie
        ):
            conocidos = serie.dropna()
            if len(conocidos) == 0 or serie.isna().mean() > 0.5:
                referencia[col] = None
            else:
                referencia[col] = float(conocidos.median())
        else:
            modas = serie.astype(object).mode(dropna=True)
            referencia[col] = None if modas.empty else str(modas.iloc[0])
    return referencia


def _desconocido(serie: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(serie):
        return serie.isna().to_numpy()
    return (serie.isna() | (serie.astype(object) == DESCONOCIDO)).to_numpy()


def _difiere(serie: pd.Series, valor) -> np.ndarray:
    if valor is None:
        return serie.notna().to_numpy()
    if pd.api.types.is_numeric_dtype(serie):
        return (serie.to_numpy(dtype=float) != float(valor)) | serie.isna().to_numpy()
    return (serie.astype(object) != valor).to_numpy()


def _cambios(
    X: pd.DataFrame, referencia: dict
) -> list[tuple[str, list[str], np.ndarray]]:
    """For each group, its columns present in X and which cells occlusion changes."""
    grupos = []
    for codigo, columnas in GRUPOS.items():
        presentes = [c for c in columnas if c in X.columns and c not in CONTEXTO]
        if not presentes:
            continue
        cambia = np.zeros((len(X), len(presentes)), dtype=bool)
        for j, col in enumerate(presentes):
            if col not in referencia:
                continue
            serie = X[col]
            valor = referencia[col]
            c = _difiere(serie, valor) & ~_desconocido(serie)
            propios = VALORES_PROPIOS.get((codigo, col))
            if propios is not None:
                c &= serie.astype(object).isin(propios).to_numpy()
            sentido = SENTIDO.get(col, 0)
            if sentido and valor is not None and pd.api.types.is_numeric_dtype(serie):
                diferencia = serie.to_numpy(dtype=float) - float(valor)
                c &= sentido * diferencia > 0
            cambia[:, j] = c
        grupos.append((codigo, presentes, cambia))
    return grupos


def _codificador(pipeline, columnas: list[str]):
    """(encode, predict, position of each used column) when the pipeline's
    last step sees its input columns one to one (some may be dropped); None
    otherwise."""
    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) < 2:
        return None
    previo, final = pipeline[:-1], pipeline[-1]
    try:
        nombres = previo.get_feature_names_out()
    except (AttributeError, ValueError, TypeError):
        return None
    # ColumnTransformer may prefix names with the transformer's ("num__x").
    salida = [str(n).split("__", 1)[-1] for n in nombres]
    if not set(salida) <= set(columnas) or len(set(salida)) != len(salida):
        return None
    posicion = {c: i for i, c in enumerate(salida)}

    def codificar(tabla: pd.DataFrame) -> np.ndarray:
        return np.asarray(previo.transform(tabla[columnas]), dtype=float)

    def predecir(matriz: np.ndarray) -> np.ndarray:
        return final.predict_proba(matriz)[:, 1]

    return codificar, predecir, posicion


def _fila_referencia(X: pd.DataFrame, referencia: dict) -> pd.DataFrame:
    fila = {}
    for col in X.columns:
        valor = referencia.get(col)
        if pd.api.types.is_numeric_dtype(X[col]):
            fila[col] = [np.nan if valor is None else float(valor)]
        else:
            fila[col] = [DESCONOCIDO if valor is None else valor]
    return pd.DataFrame(fila, columns=X.columns)


def explicar(pipeline, X: pd.DataFrame, referencia: dict, k: int = 3) -> Explicacion:
    """Probability and the k factors that raise it most, for every row of X."""
    columnas = list(getattr(pipeline, "feature_names_in_", X.columns))
    X = X[columnas]
    n = len(X)
    if n == 0:
        vacio = np.empty((0, k))
        return Explicacion(np.empty(0), vacio.astype(object), vacio)
    rapido = _codificador(pipeline, columnas)

    if rapido is not None:
        codificar, predecir, indices = rapido
        base = codificar(X)
        ref = codificar(_fila_referencia(X, referencia))[0]
    else:
        # Stack the raw table; predict rebuilds a DataFrame with X's dtypes.
        base = X.to_numpy(dtype=object)
        ref = _fila_referencia(X, referencia).to_numpy(dtype=object)[0]
        indices = {c: i for i, c in enumerate(columnas)}
        tipos = X.dtypes.to_dict()

        def predecir(matriz: np.ndarray) -> np.ndarray:
            tabla = pd.DataFrame(matriz, columns=columnas).astype(tipos)
            return pipeline.predict_proba(tabla)[:, 1]

    with threadpool_limits(limits=HILOS, user_api="openmp"):
        return _explicar(X, k, base, ref, indices, predecir, referencia)


def _explicar(
    X: pd.DataFrame,
    k: int,
    base: np.ndarray,
    ref: np.ndarray,
    indices: dict[str, int],
    predecir,
    referencia: dict,
) -> Explicacion:
    """explicar() on X already encoded as `base` (reference row `ref`), where
    `indices` gives the position in `base` of each column the model uses."""
    n = len(X)
    # Columns the model does not use cannot change its prediction.
    grupos = _cambios(X[[c for c in X.columns if c in indices]], referencia)

    probabilidad = predecir(base)
    # Contributions cannot exceed the probability itself.
    candidatos = probabilidad >= MINIMO_APORTE
    bloques = []
    filas_por_grupo = []
    for _codigo, presentes, cambia in grupos:
        filas = np.flatnonzero(cambia.any(axis=1) & candidatos)
        copia = base[filas].copy()
        for j, col in enumerate(presentes):
            i = indices[col]
            copia[:, i] = np.where(cambia[filas, j], ref[i], copia[:, i])
        bloques.append(copia)
        filas_por_grupo.append(filas)

    apilado = np.concatenate(bloques) if bloques else base[:0]
    ocluida = predecir(apilado) if len(apilado) else np.empty(0)
    aportes_grupo = np.zeros((n, len(grupos)))
    inicio = 0
    for g, filas in enumerate(filas_por_grupo):
        fin = inicio + len(filas)
        aportes_grupo[filas, g] = probabilidad[filas] - ocluida[inicio:fin]
        inicio = fin

    codigos_grupo = np.array([g[0] for g in grupos] + [""], dtype=object)
    # Pad with an empty "group" so that k may exceed the number of groups.
    relleno = max(k - len(grupos), 0)
    aportes_ext = np.hstack([aportes_grupo, np.zeros((n, relleno))])
    indices_ext = np.arange(aportes_ext.shape[1])
    indices_ext[len(grupos) :] = len(grupos)
    # Stable sort: among equal contributions, the order of GRUPOS decides.
    orden = np.argsort(-aportes_ext, axis=1, kind="stable")[:, :k]
    aportes = np.take_along_axis(aportes_ext, orden, axis=1)
    codigos = codigos_grupo[indices_ext[orden]]
    nombrado = aportes >= MINIMO_APORTE
    codigos = np.where(nombrado, codigos, "").astype(object)
    aportes = np.where(nombrado, aportes, 0.0)
    return Explicacion(
        probabilidad=np.asarray(probabilidad, dtype=float),
        codigos=codigos.reshape(n, k),
        aportes=aportes.reshape(n, k),
    )
