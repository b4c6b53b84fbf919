"""`manage.py demo`, as `make run` calls it: a short Spanish console, an
account for every role."""

import logging
import os
import re
import sqlite3
import subprocess
import sys
import warnings
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


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[subprocess.CompletedProcess, str]:
    """The demo run in its own process on a fresh SQLite database, with the
    project's real settings and logging (no broker: the embedded setup)."""
    carpeta = tmp_path_factory.mktemp("demo")
    base = carpeta / "db.sqlite3"
    quitar = {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "LOG_LEVEL"}
    entorno = {k: v for k, v in os.environ.items() if k not in quitar}
    entorno.update(
        DATABASE_URL=f"sqlite:///{base}",
        MEDIA_ROOT=str(carpeta / "media"),
        DJANGO_SETTINGS_MODULE="alerta.settings",
    )
    r = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "demo",
            "--estudiantes",
            "1200",
            "--carpeta",
            str(carpeta / "archivos"),
        ],
        cwd=settings.BASE_DIR,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return r, str(base)


def test_it_finishes_and_says_so(demo):
    r, _base = demo
    assert r.returncode == 0, r.stderr
    assert "La demostración está lista" in r.stdout


def test_its_console_has_no_library_line_nor_any_log_below_warning(demo):
    r, _base = demo
    consola = r.stdout + r.stderr
    for ajena in AJENAS:
        assert ajena not in consola
    # The project's own log line of a scoring run (INFO) stays out too.
    assert "Ejecución de puntaje" not in consola
    assert r.stderr == ""


def test_each_step_is_one_line_with_its_time(demo):
    r, _base = demo
    pasos = [linea for linea in r.stdout.splitlines() if "…" in linea]
    assert len(pasos) == 5  # database, generation, import, training, scores
    for linea in pasos:
        assert re.search(r"\(\d+,\d s\)$", linea), linea


def test_it_prints_a_working_account_for_every_role_and_the_admin(demo, settings):
    r, base = demo
    # The demo's process hashed with the project's hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    cuentas = {}
    for linea in r.stdout.splitlines():
        if linea.startswith("  "):
            cuentas[linea[2:22].strip()] = linea[23:43].strip()
    with sqlite3.connect(base) as conexion:
        claves = dict(
            conexion.execute(f"SELECT username, password FROM {Usuario._meta.db_table}")
        )
    for rol in [*Rol.labels, "Administrador"]:
        assert rol in cuentas, rol
        assert check_password(CLAVE_DEMO, claves[cuentas[rol]]), rol


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
