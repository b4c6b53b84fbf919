"""The pilot's analysis on known truth: a simulated pilot with a planted
effect (pilotos.simulacion) must be found inside the 95 % intervals, a null
pilot must give intervals containing zero, and across many pilots the
intervals must cover the truth about as often as they claim."""

import numpy as np
import pandas as pd
import pytest

from pilotos.analisis import CONTROL, analizar, efecto_minimo, icc, itt
from pilotos.simulacion import simular_piloto


def test_the_planted_effect_is_inside_every_interval():
    datos, verdad = simular_piloto(efecto_uso=-0.08, semilla=11)
    resultado = analizar(datos)
    por_brazo = {b.codigo: b for b in resultado.brazos}
    for brazo, efecto in verdad.itt.items():
        assert por_brazo[brazo].itt.contiene(efecto), (brazo, por_brazo[brazo].itt)
    assert resultado.iv.contiene(verdad.efecto_uso), resultado.iv
    # 240 units are too few to tell T2's planted 3.2 points from zero for
    # sure: the power note says so (its minimum detectable effect is larger).
    assert por_brazo["t2"].efecto_minimo > abs(verdad.itt["t2"])
    # Strong instruments: the trainings move use.
    assert resultado.f_primera_etapa > 10


def test_a_null_pilot_gives_intervals_containing_zero():
    datos, verdad = simular_piloto(efecto_uso=0.0, semilla=11)
    assert set(verdad.itt.values()) == {0.0}
    resultado = analizar(datos)
    for brazo in resultado.brazos:
        if brazo.codigo != CONTROL:
            assert brazo.itt.contiene(0.0), (brazo.codigo, brazo.itt)
    assert resultado.iv.contiene(0.0)


def test_intervals_cover_the_truth_about_95_times_in_100():
    cubren, total = 0, 0
    for semilla in range(40):
        datos, verdad = simular_piloto(
            unidades=160, efecto_uso=-0.06, semilla=100 + semilla
        )
        efectos = itt(datos)
        for brazo, efecto in verdad.itt.items():
            cubren += efectos[brazo].contiene(efecto)
            total += 1
    # 120 intervals at 95 %: a coverage below 85 % would mean they are too
    # narrow (e.g. errors not clustered by unit).
    assert 0.85 <= cubren / total <= 1.0, cubren / total


def test_unclustered_errors_would_be_too_narrow():
    # The guard above can fail: with errors that ignore the units the same
    # pilots' intervals are narrower than the clustered ones.
    import statsmodels.formula.api as smf

    datos, _verdad = simular_piloto(efecto_uso=-0.06, semilla=5)
    ingenuo = smf.ols(
        "desercion ~ C(brazo, Treatment(reference='control')) + C(estrato)",
        data=datos.assign(desercion=datos["desercion"].astype(float)),
    ).fit()
    nombre = "C(brazo, Treatment(reference='control'))[T.t1]"
    assert ingenuo.bse[nombre] < itt(datos)["t1"].error


def test_dropout_and_use_per_arm_are_counted():
    datos = pd.DataFrame(
        {
            "unidad": [1, 1, 2, 2, 3, 3, 4, 4],
            "estrato": [0] * 8,
            "brazo": [CONTROL, CONTROL, CONTROL, CONTROL, "t1", "t1", "t1", "t1"],
            "uso": [0.2, 0.2, 0.4, 0.4, 0.6, 0.6, 0.8, 0.8],
            "desercion": [1, 0, 0, 0, 0, 0, 1, 1],
        }
    )
    resultado = analizar(datos)
    control, t1 = resultado.brazos
    assert (control.unidades, control.estudiantes, control.desertores) == (2, 4, 1)
    assert (t1.unidades, t1.estudiantes, t1.desertores) == (2, 4, 2)
    assert control.tasa == 0.25 and t1.tasa == 0.5
    assert control.uso == pytest.approx(0.3) and t1.uso == pytest.approx(0.7)
    # One stratum, no other regressor: the ITT is the difference of means.
    assert t1.itt.efecto == pytest.approx(0.25)


def test_use_per_arm_follows_the_encouragement():
    datos, _verdad = simular_piloto(semilla=4)
    por_brazo = {b.codigo: b for b in analizar(datos).brazos}
    assert set(por_brazo["t2"].medidas) == {
        "ingresos",
        "listas",
        "lecturas",
        "acciones",
    }
    # T2 (the largest increase of use) over T1 over control, in every count.
    for medida in ("ingresos", "listas", "acciones"):
        assert (
            por_brazo["t2"].medidas[medida]
            > por_brazo["t1"].medidas[medida]
            > por_brazo[CONTROL].medidas[medida]
        ), medida


def test_the_itt_by_risk_level_is_reported():
    datos, _verdad = simular_piloto(semilla=3)
    resultado = analizar(datos)
    assert set(resultado.por_nivel) == {"ALTO", "MEDIO", "BAJO"}
    assert set(resultado.por_nivel["ALTO"]) == {"t1", "t2", "t3"}


def test_icc_is_zero_without_clustering_and_high_with_it():
    rng = np.random.default_rng(0)
    independientes = pd.DataFrame(
        {"unidad": np.repeat(np.arange(200), 30), "desercion": rng.random(6000) < 0.1}
    ).astype({"desercion": float})
    assert icc(independientes) < 0.02
    # Whole units drop out together: ICC near 1.
    juntos = pd.DataFrame(
        {
            "unidad": np.repeat(np.arange(200), 30),
            "desercion": np.repeat((rng.random(200) < 0.1).astype(float), 30),
        }
    )
    assert icc(juntos) > 0.95


def test_the_minimum_detectable_effect_grows_with_clustering_and_shrinks_with_units():
    base = {"tasa_control": 0.1, "m": 30}
    sin = efecto_minimo(unidades_t=50, unidades_c=50, rho=0.0, **base)
    con = efecto_minimo(unidades_t=50, unidades_c=50, rho=0.05, **base)
    mas = efecto_minimo(unidades_t=200, unidades_c=200, rho=0.05, **base)
    assert sin < con and mas < con
    # Without clustering: the textbook two-proportion figure,
    # (1.96 + 0.84) · sqrt(2 · 0.09 / 1500) ≈ 0.0307.
    assert sin == pytest.approx(0.0307, abs=0.001)
    assert efecto_minimo(unidades_t=1, unidades_c=50, rho=0.0, **base) is None


def test_missing_columns_or_control_are_refused_in_plain_words():
    with pytest.raises(ValueError, match="faltan columnas"):
        analizar(pd.DataFrame({"unidad": [1]}))
    datos, _verdad = simular_piloto(semilla=1)
    with pytest.raises(ValueError, match="control"):
        analizar(datos[datos["brazo"] != CONTROL])


def test_absorbing_the_strata_gives_what_a_dummy_per_stratum_gives():
    """iv_uso demeans within strata instead of a dummy per stratum
    (Frisch–Waugh): the estimate, its clustered error and the first-stage F
    are those of the full design matrix."""
    from linearmodels.iv import IV2SLS

    from pilotos.analisis import iv_uso

    datos, _v = simular_piloto(efecto_uso=-0.05, semilla=5)
    datos["riesgo"] = np.random.default_rng(1).random(len(datos)) * 0.3
    estimacion, f = iv_uso(datos)
    d = datos.reset_index(drop=True)
    exogenas = pd.get_dummies(d["estrato"], prefix="e", drop_first=True, dtype=float)
    exogenas.insert(0, "const", 1.0)
    exogenas["riesgo"] = d["riesgo"]
    completo = IV2SLS(
        d["desercion"].astype(float),
        exogenas,
        d[["uso"]],
        pd.get_dummies(d["brazo"], dtype=float).drop(columns=CONTROL),
    ).fit(cov_type="clustered", clusters=pd.Series(pd.factorize(d["unidad"])[0]))
    assert estimacion.efecto == pytest.approx(completo.params["uso"], rel=1e-9)
    assert estimacion.error == pytest.approx(completo.std_errors["uso"], rel=1e-9)
    assert f == pytest.approx(
        completo.first_stage.diagnostics["f.stat"].iloc[0], rel=1e-6
    )
