"""Train a risk model from the imported history and validate it on a later year.

Labels come from two consecutive imported years (see `features.etiquetas`). The
model is trained on the earlier year pairs and validated on the latest pair
whose outcome is known; with a single pair, on a held-out fifth of it.
"""

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Max
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from alerta.models import Usuario

from . import artefactos
from .features import (
    CATEGORICAS,
    NUMERICAS,
    anios_con_matricula,
    construir_features,
    etiquetas,
)
from .models import ModeloRiesgo

# Shares of students flagged alto and medio: those the impact evaluation of
# Alerta Escuela reports for its sample (10.7 % alto, 14.6 % medio).
CUOTA_ALTO = 0.107
CUOTA_MEDIO = 0.146


class DatosInsuficientes(Exception):
    pass


def nuevo_pipeline() -> Pipeline:
    preprocesar = ColumnTransformer(
        [
            (
                "num",
                make_pipeline(
                    SimpleImputer(strategy="median", add_indicator=True),
                    StandardScaler(),
                ),
                NUMERICAS,
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
    return X.loc[y.index, NUMERICAS + CATEGORICAS], y


def cortes_por_cuota(probabilidades: np.ndarray) -> tuple[float, float]:
    """Cut-offs flagging the top CUOTA_ALTO as alto, the next CUOTA_MEDIO as medio."""
    alto = float(np.quantile(probabilidades, 1 - CUOTA_ALTO))
    medio = float(np.quantile(probabilidades, 1 - CUOTA_ALTO - CUOTA_MEDIO))
    medio = max(medio, 1e-6)
    alto = min(max(alto, medio + 1e-6), 1 - 1e-6)
    return alto, medio


def modelo_entrenar(
    *, usuario: Usuario | None = None, semilla: int = 0
) -> ModeloRiesgo:
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
    else:
        validacion = None
        X, y = _datos(pares[0])
        X_tr, X_va, y_tr, y_va = train_test_split(
            X, y, test_size=0.2, random_state=semilla, stratify=y
        )
        entrenamiento = [pares[0]]
    if y_tr.nunique() < 2 or y_va.nunique() < 2:
        raise DatosInsuficientes("No hay casos de deserción suficientes para entrenar.")

    pipeline = nuevo_pipeline().fit(X_tr, y_tr)
    p_va = pipeline.predict_proba(X_va)[:, 1]
    corte_alto, corte_medio = cortes_por_cuota(p_va)
    metricas = {
        "tasa_desercion_validacion": float(y_va.mean()),
        "roc_auc": float(roc_auc_score(y_va, p_va)),
    }

    with transaction.atomic():
        version = (ModeloRiesgo.objects.aggregate(m=Max("version"))["m"] or 0) + 1
        ruta, sha = artefactos.guardar(pipeline, f"modelo_v{version}.skops")
        return ModeloRiesgo.objects.create(
            version=version,
            algoritmo="LogisticRegression",
            anios_entrenamiento=entrenamiento,
            anio_validacion=validacion,
            n_entrenamiento=len(y_tr),
            n_validacion=len(y_va),
            roc_auc=metricas["roc_auc"],
            metricas=metricas,
            corte_alto=corte_alto,
            corte_medio=corte_medio,
            artefacto=ruta,
            sha256=sha,
            creado_por=usuario,
        )
