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
     must keep unique (a closer reference);
  4. the least any importer must write: the raw COPY, then plain INSERT ...
     SELECT of the same rows into copies of sección, estudiante and matrícula
     (same columns, indexes, constraints and foreign keys, nothing validated,
     nothing deduplicated), committed.
It prints rows per second for each, the ratios (import time / reference time;
target at most 1.5), the import's peak memory (target under 1 GB) and how many
times the raw COPY the least-writes reference itself takes: no importer that
writes the three tables can come closer than that to the raw COPY, so the ratio
to compare with the target is the one against the least writes.
Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/),
whose database part is replaced by a scratch database "alerta_bench" (or by
BENCH_IMPORTACION_BASE, so that two runs on one server do not collide).
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
BASE = os.environ.get("BENCH_IMPORTACION_BASE", "alerta_bench")


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
        capture_output=True,
        text=True,
    )
    if r.returncode:
        sys.exit(f"the import failed:\n{r.stderr[-3000:]}")
    segundos, aceptadas, pico_kb = r.stdout.split()[-3:]
    # ru_maxrss is in kilobytes on Linux.
    return float(segundos), int(aceptadas), int(pico_kb) * 1024


COPY_CRUDO = "COPY bench_nomina_crudo FROM STDIN WITH (FORMAT csv, HEADER)"


def _tabla_cruda(cur, ruta: Path) -> None:
    """(Re)create bench_nomina_crudo: one text column per column of the file."""
    with ruta.open(encoding="utf-8") as f:
        columnas = next(csv.reader(f))
    cur.execute("DROP TABLE IF EXISTS bench_nomina_crudo")
    cur.execute(
        "CREATE TABLE bench_nomina_crudo ("
        + ", ".join(f'"{c.lower()}" text' for c in columnas)
        + ")"
    )


def copy_crudo(ruta: Path, *, con_claves: bool = False) -> float:
    """Seconds to COPY the file into a plain text table. With `con_claves`, the
    table also has the unique keys the importer must maintain (student code;
    student + school + year), as a second, closer reference."""
    import psycopg2

    conn = psycopg2.connect(url_bench(BASE))
    with conn, conn.cursor() as cur:
        _tabla_cruda(cur, ruta)
        if con_claves:
            cur.execute(
                "CREATE INDEX ON bench_nomina_crudo (cod_estudiante);"
                "CREATE INDEX ON bench_nomina_crudo (cod_estudiante, cod_mod, anio)"
            )
    t = time.perf_counter()
    with conn, conn.cursor() as cur, ruta.open(encoding="utf-8") as f:
        cur.copy_expert(COPY_CRUDO, f)
    segundos = time.perf_counter() - t
    conn.close()
    return segundos


# Copies of the importer's target tables, with their indexes, constraints and
# foreign keys, for the "least writes" reference.
COPIAS = """
DROP TABLE IF EXISTS bench_matricula, bench_estudiante, bench_seccion;
CREATE TABLE bench_seccion (LIKE alerta_seccion INCLUDING ALL);
CREATE TABLE bench_estudiante (LIKE alerta_estudiante INCLUDING ALL);
CREATE TABLE bench_matricula (LIKE alerta_matricula INCLUDING ALL);
ALTER TABLE bench_seccion ADD FOREIGN KEY (ie_id)
    REFERENCES alerta_institucioneducativa (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE bench_matricula ADD FOREIGN KEY (estudiante_id)
    REFERENCES bench_estudiante (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE bench_matricula ADD FOREIGN KEY (seccion_id)
    REFERENCES bench_seccion (id) DEFERRABLE INITIALLY DEFERRED;
"""
ESCRITURAS = """
INSERT INTO bench_seccion (uuid, ie_id, anio, nivel, grado, letra)
SELECT gen_random_uuid(), s.* FROM (
    SELECT DISTINCT ie.id, c.anio::smallint, c.nivel, c.grado::smallint, c.seccion
    FROM bench_nomina_crudo c JOIN alerta_institucioneducativa ie
      ON ie.codigo_modular = c.cod_mod AND ie.anexo = c.anexo::smallint
) AS s;
INSERT INTO bench_estudiante (uuid, codigo_siagie, tipo_documento,
    numero_documento, apellido_paterno, apellido_materno, nombres,
    fecha_nacimiento, sexo, lengua_materna, discapacidad)
SELECT DISTINCT ON (cod_estudiante) gen_random_uuid(), cod_estudiante,
    coalesce(tipo_documento, ''), coalesce(numero_documento, ''),
    apellido_paterno, coalesce(apellido_materno, ''), nombres,
    fecha_nacimiento::date, sexo,
    coalesce(lengua_materna, ''), coalesce(discapacidad, '')
FROM bench_nomina_crudo;
INSERT INTO bench_matricula (estudiante_id, seccion_id, situacion_matricula,
    fecha_matricula, situacion_final, nivel_instruccion_apoderado,
    parentesco_apoderado, trabaja, horas_semanales_trabajo)
SELECT e.id, s.id, coalesce(c.situacion_matricula, ''),
    c.fecha_matricula::date, coalesce(c.situacion_final, ''),
    coalesce(c.nivel_instruccion_apod, ''), coalesce(c.parentesco, ''),
    c.trabaja = 'SI', c.horas_semanales_trabajo::smallint
FROM bench_nomina_crudo c
JOIN bench_estudiante e ON e.codigo_siagie = c.cod_estudiante
JOIN alerta_institucioneducativa ie
  ON ie.codigo_modular = c.cod_mod AND ie.anexo = c.anexo::smallint
JOIN bench_seccion s ON s.ie_id = ie.id AND s.anio = c.anio::smallint
  AND s.nivel = c.nivel AND s.grado = c.grado::smallint AND s.letra = c.seccion;
"""


def escritura_minima(ruta: Path) -> float:
    """Seconds for the least any importer must do: COPY the rows, then write
    them into tables like the importer's (indexes, constraints, foreign keys),
    and commit. No validation, no upsert, no deduplication of repeated rows."""
    import psycopg2

    conn = psycopg2.connect(url_bench(BASE))
    with conn, conn.cursor() as cur:
        _tabla_cruda(cur, ruta)
        cur.execute(COPIAS)
    t = time.perf_counter()
    with conn, conn.cursor() as cur, ruta.open(encoding="utf-8") as f:
        cur.copy_expert(COPY_CRUDO, f)
        cur.execute(ESCRITURAS)
    segundos = time.perf_counter() - t
    with conn, conn.cursor() as cur:
        cur.execute("DROP TABLE bench_matricula, bench_estudiante, bench_seccion")
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
        t_minimo = escritura_minima(nomina)
    return {
        "filas": n,
        "aceptadas": aceptadas,
        "t_import": t_import,
        "t_copy": t_copy,
        "t_claves": t_claves,
        "t_minimo": t_minimo,
        "pico": pico,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filas", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    print(
        f"{'filas':>10} {'importador f/s':>15} {'COPY f/s':>10} {'razón':>6} "
        f"{'COPY+claves f/s':>16} {'razón':>6} {'mínimo f/s':>11} {'razón':>6} "
        f"{'pico MB':>8} {'mínimo/COPY':>12}"
    )
    for objetivo in args.filas:
        m = una_medida(objetivo)
        n = m["filas"]
        print(
            f"{n:>10} {n / m['t_import']:>15,.0f} {n / m['t_copy']:>10,.0f} "
            f"{m['t_import'] / m['t_copy']:>6.2f} {n / m['t_claves']:>16,.0f} "
            f"{m['t_import'] / m['t_claves']:>6.2f} {n / m['t_minimo']:>11,.0f} "
            f"{m['t_import'] / m['t_minimo']:>6.2f} {m['pico'] / 2**20:>8.0f} "
            f"{m['t_minimo'] / m['t_copy']:>12.1f}",
            flush=True,
        )
        assert m["aceptadas"] == m["filas"], "the importer dropped rows"
    psql_admin(BASE, f"DROP DATABASE IF EXISTS {BASE}")
    print(
        "Objetivo: razón ≤ 1.5 y pico < 1024 MB. «COPY» copia las filas tal cual a "
        "una tabla de texto sin índices; «COPY+claves», a la misma tabla con índices "
        "en las claves que el importador mantiene. «mínimo» es lo menos que cualquier "
        "importador debe escribir: el COPY crudo y luego INSERT de las mismas filas en "
        "copias de sección, estudiante y matrícula (mismos índices, restricciones y "
        "claves foráneas), sin validar ni deduplicar. La última columna dice cuántas "
        "veces el COPY crudo tarda ese mínimo: ningún importador que escriba las tres "
        "tablas puede bajar de ella frente al COPY crudo, así que la razón comparable "
        "es la del importador frente al mínimo."
    )


if __name__ == "__main__":
    main()
