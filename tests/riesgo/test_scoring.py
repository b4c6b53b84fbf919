"""Scoring runs in chunks: complete, idempotent, resumable, never half-current."""

import functools
import threading

import numpy as np
import pandas as pd
import pytest
from django.db import OperationalError, connection, transaction
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder

from alerta.models import Matricula, Nivel, SituacionFinal
from riesgo import artefactos, scoring
from riesgo.explicaciones import referencia_calcular
from riesgo.features import CATEGORICAS, NUMERICAS
from riesgo.models import (
    AgregadoRiesgo,
    Ambito,
    EjecucionPuntaje,
    EstadoEjecucion,
    EstadoModelo,
    LoteEjecucion,
    ModeloRiesgo,
    NivelRiesgo,
    Puntaje,
)
from riesgo.tasks import ejecucion_reanudar, interrumpidas_cerrar, puntuar_estudiantes
from tests.factories import (
    MatriculaFactory,
    SeccionFactory,
)

ANIO = 2026


@functools.cache
def _pipeline_de_prueba() -> tuple[Pipeline, pd.DataFrame]:
    """A small model where absences raise the risk, trained on random rows."""
    rng = np.random.default_rng(0)
    n = 400
    X = pd.DataFrame({c: rng.random(n) for c in NUMERICAS})
    for c in CATEGORICAS:
        X[c] = rng.choice(["A", "B"], n)
    y = (X["tasa_inasistencia"] + 0.2 * rng.random(n) > 0.7).astype(int)
    pipeline = Pipeline(
        [
            (
                "preprocesar",
                ColumnTransformer(
                    [
                        (
                            "cat",
                            OrdinalEncoder(
                                handle_unknown="use_encoded_value", unknown_value=-1
                            ),
                            CATEGORICAS,
                        )
                    ],
                    remainder="passthrough",
                ),
            ),
            ("clasificador", HistGradientBoostingClassifier(max_iter=20)),
        ]
    ).fit(X[NUMERICAS + CATEGORICAS], y)
    return pipeline, X


@pytest.fixture
def modelo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pipeline, X = _pipeline_de_prueba()
    ruta, sha = artefactos.guardar(pipeline, "prueba.skops")
    return ModeloRiesgo.objects.create(
        version=1,
        estado=EstadoModelo.PUBLICADO,
        algoritmo="prueba",
        corte_alto=0.5,
        corte_medio=0.2,
        artefacto=ruta,
        sha256=sha,
        referencia=referencia_calcular(X[NUMERICAS + CATEGORICAS]),
    )


def test_a_run_in_chunks_scores_every_current_student_once(modelo, region):
    ejecucion = scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)

    assert ejecucion.estado == EstadoEjecucion.EXITOSA
    assert ejecucion.lotes == 5 == LoteEjecucion.objects.filter(hecho=True).count()
    puntajes = Puntaje.objects.filter(ejecucion=ejecucion)
    assert puntajes.count() == len(region) == ejecucion.estudiantes
    assert set(puntajes.values_list("matricula_id", flat=True)) == {
        m.pk for m in region
    }
    assert EjecucionPuntaje.objects.vigente() == ejecucion


def test_chunks_never_split_an_ie(modelo, region):
    rangos = scoring.rangos_de_ies(ANIO, 3)
    ies = sorted({m.seccion.ie_id for m in region})
    # Each IE has 8 students, more than 3: one IE per chunk.
    assert [(r.desde, r.hasta, r.estudiantes) for r in rangos] == [
        (ie, ie, 8) for ie in ies
    ]


def test_students_who_miss_school_get_higher_risk_and_that_factor(modelo, region):
    ejecucion = scoring.puntaje_ejecutar(anio=ANIO)
    faltan = Puntaje.objects.filter(
        ejecucion=ejecucion,
        matricula__estudiante__asistencias__inasistencias_injustificadas=30,
    )
    asisten = Puntaje.objects.filter(ejecucion=ejecucion).exclude(
        pk__in=faltan.values("pk")
    )
    assert faltan.count() == 10
    assert min(faltan.values_list("probabilidad", flat=True)) > max(
        asisten.values_list("probabilidad", flat=True)
    )
    assert set(faltan.values_list("factor_1", flat=True)) == {"inasistencias"}
    for p in Puntaje.objects.filter(ejecucion=ejecucion):
        assert p.nivel == modelo.nivel_para(p.probabilidad)


def test_running_a_chunk_twice_writes_nothing_twice(modelo, region):
    ejecucion = scoring.puntaje_iniciar(anio=ANIO, tamano_lote=8)
    lote = ejecucion.lotes_de.first()
    primera = scoring.lote_puntuar(lote.pk)
    segunda = scoring.lote_puntuar(lote.pk)
    assert primera == segunda > 0
    assert Puntaje.objects.filter(ejecucion=ejecucion).count() == primera


def test_aggregates_add_up_at_every_scope(modelo, region):
    ejecucion = scoring.puntaje_ejecutar(anio=ANIO)
    agregados = AgregadoRiesgo.objects.filter(ejecucion=ejecucion)

    def total(ambito, **filtro):
        filas = agregados.filter(ambito=ambito, **filtro)
        return sum(a.alto + a.medio + a.bajo for a in filas)

    assert total(Ambito.NACIONAL) == len(region)
    for ambito in (Ambito.SECCION, Ambito.IE, Ambito.UGEL, Ambito.DRE):
        assert total(ambito) == len(region)
    ie = region[0].seccion.ie
    por_nivel = Puntaje.objects.filter(
        ejecucion=ejecucion, matricula__seccion__ie=ie
    ).values_list("nivel", flat=True)
    filas = agregados.filter(ambito=Ambito.IE, clave=ie.pk)
    assert sorted(f.grado for f in filas) == [1, 2]
    assert sum(f.alto for f in filas) == list(por_nivel).count("ALTO")
    assert sum(f.medio for f in filas) == list(por_nivel).count("MEDIO")
    assert sum(f.bajo for f in filas) == list(por_nivel).count("BAJO")
    assert agregados.filter(ambito=Ambito.UGEL).values("clave").distinct().count() == 2


def _quinto_de_secundaria(ie, n: int = 3) -> list:
    """`n` current students of 5.º de secundaria in `ie`, each with another
    situación, plus one moved out (not current)."""
    seccion = SeccionFactory(
        ie=ie, anio=ANIO, nivel=Nivel.SECUNDARIA, grado=5, letra="A"
    )
    situaciones = ["", SituacionFinal.DESAPROBADO, SituacionFinal.RETIRADO]
    quinto = [
        MatriculaFactory(seccion=seccion, situacion_final=situaciones[i % 3])
        for i in range(n)
    ]
    MatriculaFactory(seccion=seccion, situacion_final=SituacionFinal.TRASLADADO)
    return quinto


def test_no_quinto_de_secundaria_student_is_scored(modelo, region):
    quinto = _quinto_de_secundaria(region[0].seccion.ie)
    ejecucion = scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)
    puntuadas = set(
        Puntaje.objects.filter(ejecucion=ejecucion).values_list(
            "matricula_id", flat=True
        )
    )
    assert puntuadas == {m.pk for m in region}
    assert not puntuadas & {m.pk for m in quinto}
    assert ejecucion.estudiantes == len(region)
    # Chunks are sized by the students they score.
    assert sum(r.estudiantes for r in scoring.rangos_de_ies(ANIO, 8)) == len(region)


def test_aggregates_count_quinto_de_secundaria_apart_so_totals_add_up(modelo, region):
    ie = region[0].seccion.ie
    quinto = _quinto_de_secundaria(ie)
    ejecucion = scoring.puntaje_ejecutar(anio=ANIO)
    agregados = AgregadoRiesgo.objects.filter(ejecucion=ejecucion)
    vigentes = Matricula.objects.vigentes().filter(seccion__anio=ANIO).count()
    assert vigentes == len(region) + len(quinto)
    for ambito in Ambito.values:
        filas = agregados.filter(ambito=ambito)
        assert sum(a.sin_riesgo for a in filas) == len(quinto)
        assert sum(a.alto + a.medio + a.bajo + a.sin_riesgo for a in filas) == (
            vigentes
        )
    fila = agregados.get(ambito=Ambito.IE, clave=ie.pk, nivel=Nivel.SECUNDARIA)
    assert (fila.grado, fila.alto, fila.medio, fila.bajo, fila.sin_riesgo) == (
        5,
        0,
        0,
        0,
        3,
    )
    assert not agregados.filter(sin_riesgo__gt=0).exclude(
        nivel=Nivel.SECUNDARIA, grado=5
    )


def test_a_failing_chunk_leaves_the_previous_run_current_and_can_be_resumed(
    modelo, region, monkeypatch
):
    anterior = scoring.puntaje_ejecutar(anio=ANIO)
    original = scoring.construir_features
    llamadas = []

    def falla_en_el_tercero(*args, **kwargs):
        llamadas.append(1)
        if len(llamadas) == 3:
            raise RuntimeError("conexión perdida")
        return original(*args, **kwargs)

    monkeypatch.setattr(scoring, "construir_features", falla_en_el_tercero)
    with pytest.raises(RuntimeError):
        scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)
    fallida = EjecucionPuntaje.objects.get(estado=EstadoEjecucion.FALLIDA)
    assert "conexión perdida" in fallida.error
    assert EjecucionPuntaje.objects.vigente() == anterior
    assert not AgregadoRiesgo.objects.filter(ejecucion=fallida).exists()
    hechos = fallida.lotes_de.filter(hecho=True).count()
    assert hechos == 2
    assert Puntaje.objects.filter(ejecucion=fallida).count() == 16

    monkeypatch.setattr(scoring, "construir_features", original)
    ejecucion_reanudar(fallida)
    fallida.refresh_from_db()
    assert fallida.estado == EstadoEjecucion.EXITOSA
    assert EjecucionPuntaje.objects.vigente() == fallida
    puntajes = Puntaje.objects.filter(ejecucion=fallida)
    assert puntajes.count() == len(region)
    assert puntajes.values("matricula").distinct().count() == len(region)


def test_a_chunk_cut_off_while_writing_leaves_no_rows(modelo, region, monkeypatch):
    ejecucion = scoring.puntaje_iniciar(anio=ANIO, tamano_lote=8)
    lote = ejecucion.lotes_de.first()
    original = scoring.insertar_en_bloque

    def escribe_y_cae(*args, **kwargs):
        original(*args, **kwargs)
        raise ConnectionError("el proceso murió")

    monkeypatch.setattr(scoring, "insertar_en_bloque", escribe_y_cae)
    with pytest.raises(ConnectionError):
        scoring.lote_puntuar(lote.pk)
    lote.refresh_from_db()
    assert not lote.hecho
    assert not Puntaje.objects.filter(ejecucion=ejecucion).exists()


def test_the_nightly_task_runs_the_chord_in_process(modelo, region):
    ejecucion_id = puntuar_estudiantes.delay(anio=ANIO).get()
    ejecucion = EjecucionPuntaje.objects.get(pk=ejecucion_id)
    assert ejecucion.estado == EstadoEjecucion.EXITOSA
    assert ejecucion.estudiantes == len(region)


def test_a_run_cut_off_long_ago_is_recorded_as_interrupted(modelo, region):
    import datetime as dt

    from django.utils import timezone

    ejecucion = scoring.puntaje_iniciar(anio=ANIO)
    EjecucionPuntaje.objects.filter(pk=ejecucion.pk).update(
        inicio=timezone.now() - dt.timedelta(days=1)
    )
    assert interrumpidas_cerrar() == 1
    ejecucion.refresh_from_db()
    assert ejecucion.estado == EstadoEjecucion.FALLIDA


def test_without_a_published_model_nothing_starts(db, region):
    with pytest.raises(scoring.SinModeloPublicado):
        scoring.puntaje_ejecutar(anio=ANIO)
    assert not EjecucionPuntaje.objects.exists()


def test_students_moved_out_are_not_scored(modelo, region):
    from alerta.models import SituacionFinal

    movido = region[1]
    Matricula.objects.filter(pk=movido.pk).update(
        situacion_final=SituacionFinal.TRASLADADO
    )
    ejecucion = scoring.puntaje_ejecutar(anio=ANIO)
    assert not Puntaje.objects.filter(ejecucion=ejecucion, matricula=movido).exists()
    assert ejecucion.estudiantes == len(region) - 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: PostgreSQL only"
)
def test_a_chunk_being_scored_does_not_hold_up_the_other_chunks(modelo, region):
    ejecucion = scoring.puntaje_iniciar(anio=ANIO, tamano_lote=8)
    uno, otro = ejecucion.lotes_de.order_by("pk")[:2]
    tomado, soltar = threading.Event(), threading.Event()

    def puntuar_lento():
        # What a worker holds while it scores a chunk: its transaction.
        with transaction.atomic():
            scoring.lote_bloquear(uno.pk)
            tomado.set()
            soltar.wait(30)
        connection.close()

    hilo = threading.Thread(target=puntuar_lento)
    hilo.start()
    try:
        assert tomado.wait(30)
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL lock_timeout = '2s'")
            try:
                assert scoring.lote_bloquear(otro.pk).pk == otro.pk
            except OperationalError:
                pytest.fail("a second chunk waited for the first one's lock")
    finally:
        soltar.set()
        hilo.join(30)


def _ejecutar() -> dict[int, tuple[float, str]]:
    ejecucion = scoring.puntaje_ejecutar(anio=ANIO)
    return {
        p.matricula_id: (p.probabilidad, p.nivel)
        for p in Puntaje.objects.filter(ejecucion=ejecucion)
    }


def test_a_student_exactly_at_a_cut_off_gets_the_higher_level(modelo, region):
    primera = _ejecutar()
    arriba = max(p for p, _n in primera.values())
    abajo = min(p for p, _n in primera.values())
    assert abajo < arriba

    ModeloRiesgo.objects.filter(pk=modelo.pk).update(
        corte_alto=arriba, corte_medio=abajo
    )
    puntajes = _ejecutar()
    assert {n for p, n in puntajes.values() if p == arriba} == {NivelRiesgo.ALTO}
    assert {n for p, n in puntajes.values() if p == abajo} == {NivelRiesgo.MEDIO}

    # One step of a stored probability (six decimals) below each cut-off.
    ModeloRiesgo.objects.filter(pk=modelo.pk).update(
        corte_alto=arriba + 1e-6, corte_medio=abajo + 1e-6
    )
    puntajes = _ejecutar()
    assert {n for p, n in puntajes.values() if p == arriba} == {NivelRiesgo.MEDIO}
    assert {n for p, n in puntajes.values() if p == abajo} == {NivelRiesgo.BAJO}
