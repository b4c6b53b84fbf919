"""Benchmark: server-side time of the portal's pages on a national-size database.

    .venv/bin/python bench/portal.py                        # 6 million students
    .venv/bin/python bench/portal.py --estudiantes 200000 --conservar
    .venv/bin/python bench/portal.py --estudiantes 200000 --reusar --explicar

It fills a scratch PostgreSQL database ("alerta_bench_portal") set-based in
SQL: DREs, UGELs of uneven size, IEs whose sizes follow a long-tailed
(log-normal) spread, one IE of exactly 3,000 current students, secciones of
up to 30, one student and one matrícula per seat (plus ~1 % moved out, which
no list shows), successful scoring runs a day apart (--ejecuciones, default
two) with a score per current matrícula each (~10 % alto, ~15 % medio overall,
more in rural IEs; the lists compare with the previous run for their arrows;
nightly runs keep adding runs, all of whose scores stay), the aggregates
written by the project's own riesgo.scoring.agregados_escribir, and the users
who read the pages: the director of the 3,000-student IE, the specialist of a
UGEL of median size, a DRE specialist and a national user. The big tables get
their secondary indexes built after their data, then VACUUM ANALYZE.

Then, in a child process with DEBUG off and the scratch database, it requests
the real views through Django's test Client (the whole middleware stack:
session, authentication, scoping, access log, template), warms up, and times
--pedidos requests per page in rounds (each round asks every page once, so
that other work on the machine spreads over all pages alike). It prints p50,
p95 and max in ms, p95 against its target (IE page 150 ms, UGEL dashboard
200 ms; the other pages are informative), the number of queries of a request
with their time and the slowest one's (the median of five requests), the
median CPU time of the Django process per request (its own work, without the
database's and without waiting for a core: what other load on the machine
does not change), and two floors measured in the same rounds: a bare
`SELECT 1` through Django's connection and /salud/ (a view without session
or queries). The targets are printed, not asserted; the exit code is non-zero
if a page errors or shows fewer rows than it should. --explicar adds the
EXPLAIN (ANALYZE, BUFFERS) plans of each page's slowest queries.

What the figures leave out: the network, the WSGI server, and connection
set-up (the test client keeps one connection; CONN_MAX_AGE=0 in production
opens one per request). Static file tags resolve without the manifest of
`collectstatic` (the same dictionary lookup, without running it). The data
are warm in memory and stored in IE order, as a nightly run writes them.

Needs PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/),
whose database part is replaced by "alerta_bench_portal" (or by
BENCH_PORTAL_BASE, so that two runs on one server do not collide), dropped at
the end unless --conservar; --reusar reuses it when it holds a complete fill
of the same size (and keeps it).
"""

import argparse
import json
import math
import os
import secrets
import sys
import time
from pathlib import Path

import comun
from comun import base_nueva, psql_admin, url_bench

RAIZ = Path(__file__).resolve().parent.parent
BASE = os.environ.get("BENCH_PORTAL_BASE", "alerta_bench_portal")

# Peru, one school year: ~6 million students, ~55,000 IEs, ~220 UGELs, 26
# DREs, ~1,900 distritos. Smaller runs scale IEs and UGELs with the students.
PAIS = 6_000_000
IES_PAIS = 55_000
UGELES_PAIS = 220
DRES_PAIS = 26
DISTRITOS_POR_UGEL = 9

# The school whose page has a target: exactly this many current students.
IE_GRANDE = 3_000
# Randomly drawn IEs: log-normal sizes (median ~50, mean ~110 students, a
# long tail of large urban schools), between these bounds.
SIGMA_IE = 1.2
IE_MINIMA = 3
IE_TOPE = 2_500
# Spread of UGEL sizes (log-normal weights on their number of IEs).
SIGMA_UGEL = 0.6
POR_SECCION = 30

CORTE_ALTO = 0.35
CORTE_MEDIO = 0.15
# Overall shares of each level (scaled per IE by its risk factor).
PARTE_ALTO = 0.10
PARTE_MEDIO = 0.15

# Targets (p95, ms) of the pages that have one.
OBJETIVOS_MS = {"ie": 150, "ie_filtrada": 150, "ugel": 200, "uso_ugel": 200}
# The filtered and searched request of the IE page. The name is posted, as the
# page's form does (a name never goes into an address): the page keeps it in
# the session and answers with a redirect to an address holding the filters,
# which is the page measured (by a client of its own, so that the unfiltered
# IE page is not searched).
FILTRO_IE = {"grado": "3", "riesgo": "ALTO"}
BUSQUEDA_IE = {"q": "quispe"}

# QUISPE thrice: the most common surname, so that a search finds a few rows.
APELLIDOS = (
    "QUISPE", "QUISPE", "QUISPE", "FLORES", "SANCHEZ", "RODRIGUEZ", "GARCIA",
    "MAMANI", "HUAMAN", "CHAVEZ", "ROJAS", "DIAZ", "TORRES", "RAMOS", "CONDORI",
    "CASTILLO", "MENDOZA", "VASQUEZ", "ESPINOZA", "HUAMANI", "CCAHUANA",
    "TICONA", "LOPEZ", "GONZALES", "PEREZ", "CRUZ", "GUTIERREZ", "SALAZAR",
    "VARGAS", "CARDENAS", "NUÑEZ", "HUANCA", "APAZA", "PARI", "CHOQUE",
    "YUPANQUI", "ALVAREZ", "MORALES", "REYES", "JIMENEZ",
)  # fmt: skip
NOMBRES = (
    "JOSE", "MARIA", "LUIS", "ROSA", "JUAN", "ANA", "CARLOS", "LUZ", "JORGE",
    "CARMEN", "MIGUEL", "ELENA", "DIEGO", "SOFIA", "ANGEL", "VALERIA", "JHON",
    "YENI", "ABEL", "FLOR", "RUTH", "EDWIN", "NILDA", "ALEX", "KATHERINE",
)  # fmt: skip
# Factor codes of riesgo.explicaciones.GRUPOS (checked against the project's
# riesgo.factores in the child that prepares the runs).
FACTORES = (
    "inasistencias", "bajo_rendimiento", "repitencia", "extraedad",
    "interrupcion_previa", "traslados", "trabajo_infantil", "pobreza",
    "lengua_originaria", "ruralidad",
)  # fmt: skip


def entorno() -> dict[str, str]:
    # DEBUG off, as in production: it needs a long SECRET_KEY and the test
    # client's host among ALLOWED_HOSTS.
    return {
        **os.environ,
        "DATABASE_URL": url_bench(BASE),
        "DJANGO_SETTINGS_MODULE": "alerta.settings",
        "CELERY_BROKER_URL": "",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "WARNING",
    }


def _lista(valores: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{v}'" for v in valores) + "]"


def _al_azar(valores: tuple[str, ...]) -> str:
    return f"({_lista(valores)})[1 + floor(random() * {len(valores)})::int]"


# A standard normal draw (Box-Muller); volatile, so one per row.
NORMAL = "(sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))"


def parametros(estudiantes: int, anio: int) -> dict:
    if estudiantes < IE_GRANDE + 1_000:
        raise SystemExit(f"--estudiantes must be at least {IE_GRANDE + 1_000}")
    ies = max(3, round(estudiantes * IES_PAIS / PAIS))
    ugeles = max(2, min(UGELES_PAIS, round(estudiantes * UGELES_PAIS / PAIS)))
    media = (estudiantes - IE_GRANDE) / (ies - 1)
    return {
        "estudiantes": estudiantes,
        "anio": anio,
        "ies": ies - 1,  # drawn at random; the 3,000-student IE is added
        "resto": estudiantes - IE_GRANDE,
        "ugeles": ugeles,
        "dres": max(2, min(DRES_PAIS, round(ugeles * DRES_PAIS / UGELES_PAIS))),
        # log-normal with this mean before the bounds (rescaled after them)
        "mu": math.log(media) - SIGMA_IE**2 / 2,
        "sigma": SIGMA_IE,
        "minima": IE_MINIMA,
        "tope": IE_TOPE,
        "sigma_ugel": SIGMA_UGEL,
        "por_seccion": POR_SECCION,
        "dpu": DISTRITOS_POR_UGEL,
        "corte_alto": CORTE_ALTO,
        "corte_medio": CORTE_MEDIO,
        "parte_alto": PARTE_ALTO,
        "parte_medio": PARTE_MEDIO,
    }


# --- the fill -----------------------------------------------------------------

TERRITORIO = f"""
    INSERT INTO alerta_dre (id, nombre)
    SELECT r, 'DRE ' || lpad(r::text, 2, '0') FROM generate_series(1, %(dres)s) r;

    -- Each UGEL holds a consecutive range of IE numbers, of uneven length.
    CREATE UNLOGGED TABLE bench_ugel AS
    SELECT u, 1 + (u - 1) * %(dres)s / %(ugeles)s AS dre,
           round((acum - w) / total * %(ies)s)::int + 1 AS desde,
           round(acum / total * %(ies)s)::int AS hasta
    FROM (SELECT u, w, sum(w) OVER (ORDER BY u) AS acum, sum(w) OVER () AS total
          FROM (SELECT u, exp(%(sigma_ugel)s * {NORMAL}) AS w
                FROM generate_series(1, %(ugeles)s) u) g) c;

    INSERT INTO alerta_ugel (id, codigo, nombre, dre_id)
    SELECT u, lpad(u::text, 6, '0'), 'UGEL ' || lpad(u::text, 3, '0'), dre
    FROM bench_ugel ORDER BY u;

    INSERT INTO alerta_distrito (ubigeo, departamento, provincia, nombre)
    SELECT lpad(d::text, 6, '0'), 'DEPARTAMENTO ' || lpad(b.dre::text, 2, '0'),
           'PROVINCIA ' || lpad(b.u::text, 3, '0'), 'DISTRITO ' || d
    FROM bench_ugel b,
         generate_series((b.u - 1) * %(dpu)s + 1, b.u * %(dpu)s) d;
"""

# IE sizes: log-normal draws, bounded, then scaled so that they add up to the
# students asked for (cumulative rounding: the sum is exact).
INSTITUCIONES = f"""
    CREATE UNLOGGED TABLE bench_ie AS
    SELECT i, ugel, n, primaria, rural, NOT rural AND r_priv < 0.2 AS privada,
           (0.5 + r_riesgo) * CASE WHEN rural THEN 1.4 ELSE 0.85 END AS riesgo,
           (ugel - 1) * %(dpu)s + 1 + floor(r_dist * %(dpu)s)::int AS distrito
    FROM (
        SELECT i, ugel, n, primaria, r_priv, r_riesgo, r_dist,
               (n < 80 AND r_rural < 0.75) OR r_rural < 0.05 AS rural
        FROM (
            SELECT i, ugel, primaria, r_rural, r_priv, r_riesgo, r_dist,
                (round(acum / total * %(resto)s)
                 - round((acum - w) / total * %(resto)s))::int AS n
            FROM (
                SELECT x.*, u.u AS ugel, sum(w) OVER (ORDER BY i) AS acum,
                       sum(w) OVER () AS total
                FROM (SELECT i, least(%(tope)s, greatest(%(minima)s,
                                 exp(%(mu)s + %(sigma)s * {NORMAL}))) AS w,
                             random() < 0.6 AS primaria, random() AS r_rural,
                             random() AS r_priv, random() AS r_riesgo,
                             random() AS r_dist
                      FROM generate_series(1, %(ies)s) i) x
                JOIN bench_ugel u ON x.i BETWEEN u.desde AND u.hasta
            ) a
        ) b
    ) c;
"""

IE_GRANDE_SQL = f"""
    INSERT INTO bench_ie (i, ugel, n, primaria, rural, privada, riesgo, distrito)
    VALUES (%(ies)s + 1, %(ugel_grande)s, {IE_GRANDE}, false, false, false, 1.0,
            (%(ugel_grande)s - 1) * %(dpu)s + 1);

    INSERT INTO alerta_institucioneducativa (
        id, codigo_modular, anexo, codigo_local, nombre, nivel_modalidad, gestion,
        area, latitud, longitud, activa, distrito_id, ugel_id)
    SELECT i, lpad(i::text, 7, '0'), 0, lpad(i::text, 6, '0'), (10000 + i)::text,
           CASE WHEN primaria THEN 'B0' ELSE 'F0' END,
           CASE WHEN privada THEN 'PRIVADA' ELSE 'PUBLICA' END,
           CASE WHEN rural THEN 'RURAL' ELSE 'URBANA' END,
           -3.5 - 14 * random(), -81 + 11 * random(), true,
           lpad(distrito::text, 6, '0'), ugel
    FROM bench_ie ORDER BY i;
"""

# Each IE's students spread evenly over its grades, each grade in secciones of
# up to 30 (A, B, ...); "antes" numbers the students (and matrículas) of the
# sección: antes + 1 .. antes + n are current, the "extra" ones moved out.
SECCIONES = """
    CREATE UNLOGGED TABLE bench_sec AS
    SELECT row_number() OVER (ORDER BY ie, g, l)::int AS id, ie, g, l, nivel, n,
           extra, riesgo,
           (sum(n + extra) OVER (ORDER BY ie, g, l) - n - extra)::bigint AS antes
    FROM (
        SELECT ie, g, l, nivel, riesgo, n, floor(n * 0.01 + random())::int AS extra
        FROM (
            SELECT ie, g, l, nivel, riesgo, (ng * l / ls) - (ng * (l - 1) / ls) AS n
            FROM (
                SELECT b.i AS ie, b.riesgo, g, b.nivel,
                       (b.n * g / b.gs) - (b.n * (g - 1) / b.gs) AS ng,
                       least(26, greatest(1, ceil(((b.n * g / b.gs)
                           - (b.n * (g - 1) / b.gs)) / %(por_seccion)s::numeric)))::int
                           AS ls
                FROM (SELECT *, CASE WHEN primaria THEN 6 ELSE 5 END AS gs,
                             CASE WHEN primaria THEN 'PRIMARIA' ELSE 'SECUNDARIA' END
                                 AS nivel
                      FROM bench_ie) b,
                     generate_series(1, b.gs) g
            ) x, generate_series(1, x.ls) l
            WHERE x.ng > 0
        ) y
    ) z;
    ALTER TABLE bench_sec ADD PRIMARY KEY (id);

    INSERT INTO alerta_seccion (id, uuid, ie_id, anio, nivel, grado, letra)
    SELECT id, gen_random_uuid(), ie, %(anio)s, nivel, g, chr(64 + l)
    FROM bench_sec ORDER BY id;
"""

ESTUDIANTES = f"""
    INSERT INTO alerta_estudiante (
        id, uuid, codigo_siagie, tipo_documento, numero_documento,
        apellido_paterno, apellido_materno, nombres, fecha_nacimiento, sexo,
        lengua_materna, discapacidad)
    SELECT e, gen_random_uuid(), lpad(e::text, 14, '0'), 'DNI',
        (60000000 + e)::text, {_al_azar(APELLIDOS)}, {_al_azar(APELLIDOS)},
        {_al_azar(NOMBRES)},
        make_date(%(anio)s - CASE WHEN s.nivel = 'PRIMARIA' THEN 5 ELSE 11 END
                      - s.g - (random() < 0.12)::int,
                  1 + floor(random() * 12)::int, 1 + floor(random() * 28)::int),
        CASE WHEN random() < 0.5 THEN 'HOMBRE' ELSE 'MUJER' END,
        CASE WHEN random() < 0.1 THEN 'QUECHUA' ELSE 'CASTELLANO' END, 'NINGUNA'
    FROM bench_sec s, generate_series(s.antes + 1, s.antes + s.n + s.extra) e;
"""

MATRICULAS = """
    INSERT INTO alerta_matricula (
        id, situacion_matricula, fecha_matricula, situacion_final,
        nivel_instruccion_apoderado, parentesco_apoderado, trabaja,
        horas_semanales_trabajo, estudiante_id, seccion_id)
    SELECT e,
        CASE WHEN s.g = 1 AND s.nivel = 'PRIMARIA' THEN 'INGRESANTE'
             WHEN random() < 0.04 THEN 'REPITE' ELSE 'PROMOVIDO' END,
        make_date(%(anio)s, 2, 15) + floor(random() * 40)::int,
        CASE WHEN e > s.antes + s.n THEN 'TRASLADADO' ELSE '' END,
        'SECUNDARIA COMPLETA', 'MADRE', NULL, NULL, e, s.id
    FROM bench_sec s, generate_series(s.antes + 1, s.antes + s.n + s.extra) e;
"""

# One draw per current matrícula: the level with the IE's shares, then a
# probability inside that level's band of the cut-offs, and three distinct
# factors. Earlier runs move each probability a little (some levels change:
# the lists' arrows).
_K = len(FACTORES)
PUNTAJES = f"""
    CREATE UNLOGGED TABLE bench_pun AS
    SELECT e, round((CASE
            WHEN u < %(parte_alto)s * riesgo
                THEN %(corte_alto)s + (0.95 - %(corte_alto)s) * v
            WHEN u < (%(parte_alto)s + %(parte_medio)s) * riesgo
                THEN %(corte_medio)s + (%(corte_alto)s - %(corte_medio)s) * v
            ELSE %(corte_medio)s * v END)::numeric, 6)::float8 AS p,
        c1, mod(c1 + 1 + d2, {_K}) AS c2, mod(c1 + 4 + d3, {_K}) AS c3
    FROM (SELECT e, s.riesgo, random() AS u, random() AS v,
                 floor(random() * {_K})::int AS c1, floor(random() * 3)::int AS d2,
                 floor(random() * {_K - 4})::int AS d3
          FROM bench_sec s, generate_series(s.antes + 1, s.antes + s.n) e) x;
"""


# Follow-up, in the proportions the demo's generator aims at: an action in the
# last 80 days for ~60 % of alto, ~35 % of medio and ~5 % of bajo students;
# the monthly record of this month and the last one for most students, except
# in one sección out of five (tutors who never record). The history table of
# actions is left empty: no page reads it in bulk.
SEGUIMIENTO = """
    INSERT INTO seguimiento_accionseguimiento (
        uuid, estudiante_id, seccion_id, tipo_id, fecha, estado, nota, reservada,
        factores, orientacion_id, autor_id, creada, modificada)
    SELECT gen_random_uuid(), x.e, m.seccion_id,
        (SELECT min(id) FROM seguimiento_tipoaccion) + floor(random() * 8)::int,
        current_date - floor(random() * 80)::int,
        CASE WHEN random() < 0.85 THEN 'REALIZADA' ELSE 'SIN_CONTACTO' END,
        '', false, '[]', NULL, %(autor)s, now(), now()
    FROM bench_pun x JOIN alerta_matricula m ON m.id = x.e
    WHERE random() < CASE WHEN x.p >= %(corte_alto)s THEN 0.6
                          WHEN x.p >= %(corte_medio)s THEN 0.35 ELSE 0.05 END;

    INSERT INTO seguimiento_registromensual (
        uuid, estudiante_id, seccion_id, mes, contactado, medio, sigue_clases,
        autor_id, creado, modificado)
    SELECT gen_random_uuid(), e, s.id, mes, true, 'PRESENCIAL',
        CASE WHEN random() < 0.9 THEN 'SI' ELSE 'EN_PARTE' END, %(autor)s, now(),
        now()
    FROM bench_sec s, generate_series(s.antes + 1, s.antes + s.n) e,
        (VALUES (date_trunc('month', current_date)::date),
                ((date_trunc('month', current_date) - interval '1 month')::date))
            meses(mes)
    WHERE s.id %% 5 <> 0 AND random() < 0.85;
"""


def _insertar_puntajes(probabilidad: str, ejecucion: str) -> str:
    f = _lista(FACTORES)
    return f"""
        INSERT INTO riesgo_puntaje (
            ejecucion_id, matricula_id, probabilidad, nivel, factor_1, factor_2,
            factor_3)
        SELECT {ejecucion}, e, q,
               CASE WHEN q >= %(corte_alto)s THEN 'ALTO'
                    WHEN q >= %(corte_medio)s THEN 'MEDIO' ELSE 'BAJO' END,
               ({f})[1 + c1], ({f})[1 + c2], ({f})[1 + c3]
        FROM (SELECT e, {probabilidad} AS q, c1, c2, c3 FROM bench_pun) x;
    """


PUNTAJE_ANTERIOR = _insertar_puntajes(
    "round(least(0.999, greatest(0.0, p + 0.12 * (random() - 0.5)))::numeric, 6)"
    "::float8",
    "%(anterior)s",
)
PUNTAJE_ACTUAL = _insertar_puntajes("p", "%(actual)s")

SECUENCIAS = comun.secuencias_sql(
    (
        "alerta_dre",
        "alerta_ugel",
        "alerta_institucioneducativa",
        "alerta_seccion",
        "alerta_estudiante",
        "alerta_matricula",
    )
)

# Foreign keys not enforced during the fill: rows whose parent is missing.
HUERFANOS = [
    *comun.HUERFANOS_ESCUELAS,
    ("riesgo_puntaje", "matricula_id", "alerta_matricula", "id"),
    ("seguimiento_accionseguimiento", "estudiante_id", "alerta_estudiante", "id"),
    ("seguimiento_registromensual", "estudiante_id", "alerta_estudiante", "id"),
]

# Their unique constraints and secondary indexes are built after the data
# (same names and SQL), as in bench/puntaje.py (INDICES_SQL in bench/comun.py).
GRANDES = (
    "alerta_estudiante",
    "alerta_matricula",
    "riesgo_puntaje",
    "seguimiento_accionseguimiento",
    "seguimiento_registromensual",
)


def _conectar():
    import psycopg2

    conn = psycopg2.connect(url_bench(BASE))
    conn.autocommit = True
    return conn


def _uno(cur, sql: str, params=None):
    cur.execute(sql, params)
    return cur.fetchone()


# Use of the portal, for the monitoring pages: a tutor account for each
# sección of the year and a director for each IE (as a full roll-out would
# have), a quarter of whom never sign in; the others use the portal in 20 % to
# 90 % of the last twelve weeks: one or two sign-ins, their list opened, up to
# three students' pages, a download now and then (30 %) and a guidance item
# read (35 %) in each week of use. Actions are re-attributed to their
# sección's tutor and dated on their day. Then the nightly aggregation runs
# (its own step, timed).
USO = """
    INSERT INTO alerta_usuario (password, is_superuser, username, first_name,
        last_name, email, is_staff, is_active, date_joined)
    SELECT '!', false, 'bench.t.' || s.id, 'Docente', 'Tutor ' || s.id, '',
        false, true, now()
    FROM alerta_seccion s WHERE s.anio = %(anio)s;
    INSERT INTO alerta_usuario (password, is_superuser, username, first_name,
        last_name, email, is_staff, is_active, date_joined)
    SELECT '!', false, 'bench.d.' || i.id, 'Docente', 'Director ' || i.id, '',
        false, true, now()
    FROM alerta_institucioneducativa i;
    INSERT INTO alerta_asignacion (usuario_id, rol, seccion_id, activa, creada)
    SELECT id, 'TUTOR', substr(username, 9)::bigint, true, now()
    FROM alerta_usuario WHERE username LIKE 'bench.t.%%';
    INSERT INTO alerta_asignacion (usuario_id, rol, ie_id, anio, activa, creada)
    SELECT id, 'DIRECTOR', substr(username, 9)::bigint, %(anio)s, true, now()
    FROM alerta_usuario WHERE username LIKE 'bench.d.%%';

    CREATE TEMP TABLE bench_doc AS
    SELECT u.id AS u, substr(u.username, 7, 1) AS tipo,
        CASE WHEN u.username LIKE 'bench.t.%%' THEN 'seccion:' || s.uuid
             ELSE 'ie:' || i.codigo_modular || '-' || i.anexo END AS lista,
        random() < 0.25 AS nunca, 0.2 + 0.7 * random() AS habito
    FROM alerta_usuario u
    LEFT JOIN alerta_seccion s
        ON u.username LIKE 'bench.t.%%' AND s.id = substr(u.username, 9)::bigint
    LEFT JOIN alerta_institucioneducativa i
        ON u.username LIKE 'bench.d.%%' AND i.id = substr(u.username, 9)::bigint
    WHERE u.username LIKE 'bench.t.%%' OR u.username LIKE 'bench.d.%%';

    CREATE TEMP TABLE bench_sem AS
    SELECT d.u, d.tipo, d.lista,
        least(now() - interval '1 minute',
              w.lunes + floor(random() * 5) * interval '1 day'
              + interval '8 hours' + random() * interval '10 hours') AS cuando
    FROM bench_doc d,
        (SELECT date_trunc('week', now()) - i * interval '1 week' AS lunes
         FROM generate_series(0, 11) i) w
    WHERE NOT d.nunca AND random() < d.habito;

    INSERT INTO monitoreo_ingreso (usuario_id, fecha)
    SELECT u, cuando - n * interval '1 hour'
    FROM bench_sem, LATERAL generate_series(0, (random() < 0.5)::int) n;
    INSERT INTO alerta_registroacceso (usuario_id, accion, objeto, fecha)
    SELECT u, 'VER_LISTA', lista, cuando FROM bench_sem;
    INSERT INTO alerta_registroacceso (usuario_id, accion, objeto, fecha)
    SELECT u, 'VER_ESTUD', 'estudiante:' || gen_random_uuid(), cuando
    FROM bench_sem, LATERAL generate_series(1, floor(random() * 4)::int) n;
    INSERT INTO alerta_registroacceso (usuario_id, accion, objeto, fecha)
    SELECT u, 'DESCARGAR', lista, cuando FROM bench_sem WHERE random() < 0.3;
    INSERT INTO orientaciones_lectura (usuario_id, orientacion_id, fecha)
    SELECT u, g.ids[1 + floor(random() * array_length(g.ids, 1))::int], cuando
    FROM bench_sem, (SELECT array_agg(id) AS ids
                     FROM orientaciones_orientacion WHERE publicada) g
    WHERE random() < 0.35;
    UPDATE alerta_usuario u SET last_login = x.m
    FROM (SELECT usuario_id, max(fecha) AS m FROM monitoreo_ingreso GROUP BY 1) x
    WHERE x.usuario_id = u.id;

    UPDATE seguimiento_accionseguimiento a
    SET autor_id = t.usuario_id,
        creada = least(now(), a.fecha + interval '10 hours'),
        modificada = least(now(), a.fecha + interval '10 hours')
    FROM alerta_asignacion t WHERE t.rol = 'TUTOR' AND t.seccion_id = a.seccion_id;
    DROP TABLE bench_doc, bench_sem;
"""


def llenar_uso(datos: dict) -> dict:
    """Fill the use of the portal and run the nightly aggregation; the
    seconds of each, kept in the database's description."""
    conn = _conectar()
    tiempos: dict[str, float] = {}
    with conn.cursor() as cur:
        t = time.perf_counter()
        cur.execute(USO, {"anio": datos["anio"]})
        tiempos["uso"] = time.perf_counter() - t
        t = time.perf_counter()
        cur.execute(
            "VACUUM (ANALYZE) alerta_usuario, alerta_asignacion, monitoreo_ingreso, "
            "alerta_registroacceso, orientaciones_lectura, "
            "seguimiento_accionseguimiento"
        )
        tiempos["vacuum analyze del uso"] = time.perf_counter() - t
    t = time.perf_counter()
    calculo = en_hijo("calcular_uso", datos)
    tiempos["cálculo nocturno del uso"] = time.perf_counter() - t
    with conn.cursor() as cur:
        cur.execute("VACUUM (ANALYZE)")
        uso = {
            "tiempos": tiempos,
            "calculo_s": calculo["segundos"],
            "docentes": calculo["docentes"],
            "ingresos": int(_uno(cur, "SELECT count(*) FROM monitoreo_ingreso")[0]),
            "accesos": int(_uno(cur, "SELECT count(*) FROM alerta_registroacceso")[0]),
            "lecturas": int(_uno(cur, "SELECT count(*) FROM orientaciones_lectura")[0]),
        }
        datos["uso"] = uso
        cur.execute("DELETE FROM bench_portal_meta")
        cur.execute("INSERT INTO bench_portal_meta VALUES (%s)", [json.dumps(datos)])
    conn.close()
    return uso


def leer_meta() -> dict | None:
    """What a previous complete fill left in the scratch database, if any."""
    import psycopg2

    try:
        conn = _conectar()
    except psycopg2.OperationalError:
        return None
    try:
        with conn.cursor() as cur:
            fila = _uno(cur, "SELECT datos FROM bench_portal_meta")
            return fila[0] if fila else None
    except psycopg2.Error:
        return None
    finally:
        conn.close()


def llenar(p: dict, ejecuciones: int, t_migrar: float) -> dict:
    """Fill the (migrated, empty) scratch database; returns what the
    measurement needs, the sizes and the seconds of each step."""
    conn = _conectar()
    tiempos: dict[str, float] = {"migrar": t_migrar}

    def paso(nombre: str, sql: str, params: dict | None = None) -> None:
        t = time.perf_counter()
        cur.execute(sql, params if params is not None else p)
        tiempos[nombre] = tiempos.get(nombre, 0.0) + time.perf_counter() - t

    with conn.cursor() as cur:
        indices = comun.carga_masiva_empezar(cur, GRANDES)

        paso("territorio", TERRITORIO)
        paso("instituciones", INSTITUCIONES)
        # The specialist reads a UGEL of median size; the 3,000-student IE
        # joins the largest one (a big urban school).
        cur.execute("SELECT ugel, sum(n) FROM bench_ie GROUP BY ugel ORDER BY 2, 1")
        por_ugel = cur.fetchall()
        ugel_tipica = por_ugel[(len(por_ugel) - 1) // 2][0]
        ugel_grande = por_ugel[-1][0]
        paso("instituciones", IE_GRANDE_SQL, {**p, "ugel_grande": ugel_grande})
        paso("secciones", SECCIONES)
        paso("estudiantes", ESTUDIANTES)
        paso("matrículas", MATRICULAS)
        paso("secuencias", SECUENCIAS)

        ie_grande = p["ies"] + 1
        seccion, vigentes_ie = _uno(
            cur,
            "SELECT (SELECT id FROM bench_sec WHERE ie = %(ie)s AND g = 3 AND l = 1),"
            " (SELECT sum(n) FROM bench_sec WHERE ie = %(ie)s)",
            {"ie": ie_grande},
        )
        assert vigentes_ie == IE_GRANDE, vigentes_ie
        seccion_uuid, estudiante_uuid = _uno(
            cur,
            "SELECT s.uuid, e.uuid FROM alerta_seccion s "
            "JOIN bench_sec b ON b.id = s.id "
            "JOIN alerta_estudiante e ON e.id = b.antes + 1 WHERE s.id = %s",
            [seccion],
        )
        dre = _uno(cur, "SELECT dre FROM bench_ugel WHERE u = %s", [ugel_tipica])[0]
        datos = {
            "ie": f"{ie_grande:07d}-0",
            "ugel": f"{ugel_tipica:06d}",
            "ugel_grande": f"{ugel_grande:06d}",
            "dre": dre,
            "seccion": str(seccion_uuid),
            "estudiante": str(estudiante_uuid),
            "anio": p["anio"],
            "ejecuciones": ejecuciones,
        }

        # The model, the runs and the users, through the ORM.
        t = time.perf_counter()
        preparado = en_hijo("preparar", datos)
        tiempos["modelo, ejecuciones y usuarios"] = time.perf_counter() - t
        datos["usuarios"] = preparado["usuarios"]
        *anteriores, actual = preparado["ejecuciones"]  # oldest first

        paso("puntajes", PUNTAJES)
        for anterior in anteriores:
            paso("puntajes", PUNTAJE_ANTERIOR, {**p, "anterior": anterior})
        paso("puntajes", PUNTAJE_ACTUAL, {**p, "actual": actual})
        autor = _uno(
            cur,
            "SELECT id FROM alerta_usuario WHERE username = %s",
            [preparado["usuarios"]["director"]],
        )[0]
        paso("seguimiento", SEGUIMIENTO, {**p, "autor": autor})
        cur.execute("DROP TABLE bench_pun, bench_sec, bench_ie, bench_ugel")

        comun.carga_masiva_terminar(cur, indices, HUERFANOS, tiempos)

        t = time.perf_counter()
        en_hijo("agregados", datos)
        tiempos["agregados"] = time.perf_counter() - t
        # What autovacuum would have done long before anyone reads the pages:
        # hint bits, visibility map and planner statistics.
        t = time.perf_counter()
        cur.execute("VACUUM (ANALYZE)")
        tiempos["vacuum analyze"] = time.perf_counter() - t

        datos["tamanos"] = tamanos(cur, datos, actual)
        datos["estudiantes"] = p["estudiantes"]
        datos["llenado"] = tiempos
        cur.execute("CREATE TABLE bench_portal_meta (datos jsonb)")
        cur.execute("INSERT INTO bench_portal_meta VALUES (%s)", [json.dumps(datos)])
    conn.close()
    return datos


def tamanos(cur, datos: dict, actual: int) -> dict:
    def contar(sql: str, params=None) -> int:
        return int(_uno(cur, sql, params)[0])

    cur.execute(
        "SELECT nivel, count(*) FROM riesgo_puntaje WHERE ejecucion_id = %s "
        "GROUP BY nivel",
        [actual],
    )
    niveles = dict(cur.fetchall())
    ugel = datos["ugel"]
    return {
        "vigentes": contar(
            "SELECT count(*) FROM alerta_matricula WHERE situacion_final <> %s",
            ["TRASLADADO"],
        ),
        "matriculas": contar("SELECT count(*) FROM alerta_matricula"),
        "puntajes": contar("SELECT count(*) FROM riesgo_puntaje"),
        "secciones": contar("SELECT count(*) FROM alerta_seccion"),
        "ies": contar("SELECT count(*) FROM alerta_institucioneducativa"),
        "ugeles": contar("SELECT count(*) FROM alerta_ugel"),
        "dres": contar("SELECT count(*) FROM alerta_dre"),
        "agregados": contar("SELECT count(*) FROM riesgo_agregadoriesgo"),
        "acciones": contar("SELECT count(*) FROM seguimiento_accionseguimiento"),
        "registros_mensuales": contar(
            "SELECT count(*) FROM seguimiento_registromensual"
        ),
        "niveles": niveles,
        "ie_mediana": contar(
            "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY n) FROM "
            "(SELECT count(*) AS n FROM alerta_matricula m JOIN alerta_seccion s "
            "ON s.id = m.seccion_id WHERE m.situacion_final <> 'TRASLADADO' "
            "GROUP BY s.ie_id) x"
        ),
        "secciones_ie": contar(
            "SELECT count(*) FROM alerta_seccion s JOIN alerta_institucioneducativa "
            "i ON i.id = s.ie_id WHERE i.codigo_modular = %s",
            [datos["ie"].split("-")[0]],
        ),
        "ugel_ies": contar(
            "SELECT count(*) FROM alerta_institucioneducativa i JOIN alerta_ugel u "
            "ON u.id = i.ugel_id WHERE u.codigo = %s",
            [ugel],
        ),
        "ugel_estudiantes": contar(
            "SELECT count(*) FROM alerta_matricula m JOIN alerta_seccion s ON "
            "s.id = m.seccion_id JOIN alerta_institucioneducativa i ON i.id = "
            "s.ie_id JOIN alerta_ugel u ON u.id = i.ugel_id WHERE u.codigo = %s "
            "AND m.situacion_final <> 'TRASLADADO'",
            [ugel],
        ),
        "ugel_grande_ies": contar(
            "SELECT count(*) FROM alerta_institucioneducativa i JOIN alerta_ugel u "
            "ON u.id = i.ugel_id WHERE u.codigo = %s",
            [datos["ugel_grande"]],
        ),
        "dre_ugeles": contar(
            "SELECT count(*) FROM alerta_ugel WHERE dre_id = %s", [datos["dre"]]
        ),
        "base_mb": contar("SELECT pg_database_size(current_database())") // 2**20,
    }


# --- the steps that run in a child process ---------------------------------------


def paso_preparar(datos: dict) -> dict:
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from alerta.models import (
        Asignacion,
        Dre,
        InstitucionEducativa,
        Rol,
        Ugel,
        Usuario,
    )
    from riesgo.factores import FACTOR_ORIENTACION
    from riesgo.models import (
        EjecucionPuntaje,
        EstadoEjecucion,
        EstadoModelo,
        ModeloRiesgo,
    )

    desconocidos = set(FACTORES) - set(FACTOR_ORIENTACION)
    assert not desconocidos, f"unknown factor codes: {sorted(desconocidos)}"
    codigo, _sep, anexo = datos["ie"].partition("-")
    ie = InstitucionEducativa.objects.get(codigo_modular=codigo, anexo=int(anexo))
    ugel = Ugel.objects.get(codigo=datos["ugel"])
    dre = Dre.objects.get(pk=datos["dre"])
    ahora = timezone.now()
    with transaction.atomic():
        modelo = ModeloRiesgo.objects.create(
            version=1,
            estado=EstadoModelo.PUBLICADO,
            algoritmo="sintético (benchmark)",
            corte_alto=CORTE_ALTO,
            corte_medio=CORTE_MEDIO,
            publicado_en=ahora,
        )
        ejecuciones = []
        for dias in range(datos["ejecuciones"] - 1, -1, -1):
            e = EjecucionPuntaje.objects.create(
                modelo=modelo,
                anio=datos["anio"],
                estado=EstadoEjecucion.EXITOSA,
                fin=ahora - dt.timedelta(days=dias),
            )
            EjecucionPuntaje.objects.filter(pk=e.pk).update(
                inicio=ahora - dt.timedelta(days=dias, hours=1)
            )
            ejecuciones.append(e.pk)
        roles = {
            "director": {"rol": Rol.DIRECTOR, "ie": ie, "anio": datos["anio"]},
            "ugel": {"rol": Rol.ESPECIALISTA_UGEL, "ugel": ugel},
            "dre": {"rol": Rol.ESPECIALISTA_DRE, "dre": dre},
            "nacional": {"rol": Rol.NACIONAL},
        }
        usuarios = {}
        for clave, asignacion in roles.items():
            usuario = Usuario.objects.create_user(username=f"bench.{clave}")
            Asignacion.objects.create(usuario=usuario, **asignacion)
            usuarios[clave] = usuario.username
    return {"ejecuciones": ejecuciones, "usuarios": usuarios}


def paso_agregados(datos: dict) -> dict:
    from django.db import transaction

    from riesgo.models import EjecucionPuntaje, Puntaje
    from riesgo.scoring import agregados_escribir

    for ejecucion in EjecucionPuntaje.objects.order_by("inicio"):
        with transaction.atomic():
            agregados_escribir(ejecucion)
            ejecucion.estudiantes = Puntaje.objects.filter(ejecucion=ejecucion).count()
            ejecucion.save(update_fields=["estudiantes"])
    return {}


def _percentil(valores: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordenados = sorted(valores)
    return ordenados[max(0, math.ceil(q * len(ordenados)) - 1)]


def _paginas(datos: dict) -> list[dict]:
    from urllib.parse import urlencode

    from django.urls import reverse

    def prefijo(nombre: str, ejemplo) -> str:
        # The start of the links to such pages, as the templates write them.
        return 'href="' + reverse(nombre, args=[ejemplo]).split(str(ejemplo))[0]

    t = datos["tamanos"]
    ie = reverse("ie_detalle", args=[datos["ie"]])
    estudiante = prefijo("estudiante_detalle", datos["estudiante"])
    a_ies = prefijo("ie_detalle", datos["ie"])
    return [
        {
            "clave": "ie",
            "nombre": f"IE de {_miles(IE_GRANDE)} estudiantes, 1.ª página",
            "usuario": "director",
            "url": ie,
            "marca": (estudiante, 50),
        },
        {
            "clave": "ie_filtrada",
            "nombre": "la misma IE, filtrada y con búsqueda",
            "usuario": "director",
            "url": f"{ie}?{urlencode(FILTRO_IE)}",
            "busqueda": BUSQUEDA_IE,
            "marca": (estudiante, 1),
        },
        {
            "clave": "ugel",
            "nombre": f"UGEL mediana ({t['ugel_ies']} IE)",
            "usuario": "ugel",
            "url": reverse("ugel_detalle", args=[datos["ugel"]]),
            "marca": (a_ies, min(25, t["ugel_ies"])),
        },
        {
            "clave": "seccion",
            "nombre": "sección",
            "usuario": "director",
            "url": reverse("seccion_detalle", args=[datos["seccion"]]),
            "marca": (estudiante, 1),
        },
        {
            "clave": "estudiante",
            "nombre": "estudiante",
            "usuario": "director",
            "url": reverse("estudiante_detalle", args=[datos["estudiante"]]),
            "marca": None,
        },
        {
            "clave": "dre",
            "nombre": f"DRE ({t['dre_ugeles']} UGEL)",
            "usuario": "dre",
            "url": reverse("dre_detalle", args=[datos["dre"]]),
            "marca": (prefijo("ugel_detalle", datos["ugel"]), 1),
        },
        {
            "clave": "nacional",
            "nombre": f"nacional ({t['dres']} DRE)",
            "usuario": "nacional",
            "url": reverse("nacional"),
            "marca": (prefijo("dre_detalle", datos["dre"]), 1),
        },
        {
            "clave": "ugel_grande",
            "nombre": f"UGEL más grande ({t['ugel_grande_ies']} IE)",
            "usuario": "nacional",
            "url": reverse("ugel_detalle", args=[datos["ugel_grande"]]),
            "marca": (a_ies, 1),
        },
        {
            "clave": "uso_ugel",
            "nombre": f"uso del portal, UGEL mediana ({t['ugel_ies']} IE)",
            "usuario": "ugel",
            "url": reverse("monitoreo:ugel", args=[datos["ugel"]]),
            "marca": (prefijo("monitoreo:ie", datos["ie"]), min(25, t["ugel_ies"])),
        },
        {
            "clave": "uso_docentes",
            "nombre": "uso por docente, UGEL mediana",
            "usuario": "ugel",
            "url": reverse("monitoreo:ugel_docentes", args=[datos["ugel"]]),
            "marca": (prefijo("monitoreo:docente", 1), 25),
        },
        {
            "clave": "uso_ugel_grande",
            "nombre": f"uso del portal, UGEL más grande ({t['ugel_grande_ies']} IE)",
            "usuario": "nacional",
            "url": reverse("monitoreo:ugel", args=[datos["ugel_grande"]]),
            "marca": (prefijo("monitoreo:ie", datos["ie"]), 25),
        },
        {
            "clave": "uso_dre",
            "nombre": "uso del portal, DRE",
            "usuario": "dre",
            "url": reverse("monitoreo:dre", args=[datos["dre"]]),
            "marca": (prefijo("monitoreo:ugel", datos["ugel"]), 1),
        },
        {
            "clave": "uso_nacional",
            "nombre": "uso del portal, nacional",
            "usuario": "nacional",
            "url": reverse("monitoreo:nacional"),
            "marca": (prefijo("monitoreo:dre", datos["dre"]), 1),
        },
        {
            "clave": "salud",
            "nombre": "piso: /salud/ (sin sesión ni consultas)",
            "usuario": None,
            "url": reverse("salud"),
            "marca": None,
        },
    ]


def paso_medir(datos: dict) -> dict:
    from django.conf import settings
    from django.test.utils import override_settings

    # DEBUG off uses the manifest storage of `collectstatic`; without running
    # it, static tags resolve through the plain storage (the same lookup).
    almacenes = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    with override_settings(STORAGES=almacenes):
        return _medir(datos)


def _medir(datos: dict) -> dict:
    from urllib.parse import parse_qsl

    from django.conf import settings
    from django.db import connection
    from django.test import Client as ClienteDjango
    from django.test.utils import CaptureQueriesContext

    from alerta.models import Usuario

    assert not settings.DEBUG
    pedidos, calentamiento = datos["pedidos"], datos["calentamiento"]

    def Client():  # noqa: N802
        # As production receives it: HTTPS through the TLS proxy, which says so
        # (SECURE_PROXY_SSL_HEADER); plain http would be redirected.
        return ClienteDjango(headers={"x-forwarded-proto": "https"})

    clientes: dict = {None: Client()}
    for clave, username in datos["usuarios"].items():
        clientes[clave] = Client()
        clientes[clave].force_login(Usuario.objects.get(username=username))

    paginas = _paginas(datos)
    errores: dict[str, str] = {}
    buscadores: dict = {}

    # A searched page has a client of its own, whose session holds the
    # search, posted with the filters as the form posts them.
    for pagina in paginas:
        if pagina.get("busqueda"):
            cliente = Client()
            cliente.force_login(
                Usuario.objects.get(username=datos["usuarios"][pagina["usuario"]])
            )
            ruta, _, consulta = pagina["url"].partition("?")
            r = cliente.post(ruta, {**dict(parse_qsl(consulta)), **pagina["busqueda"]})
            if r.status_code != 302 or r["Location"] != pagina["url"]:
                errores[pagina["clave"]] = (
                    f"la búsqueda enviada respondió HTTP {r.status_code} "
                    f"hacia {r.get('Location')!r}, no hacia {pagina['url']!r}"
                )
            buscadores[pagina["clave"]] = cliente

    def cliente_de(pagina: dict):
        return buscadores.get(pagina["clave"]) or clientes[pagina["usuario"]]

    def pedir(pagina: dict):
        """The page's response, or None (and the error noted) if it failed."""
        clave = pagina["clave"]
        try:
            r = cliente_de(pagina).get(pagina["url"])
        except Exception as exc:  # noqa: BLE001 - reported, exit non-zero
            errores.setdefault(clave, f"{type(exc).__name__}: {str(exc)[:300]}")
            return None
        if r.status_code != 200:
            errores.setdefault(clave, f"HTTP {r.status_code}")
            return None
        return r

    # One request each to check that the page shows what it should.
    for pagina in paginas:
        r = pedir(pagina)
        if r is not None and pagina["marca"]:
            marca, minimo = pagina["marca"]
            n = r.content.decode().count(marca)
            if n < minimo:
                errores[pagina["clave"]] = (
                    f"{n} enlaces «{marca}», se esperaban {minimo} o más"
                )

    def select_1() -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()

    def rondas(n: int, medidas: dict[str, list[float]] | None) -> None:
        # Each round asks every page once, then the floor. Besides the wall
        # time, the CPU time of this process: Django's own work, without the
        # database's and without waiting for a core.
        for _ronda in range(n):
            for pagina in paginas:
                if pagina["clave"] in errores:
                    continue
                cpu = time.process_time()
                t = time.perf_counter()
                r = pedir(pagina)
                dt = time.perf_counter() - t
                cpu = time.process_time() - cpu
                if r is not None and medidas is not None:
                    medidas[pagina["clave"]].append(dt * 1000)
                    cpu_ms[pagina["clave"]].append(cpu * 1000)
            t = time.perf_counter()
            select_1()
            if medidas is not None:
                medidas["select_1"].append((time.perf_counter() - t) * 1000)

    cpu_ms: dict[str, list[float]] = {p["clave"]: [] for p in paginas}
    rondas(calentamiento, None)
    # The queries of a warm request of each page, as Django times them: of
    # five requests, the one whose queries took the median time (a single
    # one may have waited for a core).
    consultas: dict[str, dict] = {}
    capturas: dict[str, list] = {}
    for pagina in paginas:
        if pagina["clave"] in errores:
            continue
        vistas = []
        for _i in range(5):
            tiempos: list[float] = []

            def cronometro(execute, sql, params, many, context, tiempos=tiempos):
                # Finer than the milliseconds CaptureQueriesContext keeps.
                t = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    tiempos.append((time.perf_counter() - t) * 1000)

            with (
                connection.execute_wrapper(cronometro),
                CaptureQueriesContext(connection) as ctx,
            ):
                pedir(pagina)
            assert len(tiempos) == len(ctx.captured_queries)
            vistas.append((sum(tiempos), tiempos, ctx.captured_queries))
        vistas.sort(key=lambda v: v[0])
        total, tiempos, capturadas = vistas[len(vistas) // 2]
        consultas[pagina["clave"]] = {
            "n": len(tiempos),
            "base_ms": total,
            "lenta_ms": max(tiempos, default=0.0),
        }
        capturas[pagina["clave"]] = capturadas

    medidas: dict[str, list[float]] = {p["clave"]: [] for p in paginas}
    medidas["select_1"] = []
    cpu_ms = {p["clave"]: [] for p in paginas}
    carga_inicio = os.getloadavg()[0]
    t_total = time.perf_counter()
    rondas(pedidos, medidas)
    t_total = time.perf_counter() - t_total

    resultados = {}
    for clave, valores in medidas.items():
        if valores:
            resultados[clave] = {
                "p50": _percentil(valores, 0.50),
                "p95": _percentil(valores, 0.95),
                "max": max(valores),
                "n": len(valores),
                "cpu_p50": (
                    _percentil(cpu_ms[clave], 0.50) if cpu_ms.get(clave) else None
                ),
            }

    planes: dict[str, list] = {}
    if datos["explicar"]:
        for clave, capturadas in capturas.items():
            selects = [q for q in capturadas if q["sql"].lstrip().startswith("SELECT")]
            selects.sort(key=lambda q: -float(q["time"]))
            planes[clave] = []
            for q in selects[: datos["explicar"]]:
                with connection.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                    plan = [fila[0] for fila in cur.fetchall()]
                planes[clave].append({"sql": q["sql"], "plan": plan})
    return {
        "paginas": [{k: p[k] for k in ("clave", "nombre", "url")} for p in paginas],
        "resultados": resultados,
        "consultas": consultas,
        "errores": errores,
        "planes": planes,
        "segundos": t_total,
        "carga": [carga_inicio, os.getloadavg()[0]],
        "postgres": connection.pg_version,
    }


def paso_calcular_uso(datos: dict) -> dict:
    from monitoreo.calculo import uso_calcular

    t = time.perf_counter()
    calculo = uso_calcular()
    return {"segundos": time.perf_counter() - t, "docentes": calculo.docentes}


PASOS = {
    "preparar": paso_preparar,
    "agregados": paso_agregados,
    "calcular_uso": paso_calcular_uso,
    "medir": paso_medir,
}


def hijo(paso: str, datos: dict) -> None:
    import django

    sys.path.insert(0, str(RAIZ))
    django.setup()
    resultado = PASOS[paso](datos)
    print(comun.MARCA + json.dumps(resultado), flush=True)


def en_hijo(paso: str, datos: dict) -> dict:
    return comun.en_hijo(__file__, paso, datos, entorno())


# --- the report -----------------------------------------------------------------


def _miles(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".")


def informar_datos(datos: dict, reusada: bool) -> None:
    t = datos["tamanos"]
    total = sum(t["niveles"].values()) or 1
    partes = ", ".join(
        f"{nivel.lower()} {100 * t['niveles'].get(nivel, 0) / total:.1f} %"
        for nivel in ("ALTO", "MEDIO", "BAJO")
    )
    print(
        f"  datos: {_miles(t['vigentes'])} estudiantes vigentes "
        f"({_miles(t['matriculas'])} matrículas con los trasladados), "
        f"{_miles(t['ies'])} IE (mediana {t['ie_mediana']} estudiantes), "
        f"{_miles(t['secciones'])} secciones, {t['ugeles']} UGEL, {t['dres']} DRE, "
        f"{datos['ejecuciones']} ejecuciones exitosas con {_miles(t['puntajes'])} "
        f"puntajes ({partes} en la vigente), {_miles(t['agregados'])} agregados, "
        f"{_miles(t.get('acciones', 0))} acciones de seguimiento y "
        f"{_miles(t.get('registros_mensuales', 0))} registros mensuales; "
        f"base de {_miles(t['base_mb'])} MB"
    )
    print(
        f"  IE de la página: {datos['ie']}, {_miles(IE_GRANDE)} estudiantes en "
        f"{t['secciones_ie']} secciones; UGEL mediana {datos['ugel']}: "
        f"{t['ugel_ies']} IE, {_miles(t['ugel_estudiantes'])} estudiantes"
    )
    u = datos["uso"]
    print(
        f"  uso: {_miles(u['docentes'])} docentes con cuenta (tutores y "
        f"directores), {_miles(u['ingresos'])} ingresos, {_miles(u['accesos'])} "
        f"filas del registro de accesos y {_miles(u['lecturas'])} lecturas de "
        f"orientaciones en 12 semanas; cálculo nocturno del uso: "
        f"{u['calculo_s']:,.1f} s la primera noche (26 semanas), "
        f"{u['noche_calculo_s']:,.1f} s una noche siguiente (dos semanas y la "
        f"foto de cada docente e IE)"
    )
    if reusada:
        print(f"  base reutilizada ({BASE}): no se volvió a llenar")
    else:
        llenado = datos["llenado"]
        print(
            f"  llenado en {sum(llenado.values()):,.0f} s ("
            + ", ".join(f"{k} {v:.0f} s" for k, v in llenado.items())
            + ")"
        )


def informar(datos: dict, m: dict) -> None:
    r, c = m["resultados"], m["consultas"]
    piso = r.get("select_1")
    print(
        f"  medida: {datos['pedidos']} pedidos por página tras "
        f"{datos['calentamiento']} de calentamiento, en rondas, en "
        f"{m['segundos']:,.0f} s; carga media (1 min) {m['carga'][0]:.1f} al "
        f"empezar y {m['carga'][1]:.1f} al terminar, en {os.cpu_count()} núcleos; "
        f"PostgreSQL {m['postgres'] // 10000}"
    )
    print(
        f"\n  {'página':<42} {'consultas':>9} {'en base':>8} {'la más':>8} "
        f"{'CPU':>7} {'p50':>7} {'p95':>7} {'máx':>7} {'objetivo':>9} "
        f"{'p95/obj':>8}"
    )
    print(
        f"  {'':<42} {'':>9} {'ms':>8} {'lenta ms':>8} {'ms':>7} {'ms':>7} "
        f"{'ms':>7} {'ms':>7} {'ms':>9}"
    )
    filas = [(p["clave"], p["nombre"]) for p in m["paginas"]]
    filas.append(("select_1", "piso: SELECT 1 por la conexión de Django"))
    for clave, nombre in filas:
        if clave in m["errores"]:
            print(f"  {nombre:<42} ERROR: {m['errores'][clave]}")
            continue
        x = r.get(clave)
        if x is None:
            continue
        q = c.get(clave)
        consultas = (
            f"{q['n']:>9} {q['base_ms']:>8.1f} {q['lenta_ms']:>8.1f}"
            if q
            else f"{'':>9} {'':>8} {'':>8}"
        )
        cpu = f"{x['cpu_p50']:>7.1f}" if x.get("cpu_p50") is not None else f"{'':>7}"
        objetivo = OBJETIVOS_MS.get(clave)
        final = (
            f"{objetivo:>9} {x['p95'] / objetivo:>8.2f}"
            if objetivo
            else f"{'(inform.)':>9} {'':>8}"
        )
        print(
            f"  {nombre:<42} {consultas} {cpu} {x['p50']:>7.1f} {x['p95']:>7.1f} "
            f"{x['max']:>7.1f} {final}"
        )
    print(
        "  «consultas», «en base» y «la más lenta»: las de un pedido (el mediano "
        "de cinco) medidas desde Django; «CPU»: mediana del tiempo de CPU del "
        "proceso de Django por pedido (sin la base ni la espera por un núcleo). "
        f"Filtro de la IE: {FILTRO_IE}, búsqueda enviada: {BUSQUEDA_IE}."
    )
    print()
    for clave, objetivo in OBJETIVOS_MS.items():
        x = r.get(clave)
        if x is None:
            continue
        nombre = next(p["nombre"] for p in m["paginas"] if p["clave"] == clave)
        veredicto = "cumple" if x["p95"] < objetivo else "NO cumple"
        print(
            f"  {nombre}: p95 {x['p95']:.1f} ms, {veredicto} el objetivo de "
            f"{objetivo} ms"
            + (f" (piso SELECT 1: p95 {piso['p95']:.2f} ms)" if piso else "")
        )
    for clave, planes in m["planes"].items():
        nombre = next(p["nombre"] for p in m["paginas"] if p["clave"] == clave)
        for i, plan in enumerate(planes, start=1):
            print(f"\n  --- {nombre}: consulta más lenta n.º {i}\n  {plan['sql']}")
            for linea in plan["plan"]:
                print(f"    {linea}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--estudiantes", type=int, default=PAIS)
    parser.add_argument("--anio", type=int, default=2025, help="school year")
    parser.add_argument(
        "--ejecuciones",
        type=int,
        default=2,
        help="successful scoring runs, one a day (default 2: the lists compare "
        "with the previous one; nightly runs keep adding more)",
    )
    parser.add_argument("--pedidos", type=int, default=200)
    parser.add_argument("--calentamiento", type=int, default=20)
    parser.add_argument(
        "--conservar", action="store_true", help="keep the scratch database"
    )
    parser.add_argument(
        "--reusar",
        action="store_true",
        help="reuse the scratch database if it holds a fill of this size (kept)",
    )
    parser.add_argument(
        "--explicar",
        type=int,
        nargs="?",
        const=2,
        default=0,
        help="print EXPLAIN ANALYZE of each page's N slowest queries (default 2)",
    )
    parser.add_argument("--paso", choices=sorted(PASOS), help=argparse.SUPPRESS)
    parser.add_argument("--datos", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.paso:
        hijo(args.paso, json.loads(args.datos))
        return

    if args.ejecuciones < 1:
        parser.error("--ejecuciones must be at least 1")
    p = parametros(args.estudiantes, args.anio)
    print(f"{_miles(args.estudiantes)} estudiantes:", flush=True)
    datos = leer_meta() if args.reusar else None
    reusada = bool(
        datos
        and datos["estudiantes"] == args.estudiantes
        and datos["anio"] == args.anio
        and datos["ejecuciones"] == args.ejecuciones
    )
    conservar = args.conservar or args.reusar
    try:
        if not reusada:
            t_migrar = base_nueva(BASE, entorno())
            datos = llenar(p, args.ejecuciones, t_migrar)
        else:
            # Migrations added since the fill (new tables stay empty).
            comun.migrar(entorno())
        if "uso" not in datos:
            llenar_uso(datos)
        # The nightly aggregation as it runs each night after the first: two
        # weeks of events and the snapshot.
        t = time.perf_counter()
        noche = en_hijo("calcular_uso", datos)
        datos["uso"]["noche_s"] = time.perf_counter() - t
        datos["uso"]["noche_calculo_s"] = noche["segundos"]
        informar_datos(datos, reusada)
        medida = en_hijo(
            "medir",
            {
                **datos,
                "pedidos": args.pedidos,
                "calentamiento": args.calentamiento,
                "explicar": args.explicar,
            },
        )
        informar({**datos, "pedidos": args.pedidos,
                  "calentamiento": args.calentamiento}, medida)  # fmt: skip
    finally:
        if conservar:
            print(f"\n  conservada: la base {BASE}")
        else:
            psql_admin(BASE, f"DROP DATABASE IF EXISTS {BASE}")
    if medida["errores"]:
        raise SystemExit("páginas con error: " + ", ".join(sorted(medida["errores"])))


if __name__ == "__main__":
    main()
