"""The demo's follow-up is plausible, measured: more actions for alto than for
bajo, tutors who never record, nothing in the future but planned actions,
every author a writer for the student, deterministic and idempotent."""

import random
from collections import Counter
from datetime import date

import pytest

from alerta.models import Rol
from riesgo.models import NivelRiesgo, Puntaje
from seguimiento import scoping
from seguimiento.models import AccionSeguimiento, EstadoAccion, RegistroMensual
from seguimiento.sintetico import seguimiento_generar
from tests.alerta.ejecuciones import puntuar
from tests.factories import (
    IEFactory,
    MatriculaFactory,
    SeccionFactory,
    UsuarioFactory,
    asignar,
)

pytestmark = pytest.mark.django_db

HOY = date(2026, 11, 20)


@pytest.fixture
def region(mundo, puntajes):
    """Twelve secciones of 25 students with tutors, one without, scored:
    about 20 % alto, 20 % medio, 60 % bajo, each with a factor."""
    ie = IEFactory(ugel=mundo.ugel_norte)
    asignar(UsuarioFactory(), Rol.DIRECTOR, ie=ie, anio=2026)
    rng = random.Random(7)
    secciones = [SeccionFactory(ie=ie, letra=chr(65 + i)) for i in range(13)]
    for seccion in secciones[:12]:
        asignar(UsuarioFactory(), Rol.TUTOR, seccion=seccion)
    for seccion in secciones:
        for factor in ("inasistencias", "bajo_rendimiento", "pobreza"):
            matriculas = MatriculaFactory.create_batch(8, seccion=seccion)
            puntuar(
                puntajes,
                {m: rng.choice([0.6, 0.2, 0.05, 0.05, 0.02]) for m in matriculas},
                factor_1=factor,
            )
    return secciones


def _firma() -> list[tuple]:
    return sorted(
        AccionSeguimiento.objects.values_list(
            "estudiante_id", "tipo__codigo", "fecha", "estado", "nota", "reservada"
        )
    ) + sorted(
        RegistroMensual.objects.values_list(
            "estudiante_id", "mes", "contactado", "medio", "sigue_clases"
        )
    )


def _nivel_de() -> dict[int, str]:
    return dict(
        Puntaje.objects.values_list("matricula__estudiante_id", "nivel").order_by()
    )


def test_alto_students_get_actions_far_more_often_than_bajo(region):
    seguimiento_generar(hoy=HOY, semilla=1)
    nivel = _nivel_de()
    con_accion = set(AccionSeguimiento.objects.values_list("estudiante_id", flat=True))
    tasa = {}
    for n in NivelRiesgo.values:
        del_nivel = [e for e, v in nivel.items() if v == n]
        tasa[n] = sum(e in con_accion for e in del_nivel) / len(del_nivel)
    assert tasa[NivelRiesgo.ALTO] > 0.45
    assert tasa[NivelRiesgo.BAJO] < 0.2
    assert tasa[NivelRiesgo.ALTO] > 3 * tasa[NivelRiesgo.BAJO]


def test_some_tutors_never_record_and_the_others_do(region):
    seguimiento_generar(hoy=HOY, semilla=1)
    por_seccion = Counter(RegistroMensual.objects.values_list("seccion_id", flat=True))
    con_tutor = region[:12]
    sin_registros = [s for s in con_tutor if por_seccion[s.pk] == 0]
    assert 1 <= len(sin_registros) <= 6
    # The sección without a tutor has nobody to record it.
    assert por_seccion[region[12].pk] == 0


def test_nothing_lies_in_the_future_but_planned_actions(region):
    seguimiento_generar(hoy=HOY, semilla=1)
    assert not RegistroMensual.objects.filter(mes__gt=date(2026, 11, 1)).exists()
    futuras = AccionSeguimiento.objects.filter(fecha__gt=HOY)
    assert futuras.exists()
    assert set(futuras.values_list("estado", flat=True)) == {EstadoAccion.PLANIFICADA}
    assert not AccionSeguimiento.objects.filter(fecha__lt=date(2026, 3, 1)).exists()
    # One record per student and month, this month only partly done.
    claves = list(RegistroMensual.objects.values_list("estudiante_id", "mes"))
    assert len(claves) == len(set(claves))
    meses = Counter(mes for _e, mes in claves)
    assert meses[date(2026, 11, 1)] < meses[date(2026, 10, 1)]


def test_every_author_may_write_for_the_student(region):
    seguimiento_generar(hoy=HOY, semilla=1)
    for a in AccionSeguimiento.objects.select_related("autor", "estudiante"):
        assert scoping.seccion_de_registro(a.autor, a.estudiante) == a.seccion
    for r in RegistroMensual.objects.select_related("autor", "estudiante")[:200]:
        assert scoping.seccion_de_registro(r.autor, r.estudiante) == r.seccion


def test_kinds_and_factors_follow_the_students_factors(region):
    seguimiento_generar(hoy=HOY, semilla=1)
    nivel = _nivel_de()
    por_factor = Counter()
    for a in AccionSeguimiento.objects.select_related("tipo"):
        if nivel[a.estudiante_id] == NivelRiesgo.BAJO:
            assert a.factores == []  # bajo shows no factor
        for f in a.factores:
            por_factor[(f, a.tipo.codigo)] += 1
    assert por_factor[("inasistencias", "llamada_visita")] > 0
    assert por_factor[("bajo_rendimiento", "reforzamiento")] > 0
    assert por_factor[("pobreza", "becas_apoyos")] > 0
    assert por_factor[("pobreza", "reforzamiento")] == 0


def test_a_few_notes_are_reserved_and_none_tells_a_story(region):
    seguimiento_generar(hoy=HOY, semilla=1)
    total = AccionSeguimiento.objects.count()
    reservadas = AccionSeguimiento.objects.filter(reservada=True)
    assert 0 < reservadas.count() < 0.15 * total
    assert {a.nota for a in reservadas} == {
        "Se conversó con la familia; los detalles los tiene la dirección."
    }


def test_the_demo_seccion_shows_every_screen_something(region):
    protegida = region[0]
    seguimiento_generar(hoy=HOY, semilla=1, protegida=protegida.pk)
    director = protegida.ie.directores.get().usuario
    # Its tutor records; the director wrote a reserved note there.
    assert RegistroMensual.objects.filter(seccion=protegida).exists()
    assert AccionSeguimiento.objects.filter(
        seccion=protegida, autor=director, reservada=True
    ).exists()
    # Someone alto or medio without any action: the list's filter shows them.
    nivel = _nivel_de()
    alumnos = protegida.matriculas.values_list("estudiante_id", flat=True)
    con_accion = set(
        AccionSeguimiento.objects.filter(seccion=protegida).values_list(
            "estudiante_id", flat=True
        )
    )
    assert any(
        nivel[e] in (NivelRiesgo.ALTO, NivelRiesgo.MEDIO) and e not in con_accion
        for e in alumnos
    )


def test_the_same_seed_writes_the_same_follow_up_and_a_rerun_adds_nothing(region):
    primera = seguimiento_generar(hoy=HOY, semilla=3)
    firma = _firma()
    otra_vez = seguimiento_generar(hoy=HOY, semilla=3)
    assert otra_vez.ya_habia and (otra_vez.acciones, otra_vez.registros) == (0, 0)
    assert _firma() == firma
    AccionSeguimiento.objects.all().delete()
    RegistroMensual.objects.all().delete()
    de_nuevo = seguimiento_generar(hoy=HOY, semilla=3)
    assert (de_nuevo.acciones, de_nuevo.registros) == (
        primera.acciones,
        primera.registros,
    )
    assert _firma() == firma
    # Each action's history starts on the day it was written, by its author.
    a = AccionSeguimiento.objects.filter(fecha__lte=HOY).first()
    version = a.versiones.get()
    assert version.history_user_id == a.autor_id
    assert a.creada.date() == a.fecha == version.history_date.date()


def test_monthly_records_are_written_over_their_month_never_after_today(region):
    from django.utils import timezone

    seguimiento_generar(hoy=HOY, semilla=3)
    fechas = [
        (mes, timezone.localtime(creado).date())
        for mes, creado in RegistroMensual.objects.values_list("mes", "creado")
    ]
    assert fechas
    assert all(mes <= dia <= HOY and dia.month == mes.month for mes, dia in fechas)
    # Spread over the weeks, not all on one day.
    assert len({dia for _mes, dia in fechas}) > 10
