"""No import stays "en curso": its status commits with its rows, and a sweep
closes an import whose process died, never one still loading."""

import csv
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import DatabaseError, connection, connections
from django.urls import reverse
from django.utils import timezone

from alerta.models import Rol
from siagie_import import procesos, services
from siagie_import.models import EstadoImportacion, Importacion, TipoArchivo
from siagie_import.services import (
    importacion_ejecutar,
    importaciones_cerrar_interrumpidas,
    mensaje_interrumpida,
)
from tests.factories import UsuarioFactory, asignar
from tests.riesgo.test_worker import arrancar_worker  # noqa: F401 (a fixture)

from .test_importar import PADRON, _nomina, escribir

RAIZ = Path(django_settings.BASE_DIR)
FILAS_NOMINA = 100_000  # five chunks of 20,000: a kill after the first is mid-file

# The real import of one file, in a process of its own. It prints its progress;
# with PAUSA set it waits for a line on stdin once it is mid-file.
IMPORTAR = """
import os, sys
from pathlib import Path
import django
django.setup()
from siagie_import.services import importacion_ejecutar

def progreso(hechas, total):
    print("progreso", hechas, total, flush=True)
    if os.environ.get("PAUSA") and 0 < hechas < total:
        sys.stdin.readline()

imp = importacion_ejecutar(ruta=Path(sys.argv[1]), progreso=progreso)
print("fin", imp.estado, flush=True)
"""


def importacion(**campos) -> Importacion:
    valores = {
        "tipo": TipoArchivo.PADRON,
        "nombre_archivo": "padron_iiee.csv",
        "sha256": "0" * 64,
        "estado": EstadoImportacion.EN_CURSO,
        "procesando_desde": timezone.now(),
    }
    valores.update(campos)
    return Importacion.objects.create(**valores)


def nomina_grande(carpeta: Path) -> Path:
    ruta = carpeta / "nomina_2026.csv"
    campos = list(_nomina())
    with ruta.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(campos)
        for n in range(1, FILAS_NOMINA + 1):
            fila = _nomina(
                GRADO=str(n % 4 + 1),
                SECCION="ABCDE"[n % 5],
                COD_ESTUDIANTE=f"{n:014d}",
                NUMERO_DOCUMENTO=f"{70000000 + n}",
            )
            w.writerow(fila.values())
    return ruta


def filas_por_tabla() -> dict[str, int]:
    """Rows of every table but the imports' own record."""
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m is not Importacion and m._meta.managed
    }


@contextmanager
def base_compartida(carpeta: Path):
    """A database URL another process can open, holding what this test wrote.

    On PostgreSQL, the test database itself. SQLite's test database lives in
    this process's memory: it is copied to a file for the other process and,
    once that process is over, the file (as SQLite recovers it after a crash)
    is copied back.
    """
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        clave = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        yield (
            f"postgres://{db['USER']}{clave}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        return
    archivo = carpeta / "compartida.sqlite3"
    connection.ensure_connection()
    destino = sqlite3.connect(archivo)
    connection.connection.backup(destino)
    destino.close()
    try:
        yield f"sqlite:///{archivo}"
    finally:
        origen = sqlite3.connect(archivo)
        origen.backup(connection.connection)
        origen.close()


def lanzar(ruta: Path, url: str, media: Path, **entorno) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", IMPORTAR, str(ruta)],
        cwd=RAIZ,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(media),
            "CELERY_BROKER_URL": "",
            **entorno,
        },
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def esperar_mitad(proceso: subprocess.Popen) -> tuple[int, int]:
    """Read the progress until the file is part-way loaded."""
    for linea in proceso.stdout:
        if linea.startswith("progreso"):
            hechas, total = map(int, linea.split()[1:])
            if 0 < hechas < total:
                return hechas, total
    proceso.wait(timeout=60)
    pytest.fail(f"the import never was mid-file:\n{proceso.stderr.read()}")


def cerrar_cuando_muera(limite_s: float = 60) -> list[int]:
    """Sweep until it closes something: PostgreSQL ends a dead client's session
    (and so frees its lock) once it notices the connection is gone."""
    fin = time.monotonic() + limite_s
    while not (cerradas := importaciones_cerrar_interrumpidas()):
        if time.monotonic() > fin:
            return []
        time.sleep(0.2)
    return cerradas


@pytest.fixture
def minedu(db):
    usuario = UsuarioFactory(username="nadia")
    asignar(usuario, Rol.NACIONAL)
    return usuario


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_file_is_closed_as_failed_and_leaves_nothing(
    tmp_path, client, minedu
):
    importacion_ejecutar(ruta=escribir(tmp_path, "padron_iiee.csv", PADRON))
    ruta = nomina_grande(tmp_path)
    antes = filas_por_tabla()

    with base_compartida(tmp_path) as url:
        proceso = lanzar(ruta, url, tmp_path / "media")
        try:
            hechas, total = esperar_mitad(proceso)
        finally:
            proceso.send_signal(signal.SIGKILL)
            proceso.communicate(timeout=60)  # reaped: no zombie left
    assert proceso.returncode == -signal.SIGKILL
    assert 0 < hechas < total == FILAS_NOMINA

    imp = Importacion.objects.get(tipo=TipoArchivo.NOMINA)
    assert imp.estado == EstadoImportacion.EN_CURSO  # as the death left it
    assert cerrar_cuando_muera() == [imp.pk]

    imp.refresh_from_db()
    assert imp.estado == EstadoImportacion.FALLIDA
    assert imp.mensaje == mensaje_interrumpida()
    assert "no se importó nada" in imp.mensaje
    assert (imp.filas_leidas, imp.filas_aceptadas, imp.filas_rechazadas) == (0, 0, 0)
    assert imp.terminada is not None
    assert filas_por_tabla() == antes  # no row of the file in any table

    client.force_login(minedu)
    pagina = client.get(reverse("importacion:detalle", args=[imp.pk]))
    assert pagina.context["en_proceso"] is False
    assert 'id="avance"' not in pagina.content.decode()  # nothing polls
    assert "Vuelva a cargar el archivo" in pagina.content.decode()
    avance = client.get(reverse("importacion:progreso", args=[imp.pk])).json()
    assert avance["estado"] == EstadoImportacion.FALLIDA

    # Loading the file again works, and the sweep leaves the new import alone.
    otra = importacion_ejecutar(ruta=ruta)
    assert otra.estado == EstadoImportacion.COMPLETADA
    assert otra.filas_aceptadas == FILAS_NOMINA
    assert importaciones_cerrar_interrumpidas() == []


@pytest.mark.django_db(transaction=True)
def test_a_live_import_mid_file_is_left_alone_and_completes(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's writer locks the file: tested with this process below")
    importacion_ejecutar(ruta=escribir(tmp_path, "padron_iiee.csv", PADRON))
    ruta = nomina_grande(tmp_path)

    with base_compartida(tmp_path) as url:
        proceso = lanzar(ruta, url, tmp_path / "media", PAUSA="1")
        try:
            esperar_mitad(proceso)  # now waiting, its transaction open
            imp = Importacion.objects.get(tipo=TipoArchivo.NOMINA)
            assert imp.estado == EstadoImportacion.EN_CURSO
            assert importaciones_cerrar_interrumpidas() == []
            salida, errores = proceso.communicate("sigue\n", timeout=120)
        finally:
            if proceso.poll() is None:
                proceso.kill()
                proceso.wait()
    assert "fin COMPLETADA" in salida, errores
    imp.refresh_from_db()
    assert imp.estado == EstadoImportacion.COMPLETADA
    assert imp.filas_aceptadas == FILAS_NOMINA


@pytest.mark.django_db
def test_the_status_commits_with_the_data(tmp_path, monkeypatch):
    """A process that dies right after the data's commit (here, in ANALYZE)
    leaves the import complete, with its counts."""

    def morir(tipo: str) -> None:
        raise SystemExit(137)

    monkeypatch.setattr(services, "estadisticas_actualizar", morir)
    with pytest.raises(SystemExit):
        importacion_ejecutar(ruta=escribir(tmp_path, "padron_iiee.csv", PADRON))
    imp = Importacion.objects.get()
    assert imp.estado == EstadoImportacion.COMPLETADA
    assert (imp.filas_leidas, imp.filas_aceptadas) == (len(PADRON), len(PADRON))
    assert imp.duracion_s is not None and imp.terminada is not None


@pytest.mark.django_db
def test_on_sqlite_an_import_of_this_live_process_is_left_alone():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL tells by the import's lock")
    imp = importacion(proceso=procesos.identidad_actual())
    assert importaciones_cerrar_interrumpidas() == []
    imp.refresh_from_db()
    assert imp.estado == EstadoImportacion.EN_CURSO


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_lock_another_session_holds_is_left_alone():
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    imp = importacion()
    otra = connections.create_connection("default")
    try:
        with otra.cursor() as cur:
            cur.execute(
                "SELECT pg_advisory_lock(%s, %s)", [procesos.ESPACIO_BLOQUEOS, imp.pk]
            )
        assert importaciones_cerrar_interrumpidas() == []
        imp.refresh_from_db()
        assert imp.estado == EstadoImportacion.EN_CURSO
    finally:
        otra.close()  # its session ends: the lock goes with it
    # The server ends that session a moment after the client hangs up.
    _esperar_sin_bloqueo(imp.pk)
    assert importaciones_cerrar_interrumpidas() == [imp.pk]


def _esperar_sin_bloqueo(pk: int, segundos: float = 10) -> None:
    limite = time.monotonic() + segundos
    with connection.cursor() as cur:
        while time.monotonic() < limite:
            cur.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND classid = %s AND objid = %s AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())",
                [procesos.ESPACIO_BLOQUEOS, pk],
            )
            if cur.fetchone()[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError("the other session's lock was not released")


@pytest.mark.django_db
def test_on_sqlite_a_live_process_keeps_its_import_and_a_dead_one_loses_it():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL tells by the import's lock")
    proceso = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        host = procesos.identidad_actual().split(":")[0]
        inicio = procesos._inicio(proceso.pid)
        imp = importacion(proceso=f"{host}:{proceso.pid}:{inicio}")
        assert importaciones_cerrar_interrumpidas() == []
    finally:
        proceso.kill()
        proceso.wait()
    assert importaciones_cerrar_interrumpidas() == [imp.pk]


@pytest.mark.django_db
def test_on_sqlite_a_later_process_with_the_same_pid_is_not_taken_for_the_dead_one():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL tells by the import's lock")
    host, pid, inicio = procesos.identidad_actual().split(":")
    imp = importacion(proceso=f"{host}:{pid}:{inicio}1")  # started at another time
    assert importaciones_cerrar_interrumpidas() == [imp.pk]


@pytest.mark.django_db
def test_on_sqlite_an_import_of_another_host_is_closed_only_after_the_time_limit(
    settings,
):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL tells by the import's lock")
    settings.CELERY_TASK_TIME_LIMIT = 3600
    reciente = importacion(proceso="otro-servidor:42:1")
    vieja = importacion(
        proceso="otro-servidor:43:1",
        procesando_desde=timezone.now() - dt.timedelta(hours=2),
    )
    assert importaciones_cerrar_interrumpidas() == [vieja.pk]
    reciente.refresh_from_db()
    assert reciente.estado == EstadoImportacion.EN_CURSO


@pytest.mark.django_db
@pytest.mark.parametrize(
    "estado",
    [
        EstadoImportacion.COMPLETADA,
        EstadoImportacion.FALLIDA,
        EstadoImportacion.PENDIENTE,
    ],
)
def test_an_import_not_en_curso_is_never_touched(estado):
    imp = importacion(
        estado=estado,
        proceso="otro-servidor:1:1",
        procesando_desde=timezone.now() - dt.timedelta(days=30),
        filas_leidas=10,
        filas_aceptadas=10,
    )
    antes = Importacion.objects.values().get(pk=imp.pk)
    assert importaciones_cerrar_interrumpidas() == []
    assert Importacion.objects.values().get(pk=imp.pk) == antes


@pytest.mark.django_db
def test_an_import_no_longer_queued_is_not_loaded_again(tmp_path):
    imp = importacion_ejecutar(ruta=escribir(tmp_path, "padron_iiee.csv", PADRON))
    Importacion.objects.filter(pk=imp.pk).update(
        estado=EstadoImportacion.FALLIDA, mensaje=mensaje_interrumpida()
    )
    de_nuevo = services.importacion_procesar(importacion_id=imp.pk)
    assert de_nuevo.estado == EstadoImportacion.FALLIDA
    assert de_nuevo.mensaje == mensaje_interrumpida()


@pytest.mark.django_db
def test_the_page_of_a_dead_import_closes_it_and_stops_polling(client, minedu):
    imp = importacion(proceso="otro-servidor:1:1", procesando_desde=None)
    Importacion.objects.filter(pk=imp.pk).update(
        iniciada=timezone.now() - dt.timedelta(days=1)
    )
    client.force_login(minedu)
    avance = client.get(reverse("importacion:progreso", args=[imp.pk])).json()
    assert avance["estado"] == EstadoImportacion.FALLIDA
    pagina = client.get(reverse("importacion:detalle", args=[imp.pk]))
    assert 'id="avance"' not in pagina.content.decode()


def test_the_sweep_runs_from_celery_beat_and_when_a_worker_starts(monkeypatch):
    from celery.signals import worker_ready

    from alerta.celery import app
    from siagie_import import tasks

    [entrada] = [
        e
        for e in django_settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "siagie_import.tasks.cerrar_importaciones_interrumpidas"
    ]
    assert entrada["task"] in app.tasks
    llamadas = []
    monkeypatch.setattr(
        tasks, "cerrar_importaciones_interrumpidas", lambda: llamadas.append(1)
    )
    worker_ready.send(sender=None)
    assert llamadas == [1]


@pytest.mark.django_db
def test_importar_siagie_closes_a_dead_import_before_loading(tmp_path, capsys):
    from django.core.management import call_command

    muerta = importacion(
        proceso="otro-servidor:1:1",
        procesando_desde=timezone.now() - dt.timedelta(days=1),
    )
    ruta = escribir(tmp_path, "padron_iiee.csv", PADRON)
    call_command("importar_siagie", str(ruta), "--sin-progreso")
    muerta.refresh_from_db()
    assert muerta.estado == EstadoImportacion.FALLIDA
    assert (
        f"La importación {muerta.pk} se había interrumpido" in capsys.readouterr().out
    )
    assert Importacion.objects.exclude(pk=muerta.pk).get().terminada_ok


@pytest.mark.servicios
@pytest.mark.django_db(transaction=True)
def test_a_worker_that_starts_closes_a_dead_import(request):
    arrancar = request.getfixturevalue("arrancar_worker")  # skips without services
    muerta = importacion(proceso="otro-servidor:1:1")
    proceso = arrancar()
    fin = time.monotonic() + 120
    while time.monotonic() < fin and proceso.poll() is None:
        muerta.refresh_from_db()
        if muerta.estado != EstadoImportacion.EN_CURSO:
            break
        time.sleep(0.5)
    assert muerta.estado == EstadoImportacion.FALLIDA
    assert muerta.mensaje == mensaje_interrumpida()


@pytest.mark.django_db(transaction=True)
def test_a_lock_that_cannot_be_released_goes_with_its_connection(monkeypatch):
    """A web process keeps its connection (CONN_MAX_AGE): if the unlock fails,
    the connection is closed, so that the lock does not outlive the import and
    make it look alive to the sweep."""
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    imp = importacion()

    def libre_para_otra_sesion() -> bool:
        otra = connections.create_connection("default")
        try:
            with otra.cursor() as cur:
                cur.execute(
                    "SELECT pg_try_advisory_lock(%s, %s)",
                    [procesos.ESPACIO_BLOQUEOS, imp.pk],
                )
                return cur.fetchone()[0]
        finally:
            otra.close()

    with procesos.bloqueo(imp.pk):
        assert not libre_para_otra_sesion()

        cursor = connection.cursor

        def falla_al_soltar(*args, **kwargs):
            cur = cursor(*args, **kwargs)
            ejecutar = cur.execute

            def execute(sql, params=None):
                if "pg_advisory_unlock" in sql:
                    raise DatabaseError("la conexión se perdió")
                return ejecutar(sql, params)

            cur.execute = execute
            return cur

        monkeypatch.setattr(connection, "cursor", falla_al_soltar)
    monkeypatch.undo()
    assert connection.connection is None  # closed: its locks went with it
    assert libre_para_otra_sesion()
