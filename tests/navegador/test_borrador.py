"""The action form keeps a draft on the device: a reload, or signing in again
after the session timed out, brings it back; a save clears it; "Descartar"
drops it."""

import pytest
from django.urls import reverse

from seguimiento.models import AccionSeguimiento, TipoAccion

from .ayudas import TELEFONO, expect, ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

NOTA = "Se llamó a la madre; asistirá el lunes."


@pytest.fixture
def tipos(escuela):
    # A transactional test database is flushed between tests: the catalogue
    # seeded by the migration may be gone.
    for orden, (codigo, nombre) in enumerate(
        [
            ("llamada_visita", "Llamada o visita a la familia"),
            ("tutoria_individual", "Tutoría individual"),
        ]
    ):
        TipoAccion.objects.get_or_create(
            codigo=codigo, defaults={"nombre": nombre, "orden": orden}
        )


def _clave(estudiante) -> str:
    return f"alerta:borrador:{estudiante.uuid}"


def _borrador(pagina, estudiante):
    return pagina.evaluate("clave => localStorage.getItem(clave)", _clave(estudiante))


def _llenar(pagina, estudiante):
    pagina.get_by_label("Tipo de acción").select_option("tutoria_individual")
    pagina.get_by_label("Nota breve").fill(NOTA)
    pagina.get_by_label("Repitencia").check()
    # Saved after a short pause in typing.
    pagina.wait_for_function(
        "clave => (localStorage.getItem(clave) || '').includes('lunes')",
        arg=_clave(estudiante),
    )


def test_a_draft_survives_a_reload_and_a_new_sign_in_and_goes_once_saved(
    telefono, escuela, tipos
):
    m = escuela.mundo
    pagina = telefono
    estudiante = escuela.estudiante("a1")
    ingresar(pagina, m.tutora)
    pagina.goto(reverse("estudiante_detalle", args=[estudiante.uuid]))
    pagina.get_by_role("link", name="Registrar acción").click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Registrar una acción")
    assert pagina.evaluate("document.scrollingElement.scrollWidth") <= TELEFONO["width"]
    aviso = pagina.get_by_text("Se recuperó un borrador")
    expect(aviso).to_be_hidden()
    id_formulario = pagina.locator("input[name=id]").input_value()
    _llenar(pagina, estudiante)

    pagina.reload()
    expect(pagina.get_by_label("Nota breve")).to_have_value(NOTA)
    expect(pagina.get_by_label("Tipo de acción")).to_have_value("tutoria_individual")
    expect(pagina.get_by_label("Repitencia")).to_be_checked()
    expect(aviso).to_be_visible()
    # The draft keeps the form's id: sending it again would store it once.
    assert pagina.locator("input[name=id]").input_value() == id_formulario

    # The session ends; signing in again, the form comes back filled.
    formulario = pagina.url
    pagina.context.clear_cookies()
    ingresar(pagina, m.tutora)
    pagina.goto(formulario)
    expect(pagina.get_by_label("Nota breve")).to_have_value(NOTA)
    expect(aviso).to_be_visible()

    pagina.get_by_role("button", name="Registrar acción").click()
    pagina.wait_for_url(f"**{reverse('estudiante_detalle', args=[estudiante.uuid])}*")
    expect(pagina.get_by_text("Se registró la acción.")).to_be_visible()
    expect(pagina.locator("#acciones")).to_contain_text(NOTA)
    guardada = AccionSeguimiento.objects.get()
    assert str(guardada.uuid) == id_formulario
    assert (guardada.tipo.codigo, guardada.nota) == ("tutoria_individual", NOTA)
    # The student's shown factors come checked; the tutor added one.
    assert {"repitencia", "inasistencias"} <= set(guardada.factores)
    assert _borrador(pagina, estudiante) is None
    # A new form starts empty, with no notice.
    pagina.get_by_role("link", name="Registrar acción").click()
    expect(pagina.get_by_label("Nota breve")).to_have_value("")
    expect(aviso).to_be_hidden()


def test_descartar_drops_the_draft(telefono, escuela, tipos):
    pagina = telefono
    estudiante = escuela.estudiante("a1")
    ingresar(pagina, escuela.mundo.tutora)
    pagina.goto(reverse("seguimiento:accion_nueva", args=[estudiante.uuid]))
    _llenar(pagina, estudiante)
    pagina.reload()
    expect(pagina.get_by_label("Nota breve")).to_have_value(NOTA)
    pagina.get_by_role("button", name="Descartar").click()
    expect(pagina.get_by_label("Nota breve")).to_have_value("")
    expect(pagina.get_by_label("Repitencia")).not_to_be_checked()
    expect(pagina.get_by_text("Se recuperó un borrador")).to_be_hidden()
    assert _borrador(pagina, estudiante) is None
    pagina.reload()
    expect(pagina.get_by_label("Nota breve")).to_have_value("")
