"""Error pages: Spanish, light, with nothing of the request in them."""

import pytest
from django.template import loader
from django.test import Client
from django.urls import reverse

from alerta.cabeceras import CACHE_CONTROL

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.alerta.urls_errores")]

# What Django's English pages say, and what its debug 404 lists.
EN_INGLES = ("Not Found", "Server Error", "Bad Request", "Forbidden", "URLconf")


def _pagina(r) -> str:
    html = r.content.decode()
    for texto in EN_INGLES:
        assert texto not in html, texto
    assert '<html lang="es-PE">' in html
    return html


@pytest.fixture
def produccion(settings):
    settings.DEBUG = False


@pytest.fixture
def cliente():
    return Client(raise_request_exception=False)


class TestConDebugApagado:
    def test_500_is_spanish(self, produccion, cliente):
        r = cliente.get("/prueba/falla/")
        assert r.status_code == 500
        assert "Error del servidor" in _pagina(r)
        assert "a view that fails" not in r.content.decode()

    def test_500_renders_without_any_request_context(self):
        # Django renders it so when everything else has failed.
        html = loader.get_template("500.html").render()
        assert "Error del servidor" in html

    def test_404_out_of_scope_is_spanish_and_names_nothing_asked(
        self, produccion, cliente, mundo
    ):
        cliente.force_login(mundo.tutor_otra_ie)
        url = reverse("seccion_detalle", args=[mundo.seccion_a.uuid])
        r = cliente.get(url)
        assert r.status_code == 404
        html = _pagina(r)
        assert "Página no encontrada" in html
        assert str(mundo.seccion_a.uuid) not in html
        assert r["Cache-Control"] == CACHE_CONTROL

    def test_404_of_an_unknown_address_is_spanish(self, produccion, cliente):
        r = cliente.get("/no-existe/")
        assert r.status_code == 404
        assert "Página no encontrada" in _pagina(r)

    def test_403_is_spanish(self, produccion, cliente):
        r = cliente.get("/prueba/negado/")
        assert r.status_code == 403
        assert "Acceso denegado" in _pagina(r)

    def test_a_form_without_its_csrf_token_gets_the_spanish_403(self, produccion):
        cliente = Client(enforce_csrf_checks=True)
        r = cliente.post(reverse("login"), {"username": "x", "password": "y"})
        assert r.status_code == 403
        assert "Formulario vencido" in _pagina(r)

    def test_400_is_spanish(self, produccion, cliente):
        r = cliente.get("/prueba/sospechosa/")
        assert r.status_code == 400
        assert "Solicitud no válida" in _pagina(r)

    def test_an_unknown_host_gets_the_spanish_400(self, produccion, cliente):
        r = cliente.get("/", headers={"Host": "otro.example"})
        assert r.status_code == 400
        assert "Solicitud no válida" in _pagina(r)


class TestConDebugEncendido:
    """The embedded setup and the demo run with DEBUG on (docs/decisions/0015)."""

    @pytest.fixture(autouse=True)
    def _debug(self, settings):
        settings.DEBUG = True

    def test_out_of_scope_gets_the_spanish_404_not_the_url_list(self, client, mundo):
        client.force_login(mundo.tutor_otra_ie)
        r = client.get(reverse("seccion_detalle", args=[mundo.seccion_a.uuid]))
        assert r.status_code == 404
        html = _pagina(r)
        assert "Página no encontrada" in html
        assert "seccion/&lt;uuid:uuid&gt;" not in html
        assert "excel" not in html

    def test_an_unknown_address_gets_the_spanish_404(self, client, mundo):
        client.force_login(mundo.tutora)
        r = client.get("/no-existe/")
        assert r.status_code == 404
        assert "Página no encontrada" in _pagina(r)

    def test_a_nominal_page_in_scope_is_untouched(self, client, mundo):
        client.force_login(mundo.tutora)
        r = client.get(reverse("seccion_detalle", args=[mundo.seccion_a.uuid]))
        assert r.status_code == 200
        assert "Página no encontrada" not in r.content.decode()
