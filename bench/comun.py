"""What the benchmarks share: their scratch PostgreSQL database and its bulk fill."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# A child step prints its result as one JSON line after this mark.
MARCA = "RESULTADO "


def url_bench(base: str) -> str:
    """DATABASE_URL (default: the local server) pointed at the scratch `base`."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    partes = urlsplit(url)
    if not partes.scheme.startswith("postgres"):
        sys.exit("the benchmarks need a PostgreSQL DATABASE_URL")
    return urlunsplit(partes._replace(path=f"/{base}"))


def psql_admin(base: str, sql: str) -> None:
    """Run `sql` (CREATE/DROP DATABASE) on the server's maintenance database."""
    import psycopg2

    partes = urlsplit(url_bench(base))
    conn = psycopg2.connect(
        dbname="postgres",
        user=partes.username,
        password=partes.password,
        host=partes.hostname,
        port=partes.port or 5432,
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
    conn.close()


def base_nueva(base: str, env: dict[str, str]) -> float:
    """Drop and create the scratch database `base` and migrate it; the seconds
    the migration took."""
    psql_admin(base, f"DROP DATABASE IF EXISTS {base}")
    psql_admin(base, f"CREATE DATABASE {base}")
    return migrar(env)


def migrar(env: dict[str, str]) -> float:
    """Apply the migrations the scratch database (of `env`) lacks; the seconds
    taken. --skip-checks: the checks import every view, which a fill does not
    need (the measurement does, in its own process)."""
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0",
         "--skip-checks"],
        cwd=Path(__file__).resolve().parent.parent, env=env, check=True,
    )  # fmt: skip
    return time.perf_counter() - t


def en_hijo(script: str, paso: str, datos: dict, env: dict[str, str]) -> dict:
    """Run `script --paso paso --datos <json>` in a child process (its own
    memory and Django setup) and return the result it printed after MARCA."""
    r = subprocess.run(
        [sys.executable, str(Path(script).resolve()), "--paso", paso,
         "--datos", json.dumps(datos)],
        cwd=Path(__file__).resolve().parent.parent, env=env,
        capture_output=True, text=True,
    )  # fmt: skip
    linea = next(
        (x for x in reversed(r.stdout.splitlines()) if x.startswith(MARCA)), None
    )
    if r.returncode != 0 or linea is None:
        sys.stderr.write(r.stdout[-4000:] + r.stderr[-8000:])
        raise SystemExit(f"the step '{paso}' failed (exit {r.returncode})")
    return json.loads(linea.removeprefix(MARCA))


# --- the bulk fill ---------------------------------------------------------------

# The big tables' unique constraints and secondary indexes are dropped for the
# fill and built again afterwards from their own definitions (same names, same
# SQL), as a bulk load does: tens of millions of rows go in ~5x faster. The
# rebuilt indexes are compact, as after a REINDEX. One row per constraint or
# index of %(tabla)s: (drop, create).
INDICES_SQL = """
    SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass,
                  c.conname),
           format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass,
                  c.conname, pg_get_constraintdef(c.oid))
    FROM pg_constraint c
    WHERE c.conrelid = %(tabla)s::regclass AND c.contype = 'u'
    UNION ALL
    SELECT format('DROP INDEX %%I', i.relname), pg_get_indexdef(i.oid)
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
    WHERE x.indrelid = %(tabla)s::regclass AND NOT x.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
"""


def carga_masiva_empezar(cur, tablas: tuple[str, ...]) -> list[tuple[str, str]]:
    """Set the session of `cur` up for a bulk fill and drop the unique
    constraints and secondary indexes of `tablas`; returns their (drop,
    create) statements, for carga_masiva_terminar."""
    cur.execute(
        "SET synchronous_commit = off; SET work_mem = '256MB';"
        "SET maintenance_work_mem = '1GB';"
        # Skips the per-row foreign key triggers (superuser only): the
        # rows are consistent by construction and checked afterwards, in
        # carga_masiva_terminar.
        "SET session_replication_role = replica"
    )
    indices: list[tuple[str, str]] = []
    for tabla in tablas:
        cur.execute(INDICES_SQL, {"tabla": tabla})
        indices += cur.fetchall()
    for borrar, _crear in indices:
        cur.execute(borrar)
    return indices


def carga_masiva_terminar(
    cur,
    indices: list[tuple[str, str]],
    huerfanos: list[tuple[str, str, str, str]],
    tiempos: dict[str, float],
) -> None:
    """Build again what carga_masiva_empezar dropped (timed as "índices"),
    enforce foreign keys again, and check that no row of the foreign keys
    `huerfanos` (child table, column, parent table, key) dangles (timed as
    "claves foráneas"): the fill did not enforce them."""
    t = time.perf_counter()
    for _borrar, crear in indices:
        cur.execute(crear)
    tiempos["índices"] = time.perf_counter() - t
    cur.execute("RESET session_replication_role")
    t = time.perf_counter()
    for hija, columna, madre, clave in huerfanos:
        cur.execute(
            f"SELECT count(*) FROM {hija} h WHERE h.{columna} IS NOT NULL AND "
            f"NOT EXISTS (SELECT 1 FROM {madre} p WHERE p.{clave} = h.{columna})"
        )
        n = cur.fetchone()[0]
        assert n == 0, f"{n} rows of {hija}.{columna} dangle"
    tiempos["claves foráneas"] = time.perf_counter() - t


# Foreign keys every filled database has (territory, schools, enrollment): each
# check counts the rows whose parent is missing. Each benchmark adds its own.
HUERFANOS_ESCUELAS = [
    ("alerta_ugel", "dre_id", "alerta_dre", "id"),
    ("alerta_institucioneducativa", "ugel_id", "alerta_ugel", "id"),
    ("alerta_institucioneducativa", "distrito_id", "alerta_distrito", "ubigeo"),
    ("alerta_seccion", "ie_id", "alerta_institucioneducativa", "id"),
    ("alerta_matricula", "estudiante_id", "alerta_estudiante", "id"),
    ("alerta_matricula", "seccion_id", "alerta_seccion", "id"),
]


def secuencias_sql(tablas: tuple[str, ...]) -> str:
    """SQL that moves each table's id sequence past the ids the fill wrote."""
    valores = ", ".join(f"('{t}', (SELECT max(id) FROM {t}))" for t in tablas)
    return (
        f"SELECT setval(pg_get_serial_sequence(t, 'id'), m) FROM (VALUES {valores})"
        " AS s(t, m)"
    )
