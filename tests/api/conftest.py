"""The world of tests/test_permisos.py (personas of this year and of the last,
students who moved), shared with the API's tests."""

import pytest

from tests.test_permisos import mundo_con_pasado  # noqa: F401


@pytest.fixture
def orientacion_docente(db):
    from orientaciones.models import Audiencia, Orientacion

    return Orientacion.objects.create(
        slug="api-llamar-a-la-familia",
        titulo="Llamar a la familia",
        audiencia=Audiencia.DOCENTE,
        resumen="Cómo y cuándo llamar.",
        texto="Texto.",
    )
