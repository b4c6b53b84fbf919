"""Redis stopped during a web upload, on the real services: a Redis of the
test's own (never the shared one) is stopped before the upload, started
again, and a real worker on it loads the file once it is retried."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.urls import reverse

from alerta.celery import app as celery_app
from alerta.models import Rol
from siagie_import.models import EstadoImportacion, Importacion
from tests.conftest import servicios_reales
from tests.factories import UsuarioFactory, asignar
from tests.riesgo.test_worker import arrancar_worker  # noqa: F401, F811 (a fixture)

from .test_vistas import FILA_VALIDA, padron_csv, subir

# Queueing with the broker down must answer the user at once, not after
# kombu's default retries.
SUBIDA_MAXIMA_S = 5


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def responde(puerto: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", puerto), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisPropio:
    """A throwaway redis-server on a free loopback port, without persistence."""

    def __init__(self, puerto: int):
        self.puerto = puerto
        self.url = f"redis://127.0.0.1:{puerto}/0"
        self.proceso: subprocess.Popen | None = None

    def arrancar(self) -> None:
        self.proceso = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.puerto),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        limite = time.monotonic() + 10
        while not responde(self.puerto):
            assert time.monotonic() < limite, "redis-server did not start"
            time.sleep(0.05)

    def detener(self) -> None:
        if self.proceso and self.proceso.poll() is None:
            self.proceso.terminate()
            self.proceso.wait(timeout=10)
        assert not responde(self.puerto)


@pytest.fixture
def redis_propio():
    servicios_reales()
    if not shutil.which("redis-server"):
        mensaje = "needs redis-server"
        if os.environ.get("ALERTA_SERVICIOS_OBLIGATORIOS"):
            pytest.fail(mensaje)
        pytest.skip(mensaje)
    redis = RedisPropio(puerto_libre())
    redis.arrancar()
    # The portal (this process) publishes to it from now on. Celery reads the
    # broker from the environment first, and keeps its connection pools.
    with pytest.MonkeyPatch.context() as entorno:
        entorno.setenv("CELERY_BROKER_URL", redis.url)
        pools_nuevos()
        yield redis
        redis.detener()
    pools_nuevos()


def pools_nuevos() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.servicios
@pytest.mark.django_db(transaction=True)
def test_an_upload_with_redis_stopped_is_kept_and_a_retry_loads_it(
    client,
    redis_propio,
    arrancar_worker,  # noqa: F811
):
    minedu = UsuarioFactory(username="nadia")
    asignar(minedu, Rol.NACIONAL)
    client.force_login(minedu)

    redis_propio.detener()
    inicio = time.monotonic()
    r = subir(client, "padron_iiee.csv", padron_csv(FILA_VALIDA))
    segundos = time.monotonic() - inicio
    print(f"upload with the broker down answered in {segundos:.2f} s")
    assert segundos < SUBIDA_MAXIMA_S

    imp = Importacion.objects.get()
    assert r.status_code == 302
    assert r["Location"] == reverse("importacion:detalle", args=[imp.pk])
    pagina = client.get(r["Location"]).content.decode()
    assert "No se pudo poner la importación en cola" in pagina
    assert "El archivo quedó guardado." in pagina
    assert ">Reintentar</button>" in pagina
    assert imp.estado == EstadoImportacion.PENDIENTE and imp.sin_encolar
    assert Path(imp.archivo.path).read_bytes() == padron_csv(FILA_VALIDA)

    redis_propio.arrancar()
    proceso = arrancar_worker(broker=redis_propio.url)
    r = client.post(reverse("importacion:reintentar", args=[imp.pk]), follow=True)
    assert "La importación se puso en cola otra vez." in r.content.decode()

    limite = time.monotonic() + 90
    while time.monotonic() < limite and proceso.poll() is None:
        imp.refresh_from_db()
        if imp.estado in (EstadoImportacion.COMPLETADA, EstadoImportacion.FALLIDA):
            break
        time.sleep(0.5)
    proceso.terminate()
    salida = proceso.communicate(timeout=20)[0]
    assert imp.estado == EstadoImportacion.COMPLETADA, salida[-3000:]
    assert (imp.filas_leidas, imp.filas_aceptadas) == (1, 1)
    assert not imp.sin_encolar and imp.mensaje == ""
    # The worker on that broker, not this process, loaded it.
    assert "siagie_import.tasks.procesar_importacion" in salida
    assert "succeeded" in salida
    pagina = client.get(reverse("importacion:detalle", args=[imp.pk])).content
    assert "Completada" in pagina.decode()
    assert "Reintentar" not in pagina.decode()
