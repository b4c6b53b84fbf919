"""Set-based loading: validated rows go to a temporary staging table, then one
INSERT ... SELECT ... ON CONFLICT per target table moves them in.

On PostgreSQL the staging table is filled with COPY (the fast path); on SQLite
with executemany. The upserts are the same SQL on both, with the two or three
words that differ chosen by `Dialecto`. Rows whose values did not change are
not rewritten (the WHERE of each DO UPDATE), so re-loading a file is cheap and
changes nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from alerta.db import insertar_en_bloque
from alerta.models import Estudiante, Matricula, Seccion


@dataclass(frozen=True)
class Dialecto:
    uuid_nuevo: str
    distinto: str

    @classmethod
    def actual(cls) -> "Dialecto":
        if connection.vendor == "postgresql":
            return cls(uuid_nuevo="gen_random_uuid()", distinto="IS DISTINCT FROM")
        # Django stores UUIDs on SQLite as 32 hex characters.
        return cls(uuid_nuevo="lower(hex(randomblob(16)))", distinto="IS NOT")


class Staging:
    """A temporary table living for the duration of one import."""

    def __init__(self, nombre: str, columnas: Sequence[tuple[str, str]]):
        self.nombre = nombre
        self.columnas = [c for c, _t in columnas]
        self._texto = [c for c, t in columnas if t == "text"]
        definicion = ", ".join(f"{c} {t}" for c, t in columnas)
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {nombre}")
            cur.execute(f"CREATE TEMPORARY TABLE {nombre} ({definicion})")

    def cargar(self, filas: Sequence[tuple]) -> None:
        insertar_en_bloque(self.nombre, self.columnas, filas, texto=self._texto)

    def ejecutar(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else []

    def eliminar(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {self.nombre}")


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
CLAVE_SECCION = ["ie_id", "anio", "nivel", "grado", "letra"]


def _actualizar(tabla: str, campos: list[str], d: Dialecto) -> str:
    asignar = ", ".join(f"{c} = excluded.{c}" for c in campos)
    cambio = " OR ".join(f"{tabla}.{c} {d.distinto} excluded.{c}" for c in campos)
    return f"DO UPDATE SET {asignar} WHERE {cambio}"


def nomina_repetidas(stg: Staging) -> list[tuple[int, str, int]]:
    """Rows that repeat an earlier row's enrollment (same student, same IE):
    (row, student code, the earlier row). They are removed from staging."""
    repetidas = stg.ejecutar(
        f"""
        SELECT fila, codigo, primera FROM (
            SELECT fila, codigo,
                   min(fila) OVER (PARTITION BY codigo, ie_id, anio) AS primera
            FROM {stg.nombre}
        ) AS r WHERE fila > primera ORDER BY fila
        """
    )
    if repetidas:
        stg.ejecutar(
            f"""
            DELETE FROM {stg.nombre} WHERE fila IN (
                SELECT fila FROM (
                    SELECT fila, min(fila) OVER (PARTITION BY codigo, ie_id, anio)
                        AS primera
                    FROM {stg.nombre}
                ) AS r WHERE fila > primera
            )
            """
        )
    return repetidas


def nomina_volcar(stg: Staging) -> None:
    """Move the staged enrollment into sección, estudiante and matrícula.

    Call after `nomina_repetidas`: with one row per student, IE and year left,
    no sección holds a student twice, so matrícula needs no deduplication.
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
    # A student's latest row in the file wins for their personal data.
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
    the file wins when a key repeats.
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
