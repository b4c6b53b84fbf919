"""The API's documentation page: Swagger UI from the server's own static
files, every endpoint listed, no CSP violation, nothing fetched elsewhere."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from .ayudas import expect, ingresar
from .test_csp import Violaciones

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_lists_the_endpoints_from_its_own_files(
    pagina, escuela, live_server
):
    fuera: list[str] = []

    def anotar(pedido) -> None:
        if not pedido.url.startswith((live_server.url, "data:")):
            fuera.append(pedido.url)

    pagina.on("request", anotar)
    violaciones = Violaciones(pagina)
    ingresar(pagina, escuela.mundo.tutora)
    assert violaciones.de(reverse("api:docs")) == []
    expect(pagina.locator(".swagger-ui .info .title")).to_contain_text("Alerta Escuela")
    # One block per endpoint: the student list and the CSV among them.
    expect(pagina.locator(".opblock-summary-path").first).to_be_visible()
    rutas = pagina.locator(".opblock-summary-path").all_inner_texts()
    assert any(r.startswith("/api/v1/estudiantes/") for r in rutas)
    assert any(r.endswith("/alto-medio.csv") for r in rutas)
    assert fuera == []


def test_signed_out_the_docs_page_sends_to_sign_in(pagina, escuela):
    pagina.goto(reverse("api:docs"))
    url = urlsplit(pagina.url)
    assert (url.path, url.query) == (reverse("login"), f"next={reverse('api:docs')}")
