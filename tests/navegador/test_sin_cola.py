"""On a 360 px phone, an upload whose broker is down tells so and offers the
retry within the screen."""

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from alerta.models import Rol
from siagie_import import tasks
from tests.factories import UsuarioFactory, asignar

from .ayudas import TELEFONO, expect, ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

PADRON = (
    "codigo_modular,anexo,nombre_ie,nivel,gestion,area,ubigeo,departamento,"
    "provincia,distrito,dre,ugel\n"
)


def test_on_a_phone_the_broker_down_message_and_retry_fit_the_screen(
    telefono, tmp_path, monkeypatch
):
    def falla(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379.")

    monkeypatch.setattr(tasks.procesar_importacion, "delay", falla)
    minedu = UsuarioFactory(username="nadia")
    asignar(minedu, Rol.NACIONAL)
    archivo = tmp_path / "padron_iiee.csv"
    archivo.write_text(PADRON, encoding="utf-8")

    pagina = telefono
    ingresar(pagina, minedu)
    pagina.goto(reverse("importacion:lista"))
    pagina.locator("#id_archivo").set_input_files(archivo)
    pagina.get_by_role("button", name="Importar").click()
    pagina.wait_for_url("**/importaciones/*/")

    aviso = pagina.get_by_text("No se pudo poner la importación en cola")
    expect(aviso).to_be_visible()
    expect(aviso).to_contain_text("El archivo quedó guardado.")
    boton = pagina.get_by_role("button", name="Reintentar")
    expect(boton).to_be_visible()
    caja = boton.bounding_box()
    assert 0 <= caja["x"] and caja["x"] + caja["width"] <= TELEFONO["width"]
    ancho = pagina.evaluate("document.scrollingElement.scrollWidth")
    assert ancho <= TELEFONO["width"], f"the page is {ancho} px wide"
    pagina.screenshot(path=tmp_path / "sin_cola_360.png", full_page=True)

    boton.click()  # the broker is still down: the same message, still waiting
    pagina.wait_for_load_state()
    expect(aviso).to_be_visible()
    expect(pagina.get_by_role("button", name="Reintentar")).to_be_visible()
