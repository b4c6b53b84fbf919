"""The stratified random draw of an evaluation, as a pure function.

The rule, exactly (docs/decisions/0031):

1. Eligible units are sorted by their code, so that the same list drawn with
   the same seed gives the same arms whatever order the database returned.
2. Strata (UGEL × size band) are taken in sorted order, with one
   `numpy.random.default_rng(seed)` for the whole draw.
3. In each stratum, its units (sorted by code) are permuted with the
   generator; each arm, in the declared order, takes floor(n · share) of them.
4. The units left over in the stratum (fewer than the number of arms) get
   arms drawn with the same generator without replacement, with probabilities
   proportional to the shares: a leftover never leaves its stratum, and no arm
   gets more than one of them, so each arm's count is within one unit of
   n · share in every stratum.
"""

import hashlib
import math
import platform
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from .models import proporcion


def hash_elegibles(unidades: Sequence[tuple[str, str]]) -> str:
    """SHA-256 of the sorted eligible list, one "código<TAB>estrato" a line."""
    lineas = "\n".join(f"{c}\t{e}" for c, e in sorted(unidades))
    return hashlib.sha256(lineas.encode()).hexdigest()


def versiones() -> dict[str, str]:
    return {"numpy": np.__version__, "python": platform.python_version()}


def sortear(
    unidades: Sequence[tuple[str, str]], brazos: Sequence[dict], semilla: int
) -> dict[str, str]:
    """The arm of each unit: `unidades` are (código, estrato) pairs, `brazos`
    the evaluation's arms in order. Returns {código: código del brazo}."""
    codigos = [b["codigo"] for b in brazos]
    shares = [proporcion(b["proporcion"]) for b in brazos]
    p = np.array([float(s) for s in shares])
    p = p / p.sum()
    rng = np.random.default_rng(semilla)
    por_estrato: dict[str, list[str]] = defaultdict(list)
    for codigo, estrato in sorted(unidades):
        por_estrato[estrato].append(codigo)
    asignacion: dict[str, str] = {}
    for estrato in sorted(por_estrato):
        miembros = por_estrato[estrato]
        n = len(miembros)
        orden = [miembros[i] for i in rng.permutation(n)]
        i = 0
        for codigo, share in zip(codigos, shares, strict=True):
            k = math.floor(n * share)
            for unidad in orden[i : i + k]:
                asignacion[unidad] = codigo
            i += k
        sobrantes = orden[i:]
        if sobrantes:
            elegidos = rng.choice(len(codigos), size=len(sobrantes), replace=False, p=p)
            for unidad, j in zip(sobrantes, elegidos, strict=True):
                asignacion[unidad] = codigos[j]
    return asignacion
