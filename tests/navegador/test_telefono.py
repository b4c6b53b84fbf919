"""On a 360 px wide phone no page scrolls sideways and the main actions fit."""

import pytest
from django.urls import reverse

from .ayudas import TELEFONO, expect, ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def _sin_desplazamiento_lateral(pagina) -> None:
    ancho = pagina.evaluate("document.scrollingElement.scrollWidth")
    assert ancho <= TELEFONO["width"], f"{pagina.url} is {ancho} px wide"


def _entera_en_pantalla(localizador) -> None:
    """Visible and not cut by the screen's sides (it may be further down)."""
    expect(localizador).to_be_visible()
    caja = localizador.bounding_box()
    assert caja["x"] >= 0
    assert caja["x"] + caja["width"] <= TELEFONO["width"]


def test_on_a_360_px_phone_list_student_page_and_dashboard_fit_the_screen(
    telefono, escuela
):
    m = escuela.mundo
    pagina = telefono

    ingresar(pagina, m.tutora)
    pagina.goto(reverse("seccion_detalle", args=[m.seccion_a.uuid]))
    _sin_desplazamiento_lateral(pagina)
    _entera_en_pantalla(pagina.get_by_role("link", name="Descargar lista (Excel)"))
    _entera_en_pantalla(pagina.get_by_role("button", name="Filtrar"))
    _entera_en_pantalla(pagina.get_by_label("Buscar por nombre"))
    _entera_en_pantalla(pagina.get_by_role("link", name=escuela.nombre("a1")))
    # The list stacks on a phone: each student's factors read without scrolling.
    lista = pagina.get_by_role("region", name="Lista de estudiantes")
    assert lista.evaluate("e => e.scrollWidth <= e.clientWidth")
    _entera_en_pantalla(
        pagina.get_by_role(
            "link", name="Tiene más edad de la esperada para su grado"
        ).first
    )

    pagina.get_by_role("link", name=escuela.nombre("a1")).click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text(escuela.nombre("a1"))
    _sin_desplazamiento_lateral(pagina)
    _entera_en_pantalla(pagina.locator(".nivel-grande .nivel"))
    _entera_en_pantalla(pagina.get_by_role("link", name="Ver orientaciones").first)

    pagina.context.clear_cookies()
    ingresar(pagina, m.ugel)
    pagina.goto(reverse("ugel_detalle", args=[m.ugel_norte.codigo]))
    _sin_desplazamiento_lateral(pagina)
    _entera_en_pantalla(pagina.locator(".tarjeta-alto"))
    _entera_en_pantalla(
        pagina.get_by_role("link", name="Descargar reporte de la UGEL (Excel)")
    )
    _entera_en_pantalla(
        pagina.get_by_role(
            "link", name="Descargar hoja para planificar capacitaciones (xlsx)"
        )
    )
    # The ranking is wider than the phone: it scrolls inside its own box.
    caja = pagina.locator("#tabla-ies").locator("xpath=..")
    assert caja.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    _entera_en_pantalla(caja)
