"""Benchmark: a pilot's analysis at the size of a national pilot, against the
floor of one linear fit of the same rows.

    .venv/bin/python bench/pilotos.py --unidades 442 --estudiantes 300

A simulated pilot (pilotos.simulacion, drawn with the product's own draw):
`--unidades` units of `--estudiantes` students on average (±1/3), in 20
strata, four arms, with each student's baseline score. In the same run:
  1. the whole analysis (pilotos.analisis.analizar): the ITT per arm and per
     risk level with strata fixed effects and clustered errors, the IV with
     its first-stage F, the ICC and the minimum detectable effects;
  2. the floor: one ordinary least squares fit of dropout on the arms'
     dummies over the same rows (statsmodels, no fixed effects, no
     clustering), what any analysis of these rows must at least do.
It prints the rows, the seconds of each (best of --repeticiones), their
ratio, and the peak memory of the process. The analysis is stored once per
state of the data and computed at night (decision 0033), so its time is not
a request's; the figure says how long the night's step, or the page's first
visit, takes.

No database: the analysis is pure pandas, statsmodels and linearmodels.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alerta.settings")


def _mejor(funcion, repeticiones: int) -> float:
    tiempos = []
    for _ in range(repeticiones):
        inicio = time.perf_counter()
        funcion()
        tiempos.append(time.perf_counter() - inicio)
    return min(tiempos)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unidades", type=int, default=442)
    parser.add_argument("--estudiantes", type=int, default=300)
    parser.add_argument("--repeticiones", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    import numpy as np
    import statsmodels.formula.api as smf

    from pilotos.analisis import COVARIABLE, analizar
    from pilotos.simulacion import simular_piloto

    tercio = args.estudiantes // 3
    datos, _verdad = simular_piloto(
        unidades=args.unidades,
        estudiantes=(args.estudiantes - tercio, args.estudiantes + tercio),
        estratos=20,
        semilla=1,
    )
    datos[COVARIABLE] = np.random.default_rng(2).random(len(datos)) * 0.3

    analisis = _mejor(lambda: analizar(datos), args.repeticiones)
    piso = _mejor(
        lambda: smf.ols("desercion ~ C(brazo)", data=datos).fit(),
        args.repeticiones,
    )
    memoria = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(datos):,} filas de {args.unidades} unidades".replace(",", " "),
        flush=True,
    )
    print(f"  análisis completo        {analisis:8.2f} s")
    print(f"  piso (un MCO simple)     {piso:8.2f} s")
    print(f"  razón análisis / piso    {analisis / piso:8.1f}")
    print(f"  pico de memoria          {memoria:8.0f} MB")


if __name__ == "__main__":
    main()
