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
    # With the script every tap saves: no "save all" button.
    expect(pagina.get_by_role("button", name="Guardar todo")).to_be_hidden()
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


def test_without_javascript_save_all_posts_the_answered_rows(
    navegador, live_server, escuela
):
    from .ayudas import TELEFONO

    ctx = navegador.new_context(
        base_url=live_server.url,
        viewport=TELEFONO,
        locale="es-PE",
        java_script_enabled=False,
    )
    pagina = ctx.new_page()
    try:
        m = escuela.mundo
        ingresar(pagina, m.director)
        pagina.goto(reverse("seguimiento:registro-mensual", args=[m.seccion_a.uuid]))
        # The script's button is not offered; the form's is.
        expect(
            pagina.get_by_role(
                "button", name="Marcar a todos como contactados en clase"
            )
        ).to_be_hidden()
        fila = _fila(pagina, escuela, "a2")
        fila.get_by_role("group", name="Contactado").get_by_label(
            "Sí", exact=True
        ).check()
        fila.get_by_label("Medio").select_option("LLAMADA")
        pagina.get_by_role("button", name="Guardar todo").click()
        expect(pagina.get_by_text("Se guardó 1 registro.")).to_be_visible()
        guardado = RegistroMensual.objects.get()
        assert guardado.estudiante == escuela.estudiante("a2")
        assert (guardado.contactado, guardado.medio, guardado.sigue_clases) == (
            True,
            "LLAMADA",
            "SI",
        )
        assert guardado.autor == m.director
        expect(_fila(pagina, escuela, "a2")).to_have_class("registro-fila guardado")
    finally:
        ctx.close()
