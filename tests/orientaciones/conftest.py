"""Fixed personas for the orientaciones tests, built with the ORM.

A tutor of one sección, the director of that IE, a UGEL and a DRE specialist, a
Minedu user, a superuser, and a person with no role at all.
"""

import pytest

from alerta.models import (
    Area,
    Asignacion,
    Distrito,
    Dre,
    Gestion,
    InstitucionEducativa,
    Nivel,
    Rol,
    Seccion,
    Ugel,
    Usuario,
)
from orientaciones.models import Audiencia, NivelOrientacion, Orientacion


@pytest.fixture
def seccion() -> Seccion:
    dre = Dre.objects.create(nombre="DRE Cusco")
    ugel = Ugel.objects.create(codigo="080001", nombre="UGEL Cusco", dre=dre)
    distrito = Distrito.objects.create(
        ubigeo="080101", departamento="Cusco", provincia="Cusco", nombre="Cusco"
    )
    ie = InstitucionEducativa.objects.create(
        codigo_modular="0234567",
        nombre="IE 50001",
        nivel_modalidad="F0",
        gestion=Gestion.PUBLICA,
        area=Area.URBANA,
        distrito=distrito,
        ugel=ugel,
    )
    return Seccion.objects.create(
        ie=ie, anio=2025, nivel=Nivel.SECUNDARIA, grado=3, letra="A"
    )


def _usuario(username: str, **extra) -> Usuario:
    return Usuario.objects.create_user(username=username, password="x", **extra)


@pytest.fixture
def tutor(seccion: Seccion) -> Usuario:
    user = _usuario("tutora")
    Asignacion.objects.create(usuario=user, rol=Rol.TUTOR, seccion=seccion)
    return user


@pytest.fixture
def director(seccion: Seccion) -> Usuario:
    user = _usuario("director")
    Asignacion.objects.create(
        usuario=user, rol=Rol.DIRECTOR, ie=seccion.ie, anio=seccion.anio
    )
    return user


@pytest.fixture
def director_y_tutor(seccion: Seccion) -> Usuario:
    user = _usuario("directora_tutora")
    Asignacion.objects.create(
        usuario=user, rol=Rol.DIRECTOR, ie=seccion.ie, anio=seccion.anio
    )
    Asignacion.objects.create(usuario=user, rol=Rol.TUTOR, seccion=seccion)
    return user


@pytest.fixture
def especialista_ugel(seccion: Seccion) -> Usuario:
    user = _usuario("especialista_ugel")
    Asignacion.objects.create(
        usuario=user, rol=Rol.ESPECIALISTA_UGEL, ugel=seccion.ie.ugel
    )
    return user


@pytest.fixture
def especialista_dre(seccion: Seccion) -> Usuario:
    user = _usuario("especialista_dre")
    Asignacion.objects.create(
        usuario=user, rol=Rol.ESPECIALISTA_DRE, dre=seccion.ie.ugel.dre
    )
    return user


@pytest.fixture
def nacional() -> Usuario:
    user = _usuario("minedu")
    Asignacion.objects.create(usuario=user, rol=Rol.NACIONAL)
    return user


@pytest.fixture
def superusuario() -> Usuario:
    return Usuario.objects.create_superuser(username="admin", password="x")


@pytest.fixture
def sin_rol() -> Usuario:
    return _usuario("sin_rol")


@pytest.fixture
def tutor_retirado(seccion: Seccion) -> Usuario:
    """A former tutor: the assignment still exists but is no longer active."""
    user = _usuario("ex_tutor")
    Asignacion.objects.create(
        usuario=user, rol=Rol.TUTOR, seccion=seccion, activa=False
    )
    return user


@pytest.fixture
def borrador() -> Orientacion:
    return Orientacion.objects.create(
        slug="borrador-para-docentes",
        titulo="Borrador para docentes",
        audiencia=Audiencia.DOCENTE,
        nivel=NivelOrientacion.TODOS,
        resumen="Todavía en revisión.",
        texto="Primer párrafo.\n\nSegundo párrafo.",
        publicada=False,
    )
