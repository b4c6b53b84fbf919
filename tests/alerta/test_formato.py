"""How stored choices read on lists and workbooks."""

import inspect

import pytest
from django.db.models import Choices

from alerta import models as modelos_alerta
from alerta.presentacion.formato import etiqueta
from riesgo import models as modelos_riesgo

OPCIONES = [
    clase
    for modulo in (modelos_alerta, modelos_riesgo)
    for _n, clase in inspect.getmembers(modulo, inspect.isclass)
    if issubclass(clase, Choices) and clase.__module__ == modulo.__name__
]


def test_the_walk_finds_the_choices_of_both_apps():
    nombres = {c.__name__ for c in OPCIONES}
    assert {"SituacionMatricula", "Area", "Gestion", "NivelRiesgo"} <= nombres


@pytest.mark.parametrize("opciones", OPCIONES, ids=lambda c: c.__name__)
def test_every_choice_reads_as_its_label_and_an_unknown_value_as_itself(opciones):
    for valor, texto in opciones.choices:
        assert etiqueta(opciones, valor) == str(texto)
    assert etiqueta(opciones, "NO-ES-OPCION") == "NO-ES-OPCION"
