"""A world for the weekly digest, on top of tests/conftest.py's personas.

The `puntajes` run (now) scores sección 3.º A of IE Uno bajo, alto, medio and
3.º B alto; IE Dos and IE Sur bajo. A run eight days earlier scored 3.º A
medio, medio, medio and 3.º B bajo: since then 3.º A's alto and 3.º B's alto
went up (3.º A's bajo went down). A run two days ago scored everything as now:
comparing with it would find nobody who went up.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from alerta.models import Rol
from riesgo.models import EjecucionPuntaje, EstadoEjecucion, NivelRiesgo, Puntaje
from tests.factories import (
    MatriculaFactory,
    SeccionFactory,
    UsuarioFactory,
    accion,
    asignar,
    registro_mensual,
)

PROBABILIDAD = {NivelRiesgo.ALTO: 0.6, NivelRiesgo.MEDIO: 0.2, NivelRiesgo.BAJO: 0.01}


def run_de_hace(puntajes, dias: int, niveles: dict) -> EjecucionPuntaje:
    """A successful run of `dias` ago scoring each enrollment of `niveles`."""
    ejecucion = EjecucionPuntaje.objects.create(
        modelo=puntajes.modelo, anio=puntajes.anio, estado=EstadoEjecucion.EXITOSA
    )
    # `inicio` is set on insert: moved back afterwards.
    EjecucionPuntaje.objects.filter(pk=ejecucion.pk).update(
        inicio=puntajes.inicio - timedelta(days=dias)
    )
    Puntaje.objects.bulk_create(
        Puntaje(
            ejecucion=ejecucion,
            matricula=m,
            probabilidad=PROBABILIDAD[n],
            nivel=n,
        )
        for m, n in niveles.items()
    )
    ejecucion.refresh_from_db()
    return ejecucion


@dataclass
class Semana:
    tutora: object
    director: object
    tutor_otra_ie: object
    sin_puntajes: object
    tutor_anio_pasado: object
    director_anio_pasado: object
    sin_correo: object
    inactivo: object
    apagado: object
    ugel: object


@pytest.fixture
def semana(mundo, puntajes) -> Semana:
    bajo, alto, medio = mundo.matriculas_a
    b = mundo.matricula_b
    M, B = NivelRiesgo.MEDIO, NivelRiesgo.BAJO
    run_de_hace(puntajes, 8, {bajo: M, alto: M, medio: M, b: B})
    run_de_hace(
        puntajes, 2, {bajo: B, alto: NivelRiesgo.ALTO, medio: M, b: NivelRiesgo.ALTO}
    )

    # Follow-up: the medio student had an action today, the alto one only 31
    # days ago (it no longer counts); the bajo student has this month's record.
    hoy = timezone.localdate()
    accion(mundo.tutora, medio, fecha=hoy)
    accion(mundo.tutora, alto, fecha=hoy - timedelta(days=31))
    registro_mensual(mundo.tutora, bajo)

    for persona, nombre in [
        (mundo.tutora, "tania"),
        (mundo.director, "diego"),
        (mundo.tutor_otra_ie, "tomas"),
        (mundo.ugel, "ursula"),
    ]:
        persona.email = f"{nombre}@ejemplo.pe"
        persona.save(update_fields=["email"])

    # A tutor of this year whose sección has no score (new, not yet scored).
    sin_puntajes = UsuarioFactory(username="sara", email="sara@ejemplo.pe")
    nueva = SeccionFactory(ie=mundo.ie_dos, letra="C")
    MatriculaFactory(seccion=nueva)
    asignar(sin_puntajes, Rol.TUTOR, seccion=nueva)

    # Last year's tutor and director of IE Uno: even a score of the current run
    # on last year's enrollment opens nothing.
    a_2025 = SeccionFactory(ie=mundo.ie_uno, anio=2025, grado=2)
    pasada = MatriculaFactory(seccion=a_2025, estudiante=alto.estudiante)
    Puntaje.objects.create(
        ejecucion=puntajes, matricula=pasada, probabilidad=0.6, nivel=NivelRiesgo.ALTO
    )
    tutor_anio_pasado = UsuarioFactory(username="paco", email="paco@ejemplo.pe")
    asignar(tutor_anio_pasado, Rol.TUTOR, seccion=a_2025)
    director_anio_pasado = UsuarioFactory(username="pilar", email="pilar@ejemplo.pe")
    asignar(director_anio_pasado, Rol.DIRECTOR, ie=mundo.ie_uno, anio=2025)

    # Co-tutors of 3.º B: one without an address, one inactive, one who
    # switched the digest off.
    sin_correo = UsuarioFactory(username="sin.correo", email="")
    inactivo = UsuarioFactory(
        username="inactivo", email="inactivo@ejemplo.pe", is_active=False
    )
    apagado = UsuarioFactory(username="apagado", email="apagado@ejemplo.pe")
    for u in (sin_correo, inactivo, apagado):
        asignar(u, Rol.TUTOR, seccion=mundo.seccion_b)
    from avisos.services import preferencia_avisos_guardar

    preferencia_avisos_guardar(usuario=apagado, resumen_semanal=False)

    return Semana(
        tutora=mundo.tutora,
        director=mundo.director,
        tutor_otra_ie=mundo.tutor_otra_ie,
        sin_puntajes=sin_puntajes,
        tutor_anio_pasado=tutor_anio_pasado,
        director_anio_pasado=director_anio_pasado,
        sin_correo=sin_correo,
        inactivo=inactivo,
        apagado=apagado,
        ugel=mundo.ugel,
    )
