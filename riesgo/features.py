"""Features and labels for a school year t, computed set-based from the database.

One row per student enrolled in t, indexed by the student's representative
enrollment that year (`matricula_id`): the one not TRASLADADO if any, then the
latest (fecha_matricula, then id). Per-student aggregates run in SQL (a fixed
handful of queries, whatever the number of students); pandas only joins and
vectorises. Unknown values stay NaN (the pipeline imputes them); categorical
columns say "DESCONOCIDO". "History" means imported years up to and including
t; "previous year" features are NaN when t-1 was never imported.

- extraedad: age on 31 March of t - EDAD_NORMATIVA[nivel] - grado.
- grado; repite, reentrante: situación de matrícula of t is REPITE / REENTRANTE.
- anios_repetidos: years of the history with a REPITE enrollment.
- interrupciones: re-entry years of the history (t included): years with a
  REENTRANTE enrollment, or enrolled after an imported year of absence that
  followed an earlier enrollment. Each year counts once.
- matriculado_, desaprobo_, retirado_anio_anterior: any enrollment in t-1; one
  with final DESAPROBADO; one with final RETIRADO.
- cambios_ie: changes of IE between consecutive enrollments of the history of
  the same nivel (mid-year transfers included). Moving on with a change of
  nivel (inicial to primaria, primaria to secundaria) changes código modular by
  nature and is not counted.
- traslado_en_anio: the student has a TRASLADADO enrollment in t.
- tasa_inasistencia(_anterior): unexcused absences / school days, all periods
  of t (t-1); NaN without rows or days.
- nota_matematica, nota_comunicacion: FINAL grade of t on 1-4 (AD 4, A 3, B 2,
  C 1; vigesimal x as 1 + 3x/20); without FINAL, the mean of the periods.
- tendencia_notas: mean of the two notes in t minus the same in t-1 (each mean
  over the notes present); NaN if either side is missing.
- trabaja; horas_trabajo (0 when the student does not work).
- lengua_originaria: mother tongue other than CASTELLANO / LENGUA EXTRANJERA.
- discapacidad: other than NINGUNA. documento_extranjero: CE, pasaporte, PTP...
- juntos; cse (categorical); educacion_apoderado: 0 SIN NIVEL ... 5 SUPERIOR.
- apoderado_no_padre: guardian's relation other than PADRE / MADRE.
- rural, privada: area and gestión of the IE; tamano_ie: students whose
  representative enrollment of t is in the IE.
- desercion_ie_anterior, desercion_distrito_anterior: share of the students of
  t-1 (by representative enrollment; deaths and every 5.º de secundaria
  student left out, as the label does) of the IE / its distrito who are
  enrolled nowhere in t; always over the whole IE or distrito, whatever `ies`
  keeps.
- nivel, sexo, situacion_final (of t's representative enrollment): categorical.

Blank texts (lengua, discapacidad, documento, parentesco, apoderado's
education) and NULL booleans are unknown: NaN, not 0.
"""

import json

import numpy as np
import pandas as pd
from django.db import connection

from alerta.models import (
    DOCUMENTOS_EXTRANJEROS,
    EDAD_NORMATIVA,
    Area,
    Asistencia,
    Estudiante,
    Evaluacion,
    Gestion,
    Hogar,
    InstitucionEducativa,
    Matricula,
    Seccion,
    SituacionFinal,
    SituacionMatricula,
    es_quinto_de_secundaria,
    sql_quinto_de_secundaria,
)

NUMERICAS = [
    "extraedad",
    "grado",
    "repite",
    "reentrante",
    "anios_repetidos",
    "interrupciones",
    "matriculado_anio_anterior",
    "desaprobo_anio_anterior",
    "retirado_anio_anterior",
    "cambios_ie",
    "traslado_en_anio",
    "tasa_inasistencia",
    "tasa_inasistencia_anterior",
    "nota_matematica",
    "nota_comunicacion",
    "tendencia_notas",
    "trabaja",
    "horas_trabajo",
    "lengua_originaria",
    "discapacidad",
    "documento_extranjero",
    "juntos",
    "educacion_apoderado",
    "apoderado_no_padre",
    "rural",
    "privada",
    "tamano_ie",
    "desercion_ie_anterior",
    "desercion_distrito_anterior",
]
CATEGORICAS = ["nivel", "sexo", "cse", "situacion_final"]
COLUMNAS = ["estudiante_id", "ie_id", *NUMERICAS, *CATEGORICAS]
DESCONOCIDO = "DESCONOCIDO"

# Grades on the 1-4 scale; vigesimal grades (some secundaria records) mapped onto it.
NOTA = {"AD": 4.0, "A": 3.0, "B": 2.0, "C": 1.0} | {
    str(n): 1 + 3 * n / 20 for n in range(21)
}
EDUCACION = {
    "SIN NIVEL": 0,
    "PRIMARIA INCOMPLETA": 1,
    "PRIMARIA COMPLETA": 2,
    "SECUNDARIA INCOMPLETA": 3,
    "SECUNDARIA COMPLETA": 4,
    "SUPERIOR": 5,
}
NO_ORIGINARIAS = ["CASTELLANO", "LENGUA EXTRANJERA"]
PADRES = ["PADRE", "MADRE"]

_M = Matricula._meta.db_table
_S = Seccion._meta.db_table
_E = Estudiante._meta.db_table
_I = InstitucionEducativa._meta.db_table
_H = Hogar._meta.db_table
_EV = Evaluacion._meta.db_table
_A = Asistencia._meta.db_table


def _lista(valores: list[str]) -> str:
    """Fixed domain values as a list of SQL literals (never user input)."""
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in valores)


_TRASLADADO = _lista([SituacionFinal.TRASLADADO])
_FALLECIDO = _lista([SituacionFinal.FALLECIDO])

# The representative enrollment of a student in a year comes first in this order.
_ORDEN_REPRESENTATIVA = (
    f"CASE WHEN m.situacion_final = {_TRASLADADO} THEN 1 ELSE 0 END, "
    "CASE WHEN m.fecha_matricula IS NULL THEN 1 ELSE 0 END, "
    "m.fecha_matricula DESC, m.id DESC"
)


def anios_con_matricula() -> list[int]:
    return list(
        Seccion.objects.order_by("anio").values_list("anio", flat=True).distinct()
    )


def _leer(sql: str, params: list) -> pd.DataFrame:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        columnas = [c[0] for c in cur.description]
        return pd.DataFrame.from_records(cur.fetchall(), columns=columnas)


def _estudiantes_del_anio(anio: int, ies: tuple[int, int] | None) -> tuple[str, list]:
    """Subquery: students with an enrollment in `anio` (in the IE range, if any).

    A superset of the chunk's students (someone moved out of the range is in
    it too): rows of other students are dropped when joined.
    """
    sql = (
        f"SELECT m2.estudiante_id FROM {_M} m2 "
        f"JOIN {_S} s2 ON s2.id = m2.seccion_id WHERE s2.anio = %s"
    )
    if ies is None:
        return sql, [anio]
    return sql + " AND s2.ie_id BETWEEN %s AND %s", [anio, *ies]


def _de_los_estudiantes(estudiantes: list[int]) -> tuple[str, list]:
    """Subquery: the given student ids, passed as one parameter.

    A chunk knows its students once its base query has run; handing the ids
    over lets PostgreSQL probe the per-student indexes of the history,
    attendance and grades tables. With a subquery over the year's enrollment
    instead, it scanned those whole tables for every chunk, so each chunk cost
    more as the country's data grew.
    """
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [estudiantes]
    return "SELECT value FROM json_each(%s)", [json.dumps(estudiantes)]


def _los_candidatos(
    anio: int, ies: tuple[int, int] | None, estudiantes: list[int] | None
) -> tuple[str, list]:
    """Subquery of the students a feature query reads: the given ids when the
    chunk knows them, else the year's enrollment (in the IE range, if any)."""
    if estudiantes is not None:
        return _de_los_estudiantes(estudiantes)
    return _estudiantes_del_anio(anio, ies)


def _candidatos(anio: int, ies: tuple[int, int]) -> list[int]:
    """The students with an enrollment of `anio` in the IE range (a superset of
    the chunk: someone who moved out of the range is there too)."""
    sql, params = _estudiantes_del_anio(anio, ies)
    with connection.cursor() as cur:
        cur.execute(f"SELECT DISTINCT estudiante_id FROM ({sql}) AS c", params)
        return [fila[0] for fila in cur.fetchall()]


def _indicador(columna: str, *, unos=None, ceros=None) -> str:
    """SQL: NULL when the text is blank; else 1 if in `unos` (or not in `ceros`)."""
    if unos is not None:
        condicion = f"{columna} IN ({_lista(unos)})"
    else:
        condicion = f"{columna} NOT IN ({_lista(ceros)})"
    return (
        f"CASE WHEN COALESCE({columna}, '') = '' THEN NULL "
        f"WHEN {condicion} THEN 1 ELSE 0 END"
    )


def _base(anio: int, ies: tuple[int, int] | None) -> pd.DataFrame:
    """The representative enrollment of year `anio`, with student, IE, household.

    Flags and codes come ready from SQL, so that few strings travel.
    """
    filtro, rango, params = "", "", [anio]
    if ies is not None:
        cand, p = _de_los_estudiantes(_candidatos(anio, ies))
        filtro = f" AND m.estudiante_id IN ({cand})"
        rango = " AND r.ie_id BETWEEN %s AND %s"
        params += [*p, *ies]
    educacion = " ".join(f"WHEN '{k}' THEN {v}" for k, v in EDUCACION.items())
    sql = f"""
        SELECT r.matricula_id, r.estudiante_id, r.ie_id, i.distrito_id,
            r.nivel, r.grado, r.situacion_final, e.fecha_nacimiento, e.sexo, h.cse,
            CASE WHEN r.situacion_matricula = {_lista([SituacionMatricula.REPITE])}
                THEN 1 ELSE 0 END AS repite,
            CASE WHEN r.situacion_matricula
                = {_lista([SituacionMatricula.REENTRANTE])} THEN 1 ELSE 0 END
                AS reentrante,
            r.traslado AS traslado_en_anio,
            CASE WHEN r.trabaja THEN 1 WHEN NOT r.trabaja THEN 0 END AS trabaja,
            CASE WHEN r.horas IS NOT NULL THEN r.horas
                WHEN NOT r.trabaja THEN 0 END AS horas_trabajo,
            {_indicador("e.lengua_materna", ceros=NO_ORIGINARIAS)}
                AS lengua_originaria,
            {_indicador("e.discapacidad", ceros=["NINGUNA"])} AS discapacidad,
            {_indicador("e.tipo_documento", unos=DOCUMENTOS_EXTRANJEROS)}
                AS documento_extranjero,
            CASE WHEN h.programa_juntos THEN 1 WHEN NOT h.programa_juntos THEN 0
                END AS juntos,
            CASE r.educacion {educacion} END AS educacion_apoderado,
            {_indicador("r.parentesco", ceros=PADRES)} AS apoderado_no_padre,
            CASE WHEN i.area = {_lista([Area.RURAL])} THEN 1 ELSE 0 END AS rural,
            CASE WHEN i.gestion = {_lista([Gestion.PRIVADA])} THEN 1 ELSE 0 END
                AS privada
        FROM (
            SELECT m.id AS matricula_id, m.estudiante_id, s.ie_id, s.nivel,
                   s.grado, m.situacion_matricula, m.situacion_final, m.trabaja,
                   m.horas_semanales_trabajo AS horas,
                   m.nivel_instruccion_apoderado AS educacion,
                   m.parentesco_apoderado AS parentesco,
                   ROW_NUMBER() OVER (
                       PARTITION BY m.estudiante_id ORDER BY {_ORDEN_REPRESENTATIVA}
                   ) AS rn,
                   MAX(CASE WHEN m.situacion_final = {_TRASLADADO} THEN 1 ELSE 0 END)
                       OVER (PARTITION BY m.estudiante_id) AS traslado
            FROM {_M} m JOIN {_S} s ON s.id = m.seccion_id
            WHERE s.anio = %s{filtro}
        ) r
        JOIN {_E} e ON e.id = r.estudiante_id
        JOIN {_I} i ON i.id = r.ie_id
        LEFT JOIN {_H} h ON h.estudiante_id = r.estudiante_id
        WHERE r.rn = 1{rango}
        ORDER BY r.matricula_id
    """
    return _leer(sql, params)


def _historia(
    anio: int,
    ies: tuple[int, int] | None,
    importados: list[int],
    estudiantes: list[int] | None = None,
) -> pd.DataFrame:
    """Per student: repetitions, re-entries and school changes up to `anio`,
    and what year anio-1 says."""
    cand, p = _los_candidatos(anio, ies, estudiantes)
    marcas = ", ".join(["%s"] * len(importados))
    repite = _lista([SituacionMatricula.REPITE])
    reentrante = _lista([SituacionMatricula.REENTRANTE])
    desaprobado = _lista([SituacionFinal.DESAPROBADO])
    retirado = _lista([SituacionFinal.RETIRADO])
    sql = f"""
        SELECT h.estudiante_id,
            COUNT(DISTINCT CASE WHEN h.situacion_matricula = {repite}
                THEN h.anio END) AS anios_repetidos,
            COUNT(DISTINCT CASE WHEN h.situacion_matricula = {reentrante}
                OR (h.anio_previo < h.anio - 1 AND h.anio - 1 IN ({marcas}))
                THEN h.anio END) AS interrupciones,
            SUM(CASE WHEN h.ie_previa <> h.ie_id AND h.nivel_previo = h.nivel
                THEN 1 ELSE 0 END) AS cambios_ie,
            MAX(CASE WHEN h.anio = %s THEN 1 ELSE 0 END)
                AS matriculado_anio_anterior,
            MAX(CASE WHEN h.anio = %s AND h.situacion_final = {desaprobado}
                THEN 1 ELSE 0 END) AS desaprobo_anio_anterior,
            MAX(CASE WHEN h.anio = %s AND h.situacion_final = {retirado}
                THEN 1 ELSE 0 END) AS retirado_anio_anterior
        FROM (
            SELECT m.estudiante_id, s.anio, s.ie_id, s.nivel,
                   m.situacion_matricula, m.situacion_final,
                   LAG(s.anio) OVER w AS anio_previo,
                   LAG(s.ie_id) OVER w AS ie_previa,
                   LAG(s.nivel) OVER w AS nivel_previo
            FROM {_M} m JOIN {_S} s ON s.id = m.seccion_id
            WHERE s.anio <= %s AND m.estudiante_id IN ({cand})
            WINDOW w AS (
                PARTITION BY m.estudiante_id
                ORDER BY s.anio,
                    CASE WHEN m.situacion_final = {_TRASLADADO} THEN 0 ELSE 1 END,
                    m.id
            )
        ) h
        GROUP BY h.estudiante_id
    """
    params = [*importados, anio - 1, anio - 1, anio - 1, anio, *p]
    return _leer(sql, params).set_index("estudiante_id")


def _asistencia(
    anio: int, ies: tuple[int, int] | None, estudiantes: list[int] | None = None
) -> pd.DataFrame:
    cand, p = _los_candidatos(anio, ies, estudiantes)
    sql = f"""
        SELECT a.estudiante_id,
            SUM(CASE WHEN a.anio = %s THEN a.inasistencias_injustificadas END) AS f,
            SUM(CASE WHEN a.anio = %s THEN a.dias_lectivos END) AS d,
            SUM(CASE WHEN a.anio = %s THEN a.inasistencias_injustificadas END)
                AS f_ant,
            SUM(CASE WHEN a.anio = %s THEN a.dias_lectivos END) AS d_ant
        FROM {_A} a
        WHERE a.anio IN (%s, %s) AND a.estudiante_id IN ({cand})
        GROUP BY a.estudiante_id
    """
    params = [anio, anio, anio - 1, anio - 1, anio, anio - 1, *p]
    df = _leer(sql, params).set_index("estudiante_id").astype(float)
    return pd.DataFrame(
        {
            "tasa_inasistencia": df["f"] / df["d"].where(df["d"] > 0),
            "tasa_inasistencia_anterior": df["f_ant"]
            / df["d_ant"].where(df["d_ant"] > 0),
        }
    )


def _notas(
    anio: int, ies: tuple[int, int] | None, estudiantes: list[int] | None = None
) -> pd.DataFrame:
    """Mathematics and communication in `anio` and `anio`-1, on the 1-4 scale."""
    cand, p = _los_candidatos(anio, ies, estudiantes)
    # The four letters by name; the 21 vigesimal grades by one hashed IN and
    # arithmetic (a 25-branch CASE per row cost a third of the query).
    letras = " ".join(
        f"WHEN ev.calificativo = '{k}' THEN {v!r}"
        for k, v in NOTA.items()
        if k.isalpha()
    )
    vigesimales = _lista([k for k in NOTA if k.isdigit()])
    valor = (
        f"{letras} WHEN ev.calificativo IN ({vigesimales}) "
        "THEN 1 + 3 * CAST(ev.calificativo AS DOUBLE PRECISION) / 20"
    )
    columnas, params = [], []
    for sufijo, a in (("", anio), ("_ant", anio - 1)):
        for area, nombre in (
            ("MATEMATICA", "nota_matematica"),
            ("COMUNICACION", "nota_comunicacion"),
        ):
            cual = f"v.anio = %s AND v.area = '{area}' AND v.periodo"
            columnas.append(
                f"COALESCE(AVG(CASE WHEN {cual} = 'FINAL' THEN v.valor END), "
                f"AVG(CASE WHEN {cual} <> 'FINAL' THEN v.valor END)) "
                f"AS {nombre}{sufijo}"
            )
            params += [a, a]
    sql = f"""
        SELECT v.estudiante_id, {", ".join(columnas)}
        FROM (
            SELECT ev.estudiante_id, ev.anio, ev.area, ev.periodo,
                   CAST(CASE {valor} END AS DOUBLE PRECISION)
                       AS valor
            FROM {_EV} ev
            WHERE ev.anio IN (%s, %s)
              AND ev.area IN ('MATEMATICA', 'COMUNICACION')
              AND ev.estudiante_id IN ({cand})
        ) v
        GROUP BY v.estudiante_id
    """
    df = _leer(sql, [*params, anio, anio - 1, *p])
    return df.set_index("estudiante_id").astype(float)


def _representativas_y_siguiente(anio: int, filtro: str) -> str:
    """SQL: the enrollments of `anio` with their rank within the student's year
    (1 = representative) and whether the student is enrolled in `anio`+1.

    One pass over both years (a window, not a per-row EXISTS): parameters
    `anio`+1, `anio`, `anio`+1, then those of `filtro`.
    """
    return f"""
        SELECT x.* FROM (
            SELECT m.id AS matricula_id, m.estudiante_id, s.anio, s.ie_id,
                s.nivel, s.grado, m.situacion_final,
                ROW_NUMBER() OVER (
                    PARTITION BY m.estudiante_id, s.anio
                    ORDER BY {_ORDEN_REPRESENTATIVA}
                ) AS rn,
                MAX(CASE WHEN s.anio = %s THEN 1 ELSE 0 END)
                    OVER (PARTITION BY m.estudiante_id) AS sigue
            FROM {_M} m JOIN {_S} s ON s.id = m.seccion_id
            WHERE s.anio IN (%s, %s){filtro}
        ) x
        WHERE x.anio = %s
    """


def _desercion_anterior(anio: int, ies: tuple[int, int] | None) -> pd.DataFrame:
    """Per IE of year `anio`-1: students who count and how many were gone in `anio`.

    With `ies`, every IE of the distritos the range touches, whole.
    """
    previo = anio - 1
    filtro, distritos, p_filtro, p_distritos = "", "", [], []
    if ies is not None:
        en_rango = f"SELECT i3.distrito_id FROM {_I} i3 WHERE i3.id BETWEEN %s AND %s"
        filtro = f"""
            AND m.estudiante_id IN (
                SELECT m2.estudiante_id FROM {_M} m2
                JOIN {_S} s2 ON s2.id = m2.seccion_id
                JOIN {_I} i2 ON i2.id = s2.ie_id
                WHERE s2.anio = %s AND i2.distrito_id IN ({en_rango})
            )"""
        p_filtro = [previo, *ies]
        distritos = f" AND i.distrito_id IN ({en_rango})"
        p_distritos = list(ies)
    sql = f"""
        SELECT r.ie_id, i.distrito_id, COUNT(*) AS n, SUM(1 - r.sigue) AS fuera
        FROM ({_representativas_y_siguiente(previo, filtro)}) r
        JOIN {_I} i ON i.id = r.ie_id
        WHERE r.rn = 1 AND r.situacion_final <> {_FALLECIDO}
          AND NOT {sql_quinto_de_secundaria("r.nivel", "r.grado")}{distritos}
        GROUP BY r.ie_id, i.distrito_id
    """
    params = [anio, previo, anio, *p_filtro, previo, *p_distritos]
    return _leer(sql, params)


def _categoria(serie: pd.Series) -> pd.Series:
    return serie.where(serie.notna() & (serie != ""), DESCONOCIDO).astype(object)


def _vacia() -> pd.DataFrame:
    X = pd.DataFrame(
        {c: pd.Series(dtype=float) for c in COLUMNAS}, index=pd.Index([], dtype=int)
    )
    X["estudiante_id"] = X["estudiante_id"].astype(int)
    X["ie_id"] = X["ie_id"].astype(int)
    for col in CATEGORICAS:
        X[col] = X[col].astype(object)
    X.index.name = "matricula_id"
    return X


# Features that the base query gives ready.
_DE_LA_BASE = [
    "repite",
    "reentrante",
    "traslado_en_anio",
    "trabaja",
    "horas_trabajo",
    "lengua_originaria",
    "discapacidad",
    "documento_extranjero",
    "juntos",
    "educacion_apoderado",
    "apoderado_no_padre",
    "rural",
    "privada",
]


def tasas_desercion(anio: int) -> pd.DataFrame:
    """Every IE's students who count in `anio`-1 and how many were gone in
    `anio` (ie_id, distrito_id, n, fuera): what the dropout-rate features of
    year `anio` are made of. A scoring run computes it once for all its chunks.
    """
    return _desercion_anterior(anio, None)


def construir_features(
    anio: int,
    *,
    solo_vigentes: bool = False,
    ies: tuple[int, int] | None = None,
    tasas: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The feature table of year `anio` (see the module docstring).

    `solo_vigentes`: only the students to score (not moved out without a new
    enrollment, not deceased, not in 5.º de secundaria). `ies=(desde, hasta)`:
    only students whose representative enrollment is in an IE with
    desde <= pk <= hasta.
    `tasas`: `tasas_desercion(anio)` when the caller has it already.
    """
    importados = anios_con_matricula()
    if anio not in importados:
        return _vacia()
    m = _base(anio, ies)
    if m.empty:
        return _vacia()
    m = m.set_index("matricula_id")
    previo_importado = anio - 1 in importados

    X = pd.DataFrame(index=m.index)
    X["estudiante_id"] = m["estudiante_id"].astype(int)
    X["ie_id"] = m["ie_id"].astype(int)
    grado = m["grado"].astype(float)
    nacimiento = pd.to_datetime(m["fecha_nacimiento"], errors="coerce")
    # Age on 31 March: one year less for those born after March.
    edad = anio - nacimiento.dt.year - (nacimiento.dt.month > 3)
    normativa = m["nivel"].map({str(n): e for n, e in EDAD_NORMATIVA.items()})
    X["extraedad"] = edad - normativa.astype(float) - grado
    X["grado"] = grado
    for col in _DE_LA_BASE:
        X[col] = m[col]

    # A chunk's students, to read their rows only (the whole year reads all).
    estudiantes = m["estudiante_id"].astype(int).unique().tolist() if ies else None
    historia = _historia(anio, ies, importados, estudiantes).reindex(m["estudiante_id"])
    historia.index = m.index
    historia = historia.astype(float)
    X["anios_repetidos"] = historia["anios_repetidos"].fillna(0)
    X["interrupciones"] = historia["interrupciones"].fillna(0)
    for col in (
        "matriculado_anio_anterior",
        "desaprobo_anio_anterior",
        "retirado_anio_anterior",
    ):
        X[col] = historia[col].fillna(0) if previo_importado else np.nan
    X["cambios_ie"] = historia["cambios_ie"].fillna(0)

    asistencia = _asistencia(anio, ies, estudiantes).reindex(m["estudiante_id"])
    X["tasa_inasistencia"] = asistencia["tasa_inasistencia"].to_numpy()
    X["tasa_inasistencia_anterior"] = asistencia[
        "tasa_inasistencia_anterior"
    ].to_numpy()

    notas = _notas(anio, ies, estudiantes).reindex(m["estudiante_id"])
    notas.index = m.index
    X["nota_matematica"] = notas["nota_matematica"]
    X["nota_comunicacion"] = notas["nota_comunicacion"]
    media = notas[["nota_matematica", "nota_comunicacion"]].mean(axis=1)
    media_ant = notas[["nota_matematica_ant", "nota_comunicacion_ant"]].mean(axis=1)
    X["tendencia_notas"] = media - media_ant

    X["tamano_ie"] = m.groupby("ie_id")["estudiante_id"].transform("size").astype(float)

    X["desercion_ie_anterior"] = np.nan
    X["desercion_distrito_anterior"] = np.nan
    if previo_importado:
        if tasas is None:
            tasas = _desercion_anterior(anio, ies)
        if not tasas.empty:
            tasas = tasas.copy()
            tasas[["n", "fuera"]] = tasas[["n", "fuera"]].astype(float)
            por_ie = (tasas["fuera"] / tasas["n"]).set_axis(tasas["ie_id"])
            sumas = tasas.groupby("distrito_id")[["n", "fuera"]].sum()
            por_distrito = sumas["fuera"] / sumas["n"]
            X["desercion_ie_anterior"] = X["ie_id"].map(por_ie).astype(float)
            X["desercion_distrito_anterior"] = (
                m["distrito_id"].map(por_distrito).astype(float)
            )

    for col in CATEGORICAS:
        X[col] = _categoria(m[col])
    for col in NUMERICAS:
        X[col] = X[col].astype(float)

    if solo_vigentes:
        X = X[
            ~m["situacion_final"].isin(
                [SituacionFinal.TRASLADADO, SituacionFinal.FALLECIDO]
            )
            & ~es_quinto_de_secundaria(m["nivel"], m["grado"])
        ]
    X.index.name = "matricula_id"
    return X[COLUMNAS]


def etiquetas(anio: int, X: pd.DataFrame) -> pd.Series:
    """Dropout label for the students of year `anio` (rows of X), from year anio+1.

    1: enrolled in t and enrolled nowhere in t+1. Left out: those who died and
    every 5.º de secundaria student, whatever their situación (outside
    deserción interanual, see alerta.models.QUINTO_DE_SECUNDARIA). A move to
    another school is not a dropout (the new enrollment counts), nor is
    re-entering in t+1.
    """
    if X.empty:
        return pd.Series(dtype=int, name="desercion", index=X.index[:0])
    filtro, p_filtro = "", []
    if "ie_id" in X:
        # Only the students of X's IE range: the rows of a chunk, not the year.
        cand, p_filtro = _estudiantes_del_anio(
            anio, (int(X["ie_id"].min()), int(X["ie_id"].max()))
        )
        filtro = f" AND m.estudiante_id IN ({cand})"
    sql = _representativas_y_siguiente(anio, filtro)
    params = [anio + 1, anio, anio + 1, *p_filtro, anio]
    d = _leer(sql, params).set_index("matricula_id").reindex(X.index)
    fuera = es_quinto_de_secundaria(d["nivel"], d["grado"])
    fuera |= d["situacion_final"] == SituacionFinal.FALLECIDO
    fuera |= d["sigue"].isna()
    y = (1 - d.loc[~fuera, "sigue"]).astype(int)
    return y.rename("desercion")
