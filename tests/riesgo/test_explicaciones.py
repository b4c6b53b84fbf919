"""Explanations: the factors that raise a student's risk, from the model itself."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from orientaciones.models import Factor
from riesgo import explicaciones
from riesgo.explicaciones import CONTEXTO, GRUPOS, explicar, referencia_calcular
from riesgo.factores import FACTOR_ORIENTACION, frase

NUMERICAS = [
    "extraedad", "grado", "repite", "reentrante", "anios_repetidos", "interrupciones",
    "matriculado_anio_anterior", "desaprobo_anio_anterior", "retirado_anio_anterior",
    "cambios_ie", "traslado_en_anio", "tasa_inasistencia", "tasa_inasistencia_anterior",
    "nota_matematica", "nota_comunicacion", "tendencia_notas", "trabaja",
    "horas_trabajo", "lengua_originaria", "discapacidad", "documento_extranjero",
    "juntos", "educacion_apoderado", "apoderado_no_padre", "rural", "privada",
    "tamano_ie", "desercion_ie_anterior", "desercion_distrito_anterior",
]  # fmt: skip
CATEGORICAS = ["nivel", "sexo", "cse", "situacion_final"]
COLUMNAS = NUMERICAS + CATEGORICAS


def _datos(n: int = 4000, semilla: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Students whose dropout grows with absences, extraedad, work, leaving and
    failing the year, and also with being a girl and the grade (context)."""
    rng = np.random.default_rng(semilla)
    X = pd.DataFrame({c: (rng.random(n) < 0.1).astype(float) for c in NUMERICAS})
    X["extraedad"] = rng.choice([0.0, 0.0, 0.0, 1.0, 2.0, 3.0], n)
    X["grado"] = rng.integers(1, 7, n).astype(float)
    X["tasa_inasistencia"] = rng.beta(1, 12, n)
    X["tasa_inasistencia_anterior"] = rng.beta(1, 12, n)
    X["nota_matematica"] = rng.uniform(1, 4, n)
    X["nota_comunicacion"] = rng.uniform(1, 4, n)
    X["tendencia_notas"] = rng.normal(0, 0.5, n)
    X["horas_trabajo"] = X["trabaja"] * rng.integers(5, 30, n)
    X["educacion_apoderado"] = rng.integers(0, 6, n).astype(float)
    X["tamano_ie"] = rng.integers(20, 800, n).astype(float)
    X["desercion_ie_anterior"] = rng.beta(1, 40, n)
    X["desercion_distrito_anterior"] = rng.beta(1, 40, n)
    X["matriculado_anio_anterior"] = (rng.random(n) < 0.95).astype(float)
    X["nivel"] = rng.choice(["PRIMARIA", "SECUNDARIA"], n)
    X["sexo"] = rng.choice(["HOMBRE", "MUJER"], n)
    X["cse"] = rng.choice(["NO POBRE", "POBRE", "POBRE EXTREMO"], n, p=[0.6, 0.3, 0.1])
    X["situacion_final"] = rng.choice(
        ["APROBADO", "DESAPROBADO", "RETIRADO"], n, p=[0.85, 0.1, 0.05]
    )
    # Some unknowns, as the features have them.
    X.loc[rng.random(n) < 0.05, "tasa_inasistencia"] = np.nan
    X.loc[rng.random(n) < 0.05, "cse"] = "DESCONOCIDO"
    logit = (
        -4.5
        + 14 * X["tasa_inasistencia"].fillna(0.3)
        + 0.7 * X["extraedad"]
        + 1.2 * X["trabaja"]
        + 3.0 * (X["situacion_final"] == "RETIRADO")
        + 1.5 * (X["situacion_final"] == "DESAPROBADO")
        + 1.5 * (X["sexo"] == "MUJER")
        + 0.3 * X["grado"]
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return X[COLUMNAS], y


def _boosting(numericas=NUMERICAS, categoricas=CATEGORICAS) -> Pipeline:
    """Built as riesgo.training builds its model (encoder first, NaN passed)."""
    return Pipeline(
        [
            (
                "preprocesar",
                ColumnTransformer(
                    [
                        ("num", "passthrough", numericas),
                        (
                            "cat",
                            OrdinalEncoder(
                                handle_unknown="use_encoded_value",
                                unknown_value=np.nan,
                            ),
                            categoricas,
                        ),
                    ],
                    verbose_feature_names_out=False,
                ),
            ),
            (
                "clasificador",
                HistGradientBoostingClassifier(
                    max_iter=80, max_leaf_nodes=7, random_state=0
                ),
            ),
        ]
    )


@pytest.fixture(scope="module")
def entrenado():
    X, y = _datos()
    pipeline = _boosting().fit(X, y)
    return pipeline, referencia_calcular(X[y == 0])


def _tipico(referencia: dict, **cambios) -> pd.DataFrame:
    fila = {c: referencia[c] for c in COLUMNAS}
    fila.update(cambios)
    return pd.DataFrame([fila], columns=COLUMNAS).astype({c: float for c in NUMERICAS})


def test_the_top_factor_is_the_one_that_raises_the_risk(entrenado):
    pipeline, referencia = entrenado
    X = _tipico(referencia, tasa_inasistencia=0.5)

    e = explicar(pipeline, X, referencia)

    assert e.codigos[0].tolist() == ["inasistencias", "", ""]
    assert e.aportes[0, 0] > 0.1
    assert e.aportes[0, 1:].tolist() == [0, 0]
    np.testing.assert_allclose(e.probabilidad, pipeline.predict_proba(X)[:, 1])


def test_factors_are_ordered_by_how_much_they_raise_the_risk(entrenado):
    pipeline, referencia = entrenado
    X = _tipico(referencia, tasa_inasistencia=0.5, trabaja=1.0, horas_trabajo=20.0)

    e = explicar(pipeline, X, referencia)

    assert e.codigos[0, :2].tolist() == ["inasistencias", "trabajo_infantil"]
    assert e.aportes[0, 0] >= e.aportes[0, 1] > 0


def test_a_student_at_the_reference_has_no_factors(entrenado):
    pipeline, referencia = entrenado

    e = explicar(pipeline, _tipico(referencia), referencia)

    assert e.codigos.tolist() == [["", "", ""]]
    assert e.aportes.tolist() == [[0, 0, 0]]
    assert 0 < e.probabilidad[0] < 1


def test_fewer_factors_than_asked_are_padded_with_empty_codes(entrenado):
    pipeline, referencia = entrenado
    X = _tipico(referencia, tasa_inasistencia=0.5, extraedad=3.0)

    cinco = explicar(pipeline, X, referencia, k=5)
    muchos = explicar(pipeline, X, referencia, k=len(GRUPOS) + 4)

    assert cinco.codigos.shape == cinco.aportes.shape == (1, 5)
    assert set(cinco.codigos[0, :2]) == {"inasistencias", "extraedad"}
    assert cinco.codigos[0, 2:].tolist() == ["", "", ""]
    assert muchos.codigos.shape == (1, len(GRUPOS) + 4)
    assert (muchos.codigos[0, 2:] == "").all()


def test_context_columns_are_held_and_never_named(entrenado):
    pipeline, referencia = entrenado
    # A girl in a high grade: riskier for this model, but not a factor.
    X = _tipico(
        referencia,
        sexo="MUJER",
        grado=6.0,
        nivel="SECUNDARIA",
        privada=1.0,
        tamano_ie=10.0,
    )

    e = explicar(pipeline, X, referencia)

    assert (
        e.probabilidad[0]
        > explicar(pipeline, _tipico(referencia), referencia).probabilidad[0]
    )
    assert e.codigos.tolist() == [["", "", ""]]
    for columnas in GRUPOS.values():
        assert not set(columnas) & set(CONTEXTO)


class _EnU:
    """A hand-made model: risk grows as absences move away from 0.05 either
    way, and with extraedad."""

    feature_names_in_ = np.array(COLUMNAS, dtype=object)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        p = (
            0.02
            + 2 * (X["tasa_inasistencia"].fillna(0.05) - 0.05).abs()
            + 0.05 * X["extraedad"].clip(lower=0)
        ).clip(0, 1)
        return np.column_stack([1 - p, p])


def test_a_factor_is_named_only_on_the_side_its_phrase_describes(entrenado):
    _, referencia = entrenado
    referencia = referencia | {"tasa_inasistencia": 0.05, "extraedad": 0.0}
    X = pd.concat(
        [
            _tipico(referencia, tasa_inasistencia=0.25),
            # Fewer absences than typical: riskier for this model, but this
            # student does not "miss classes often".
            _tipico(referencia, tasa_inasistencia=0.0, extraedad=2.0),
        ]
    )

    e = explicar(_EnU(), X, referencia)

    assert e.codigos.tolist() == [
        ["inasistencias", "", ""],
        ["extraedad", "", ""],
    ]
    np.testing.assert_allclose(e.aportes[:, 0], [0.4, 0.1])
    np.testing.assert_allclose(e.probabilidad, [0.42, 0.22])


def test_a_student_below_the_minimum_risk_has_no_factors(entrenado):
    _, referencia = entrenado
    referencia = referencia | {"tasa_inasistencia": 0.05, "extraedad": 0.0}

    class Minimo(_EnU):
        def predict_proba(self, X):
            p = super().predict_proba(X)[:, 1] * (explicaciones.MINIMO_APORTE / 0.1)
            return np.column_stack([1 - p, p])

    e = explicar(Minimo(), _tipico(referencia, extraedad=1.0), referencia)

    assert e.probabilidad[0] < explicaciones.MINIMO_APORTE
    assert e.codigos.tolist() == [["", "", ""]]


def test_an_unknown_value_is_never_blamed(entrenado):
    pipeline, referencia = entrenado
    X = _tipico(referencia, tasa_inasistencia=np.nan, cse="DESCONOCIDO")

    e = explicar(pipeline, X, referencia)

    assert e.codigos.tolist() == [["", "", ""]]


def test_leaving_school_is_retiro_and_failing_is_bajo_rendimiento(entrenado):
    pipeline, referencia = entrenado
    X = pd.concat(
        [
            _tipico(referencia, situacion_final="RETIRADO"),
            _tipico(referencia, situacion_final="DESAPROBADO"),
        ]
    )

    e = explicar(pipeline, X, referencia)

    assert e.codigos[:, 0].tolist() == ["retiro", "bajo_rendimiento"]
    assert (e.codigos[:, 1:] == "").all()


def test_a_batch_gives_what_each_row_gives_alone(entrenado):
    pipeline, referencia = entrenado
    X, _ = _datos(n=40, semilla=1)

    lote = explicar(pipeline, X, referencia)

    for i in range(len(X)):
        sola = explicar(pipeline, X.iloc[[i]], referencia)
        assert sola.codigos[0].tolist() == lote.codigos[i].tolist()
        np.testing.assert_allclose(sola.aportes[0], lote.aportes[i], atol=1e-12)
        np.testing.assert_allclose(sola.probabilidad[0], lote.probabilidad[i])
    assert (lote.codigos[:, 0] != "").sum() > 10
    assert set(lote.codigos.ravel()) <= set(GRUPOS) | {""}


def test_the_encoded_shortcut_gives_what_the_raw_table_gives(entrenado, monkeypatch):
    pipeline, referencia = entrenado
    X, _ = _datos(n=300, semilla=2)
    rapido = explicar(pipeline, X, referencia)

    monkeypatch.setattr(explicaciones, "_codificador", lambda *args: None)
    lento = explicar(pipeline, X, referencia)

    assert rapido.codigos.tolist() == lento.codigos.tolist()
    np.testing.assert_allclose(rapido.aportes, lento.aportes, atol=1e-12)


def test_any_pipeline_is_explained_through_the_raw_table():
    # One-hot encoded, imputed logistic regression: no one-to-one columns.
    X, y = _datos()
    pipeline = Pipeline(
        [
            (
                "preprocesar",
                ColumnTransformer(
                    [
                        (
                            "num",
                            make_pipeline(
                                SimpleImputer(strategy="median"), StandardScaler()
                            ),
                            NUMERICAS,
                        ),
                        ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAS),
                    ]
                ),
            ),
            ("clasificador", LogisticRegression(max_iter=2000)),
        ]
    ).fit(X, y)
    referencia = referencia_calcular(X[y == 0])

    e = explicar(pipeline, _tipico(referencia, tasa_inasistencia=0.5), referencia)

    assert e.codigos[0, 0] == "inasistencias"


def test_a_model_on_an_older_feature_list_is_explained_with_what_it_has():
    X, y = _datos()
    viejas = [c for c in NUMERICAS if c not in ("tendencia_notas", "cambios_ie")]
    categoricas = ["nivel", "sexo", "cse"]
    pipeline = _boosting(viejas, categoricas).fit(X[viejas + categoricas], y)
    referencia = referencia_calcular(X.loc[y == 0, viejas + categoricas])
    fila = _tipico(
        referencia
        | {"tendencia_notas": 0.0, "cambios_ie": 0.0, "situacion_final": "APROBADO"},
        tasa_inasistencia=0.5,
    )

    e = explicar(pipeline, fila[viejas + categoricas], referencia)

    assert e.codigos[0, 0] == "inasistencias"


def test_no_students_no_rows(entrenado):
    pipeline, referencia = entrenado
    e = explicar(pipeline, _tipico(referencia).iloc[:0], referencia)
    assert e.probabilidad.shape == (0,) and e.codigos.shape == (0, 3)


def test_the_reference_is_the_typical_value_and_json_serialisable():
    X = pd.DataFrame(
        {
            "tasa_inasistencia": [0.0, 0.1, 0.2, np.nan],
            "tendencia_notas": [np.nan, np.nan, np.nan, 1.0],
            "cse": ["POBRE", "NO POBRE", "NO POBRE", "DESCONOCIDO"],
        }
    )

    referencia = referencia_calcular(X)

    assert referencia == {
        "tasa_inasistencia": pytest.approx(0.1),
        "tendencia_notas": None,  # mostly unknown: the typical value is unknown
        "cse": "NO POBRE",
    }
    json.dumps(referencia)


def test_every_group_has_a_code_a_phrase_and_a_guidance_link():
    for codigo, columnas in GRUPOS.items():
        assert len(codigo) <= 30
        assert columnas
        assert frase(codigo) != codigo
        assert FACTOR_ORIENTACION[codigo] in (*Factor.values, None)
    assert set(FACTOR_ORIENTACION) == set(GRUPOS)
    agrupadas = {c for columnas in GRUPOS.values() for c in columnas}
    assert agrupadas | set(CONTEXTO) == set(COLUMNAS)


def test_a_phrase_reads_in_spanish_and_an_unknown_code_reads_as_itself():
    assert frase("inasistencias") == "Falta a clases con frecuencia"
    assert frase("extraedad") == "Tiene más edad de la esperada para su grado"
    assert frase("no_existe") == "no_existe"
