"""The name search of the risk lists never travels in an address."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from alerta import views

FILTROS = "alerta/_filtros.html"


def _listas(mundo) -> list[tuple[str, object, object]]:
    """Every list with a search box: (its address, its key, who may read it)."""
    return [
        (
            reverse("ie_detalle", args=[mundo.ie_uno.codigo]),
            f"busqueda:ie:{mundo.ie_uno.codigo}",
            mundo.director,
        ),
        (
            reverse("seccion_detalle", args=[mundo.seccion_a.uuid]),
            f"busqueda:seccion:{mundo.seccion_a.uuid}",
            mundo.tutora,
        ),
    ]


# The templates that hold the search form, one per list of `_listas`.
PLANTILLAS_CON_BUSQUEDA = {"alerta/ie_detalle.html", "alerta/seccion_detalle.html"}


def test_the_lists_tested_here_are_every_template_with_the_search_form():
    carpeta = Path(settings.BASE_DIR) / "templates"
    con_busqueda = {
        str(p.relative_to(carpeta))
        for p in carpeta.rglob("*.html")
        if FILTROS in p.read_text() or 'name="q"' in p.read_text()
    }
    assert con_busqueda == PLANTILLAS_CON_BUSQUEDA


def test_every_view_that_lists_reads_its_parameters_through_the_one_helper():
    import inspect

    fuente = inspect.getsource(views)
    assert fuente.count("listado(parametros") == 2
    assert fuente.count("parametros_de_lista(request") == 2


@pytest.mark.django_db
@pytest.mark.parametrize("lista", [0, 1], ids=["ie", "seccion"])
class TestQEnLaDireccion:
    def test_it_is_redirected_to_the_same_address_without_it(
        self, client, mundo, lista
    ):
        url, _clave, usuario = _listas(mundo)[lista]
        client.force_login(usuario)
        r = client.get(url, {"q": "quispe", "riesgo": "ALTO", "orden": "nombre"})
        assert r.status_code == 302
        assert r["Location"] == f"{url}?riesgo=ALTO&orden=nombre"
        r = client.get(url, {"q": "quispe"})
        assert r.status_code == 302 and r["Location"] == url

    def test_a_bookmarked_name_neither_searches_nor_is_kept(self, client, mundo, lista):
        url, clave, usuario = _listas(mundo)[lista]
        client.force_login(usuario)
        nombre = mundo.matriculas_a[1].estudiante.apellido_paterno
        r = client.get(url, {"q": nombre}, follow=True)
        assert r.status_code == 200
        assert clave not in client.session
        assert r.context["lista"].formulario["q"].value() == ""
        assert not r.context["lista"].filtrado
        todas = client.get(url).context["lista"].filas
        assert r.context["lista"].filas == todas and len(todas) > 1

    def test_it_leaves_the_posted_search_as_it_was(self, client, mundo, lista):
        url, clave, usuario = _listas(mundo)[lista]
        client.force_login(usuario)
        buscado = mundo.matriculas_a[1]
        client.post(url, {"q": buscado.estudiante.apellido_paterno})
        r = client.get(url, {"q": "OTRO NOMBRE"}, follow=True)
        assert client.session[clave] == buscado.estudiante.apellido_paterno
        assert [f.pk for f in r.context["lista"].filas] == [buscado.pk]

    def test_outside_the_scope_it_is_404_and_nothing_is_kept(
        self, client, mundo, lista
    ):
        url, _clave, _usuario = _listas(mundo)[lista]
        client.force_login(mundo.tutor_otra_ie)
        assert client.get(url, {"q": "quispe"}).status_code == 404
        assert not any(k.startswith("busqueda:") for k in client.session.keys())
