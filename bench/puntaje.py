"""Benchmark: a scoring run on PostgreSQL, against raw predict_proba and a raw COPY.

    .venv/bin/python bench/puntaje.py --estudiantes 100000 1000000

For each size it fills a scratch database with two consecutive school years
(t-1 and t) of synthetic data, set-based in SQL (not through the importer,
which would take longer than the benchmark itself), trains and publishes a
model with the project's own code (timed, not part of the figure), then in
the same run:
  1. scores year t end to end, in one process:
     riesgo.scoring.puntaje_ejecutar with the default chunk size (features
     from the database, predict, explanations, COPY of the scores, aggregates);
  2. scores year t again the way the nightly run does: a Celery worker
     (prefork, one process per core: Celery's default) takes the chunks of a
     chord from Redis (CELERY_BROKER_URL, default the local server) and the
     run's shared values go through a Redis cache, as in docker-compose;
  3. builds the same feature matrix once (not timed) and times the floor any
     scoring run could reach: predict_proba of the published pipeline on it,
     plus a COPY of (matricula_id, probabilidad) into a table without indexes.
It prints students per second, the time of each, the ratio (end to end /
floor), the peak memory of each process, where the scoring run spends its
time, and a linear extrapolation to the whole country (6 million students;
target: under 10 minutes with one worker). It checks that the run wrote one
score per current student.

The data only need to be plausible for the schema and loosely informative for
the model (absences, low grades, over-age, work, rurality and poverty raise
the chance of being gone the next year). Every constraint of the schema holds;
foreign keys are built consistent and checked with anti-joins after the fill,
instead of firing one deferred trigger per row, and the big tables get their
unique constraints and indexes rebuilt after the fill (same names and SQL).
The extrapolation to 6 million is linear: it assumes a chunk costs the same
whatever the size of the tables, which a query scanning a whole table breaks.

Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/),
whose database part is replaced by a scratch database "alerta_bench_puntaje",
dropped at the end unless --conservar (which also keeps the MEDIA_ROOT folder
holding the trained model, and prints both).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from comun import (
    HUERFANOS_ESCUELAS,
    carga_masiva_empezar,
    carga_masiva_terminar,
    psql_admin,
    secuencias_sql,
    url_bench,
)

RAIZ = Path(__file__).resolve().parent.parent
BASE = "alerta_bench_puntaje"
PAIS = 6_000_000
OBJETIVO_S = 600
MARCA = "RESULTADO "

# Share of the year t-1 population that is a current student in t (measured on
# the generated data: dropouts, 5.º de secundaria graduates and deaths leave;
# first graders and re-entrants join). Only used to size the population.
VIGENTES_POR_ANTERIOR = 0.974
# One IE per nivel and local; a local (a primaria and a secundaria) per ~400.
ESTUDIANTES_POR_LOCAL = 400

APELLIDOS = (
    "QUISPE", "FLORES", "SANCHEZ", "RODRIGUEZ", "GARCIA", "MAMANI", "HUAMAN",
    "CHAVEZ", "ROJAS", "DIAZ", "TORRES", "RAMOS", "CONDORI", "CASTILLO",
    "MENDOZA", "VASQUEZ", "ESPINOZA", "HUAMANI", "CCAHUANA", "TICONA",
)  # fmt: skip
NOMBRES = (
    "JOSE", "MARIA", "LUIS", "ROSA", "JUAN", "ANA", "CARLOS", "LUZ", "JORGE",
    "CARMEN", "MIGUEL", "ELENA", "DIEGO", "SOFIA", "ANGEL", "VALERIA",
)  # fmt: skip


def entorno(media: Path) -> dict[str, str]:
    # MEDIA_ROOT: the trained model goes to a scratch folder, never to media/.
    return {
        **os.environ,
        "DATABASE_URL": url_bench(BASE),
        "DJANGO_SETTINGS_MODULE": "alerta.settings",
        "CELERY_BROKER_URL": "",
        "MEDIA_ROOT": str(media),
    }


def manage(media: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=RAIZ,
        env=entorno(media),
        check=True,
    )


# --- the fill -----------------------------------------------------------------


def _lista(valores: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in valores) + "]"


def _al_azar(valores: tuple[str, ...]) -> str:
    return f"({_lista(valores)})[1 + floor(random() * {len(valores)})::int]"


# IE of a local (pair) j for grade index g (0-5 primaria 1.º-6.º, 6-10
# secundaria 1.º-5.º): the primaria is 2j-1, the secundaria 2j.
def _ie(j: str, g: str) -> str:
    return f"(2 * {j} - CASE WHEN {g} <= 5 THEN 1 ELSE 0 END)"


# Another local than j, uniformly.
def _otro_local(j: str) -> str:
    salto = "1 + floor(random() * (%(locales)s - 1))::int"
    return f"(mod({j} - 1 + {salto}, %(locales)s) + 1)"


LLENADO: list[tuple[str, str]] = [
    (
        "territorio",
        """
        INSERT INTO alerta_dre (id, nombre)
        SELECT r, 'DRE ' || lpad(r::text, 2, '0') FROM generate_series(1, %(dres)s) r;
        INSERT INTO alerta_ugel (id, codigo, nombre, dre_id)
        SELECT u, lpad(u::text, 6, '0'), 'UGEL ' || lpad(u::text, 3, '0'),
               1 + (u - 1) * %(dres)s / %(ugeles)s
        FROM generate_series(1, %(ugeles)s) u;
        INSERT INTO alerta_distrito (ubigeo, departamento, provincia, nombre)
        SELECT lpad(d::text, 6, '0'),
               'DEPARTAMENTO ' || (1 + (d - 1) * %(dres)s / %(distritos)s),
               'PROVINCIA ' || (1 + (d - 1) * %(ugeles)s / %(distritos)s),
               'DISTRITO ' || d
        FROM generate_series(1, %(distritos)s) d;
        """,
    ),
    (
        "instituciones",
        """
        CREATE UNLOGGED TABLE bench_local AS
        SELECT j, distrito, rural, NOT rural AND random() < 0.25 AS privada,
               CASE WHEN rural THEN 0.35 ELSE 1.5 END::float8 AS peso
        FROM (
            SELECT j, 1 + (j - 1) * %(distritos)s / %(locales)s AS distrito,
                   random() < 0.45 AS rural
            FROM generate_series(1, %(locales)s) j
        ) l;
        ALTER TABLE bench_local ADD PRIMARY KEY (j);
        -- Ordered by UGEL and distrito, as the padrón (and so the pks) are.
        INSERT INTO alerta_institucioneducativa (
            id, codigo_modular, anexo, codigo_local, nombre, nivel_modalidad,
            gestion, area, latitud, longitud, activa, distrito_id, ugel_id)
        SELECT 2 * l.j - 1 + k, lpad((2 * l.j - 1 + k)::text, 7, '0'), 0,
               lpad(l.j::text, 6, '0'), (50000 + 2 * l.j - 1 + k)::text,
               CASE k WHEN 0 THEN 'B0' ELSE 'F0' END,
               CASE WHEN l.privada THEN 'PRIVADA' ELSE 'PUBLICA' END,
               CASE WHEN l.rural THEN 'RURAL' ELSE 'URBANA' END,
               -3.5 - 14 * random(), -81 + 11 * random(), true,
               lpad(l.distrito::text, 6, '0'),
               1 + (l.distrito - 1) * %(ugeles)s / %(distritos)s
        FROM bench_local l CROSS JOIN generate_series(0, 1) k
        ORDER BY 1;
        """,
    ),
    (
        "población",
        # ANT: enrolled in t-1; NUEVO: enters 1.º de primaria in t; REENTRA:
        # back in t after years away. Urban locales draw ~4x the students.
        # (Each stage is a subquery with random() in its select list, which
        # PostgreSQL never flattens: every draw happens once per row.)
        f"""
        CREATE UNLOGGED TABLE bench_cupo AS
        SELECT j, (round(acum / total * %(poblacion)s)
                   - round((acum - w) / total * %(poblacion)s))::int AS n
        FROM (SELECT j, w, sum(w) OVER (ORDER BY j) AS acum, sum(w) OVER () AS total
              FROM (SELECT j, peso * (0.6 + 0.8 * random()) AS w
                    FROM bench_local) q) c;

        CREATE UNLOGGED TABLE bench_lat AS
        SELECT row_number() OVER () AS k, l.origen, l.j, l.z, l.g0, p.rural
        FROM (
            SELECT j, origen, random() AS z,
                CASE WHEN origen = 'ANT' THEN floor(random() * 11)::int END AS g0
            FROM (
                SELECT j,
                    CASE WHEN random() < %(anteriores)s::float8 / %(poblacion)s
                         THEN 'ANT'
                         WHEN random() < %(ingresantes)s::float8
                             / (%(poblacion)s - %(anteriores)s)
                         THEN 'NUEVO'
                         ELSE 'REENTRA' END AS origen
                FROM (SELECT j, generate_series(1, n) FROM bench_cupo) s
            ) o
        ) l JOIN bench_local p ON p.j = l.j;
        DROP TABLE bench_cupo;

        CREATE UNLOGGED TABLE bench_alumno AS
        SELECT l.*,
            (random() < 0.04 + 0.22 * z + CASE WHEN rural THEN 0.06 ELSE 0 END)::int
                + (random() < 0.06 * z)::int AS extra,
            CASE WHEN random() < 0.5 THEN 'HOMBRE' ELSE 'MUJER' END AS sexo,
            CASE WHEN random() < 0.02 THEN ''
                 WHEN rural AND random() < 0.4 THEN
                     CASE WHEN random() < 0.85 THEN 'QUECHUA' ELSE 'AIMARA' END
                 WHEN random() < 0.05 THEN 'QUECHUA'
                 ELSE 'CASTELLANO' END AS lengua,
            CASE WHEN random() < 0.02 THEN ''
                 WHEN random() < 0.97 THEN 'NINGUNA'
                 ELSE {_al_azar(("INTELECTUAL", "FISICA", "VISUAL", "AUDITIVA"))}
            END AS discapacidad,
            CASE WHEN random() < 0.95 THEN 'DNI' WHEN random() < 0.4 THEN 'CE'
                 WHEN random() < 0.1 THEN 'PASAPORTE' ELSE 'SIN DOCUMENTO'
            END AS documento,
            -- NULL: no row in the households file.
            CASE WHEN random() < 0.08 THEN NULL
                 WHEN random() < 0.03 THEN ''
                 WHEN random() < 0.08 + 0.3 * z
                     + CASE WHEN rural THEN 0.15 ELSE 0 END THEN 'POBRE EXTREMO'
                 WHEN random() < 0.4 THEN 'POBRE'
                 ELSE 'NO POBRE' END AS cse,
            CASE WHEN random() < 0.03 THEN ''
                 ELSE (ARRAY['SIN NIVEL', 'PRIMARIA INCOMPLETA', 'PRIMARIA COMPLETA',
                             'SECUNDARIA INCOMPLETA', 'SECUNDARIA COMPLETA',
                             'SUPERIOR'])[
                     1 + least(5, floor(random() * 6 * (1.15 - 0.6 * z))::int)]
            END AS educacion,
            CASE WHEN random() < 0.03 THEN ''
                 WHEN random() < 0.85 - 0.25 * z THEN
                     CASE WHEN random() < 0.75 THEN 'MADRE' ELSE 'PADRE' END
                 ELSE {_al_azar(("ABUELO(A)", "TIO(A)", "HERMANO(A)", "OTRO"))}
            END AS parentesco,
            -- Local in t: most stay, a few change school between years.
            CASE WHEN random() < 0.03 THEN {_otro_local("j")} ELSE j END AS j1,
            -- Local left in the middle of t-1 (TRASLADADO), if any.
            CASE WHEN origen = 'ANT' AND random() < 0.01 THEN {_otro_local("j")}
            END AS jt0,
            -- Moved out in the middle of t: 1 to another school, 2 to none known.
            CASE WHEN random() < 0.01 THEN 1 WHEN random() < 0.003 THEN 2 ELSE 0
            END AS tras1,
            CASE WHEN origen = 'ANT' THEN
                CASE WHEN g0 = 0 THEN 'INGRESANTE'
                     WHEN random() < 0.02 + 0.08 * z THEN 'REPITE'
                     WHEN random() < 0.01 THEN 'REENTRANTE'
                     WHEN random() < 0.01 THEN ''
                     ELSE 'PROMOVIDO' END
            END AS sm0,
            CASE WHEN origen <> 'ANT' THEN NULL
                 WHEN random() < 0.0002 THEN 'FALLECIDO'
                 WHEN random() < 0.02 + 0.1 * z THEN 'DESAPROBADO'
                 WHEN g0 < 10 AND random() < 0.04 THEN 'REQUIERE RECUPERACION'
                 WHEN g0 < 10 AND random() < 0.02 THEN ''
                 ELSE 'APROBADO' END AS sf0_pre,
            CASE WHEN origen <> 'ANT' OR random() < 0.04 THEN NULL
                 ELSE random() < CASE WHEN g0 >= 6 THEN 0.05 + 0.3 * z
                                      ELSE 0.01 + 0.04 * z END
            END AS trabaja0,
            random() AS u_desercion
        FROM bench_lat l;
        DROP TABLE bench_lat;
        """,
    ),
    (
        "trayectorias",
        f"""
        CREATE UNLOGGED TABLE bench_desercion AS
        SELECT a.*,
            COALESCE(a.origen = 'ANT' AND a.sf0_pre <> 'FALLECIDO'
                AND NOT (a.g0 = 10 AND a.sf0_pre = 'APROBADO')
                AND a.u_desercion < 0.002 + 0.08 * a.z * a.z * a.z
                    + CASE WHEN a.rural THEN 0.015 ELSE 0 END
                    + 0.02 * a.extra
                    + CASE WHEN a.trabaja0 THEN 0.03 ELSE 0 END
                    + CASE WHEN a.sf0_pre = 'DESAPROBADO' THEN 0.04 ELSE 0 END
                    + CASE WHEN a.g0 >= 6 THEN 0.015 ELSE 0 END, false) AS desertor,
            CASE a.origen WHEN 'NUEVO' THEN 0
                 WHEN 'REENTRA' THEN 1 + floor(random() * 10)::int
                 ELSE a.g0 + CASE WHEN a.sf0_pre = 'DESAPROBADO' THEN 0 ELSE 1 END
            END AS g1,
            CASE WHEN a.trabaja0 THEN 4 + floor(random() * 36)::int END AS horas0
        FROM bench_alumno a;
        DROP TABLE bench_alumno;

        CREATE UNLOGGED TABLE bench_tray AS
        SELECT d.*,
            CASE WHEN d.desertor AND random() < 0.35 THEN 'RETIRADO'
                 ELSE d.sf0_pre END AS sf0,
            d.origen <> 'ANT' OR (NOT d.desertor AND d.sf0_pre <> 'FALLECIDO'
                AND NOT (d.g0 = 10 AND d.sf0_pre = 'APROBADO')) AS presente1,
            CASE d.origen WHEN 'NUEVO' THEN 'INGRESANTE'
                 WHEN 'REENTRA' THEN 'REENTRANTE'
                 ELSE CASE WHEN random() < 0.01 THEN ''
                           WHEN d.sf0_pre = 'DESAPROBADO' THEN 'REPITE'
                           ELSE 'PROMOVIDO' END
            END AS sm1,
            CASE WHEN d.tras1 = 2 THEN 'TRASLADADO'
                 WHEN random() < 0.0002 THEN 'FALLECIDO'
                 WHEN random() < 0.005 + 0.06 * d.z * d.z THEN 'RETIRADO'
                 WHEN random() < 0.02 + 0.1 * d.z THEN 'DESAPROBADO'
                 WHEN random() < 0.04 THEN 'REQUIERE RECUPERACION'
                 WHEN random() < 0.02 THEN ''
                 ELSE 'APROBADO' END AS sf1,
            CASE WHEN d.tras1 = 1 THEN {_otro_local("d.j1")} END AS jt1,
            CASE WHEN random() < 0.04 THEN NULL
                 ELSE random() < CASE WHEN d.g1 >= 6 THEN 0.05 + 0.3 * d.z
                                      ELSE 0.01 + 0.04 * d.z END
            END AS trabaja1,
            -- Age on 31 March of the first year seen: the normative one for
            -- the grade plus the years of over-age (a re-entrant lost one).
            CASE d.origen
                WHEN 'ANT' THEN make_date(%(t0)s - (6 + d.g0 + d.extra) - 1, 4, 1)
                WHEN 'NUEVO' THEN make_date(%(t)s - (6 + d.extra) - 1, 4, 1)
                ELSE make_date(%(t)s - (7 + d.g1 + d.extra) - 1, 4, 1)
            END + floor(random() * 365)::int AS nacimiento,
            CASE WHEN d.origen = 'ANT' THEN {_ie("COALESCE(d.jt0, d.j)", "d.g0")}
                 ELSE {_ie("d.j1", "d.g1")} END AS ie_primera
        FROM bench_desercion d;
        DROP TABLE bench_desercion;

        -- Student pks follow the first nómina they came in, school by school.
        CREATE UNLOGGED TABLE bench_est AS
        SELECT row_number() OVER (ORDER BY ie_primera, COALESCE(g0, g1), k) AS id,
               t.*,
               CASE WHEN t.trabaja1 THEN 4 + floor(random() * 36)::int END AS horas1
        FROM bench_tray t;
        DROP TABLE bench_tray;
        ALTER TABLE bench_est ADD PRIMARY KEY (id);
        """,
    ),
    (
        "estudiantes",
        f"""
        INSERT INTO alerta_estudiante (
            id, uuid, codigo_siagie, tipo_documento, numero_documento,
            apellido_paterno, apellido_materno, nombres, fecha_nacimiento, sexo,
            lengua_materna, discapacidad)
        SELECT id, gen_random_uuid(), lpad(id::text, 14, '0'), documento,
            CASE documento WHEN 'DNI' THEN (60000000 + id)::text
                 WHEN 'SIN DOCUMENTO' THEN ''
                 ELSE 'X' || lpad(id::text, 9, '0') END,
            {_al_azar(APELLIDOS)}, {_al_azar(APELLIDOS)}, {_al_azar(NOMBRES)},
            nacimiento, sexo, lengua, discapacidad
        FROM bench_est ORDER BY id;
        INSERT INTO alerta_hogar (cse, programa_juntos, fecha_corte, estudiante_id)
        SELECT cse,
            CASE cse WHEN 'POBRE EXTREMO' THEN random() < 0.7
                     WHEN 'POBRE' THEN random() < 0.25
                     WHEN '' THEN NULL ELSE false END,
            make_date(%(t)s, 1, 31), id
        FROM bench_est WHERE cse IS NOT NULL ORDER BY id;
        """,
    ),
    (
        "matrículas",
        f"""
        -- One row per enrollment; "principal" is the one each year's
        -- evaluations and attendance hang from (the last school of the year).
        CREATE UNLOGGED TABLE bench_mat AS
        SELECT m.*,
            CASE WHEN m.g <= 5 THEN 'PRIMARIA' ELSE 'SECUNDARIA' END AS nivel,
            CASE WHEN m.g <= 5 THEN m.g + 1 ELSE m.g - 5 END AS grado,
            CASE WHEN l.rural OR random() < 0.5 THEN 'A' ELSE 'B' END AS letra
        FROM (
            SELECT id AS estudiante_id, %(t0)s AS anio, {_ie("jt0", "g0")} AS ie_id,
                g0 AS g, sm0 AS sm,
                make_date(%(t0)s, 2, 15) + floor(random() * 40)::int AS fecha,
                'TRASLADADO' AS sf, educacion, parentesco, trabaja0 AS trabaja,
                horas0 AS horas, false AS principal, z, desertor AS baja
            FROM bench_est WHERE origen = 'ANT' AND jt0 IS NOT NULL
            UNION ALL
            SELECT id, %(t0)s, {_ie("j", "g0")}, g0, sm0,
                CASE WHEN jt0 IS NULL
                     THEN make_date(%(t0)s, 2, 15) + floor(random() * 40)::int
                     ELSE make_date(%(t0)s, 6, 1) + floor(random() * 90)::int END,
                sf0, educacion, parentesco, trabaja0, horas0, true, z, desertor
            FROM bench_est WHERE origen = 'ANT'
            UNION ALL
            SELECT id, %(t)s, {_ie("j1", "g1")}, g1, sm1,
                make_date(%(t)s, 2, 15) + floor(random() * 40)::int,
                'TRASLADADO', educacion, parentesco, trabaja1, horas1, tras1 = 2, z,
                false
            FROM bench_est WHERE presente1 AND tras1 > 0
            UNION ALL
            SELECT id, %(t)s, {_ie("COALESCE(jt1, j1)", "g1")}, g1, sm1,
                CASE WHEN tras1 = 0
                     THEN make_date(%(t)s, 2, 15) + floor(random() * 40)::int
                     ELSE make_date(%(t)s, 6, 1) + floor(random() * 90)::int END,
                sf1, educacion, parentesco, trabaja1, horas1, true, z,
                sf1 = 'RETIRADO'
            FROM bench_est WHERE presente1 AND tras1 <> 2
        ) m
        JOIN bench_local l ON l.j = (m.ie_id + 1) / 2
        ORDER BY m.anio, m.ie_id, m.g, m.estudiante_id;

        INSERT INTO alerta_seccion (uuid, ie_id, anio, nivel, grado, letra)
        SELECT gen_random_uuid(), ie_id, anio, nivel, grado, letra
        FROM (SELECT DISTINCT anio, ie_id, g, nivel, grado, letra FROM bench_mat) s
        ORDER BY anio, ie_id, g, letra;

        INSERT INTO alerta_matricula (
            situacion_matricula, fecha_matricula, situacion_final,
            nivel_instruccion_apoderado, parentesco_apoderado, trabaja,
            horas_semanales_trabajo, estudiante_id, seccion_id)
        SELECT m.sm, m.fecha, m.sf, m.educacion, m.parentesco, m.trabaja, m.horas,
            m.estudiante_id, s.id
        FROM bench_mat m
        JOIN alerta_seccion s ON s.ie_id = m.ie_id AND s.anio = m.anio
            AND s.nivel = m.nivel AND s.grado = m.grado AND s.letra = m.letra
        ORDER BY m.anio, m.ie_id, m.g, m.letra, m.estudiante_id;
        """,
    ),
    (
        "evaluaciones",
        # Ten rows per student and year (two areas, periods 1-4 and FINAL);
        # none after leaving for those RETIRADO. The set-returning function in
        # the select list keeps bench_mat's order: no sort of tens of millions.
        """
        INSERT INTO alerta_evaluacion (
            anio, periodo, area, calificativo, estudiante_id, ie_id)
        SELECT anio, periodo, area,
            CASE WHEN q > 0.85 THEN 'AD' WHEN q > 0.45 THEN 'A'
                 WHEN q > 0.2 THEN 'B' ELSE 'C' END,
            estudiante_id, ie_id
        FROM (
            SELECT anio, estudiante_id, ie_id,
                (ARRAY['1', '2', '3', '4', 'FINAL'])[c / 2 + 1] AS periodo,
                CASE WHEN c %% 2 = 0 THEN 'MATEMATICA' ELSE 'COMUNICACION' END
                    AS area,
                1 - z + 0.45 * (random() - 0.5)
                    - CASE WHEN baja AND c >= 4 THEN 0.2 ELSE 0 END AS q,
                c, sf
            FROM (SELECT m.*, generate_series(0, 9) AS c
                  FROM bench_mat m WHERE principal) x
        ) v
        WHERE NOT (sf = 'RETIRADO' AND c >= 6);
        """,
    ),
    (
        "asistencias",
        """
        INSERT INTO alerta_asistencia (
            anio, periodo, dias_lectivos, inasistencias_injustificadas,
            inasistencias_justificadas, estudiante_id)
        SELECT anio, periodo::text, dias,
            least(dias, floor(dias * tasa * 2 * random())::int),
            CASE WHEN random() < 0.1 THEN NULL ELSE floor(random() * 4)::int END,
            estudiante_id
        FROM (
            SELECT anio, estudiante_id, periodo, 44 + floor(random() * 6)::int AS dias,
                0.015 + 0.12 * z * z
                    + CASE WHEN baja AND periodo >= 3 THEN 0.12 ELSE 0 END AS tasa
            FROM (SELECT m.*, generate_series(1, 4) AS periodo
                  FROM bench_mat m WHERE principal) x
        ) a;
        """,
    ),
    (
        "secuencias y verificación",
        secuencias_sql(
            (
                "alerta_dre",
                "alerta_ugel",
                "alerta_institucioneducativa",
                "alerta_estudiante",
            )
        )
        + "; DROP TABLE bench_mat, bench_est, bench_local;",
    ),
]

# Foreign keys not enforced during the fill (see the module docstring): each
# query counts the rows whose parent is missing, and must say 0.
HUERFANOS = [
    *HUERFANOS_ESCUELAS,
    ("alerta_hogar", "estudiante_id", "alerta_estudiante", "id"),
    ("alerta_evaluacion", "estudiante_id", "alerta_estudiante", "id"),
    ("alerta_evaluacion", "ie_id", "alerta_institucioneducativa", "id"),
    ("alerta_asistencia", "estudiante_id", "alerta_estudiante", "id"),
]


# The big tables: their unique constraints and secondary indexes are dropped
# for the fill and built again afterwards (see INDICES_SQL in bench/comun.py).
GRANDES = ("alerta_matricula", "alerta_evaluacion", "alerta_asistencia")


def parametros(estudiantes: int, anio: int) -> dict[str, int]:
    anteriores = round(estudiantes / VIGENTES_POR_ANTERIOR)
    ingresantes = round(anteriores / 11)
    reentrantes = round(anteriores * 0.008)
    locales = max(2, round(estudiantes / ESTUDIANTES_POR_LOCAL))
    # Peru: ~1,900 distritos, ~220 UGEL, 26 DRE; scaled down for small runs.
    distritos = max(2, min(1890, locales // 3))
    ugeles = max(2, min(220, distritos // 8))
    return {
        "t": anio,
        "t0": anio - 1,
        "anteriores": anteriores,
        "ingresantes": ingresantes,
        "poblacion": anteriores + ingresantes + reentrantes,
        "locales": locales,
        "distritos": distritos,
        "ugeles": ugeles,
        "dres": min(26, ugeles),
    }


def llenar(estudiantes: int, anio: int) -> dict[str, float]:
    """Fill the scratch database; returns the seconds of each step."""
    import psycopg2

    conn = psycopg2.connect(url_bench(BASE))
    conn.autocommit = True
    p = parametros(estudiantes, anio)
    tiempos: dict[str, float] = {}
    with conn.cursor() as cur:
        indices = carga_masiva_empezar(cur, GRANDES)
        for nombre, sql in LLENADO:
            t = time.perf_counter()
            cur.execute(sql, p)
            tiempos[nombre] = time.perf_counter() - t
        carga_masiva_terminar(cur, indices, HUERFANOS, tiempos)
        # What autovacuum would have done long before the nightly run: hint
        # bits, visibility map and planner statistics.
        t = time.perf_counter()
        cur.execute("VACUUM (ANALYZE)")
        tiempos["vacuum analyze"] = time.perf_counter() - t
    conn.close()
    return tiempos


def contar(sql: str, params: list | None = None) -> int:
    import psycopg2

    conn = psycopg2.connect(url_bench(BASE))
    with conn, conn.cursor() as cur:
        cur.execute(sql, params)
        valor = cur.fetchone()[0]
    conn.close()
    return int(valor)


def vigentes(anio: int) -> int:
    """Students to score, counted independently of riesgo.features: enrolled in
    `anio` with an enrollment not TRASLADADO nor FALLECIDO (the data never give
    a student a FALLECIDO and another live enrollment in one year), outside 5.º
    de secundaria, which has no risk."""
    return contar(
        "SELECT count(DISTINCT m.estudiante_id) FROM alerta_matricula m "
        "JOIN alerta_seccion s ON s.id = m.seccion_id WHERE s.anio = %s "
        "AND m.situacion_final NOT IN ('TRASLADADO', 'FALLECIDO') "
        "AND NOT (s.nivel = 'SECUNDARIA' AND s.grado = 5)",
        [anio],
    )


# --- the measured steps, each in a child process --------------------------------


def paso_entrenar(anio: int) -> dict:
    from riesgo.training import modelo_entrenar
    from riesgo.versiones import modelo_publicar

    t = time.perf_counter()
    modelo = modelo_entrenar()
    segundos = time.perf_counter() - t
    # Only the run's speed is measured here, whatever the model's quality.
    modelo_publicar(modelo=modelo, aunque_no_supere_base=True)
    return {
        "segundos": segundos,
        "version": modelo.version,
        "algoritmo": modelo.algoritmo,
        "roc_auc": modelo.roc_auc,
        "n_entrenamiento": modelo.n_entrenamiento,
        "n_validacion": modelo.n_validacion,
    }


def _cronometrar(modulo, nombres: tuple[str, ...]) -> dict[str, float]:
    """Wrap the module-level functions a run calls by name, to add up their time.

    Cheap (one clock read per call) and read-only: the code measured is the
    project's, unchanged.
    """
    import functools

    tiempos: dict[str, float] = {}

    def envolver(nombre, funcion):
        @functools.wraps(funcion)
        def envuelta(*args, **kwargs):
            t = time.perf_counter()
            try:
                return funcion(*args, **kwargs)
            finally:
                tiempos[nombre] = tiempos.get(nombre, 0.0) + time.perf_counter() - t

        return envuelta

    for nombre in nombres:
        if callable(getattr(modulo, nombre, None)):
            setattr(modulo, nombre, envolver(nombre, getattr(modulo, nombre)))
    return tiempos


# The functions of riesgo.scoring a run calls by module-level name.
ETAPAS = (
    "puntaje_iniciar",
    "construir_features",
    "explicar",
    "insertar_en_bloque",
    "agregados_escribir",
    # The drift watch: each chunk counts its rows into the model's reference
    # bins; the close sums the chunks' counts into one PSI per variable.
    "contar",
    "deriva_escribir",
    "puntaje_cerrar",
)


def paso_puntuar(anio: int) -> dict:
    from django.conf import settings
    from django.db.models import Sum

    from riesgo import scoring
    from riesgo.models import EstadoEjecucion, LoteEjecucion

    etapas = _cronometrar(scoring, ETAPAS)
    t = time.perf_counter()
    ejecucion = scoring.puntaje_ejecutar(anio=anio)
    segundos = time.perf_counter() - t
    assert ejecucion.estado == EstadoEjecucion.EXITOSA, ejecucion.error
    lotes = LoteEjecucion.objects.filter(ejecucion=ejecucion).aggregate(
        s=Sum("duracion_s")
    )
    return {
        "segundos": segundos,
        "ejecucion": ejecucion.pk,
        "estudiantes": ejecucion.estudiantes,
        "lotes": ejecucion.lotes,
        "tamano_lote": settings.RIESGO_LOTE_ESTUDIANTES,
        "lotes_s": lotes["s"] or 0.0,
        "etapas": etapas,
    }


def paso_referencia(anio: int) -> dict:
    import io

    import pandas as pd
    import psycopg2
    from django.db import connection

    from riesgo import artefactos
    from riesgo.features import CATEGORICAS, NUMERICAS, construir_features
    from riesgo.models import ModeloRiesgo

    modelo = ModeloRiesgo.objects.publicado()
    pipeline = artefactos.cargar(modelo.artefacto, modelo.sha256)
    t = time.perf_counter()
    X = construir_features(anio, solo_vigentes=True)
    t_features = time.perf_counter() - t
    datos = X[NUMERICAS + CATEGORICAS]
    connection.close()

    t = time.perf_counter()
    probabilidad = pipeline.predict_proba(datos)[:, 1]
    t_predict = time.perf_counter() - t

    conn = psycopg2.connect(url_bench(BASE))
    with conn, conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_puntaje_crudo")
        cur.execute(
            "CREATE TABLE bench_puntaje_crudo "
            "(matricula_id bigint, probabilidad double precision)"
        )
    t = time.perf_counter()
    with conn, conn.cursor() as cur:
        buffer = io.StringIO()
        pd.DataFrame({"m": X.index, "p": probabilidad}).to_csv(
            buffer, header=False, index=False
        )
        buffer.seek(0)
        cur.copy_expert("COPY bench_puntaje_crudo FROM STDIN WITH (FORMAT csv)", buffer)
    t_copy = time.perf_counter() - t
    conn.close()
    return {
        "filas": len(X),
        "t_features": t_features,
        "t_predict": t_predict,
        "t_copy": t_copy,
    }


def _esperar_worker(nombre: str, proceso: subprocess.Popen) -> None:
    from alerta.celery import app

    for _ in range(120):
        if proceso.poll() is not None:
            raise SystemExit(f"the Celery worker exited ({proceso.returncode})")
        if app.control.ping(destination=[nombre], timeout=0.5):
            return
    raise SystemExit("the Celery worker did not answer within a minute")


def paso_trabajador(anio: int) -> dict:
    import resource
    import signal
    import socket

    from riesgo.models import EjecucionPuntaje, EstadoEjecucion
    from riesgo.scoring import puntaje_iniciar
    from riesgo.tasks import ejecucion_lanzar

    procesos = int(os.environ["BENCH_PROCESOS"])
    cola = f"bench-{os.getpid()}"
    nombre = f"{cola}@{socket.gethostname()}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "alerta", "worker",
         f"--concurrency={procesos}", "--loglevel=WARNING", "-Q", cola,
         "-n", nombre],
        cwd=RAIZ,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _esperar_worker(nombre, worker)
        t = time.perf_counter()
        ejecucion = puntaje_iniciar(anio=anio)
        ejecucion_lanzar(ejecucion, cola=cola)
        while ejecucion.estado == EstadoEjecucion.EN_CURSO:
            if worker.poll() is not None:
                raise SystemExit(f"the Celery worker exited ({worker.returncode})")
            time.sleep(0.2)
            ejecucion = EjecucionPuntaje.objects.get(pk=ejecucion.pk)
        segundos = time.perf_counter() - t
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=120)
    assert ejecucion.estado == EstadoEjecucion.EXITOSA, ejecucion.error
    hijos = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "segundos": segundos,
        "ejecucion": ejecucion.pk,
        "estudiantes": ejecucion.estudiantes,
        "procesos": procesos,
        # The worker and its pool processes, once they have exited.
        "cpu_worker": hijos.ru_utime + hijos.ru_stime,
        "pico_worker": hijos.ru_maxrss * 1024,
    }


PASOS = {
    "entrenar": paso_entrenar,
    "puntuar": paso_puntuar,
    "trabajador": paso_trabajador,
    "referencia": paso_referencia,
}


def hijo(paso: str, anio: int) -> None:
    import resource

    import django

    sys.path.insert(0, str(RAIZ))
    django.setup()
    resultado = PASOS[paso](anio)
    uso = resource.getrusage(resource.RUSAGE_SELF)
    # ru_maxrss is in kilobytes on Linux.
    resultado["pico"] = uso.ru_maxrss * 1024
    resultado["cpu"] = uso.ru_utime + uso.ru_stime
    # Other work on the machine shows in the figures: the load of the last
    # minute, taken as the step ends, says how much there was.
    resultado["carga"] = os.getloadavg()[0]
    print(MARCA + json.dumps(resultado), flush=True)


def en_hijo(paso: str, anio: int, media: Path, **extra: str) -> dict:
    r = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--paso", paso,
         "--anio", str(anio)],
        cwd=RAIZ,
        env=entorno(media) | extra,
        capture_output=True,
        text=True,
    )  # fmt: skip
    if r.returncode != 0:
        sys.stderr.write(r.stdout[-4000:] + r.stderr[-8000:])
        raise SystemExit(f"the step '{paso}' failed (exit {r.returncode})")
    linea = next(x for x in reversed(r.stdout.splitlines()) if x.startswith(MARCA))
    return json.loads(linea.removeprefix(MARCA))


# --- one measurement and the report ---------------------------------------------


def entorno_worker(procesos: int) -> dict[str, str]:
    """Broker, results and cache on Redis, as docker-compose sets them."""
    broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    cache = os.environ.get("CACHE_URL") or broker.rsplit("/", 1)[0] + "/1"
    return {
        "CELERY_BROKER_URL": broker,
        "CACHE_URL": cache,
        "BENCH_PROCESOS": str(procesos),
    }


def una_medida(estudiantes: int, anio: int, *, conservar: bool, procesos: int) -> dict:
    psql_admin(BASE, f"DROP DATABASE IF EXISTS {BASE}")
    psql_admin(BASE, f"CREATE DATABASE {BASE}")
    # The trained model lives here; kept with the database if asked to.
    media = Path(tempfile.mkdtemp(prefix="bench_puntaje_"))
    try:
        t = time.perf_counter()
        # --skip-checks: the URL checks import every view, which a benchmark
        # of the database and the model does not need.
        manage(media, "migrate", "--noinput", "-v", "0", "--skip-checks")
        t_migrar = time.perf_counter() - t
        t = time.perf_counter()
        llenado = llenar(estudiantes, anio)
        t_llenar = time.perf_counter() - t
        filas = {
            tabla: contar(f"SELECT count(*) FROM alerta_{tabla}")
            for tabla in ("estudiante", "matricula", "evaluacion", "asistencia")
        }
        n = vigentes(anio)
        print(
            f"  datos: {n:,} estudiantes vigentes en {anio} "
            f"({filas['estudiante']:,} estudiantes, {filas['matricula']:,} "
            f"matrículas, {filas['evaluacion']:,} evaluaciones, "
            f"{filas['asistencia']:,} asistencias) en {t_migrar + t_llenar:,.0f} s "
            f"(migrar {t_migrar:.0f} s; "
            + ", ".join(f"{k} {v:.0f} s" for k, v in llenado.items())
            + ")",
            flush=True,
        )
        entrenamiento = en_hijo("entrenar", anio, media)
        print(
            f"  modelo: {entrenamiento['algoritmo']} v{entrenamiento['version']}, "
            f"ROC-AUC {entrenamiento['roc_auc']:.3f}, entrenado con "
            f"{entrenamiento['n_entrenamiento']:,} filas en "
            f"{entrenamiento['segundos']:,.0f} s "
            f"(pico {entrenamiento['pico'] / 2**20:,.0f} MB; no cuenta en la medida)",
            flush=True,
        )
        puntaje = en_hijo("puntuar", anio, media)
        trabajador = en_hijo("trabajador", anio, media, **entorno_worker(procesos))
        escritos = contar(
            "SELECT count(*) FROM riesgo_puntaje WHERE ejecucion_id = %s",
            [puntaje["ejecucion"]],
        )
        escritos_trabajador = contar(
            "SELECT count(*) FROM riesgo_puntaje WHERE ejecucion_id = %s",
            [trabajador["ejecucion"]],
        )
        referencia = en_hijo("referencia", anio, media)
    finally:
        if conservar:
            print(f"  conservados: la base {BASE} y MEDIA_ROOT={media}")
        else:
            psql_admin(BASE, f"DROP DATABASE IF EXISTS {BASE}")
            shutil.rmtree(media, ignore_errors=True)
    return {
        "vigentes": n,
        "escritos": escritos,
        "t_datos": t_migrar + t_llenar,
        "entrenamiento": entrenamiento,
        "puntaje": puntaje,
        "trabajador": trabajador,
        "escritos_trabajador": escritos_trabajador,
        "referencia": referencia,
    }


def informar(m: dict) -> None:
    p, r = m["puntaje"], m["referencia"]
    n = m["vigentes"]
    t_ref = r["t_predict"] + r["t_copy"]
    print(
        f"  extremo a extremo: {p['segundos']:,.1f} s, {n / p['segundos']:,.0f} est/s "
        f"({p['lotes']} lotes de ~{p['tamano_lote']:,}; pico "
        f"{p['pico'] / 2**20:,.0f} MB; CPU del proceso {p['cpu']:,.1f} s; carga "
        f"media del último minuto al terminar {p['carga']:.1f} en "
        f"{os.cpu_count()} núcleos)"
    )
    e = {k: 0.0 for k in ETAPAS} | p["etapas"]
    en_lotes = p["lotes_s"]
    resto = (
        en_lotes
        - e["construir_features"]
        - e["explicar"]
        - e["insertar_en_bloque"]
        - e["contar"]
    )
    partes = [
        f"iniciar (rangos de IE) {e['puntaje_iniciar']:.1f}",
        f"lotes {en_lotes:.1f} [variables {e['construir_features']:.1f}, "
        f"predecir+explicar {e['explicar']:.1f}, "
        f"COPY {e['insertar_en_bloque']:.1f}, conteos de deriva {e['contar']:.2f}, "
        f"resto {resto:.1f}]",
        f"cerrar {e['puntaje_cerrar']:.1f} [agregados {e['agregados_escribir']:.1f}, "
        f"PSI de deriva {e['deriva_escribir']:.2f}]",
    ]
    print("  etapas (s): " + "; ".join(partes))
    print(
        f"  referencia: predict_proba {r['t_predict']:,.1f} s + COPY crudo "
        f"{r['t_copy']:,.1f} s = {t_ref:,.1f} s, {n / t_ref:,.0f} est/s "
        f"(pico {r['pico'] / 2**20:,.0f} MB; la matriz de variables, sin medir, "
        f"tomó {r['t_features']:,.1f} s de una vez)"
    )
    print(f"  razón extremo a extremo / referencia: {p['segundos'] / t_ref:,.1f}")
    w = m["trabajador"]
    print(
        f"  con un worker de Celery ({w['procesos']} procesos, lotes desde Redis, "
        f"como la ejecución nocturna): {w['segundos']:,.1f} s, "
        f"{n / w['segundos']:,.0f} est/s (CPU del worker {w['cpu_worker']:,.1f} s; "
        f"pico por proceso {w['pico_worker'] / 2**20:,.0f} MB); razón / referencia "
        f"{w['segundos'] / t_ref:,.1f}"
    )
    medidas = (("un proceso", p["segundos"]), ("el worker", w["segundos"]))
    for etiqueta, segundos in medidas:
        pais = PAIS / (n / segundos)
        veredicto = "cumple" if pais < OBJETIVO_S else "NO cumple"
        print(
            f"  6 millones con {etiqueta} (extrapolación lineal, que supone un costo "
            f"por lote que no crece con las tablas): {pais / 60:,.1f} min: "
            f"{veredicto} el objetivo de 10 min",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--estudiantes", type=int, nargs="+", action="extend", default=None
    )
    parser.add_argument("--anio", type=int, default=2025, help="year t to score")
    parser.add_argument(
        "--conservar", action="store_true", help="keep the scratch database"
    )
    parser.add_argument(
        "--procesos",
        type=int,
        default=os.cpu_count(),
        help="processes of the Celery worker (default: one per core, as Celery)",
    )
    parser.add_argument("--paso", choices=sorted(PASOS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.paso:
        hijo(args.paso, args.anio)
        return
    tabla = []
    for objetivo in args.estudiantes or [100_000, 1_000_000]:
        print(f"{objetivo:,} estudiantes:", flush=True)
        m = una_medida(
            objetivo, args.anio, conservar=args.conservar, procesos=args.procesos
        )
        informar(m)
        assert m["puntaje"]["estudiantes"] == m["vigentes"], (
            f"the run scored {m['puntaje']['estudiantes']} of {m['vigentes']}"
        )
        assert m["escritos"] == m["vigentes"], (
            f"{m['escritos']} scores written for {m['vigentes']} students"
        )
        assert m["trabajador"]["estudiantes"] == m["vigentes"]
        assert m["escritos_trabajador"] == m["vigentes"]
        assert m["referencia"]["filas"] == m["vigentes"]
        tabla.append(m)
    print(
        f"\n{'estudiantes':>12} {'un proceso s':>13} {'est/s':>8} "
        f"{'worker s':>9} {'est/s':>8} {'referencia s':>13} {'razón':>6} "
        f"{'pico MB':>8} {'6M min':>7}"
    )
    for m in tabla:
        p, w, r, n = m["puntaje"], m["trabajador"], m["referencia"], m["vigentes"]
        t_ref = r["t_predict"] + r["t_copy"]
        print(
            f"{n:>12,} {p['segundos']:>13,.1f} {n / p['segundos']:>8,.0f} "
            f"{w['segundos']:>9,.1f} {n / w['segundos']:>8,.0f} "
            f"{t_ref:>13,.1f} {w['segundos'] / t_ref:>6.1f} "
            f"{p['pico'] / 2**20:>8,.0f} {PAIS / (n / w['segundos']) / 60:>7,.1f}"
        )
    print(
        "Objetivo: todo el país (6 millones) en menos de 10 min con un worker en "
        "esta máquina de 2 núcleos («6M min» y «razón» son los del worker). "
        "«Referencia» es predict_proba sobre la misma "
        "matriz más un COPY crudo de (matrícula, probabilidad) a una tabla sin "
        "índices: el piso de cualquier ejecución. Cada puntaje escrito se contó "
        "contra los estudiantes vigentes."
    )


if __name__ == "__main__":
    main()
