import pytest

from alerta.models import Area, Nivel, SituacionFinal
from capacitaciones.models import Modalidad
from pilotos.models import Evaluacion, Unidad
from pilotos.services import evaluacion_crear, evaluacion_sortear
from riesgo.models import AgregadoRiesgo, Ambito
from tests.factories import IEFactory, MatriculaFactory, SeccionFactory

BRAZOS = [
    {"codigo": "C", "nombre": "Control", "proporcion": "0.25", "control": True},
    {"codigo": "T1", "nombre": "Individual", "proporcion": "0.25"},
    {"codigo": "T2", "nombre": "Grupo pequeño", "proporcion": "0.25"},
    {"codigo": "T3", "nombre": "Grupo grande", "proporcion": "0.25"},
]

# Every arm, with each flag both ways.
ARMADOS = [
    {
        "codigo": "C",
        "proporcion": "0.25",
        "control": True,
        "resumen": False,
        "capacitacion": "",
    },
    {
        "codigo": "T1",
        "proporcion": "0.25",
        "resumen": True,
        "capacitacion": Modalidad.INDIVIDUAL,
    },
    {
        "codigo": "T2",
        "proporcion": "0.25",
        "resumen": False,
        "capacitacion": Modalidad.GRUPO_PEQUENO,
    },
    {
        "codigo": "T3",
        "proporcion": "0.25",
        "resumen": True,
        "capacitacion": "",
    },
]


@pytest.fixture
def red(mundo, puntajes):
    """Besides the world's three IEs: 16 more in UGEL Norte and 8 in UGEL
    Sur, paired two IEs to a local escolar, each with planted counts in the
    current run (IE k: 10·k students, k at medio + alto) and, for UGEL Norte,
    last year's enrollments (one in four withdrawn)."""
    ies = []
    for k in range(1, 25):
        ugel = mundo.ugel_norte if k <= 16 else mundo.ugel_sur
        ie = IEFactory(
            ugel=ugel,
            codigo_local=f"{500000 + (k + 1) // 2}",
            area=Area.RURAL if k % 3 == 0 else Area.URBANA,
        )
        AgregadoRiesgo.objects.create(
            ejecucion=puntajes,
            ambito=Ambito.IE,
            clave=ie.pk,
            nivel=Nivel.PRIMARIA,
            grado=3,
            alto=k // 2,
            medio=k - k // 2,
            bajo=9 * k,
        )
        ies.append(ie)
    for ie in ies[:4]:
        anterior = SeccionFactory(ie=ie, anio=puntajes.anio - 1)
        MatriculaFactory.create_batch(3, seccion=anterior)
        MatriculaFactory(seccion=anterior, situacion_final=SituacionFinal.RETIRADO)
    return ies


def crear(mundo, **campos) -> Evaluacion:
    datos = {
        "nombre": "Capacitaciones 2026",
        "unidad": Unidad.IE,
        "brazos": BRAZOS,
        "cortes_tamano": [100],
        "semilla": 20260412,
    }
    datos.update(campos)
    ugeles = datos.pop("ugeles", [mundo.ugel_norte, mundo.ugel_sur])
    return evaluacion_crear(creada_por=mundo.nacional, ugeles=ugeles, **datos)


@pytest.fixture
def evaluacion(mundo, red) -> Evaluacion:
    return evaluacion_sortear(evaluacion=crear(mundo))
