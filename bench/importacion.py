"""Benchmark: importing a nómina into PostgreSQL, against a raw COPY of the same rows.

    .venv/bin/python bench/importacion.py --filas 100000 1000000

For each size it generates a national nómina (the synthetic generator, one
year), imports the padrón (not timed), then in the same run:
  1. imports the nómina with the project's importer (validation, staging,
     upserts into estudiante, sección and matrícula), in a child process whose
     peak memory is read from the OS;
  2. COPYs the same file raw into an equivalent table (one text column per
     file column, no index): the floor any importer could reach.
  3. COPYs it again into the same table with indexes on the keys the importer
     must keep unique (a closer reference).
It prints rows per second for each, the ratios (import time / COPY time;
target at most 1.5 against the raw COPY) and the import's peak memory (target
under 1 GB).
Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/),
whose database part is replaced by a scratch database "alerta_bench".
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from comun import psql_admin, url_bench

RAIZ = Path(__file__).resolve().parent.parent
BASE = "alerta_bench"


def entorno() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url_bench(BASE),
        "DJANGO_SETTINGS_MODULE": "alerta.settings",
        "CELERY_BROKER_URL": "",
    }


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=RAIZ, env=entorno(), check=True
    )


def importar_medido(ruta: Path) -> tuple[float, int, int]:
    """Import in a child process: (seconds, accepted rows, peak RSS in bytes)."""
    codigo = (
        "import django, resource, time; django.setup();"
        "from pathlib import Path;"
        "from siagie_import.services import importacion_ejecutar;"
        "t = time.perf_counter();"
        f"i = importacion_ejecutar(ruta=Path({str(ruta)!r}));"
        "s = time.perf_counter() - t;"
        "assert i.estado == 'COMPLETADA', i.mensaje;"
        "pico = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
        "print(s, i.filas_aceptadas, pico)"
    )
    r = subprocess.run(
        [sys.executable, "-c", codigo],
        cwd=RAIZ,
        env=entorno(),
        check=True,
        capture_output=True,
        text=True,
    )
    segundos, aceptadas, pico_kb = r.stdout.split()[-3:]
    # ru_maxrss is in kilobytes on Linux.
    return float(segundos), int(aceptadas), int(pico_kb) * 1024


def copy_crudo(ruta: Path, *, con_claves: bool = False) -> float:
    """Seconds to COPY the file into a plain text table. With `con_claves`, the
    table also has the unique keys the importer must maintain (student code;
    student + school + year), as a second, closer reference."""
    import psycopg2

    with ruta.open(encoding="utf-8") as f:
        columnas = next(csv.reader(f))
    conn = psycopg2.connect(url_bench(BASE))
    with conn, conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_nomina_crudo")
        cur.execute(
            "CREATE TABLE bench_nomina_crudo ("
            + ", ".join(f'"{c.lower()}" text' for c in columnas)
            + ")"
        )
        if con_claves:
            cur.execute(
                "CREATE INDEX ON bench_nomina_crudo (cod_estudiante);"
                "CREATE INDEX ON bench_nomina_crudo (cod_estudiante, cod_mod, anio)"
            )
    t = time.perf_counter()
    with conn, conn.cursor() as cur, ruta.open(encoding="utf-8") as f:
        cur.copy_expert(
            "COPY bench_nomina_crudo FROM STDIN WITH (FORMAT csv, HEADER)", f
        )
    segundos = time.perf_counter() - t
    conn.close()
    return segundos


def generar_nomina(carpeta: Path, filas: int) -> tuple[Path, Path]:
    sys.path.insert(0, str(RAIZ))
    from siagie_import.sintetico import generar

    generar(carpeta, region=None, estudiantes=filas, anio_inicial=2026, anio_final=2026)
    return carpeta / "padron_iiee.csv", carpeta / "nomina_2026.csv"


def una_medida(filas: int) -> dict:
    psql_admin(BASE, f"DROP DATABASE IF EXISTS {BASE}")
    psql_admin(BASE, f"CREATE DATABASE {BASE}")
    manage("migrate", "--noinput", "-v", "0")
    with tempfile.TemporaryDirectory() as tmp:
        padron, nomina = generar_nomina(Path(tmp), filas)
        with nomina.open(encoding="utf-8") as f:
            n = sum(1 for _ in f) - 1
        manage("importar_siagie", "--sin-progreso", str(padron))
        t_import, aceptadas, pico = importar_medido(nomina)
        t_copy = copy_crudo(nomina)
        t_claves = copy_crudo(nomina, con_claves=True)
    return {
        "filas": n,
        "aceptadas": aceptadas,
        "t_import": t_import,
        "t_copy": t_copy,
        "t_claves": t_claves,
        "pico": pico,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filas", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    print(
        f"{'filas':>10} {'importador f/s':>15} {'COPY f/s':>10} {'razón':>6} "
        f"{'COPY+claves f/s':>16} {'razón':>6} {'pico MB':>8}"
    )
    for objetivo in args.filas:
        m = una_medida(objetivo)
        n = m["filas"]
        print(
            f"{n:>10} {n / m['t_import']:>15,.0f} {n / m['t_copy']:>10,.0f} "
            f"{m['t_import'] / m['t_copy']:>6.2f} {n / m['t_claves']:>16,.0f} "
            f"{m['t_import'] / m['t_claves']:>6.2f} {m['pico'] / 2**20:>8.0f}",
            flush=True,
        )
        assert m["aceptadas"] == m["filas"], "the importer dropped rows"
    psql_admin(BASE, f"DROP DATABASE IF EXISTS {BASE}")
    print(
        "Objetivo: razón ≤ 1.5 frente al COPY crudo y pico < 1024 MB. "
        "«COPY+claves» copia a una tabla con los índices de las claves que el "
        "importador mantiene: una referencia más cercana."
    )


if __name__ == "__main__":
    main()
