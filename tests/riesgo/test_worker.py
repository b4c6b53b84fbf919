"""The scoring task travels through Redis to a real Celery worker process."""

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from alerta.celery import app as celery_app
from alerta.models import Matricula
from riesgo.models import EjecucionPuntaje, EstadoEjecucion, Puntaje
from riesgo.tasks import puntuar_estudiantes
from riesgo.training import modelo_entrenar
from riesgo.versiones import modelo_publicar
from siagie_import.services import archivos_de_carpeta, importacion_ejecutar
from tests.conftest import servicios_reales

RAIZ = Path(django_settings.BASE_DIR)


@pytest.fixture
def arrancar_worker(transactional_db, settings, tmp_path):
    """Start Celery worker processes on one queue of their own, reading the test
    database; all of them are stopped at the end."""
    servicios_reales()
    settings.MEDIA_ROOT = tmp_path
    db = connection.settings_dict
    cola = f"prueba-{uuid.uuid4().hex[:8]}"
    entorno = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "MEDIA_ROOT": str(tmp_path),
    }
    procesos = []

    def arrancar(*, broker: str | None = None) -> subprocess.Popen:
        """A worker on the test's queue, or, given its own `broker`, on that
        broker's default queue (where the portal sends its tasks)."""
        extra = {}
        if broker:
            extra = {"CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": broker}
        proceso = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "alerta",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                *([] if broker else ["-Q", cola]),
                "-n",
                f"{cola}-{len(procesos)}@%h",
            ],
            cwd=RAIZ,
            env={**entorno, **extra},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        procesos.append(proceso)
        return proceso

    arrancar.cola = cola
    yield arrancar
    for proceso in procesos:
        if proceso.poll() is None:
            proceso.terminate()
            try:
                proceso.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proceso.kill()


@pytest.fixture
def worker(arrancar_worker):
    return arrancar_worker.cola, arrancar_worker()


def _estudiantes_vigentes(anio: int) -> int:
    """Students a run of `anio` must score: those still in their sección,
    but for 5.º de secundaria, which has no risk."""
    return (
        Matricula.objects.vigentes()
        .con_riesgo()
        .filter(seccion__anio=anio)
        .values("estudiante")
        .distinct()
        .count()
    )


@pytest.mark.servicios
def test_scoring_task_runs_on_a_worker_and_scores_land_in_postgresql(
    worker, carpeta_generada
):
    cola, proceso = worker
    for ruta in archivos_de_carpeta(carpeta_generada):
        importacion_ejecutar(ruta=ruta)
    modelo_publicar(modelo=modelo_entrenar(), aunque_no_supere_base=True)

    assert not celery_app.conf.task_always_eager
    enviada = puntuar_estudiantes.apply_async(queue=cola)

    limite = time.monotonic() + 120
    ejecucion = None
    while time.monotonic() < limite:
        ejecucion = EjecucionPuntaje.objects.filter(
            estado__in=[EstadoEjecucion.EXITOSA, EstadoEjecucion.FALLIDA]
        ).first()
        if ejecucion or proceso.poll() is not None:
            break
        time.sleep(0.5)
    if ejecucion is None or ejecucion.estado != EstadoEjecucion.EXITOSA:
        proceso.terminate()
        salida = proceso.communicate(timeout=20)[0]
        pytest.fail(
            f"the worker did not score: {ejecucion and ejecucion.error}\n"
            f"{salida[-3000:]}"
        )

    esperados = _estudiantes_vigentes(ejecucion.anio)
    assert esperados > 0
    assert Puntaje.objects.filter(ejecucion=ejecucion).count() == esperados
    # The worker process, not this one, ran it.
    proceso.terminate()
    salida = proceso.communicate(timeout=20)[0]
    assert f"riesgo.tasks.puntuar_estudiantes[{enviada.id}] succeeded" in salida


@pytest.mark.servicios
def test_an_uploaded_file_is_processed_by_the_worker_with_its_report(
    worker, carpeta_generada
):
    from siagie_import.models import EstadoImportacion, Importacion
    from siagie_import.services import importacion_registrar
    from siagie_import.tasks import procesar_importacion

    cola, proceso = worker
    ruta = carpeta_generada / "padron_iiee.csv"
    with ruta.open("rb") as f:
        importacion = importacion_registrar(archivo=f, nombre=ruta.name)
    enviada = procesar_importacion.apply_async((importacion.pk,), queue=cola)

    limite = time.monotonic() + 60
    while time.monotonic() < limite and proceso.poll() is None:
        importacion.refresh_from_db()
        if importacion.estado in (
            EstadoImportacion.COMPLETADA,
            EstadoImportacion.FALLIDA,
        ):
            break
        time.sleep(0.5)
    assert importacion.estado == EstadoImportacion.COMPLETADA, importacion.mensaje
    assert importacion.filas_aceptadas == importacion.filas_leidas > 0
    assert Importacion.objects.count() == 1
    proceso.terminate()
    salida = proceso.communicate(timeout=20)[0]
    assert f"siagie_import.tasks.procesar_importacion[{enviada.id}] succeeded" in salida


def _esperar(condicion, segundos: float, paso: float = 0.05) -> bool:
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        if condicion():
            return True
        time.sleep(paso)
    return False


@pytest.mark.servicios
def test_killing_the_worker_mid_run_then_resuming_leaves_complete_scores(
    arrancar_worker, carpeta_generada, client
):
    """Yesterday's scores are the ones pages show while today's run is
    incomplete (running, its worker killed, resumed) and until it ends."""
    from riesgo.models import LoteEjecucion
    from riesgo.scoring import puntaje_ejecutar, puntaje_iniciar
    from riesgo.tasks import ejecucion_lanzar, ejecucion_reanudar

    for ruta in archivos_de_carpeta(carpeta_generada):
        importacion_ejecutar(ruta=ruta)
    modelo_publicar(modelo=modelo_entrenar(), aunque_no_supere_base=True)

    # Yesterday's successful run, with one student's score marked so that a
    # page tells it from today's.
    ayer = puntaje_ejecutar()
    assert ayer.estado == EstadoEjecucion.EXITOSA
    EjecucionPuntaje.objects.filter(pk=ayer.pk).update(
        inicio=ayer.inicio - dt.timedelta(days=1)
    )
    marcado = Puntaje.objects.filter(ejecucion=ayer).order_by("pk").first()
    estudiante = marcado.matricula.estudiante
    client.force_login(_minedu())
    pagina = reverse("estudiante_detalle", args=[estudiante.uuid])

    def lo_que_muestra() -> tuple[int, str]:
        r = client.get(pagina)
        assert r.status_code == 200
        return r.context["ejecucion"].pk, r.context["ficha"].probabilidad

    _, de_hoy = lo_que_muestra()  # the same model and data score it the same
    Puntaje.objects.filter(pk=marcado.pk).update(
        probabilidad=0.001 if marcado.probabilidad > 0.5 else 0.999
    )
    de_ayer = lo_que_muestra()
    assert de_ayer[0] == ayer.pk and de_ayer[1] != de_hoy
    puntajes_de_ayer = Puntaje.objects.filter(ejecucion=ayer).count()

    # A run whose chunks are single IEs: many small tasks to cut through.
    ejecucion = puntaje_iniciar(tamano_lote=1)
    assert ejecucion.lotes >= 10
    cola = arrancar_worker.cola

    primero = arrancar_worker()
    ejecucion_lanzar(ejecucion, cola=cola)
    lotes = LoteEjecucion.objects.filter(ejecucion=ejecucion)
    assert _esperar(lambda: lotes.filter(hecho=True).count() >= 2, 90), (
        "the first worker scored nothing"
    )
    assert lo_que_muestra() == de_ayer  # while the run goes on
    primero.kill()  # SIGKILL: no clean shutdown, a chunk may be cut half-way
    primero.wait(timeout=20)
    hechos = lotes.filter(hecho=True).count()
    assert 2 <= hechos < ejecucion.lotes, "the run ended before the worker was killed"
    ejecucion.refresh_from_db()
    assert ejecucion.estado == EstadoEjecucion.EN_CURSO
    assert EjecucionPuntaje.objects.vigente() == ayer
    assert lo_que_muestra() == de_ayer  # after the kill
    # What the finished chunks wrote is all there is: nothing half-written.
    assert Puntaje.objects.filter(ejecucion=ejecucion).count() == sum(
        lotes.filter(hecho=True).values_list("estudiantes", flat=True)
    )

    segundo = arrancar_worker()
    ejecucion_reanudar(ejecucion, cola=cola)
    assert lo_que_muestra() == de_ayer  # while the resumed run goes on

    def terminada() -> bool:
        ejecucion.refresh_from_db()
        return ejecucion.estado != EstadoEjecucion.EN_CURSO

    if not _esperar(terminada, 180, paso=0.5) or (
        ejecucion.estado != EstadoEjecucion.EXITOSA
    ):
        segundo.terminate()
        salida = segundo.communicate(timeout=20)[0]
        pytest.fail(
            f"the resumed run did not finish: {ejecucion.error}\n{salida[-3000:]}"
        )

    esperados = _estudiantes_vigentes(ejecucion.anio)
    puntajes = Puntaje.objects.filter(ejecucion=ejecucion)
    assert puntajes.count() == esperados == ejecucion.estudiantes
    assert puntajes.values("matricula").distinct().count() == esperados
    assert not lotes.filter(hecho=False).exists()
    assert EjecucionPuntaje.objects.vigente() == ejecucion
    assert lo_que_muestra() == (ejecucion.pk, de_hoy)  # today's, once it ended
    # Yesterday's scores are kept, as they were.
    assert Puntaje.objects.filter(ejecucion=ayer).count() == puntajes_de_ayer


def _minedu():
    from alerta.models import Rol
    from tests.factories import UsuarioFactory, asignar

    usuario = UsuarioFactory(username="nadia")
    asignar(usuario, Rol.NACIONAL)
    return usuario
