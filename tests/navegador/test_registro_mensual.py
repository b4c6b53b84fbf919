"""The monthly contact record on a 360 px phone: one tap saves a row, the
"everyone in class" button saves the rest, and a reload shows them saved."""

import pytest
from django.urls import reverse

from seguimiento.models import RegistroMensual
from seguimiento.services import mes_actual

from .ayudas import expect, ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def _fila(pagina, escuela, clave: str):
    estudiante = escuela.estudiante(clave)
    return pagina.locator(f'.registro-fila[data-estudiante="{estudiante.uuid}"]')


def test_a_tap_saves_the_row_and_a_reload_shows_it_saved(telefono, escuela):
    m = escuela.mundo
    pagina = telefono
    ingresar(pagina, m.tutora)
    pagina.goto(reverse("seccion_detalle", args=[m.seccion_a.uuid]))
    pagina.get_by_role("link", name="Registro mensual").click()
    expect(pagina.get_by_role("heading", level=1)).to_contain_text("Registro mensual")
    # Fits the phone: nothing scrolls sideways.
    ancho = pagina.evaluate("document.scrollingElement.scrollWidth")
    assert ancho <= 360

    # "No" for the student at alto: one tap; the "medio" choice goes away.
    fila = _fila(pagina, escuela, "a1")
    fila.get_by_role("group", name="Contactado").get_by_text("No", exact=True).tap()
    expect(fila.locator(".registro-estado")).to_have_text("Guardado")
    expect(fila.locator(".registro-medio")).to_be_hidden()
    guardado = RegistroMensual.objects.get(estudiante=escuela.estudiante("a1"))
    assert (guardado.contactado, guardado.medio, guardado.sigue_clases) == (
        False,
        "",
        "SI",
    )
    assert guardado.mes == mes_actual() and guardado.autor == m.tutora
    assert fila.get_attribute("data-uuid") == str(guardado.uuid)

    # The rest at once: contacted in class, they follow the lessons.
    pagina.get_by_role("button", name="Marcar a todos como contactados en clase").tap()
    for clave in ("a0", "a2"):
        expect(_fila(pagina, escuela, clave).locator(".registro-estado")).to_have_text(
            "Guardado"
        )
    expect(pagina.locator("#registro-hechos")).to_have_text("3")
    registros = RegistroMensual.objects.filter(mes=mes_actual())
    assert registros.count() == 3
    assert {(r.contactado, r.medio) for r in registros} == {
        (False, ""),
        (True, "PRESENCIAL"),
    }
    # The answered row kept its answer.
    guardado.refresh_from_db()
    assert guardado.contactado is False

    # Changing a saved row updates the same record.
    fila.get_by_text("En parte", exact=True).tap()
    expect(fila).to_have_class("registro-fila guardado")
    pagina.wait_for_function(
        "() => document.querySelector('.registro-fila.pendiente') === null"
    )
    guardado.refresh_from_db()
    assert guardado.sigue_clases == "EN_PARTE"
    assert RegistroMensual.objects.count() == 3

    pagina.reload()
    fila = _fila(pagina, escuela, "a1")
    expect(fila).to_have_class("registro-fila guardado")
    expect(fila.locator(".registro-estado")).to_contain_text("Guardado")
    contactado = fila.get_by_role("group", name="Contactado")
    expect(contactado.get_by_label("No", exact=True)).to_be_checked()
    expect(fila.get_by_label("En parte", exact=True)).to_be_checked()
    expect(pagina.locator("#registro-hechos")).to_have_text("3")
