"""Fixed personas shared by the tests.

- Tania tutors sección 3.º A of IE Uno; Diego directs IE Uno (UGEL Norte).
- Tomás tutors a sección of IE Dos (another IE of the same UGEL): no access to IE Uno.
- Úrsula is specialist of UGEL Norte; Otto is specialist of UGEL Sur (no access).
- Dora is specialist of the DRE; Nadia is national (Minedu).
"""

import os
from dataclasses import dataclass

import pytest
from hypothesis import settings as hypothesis_settings

from alerta.models import Rol

from .factories import (
    IEFactory,
    MatriculaFactory,
    ModeloRiesgoFactory,
    SeccionFactory,
    UgelFactory,
    UsuarioFactory,
    asignar,
)

# CI explores the same examples on every run, so that a red run can be replayed;
# elsewhere each run tries new ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@dataclass
class Mundo:
    ugel_norte: object
    ugel_sur: object
    ie_uno: object
    ie_dos: object
    ie_sur: object
    seccion_a: object
    seccion_b: object
    seccion_dos: object
    seccion_sur: object
    matriculas_a: list
    matricula_b: object
    matricula_dos: object
    matricula_sur: object
    tutora: object
    director: object
    tutor_otra_ie: object
    ugel: object
    ugel_otra: object
    dre: object
    nacional: object


@pytest.fixture(autouse=True)
def _tareas_en_proceso(request, monkeypatch):
    """Tasks run in the test's own process, even when a broker is configured,
    except in tests marked `servicios`, which send them to a real worker."""
    if "servicios" in request.keywords:
        return
    from alerta.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


@pytest.fixture(autouse=True)
def _ajustes_de_prueba(settings, tmp_path):
    # Real hashers are slow on purpose; tests only need passwords to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded files and model artifacts go to a folder of the test's own.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test starts with an empty cache: a table cached by an earlier test
    # (decision 0017) could carry the same ids once its rows are rolled back.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def mundo(db) -> Mundo:
    ugel_norte = UgelFactory(nombre="UGEL NORTE")
    ugel_sur = UgelFactory(nombre="UGEL SUR", dre=ugel_norte.dre)
    ie_uno = IEFactory(nombre="IE UNO", ugel=ugel_norte)
    ie_dos = IEFactory(nombre="IE DOS", ugel=ugel_norte)
    ie_sur = IEFactory(nombre="IE SUR", ugel=ugel_sur)
    seccion_a = SeccionFactory(ie=ie_uno, letra="A")
    seccion_b = SeccionFactory(ie=ie_uno, letra="B")
    seccion_dos = SeccionFactory(ie=ie_dos)
    seccion_sur = SeccionFactory(ie=ie_sur)

    tutora = UsuarioFactory(username="tania")
    director = UsuarioFactory(username="diego")
    tutor_otra_ie = UsuarioFactory(username="tomas")
    ugel = UsuarioFactory(username="ursula")
    ugel_otra = UsuarioFactory(username="otto")
    dre = UsuarioFactory(username="dora")
    nacional = UsuarioFactory(username="nadia")
    asignar(tutora, Rol.TUTOR, seccion=seccion_a)
    asignar(director, Rol.DIRECTOR, ie=ie_uno, anio=2026)
    asignar(tutor_otra_ie, Rol.TUTOR, seccion=seccion_dos)
    asignar(ugel, Rol.ESPECIALISTA_UGEL, ugel=ugel_norte)
    asignar(ugel_otra, Rol.ESPECIALISTA_UGEL, ugel=ugel_sur)
    asignar(dre, Rol.ESPECIALISTA_DRE, dre=ugel_norte.dre)
    asignar(nacional, Rol.NACIONAL)

    return Mundo(
        ugel_norte=ugel_norte,
        ugel_sur=ugel_sur,
        ie_uno=ie_uno,
        ie_dos=ie_dos,
        ie_sur=ie_sur,
        seccion_a=seccion_a,
        seccion_b=seccion_b,
        seccion_dos=seccion_dos,
        seccion_sur=seccion_sur,
        matriculas_a=MatriculaFactory.create_batch(3, seccion=seccion_a),
        matricula_b=MatriculaFactory(seccion=seccion_b),
        matricula_dos=MatriculaFactory(seccion=seccion_dos),
        matricula_sur=MatriculaFactory(seccion=seccion_sur),
        tutora=tutora,
        director=director,
        tutor_otra_ie=tutor_otra_ie,
        ugel=ugel,
        ugel_otra=ugel_otra,
        dre=dre,
        nacional=nacional,
    )


@pytest.fixture
def puntajes(mundo: Mundo):
    """A published model and one successful run scoring every enrollment,
    with the aggregates a run writes when it closes."""
    from riesgo.models import EjecucionPuntaje, EstadoEjecucion, Puntaje

    modelo = ModeloRiesgoFactory()
    ejecucion = EjecucionPuntaje.objects.create(
        modelo=modelo, anio=2026, estado=EstadoEjecucion.EXITOSA
    )
    matriculas = [
        *mundo.matriculas_a,
        mundo.matricula_b,
        mundo.matricula_dos,
        mundo.matricula_sur,
    ]
    probabilidades = [0.05, 0.6, 0.2, 0.4, 0.01, 0.02]
    Puntaje.objects.bulk_create(
        Puntaje(
            ejecucion=ejecucion,
            matricula=m,
            probabilidad=p,
            nivel=modelo.nivel_para(p),
        )
        for m, p in zip(matriculas, probabilidades, strict=True)
    )
    from riesgo.scoring import agregados_escribir

    agregados_escribir(ejecucion)
    return ejecucion


@pytest.fixture(scope="session")
def carpeta_generada(tmp_path_factory):
    """A small generated region (four years), made once per test session."""
    from siagie_import.sintetico import generar

    carpeta = tmp_path_factory.mktemp("generado")
    generar(
        carpeta, region="CUSCO", estudiantes=1200, anio_inicial=2023, anio_final=2026
    )
    return carpeta


def servicios_reales() -> None:
    """Skip, or fail when they are required, unless PostgreSQL and Redis are set up."""
    import os

    from django.db import connection

    faltan = []
    if connection.vendor != "postgresql":
        faltan.append("DATABASE_URL (PostgreSQL)")
    if not os.environ.get("CELERY_BROKER_URL"):
        faltan.append("CELERY_BROKER_URL (Redis)")
    if faltan:
        mensaje = "needs " + ", ".join(faltan)
        if os.environ.get("ALERTA_SERVICIOS_OBLIGATORIOS"):
            pytest.fail(mensaje)
        pytest.skip(mensaje)
