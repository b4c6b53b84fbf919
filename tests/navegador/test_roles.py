"""Each role logs in through the form, lands on its home, sees its own things
and gets a 404 for a page outside its scope; tutor and director open a student."""

import uuid

import pytest
from django.urls import reverse

from .ayudas import expect, ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def _seccion(pagina, titulo: str):
    """The <section> of the home page under the heading `titulo`."""
    return pagina.locator(
        "section", has=pagina.get_by_role("heading", name=titulo, exact=True)
    )


def _ingresar_a_su_inicio(pagina, live_server, usuario) -> None:
    ingresar(pagina, usuario)
    assert pagina.url == f"{live_server.url}{reverse('inicio')}"
    expect(pagina.get_by_role("heading", level=1)).to_contain_text("Hola")


def _no_encontrada(pagina, url: str, *ausentes: str) -> None:
    respuesta = pagina.goto(url)
    assert respuesta.status == 404
    texto = pagina.content()
    for ausente in ausentes:
        assert ausente not in texto


def test_tutor_sees_her_seccion_opens_a_student_and_gets_404_outside_it(
    pagina, live_server, escuela
):
    m = escuela.mundo
    _ingresar_a_su_inicio(pagina, live_server, m.tutora)
    mis = _seccion(pagina, "Mis secciones")
    expect(mis.get_by_role("link", name=str(m.seccion_a), exact=True)).to_be_visible()
    expect(pagina.get_by_role("link", name=str(m.seccion_b), exact=True)).to_have_count(
        0
    )

    mis.get_by_role("link", name=str(m.seccion_a), exact=True).click()
    expect(pagina.get_by_role("heading", level=1)).to_contain_text(str(m.seccion_a))
    for clave in ("a0", "a1", "a2"):
        expect(pagina.get_by_role("link", name=escuela.nombre(clave))).to_be_visible()
    expect(pagina.get_by_text(escuela.nombre("b"))).to_have_count(0)

    pagina.get_by_role("link", name=escuela.nombre("a1")).click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text(escuela.nombre("a1"))
    expect(pagina.locator(".nivel-grande")).to_contain_text("Alto")
    expect(pagina.get_by_text("Falta a clases con frecuencia")).to_be_visible()
    # The student's page is reached by an opaque id, never by name or DNI.
    estudiante = escuela.estudiante("a1")
    assert pagina.url.endswith(f"/estudiante/{estudiante.uuid}/")
    assert estudiante.numero_documento not in pagina.url

    _no_encontrada(
        pagina,
        reverse("seccion_detalle", args=[m.seccion_b.uuid]),
        escuela.nombre("b"),
    )
    _no_encontrada(
        pagina,
        reverse("estudiante_detalle", args=[escuela.estudiante("b").uuid]),
        escuela.nombre("b"),
    )


def test_director_sees_every_student_of_his_ie_and_gets_404_for_another_ie(
    pagina, live_server, escuela
):
    m = escuela.mundo
    _ingresar_a_su_inicio(pagina, live_server, m.director)
    mi_ie = _seccion(pagina, "Mi institución educativa")
    mi_ie.get_by_role("link", name=m.ie_uno.rotulo, exact=True).click()

    expect(pagina.get_by_role("heading", level=1)).to_have_text(m.ie_uno.rotulo)
    for clave in ("a0", "a1", "a2", "b"):
        expect(pagina.get_by_role("link", name=escuela.nombre(clave))).to_be_visible()
    expect(pagina.get_by_text(escuela.nombre("dos"))).to_have_count(0)

    pagina.get_by_role("link", name=escuela.nombre("b")).click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text(escuela.nombre("b"))
    expect(pagina.locator(".nivel-grande")).to_contain_text("Alto")

    _no_encontrada(
        pagina,
        reverse("ie_detalle", args=[m.ie_dos.codigo]),
        escuela.nombre("dos"),
        m.ie_dos.nombre,
    )


def test_ugel_specialist_sees_the_ranking_of_her_ugel_and_gets_404_for_another(
    pagina, live_server, escuela
):
    m = escuela.mundo
    _ingresar_a_su_inicio(pagina, live_server, m.ugel)
    ranking = _seccion(pagina, m.ugel_norte.nombre)
    expect(
        ranking.get_by_role("link", name=m.ie_uno.rotulo, exact=True)
    ).to_be_visible()
    expect(
        ranking.get_by_role("link", name=m.ie_dos.rotulo, exact=True)
    ).to_be_visible()
    expect(pagina.get_by_text(m.ie_sur.nombre)).to_have_count(0)

    ranking.get_by_role("link", name=f"Tablero de {m.ugel_norte.nombre}").click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text(m.ugel_norte.nombre)
    # Aggregates only: no student of the UGEL is named on its dashboard.
    expect(pagina.get_by_text(escuela.nombre("a1"))).to_have_count(0)

    _no_encontrada(
        pagina, reverse("ugel_detalle", args=[m.ugel_sur.codigo]), m.ie_sur.nombre
    )


def test_dre_specialist_compares_the_ugels_of_her_dre_and_gets_404_for_another(
    pagina, live_server, escuela
):
    m = escuela.mundo
    dre = m.ugel_norte.dre
    _ingresar_a_su_inicio(pagina, live_server, m.dre)
    tableros = _seccion(pagina, "Tableros")
    tableros.get_by_role("link", name=f"{dre.nombre}: comparación de las UGEL").click()

    expect(pagina.get_by_role("heading", level=1)).to_have_text(dre.nombre)
    comparacion = pagina.locator("#tabla-comparacion")
    expect(comparacion.get_by_role("link", name=m.ugel_norte.nombre)).to_be_visible()
    expect(comparacion.get_by_role("link", name=m.ugel_sur.nombre)).to_be_visible()
    expect(pagina.get_by_text(escuela.ugel_lejana.nombre)).to_have_count(0)

    lejana = escuela.ugel_lejana
    _no_encontrada(pagina, reverse("dre_detalle", args=[lejana.dre.pk]), lejana.nombre)
    _no_encontrada(pagina, reverse("ugel_detalle", args=[lejana.codigo]), lejana.nombre)


def test_national_user_opens_the_national_dashboard_and_a_guessed_id_is_404(
    pagina, live_server, escuela
):
    m = escuela.mundo
    _ingresar_a_su_inicio(pagina, live_server, m.nacional)
    expect(
        pagina.get_by_role("navigation", name="Menú principal").get_by_role(
            "link", name="Importaciones"
        )
    ).to_be_visible()
    tableros = _seccion(pagina, "Tableros")
    tableros.get_by_role(
        "link", name="Tablero nacional: comparación de las DRE"
    ).click()

    expect(pagina.get_by_role("heading", level=1)).to_have_text("Tablero nacional")
    comparacion = pagina.locator("#tabla-comparacion")
    expect(
        comparacion.get_by_role("link", name=m.ugel_norte.dre.nombre)
    ).to_be_visible()

    _no_encontrada(pagina, reverse("seccion_detalle", args=[uuid.uuid4()]))
    _no_encontrada(pagina, reverse("estudiante_detalle", args=[uuid.uuid4()]))
