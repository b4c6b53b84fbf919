"""Benchmark: the portal's capacity under 50 concurrent clients (gunicorn, PostgreSQL).

    .venv/bin/python bench/carga.py                           # 200,000 students
    .venv/bin/python bench/carga.py --reusar --workers 2 --hilos 4

It fills (or, with --reusar, reuses) a scratch PostgreSQL database with
bench/portal.py's own fill ("alerta_bench_carga", or BENCH_PORTAL_BASE), adds
a tutor of the measured sección, gives the tutor, the director of the
3,000-student IE and the UGEL specialist a password, collects the static
files, and starts gunicorn on 127.0.0.1 on a free port with DEBUG off and the
production settings of docker-compose's web container (HTTPS through the
proxy's X-Forwarded-Proto header, the client address through one trusted
proxy, connections kept 60 s, the Redis cache; CONN_MAX_AGE and CACHE_URL in
the environment change them), its worker class and count unless --workers /
--clase / --hilos say otherwise.

The three users log in through the real form (CSRF token, django-axes), each
with a session cookie of its own. Then --clientes threads (default 50), each
opening a connection per request as a proxy in front of sync workers does,
drive the mix: login page, sección list, IE page, UGEL dashboard, student
page, sección workbook, in turn, until --peticiones requests or --segundos
seconds, whichever comes first; then the same server's /salud/ (no session,
no query) with the same clients and bounds, the reference. It prints requests
per second of the mix and of /salud/, their ratio, p50 / p95 / max per page,
the load average, and the target (100 requests per second, p95 under 1 s),
which is printed, not asserted. The exit code is non-zero if any request
errors (a status other than the page's own, or no answer), so that a broken
page is not silently fast.

Then, unless --perfil 0, where the CPU of a request goes: the same mix
through Django's test client in one process under cProfile (CPU time, not
wall time), the self time grouped by what spends it (session, django-axes,
middleware, templates, queries, the workbook...) in ms per request, and the
functions that spend most. gunicorn and the network are not in it; they are
in the gap between the two measurements.

Loopback only: the server listens on 127.0.0.1 and is killed on exit, also on
an error or Ctrl-C. The scratch database is dropped at the end unless
--conservar or --reusar.
"""

import argparse
import cProfile
import http.client
import json
import os
import pstats
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

os.environ.setdefault("BENCH_PORTAL_BASE", "alerta_bench_carga")

import comun  # noqa: E402
import portal  # noqa: E402 - reads BENCH_PORTAL_BASE on import
from comun import psql_admin  # noqa: E402

RAIZ = Path(__file__).resolve().parent.parent
BASE = portal.BASE

# docker-compose runs the Dockerfile's command: gunicorn's default (sync)
# worker, WEB_CONCURRENCY processes (3 in the compose file's example .env).
WORKERS = 3
CLASE = "sync"
HILOS = 1

# The target of issue 13 on the 2-core machine.
OBJETIVO_RPS = 100
OBJETIVO_P95_MS = 1000

# The session cookie and the login form's CSRF token.
COOKIE = re.compile(r"^(sessionid|csrftoken)=([^;]*)")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- the child steps (Django) ----------------------------------------------------


def paso_usuarios(datos: dict) -> dict:
    """The tutor of the measured sección and a password for the three users
    who log in; returns the addresses of the mix."""
    from django.db import transaction
    from django.urls import reverse

    from alerta.models import Asignacion, Rol, Seccion, Usuario

    seccion = Seccion.objects.get(uuid=datos["seccion"])
    with transaction.atomic():
        tutor, _ = Usuario.objects.get_or_create(username="bench.tutor")
        Asignacion.objects.get_or_create(usuario=tutor, rol=Rol.TUTOR, seccion=seccion)
        for clave in ("tutor", "director", "ugel"):
            usuario = Usuario.objects.get(username=f"bench.{clave}")
            usuario.set_password(datos["clave"])
            usuario.save(update_fields=["password"])
    return {
        "usuarios": {c: f"bench.{c}" for c in ("tutor", "director", "ugel")},
        "rutas": {
            "login": reverse("login"),
            "seccion": reverse("seccion_detalle", args=[datos["seccion"]]),
            "ie": reverse("ie_detalle", args=[datos["ie"]]),
            "ugel": reverse("ugel_detalle", args=[datos["ugel"]]),
            "estudiante": reverse("estudiante_detalle", args=[datos["estudiante"]]),
            "libro": reverse("seccion_excel", args=[datos["seccion"]]),
            "salud": reverse("salud"),
        },
    }


# Where self time goes: the first group whose text is in the function's file
# or name (builtins have "~" as file and the C type in the name).
GRUPOS = (
    ("sesión", ("contrib/sessions", "alerta/sesiones")),
    ("django-axes", ("/axes/",)),
    ("consultas (ORM y psycopg2)", ("django/db/", "psycopg2")),
    ("plantillas", ("django/template", "templatetags", "django/forms")),
    ("libro Excel (XlsxWriter)", ("xlsxwriter", "zipfile", "zlib")),
    ("middleware", ("django/middleware", "/csp/", "whitenoise", "alerta/cabeceras")),
    ("autenticación", ("contrib/auth",)),
    ("URL y traducciones", ("django/urls", "django/utils/translation", "gettext")),
    ("resto de Django", ("/django/",)),
    ("código del proyecto", ("/alerta/", "/riesgo/", "/orientaciones/")),
)


def _grupo(archivo: str, funcion: str) -> str:
    texto = f"{archivo} {funcion}"
    for nombre, marcas in GRUPOS:
        if any(m in texto for m in marcas):
            return nombre
    return "Python (biblioteca estándar y otros)"


def paso_perfil(datos: dict) -> dict:
    from django.test import Client

    from alerta.models import Usuario

    clientes = {"anonimo": Client()}
    for clave, username in datos["usuarios"].items():
        clientes[clave] = Client()
        clientes[clave].force_login(Usuario.objects.get(username=username))
    mezcla = [(clientes[usuario], ruta) for _c, _n, usuario, ruta in datos["mezcla"]]

    def ronda() -> None:
        for cliente, ruta in mezcla:
            r = cliente.get(ruta, secure=True, REMOTE_ADDR="127.0.0.1")
            assert r.status_code == 200, (ruta, r.status_code)
            b"".join(r.streaming_content) if r.streaming else r.content

    for _i in range(3):
        ronda()
    # CPU per page without the profiler's overhead.
    cpu: dict[str, list[float]] = defaultdict(list)
    for _i in range(datos["rondas"]):
        for (clave, _n, _u, _r), (cliente, ruta) in zip(
            datos["mezcla"], mezcla, strict=True
        ):
            t = time.process_time()
            r = cliente.get(ruta, secure=True, REMOTE_ADDR="127.0.0.1")
            b"".join(r.streaming_content) if r.streaming else r.content
            cpu[clave].append((time.process_time() - t) * 1000)
    perfil = cProfile.Profile(time.process_time)
    perfil.enable()
    for _i in range(datos["rondas"]):
        ronda()
    perfil.disable()
    pedidos = datos["rondas"] * len(mezcla)
    stats = pstats.Stats(perfil)
    grupos: dict[str, float] = defaultdict(float)
    funciones = []
    for (archivo, linea, funcion), (_cc, _nc, propio, acum, _q) in stats.stats.items():
        grupos[_grupo(archivo, funcion)] += propio
        funciones.append((propio, acum, f"{archivo}:{linea}({funcion})"))
    funciones.sort(reverse=True)
    # Inclusive CPU of the entry points of each part of a request.
    entradas = {
        "plantillas (Template.render)": ("template/backends/django.py", "render"),
        "consultas (SQLCompiler.execute_sql)": ("sql/compiler.py", "execute_sql"),
        "sesión (SessionMiddleware)": ("sessions/middleware.py", "process_"),
        "usuario de la sesión (auth.get_user)": (
            "contrib/auth/__init__.py",
            "get_user",
        ),
        "CSP (CSPMiddleware)": ("csp/middleware.py", "process_response"),
        "libro (XlsxWriter close)": ("xlsxwriter/workbook.py", "close"),
    }
    inclusivo: dict[str, float] = defaultdict(float)
    for (archivo, _l, funcion), (_cc, _nc, _p, acum, _q) in stats.stats.items():
        for nombre, (parte, prefijo) in entradas.items():
            if archivo.endswith(parte) and (
                funcion == prefijo
                or prefijo.endswith("_")
                and funcion.startswith(prefijo)
            ):
                inclusivo[nombre] += acum
    raiz = str(RAIZ) + "/"
    return {
        "pedidos": pedidos,
        "cpu_ms": {c: portal._percentil(v, 0.5) for c, v in cpu.items()},
        "grupos_ms": {g: s * 1000 / pedidos for g, s in grupos.items()},
        "total_ms": sum(grupos.values()) * 1000 / pedidos,
        "inclusivo_ms": {n: s * 1000 / pedidos for n, s in inclusivo.items()},
        "funciones": [
            (p * 1000 / pedidos, a * 1000 / pedidos, f.replace(raiz, "")[-110:])
            for p, a, f in funciones[:15]
        ],
    }


PASOS = {"usuarios": paso_usuarios, "perfil": paso_perfil}


def hijo(paso: str, datos: dict) -> None:
    import django

    sys.path.insert(0, str(RAIZ))
    django.setup()
    print(comun.MARCA + json.dumps(PASOS[paso](datos)), flush=True)


def entorno(static_root: str) -> dict[str, str]:
    """Production settings on the scratch database: DEBUG off, HTTPS told by
    the proxy's header, one trusted proxy in front (its X-Forwarded-For)."""
    return {
        **portal.entorno(),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "INGRESO_PROXIES_DE_CONFIANZA": "1",
        "STATIC_ROOT": static_root,
        # The web container's values in docker-compose.yml: a connection kept
        # for 60 s by each worker, the shared Redis cache.
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/1"),
    }


def en_hijo(paso: str, datos: dict, env: dict[str, str]) -> dict:
    return comun.en_hijo(__file__, paso, datos, env)


# --- the server and its clients ----------------------------------------------------


def cpu_procesos(grupo: int) -> dict[str, float]:
    """CPU seconds so far of gunicorn (its process group), of PostgreSQL (live
    processes, plus the ended backends its postmaster reaped: a connection per
    request) and of this process (the clients)."""
    tick = os.sysconf("SC_CLK_TCK")
    cpu = {"gunicorn": 0.0, "PostgreSQL": 0.0}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        nombre = stat[stat.index("(") + 1 : stat.rindex(")")]
        campos = stat[stat.rindex(")") + 2 :].split()
        # fields 14-17 of proc(5): utime, stime, cutime, cstime
        propio = (int(campos[11]) + int(campos[12])) / tick
        if int(campos[2]) == grupo:
            cpu["gunicorn"] += propio
        elif nombre == "postgres":
            # the postmaster's cutime/cstime: its reaped backends
            reaped = (int(campos[13]) + int(campos[14])) / tick
            cpu["PostgreSQL"] += propio + reaped
    t = os.times()
    cpu["clientes (este proceso)"] = t.user + t.system
    return cpu


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Servidor:
    """gunicorn on 127.0.0.1, in a process group of its own, killed on exit."""

    def __init__(self, args, env: dict[str, str], registro) -> None:
        self.puerto = puerto_libre()
        self.comando = [
            sys.executable, "-m", "gunicorn",
            "--config", "docker/gunicorn.conf.py", "alerta.wsgi:application",
            "--bind", f"127.0.0.1:{self.puerto}",
            "--workers", str(args.workers), "--worker-class", args.clase,
            "--threads", str(args.hilos),
        ]  # fmt: skip
        self.proceso = subprocess.Popen(
            self.comando,
            cwd=RAIZ,
            env=env,
            stdout=registro,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def esperar(self, segundos: float = 60) -> None:
        limite = time.monotonic() + segundos
        while time.monotonic() < limite:
            if self.proceso.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.proceso.returncode})")
            try:
                if pedir(self.puerto, "GET", "/salud/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /salud/ in time")

    def parar(self) -> None:
        if self.proceso.poll() is not None:
            return
        os.killpg(self.proceso.pid, signal.SIGTERM)
        try:
            self.proceso.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proceso.pid, signal.SIGKILL)
            self.proceso.wait()


def pedir(
    puerto: int,
    metodo: str,
    ruta: str,
    cookies: dict[str, str] | None = None,
    cuerpo: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request on a connection of its own, as the TLS proxy sends it."""
    cabeceras = {
        "Host": f"127.0.0.1:{puerto}",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "127.0.0.1",
        "Connection": "close",
    }
    if cookies:
        cabeceras["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if cuerpo is not None:
        cabeceras["Content-Type"] = "application/x-www-form-urlencoded"
        cabeceras["Referer"] = f"https://127.0.0.1:{puerto}{ruta}"
    conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=60)
    try:
        conexion.request(metodo, ruta, body=cuerpo, headers=cabeceras)
        r = conexion.getresponse()
        contenido = r.read()
        nuevas = {}
        for valor in r.headers.get_all("Set-Cookie") or []:
            if m := COOKIE.match(valor):
                nuevas[m.group(1)] = m.group(2)
        return r.status, nuevas, contenido
    finally:
        conexion.close()


def ingresar(puerto: int, ruta: str, username: str, clave: str) -> dict[str, str]:
    """The session cookie of a login through the form, as a browser does."""
    estado, cookies, contenido = pedir(puerto, "GET", ruta)
    token = TOKEN.search(contenido.decode())
    if estado != 200 or token is None or "csrftoken" not in cookies:
        raise SystemExit(f"the login page answered HTTP {estado} without a form")
    cuerpo = urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username,
         "password": clave}
    )  # fmt: skip
    estado, nuevas, _ = pedir(puerto, "POST", ruta, cookies, cuerpo)
    if estado != 302 or "sessionid" not in nuevas:
        raise SystemExit(f"the login of {username} answered HTTP {estado}")
    return {"sessionid": nuevas["sessionid"]}


def conducir(
    puerto: int, mezcla: list[tuple], clientes: int, peticiones: int, segundos: float
) -> dict:
    """`clientes` threads ask the mix's pages in turn until `peticiones`
    requests or `segundos` seconds; each (page, status, ms) and the wall time."""
    siguiente = iter(range(peticiones))
    candado = threading.Lock()
    medidas: list[tuple[str, int, float]] = []
    fallos: list[str] = []
    limite = time.monotonic() + segundos

    def cliente() -> None:
        while time.monotonic() < limite:
            with candado:
                i = next(siguiente, None)
            if i is None:
                return
            clave, cookies, ruta = mezcla[i % len(mezcla)]
            t = time.perf_counter()
            try:
                estado = pedir(puerto, "GET", ruta, cookies)[0]
            except OSError as exc:
                estado = 0
                fallos.append(f"{clave}: {type(exc).__name__}")
            dt = (time.perf_counter() - t) * 1000
            with candado:
                medidas.append((clave, estado, dt))

    hilos = [threading.Thread(target=cliente, daemon=True) for _i in range(clientes)]
    t = time.perf_counter()
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
    return {"medidas": medidas, "fallos": fallos, "segundos": time.perf_counter() - t}


# --- the report -------------------------------------------------------------------


def resumen(corrida: dict) -> dict[str, dict]:
    por_pagina: dict[str, list[float]] = defaultdict(list)
    for clave, _estado, ms in corrida["medidas"]:
        por_pagina[clave].append(ms)
    todas = [ms for _c, _e, ms in corrida["medidas"]]
    por_pagina["*"] = todas
    return {
        clave: {
            "n": len(v),
            "p50": portal._percentil(v, 0.50),
            "p95": portal._percentil(v, 0.95),
            "max": max(v),
        }
        for clave, v in por_pagina.items()
        if v
    }


def errores_de(corrida: dict) -> dict[str, int]:
    errores: dict[str, int] = defaultdict(int)
    for clave, estado, _ms in corrida["medidas"]:
        if estado != 200:
            errores[f"{clave} HTTP {estado}"] += 1
    return dict(errores)


def informar(args, mezcla_nombres, corrida, salud, carga) -> None:
    r, s = resumen(corrida), resumen(salud)
    rps = len(corrida["medidas"]) / corrida["segundos"]
    rps_salud = len(salud["medidas"]) / salud["segundos"]
    print(
        f"\n  gunicorn: {args.workers} workers {args.clase}, {args.hilos} hilo(s) "
        f"cada uno; {args.clientes} clientes concurrentes, una conexión por "
        f"pedido; {os.cpu_count()} núcleos; carga media (1 min) {carga[0]:.2f} "
        f"antes, {carga[1]:.2f} tras la mezcla, {carga[2]:.2f} al terminar"
    )
    print(
        f"\n  {'página':<36} {'pedidos':>8} {'p50 ms':>8} {'p95 ms':>8} {'máx ms':>8}"
    )
    for clave, nombre in [*mezcla_nombres, ("*", "toda la mezcla")]:
        if clave in r:
            x = r[clave]
            print(
                f"  {nombre:<36} {x['n']:>8} {x['p50']:>8.0f} {x['p95']:>8.0f} "
                f"{x['max']:>8.0f}"
            )
    x = s["*"]
    print(
        f"  {'referencia: /salud/':<36} {x['n']:>8} {x['p50']:>8.0f} "
        f"{x['p95']:>8.0f} {x['max']:>8.0f}"
    )
    print(
        f"\n  mezcla: {rps:.1f} pedidos/s en {corrida['segundos']:.1f} s; "
        f"/salud/: {rps_salud:.1f} pedidos/s en {salud['segundos']:.1f} s; "
        f"la mezcla rinde {rps / rps_salud:.3f} veces /salud/"
    )
    n = len(corrida["medidas"])
    print(
        "  CPU por pedido de la mezcla, por proceso: "
        + ", ".join(f"{k} {1000 * v / n:.1f} ms" for k, v in corrida["cpu"].items())
        + f" (con {os.cpu_count()} núcleos, {1000 * os.cpu_count() / rps:.0f} ms de "
        "núcleo por pedido en total; el resto es de otros procesos de la máquina)"
    )
    cumple = rps >= OBJETIVO_RPS and r["*"]["p95"] < OBJETIVO_P95_MS
    print(
        f"  objetivo: {OBJETIVO_RPS} pedidos/s con p95 < {OBJETIVO_P95_MS} ms: "
        + ("cumple" if cumple else "NO cumple")
    )


def informar_perfil(perfil: dict, nombres: dict[str, str]) -> None:
    print(
        f"\n  CPU de un pedido en un proceso (cliente de pruebas de Django, "
        f"cProfile con tiempo de CPU, {perfil['pedidos']} pedidos de la mezcla; "
        "sin gunicorn ni la red, ni el trabajo de PostgreSQL):"
    )
    for clave, ms in perfil["cpu_ms"].items():
        print(f"    {nombres[clave]:<36} {ms:>7.1f} ms (mediana, sin perfilador)")
    print(f"\n    {'dónde, tiempo propio':<40} {'ms/pedido':>10} {'parte':>7}")
    total = perfil["total_ms"]
    for grupo, ms in sorted(perfil["grupos_ms"].items(), key=lambda g: -g[1]):
        print(f"    {grupo:<40} {ms:>10.2f} {100 * ms / total:>6.1f} %")
    print(f"    {'total (con perfilador)':<40} {total:>10.2f}")
    print("\n    con lo que llama (ms por pedido, con perfilador):")
    for nombre, ms in perfil["inclusivo_ms"].items():
        print(f"    {nombre:<40} {ms:>10.2f}")
    print("\n    funciones que más gastan (propio / acumulado, ms por pedido):")
    for propio, acum, nombre in perfil["funciones"]:
        print(f"    {propio:>7.2f} {acum:>8.2f}  {nombre}")


# --- main ---------------------------------------------------------------------


def preparar_base(args) -> dict:
    """bench/portal.py's fill of the scratch database (or the one there)."""
    datos = portal.leer_meta() if args.reusar else None
    if (
        datos
        and datos["estudiantes"] == args.estudiantes
        and datos["anio"] == args.anio
    ):
        print(f"  base reutilizada ({BASE})", flush=True)
        return datos
    p = portal.parametros(args.estudiantes, args.anio)
    t_migrar = comun.base_nueva(BASE, portal.entorno())
    datos = portal.llenar(p, 2, t_migrar)
    print(f"  llenada en {sum(datos['llenado'].values()):.0f} s", flush=True)
    return datos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--estudiantes", type=int, default=200_000)
    parser.add_argument("--anio", type=int, default=2025, help="school year")
    parser.add_argument("--clientes", type=int, default=50)
    parser.add_argument("--peticiones", type=int, default=3000)
    parser.add_argument("--segundos", type=float, default=60)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--clase", default=CLASE, help="gunicorn worker class")
    parser.add_argument("--hilos", type=int, default=HILOS, help="threads per worker")
    parser.add_argument(
        "--perfil",
        type=int,
        default=20,
        help="rounds of the mix profiled in one process (0: none)",
    )
    parser.add_argument("--conservar", action="store_true")
    parser.add_argument(
        "--reusar", action="store_true", help="reuse the scratch database (kept)"
    )
    parser.add_argument("--paso", choices=sorted(PASOS), help=argparse.SUPPRESS)
    parser.add_argument("--datos", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.paso:
        hijo(args.paso, json.loads(args.datos))
        return
    if min(args.clientes, args.peticiones, args.workers, args.hilos) < 1:
        parser.error("--clientes, --peticiones, --workers and --hilos must be >= 1")

    print(f"{portal._miles(args.estudiantes)} estudiantes:", flush=True)
    servidor = None
    errores: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="bench-carga-") as tmp:
        env = entorno(str(Path(tmp) / "static"))
        try:
            datos = preparar_base(args)
            clave = secrets.token_urlsafe(18)
            preparado = en_hijo("usuarios", {**datos, "clave": clave}, env)
            rutas = preparado["rutas"]
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                cwd=RAIZ, env=env, check=True,
            )  # fmt: skip
            registro = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115
            servidor = Servidor(args, env, registro)
            servidor.esperar()
            puerto = servidor.puerto
            cookies = {
                c: ingresar(puerto, rutas["login"], u, clave)
                for c, u in preparado["usuarios"].items()
            }
            cookies["anonimo"] = {}
            # (key, name, who asks, address): the mix, in turn.
            mezcla = [
                ("login", "página de ingreso", "anonimo", rutas["login"]),
                ("seccion", "lista de la sección (tutor)", "tutor", rutas["seccion"]),
                ("ie", "IE de 3.000 (director)", "director", rutas["ie"]),
                ("ugel", "tablero de la UGEL", "ugel", rutas["ugel"]),
                ("estudiante", "estudiante (tutor)", "tutor", rutas["estudiante"]),
                ("libro", "libro de la sección (tutor)", "tutor", rutas["libro"]),
            ]
            nombres = [(c, n) for c, n, _u, _r in mezcla]
            a_pedir = [(c, cookies[u], r) for c, _n, u, r in mezcla]
            # Warm-up: every worker imports, compiles its templates and
            # connects before the clock starts.
            conducir(puerto, a_pedir, args.clientes, 5 * len(mezcla) * args.workers, 30)
            carga = [os.getloadavg()[0]]
            antes = cpu_procesos(servidor.proceso.pid)
            corrida = conducir(
                puerto, a_pedir, args.clientes, args.peticiones, args.segundos
            )
            despues = cpu_procesos(servidor.proceso.pid)
            carga.append(os.getloadavg()[0])
            corrida["cpu"] = {k: despues[k] - antes[k] for k in antes}
            salud = conducir(
                puerto,
                [("salud", {}, rutas["salud"])],
                args.clientes,
                args.peticiones,
                args.segundos,
            )
            carga.append(os.getloadavg()[0])
            servidor.parar()
            informar(args, nombres, corrida, salud, carga)
            errores = {**errores_de(corrida), **errores_de(salud)}
            for fallo in corrida["fallos"][:5] + salud["fallos"][:5]:
                print(f"  sin respuesta: {fallo}")
            if args.perfil:
                perfil = en_hijo(
                    "perfil",
                    {
                        "usuarios": preparado["usuarios"],
                        "mezcla": mezcla,
                        "rondas": args.perfil,
                    },
                    env,
                )
                informar_perfil(perfil, dict(nombres))
        finally:
            if servidor is not None:
                servidor.parar()
            if args.conservar or args.reusar:
                print(f"\n  conservada: la base {BASE}")
            else:
                psql_admin(BASE, f"DROP DATABASE IF EXISTS {BASE}")
    if errores:
        raise SystemExit(
            "pedidos con error: "
            + ", ".join(f"{k} ×{n}" for k, n in sorted(errores.items()))
        )


if __name__ == "__main__":
    main()
