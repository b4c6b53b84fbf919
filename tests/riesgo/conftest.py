"""The nightly run's world, shared by the scoring and the drift tests."""

import pytest

from alerta.models import Asistencia, Nivel
from tests.factories import IEFactory, MatriculaFactory, SeccionFactory, UgelFactory

ANIO = 2026


@pytest.fixture
def region(db):
    """Two UGELs, five IEs, 40 students of the current year (a few absent a lot)."""
    ugeles = UgelFactory.create_batch(2)
    matriculas = []
    for i in range(5):
        ie = IEFactory(ugel=ugeles[i % 2])
        for grado in (1, 2):
            seccion = SeccionFactory(
                ie=ie, anio=ANIO, nivel=Nivel.PRIMARIA, grado=grado, letra="A"
            )
            for k in range(4):
                m = MatriculaFactory(seccion=seccion)
                faltas = 30 if k == 0 else 1
                Asistencia.objects.create(
                    estudiante=m.estudiante,
                    anio=ANIO,
                    periodo="1",
                    dias_lectivos=50,
                    inasistencias_injustificadas=faltas,
                )
                matriculas.append(m)
    return matriculas
