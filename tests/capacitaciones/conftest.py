import datetime as dt

import pytest

from capacitaciones.models import Capacitacion, Invitacion, Modalidad
from tests.factories import Rol, SeccionFactory, UsuarioFactory, asignar


@pytest.fixture
def docentes_norte(mundo):
    """Six more tutors of IE Uno this year, with e-mail addresses."""
    docentes = []
    for i, letra in enumerate("CDEFGH"):
        seccion = SeccionFactory(ie=mundo.ie_uno, letra=letra)
        d = UsuarioFactory(
            username=f"docente{letra.lower()}",
            last_name=f"Docente{letra}",
            email=f"docente{i}@example.org",
        )
        asignar(d, Rol.TUTOR, seccion=seccion)
        docentes.append(d)
    return docentes


@pytest.fixture
def sesion(mundo):
    """A small-group session of UGEL Norte with the tutora (with e-mail) and
    the director (without) invited."""
    mundo.tutora.email = "tania@example.org"
    mundo.tutora.save()
    c = Capacitacion.objects.create(
        ugel=mundo.ugel_norte,
        modalidad=Modalidad.GRUPO_PEQUENO,
        fecha=dt.date(2026, 5, 12),
        lugar="Auditorio de la UGEL",
        creada_por=mundo.ugel,
    )
    Invitacion.objects.create(capacitacion=c, usuario=mundo.tutora, ie=mundo.ie_uno)
    Invitacion.objects.create(capacitacion=c, usuario=mundo.director, ie=mundo.ie_uno)
    return c
