"""The outcome report's numbers, checked by hand on the planted world
(tests/resultados/conftest.py)."""

import pytest

from resultados.calculo import huella_de, pendientes, resultados_calcular
from resultados.models import (
    AmbitoResultado,
    CalidadResultado,
    Dimension,
    EstadoInforme,
    FilaResultado,
    InformeResultados,
)
from resultados.tasks import calcular_resultados
from tests.factories import MatriculaFactory, SeccionFactory

pytestmark = pytest.mark.django_db


def _conteos(informe, ambito, clave, dimension=Dimension.TOTAL, valor=""):
    return {
        f.nivel_riesgo: (f.marcados, f.desertores)
        for f in FilaResultado.objects.filter(
            informe=informe,
            ambito=ambito,
            clave=clave,
            dimension=dimension,
            valor=valor,
        )
    }


def _calidad(informe, ambito, clave):
    return CalidadResultado.objects.get(
        informe=informe, ambito=ambito, clave=clave
    ).metricas


def test_it_counts_flagged_and_dropped_out_per_level(plantado):
    [informe] = resultados_calcular()
    assert informe.estado == EstadoInforme.EXITOSO
    assert informe.anio == 2025
    assert (informe.puntuados, informe.con_resultado, informe.sin_resultado) == (
        11,
        10,
        1,
    )
    assert _conteos(informe, AmbitoResultado.PAIS, 0) == {
        "ALTO": (3, 2),
        "MEDIO": (3, 1),
        "BAJO": (4, 1),
    }


def test_it_counts_by_dre_ugel_and_ie(plantado):
    m = plantado.mundo
    [informe] = resultados_calcular()
    assert _conteos(informe, AmbitoResultado.DRE, m.ugel_norte.dre_id) == {
        "ALTO": (3, 2),
        "MEDIO": (3, 1),
        "BAJO": (4, 1),
    }
    assert _conteos(informe, AmbitoResultado.UGEL, m.ugel_norte.pk) == {
        "ALTO": (3, 2),
        "MEDIO": (2, 1),
        "BAJO": (3, 1),
    }
    assert _conteos(informe, AmbitoResultado.UGEL, m.ugel_sur.pk) == {
        "MEDIO": (1, 0),
        "BAJO": (1, 0),
    }
    assert _conteos(informe, AmbitoResultado.IE, m.ie_dos.pk) == {
        "ALTO": (1, 1),
        "MEDIO": (1, 0),
        "BAJO": (1, 1),
    }
    # The deceased student of IE Uno is out, and counted as such.
    assert _conteos(informe, AmbitoResultado.IE, m.ie_uno.pk) == {
        "ALTO": (2, 1),
        "MEDIO": (1, 1),
        "BAJO": (2, 0),
    }
    assert (
        _calidad(informe, AmbitoResultado.UGEL, m.ugel_norte.pk)["sin_resultado"] == 1
    )
    assert _calidad(informe, AmbitoResultado.UGEL, m.ugel_sur.pk)["sin_resultado"] == 0


def test_it_computes_recall_precision_and_roc_auc(plantado):
    [informe] = resultados_calcular()
    q = _calidad(informe, AmbitoResultado.PAIS, 0)
    assert q["n"] == 10
    assert q["desertores"] == 4
    # Alto: e1, e2, e6; two of them dropped out, of four dropouts.
    assert q["alto"]["precision"] == pytest.approx(2 / 3)
    assert q["alto"]["recall"] == pytest.approx(2 / 4)
    # Alto or medio: six flagged, three dropped out.
    assert q["alto_medio"]["precision"] == pytest.approx(3 / 6)
    assert q["alto_medio"]["recall"] == pytest.approx(3 / 4)
    # Of 4 x 6 (dropout, stayer) pairs, 18 have the dropout ranked higher.
    assert q["roc_auc"] == pytest.approx(18 / 24)


def test_it_computes_calibration_deciles(plantado):
    [informe] = resultados_calcular()
    deciles = _calidad(informe, AmbitoResultado.PAIS, 0)["calibracion"]
    # Ten students: one per decile, from the lowest probability up.
    assert [d["n"] for d in deciles] == [1] * 10
    assert [d["predicho"] for d in deciles] == pytest.approx(
        [0.01, 0.02, 0.03, 0.05, 0.15, 0.20, 0.25, 0.50, 0.60, 0.70]
    )
    assert [d["observado"] for d in deciles] == [0, 0, 1, 0, 0, 1, 0, 0, 1, 1]


def test_it_breaks_down_by_group(plantado):
    [informe] = resultados_calcular()

    def grupo(dimension, valor):
        return _conteos(informe, AmbitoResultado.PAIS, 0, dimension, valor)

    assert grupo(Dimension.SEXO, "MUJER") == {
        "ALTO": (1, 1),
        "MEDIO": (3, 1),
        "BAJO": (1, 0),
    }
    assert grupo(Dimension.SEXO, "HOMBRE") == {
        "ALTO": (2, 1),
        "BAJO": (3, 1),
    }
    assert grupo(Dimension.LENGUA, "ORIGINARIA") == {
        "ALTO": (2, 2),
        "MEDIO": (1, 0),
    }
    assert grupo(Dimension.AREA, "RURAL") == {"MEDIO": (1, 0), "BAJO": (1, 0)}
    assert grupo(Dimension.NIVEL, "PRIMARIA") == {
        "ALTO": (3, 2),
        "MEDIO": (3, 1),
        "BAJO": (4, 1),
    }
    assert grupo(Dimension.NIVEL, "SECUNDARIA") == {}


def test_it_splits_students_with_and_without_an_action(plantado):
    [informe] = resultados_calcular()

    def grupo(valor):
        return _conteos(informe, AmbitoResultado.PAIS, 0, Dimension.ACCION, valor)

    assert grupo("CON") == {"ALTO": (2, 1)}
    assert grupo("SIN") == {"ALTO": (1, 1), "MEDIO": (3, 1), "BAJO": (4, 1)}


def test_it_is_idempotent(plantado):
    [primero] = resultados_calcular()
    filas = FilaResultado.objects.count()
    assert resultados_calcular() == []
    assert calcular_resultados() == []
    assert InformeResultados.objects.count() == 1
    assert FilaResultado.objects.filter(informe=primero).count() == filas


def test_a_change_in_the_next_year_computes_it_again(plantado):
    m = plantado.mundo
    [primero] = resultados_calcular()
    antes = huella_de(2025)
    # One more 2026 enrollment: year t+1 changed.
    MatriculaFactory(seccion=SeccionFactory(ie=m.ie_uno, anio=2026, letra="Z"))
    assert huella_de(2025) != antes
    [segundo] = calcular_resultados.delay().get()
    assert segundo != primero.pk
    assert InformeResultados.objects.vigente(2025).pk == segundo


def test_nothing_is_computed_before_the_next_year_exists(puntajes):
    # The 2026 run has no 2027 enrollment.
    assert huella_de(2026) is None
    assert pendientes() == []
    assert resultados_calcular() == []
    assert not InformeResultados.objects.exists()


def test_it_reads_the_last_successful_run_of_the_year(plantado):
    from riesgo.models import EjecucionPuntaje, EstadoEjecucion

    EjecucionPuntaje.objects.create(
        modelo=plantado.modelo, anio=2025, estado=EstadoEjecucion.FALLIDA
    )
    [informe] = resultados_calcular()
    assert informe.ejecucion == plantado.ejecucion


def test_a_blank_mother_tongue_is_its_own_group(plantado):
    from alerta.models import Estudiante

    # e10 (BAJO, stayed) has no mother tongue recorded.
    Estudiante.objects.filter(matriculas__puntajes__probabilidad=0.01).update(
        lengua_materna=""
    )
    [informe] = resultados_calcular()

    def grupo(valor):
        return _conteos(informe, AmbitoResultado.PAIS, 0, Dimension.LENGUA, valor)

    assert grupo("DESCONOCIDA") == {"BAJO": (1, 0)}
    assert grupo("CASTELLANO") == {
        "ALTO": (1, 0),
        "MEDIO": (2, 1),
        "BAJO": (3, 1),
    }


def test_a_failure_is_recorded_and_tried_again_the_next_night(plantado, monkeypatch):
    from resultados import calculo

    def falla(anio, X):
        raise RuntimeError("sin conexión")

    monkeypatch.setattr(calculo, "etiquetas", falla)
    with pytest.raises(RuntimeError):
        resultados_calcular()
    fallido = InformeResultados.objects.get()
    assert fallido.estado == EstadoInforme.FALLIDO
    assert "sin conexión" in fallido.error
    assert not FilaResultado.objects.exists()
    assert InformeResultados.objects.vigente() is None

    monkeypatch.undo()
    [informe] = resultados_calcular()
    assert informe.estado == EstadoInforme.EXITOSO


def test_a_computation_under_way_is_not_started_twice(plantado):
    import datetime as dt

    from django.utils import timezone

    en_curso = InformeResultados.objects.create(
        anio=2025,
        ejecucion=plantado.ejecucion,
        modelo=plantado.modelo,
        huella=huella_de(2025),
    )
    assert resultados_calcular() == []
    # One cut off long ago (its worker died) does not hold it back.
    InformeResultados.objects.filter(pk=en_curso.pk).update(
        inicio=timezone.now() - dt.timedelta(hours=7)
    )
    [informe] = resultados_calcular()
    assert informe.estado == EstadoInforme.EXITOSO


def test_a_new_import_of_the_next_year_computes_it_again_but_not_of_another(plantado):
    from siagie_import.models import EstadoImportacion, Importacion

    [primero] = resultados_calcular()

    def importar(anio):
        Importacion.objects.create(
            tipo="NOMINA",
            anio=anio,
            nombre_archivo=f"nomina_{anio}.csv",
            sha256="0",
            estado=EstadoImportacion.COMPLETADA,
        )

    importar(2027)
    assert resultados_calcular() == []
    importar(2026)
    [segundo] = resultados_calcular()
    assert segundo.pk != primero.pk
