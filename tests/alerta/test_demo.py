"""`manage.py demo`, as `make run` calls it: a short Spanish console, an
account for every role."""

import logging
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from dataclasses import dataclass
from io import StringIO

import pytest
from django.conf import global_settings, settings
from django.contrib.auth.hashers import check_password

from alerta.management.commands.demo import CLAVE_DEMO, consola_en_silencio
from alerta.models import Rol, Usuario

# What the console showed before: the libraries' English lines, Django's
# migration list, Python's warnings.
AJENAS = (
    "Scoring run",
    "hostname",
    "Warning",
    "WARNING",
    "Traceback",
    "Applying",
    "Operations to perform",
)


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Demo:
    puerto: int
    salida: str
    errores: str
    base: str
    portada: int  # the status of the first page


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Demo:
    """`make run`'s command in its own process on a fresh SQLite database, with
    the project's real settings and logging (no broker: the embedded setup),
    until its first page answers; then a page that does not exist, and stop."""
    carpeta = tmp_path_factory.mktemp("demo")
    base = carpeta / "db.sqlite3"
    quitar = {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "LOG_LEVEL"}
    entorno = {k: v for k, v in os.environ.items() if k not in quitar}
    entorno.update(
        DATABASE_URL=f"sqlite:///{base}",
        MEDIA_ROOT=str(carpeta / "media"),
        DJANGO_SETTINGS_MODULE="alerta.settings",
    )
    puerto = _puerto_libre()
    argumentos = ["--estudiantes", "1200", "--carpeta", str(carpeta / "archivos")]
    proceso = subprocess.Popen(
        [sys.executable, "manage.py", "demo", *argumentos, "--puerto", str(puerto)],
        cwd=settings.BASE_DIR,
        env=entorno,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    portada = None
    try:
        limite = time.monotonic() + 600
        while portada is None and time.monotonic() < limite:
            assert proceso.poll() is None, proceso.communicate()
            portada = _estado(f"http://127.0.0.1:{puerto}/")
            time.sleep(0.5)
        assert _estado(f"http://127.0.0.1:{puerto}/no-existe/") == 404
    finally:
        proceso.terminate()
        salida, errores = proceso.communicate(timeout=60)
    return Demo(puerto, salida, errores, str(base), portada)


def _estado(url: str) -> int | None:
    """The status of a GET without following redirects; None if nothing answers."""

    class SinRedirigir(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        return urllib.request.build_opener(SinRedirigir).open(url, timeout=5).status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def test_it_prepares_everything_then_serves_the_first_page(demo):
    assert "La demostración está lista" in demo.salida
    assert f"http://127.0.0.1:{demo.puerto}/" in demo.salida
    assert demo.portada == 302  # to the login page


def test_its_console_has_no_library_line_nor_any_log_below_warning(demo):
    consola = demo.salida + demo.errores
    for ajena in AJENAS:
        assert ajena not in consola
    # The project's own log line of a scoring run (INFO) stays out too, and so
    # do the server's banner and its line per request (the 404's included).
    assert "Ejecución de puntaje" not in consola
    assert "Django version" not in consola and "GET /" not in consola
    assert "Not Found" not in consola
    assert demo.errores == ""


def test_each_step_is_one_line_with_its_time(demo):
    pasos = [linea for linea in demo.salida.splitlines() if "…" in linea]
    # database, generation, import, training, last year's outcome report,
    # scores, follow-up, use
    assert len(pasos) == 8
    for linea in pasos:
        assert re.search(r"\(\d+,\d s\)$", linea), linea


def test_it_prints_a_working_account_for_every_role_and_the_admin(demo, settings):
    # The demo's process hashed with the project's hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    cuentas = {}
    for linea in demo.salida.splitlines():
        if linea.startswith("  "):
            cuentas[linea[2:22].strip()] = linea[23:43].strip()
    with sqlite3.connect(demo.base) as conexion:
        claves = dict(
            conexion.execute(f"SELECT username, password FROM {Usuario._meta.db_table}")
        )
    for rol in [*Rol.labels, "Administrador"]:
        assert rol in cuentas, rol
        assert check_password(CLAVE_DEMO, claves[cuentas[rol]]), rol


def test_the_demo_tutors_seccion_has_follow_up_to_show(demo):
    cuentas = {
        linea[2:22].strip(): linea[23:43].strip()
        for linea in demo.salida.splitlines()
        if linea.startswith("  ")
    }
    with sqlite3.connect(demo.base) as conexion:
        acciones, reservadas, registros = conexion.execute(
            "SELECT (SELECT count(*) FROM seguimiento_accionseguimiento a"
            "        WHERE a.seccion_id = s.id),"
            "       (SELECT count(*) FROM seguimiento_accionseguimiento a"
            "        WHERE a.seccion_id = s.id AND a.reservada"
            "        AND a.autor_id <> t.usuario_id),"
            "       (SELECT count(*) FROM seguimiento_registromensual r"
            "        WHERE r.seccion_id = s.id)"
            " FROM alerta_seccion s"
            " JOIN alerta_asignacion t ON t.seccion_id = s.id"
            " JOIN alerta_usuario u ON u.id = t.usuario_id"
            " WHERE u.username = ? ORDER BY s.anio DESC LIMIT 1",
            [cuentas["Docente tutor"]],
        ).fetchone()
    assert acciones > 0 and registros > 0
    # A reserved note by someone else: the tutor sees that it exists.
    assert reservadas >= 1


def test_the_specialists_ugel_has_use_to_monitor(demo):
    cuentas = {
        linea[2:22].strip(): linea[23:43].strip()
        for linea in demo.salida.splitlines()
        if linea.startswith("  ")
    }
    with sqlite3.connect(demo.base) as conexion:
        docentes, activos, nunca, semanas = conexion.execute(
            "SELECT sum(i.docentes), sum(i.activos), sum(i.nunca_ingresaron),"
            "       (SELECT count(*) FROM monitoreo_usoambitosemana w"
            "        WHERE w.tipo = 'ugel' AND w.ambito_id = a.ugel_id"
            "        AND w.activos > 0)"
            " FROM monitoreo_usoie i"
            " JOIN alerta_asignacion a ON a.ugel_id = i.ugel_id"
            " JOIN alerta_usuario u ON u.id = a.usuario_id"
            " WHERE u.username = ?",
            [cuentas["Especialista UGEL"]],
        ).fetchone()
    # Some teachers used it, some never signed in, over several weeks.
    assert 0 < activos < docentes
    assert 0 < nunca < docentes
    assert semanas >= 8


def test_the_quiet_console_keeps_warnings_of_loggers_and_restores_the_rest():
    flujo = StringIO()
    manejador = logging.StreamHandler(flujo)
    raiz = logging.getLogger()
    raiz.addHandler(manejador)
    try:
        with warnings.catch_warnings(record=True) as avisos:
            warnings.simplefilter("always")
            with consola_en_silencio():
                logging.getLogger("kombu").info("info-de-biblioteca")
                logging.getLogger("riesgo.scoring").warning("aviso-propio")
                warnings.warn("aviso-de-python", UserWarning, stacklevel=1)
            warnings.warn("aviso-despues", UserWarning, stacklevel=1)
        logging.getLogger("riesgo.scoring").warning("aviso-despues")
    finally:
        raiz.removeHandler(manejador)
    texto = flujo.getvalue()
    assert "info-de-biblioteca" not in texto
    assert "aviso-propio" in texto
    assert [str(a.message) for a in avisos] == ["aviso-despues"]
    assert logging.root.manager.disable == logging.NOTSET
