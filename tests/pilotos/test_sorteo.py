"""The stratified draw on a planted list of units (pilotos.sorteo)."""

import hashlib
import math
import random
from collections import Counter

import numpy as np
import pytest

from pilotos.sorteo import hash_elegibles, sortear, versiones

BRAZOS = [
    {"codigo": "C", "nombre": "Control", "proporcion": "0.25", "control": True},
    {"codigo": "T1", "nombre": "Individual", "proporcion": "0.25"},
    {"codigo": "T2", "nombre": "Grupo pequeño", "proporcion": "0.25"},
    {"codigo": "T3", "nombre": "Grupo grande", "proporcion": "0.25"},
]
# Three strata of 10, 7 and 5 units: 2, 3 and 1 left over after the floors.
TAMANOS = {"A|<100": 10, "A|≥100": 7, "B|<100": 5}
UNIDADES = [
    (f"{k}{i:04d}", estrato)
    for k, (estrato, n) in enumerate(TAMANOS.items())
    for i in range(n)
]


def test_it_gives_every_unit_one_arm():
    asignacion = sortear(UNIDADES, BRAZOS, 20260412)
    assert len(set(UNIDADES)) == 22
    assert sorted(asignacion) == sorted(c for c, _e in UNIDADES)
    assert set(asignacion.values()) <= {"C", "T1", "T2", "T3"}


@pytest.mark.parametrize("semilla", [1, 7, 20260412, 2**40])
def test_it_keeps_each_arm_within_one_unit_of_its_share_in_every_stratum(semilla):
    asignacion = sortear(UNIDADES, BRAZOS, semilla)
    for estrato, n in TAMANOS.items():
        cuenta = Counter(asignacion[c] for c, e in UNIDADES if e == estrato)
        assert sum(cuenta.values()) == n
        for b in BRAZOS:
            objetivo = n * 0.25
            assert math.floor(objetivo) <= cuenta[b["codigo"]] <= math.ceil(objetivo)


def test_it_gives_leftovers_of_a_stratum_to_distinct_arms():
    # Unequal shares: 7 units at 0.5 / 0.3 / 0.2 take 3, 2, 1 by the floors;
    # the one left over goes to one arm, never to two.
    brazos = [
        {"codigo": "C", "proporcion": "0.5", "control": True},
        {"codigo": "T1", "proporcion": "0.3"},
        {"codigo": "T2", "proporcion": "0.2"},
    ]
    unidades = [(f"U{i}", "s") for i in range(7)]
    for semilla in range(30):
        cuenta = Counter(sortear(unidades, brazos, semilla).values())
        assert cuenta["C"] in (3, 4) and cuenta["T1"] in (2, 3)
        assert cuenta["T2"] in (1, 2)


def test_it_follows_the_rule_exactly_in_the_first_stratum():
    # One generator from the seed; the first stratum (in sorted order) is
    # permuted first, and its floors go to the arms in order.
    semilla = 99
    asignacion = sortear(UNIDADES, BRAZOS, semilla)
    primero = sorted(c for c, e in UNIDADES if e == "A|<100")
    orden = [primero[i] for i in np.random.default_rng(semilla).permutation(10)]
    esperado = ["C", "C", "T1", "T1", "T2", "T2", "T3", "T3"]
    assert [asignacion[c] for c in orden[:8]] == esperado


def test_the_same_seed_redraws_the_same_arms_whatever_the_order_given():
    barajadas = UNIDADES.copy()
    random.Random(3).shuffle(barajadas)
    assert sortear(barajadas, BRAZOS, 42) == sortear(UNIDADES, BRAZOS, 42)


def test_another_seed_draws_other_arms():
    assert sortear(UNIDADES, BRAZOS, 42) != sortear(UNIDADES, BRAZOS, 43)


def test_shares_like_029_take_their_exact_floor():
    # 0.29 · 100 is 28.999… as a float: the floor must still be 29.
    brazos = [
        {"codigo": "C", "proporcion": "0.71", "control": True},
        {"codigo": "T", "proporcion": "0.29"},
    ]
    unidades = [(f"U{i:03d}", "s") for i in range(100)]
    assert Counter(sortear(unidades, brazos, 5).values()) == {"C": 71, "T": 29}


def test_the_hash_is_of_the_sorted_list_and_changes_with_it():
    barajadas = list(reversed(UNIDADES))
    assert hash_elegibles(barajadas) == hash_elegibles(UNIDADES)
    esperado = hashlib.sha256(
        "\n".join(f"{c}\t{e}" for c, e in sorted(UNIDADES)).encode()
    ).hexdigest()
    assert hash_elegibles(UNIDADES) == esperado
    otra = [*UNIDADES[:-1], ("29999", "B|<100")]
    assert hash_elegibles(otra) != esperado


def test_it_names_the_versions_it_ran_with():
    v = versiones()
    assert v["numpy"] == np.__version__
    assert v["python"].count(".") == 2
