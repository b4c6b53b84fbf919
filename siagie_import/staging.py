"""Set-based loading, a chunk at a time: validated rows go to a temporary
staging table, then one INSERT ... SELECT ... ON CONFLICT per target table moves
them in.

On PostgreSQL the staging table is filled with COPY (the fast path); on SQLite
with executemany. The upserts are the same SQL on both, with the few words that
differ chosen by `Dialecto`. Rows whose values did not change are not rewritten
(the WHERE of each DO UPDATE), so re-loading a file is cheap and changes nothing.

Chunks are written in file order, so a later row of the file overwrites an
earlier one exactly as one statement over the whole file would; the one check
that needs the whole file, the same enrollment twice, is made before a chunk is
sent (`repetidas.py`). On PostgreSQL a chunk is written by a background thread
(`Tuberia`) while the caller reads and validates the next one.
"""

from collections import namedtuple
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import connection

from alerta.db import Bloque
from alerta.models import Estudiante, Matricula, Seccion


@dataclass(frozen=True)
class Dialecto:
    uuid_nuevo: str
    distinto: str
    vaciar: str

    @classmethod
    def actual(cls) -> "Dialecto":
        if connection.vendor == "postgresql":
            return cls(
                uuid_nuevo="gen_random_uuid()",
                distinto="IS DISTINCT FROM",
                vaciar="TRUNCATE",
            )
        # Django stores UUIDs on SQLite as 32 hex characters.
        return cls(
            uuid_nuevo="lower(hex(randomblob(16)))",
            distinto="IS NOT",
            vaciar="DELETE FROM",
        )


class Staging:
    """A temporary table living for the duration of one import."""

    def __init__(self, nombre: str, columnas: Sequence[tuple[str, str]], cursor):
        self.nombre = nombre
        self.columnas = [c for c, _t in columnas]
        self._texto = [c for c, t in columnas if t == "text"]
        self._cursor = cursor
        definicion = ", ".join(f"{c} {t}" for c, t in columnas)
        self.ejecutar(f"DROP TABLE IF EXISTS {nombre}")
        self.ejecutar(f"CREATE TEMPORARY TABLE {nombre} ({definicion})")

    def cargar(self, bloque: Bloque) -> None:
        bloque.insertar(self._cursor, self.nombre, self.columnas, texto=self._texto)

    def vaciar(self) -> None:
        self.ejecutar(f"{Dialecto.actual().vaciar} {self.nombre}")

    def ejecutar(self, sql: str, params: Sequence = ()) -> list[tuple]:
        self._cursor.execute(sql, params)
        return self._cursor.fetchall() if self._cursor.description else []

    def eliminar(self) -> None:
        self.ejecutar(f"DROP TABLE IF EXISTS {self.nombre}")


class Tuberia:
    """Writes chunks of a file while the caller prepares the next one.

    Reading and validating rows is Python's work; copying and upserting them is
    the database server's. On PostgreSQL each chunk's database work runs in one
    background thread, on the current transaction's own connection (psycopg2
    lets threads share a connection; only one of them uses it at a time, since
    the caller does not touch the database between `enviar` and the end of the
    `with` block), so the two overlap. (On two cores the server's statements
    run slower while Python works on the other core: the gain is partial, see
    decision 0006.) SQLite's connection belongs to its thread: there each chunk
    is written before `enviar` returns.

    Use inside the import's transaction. Leaving the `with` block waits for the
    chunk being written, then drops the staging tables; when an error ends it,
    the transaction's rollback drops them.
    """

    def __init__(self) -> None:
        connection.ensure_connection()
        self._paralelo = connection.vendor == "postgresql"
        if self._paralelo:
            # The DB-API cursor: Django's wrapper belongs to this thread.
            self.cursor = connection.connection.cursor()
            self._hilo = ThreadPoolExecutor(1, thread_name_prefix="importacion")
        else:
            self.cursor = connection.cursor()
        self._tablas: list[Staging] = []
        self._pendiente: tuple[Future, Callable[[Any], None]] | None = None

    def tabla(self, nombre: str, columnas: Sequence[tuple[str, str]]) -> Staging:
        stg = Staging(nombre, columnas, self.cursor)
        self._tablas.append(stg)
        return stg

    def enviar(self, trabajo: Callable[[], Any], hecho: Callable[[Any], None]) -> None:
        """Run `trabajo()` (the database work of one chunk) and then, in the
        caller's thread, `hecho(its result)`. Chunks are written one at a time,
        in the order they are sent."""
        self.esperar()
        if self._paralelo:
            self._pendiente = (self._hilo.submit(trabajo), hecho)
        else:
            hecho(trabajo())

    def esperar(self) -> None:
        """Wait for the chunk being written; an error in it is raised here."""
        if self._pendiente:
            futuro, hecho = self._pendiente
            self._pendiente = None
            hecho(futuro.result())

    def __enter__(self) -> "Tuberia":
        return self

    def __exit__(self, tipo, *_exc) -> None:
        try:
            if tipo is None:
                self.esperar()
            elif self._pendiente:
                # Let the chunk finish before the transaction is rolled back;
                # its own error, if any, is secondary to the one under way.
                self._pendiente[0].exception()
                self._pendiente = None
            if tipo is None:
                for stg in self._tablas:
                    stg.eliminar()
        finally:
            if self._paralelo:
                self._hilo.shutdown()
            self.cursor.close()


# --- nómina ---------------------------------------------------------------------

CAMPOS_ESTUDIANTE = [
    "tipo_documento",
    "numero_documento",
    "apellido_paterno",
    "apellido_materno",
    "nombres",
    "fecha_nacimiento",
    "sexo",
    "lengua_materna",
    "discapacidad",
]
CAMPOS_MATRICULA = [
    "situacion_matricula",
    "fecha_matricula",
    "situacion_final",
    "nivel_instruccion_apoderado",
    "parentesco_apoderado",
    "trabaja",
    "horas_semanales_trabajo",
]
COLUMNAS_NOMINA = [
    ("fila", "integer"),
    ("ie_id", "bigint"),
    ("anio", "smallint"),
    ("nivel", "text"),
    ("grado", "smallint"),
    ("letra", "text"),
    ("codigo", "text"),
    ("tipo_documento", "text"),
    ("numero_documento", "text"),
    ("apellido_paterno", "text"),
    ("apellido_materno", "text"),
    ("nombres", "text"),
    ("fecha_nacimiento", "date"),
    ("sexo", "text"),
    ("lengua_materna", "text"),
    ("discapacidad", "text"),
    ("situacion_matricula", "text"),
    ("fecha_matricula", "date"),
    ("situacion_final", "text"),
    ("nivel_instruccion_apoderado", "text"),
    ("parentesco_apoderado", "text"),
    ("trabaja", "boolean"),
    ("horas_semanales_trabajo", "smallint"),
]
# One staged nómina row, its fields named after COLUMNAS_NOMINA and in its order
# (a tuple, so COPY writes it as it is): the converter fills it by name.
FilaNomina = namedtuple("FilaNomina", [c for c, _t in COLUMNAS_NOMINA])
CLAVE_SECCION = ["ie_id", "anio", "nivel", "grado", "letra"]


def _actualizar(tabla: str, campos: list[str], d: Dialecto) -> str:
    asignar = ", ".join(f"{c} = excluded.{c}" for c in campos)
    cambio = " OR ".join(f"{tabla}.{c} {d.distinto} excluded.{c}" for c in campos)
    return f"DO UPDATE SET {asignar} WHERE {cambio}"


def nomina_lote(stg: Staging, bloque: Bloque) -> None:
    """Write one chunk of a nómina (no enrollment repeated in the file)."""
    stg.vaciar()
    stg.cargar(bloque)
    nomina_volcar(stg)


def nomina_volcar(stg: Staging) -> None:
    """Move the staged enrollment into sección, estudiante and matrícula.

    The rows must not repeat an enrollment (see `repetidas.py`): with one row
    per student, IE and year, no sección holds a student twice, so matrícula
    needs no deduplication. Of a
    student's rows in the chunk, the last one's personal data is written; a
    later chunk overwrites it in turn.
    """
    d = Dialecto.actual()
    t_sec = Seccion._meta.db_table
    t_est = Estudiante._meta.db_table
    t_mat = Matricula._meta.db_table
    clave = ", ".join(CLAVE_SECCION)
    est = ", ".join(CAMPOS_ESTUDIANTE)
    mat = ", ".join(CAMPOS_MATRICULA)
    stg.ejecutar(
        f"""
        INSERT INTO {t_sec} (uuid, {clave})
        SELECT {d.uuid_nuevo}, {clave}
        FROM (SELECT DISTINCT {clave} FROM {stg.nombre}) AS s WHERE true
        ON CONFLICT ({clave}) DO NOTHING
        """
    )
    stg.ejecutar(
        f"""
        INSERT INTO {t_est} (uuid, codigo_siagie, {est})
        SELECT {d.uuid_nuevo}, codigo, {est} FROM (
            SELECT *, row_number() OVER (PARTITION BY codigo ORDER BY fila DESC) AS n
            FROM {stg.nombre}
        ) AS u WHERE n = 1
        ON CONFLICT (codigo_siagie) {_actualizar(t_est, CAMPOS_ESTUDIANTE, d)}
        """
    )
    unir_seccion = " AND ".join(f"s.{c} = g.{c}" for c in CLAVE_SECCION)
    actualizar_mat = _actualizar(t_mat, CAMPOS_MATRICULA, d)
    stg.ejecutar(
        f"""
        INSERT INTO {t_mat} (estudiante_id, seccion_id, {mat})
        SELECT e.id, s.id, {", ".join(f"g.{c}" for c in CAMPOS_MATRICULA)}
        FROM {stg.nombre} AS g
        JOIN {t_est} AS e ON e.codigo_siagie = g.codigo
        JOIN {t_sec} AS s ON {unir_seccion}
        ON CONFLICT (estudiante_id, seccion_id) {actualizar_mat}
        """
    )


# --- rows that hang from a student (evaluación, asistencia, hogares) -------------


def por_estudiante_lote(
    stg: Staging,
    bloque: Bloque,
    *,
    tabla: str,
    campos: list[str],
    unicos: list[str],
) -> list[tuple[int, str]]:
    """Write one chunk of rows that hang from a student; return the rows whose
    student no nómina brought in (see `por_estudiante_desconocidos`)."""
    stg.vaciar()
    stg.cargar(bloque)
    desconocidos = por_estudiante_desconocidos(stg)
    por_estudiante_volcar(stg, tabla=tabla, campos=campos, unicos=unicos)
    return desconocidos


def por_estudiante_desconocidos(stg: Staging) -> list[tuple[int, str]]:
    """Staged rows whose student no nómina brought in: (row, code). Removed."""
    t_est = Estudiante._meta.db_table
    sin_estudiante = (
        f"SELECT g.fila, g.codigo FROM {stg.nombre} AS g "
        f"LEFT JOIN {t_est} AS e ON e.codigo_siagie = g.codigo WHERE e.id IS NULL"
    )
    desconocidos = stg.ejecutar(sin_estudiante + " ORDER BY g.fila")
    if desconocidos:
        stg.ejecutar(
            f"DELETE FROM {stg.nombre} WHERE fila IN "
            f"(SELECT fila FROM ({sin_estudiante}) AS d)"
        )
    return desconocidos


def por_estudiante_volcar(
    stg: Staging, *, tabla: str, campos: list[str], unicos: list[str]
) -> None:
    """Upsert the staged rows into `tabla`, keyed by estudiante_id + `unicos`.

    `campos` are the staged columns to write besides the student; the last row of
    the chunk wins when a key repeats, and a later chunk overwrites it in turn.
    """
    d = Dialecto.actual()
    t_est = Estudiante._meta.db_table
    particion = ", ".join(["codigo", *unicos])
    actualizar = [c for c in campos if c not in unicos]
    conflicto = _actualizar(tabla, actualizar, d) if actualizar else "DO NOTHING"
    stg.ejecutar(
        f"""
        INSERT INTO {tabla} (estudiante_id, {", ".join(campos)})
        SELECT e.id, {", ".join(f"g.{c}" for c in campos)}
        FROM (
            SELECT *, row_number() OVER (PARTITION BY {particion} ORDER BY fila DESC)
                AS n
            FROM {stg.nombre}
        ) AS g
        JOIN {t_est} AS e ON e.codigo_siagie = g.codigo
        WHERE g.n = 1
        ON CONFLICT ({", ".join(["estudiante_id", *unicos])}) {conflicto}
        """
    )
