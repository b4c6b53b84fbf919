"""Benchmark: the REST API on the national-size database of bench/portal.py.

    .venv/bin/python bench/api.py                          # 6 million students
    .venv/bin/python bench/api.py --estudiantes 200000 --conservar
    .venv/bin/python bench/api.py --reusar       # reuse bench/portal.py's fill

It works on bench/portal.py's scratch database ("alerta_bench_portal", or
BENCH_PORTAL_BASE): filled with that script's own code unless --reusar finds a
complete fill of the same size, then migrated (the API's own tables). Then, in
a child process with DEBUG off, through Django's test Client (the whole
middleware stack, DRF's authentication, throttling and rendering):

1. A UGEL's alto list, `GET /api/v1/estudiantes/?ugel=<código>&riesgo=alto`,
   as the specialist of the median UGEL: its first page (target p95 150 ms),
   the next page by its cursor, the same list at `tamano=500`, and the
   largest UGEL's first page as a national user. --pedidos requests each, in
   rounds, after --calentamiento; p50, p95 and max in ms, the queries of a
   request, the median CPU time of the Django process; and two floors
   measured in the same rounds: `/salud/` and a bare `SELECT 1`.
2. The CSV of a UGEL's alto + medio list
   (`/api/v1/ugeles/<código>/alto-medio.csv`), streamed to the end for the
   median UGEL and for the largest one: rows, seconds, rows per second, and
   its memory: the peak of Python's allocations (tracemalloc, in a pass of
   its own, since tracing slows Python) and the growth of the process's
   resident memory while streaming (sampled at every part, so that what the
   database driver holds outside Python counts too). References from the
   same run: the same rows read into a list, as an export that is not
   streamed holds them (its peak, and the ratio), and PostgreSQL's own
   `COPY (the same query) TO STDOUT WITH CSV` (rows per second, and the ratio).
   Constant memory shows as a peak that does not follow the number of rows.

The figures are printed, not asserted; the exit code is non-zero if an
endpoint errors or answers fewer rows than the database holds.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import comun
import portal
from comun import base_nueva, psql_admin
from portal import _percentil

RAIZ = Path(__file__).resolve().parent.parent
OBJETIVO_MS = 150


def _ruta(url: str) -> str:
    """The path and query of an absolute link the API wrote."""
    partes = urlsplit(url)
    return f"{partes.path}?{partes.query}"


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


# --- the steps that run in a child process ---------------------------------------


def paso_medir(datos: dict) -> dict:
    from django.conf import settings
    from django.test.utils import override_settings

    # As bench/portal.py: static tags without the manifest of collectstatic.
    almacenes = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    with override_settings(STORAGES=almacenes):
        return {"lista": _medir_lista(datos), "csv": _medir_csv(datos)}


def _clientes(datos: dict) -> dict:
    from django.test import Client

    from alerta.models import Usuario

    clientes = {}
    for clave in ("ugel", "nacional"):
        # As production receives it: HTTPS through the TLS proxy.
        cliente = Client(headers={"x-forwarded-proto": "https"})
        cliente.force_login(Usuario.objects.get(username=datos["usuarios"][clave]))
        clientes[clave] = cliente
    clientes[None] = Client(headers={"x-forwarded-proto": "https"})
    return clientes


def _medir_lista(datos: dict) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    assert not settings.DEBUG
    clientes = _clientes(datos)
    lista = reverse("api:estudiante-list")
    pedidos = [
        {
            "clave": "alto_ugel",
            "nombre": "alto de la UGEL mediana, 1.ª página",
            "usuario": "ugel",
            "url": f"{lista}?ugel={datos['ugel']}&riesgo=alto",
        },
        {
            "clave": "alto_ugel_500",
            "nombre": "la misma, tamano=500",
            "usuario": "ugel",
            "url": f"{lista}?ugel={datos['ugel']}&riesgo=alto&tamano=500",
        },
        {
            "clave": "alto_ugel_grande",
            "nombre": "alto de la UGEL más grande, 1.ª página",
            "usuario": "nacional",
            "url": f"{lista}?ugel={datos['ugel_grande']}&riesgo=alto",
        },
        {
            "clave": "salud",
            "nombre": "piso: /salud/ (sin sesión ni consultas)",
            "usuario": None,
            "url": reverse("salud"),
        },
    ]
    errores: dict[str, str] = {}

    def pedir(p: dict):
        r = clientes[p["usuario"]].get(p["url"], headers={"accept": "application/json"})
        if r.status_code != 200:
            errores.setdefault(p["clave"], f"HTTP {r.status_code}")
            return None
        return r

    # The first page tells how many rows a page holds and where the next is.
    primera = pedir(pedidos[0])
    if primera is not None:
        cuerpo = primera.json()
        if len(cuerpo["results"]) < min(50, datos["altos_ugel"]):
            errores["alto_ugel"] = (
                f"{len(cuerpo['results'])} filas, la UGEL tiene "
                f"{datos['altos_ugel']} en alto"
            )
        if cuerpo.get("next"):
            pedidos.insert(
                1,
                {
                    "clave": "alto_ugel_siguiente",
                    "nombre": "la misma, 2.ª página (cursor)",
                    "usuario": "ugel",
                    "url": _ruta(cuerpo["next"]),
                },
            )

    def select_1() -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()

    medidas: dict[str, list[float]] = {p["clave"]: [] for p in pedidos}
    medidas["select_1"] = []
    cpu_ms: dict[str, list[float]] = {p["clave"]: [] for p in pedidos}

    def rondas(n: int, guardar: bool) -> None:
        for _ronda in range(n):
            for p in pedidos:
                if p["clave"] in errores:
                    continue
                cpu, t = time.process_time(), time.perf_counter()
                r = pedir(p)
                dt, cpu = time.perf_counter() - t, time.process_time() - cpu
                if r is not None and guardar:
                    medidas[p["clave"]].append(dt * 1000)
                    cpu_ms[p["clave"]].append(cpu * 1000)
            t = time.perf_counter()
            select_1()
            if guardar:
                medidas["select_1"].append((time.perf_counter() - t) * 1000)

    rondas(datos["calentamiento"], guardar=False)
    consultas = {}
    for p in pedidos:
        if p["clave"] in errores:
            continue
        with CaptureQueriesContext(connection) as ctx:
            pedir(p)
        consultas[p["clave"]] = {
            "n": len(ctx.captured_queries),
            "base_ms": sum(float(q["time"]) for q in ctx.captured_queries) * 1000,
        }
    carga = os.getloadavg()[0]
    rondas(datos["pedidos"], guardar=True)
    resultados = {
        clave: {
            "p50": _percentil(v, 0.50),
            "p95": _percentil(v, 0.95),
            "max": max(v),
            "cpu_p50": _percentil(cpu_ms[clave], 0.50) if cpu_ms.get(clave) else None,
        }
        for clave, v in medidas.items()
        if v
    }
    return {
        "pedidos": [{k: p[k] for k in ("clave", "nombre")} for p in pedidos],
        "resultados": resultados,
        "consultas": consultas,
        "errores": errores,
        "carga": [carga, os.getloadavg()[0]],
    }


def _medir_csv(datos: dict) -> dict:
    import tracemalloc

    from django.db import connection
    from django.urls import reverse

    from alerta import scoping
    from alerta.models import Ugel, Usuario
    from alerta.presentacion import filas
    from riesgo.selectors import ejecucion_vigente

    clientes = _clientes(datos)
    ejecucion = ejecucion_vigente()
    casos = [("ugel", datos["ugel"], "UGEL mediana"),
             ("nacional", datos["ugel_grande"], "UGEL más grande")]  # fmt: skip
    resultado: dict = {"casos": [], "errores": {}}

    def descargar(usuario, codigo: str, con_traza: bool) -> dict:
        url = reverse("api:ugel-alto-medio-csv", args=[codigo])
        rss_antes = _rss_kb()
        rss_max = rss_antes
        if con_traza:
            tracemalloc.start()
        t = time.perf_counter()
        r = clientes[usuario].get(url)
        if r.status_code != 200:
            resultado["errores"][codigo] = f"HTTP {r.status_code}"
            return {}
        filas_csv, bytes_ = -1, 0  # the header is not a row
        for parte in r.streaming_content:
            filas_csv += parte.count(b"\r\n")
            bytes_ += len(parte)
            rss_max = max(rss_max, _rss_kb())
        r.close()
        segundos = time.perf_counter() - t
        pico = None
        if con_traza:
            pico = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return {"filas": filas_csv, "bytes": bytes_, "segundos": segundos,
                "pico": pico, "rss_kb": rss_max - rss_antes}  # fmt: skip

    for usuario, codigo, nombre in casos:
        descargar(usuario, codigo, con_traza=False)  # warm-up
        medida = descargar(usuario, codigo, con_traza=False)
        trazada = descargar(usuario, codigo, con_traza=True)
        if not medida:
            continue
        secciones = scoping.secciones_visibles(
            Usuario.objects.get(username=datos["usuarios"][usuario])
        ).filter(ie__ugel=Ugel.objects.get(codigo=codigo), anio=datos["anio"])
        qs = filas.filas_alto_medio(secciones, ejecucion)
        esperadas = qs.count()
        if medida["filas"] != esperadas:
            resultado["errores"][codigo] = (
                f"{medida['filas']} filas en el CSV, {esperadas} en la base"
            )
        # PostgreSQL's own CSV of the same query: the floor of the rows per second.
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cur:
            consulta = cur.cursor.mogrify(sql, params).decode()
            salida = io.BytesIO()
            t = time.perf_counter()
            cur.cursor.copy_expert(f"COPY ({consulta}) TO STDOUT WITH CSV", salida)
            copy_s = time.perf_counter() - t
        resultado["casos"].append(
            {
                "nombre": nombre,
                "codigo": codigo,
                **medida,
                "pico": trazada.get("pico"),
                "copy_s": copy_s,
                "copy_bytes": salida.tell(),
            }  # fmt: skip
        )
        ultimo_qs = qs

    # The reference an export that is not streamed pays: the largest UGEL's
    # rows in a list (last: resident memory seldom shrinks afterwards).
    if resultado["casos"]:
        rss_antes = _rss_kb()
        tracemalloc.start()
        t = time.perf_counter()
        en_lista = list(ultimo_qs)
        segundos = time.perf_counter() - t
        pico = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        resultado["lista"] = {"filas": len(en_lista), "pico": pico,
                              "segundos": segundos,
                              "rss_kb": _rss_kb() - rss_antes}  # fmt: skip
    return resultado


PASOS = {"medir": paso_medir}


def hijo(paso: str, datos: dict) -> None:
    import django

    sys.path.insert(0, str(RAIZ))
    django.setup()
    print(comun.MARCA + json.dumps(PASOS[paso](datos)), flush=True)


# --- the report -----------------------------------------------------------------


def _mb(n: float) -> str:
    return f"{n / 2**20:,.1f} MB"


def informar(datos: dict, m: dict) -> None:
    lista = m["lista"]
    r, c = lista["resultados"], lista["consultas"]
    print(
        f"  medida: {datos['pedidos']} pedidos por endpoint tras "
        f"{datos['calentamiento']} de calentamiento, en rondas; carga media (1 min) "
        f"{lista['carga'][0]:.1f} al empezar y {lista['carga'][1]:.1f} al terminar, "
        f"en {os.cpu_count()} núcleos"
    )
    print(f"\n  {'lista (GET /api/v1/estudiantes/)':<44} {'consultas':>9} "
          f"{'en base':>8} {'CPU':>7} {'p50':>7} {'p95':>7} {'máx':>7}")  # fmt: skip
    print(f"  {'':<44} {'':>9} {'ms':>8} {'ms':>7} {'ms':>7} {'ms':>7} {'ms':>7}")
    filas = [(p["clave"], p["nombre"]) for p in lista["pedidos"]]
    filas.append(("select_1", "piso: SELECT 1 por la conexión de Django"))
    for clave, nombre in filas:
        if clave in lista["errores"]:
            print(f"  {nombre:<44} ERROR: {lista['errores'][clave]}")
            continue
        x = r.get(clave)
        if x is None:
            continue
        q = c.get(clave)
        consultas = f"{q['n']:>9} {q['base_ms']:>8.1f}" if q else f"{'':>9} {'':>8}"
        cpu = f"{x['cpu_p50']:>7.1f}" if x.get("cpu_p50") is not None else f"{'':>7}"
        print(f"  {nombre:<44} {consultas} {cpu} {x['p50']:>7.1f} "
              f"{x['p95']:>7.1f} {x['max']:>7.1f}")  # fmt: skip
    x, piso = r.get("alto_ugel"), r.get("salud")
    if x:
        veredicto = "cumple" if x["p95"] < OBJETIVO_MS else "NO cumple"
        print(
            f"\n  alto de la UGEL mediana ({datos['altos_ugel']} estudiantes en alto): "
            f"p95 {x['p95']:.1f} ms, {veredicto} el objetivo de {OBJETIVO_MS} ms "
            f"(razón {x['p95'] / OBJETIVO_MS:.2f})"
            + (
                f"; {x['p95'] / piso['p95']:.0f} veces el p95 de /salud/"
                if piso
                else ""
            )
        )

    csv = m["csv"]
    print(f"\n  {'CSV alto + medio (streaming)':<30} {'filas':>8} {'MB':>7} "
          f"{'s':>6} {'filas/s':>9} {'COPY filas/s':>13} {'razón':>6} "
          f"{'pico Python':>12} {'RSS +':>9}")  # fmt: skip
    for caso in csv["casos"]:
        por_s = caso["filas"] / caso["segundos"]
        copy_por_s = caso["filas"] / caso["copy_s"] if caso["copy_s"] else 0
        print(
            f"  {caso['nombre'] + ' ' + caso['codigo']:<30} {caso['filas']:>8,} "
            f"{caso['bytes'] / 2**20:>7.1f} {caso['segundos']:>6.2f} {por_s:>9,.0f} "
            f"{copy_por_s:>13,.0f} {por_s / copy_por_s if copy_por_s else 0:>6.2f} "
            f"{_mb(caso['pico'] or 0):>12} {caso['rss_kb'] / 1024:>7.1f} MB"
        )
    if csv.get("lista") and csv["casos"]:
        ref, grande = csv["lista"], csv["casos"][-1]
        print(
            f"  referencia: las mismas {ref['filas']:,} filas de la UGEL más grande "
            f"leídas a una lista: pico Python {_mb(ref['pico'])}, RSS +"
            f"{ref['rss_kb'] / 1024:.1f} MB; el CSV en streaming usa "
            f"{(grande['pico'] or 0) / ref['pico']:.3f} de ese pico"
        )
        if len(csv["casos"]) == 2:
            chica, grande = csv["casos"]
            print(
                f"  memoria constante: {grande['filas'] / max(chica['filas'], 1):.1f} "
                f"veces las filas, {(grande['pico'] or 0) / (chica['pico'] or 1):.2f} "
                "veces el pico de Python"
            )
    for codigo, error in csv["errores"].items():
        print(f"  CSV de la UGEL {codigo}: ERROR: {error}")


def _altos(codigo: str) -> int:
    conn = portal._conectar()
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM riesgo_puntaje p JOIN alerta_matricula m ON "
            "m.id = p.matricula_id JOIN alerta_seccion s ON s.id = m.seccion_id "
            "JOIN alerta_institucioneducativa i ON i.id = s.ie_id JOIN alerta_ugel u "
            "ON u.id = i.ugel_id WHERE u.codigo = %s AND p.nivel = 'ALTO' AND "
            "p.ejecucion_id = (SELECT max(id) FROM riesgo_ejecucionpuntaje) AND "
            "m.situacion_final <> 'TRASLADADO'",
            [codigo],
        )
        n = cur.fetchone()[0]
    conn.close()
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--estudiantes", type=int, default=portal.PAIS)
    parser.add_argument("--anio", type=int, default=2025, help="school year")
    parser.add_argument("--pedidos", type=int, default=200)
    parser.add_argument("--calentamiento", type=int, default=20)
    parser.add_argument("--conservar", action="store_true")
    parser.add_argument(
        "--reusar",
        action="store_true",
        help="reuse bench/portal.py's database if it holds a fill of this size (kept)",
    )
    parser.add_argument("--paso", choices=sorted(PASOS), help=argparse.SUPPRESS)
    parser.add_argument("--datos", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.paso:
        hijo(args.paso, json.loads(args.datos))
        return

    p = portal.parametros(args.estudiantes, args.anio)
    print(f"{portal._miles(args.estudiantes)} estudiantes:", flush=True)
    datos = portal.leer_meta() if args.reusar else None
    reusada = bool(
        datos
        and datos["estudiantes"] == args.estudiantes
        and datos["anio"] == args.anio
    )
    entorno = portal.entorno()
    try:
        if not reusada:
            t_migrar = base_nueva(portal.BASE, entorno)
            datos = portal.llenar(p, 2, t_migrar)
        else:
            # A fill of an earlier version: the tables added since.
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=RAIZ, env=entorno, check=True,
            )  # fmt: skip
        portal.informar_datos(datos, reusada)
        datos = {**datos, "pedidos": args.pedidos,
                 "calentamiento": args.calentamiento,
                 "altos_ugel": _altos(datos["ugel"])}  # fmt: skip
        medida = comun.en_hijo(__file__, "medir", datos, entorno)
        informar(datos, medida)
    finally:
        if args.conservar or args.reusar:
            print(f"\n  conservada: la base {portal.BASE}")
        else:
            psql_admin(portal.BASE, f"DROP DATABASE IF EXISTS {portal.BASE}")
    if medida["lista"]["errores"] or medida["csv"]["errores"]:
        raise SystemExit("endpoints con error")


if __name__ == "__main__":
    main()
