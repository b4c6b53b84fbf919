"""The balance table (pilotos.balance) on small planted examples."""

import math

import numpy as np
import pandas as pd
import pytest

from pilotos.balance import diferencia_normalizada, prueba_conjunta, tabla_de_balance
from pilotos.sorteo import sortear


def _datos(filas):
    return pd.DataFrame(
        filas,
        columns=[
            "brazo",
            "estrato",
            "tamano",
            "proporcion_rural",
            "proporcion_medio_alto",
            "desercion_anterior",
        ],
    )


def test_it_computes_means_and_normalised_differences_by_hand():
    datos = _datos(
        [
            ("C", "s", 10, 0.0, 0.2, None),
            ("C", "s", 20, 1.0, 0.4, None),
            ("C", "s", 30, 1.0, 0.6, None),
            ("T", "s", 20, 0.0, 0.2, None),
            ("T", "s", 30, 0.0, 0.3, None),
            ("T", "s", 40, 1.0, 0.4, None),
        ]
    )
    control, tratado = tabla_de_balance(datos, ["C", "T"], "C")
    assert (control.n, tratado.n) == (3, 3)
    assert control.medias["tamano"] == 20 and tratado.medias["tamano"] == 30
    assert control.medias["proporcion_rural"] == pytest.approx(2 / 3)
    assert control.medias["desercion_anterior"] is None
    assert control.diferencias == {}
    # Both variances are 100: (30 − 20) / sqrt((100 + 100) / 2) = 1.
    assert tratado.diferencias["tamano"] == pytest.approx(1.0)
    # Rural: means 1/3 − 2/3, variances 1/3 each: −(1/3) / sqrt(1/3).
    assert tratado.diferencias["proporcion_rural"] == pytest.approx(
        -(1 / 3) / math.sqrt(1 / 3)
    )
    # Medio + alto: means 0.3 and 0.4, variances 0.01 and 0.04.
    assert tratado.diferencias["proporcion_medio_alto"] == pytest.approx(
        -0.1 / math.sqrt(0.025)
    )
    assert tratado.diferencias["desercion_anterior"] is None


def test_the_difference_needs_two_units_on_each_side():
    assert diferencia_normalizada(pd.Series([1.0]), pd.Series([1.0, 2.0])) is None


def _planted(n=240, semilla=11):
    rng = np.random.default_rng(semilla)
    codigos = [f"U{i:04d}" for i in range(n)]
    estratos = [f"S{i % 3}" for i in range(n)]
    return pd.DataFrame(
        {
            "codigo": codigos,
            "estrato": estratos,
            "tamano": rng.integers(50, 900, n).astype(float),
            "proporcion_rural": rng.uniform(0, 1, n),
            "proporcion_medio_alto": rng.uniform(0.05, 0.5, n),
            "desercion_anterior": rng.uniform(0, 0.1, n),
        }
    )


BRAZOS = [
    {"codigo": "C", "proporcion": "0.5", "control": True},
    {"codigo": "T", "proporcion": "0.5"},
]


def test_the_joint_test_passes_a_random_draw_and_flags_a_rigged_one():
    datos = _planted()
    pares = list(zip(datos.codigo, datos.estrato, strict=True))
    asignacion = sortear(pares, BRAZOS, 2026)
    datos["brazo"] = datos.codigo.map(asignacion)
    _f, p_justo = prueba_conjunta(datos, "T", "C")
    assert p_justo > 0.05

    # Rigged: the larger half of each stratum goes to treatment.
    amañado = datos.copy()
    mediana = amañado.groupby("estrato").tamano.transform("median")
    amañado["brazo"] = np.where(amañado.tamano > mediana, "T", "C")
    _f, p_amañado = prueba_conjunta(amañado, "T", "C")
    assert p_amañado < 0.001


def test_the_table_carries_the_joint_test_of_each_treatment_arm():
    datos = _planted()
    brazos = [
        {"codigo": "C", "proporcion": "0.5", "control": True},
        {"codigo": "T1", "proporcion": "0.25"},
        {"codigo": "T2", "proporcion": "0.25"},
    ]
    datos["brazo"] = datos.codigo.map(
        sortear(list(zip(datos.codigo, datos.estrato, strict=True)), brazos, 8)
    )
    control, t1, t2 = tabla_de_balance(datos, ["C", "T1", "T2"], "C")
    assert control.p is None
    assert 0 < t1.p <= 1 and 0 < t2.p <= 1
    assert control.n + t1.n + t2.n == len(datos)


def test_the_joint_test_is_none_without_usable_covariates():
    datos = _datos([("C", "s", 10, 0.0, None, None), ("T", "s", 10, 0.0, None, None)])
    assert prueba_conjunta(datos, "T", "C") is None


def test_a_covariate_the_strata_determine_is_left_out_of_the_joint_test(recwarn):
    datos = _planted()
    # Each stratum all rural or all urban: the rural share adds nothing to
    # the strata's fixed effects.
    datos["proporcion_rural"] = (datos.estrato == "S0").astype(float)
    pares = list(zip(datos.codigo, datos.estrato, strict=True))
    datos["brazo"] = datos.codigo.map(sortear(pares, BRAZOS, 3))
    _f, p = prueba_conjunta(datos, "T", "C")
    assert 0 < p <= 1
    assert not [w for w in recwarn if "rank" in str(w.message)]


def test_the_reading_says_in_spanish_which_draw_is_fair():
    from pilotos.lectura import lectura_de_balance

    datos = _planted()
    pares = list(zip(datos.codigo, datos.estrato, strict=True))
    datos["brazo"] = datos.codigo.map(sortear(pares, BRAZOS, 2026))
    justo = lectura_de_balance(tabla_de_balance(datos, ["C", "T"], "C"))
    assert "compatible con un sorteo equilibrado" in justo
    mediana = datos.groupby("estrato").tamano.transform("median")
    datos["brazo"] = np.where(datos.tamano > mediana, "T", "C")
    amañado = lectura_de_balance(tabla_de_balance(datos, ["C", "T"], "C"))
    assert "indica que difiere del control" in amañado
    assert "Estudiantes" in amañado
