"""Train a risk model from the imported history and validate it on a later year.

Labels come from two consecutive imported years (see `features.etiquetas`). The
model is trained on the earlier year pairs and validated on the latest pair
whose outcome is known; with a single pair, on a held-out fifth of it. The
validation year is never a training year.

The model is a gradient-boosting classifier (HistGradientBoosting, missing
values and categories handled natively) whose probabilities are calibrated
with a sigmoid fitted on out-of-fold predictions of the training data (folds
by student, so that a student's other years never predict their own). A
logistic regression, the first version's model, is trained and validated on
the same rows as the baseline it has to beat. See
docs/decisions/0008-modelo-de-riesgo.md.

`ModeloRiesgo.metricas` holds (the model pages read exactly these keys):

    validacion: {anio, n, tasa_desercion}
    entrenamiento: {anios, n}
    modelo, base: BLOQUE
    por_grupo: {area: {RURAL, URBANA}, sexo: {HOMBRE, MUJER},
                lengua: {ORIGINARIA, CASTELLANO},
                nivel: {INICIAL, PRIMARIA, SECUNDARIA}} -> BLOQUE (empty ones left out)
    oraculo: {n, roc_auc, roc_auc_modelo, brecha}   (only given the oracle's
                                                   probabilities)
    cortes: {regla, alto, medio}
    en_palabras: [sentences for users]

    BLOQUE: {n, desertores, roc_auc, pr_auc, brier, ece,
             calibracion: [{desde, hasta, n, predicho, observado}] (10 tramos),
             alto: {proporcion, precision, recall},
             alto_medio: {proporcion, precision, recall},
             medio: {proporcion}, bajo: {proporcion}}

None (null) where a value is undefined, e.g. ROC-AUC in a group with one class.

`ModeloRiesgo.referencia_deriva` holds the bins of each feature on the training
rows (of the years whose year before is imported, when there are any) and of the
score on the validation rows, which the nightly runs compare
with (see riesgo.deriva).
"""

import logging
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from alerta.models import Area, Estudiante, Nivel, Sexo, Usuario

from . import artefactos
from .cortes import (
    corte_redondeado,
    de_cada,
    niveles,
    texto_corte,
    texto_proporcion,
)
from .deriva import referencia_deriva
from .explicaciones import referencia_calcular
from .features import (
    CATEGORICAS,
    NUMERICAS,
    anios_con_matricula,
    construir_features,
    etiquetas,
)
from .models import ModeloRiesgo, NivelRiesgo

logger = logging.getLogger(__name__)

ALGORITMO = "HistGradientBoosting calibrado (sigmoide)"

# Shares of students flagged alto and medio: those the impact evaluation of
# Alerta Escuela reports for its sample (10.7 % alto, 14.6 % medio).
CUOTA_ALTO = 0.107
CUOTA_MEDIO = 0.146

# Tuned on generated regions (20,000 and 60,000 students a year) without
# looking at the validation year: trained on the earlier training years and
# compared on the last one, four seeds each. The generator's dropout is close
# to additive on the log-odds scale, so small trees (up to three splits) do
# as well as deeper ones (ROC-AUC within 0.002 across 3-15 leaves and rates
# 0.05-0.2). max_iter bounds the trees to evaluate when scoring and
# explaining (capping 60,000-student regions at 300 changed nothing). Stopped
# early on a tenth of the training rows.
HIPERPARAMETROS = {
    "learning_rate": 0.1,
    "max_iter": 300,
    "max_leaf_nodes": 4,
    "min_samples_leaf": 100,
    "l2_regularization": 0.0,
    "early_stopping": True,
    "validation_fraction": 0.1,
    "n_iter_no_change": 30,
}
# Folds of the calibration's cross-validation (by student).
PLIEGUES = 5
TRAMOS_CALIBRACION = 10


class DatosInsuficientes(Exception):
    pass


def pipeline_modelo(
    semilla: int = 0,
    *,
    numericas: list[str] | None = None,
    categoricas: list[str] | None = None,
    filas: int | None = None,
) -> Pipeline:
    """Ordinal-encoded categoricals and NaN passed to a calibrated boosting.

    The categorical codes are split on as numbers: HistGradientBoosting's own
    categorical support stores a functools.partial in the fitted model, which
    riesgo.artefactos refuses to load, and with two to five categories per
    column ordinal splits do as well. The encoder is the first step, so that
    explanations encode the features once (see riesgo.explicaciones).
    Columns left out (e.g. all missing in the training years) are dropped.
    With `filas`, the number of training rows, a leaf holds at least 0.5 % of
    them (between 5 and HIPERPARAMETROS' 100): a small region still gets a
    model that splits.
    """
    numericas = NUMERICAS if numericas is None else numericas
    categoricas = CATEGORICAS if categoricas is None else categoricas
    preprocesar = ColumnTransformer(
        [
            ("num", "passthrough", numericas),
            (
                "cat",
                OrdinalEncoder(
                    handle_unknown="use_encoded_value",
                    unknown_value=np.nan,
                    encoded_missing_value=np.nan,
                ),
                categoricas,
            ),
        ],
        verbose_feature_names_out=False,
    )
    parametros = dict(HIPERPARAMETROS)
    if filas is not None:
        parametros["min_samples_leaf"] = int(
            np.clip(filas // 200, 5, HIPERPARAMETROS["min_samples_leaf"])
        )
    boosting = HistGradientBoostingClassifier(random_state=semilla, **parametros)
    calibrado = CalibratedClassifierCV(
        boosting, method="sigmoid", cv=PLIEGUES, ensemble=False
    )
    return Pipeline([("preprocesar", preprocesar), ("clasificador", calibrado)])


def pipeline_base(*, numericas: list[str] | None = None) -> Pipeline:
    """The baseline: the first version's logistic regression."""
    numericas = NUMERICAS if numericas is None else numericas
    preprocesar = ColumnTransformer(
        [
            (
                "num",
                make_pipeline(
                    SimpleImputer(strategy="median", add_indicator=True),
                    StandardScaler(),
                ),
                numericas,
            ),
            ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAS),
        ]
    )
    return Pipeline(
        [
            ("preprocesar", preprocesar),
            ("clasificador", LogisticRegression(max_iter=2000)),
        ]
    )


def pares_con_resultado() -> list[int]:
    """Years t whose outcome (enrollment in t+1) is in the database."""
    anios = anios_con_matricula()
    return [t for t in anios if t + 1 in anios]


def _datos(anio: int) -> tuple[pd.DataFrame, pd.Series]:
    X = construir_features(anio)
    y = etiquetas(anio, X)
    return X.loc[y.index], y


def _pliegues_por_estudiante(
    estudiantes: pd.Series, semilla: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Cross-validation folds that keep all the rows of a student together."""
    codigos, unicos = pd.factorize(estudiantes)
    rng = np.random.default_rng(semilla)
    pliegue_de = rng.permutation(len(unicos)) % PLIEGUES
    pliegue = pliegue_de[codigos]
    todas = np.arange(len(estudiantes))
    return [(todas[pliegue != f], todas[pliegue == f]) for f in range(PLIEGUES)]


def cortes_por_cuota(probabilidades: np.ndarray) -> tuple[float, float]:
    """Cut-offs flagging the top CUOTA_ALTO as alto, the next CUOTA_MEDIO as medio."""
    alto = float(np.quantile(probabilidades, 1 - CUOTA_ALTO))
    medio = float(np.quantile(probabilidades, 1 - CUOTA_ALTO - CUOTA_MEDIO))
    medio = max(medio, 1e-6)
    alto = min(max(alto, medio + 1e-6), 1 - 1e-6)
    # Said exactly in sentences: three significant digits, unless that would
    # merge the two (probabilities all but equal).
    redondeados = corte_redondeado(alto), corte_redondeado(medio)
    if 0 < redondeados[1] < redondeados[0] < 1:
        return redondeados
    return alto, medio


# --- Metrics -----------------------------------------------------------------


def _o_nulo(valor: float) -> float | None:
    return None if valor is None or not math.isfinite(valor) else float(valor)


def _marcados(y: np.ndarray, marcado: np.ndarray) -> dict:
    positivos = int(y.sum())
    return {
        "proporcion": float(marcado.mean()),
        "precision": float(y[marcado].mean()) if marcado.any() else None,
        "recall": float(y[marcado].sum() / positivos) if positivos else None,
    }


def _tramos(y: np.ndarray, p: np.ndarray) -> list[dict]:
    """Equal-count bins of the predictions, lowest first."""
    orden = np.argsort(p, kind="stable")
    tramos = []
    for idx in np.array_split(orden, TRAMOS_CALIBRACION):
        if len(idx) == 0:
            continue
        desde, hasta = float(p[idx].min()), float(p[idx].max())
        tramos.append(
            {
                "desde": desde,
                "hasta": hasta,
                "n": len(idx),
                # The mean of equal values can round one ulp outside them.
                "predicho": min(max(float(p[idx].mean()), desde), hasta),
                "observado": float(y[idx].mean()),
            }
        )
    return tramos


def bloque(y, p, corte_alto: float, corte_medio: float) -> dict:
    """Quality of probabilities `p` against outcomes `y` (see the module doc)."""
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    dos_clases = 0 < y.sum() < len(y)
    tramos = _tramos(y, p)
    ece = sum(t["n"] * abs(t["predicho"] - t["observado"]) for t in tramos) / len(y)
    nivel = niveles(p, corte_alto, corte_medio)
    alto = nivel == NivelRiesgo.ALTO
    alto_medio = nivel != NivelRiesgo.BAJO
    return {
        "n": len(y),
        "desertores": int(y.sum()),
        "roc_auc": _o_nulo(roc_auc_score(y, p)) if dos_clases else None,
        "pr_auc": _o_nulo(average_precision_score(y, p)) if dos_clases else None,
        "brier": float(brier_score_loss(y, p, labels=[0, 1])),
        "ece": float(ece),
        "calibracion": tramos,
        "alto": _marcados(y, alto),
        "alto_medio": _marcados(y, alto_medio),
        "medio": {"proporcion": float((alto_medio & ~alto).mean())},
        "bajo": {"proporcion": float((~alto_medio).mean())},
    }


def _por_grupo(X: pd.DataFrame, y, p, corte_alto, corte_medio) -> dict:
    y = np.asarray(y)
    dimensiones = {
        "area": X["rural"].map({1.0: Area.RURAL.value, 0.0: Area.URBANA.value}),
        "sexo": X["sexo"],
        "lengua": X["lengua_originaria"].map({1.0: "ORIGINARIA", 0.0: "CASTELLANO"}),
        "nivel": X["nivel"],
    }
    valores = {
        "area": [Area.RURAL.value, Area.URBANA.value],
        "sexo": [Sexo.HOMBRE.value, Sexo.MUJER.value],
        "lengua": ["ORIGINARIA", "CASTELLANO"],
        "nivel": [Nivel.INICIAL.value, Nivel.PRIMARIA.value, Nivel.SECUNDARIA.value],
    }
    resultado = {}
    for dimension, serie in dimensiones.items():
        grupos = {}
        for valor in valores[dimension]:
            en = (serie == valor).to_numpy()
            if en.any():
                grupos[valor] = bloque(y[en], p[en], corte_alto, corte_medio)
        resultado[dimension] = grupos
    return resultado


def _oraculo(
    probabilidades: Mapping[str, float], estudiantes: pd.Series, y, p
) -> dict | None:
    """The oracle's ROC-AUC and the model's on the same validation students.

    `probabilidades`: the oracle's probability of each student of the
    validation year, by SIAGIE code (read on the generator's side, see
    siagie_import.sintetico.oraculo)."""
    ids = estudiantes.unique().tolist()
    codigos: dict[int, str] = {}
    for i in range(0, len(ids), 5000):
        codigos.update(
            Estudiante.objects.filter(pk__in=ids[i : i + 5000]).values_list(
                "pk", "codigo_siagie"
            )
        )
    probabilidad = (
        estudiantes.map(codigos)
        .map(pd.Series(probabilidades, dtype=float))
        .to_numpy(dtype=float)
    )
    cubiertos = ~np.isnan(probabilidad)
    y = np.asarray(y)[cubiertos]
    if not 0 < y.sum() < len(y):
        return None
    auc_oraculo = float(roc_auc_score(y, probabilidad[cubiertos]))
    auc_modelo = float(roc_auc_score(y, np.asarray(p)[cubiertos]))
    return {
        "n": int(cubiertos.sum()),
        "roc_auc": auc_oraculo,
        "roc_auc_modelo": auc_modelo,
        "brecha": auc_oraculo - auc_modelo,
    }


# --- Plain words ---------------------------------------------------------------


def _regla(corte_alto: float, corte_medio: float) -> str:
    return _(
        "En el año de validación se marcó en riesgo alto al %(cuota_alto)s de "
        "estudiantes con mayor probabilidad de dejar la escuela (probabilidad de "
        "%(alto)s o más) y en riesgo medio al %(cuota_medio)s siguiente (desde "
        "%(medio)s), las proporciones que informó la evaluación de impacto de "
        "Alerta Escuela."
    ) % {
        "cuota_alto": texto_corte(CUOTA_ALTO),
        "cuota_medio": texto_corte(CUOTA_MEDIO),
        "alto": texto_corte(corte_alto),
        "medio": texto_corte(corte_medio),
    }


def _desertan(parte: int, total: int, grupo: str) -> str:
    exacto = de_cada(parte, total)
    if exacto is None:
        return _(
            "De los estudiantes en %(grupo)s, el %(p)s no se matriculó al año "
            "siguiente."
        ) % {"grupo": grupo, "p": texto_proporcion(parte, total)}
    k, n = exacto
    return ngettext(
        "De cada %(n)s estudiantes en %(grupo)s, %(k)s no se matriculó al año "
        "siguiente.",
        "De cada %(n)s estudiantes en %(grupo)s, %(k)s no se matricularon al año "
        "siguiente.",
        k,
    ) % {"n": n, "k": k, "grupo": grupo}


def _en_palabras(y, p, corte_alto: float, corte_medio: float) -> list[str]:
    """Sentences about the validation year. A share reads "k de cada n" only
    when it is exactly that; otherwise it is a percentage."""
    y = np.asarray(y, dtype=int)
    frases = []
    desertores, total = int(y.sum()), len(y)
    exacto = de_cada(desertores, total)
    if exacto is None:
        frases.append(
            _(
                "En el año de validación, el %(p)s de los estudiantes no se "
                "matriculó al año siguiente."
            )
            % {"p": texto_proporcion(desertores, total)}
        )
    else:
        k, n = exacto
        frases.append(
            ngettext(
                "En el año de validación, %(k)s de cada %(n)s estudiantes no se "
                "matriculó al año siguiente.",
                "En el año de validación, %(k)s de cada %(n)s estudiantes no se "
                "matricularon al año siguiente.",
                k,
            )
            % {"k": k, "n": n}
        )
    nivel = niveles(p, corte_alto, corte_medio)
    nombres = {
        NivelRiesgo.ALTO: _("riesgo alto"),
        NivelRiesgo.MEDIO: _("riesgo medio"),
        NivelRiesgo.BAJO: _("riesgo bajo"),
    }
    for valor, nombre in nombres.items():
        marcado = nivel == valor
        if marcado.any():
            frases.append(_desertan(int(y[marcado].sum()), int(marcado.sum()), nombre))
    marcados = nivel != NivelRiesgo.BAJO
    if desertores and marcados.any():
        hallados = int(y[marcados].sum())
        exacto = de_cada(hallados, desertores)
        marcados_texto = texto_proporcion(int(marcados.sum()), total)
        if exacto:
            frase = _(
                "Con alto y medio juntos se identifica a %(k)s de cada %(n)s "
                "estudiantes que dejaron la escuela, marcando al %(marcados)s de "
                "todos los estudiantes."
            ) % {"k": exacto[0], "n": exacto[1], "marcados": marcados_texto}
        else:
            frase = _(
                "Con alto y medio juntos se identifica al %(p)s de los estudiantes "
                "que dejaron la escuela, marcando al %(marcados)s de todos los "
                "estudiantes."
            ) % {
                "p": texto_proporcion(hallados, desertores),
                "marcados": marcados_texto,
            }
        frases.append(frase)
    return frases


# --- Training ----------------------------------------------------------------


def anio_de_validacion() -> int:
    """The year the next version is validated on (with a single pair of years,
    the year of its held-out fifth): the year an oracle is compared on."""
    pares = pares_con_resultado()
    if not pares:
        raise DatosInsuficientes(
            "Se necesitan al menos dos años consecutivos de matrícula importados."
        )
    return pares[-1]


def modelo_entrenar(
    *,
    usuario: Usuario | None = None,
    semilla: int = 0,
    oraculo: Mapping[int, Mapping[str, float]] | None = None,
) -> ModeloRiesgo:
    """Train, validate and save a new version (not published).

    `oraculo`: the true probabilities of synthetic data, {year: {SIAGIE code:
    probability}}; with the validation year's, the oracle's ROC-AUC on the
    validation students is stored beside the model's.
    """
    pares = pares_con_resultado()
    if not pares:
        raise DatosInsuficientes(
            "Se necesitan al menos dos años consecutivos de matrícula importados."
        )
    if len(pares) >= 2:
        validacion = pares[-1]
        entrenamiento = pares[:-1]
        partes = [_datos(t) for t in entrenamiento]
        X_tr = pd.concat([p[0] for p in partes])
        y_tr = pd.concat([p[1] for p in partes])
        X_va, y_va = _datos(validacion)
        # The drift reference: the training years whose year before is
        # imported, as it is for every student scored later. The first
        # imported year has last year's features unknown for everyone; in
        # the reference it would flag them as drifted every night.
        importados = set(anios_con_matricula())
        con_anterior = [
            X
            for t, (X, _y) in zip(entrenamiento, partes, strict=True)
            if t - 1 in importados
        ]
        X_deriva = pd.concat(con_anterior) if con_anterior else X_tr
    else:
        validacion = None
        X, y = _datos(pares[0])
        if y.nunique() < 2 or y.value_counts().min() < 2:
            raise DatosInsuficientes(
                "No hay casos de deserción suficientes para entrenar."
            )
        X_tr, X_va, y_tr, y_va = train_test_split(
            X, y, test_size=0.2, random_state=semilla, stratify=y
        )
        entrenamiento = [pares[0]]
        X_deriva = X_tr
    if y_tr.sum() < PLIEGUES or y_tr.nunique() < 2 or y_va.nunique() < 2:
        raise DatosInsuficientes("No hay casos de deserción suficientes para entrenar.")

    columnas = NUMERICAS + CATEGORICAS
    # A feature never known in the training years (say, last year's attendance
    # when the first imported year trains) carries nothing, and boosting
    # cannot bin a column with no value: leave it out of the model.
    numericas = [c for c in NUMERICAS if X_tr[c].notna().any()]
    pipeline = pipeline_modelo(semilla, numericas=numericas, filas=len(y_tr))
    pipeline.set_params(
        clasificador__cv=_pliegues_por_estudiante(X_tr["estudiante_id"], semilla)
    )
    pipeline.fit(X_tr[columnas], y_tr)
    # The folds are only needed while fitting; the artifact keeps their number.
    pipeline.set_params(clasificador__cv=PLIEGUES)
    base = pipeline_base(numericas=numericas).fit(X_tr[columnas], y_tr)

    p_va = pipeline.predict_proba(X_va[columnas])[:, 1]
    p_base = base.predict_proba(X_va[columnas])[:, 1]
    corte_alto, corte_medio = cortes_por_cuota(p_va)
    # The baseline is judged with the same rule on its own predictions, so
    # that both flag the same share of students.
    bloque_modelo = bloque(y_va, p_va, corte_alto, corte_medio)
    metricas = {
        "validacion": {
            "anio": validacion,
            "n": len(y_va),
            "tasa_desercion": float(y_va.mean()),
        },
        "entrenamiento": {"anios": entrenamiento, "n": len(y_tr)},
        "modelo": bloque_modelo,
        "base": bloque(y_va, p_base, *cortes_por_cuota(p_base)),
        "por_grupo": _por_grupo(X_va, y_va, p_va, corte_alto, corte_medio),
    }
    anio_oraculo = validacion if validacion is not None else pares[0]
    if oraculo and anio_oraculo in oraculo:
        resultado = _oraculo(oraculo[anio_oraculo], X_va["estudiante_id"], y_va, p_va)
        if resultado is not None:
            metricas["oraculo"] = resultado
    metricas["cortes"] = {
        "regla": _regla(corte_alto, corte_medio),
        "alto": corte_alto,
        "medio": corte_medio,
    }
    metricas["en_palabras"] = _en_palabras(y_va, p_va, corte_alto, corte_medio)
    # The students who stayed in school: what "typical" means for explanations.
    referencia = referencia_calcular(X_tr.loc[y_tr == 0, columnas])
    # What the nightly runs compare with to watch for drift: the training rows
    # of the years with their year before imported (all, if none) for the
    # features; the validation predictions for the score (those on the
    # training rows were fitted to them).
    deriva = referencia_deriva(
        X_deriva, numericas=numericas, categoricas=CATEGORICAS, probabilidades=p_va
    )

    with transaction.atomic():
        version = (ModeloRiesgo.objects.aggregate(m=Max("version"))["m"] or 0) + 1
        ruta, sha = artefactos.guardar(pipeline, f"modelo_v{version}.skops")
        return ModeloRiesgo.objects.create(
            version=version,
            algoritmo=ALGORITMO,
            anios_entrenamiento=entrenamiento,
            anio_validacion=validacion,
            n_entrenamiento=len(y_tr),
            n_validacion=len(y_va),
            roc_auc=bloque_modelo["roc_auc"],
            metricas=metricas,
            referencia=referencia,
            referencia_deriva=deriva,
            corte_alto=corte_alto,
            corte_medio=corte_medio,
            artefacto=ruta,
            sha256=sha,
            creado_por=usuario,
        )
