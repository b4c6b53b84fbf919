"""The filters' select boxes render as Django's own Select would (the same
HTML, whitespace between tags aside)."""

import pytest
from django import forms
from django.http import QueryDict
from django.test.html import parse_html

from alerta.filtros import FiltroLista, Selector
from alerta.models import Nivel
from tests.factories import IEFactory, SeccionFactory


def _como_django(campo: forms.BoundField) -> str:
    """The same bound field rendered with Django's Select widget."""
    widget = forms.Select(choices=campo.field.choices)
    widget.is_required = campo.field.widget.is_required
    return campo.as_widget(widget=widget)


@pytest.fixture
def secciones(db):
    ie = IEFactory()
    return [
        SeccionFactory(ie=ie, nivel=Nivel.INICIAL, grado=5, letra="ÚNICA"),
        SeccionFactory(ie=ie, nivel=Nivel.PRIMARIA, grado=3, letra="A"),
        SeccionFactory(ie=ie, nivel=Nivel.PRIMARIA, grado=3, letra='B & "C"'),
        SeccionFactory(ie=ie, nivel=Nivel.SECUNDARIA, grado=1, letra="<A>"),
    ]


@pytest.mark.parametrize(
    "datos",
    [
        "",  # nothing chosen
        "nivel=PRIMARIA&grado=3&riesgo=ALTO&orden=nombre",  # chosen values
        "nivel=OTRO&grado=x&riesgo=NO&orden=no",  # invalid: errors, aria attributes
    ],
)
def test_every_select_of_the_filters_renders_as_djangos_select(secciones, datos):
    formulario = FiltroLista(QueryDict(datos), secciones=secciones)
    formulario.is_valid()
    selects = [c for c in formulario if isinstance(c.field.widget, forms.Select)]
    # Every choice field of the form uses the lean widget.
    assert {c.name for c in selects} == {
        n for n, f in formulario.fields.items() if isinstance(f, forms.ChoiceField)
    }
    assert all(type(c.field.widget) is Selector for c in selects)
    for campo in selects:
        assert parse_html(str(campo)) == parse_html(_como_django(campo)), campo.name
    if datos.startswith("nivel=OTRO"):
        assert any("aria-invalid" in str(c) for c in selects)
    if datos.startswith("nivel=PRIMARIA"):
        assert "selected" in str(formulario["nivel"])


def test_a_sections_own_list_has_its_selects_rendered_alike(db):
    formulario = FiltroLista(QueryDict("riesgo=MEDIO"), secciones=None)
    for campo in formulario:
        if isinstance(campo.field.widget, forms.Select):
            assert parse_html(str(campo)) == parse_html(_como_django(campo))


@pytest.mark.django_db
@pytest.mark.parametrize("filas", [0, 1, 50, 51, 120])
@pytest.mark.parametrize("numero", [None, "", "1", "2", "3", "99", "x"])
def test_a_page_is_the_one_paginator_gives(
    filas, numero, django_assert_max_num_queries
):
    from django.core.paginator import Paginator

    from alerta.filtros import POR_PAGINA, pagina_de
    from alerta.models import Matricula
    from tests.factories import MatriculaFactory

    seccion = SeccionFactory()
    MatriculaFactory.create_batch(filas, seccion=seccion)
    todas = Matricula.objects.filter(seccion=seccion).order_by("pk")
    esperada = Paginator(todas, POR_PAGINA).get_page(numero)
    # A first page that holds the whole list costs one query, not two.
    una_sola = filas <= POR_PAGINA and numero in (None, "", "1")
    with django_assert_max_num_queries(1 if una_sola else 2):
        pagina = pagina_de(todas, numero)
        filas_leidas = list(pagina.object_list)
    assert filas_leidas == list(esperada.object_list)
    assert (pagina.number, pagina.paginator.count, pagina.paginator.num_pages) == (
        esperada.number,
        esperada.paginator.count,
        esperada.paginator.num_pages,
    )
    assert (pagina.start_index(), pagina.end_index()) == (
        esperada.start_index(),
        esperada.end_index(),
    )
    assert (pagina.has_next(), pagina.has_previous()) == (
        esperada.has_next(),
        esperada.has_previous(),
    )
