"""The scoring task travels through Redis to a real Celery worker process."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

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
def worker(transactional_db, settings, tmp_path):
    """A Celery worker process on its own queue, reading the test database."""
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
            "-Q",
            cola,
            "-n",
            f"{cola}@%h",
        ],
        cwd=RAIZ,
        env=entorno,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield cola, proceso
    proceso.terminate()
    try:
        proceso.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proceso.kill()


@pytest.mark.servicios
def test_scoring_task_runs_on_a_worker_and_scores_land_in_postgresql(
    worker, carpeta_generada
):
    cola, proceso = worker
    for ruta in archivos_de_carpeta(carpeta_generada):
        importacion_ejecutar(ruta=ruta)
    modelo_publicar(modelo=modelo_entrenar())

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

    esperados = (
        Matricula.objects.vigentes()
        .filter(seccion__anio=ejecucion.anio)
        .values("estudiante")
        .distinct()
        .count()
    )
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
