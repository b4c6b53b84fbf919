"""`riesgo.selectors.q_subio` (the digest's count) agrees with the lists'
arrow (`alerta.presentacion.niveles.cambio_de_nivel`) on every pair of levels."""

import itertools

import pytest

from alerta.models import Matricula
from alerta.presentacion.niveles import cambio_de_nivel
from riesgo.models import EjecucionPuntaje, EstadoEjecucion, NivelRiesgo, Puntaje
from riesgo.selectors import filas_de_matriculas, q_subio
from tests.factories import MatriculaFactory

pytestmark = pytest.mark.django_db

PROBABILIDAD = {NivelRiesgo.ALTO: 0.6, NivelRiesgo.MEDIO: 0.2, NivelRiesgo.BAJO: 0.01}


def test_it_counts_as_up_exactly_the_rows_the_list_shows_going_up(mundo, puntajes):
    antes = EjecucionPuntaje.objects.create(
        modelo=puntajes.modelo, anio=2026, estado=EstadoEjecucion.EXITOSA
    )
    ahora = EjecucionPuntaje.objects.create(
        modelo=puntajes.modelo, anio=2026, estado=EstadoEjecucion.EXITOSA
    )
    niveles = [*NivelRiesgo.values, None]
    for anterior, actual in itertools.product(niveles, niveles):
        m = MatriculaFactory(seccion=mundo.seccion_b)
        for ejecucion, nivel in ((antes, anterior), (ahora, actual)):
            if nivel:
                Puntaje.objects.create(
                    ejecucion=ejecucion,
                    matricula=m,
                    nivel=nivel,
                    probabilidad=PROBABILIDAD[nivel],
                )
    filas = filas_de_matriculas(
        Matricula.objects.filter(seccion=mundo.seccion_b), ahora, antes
    )
    esperadas = {
        f.pk
        for f in filas
        if (c := cambio_de_nivel(f.nivel_riesgo, f.nivel_anterior)) and c.sube
    }
    assert len(esperadas) == 3  # bajo→medio, bajo→alto, medio→alto
    assert {f.pk for f in filas.filter(q_subio())} == esperadas
