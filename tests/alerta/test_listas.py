"""The risk badge and the rows of the student lists (alerta/templatetags/listas.py)."""

import pytest
from django.http import QueryDict
from django.test.html import parse_html
from django.urls import reverse

from alerta.filtros import listado
from alerta.models import SIN_RIESGO_QUINTO, Nivel
from alerta.presentacion.niveles import cambio_de_nivel
from alerta.templatetags.listas import filas_de_estudiantes, insignia_nivel
from riesgo.models import NivelRiesgo
from riesgo.selectors import filas_de_seccion
from tests.factories import EstudianteFactory, MatriculaFactory, SeccionFactory


@pytest.mark.parametrize("nivel", NivelRiesgo.values)
def test_every_level_has_its_words_class_and_shape(nivel):
    html = insignia_nivel(nivel)
    etiqueta = str(NivelRiesgo(nivel).label)
    assert parse_html(html) == parse_html(
        f'<span class="nivel nivel-{nivel.lower()}"><span aria-hidden="true">'
        f"{'▲◆●'[NivelRiesgo.values.index(nivel)]}</span> {etiqueta}</span>"
    )


def test_no_level_and_fifth_of_secundaria_have_their_own_badge():
    assert "Sin puntaje" in insignia_nivel(None)
    assert "nivel-sin" in insignia_nivel("OTRO")
    quinto = insignia_nivel(NivelRiesgo.ALTO, quinto=True)
    assert str(SIN_RIESGO_QUINTO) in quinto and "nivel-alto" not in quinto


@pytest.mark.parametrize(
    ("actual", "anterior", "flecha", "clase"),
    [("ALTO", "BAJO", "↑", "cambio-sube"), ("BAJO", "MEDIO", "↓", "cambio-baja")],
)
def test_a_change_of_level_shows_its_arrow_and_says_it(actual, anterior, flecha, clase):
    cambio = cambio_de_nivel(actual, anterior)
    html = insignia_nivel(actual, cambio)
    assert clase in html and flecha in html
    assert html.count(str(cambio.texto)) == 2  # the tooltip and for screen readers
    # 5.º de secundaria never shows a change.
    assert flecha not in insignia_nivel(actual, cambio, quinto=True)


@pytest.mark.django_db
def test_rows_escape_names_number_across_pages_and_link_each_student():
    seccion = SeccionFactory(nivel=Nivel.PRIMARIA, grado=3, letra="A")
    for i in range(55):
        MatriculaFactory(
            seccion=seccion,
            estudiante=EstudianteFactory(
                apellido_paterno=f"<b>APELLIDO{i:02d}</b>", nombres="ANA"
            ),
        )
    filas = filas_de_seccion(seccion, None, None)
    lista = listado(QueryDict("pagina=2&orden=nombre"), filas)
    html = filas_de_estudiantes(lista, con_seccion=True)
    assert "<b>" not in html and "&lt;b&gt;" in html
    numeros = [
        int(c.split(">")[1].split("<")[0]) for c in html.split('<td class="num"')[1:]
    ]
    assert numeros == list(range(51, 56))
    for fila in lista.filas:
        assert reverse("estudiante_detalle", args=[fila.estudiante.uuid]) in html
    assert html.count("3.º de primaria A") == 5
