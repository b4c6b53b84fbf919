"""A simulated pilot with a planted effect, to test the analysis on known
truth.

Units (school sites) in strata, assigned to the arms by the product's own
stratified draw (pilotos.sorteo); each unit's use of the portal rises with
its arm (the trainings' encouragement), and with it its teachers' sign-ins,
lists opened, guidance read and actions; each student's chance of dropping
out is their unit's baseline plus `efecto_uso` times the unit's use. So the
truth is known:

- the effect of use on dropout is `efecto_uso` (what the IV estimates);
- the intention-to-treat effect of arm a against control is
  `efecto_uso · aumento_uso[a]` (use rises by `aumento_uso[a]` on average).

Probabilities are kept inside (0, 1) by construction (baselines from 0.10
to 0.25, use between 0 and 1, |efecto_uso| ≤ 0.1), so no clipping bends the
planted effect. Deterministic for a seed.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .analisis import CONTROL
from .sorteo import sortear

BRAZOS = {CONTROL: 0.25, "t1": 0.25, "t2": 0.25, "t3": 0.25}
AUMENTO_USO = {"t1": 0.20, "t2": 0.40, "t3": 0.10}
NIVELES = ("ALTO", "MEDIO", "BAJO")
# Weeks of the pilot, and each count of use per week of a unit that uses the
# portal fully (use 1); a unit's counts follow its use.
SEMANAS = 30
MEDIDAS = {"ingresos": 6.0, "listas": 4.0, "lecturas": 1.0, "acciones": 3.0}


@dataclass(frozen=True)
class Verdad:
    efecto_uso: float
    itt: dict[str, float]


def simular_piloto(
    *,
    unidades: int = 240,
    estudiantes: tuple[int, int] = (20, 50),
    estratos: int = 6,
    brazos: dict[str, float] | None = None,
    aumento_uso: dict[str, float] | None = None,
    uso_base: float = 0.25,
    efecto_uso: float = -0.08,
    semilla: int = 0,
) -> tuple[pd.DataFrame, Verdad]:
    """One row per student: unidad, estrato, brazo, uso and the unit's counts
    of use (MEDIDAS), nivel, desercion; and the planted truth."""
    if abs(efecto_uso) > 0.1:
        raise ValueError("|efecto_uso| must be at most 0.1 (probabilities in (0, 1))")
    brazos = brazos or BRAZOS
    aumento_uso = {CONTROL: 0.0, **(aumento_uso or AUMENTO_USO)}
    rng = np.random.default_rng(semilla)
    u = pd.DataFrame(
        {
            "unidad": np.arange(unidades),
            "estrato": rng.integers(0, estratos, unidades),
            "base": rng.uniform(0.10, 0.25, unidades),
        }
    )
    # The product's own stratified draw (pilotos.sorteo), from a seed of its
    # own: the world's generator and the draw's must not share a stream (the
    # same seed would give the same numbers, tying the arms to the baselines).
    codigo = u["unidad"].map(lambda n: f"{n:06d}")
    asignacion = sortear(
        list(zip(codigo, u["estrato"].astype(str), strict=True)),
        [{"codigo": c, "proporcion": parte} for c, parte in brazos.items()],
        int(np.random.SeedSequence([semilla, 1]).generate_state(1)[0]),
    )
    u["brazo"] = codigo.map(asignacion)
    u["uso"] = np.clip(
        uso_base
        + u["brazo"].map(aumento_uso).fillna(0.0)
        + rng.normal(0.0, 0.08, unidades),
        0.0,
        1.0,
    )
    # Its teachers' counts over the pilot's weeks rise with its use.
    for medida, por_semana in MEDIDAS.items():
        u[medida] = rng.poisson(por_semana * SEMANAS * u["uso"])
    tamanos = rng.integers(estudiantes[0], estudiantes[1] + 1, unidades)
    d = u.loc[u.index.repeat(tamanos)].reset_index(drop=True)
    p = d["base"] + efecto_uso * d["uso"]
    d["desercion"] = (rng.random(len(d)) < p).astype(int)
    # The risk level a model would have given: more alto where the baseline
    # is higher (descriptive breakdowns only).
    azar = rng.random(len(d))
    d["nivel"] = np.where(
        azar < d["base"] * 1.2,
        "ALTO",
        np.where(azar < d["base"] * 2.4, "MEDIO", "BAJO"),
    )
    verdad = Verdad(
        efecto_uso=efecto_uso,
        itt={a: efecto_uso * aumento_uso.get(a, 0.0) for a in brazos if a != CONTROL},
    )
    return d.drop(columns="base"), verdad
