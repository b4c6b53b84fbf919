"""Drift watch: reference bins, counts that add up over chunks, PSI per run,
and Minedu told once of an important drift."""

import math

import numpy as np
import pandas as pd
import pytest
from django.core import mail

from riesgo import artefactos, deriva, scoring
from riesgo.explicaciones import referencia_calcular
from riesgo.features import CATEGORICAS, NUMERICAS
from riesgo.models import (
    AvisoDeriva,
    DerivaEjecucion,
    EstadoEjecucion,
    EstadoModelo,
    ModeloRiesgo,
    NivelDeriva,
)
from tests.riesgo.test_scoring import ANIO, _pipeline_de_prueba

# --- Pure functions --------------------------------------------------------------


def test_psi_of_identical_distributions_is_zero():
    esperado = [0.1, 0.2, 0.3, 0.4]
    assert deriva.psi(esperado, [10, 20, 30, 40]) == pytest.approx(0, abs=1e-12)


def test_psi_of_a_known_shift_is_the_one_computed_by_hand():
    # (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5)
    a_mano = 0.25 * math.log(2) + 0.25 * math.log(1.5)
    assert deriva.psi([0.5, 0.5], [25, 75]) == pytest.approx(a_mano)
    assert a_mano == pytest.approx(0.2747, abs=1e-4)


def test_an_empty_bin_is_floored_not_infinite():
    # Expected 0 in the last bin, observed 10 %: e is floored at PISO.
    valor = deriva.psi([0.5, 0.5, 0.0], [45, 45, 10])
    a_mano = 2 * (0.45 - 0.5) * math.log(0.45 / 0.5) + (0.1 - deriva.PISO) * math.log(
        0.1 / deriva.PISO
    )
    assert math.isfinite(valor)
    assert valor == pytest.approx(a_mano)
    # And an observed empty bin too.
    assert math.isfinite(deriva.psi([0.5, 0.5], [100, 0]))


def test_numeric_bins_are_deciles_with_open_ends_and_missing_apart():
    serie = pd.Series([*range(100), np.nan, np.nan])
    tramos = deriva.tramos_numericos(serie)

    assert tramos["tipo"] == deriva.NUMERICA
    assert tramos["cortes"] == [9, 19, 29, 39, 49, 59, 69, 79, 89]
    assert tramos["esperado"][:-1] == pytest.approx([10 / 102] * 10)
    assert tramos["cortes"] == sorted(tramos["cortes"])
    assert len(tramos["esperado"]) == 11
    assert tramos["esperado"][-1] == pytest.approx(2 / 102)
    assert sum(tramos["esperado"]) == pytest.approx(1)
    # Values beyond the training range fall in the open end bins.
    conteos = deriva.contar_variable(tramos, pd.Series([-1e9, 1e9, np.nan]))
    assert conteos.tolist() == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]


def test_a_binary_feature_gets_deduplicated_cuts():
    tramos = deriva.tramos_numericos(pd.Series([0.0] * 70 + [1.0] * 30))
    assert tramos["cortes"] == [0.0, 1.0]
    assert tramos["esperado"] == pytest.approx([0.7, 0.3, 0.0, 0.0])


def test_categorical_unseen_categories_go_to_others():
    tramos = deriva.tramos_categoricos(pd.Series(["A"] * 3 + ["B"]))
    assert tramos["categorias"] == ["A", "B"]
    assert tramos["esperado"] == pytest.approx([0.75, 0.25, 0.0])

    conteos = deriva.contar_variable(tramos, pd.Series(["A", "C", "D", None]))
    assert conteos.tolist() == [1, 0, 3]
    assert deriva.psi(tramos["esperado"], conteos) > 0.25


def _tabla(n: int, semilla: int) -> pd.DataFrame:
    rng = np.random.default_rng(semilla)
    X = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "k": rng.choice(["A", "B", "C"], n),
        }
    )
    X.loc[rng.random(n) < 0.1, "x"] = np.nan
    return X


def test_counts_of_chunks_add_up_to_those_of_the_whole_table():
    X = _tabla(5000, 1)
    p = np.random.default_rng(2).random(len(X))
    referencia = deriva.referencia_deriva(
        X, numericas=["x"], categoricas=["k"], probabilidades=p
    )
    # Tonight's table: shifted, with a category never seen.
    hoy = _tabla(3001, 3)
    hoy["x"] += 0.3
    hoy.loc[hoy.index[:50], "k"] = "Z"
    p_hoy = np.random.default_rng(4).random(len(hoy)) ** 2

    todo = deriva.contar(referencia, hoy, p_hoy)
    partes = [
        deriva.contar(referencia, hoy.iloc[idx], p_hoy[idx])
        for idx in np.array_split(np.arange(len(hoy)), 7)
    ]
    assert deriva.sumar(partes) == todo
    assert {v: sum(c) for v, c in todo.items()} == {
        "x": 3001,
        "k": 3001,
        deriva.PUNTAJE: 3001,
    }
    assert todo["k"][-1] == 50


def test_the_training_table_has_no_drift_from_itself_and_a_shift_has_some():
    X = _tabla(5000, 1)
    p = np.random.default_rng(2).random(len(X))
    referencia = deriva.referencia_deriva(
        X, numericas=["x"], categoricas=["k"], probabilidades=p
    )
    mismo = deriva.psi_por_variable(referencia, deriva.contar(referencia, X, p))
    assert mismo == pytest.approx({"x": 0, "k": 0, deriva.PUNTAJE: 0}, abs=1e-9)

    corrida = X.assign(x=X["x"] + 1)
    psis = deriva.psi_por_variable(referencia, deriva.contar(referencia, corrida, p))
    assert deriva.nivel(psis["x"]) == NivelDeriva.IMPORTANTE
    assert psis["k"] == pytest.approx(0, abs=1e-9)


def test_levels_follow_the_settings(settings):
    assert deriva.nivel(0.05) == NivelDeriva.ESTABLE
    assert deriva.nivel(0.10) == NivelDeriva.MODERADA
    assert deriva.nivel(0.2499) == NivelDeriva.MODERADA
    assert deriva.nivel(0.25) == NivelDeriva.IMPORTANTE
    settings.DERIVA_PSI_IMPORTANTE = 0.5
    assert deriva.nivel(0.3) == NivelDeriva.MODERADA


# --- The nightly run ---------------------------------------------------------------


def _modelo(*, con_referencia: bool, version: int = 1) -> ModeloRiesgo:
    """The scoring tests' small model, with the drift reference of its
    (random, uniform) training table when asked."""
    pipeline, X = _pipeline_de_prueba()
    ruta, sha = artefactos.guardar(pipeline, f"prueba_{version}.skops")
    columnas = NUMERICAS + CATEGORICAS
    referencia_deriva = {}
    if con_referencia:
        p = pipeline.predict_proba(X[columnas])[:, 1]
        referencia_deriva = deriva.referencia_deriva(
            X, numericas=NUMERICAS, categoricas=CATEGORICAS, probabilidades=p
        )
    return ModeloRiesgo.objects.create(
        version=version,
        estado=EstadoModelo.PUBLICADO,
        algoritmo="prueba",
        corte_alto=0.5,
        corte_medio=0.2,
        artefacto=ruta,
        sha256=sha,
        referencia=referencia_calcular(X[columnas]),
        referencia_deriva=referencia_deriva,
    )


@pytest.fixture
def nacional(mundo):
    mundo.nacional.email = "minedu@example.org"
    mundo.nacional.save()
    return mundo.nacional


def test_a_run_stores_the_psi_of_every_feature_and_of_the_score(db, region):
    modelo = _modelo(con_referencia=True)

    ejecucion = scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)

    assert ejecucion.estado == EstadoEjecucion.EXITOSA
    derivas = {d.variable: d for d in ejecucion.derivas.all()}
    assert set(derivas) == set(modelo.referencia_deriva)
    assert deriva.PUNTAJE in derivas
    # Exactly what counting every scored student at once gives.
    conteos = deriva.sumar(ejecucion.lotes_de.values_list("conteos_deriva", flat=True))
    assert sum(conteos["grado"]) == ejecucion.estudiantes == len(region)
    for variable, d in derivas.items():
        esperado = modelo.referencia_deriva[variable]["esperado"]
        assert d.psi == pytest.approx(deriva.psi(esperado, conteos[variable]))
        assert d.nivel == deriva.nivel(d.psi)
    # Grades 1 and 2 against a uniform [0, 1) training column: all in the top bin.
    assert derivas["grado"].nivel == NivelDeriva.IMPORTANTE


def test_a_model_without_reference_runs_and_stores_no_drift(db, region, nacional):
    _modelo(con_referencia=False)

    ejecucion = scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)

    assert ejecucion.estado == EstadoEjecucion.EXITOSA
    assert not DerivaEjecucion.objects.exists()
    conteos = list(ejecucion.lotes_de.values_list("conteos_deriva", flat=True))
    assert conteos and all(c == {} for c in conteos)
    assert mail.outbox == []


def test_minedu_is_told_of_an_important_drift_once(db, region, nacional, mailoutbox):
    modelo = _modelo(con_referencia=True)

    primera = scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)
    importantes = set(
        primera.derivas.filter(nivel=NivelDeriva.IMPORTANTE).values_list(
            "variable", flat=True
        )
    )
    assert importantes
    assert len(mailoutbox) == 1
    correo = mailoutbox[0]
    assert correo.to == ["minedu@example.org"]
    assert "deriva importante" in correo.subject
    assert "/modelos/" in correo.body
    assert all(v in correo.body for v in importantes)
    assert (
        set(
            AvisoDeriva.objects.filter(modelo=modelo).values_list("variable", flat=True)
        )
        == importantes
    )

    # The same drift the next night: already told.
    scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)
    assert len(mailoutbox) == 1


def test_a_failed_send_is_tried_again_by_the_next_run(
    db, region, nacional, mailoutbox, monkeypatch
):
    _modelo(con_referencia=True)
    from riesgo import vigilancia

    def falla(*args, **kwargs):
        raise ConnectionRefusedError("smtp")

    monkeypatch.setattr(vigilancia, "send_mass_mail", falla)
    ejecucion = scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)
    # The run still succeeds; nothing was claimed.
    assert ejecucion.estado == EstadoEjecucion.EXITOSA
    assert not AvisoDeriva.objects.exists()

    monkeypatch.undo()
    scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)
    assert len(mailoutbox) == 1


# --- The model page and Minedu's home -------------------------------------------


LISTA = "/modelos/"


@pytest.fixture
def con_deriva(db, region, mundo):
    modelo = _modelo(con_referencia=True)
    return scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8), modelo


def test_minedu_sees_each_variables_drift_in_words_colour_and_icon(
    client, mundo, con_deriva
):
    ejecucion, modelo = con_deriva
    client.force_login(mundo.nacional)

    r = client.get(LISTA)

    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="tabla-deriva"' in html
    filas = r.context["deriva"].filas
    assert filas[0].variable == deriva.PUNTAJE
    psis = [d.psi for d in ejecucion.derivas.exclude(variable=deriva.PUNTAJE)]
    assert len(filas) == len(psis) + 1
    # The features from the largest PSI down.
    assert [f.variable for f in filas[1:]] == [
        d.variable
        for d in sorted(
            ejecucion.derivas.exclude(variable=deriva.PUNTAJE),
            key=lambda d: (-d.psi, d.variable),
        )
    ]
    importante = next(f for f in filas if f.nivel == NivelDeriva.IMPORTANTE)
    assert importante.clase == "nivel-alto" and importante.icono == "▲"
    assert (
        '<span class="nivel nivel-alto"><span aria-hidden="true">▲</span> Importante'
        in html
    )
    assert "Qué hacer ante una deriva importante" in html
    assert "<code>grado</code>" in html


def test_a_version_without_reference_says_so_on_the_page(client, mundo, region):
    _modelo(con_referencia=False)
    scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)
    client.force_login(mundo.nacional)

    html = client.get(LISTA).content.decode()

    assert "Sin referencia" in html
    assert 'id="tabla-deriva"' not in html


def test_the_page_reads_the_thresholds_from_the_settings(
    client, mundo, con_deriva, settings
):
    settings.DERIVA_PSI_MODERADA = 0.2
    client.force_login(mundo.nacional)
    html = client.get(LISTA).content.decode()
    assert "menos de 0,20 es estable" in html


def test_the_page_stays_404_for_a_tutor(client, mundo, con_deriva):
    client.force_login(mundo.tutora)
    assert client.get(LISTA).status_code == 404


def test_minedus_home_shows_the_important_drift_and_a_tutors_does_not(
    client, mundo, con_deriva
):
    ejecucion, _modelo_ = con_deriva
    n = ejecucion.derivas.filter(nivel=NivelDeriva.IMPORTANTE).count()
    assert n

    client.force_login(mundo.nacional)
    html = client.get("/").content.decode()
    assert 'id="aviso-deriva"' in html
    assert f"{n} variables del modelo v1" in html

    client.force_login(mundo.tutora)
    assert 'id="aviso-deriva"' not in client.get("/").content.decode()


def test_minedus_home_has_no_notice_without_drift(client, mundo, puntajes):
    client.force_login(mundo.nacional)
    assert 'id="aviso-deriva"' not in client.get("/").content.decode()


def test_only_active_national_users_with_an_address_are_told(
    db, region, nacional, mundo, mailoutbox
):
    from alerta.models import Rol
    from tests.factories import UsuarioFactory, asignar

    sin_correo = UsuarioFactory()
    asignar(sin_correo, Rol.NACIONAL)
    retirada = UsuarioFactory(email="antes@example.org")
    asignar(retirada, Rol.NACIONAL, activa=False)
    mundo.ugel.email = "ugel@example.org"
    mundo.ugel.save()
    _modelo(con_referencia=True)

    scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)

    assert [m.to for m in mailoutbox] == [["minedu@example.org"]]


def test_a_new_version_with_the_same_drift_is_told_again(
    db, region, nacional, mailoutbox
):
    primera = _modelo(con_referencia=True)
    scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)
    primera.estado = EstadoModelo.RETIRADO
    primera.save()
    _modelo(con_referencia=True, version=2)

    scoring.puntaje_ejecutar(anio=ANIO, tamano_lote=8)

    assert len(mailoutbox) == 2
    assert "v2" in mailoutbox[1].subject


def test_the_versions_detail_shows_its_last_runs_drift(client, mundo, con_deriva):
    ejecucion, modelo = con_deriva
    client.force_login(mundo.nacional)

    r = client.get(f"/modelos/{modelo.version}/")

    assert r.status_code == 200
    assert r.context["deriva"].ejecucion == ejecucion
    assert 'id="tabla-deriva"' in r.content.decode()
