"""Training: validated on a later year, metrics in the shape the model pages read."""

import json
from io import StringIO

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from alerta.models import Nivel, es_quinto_de_secundaria
from riesgo import artefactos
from riesgo.explicaciones import GRUPOS, explicar
from riesgo.features import CATEGORICAS, NUMERICAS, construir_features
from riesgo.models import ModeloRiesgo
from riesgo.training import (
    CUOTA_ALTO,
    CUOTA_MEDIO,
    DatosInsuficientes,
    _datos,
    anio_de_validacion,
    bloque,
    cortes_por_cuota,
    modelo_entrenar,
)
from siagie_import.models import EstadoImportacion
from siagie_import.services import archivos_de_carpeta, importacion_ejecutar
from siagie_import.sintetico.oraculo import oraculo_leer
from tests.factories import MatriculaFactory, SeccionFactory

CLAVES_BLOQUE = {
    "n",
    "desertores",
    "roc_auc",
    "pr_auc",
    "brier",
    "ece",
    "calibracion",
    "alto",
    "alto_medio",
    "medio",
    "bajo",
}


@pytest.fixture
def importado(db, carpeta_generada, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for ruta in archivos_de_carpeta(carpeta_generada):
        imp = importacion_ejecutar(ruta=ruta)
        assert imp.estado == EstadoImportacion.COMPLETADA, (ruta.name, imp.mensaje)
    return carpeta_generada


def _assert_bloque(b: dict) -> None:
    assert set(b) == CLAVES_BLOQUE
    assert b["n"] > 0 and 0 <= b["desertores"] <= b["n"]
    assert 0 <= b["brier"] <= 1 and 0 <= b["ece"] <= 1
    assert (
        set(b["alto"])
        == set(b["alto_medio"])
        == {
            "proporcion",
            "precision",
            "recall",
        }
    )
    assert set(b["medio"]) == set(b["bajo"]) == {"proporcion"}
    total = b["alto"]["proporcion"] + b["medio"]["proporcion"] + b["bajo"]["proporcion"]
    assert total == pytest.approx(1)
    assert b["alto_medio"]["proporcion"] == pytest.approx(
        b["alto"]["proporcion"] + b["medio"]["proporcion"]
    )
    assert sum(t["n"] for t in b["calibracion"]) == b["n"]
    for tramo in b["calibracion"]:
        assert set(tramo) == {"desde", "hasta", "n", "predicho", "observado"}
        assert tramo["desde"] <= tramo["predicho"] <= tramo["hasta"]


def test_it_validates_on_a_later_year_and_stores_the_metrics_the_pages_read(
    importado,
):
    modelo = modelo_entrenar()

    assert modelo.anios_entrenamiento == [2023, 2024]
    assert modelo.anio_validacion == 2025
    assert modelo.anio_validacion not in modelo.anios_entrenamiento
    assert "HistGradientBoosting" in modelo.algoritmo
    assert 0 < modelo.corte_medio < modelo.corte_alto < 1

    m = json.loads(json.dumps(modelo.metricas))  # as the JSON field stores it
    assert set(m) == {
        "validacion",
        "entrenamiento",
        "modelo",
        "base",
        "por_grupo",
        "cortes",
        "en_palabras",
    }
    assert m["validacion"]["anio"] == 2025
    assert m["validacion"]["n"] == modelo.n_validacion == m["modelo"]["n"]
    assert 0 < m["validacion"]["tasa_desercion"] < 1
    assert m["entrenamiento"] == {"anios": [2023, 2024], "n": modelo.n_entrenamiento}
    _assert_bloque(m["modelo"])
    _assert_bloque(m["base"])
    assert m["modelo"]["roc_auc"] == modelo.roc_auc > 0.6
    assert m["base"]["roc_auc"] > 0.5
    assert len(m["modelo"]["calibracion"]) == 10
    assert m["modelo"]["alto"]["proporcion"] == pytest.approx(CUOTA_ALTO, abs=0.01)
    assert m["modelo"]["alto_medio"]["proporcion"] == pytest.approx(
        CUOTA_ALTO + CUOTA_MEDIO, abs=0.01
    )

    assert set(m["por_grupo"]) == {"area", "sexo", "lengua", "nivel"}
    assert set(m["por_grupo"]["sexo"]) == {"HOMBRE", "MUJER"}
    assert set(m["por_grupo"]["nivel"]) == {"INICIAL", "PRIMARIA", "SECUNDARIA"}
    assert set(m["por_grupo"]["area"]) <= {"RURAL", "URBANA"}
    assert set(m["por_grupo"]["lengua"]) <= {"ORIGINARIA", "CASTELLANO"}
    for grupos in m["por_grupo"].values():
        assert sum(b["n"] for b in grupos.values()) <= m["modelo"]["n"]
        for b in grupos.values():
            _assert_bloque(b)
    assert sum(b["n"] for b in m["por_grupo"]["sexo"].values()) == m["modelo"]["n"]

    assert m["cortes"]["alto"] == modelo.corte_alto
    assert m["cortes"]["medio"] == modelo.corte_medio
    assert "10,7" in m["cortes"]["regla"]
    assert m["en_palabras"] and all(isinstance(f, str) for f in m["en_palabras"])
    assert any("riesgo alto" in f for f in m["en_palabras"])
    assert "oraculo" not in m

    assert set(modelo.referencia) == set(NUMERICAS + CATEGORICAS)


def test_no_quinto_de_secundaria_student_is_trained_or_validated_on(importado):
    # The generated years have 5.º de secundaria students, who pass, fail or
    # leave: none of them gets a label, so the model card's counts leave
    # them out.
    for anio in (2023, 2024, 2025):
        todos = construir_features(anio)
        assert es_quinto_de_secundaria(todos["nivel"], todos["grado"]).sum() > 0
        X, y = _datos(anio)
        assert len(X) == len(y) > 0
        assert not es_quinto_de_secundaria(X["nivel"], X["grado"]).any()


def test_it_compares_with_the_oracle_when_given_its_probabilities(importado):
    anio = anio_de_validacion()
    modelo = modelo_entrenar(oraculo={anio: oraculo_leer(carpeta=importado, anio=anio)})

    o = modelo.metricas["oraculo"]
    assert set(o) == {"n", "roc_auc", "roc_auc_modelo", "brecha"}
    assert 0 < o["n"] <= modelo.n_validacion
    assert o["roc_auc"] > 0.6
    assert o["brecha"] == pytest.approx(o["roc_auc"] - o["roc_auc_modelo"])
    if o["n"] == modelo.n_validacion:
        assert o["roc_auc_modelo"] == pytest.approx(modelo.roc_auc)


def test_without_the_validation_years_oracle_there_is_no_oracle_block(importado):
    modelo = modelo_entrenar(oraculo={2019: {"1": 0.5}})

    assert anio_de_validacion() == 2025
    assert "oraculo" not in modelo.metricas


def test_the_saved_artifact_loads_checked_and_explains_the_current_year(importado):
    modelo = modelo_entrenar()

    pipeline = artefactos.cargar(modelo.artefacto, modelo.sha256)
    X = construir_features(2026, solo_vigentes=True)
    datos = X[NUMERICAS + CATEGORICAS]
    explicacion = explicar(pipeline, datos, modelo.referencia)
    np.testing.assert_allclose(
        explicacion.probabilidad, pipeline.predict_proba(datos)[:, 1]
    )
    assert set(explicacion.codigos.ravel()) <= set(GRUPOS) | {""}
    assert (explicacion.codigos[:, 0] != "").any()

    with pytest.raises(artefactos.ArtefactoInvalido):
        artefactos.cargar(modelo.artefacto, "0" * 64)


def test_the_command_prints_the_model_the_baseline_and_the_oracle(importado):
    salida = StringIO()
    call_command("entrenar_modelo", oraculo=str(importado), stdout=salida)
    texto = salida.getvalue()
    assert "ROC-AUC" in texto
    assert "regresión logística" in texto
    assert "Oráculo" in texto


def test_with_one_pair_of_years_it_validates_on_a_held_out_fifth(
    db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # 2024 was never imported: last year's features are all unknown.
    secundaria = SeccionFactory(anio=2025, nivel=Nivel.SECUNDARIA, grado=2)
    primaria = SeccionFactory(anio=2025, nivel=Nivel.PRIMARIA, grado=2)
    siguiente = SeccionFactory(anio=2026, nivel=Nivel.PRIMARIA, grado=3)
    for i in range(240):
        m = MatriculaFactory(seccion=secundaria if i % 4 == 0 else primaria)
        if i % 4 or i % 8 == 0:
            MatriculaFactory(estudiante=m.estudiante, seccion=siguiente)

    modelo = modelo_entrenar()

    assert modelo.anio_validacion is None
    assert modelo.anios_entrenamiento == [2025]
    assert modelo.metricas["validacion"]["anio"] is None
    assert modelo.n_validacion == 48 and modelo.n_entrenamiento == 192
    _assert_bloque(modelo.metricas["modelo"])
    assert modelo.roc_auc > 0.7


def test_one_year_only_is_not_enough(db):
    MatriculaFactory(seccion=SeccionFactory(anio=2026))
    with pytest.raises(DatosInsuficientes):
        modelo_entrenar()


def test_a_block_is_null_where_a_group_has_one_class():
    b = bloque([0, 0, 0, 0], [0.1, 0.2, 0.3, 0.4], 0.35, 0.25)
    assert b["roc_auc"] is None and b["pr_auc"] is None
    assert b["alto"]["recall"] is None
    assert b["alto"]["precision"] == 0
    assert b["alto"]["proporcion"] == 0.25
    assert b["medio"]["proporcion"] == 0.25
    assert b["bajo"]["proporcion"] == 0.5


def test_a_block_measures_ranking_flagging_and_calibration():
    rng = np.random.default_rng(0)
    p = rng.random(2000) * 0.5
    y = (rng.random(2000) < p).astype(int)  # calibrated by construction
    b = bloque(y, p, 0.4, 0.3)
    assert 0.6 < b["roc_auc"] < 0.8
    assert b["ece"] < 0.05
    flagged = p >= 0.3
    assert b["alto_medio"]["recall"] == pytest.approx(y[flagged].sum() / y.sum())
    assert b["alto_medio"]["precision"] == pytest.approx(y[flagged].mean())
    assert [t["n"] for t in b["calibracion"]] == [200] * 10
    desde = [t["desde"] for t in b["calibracion"]]
    assert desde == sorted(desde)

    mal = bloque(y, np.clip(p + 0.3, 0, 1), 0.7, 0.6)
    assert mal["ece"] > 0.25


def test_the_quota_cut_offs_flag_the_evaluations_shares():
    p = pd.Series(np.linspace(0, 1, 10001)).to_numpy()
    alto, medio = cortes_por_cuota(p)
    assert 0 < medio < alto < 1
    assert (p >= alto).mean() == pytest.approx(CUOTA_ALTO, abs=1e-3)
    assert (p >= medio).mean() == pytest.approx(CUOTA_ALTO + CUOTA_MEDIO, abs=1e-3)


# --- The oracle's files are checked before training ----------------------------


@pytest.fixture
def dos_anios(db):
    """Two consecutive imported years: 2025 is the validation year."""
    m = MatriculaFactory(seccion=SeccionFactory(anio=2025))
    MatriculaFactory(estudiante=m.estudiante, seccion=SeccionFactory(anio=2026))


@pytest.fixture
def sin_entrenar(monkeypatch):
    """Training must not start: the command fails before it if it does."""
    from alerta.management.commands import entrenar_modelo

    def entrenar(**_kwargs):
        raise AssertionError("trained before checking the oracle")

    monkeypatch.setattr(entrenar_modelo, "modelo_entrenar", entrenar)


def _oraculo(carpeta, texto: str, anio: int = 2025):
    carpeta.mkdir(exist_ok=True)
    (carpeta / f"oraculo_{anio}.csv").write_text(texto, encoding="utf-8")
    return carpeta


@pytest.mark.parametrize(
    "texto, mensaje",
    [
        (
            "COD_ESTUDIANTE,ANIO\n1,2025\n",
            "Al archivo oraculo_2025.csv le falta la columna PROB_DESERCION (se "
            "esperan COD_ESTUDIANTE, ANIO, PROB_DESERCION).",
        ),
        (
            "COD_ESTUDIANTE,ANIO,PROB_DESERCION\n1,2025,-0.2\n",
            "En el archivo oraculo_2025.csv, fila 2, PROB_DESERCION es «-0.2», que "
            "no es una probabilidad entre 0 y 1.",
        ),
    ],
)
def test_a_bad_oracle_file_stops_the_command_before_training(
    dos_anios, sin_entrenar, tmp_path, texto, mensaje
):
    carpeta = _oraculo(tmp_path / "o", texto)
    with pytest.raises(CommandError) as e:
        call_command("entrenar_modelo", oraculo=str(carpeta), stdout=StringIO())
    assert str(e.value) == mensaje
    assert not ModeloRiesgo.objects.exists()


def test_a_missing_validation_year_file_stops_the_command_before_training(
    dos_anios, sin_entrenar, tmp_path
):
    carpeta = _oraculo(tmp_path / "o", "COD_ESTUDIANTE,ANIO,PROB_DESERCION\n", 2024)
    with pytest.raises(CommandError, match="Falta el archivo oraculo_2025.csv"):
        call_command("entrenar_modelo", oraculo=str(carpeta), stdout=StringIO())


def test_from_the_console_a_bad_oracle_file_exits_1_with_one_line_and_no_traceback(
    dos_anios, sin_entrenar, tmp_path, capsys
):
    from alerta.management.commands.entrenar_modelo import Command

    carpeta = _oraculo(tmp_path / "o", "COD_ESTUDIANTE,PROB\n1,0.1\n")
    with pytest.raises(SystemExit) as salida:
        Command().run_from_argv(
            ["manage.py", "entrenar_modelo", "--oraculo", str(carpeta)]
        )
    assert salida.value.code == 1
    error = capsys.readouterr().err
    assert error == (
        "CommandError: Al archivo oraculo_2025.csv le faltan las columnas ANIO, "
        "PROB_DESERCION (se esperan COD_ESTUDIANTE, ANIO, PROB_DESERCION).\n"
    )
    assert "Traceback" not in error


def test_it_stores_drift_bins_and_the_next_years_run_measures_every_variable(
    importado,
):
    from riesgo import deriva
    from riesgo.scoring import puntaje_ejecutar
    from riesgo.versiones import modelo_publicar

    modelo = modelo_entrenar()

    referencia = modelo.referencia_deriva
    pipeline = artefactos.cargar(modelo.artefacto, modelo.sha256)
    assert set(referencia) == {*pipeline.feature_names_in_, deriva.PUNTAJE}
    for variable, tramos in referencia.items():
        assert sum(tramos["esperado"]) == pytest.approx(1), variable
    assert referencia["nivel"]["tipo"] == deriva.CATEGORICA
    assert referencia["extraedad"]["tipo"] == deriva.NUMERICA

    modelo_publicar(modelo=modelo, aunque_no_supere_base=True)
    ejecucion = puntaje_ejecutar(anio=2026, tamano_lote=300)

    assert ejecucion.lotes > 1
    psi = dict(ejecucion.derivas.values_list("variable", "psi"))
    assert set(psi) == set(referencia)
    assert all(v >= 0 for v in psi.values())
    # The first imported year (2023) has last year's features unknown for
    # everyone; every student scored in 2026 has them. The reference is
    # taken from 2024 alone, so they do not read as drifted every night.
    for variable in (
        "matriculado_anio_anterior",
        "desaprobo_anio_anterior",
        "retirado_anio_anterior",
    ):
        assert referencia[variable]["esperado"][-1] == 0, variable
        assert deriva.nivel(psi[variable]) == "ESTABLE", (variable, psi[variable])
