"""An upload whose broker is down: the file is kept and the import can be
queued again from its page (the broker replaced by a stand-in that fails)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from kombu.exceptions import OperationalError

from siagie_import import tasks
from siagie_import.models import EstadoImportacion, Importacion
from siagie_import.services import mensaje_sin_cola

from .test_vistas import FILA_VALIDA, SIN_ACCESO, importacion, padron_csv, subir


class Intentos(list):
    volver: object


@pytest.fixture
def broker_caido(monkeypatch):
    intentos = Intentos()

    def falla(*args, **kwargs):
        intentos.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379.")

    original = tasks.procesar_importacion.delay
    monkeypatch.setattr(tasks.procesar_importacion, "delay", falla)
    # The broker comes back: tasks run in this process again.
    intentos.volver = lambda: monkeypatch.setattr(
        tasks.procesar_importacion, "delay", original
    )
    return intentos


def reintentar(imp: Importacion) -> str:
    return reverse("importacion:reintentar", args=[imp.pk])


def detalle(imp: Importacion) -> str:
    return reverse("importacion:detalle", args=[imp.pk])


def subir_sin_broker(client, mundo):
    # Tests that upload run outside a test transaction (`transaction=True`):
    # the task is queued when the upload commits, as in production.
    client.force_login(mundo.nacional)
    return subir(client, "padron_iiee.csv", padron_csv(FILA_VALIDA))


@pytest.mark.django_db
class TestBrokerCaido:
    @pytest.mark.django_db(transaction=True)
    def test_the_upload_says_so_in_spanish_and_keeps_the_file(
        self, client, mundo, broker_caido
    ):
        r = subir_sin_broker(client, mundo)
        imp = Importacion.objects.get()
        assert len(broker_caido) == 1
        assert r.status_code == 302 and r["Location"] == detalle(imp)
        assert imp.estado == EstadoImportacion.PENDIENTE
        assert imp.sin_encolar
        assert imp.mensaje == mensaje_sin_cola()
        assert Path(imp.archivo.path).read_bytes() == padron_csv(FILA_VALIDA)

        pagina = client.get(r["Location"]).content.decode()
        assert "No se pudo poner la importación en cola" in pagina
        assert "El archivo quedó guardado." in pagina
        assert "no se pudo poner en cola para procesarlo" in pagina
        assert f'action="{reintentar(imp)}"' in pagina
        assert ">Reintentar</button>" in pagina
        assert 'id="avance"' not in pagina  # nothing polls a worker that has nothing
        assert "Sin procesar: espera un reintento" in pagina
        assert "Filas del archivo" not in pagina  # none read yet

    @pytest.mark.django_db(transaction=True)
    def test_retrying_with_the_broker_back_queues_and_loads_it(
        self,
        client,
        mundo,
        broker_caido,
    ):
        subir_sin_broker(client, mundo)
        imp = Importacion.objects.get()
        broker_caido.volver()

        r = client.post(reintentar(imp), follow=True)
        imp.refresh_from_db()
        assert r.redirect_chain == [(detalle(imp), 302)]
        assert imp.estado == EstadoImportacion.COMPLETADA
        assert (imp.filas_leidas, imp.filas_aceptadas) == (1, 1)
        assert not imp.sin_encolar
        assert imp.mensaje == ""
        pagina = r.content.decode()
        assert "La importación se puso en cola otra vez." in pagina
        assert "Reintentar" not in pagina

    @pytest.mark.django_db(transaction=True)
    def test_retrying_while_the_broker_is_still_down_keeps_it_waiting(
        self, client, mundo, broker_caido
    ):
        subir_sin_broker(client, mundo)
        imp = Importacion.objects.get()
        r = client.post(reintentar(imp), follow=True)
        imp.refresh_from_db()
        assert len(broker_caido) == 2
        assert imp.estado == EstadoImportacion.PENDIENTE and imp.sin_encolar
        assert "No se pudo poner la importación en cola" in r.content.decode()

    def test_an_import_no_longer_waiting_is_not_queued_again(
        self, client, mundo, monkeypatch
    ):
        encoladas = []
        monkeypatch.setattr(tasks.procesar_importacion, "delay", encoladas.append)
        imp = importacion(
            mundo.nacional, estado=EstadoImportacion.COMPLETADA, sin_encolar=True
        )
        client.force_login(mundo.nacional)
        r = client.post(reintentar(imp), follow=True)
        assert encoladas == []
        assert "Esta importación ya no está en cola." in r.content.decode()

    def test_a_queued_import_shows_no_retry_button(self, client, mundo):
        imp = importacion(mundo.nacional)
        client.force_login(mundo.nacional)
        pagina = client.get(detalle(imp)).content.decode()
        assert "Reintentar" not in pagina
        assert 'id="avance"' in pagina

    def test_retry_answers_post_only(self, client, mundo):
        imp = importacion(mundo.nacional, sin_encolar=True)
        client.force_login(mundo.nacional)
        assert client.get(reintentar(imp)).status_code == 405

    def test_an_admin_may_retry(self, client, mundo, monkeypatch):
        encoladas = []
        monkeypatch.setattr(tasks.procesar_importacion, "delay", encoladas.append)
        from tests.factories import UsuarioFactory

        admin = UsuarioFactory(username="admin", is_superuser=True, is_staff=True)
        imp = importacion(mundo.nacional, sin_encolar=True)
        client.force_login(admin)
        assert client.post(reintentar(imp)).status_code == 302
        assert encoladas == [imp.pk]

    @pytest.mark.parametrize("persona", SIN_ACCESO)
    def test_anyone_else_gets_404_and_queues_nothing(
        self, client, mundo, persona, monkeypatch
    ):
        encoladas = []
        monkeypatch.setattr(tasks.procesar_importacion, "delay", encoladas.append)
        imp = importacion(mundo.nacional, sin_encolar=True)
        client.force_login(getattr(mundo, persona))
        assert client.post(reintentar(imp)).status_code == 404
        assert encoladas == []

    def test_an_anonymous_visitor_is_sent_to_log_in(self, client, mundo):
        imp = importacion(mundo.nacional, sin_encolar=True)
        r = client.post(reintentar(imp))
        assert r.status_code == 302
        assert r["Location"].startswith(resolve_url(settings.LOGIN_URL))
