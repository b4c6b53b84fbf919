"""The comparison of use before and after a training, on planted weeks with
known means."""

import datetime as dt

import pytest

from capacitaciones.comparacion import (
    Asistencia,
    Medias,
    UsoSemana,
    comparacion_de_ugel,
    comparar,
    lunes,
)
from capacitaciones.models import Invitacion, Modalidad
from monitoreo.models import UsoDocenteSemana

A, B, C, D = 1, 2, 3, 4
SESION = dt.date(2026, 3, 2)  # a Monday


def semana(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


USOS = {
    # A, trained: one week of use before, three after.
    (A, semana("2026-02-09")): UsoSemana(listas=2, acciones=0, lecturas=1),
    (A, semana("2026-03-02")): UsoSemana(listas=3, acciones=2, lecturas=0),
    (A, semana("2026-03-16")): UsoSemana(listas=1, acciones=1, lecturas=1),
    (A, semana("2026-03-23")): UsoSemana(listas=2, acciones=0, lecturas=0),
    # B, not trained: one week before, none after.
    (B, semana("2026-02-02")): UsoSemana(listas=4, acciones=0, lecturas=0),
    # C, not trained: only outside both windows.
    (C, semana("2026-03-30")): UsoSemana(listas=9, acciones=9, lecturas=9),
    (C, semana("2026-01-26")): UsoSemana(listas=9, acciones=9, lecturas=9),
}


def test_it_compares_the_trained_with_the_untrained_over_the_same_weeks():
    filas = comparar(
        asistencias=[
            Asistencia(A, Modalidad.GRUPO_PEQUENO, SESION),
            # A's later small group does not move their window.
            Asistencia(A, Modalidad.GRUPO_PEQUENO, semana("2026-03-16")),
        ],
        sin_capacitar=[B, C],
        usos=USOS,
        semana_actual=semana("2026-04-06"),
    )
    assert len(filas) == 1
    f = filas[0]
    assert f.modalidad == Modalidad.GRUPO_PEQUENO
    assert f.capacitados_antes == Medias(1, 0.25, 2, 0, 1)
    assert f.capacitados_despues == Medias(1, 0.75, 6, 3, 1)
    assert f.sin_capacitar_antes == Medias(2, 0.125, 2, 0, 0)
    assert f.sin_capacitar_despues == Medias(2, 0, 0, 0, 0)
    assert f.pendientes == 0


def test_a_teacher_whose_four_weeks_after_are_not_over_waits():
    filas = comparar(
        asistencias=[
            Asistencia(A, Modalidad.GRUPO_PEQUENO, SESION),
            Asistencia(D, Modalidad.INDIVIDUAL, semana("2026-03-16")),
        ],
        sin_capacitar=[B, C],
        usos=USOS,
        # The individual session's fourth week (2026-04-06) is not over.
        semana_actual=semana("2026-04-06"),
    )
    assert [f.modalidad for f in filas] == [
        Modalidad.INDIVIDUAL,
        Modalidad.GRUPO_PEQUENO,
    ]
    individual = filas[0]
    assert individual.pendientes == 1
    assert individual.capacitados_despues.n == 0
    assert individual.sin_capacitar_despues.n == 0
    assert filas[1].capacitados_antes.n == 1


def test_the_untrained_are_averaged_over_each_trained_teachers_windows():
    # Two trained teachers, two weeks apart: B's use counts in each window.
    filas = comparar(
        asistencias=[
            Asistencia(A, Modalidad.GRUPO_GRANDE, SESION),
            Asistencia(D, Modalidad.GRUPO_GRANDE, semana("2026-02-16")),
        ],
        sin_capacitar=[B],
        usos=USOS,
        semana_actual=semana("2026-05-04"),
    )
    (f,) = filas
    # B's week 2026-02-02 is in A's "before" window and in D's (2026-01-19
    # to 2026-02-09): listas 4 in both.
    assert f.sin_capacitar_antes == Medias(1, 0.25, 4, 0, 0)
    # After D's session (2026-02-16 to 2026-03-09) and A's: no use by B.
    assert f.sin_capacitar_despues == Medias(1, 0, 0, 0, 0)
    # D has no use at all; A as above: the means of both.
    assert f.capacitados_antes == Medias(2, 0.125, 1, 0, 0.5)
    assert f.capacitados_despues == Medias(2, 0.375, 3, 1.5, 0.5)


def test_no_attended_session_no_rows():
    assert (
        comparar(asistencias=[], sin_capacitar=[B], usos=USOS, semana_actual=SESION)
        == []
    )


def test_lunes_is_the_monday_of_the_week():
    assert lunes(dt.date(2026, 5, 17)) == dt.date(2026, 5, 11)
    assert lunes(dt.date(2026, 5, 11)) == dt.date(2026, 5, 11)


def _uso(usuario, ie, s, **medidas):
    UsoDocenteSemana.objects.create(usuario=usuario, ie=ie, semana=semana(s), **medidas)


@pytest.mark.django_db
def test_it_reads_the_ugels_attendance_and_weekly_use(mundo, sesion):
    # The session (fecha 2026-05-12) is in the week of 2026-05-11.
    Invitacion.objects.filter(capacitacion=sesion, usuario=mundo.tutora).update(
        asistio=True
    )
    # The director was invited but did not come: still untrained.
    Invitacion.objects.filter(capacitacion=sesion, usuario=mundo.director).update(
        asistio=False
    )
    _uso(mundo.tutora, mundo.ie_uno, "2026-04-20", listas=2)
    _uso(mundo.tutora, mundo.ie_uno, "2026-05-11", listas=4, acciones=2, lecturas=1)
    _uso(mundo.tutora, mundo.ie_uno, "2026-05-25", listas=2)
    _uso(mundo.director, mundo.ie_uno, "2026-05-04", acciones=3)
    _uso(mundo.tutor_otra_ie, mundo.ie_dos, "2026-05-18", lecturas=2)
    # Use at an IE of another UGEL does not count.
    _uso(mundo.tutor_otra_ie, mundo.ie_sur, "2026-05-18", lecturas=50)

    (f,) = comparacion_de_ugel(
        ugel=mundo.ugel_norte, anio=2026, hoy=dt.date(2026, 6, 15)
    )
    assert f.modalidad == Modalidad.GRUPO_PEQUENO
    assert f.capacitados_antes == Medias(1, 0.25, 2, 0, 0)
    assert f.capacitados_despues == Medias(1, 0.5, 6, 2, 1)
    assert f.sin_capacitar_antes == Medias(2, 0.125, 0, 1.5, 0)
    assert f.sin_capacitar_despues == Medias(2, 0.125, 0, 0, 1)


@pytest.mark.django_db
def test_a_teacher_of_two_ies_of_the_ugel_counts_once(mundo, sesion):
    from monitoreo.calculo import uso_calcular
    from monitoreo.models import Ingreso
    from tests.factories import Rol, asignar

    # The tutor also tutors at IE Dos: the nightly aggregation writes her
    # week at both IEs.
    asignar(mundo.tutora, Rol.TUTOR, seccion=mundo.seccion_dos)
    Invitacion.objects.filter(capacitacion=sesion, usuario=mundo.tutora).update(
        asistio=True
    )
    momento = dt.datetime(2026, 5, 12, 10, tzinfo=dt.UTC)
    for _vez in range(3):
        fila = Ingreso.objects.create(usuario=mundo.tutora)
        Ingreso.objects.filter(pk=fila.pk).update(fecha=momento)
    from alerta.models import Accion, RegistroAcceso

    for objeto in ("seccion:a", "seccion:b"):
        fila = RegistroAcceso.objects.create(
            usuario=mundo.tutora, accion=Accion.VER_LISTA, objeto=objeto
        )
        RegistroAcceso.objects.filter(pk=fila.pk).update(fecha=momento)
    uso_calcular(ahora=dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC))
    assert UsoDocenteSemana.objects.filter(usuario=mundo.tutora).count() == 2

    (f,) = comparacion_de_ugel(
        ugel=mundo.ugel_norte, anio=2026, hoy=dt.date(2026, 6, 15)
    )
    assert f.capacitados_despues.listas == 2


@pytest.mark.django_db
def test_sessions_of_another_ugel_do_not_count(mundo, sesion):
    Invitacion.objects.filter(capacitacion=sesion).update(asistio=True)
    assert (
        comparacion_de_ugel(ugel=mundo.ugel_sur, anio=2026, hoy=dt.date(2026, 6, 15))
        == []
    )
