"""The outcome report against the generator's own files: a region generated
and imported, year 2025 scored with each student's true probability (the
oracle the generator writes), and the report's figures recomputed here from
the CSV files alone (enrolled in 2025, in no nómina of 2026)."""

import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from resultados.calculo import resultados_calcular
from resultados.models import AmbitoResultado, CalidadResultado, Dimension
from resultados.selectors import totales
from siagie_import.services import archivos_de_carpeta
from tests.generado import importar, puntuar_con_oraculo

CORTE_ALTO, CORTE_MEDIO = 0.2, 0.05


@pytest.fixture
def importado(db, carpeta_generada, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for ruta in archivos_de_carpeta(carpeta_generada):
        importar(ruta)
    return carpeta_generada


def _desde_los_archivos(carpeta) -> pd.DataFrame:
    """Each 2025 enrollment row with a true probability, and its outcome."""
    texto = {"COD_ESTUDIANTE": str}
    t = pd.read_csv(carpeta / "nomina_2025.csv", dtype=texto)
    siguiente = set(
        pd.read_csv(carpeta / "nomina_2026.csv", dtype=texto)["COD_ESTUDIANTE"]
    )
    oraculo = pd.read_csv(carpeta / "oraculo_2025.csv", dtype=texto)
    t = t.merge(oraculo[["COD_ESTUDIANTE", "PROB_DESERCION"]], on="COD_ESTUDIANTE")
    fuera = ((t["NIVEL"] == "SECUNDARIA") & (t["GRADO"] == 5)) | (
        t["SITUACION_FINAL"] == "FALLECIDO"
    )
    t = t[~fuera].copy()
    t["desercion"] = (~t["COD_ESTUDIANTE"].isin(siguiente)).astype(int)
    t["nivel_riesgo"] = pd.cut(
        t["PROB_DESERCION"],
        [-1, CORTE_MEDIO, CORTE_ALTO, 2],
        right=False,
        labels=["BAJO", "MEDIO", "ALTO"],
    ).astype(str)
    return t


def test_the_report_matches_the_generators_files(importado):
    puntuar_con_oraculo(importado, 2025, corte_alto=CORTE_ALTO, corte_medio=CORTE_MEDIO)
    [informe] = resultados_calcular()

    esperado = _desde_los_archivos(importado)
    assert informe.con_resultado == len(esperado)
    por_nivel = esperado.groupby("nivel_riesgo")["desercion"].agg(["size", "sum"])
    conteo = totales(informe, AmbitoResultado.PAIS, [0])[0]
    for nivel in ("ALTO", "MEDIO", "BAJO"):
        assert conteo.niveles[nivel].marcados == por_nivel.loc[nivel, "size"]
        assert conteo.niveles[nivel].desertores == por_nivel.loc[nivel, "sum"]
    assert conteo.total.desertores > 0
    metricas = CalidadResultado.objects.get(
        informe=informe, ambito=AmbitoResultado.PAIS, clave=0
    ).metricas
    assert metricas["roc_auc"] == pytest.approx(
        roc_auc_score(esperado["desercion"], esperado["PROB_DESERCION"])
    )
    # The true probabilities are calibrated: observed and predicted dropout
    # agree in the top decile within sampling noise.
    arriba = metricas["calibracion"][-1]
    assert abs(arriba["observado"] - arriba["predicho"]) < 0.1
    # By sex, from the files' own column.
    for sexo, grupo in esperado.groupby("SEXO"):
        filas = informe.filas.filter(
            ambito=AmbitoResultado.PAIS, dimension=Dimension.SEXO, valor=sexo
        )
        assert sum(f.desertores for f in filas) == grupo["desercion"].sum()
