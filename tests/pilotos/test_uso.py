"""The nightly copy of each unit's weekly use (pilotos.uso): who counts as
the unit's teacher, each counted once, and weeks kept after monitoreo drops
them."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from alerta.models import Asignacion, Rol
from monitoreo.calculo import SEMANAS_HISTORIA, lunes_de
from monitoreo.models import UsoDocenteSemana
from pilotos.datos import uso_por_unidad
from pilotos.models import Evaluacion, Unidad, UsoUnidadSemana
from pilotos.services import evaluacion_publicar, evaluacion_sortear
from pilotos.uso import semanas_del_periodo, uso_de_unidades_registrar
from tests.factories import UsuarioFactory

from .conftest import crear

HOY = date(2026, 6, 17)
PUBLICADA = date(2026, 5, 4)


@pytest.fixture
def por_local(mundo, red) -> Evaluacion:
    """An evaluation of locales escolares (two IEs each), published on
    PUBLICADA."""
    evaluacion = evaluacion_sortear(evaluacion=crear(mundo, unidad=Unidad.LOCAL))
    evaluacion_publicar(evaluacion=evaluacion)
    Evaluacion.objects.filter(pk=evaluacion.pk).update(
        publicada_en=timezone.make_aware(datetime.combine(PUBLICADA, time(9)))
    )
    evaluacion.refresh_from_db()
    return evaluacion


def _director(ie, anio=2026):
    usuario = UsuarioFactory()
    Asignacion.objects.create(usuario=usuario, rol=Rol.DIRECTOR, ie=ie, anio=anio)
    return usuario


def _semana(usuario, ie, semana, **cuentas):
    UsoDocenteSemana.objects.create(usuario=usuario, ie=ie, semana=semana, **cuentas)


def test_a_units_teachers_count_once_and_their_counts_are_not_doubled(por_local):
    unidad = por_local.unidades.order_by("codigo").first()
    ie1, ie2 = unidad.ies.order_by("pk")
    ambas = _director(ie1)
    Asignacion.objects.create(usuario=ambas, rol=Rol.DIRECTOR, ie=ie2, anio=2026)
    otra = _director(ie2)
    _director(ie1, anio=2025)  # last year's director: not a teacher now
    semana = lunes_de(HOY) - timedelta(weeks=1)
    # A person's sign-ins appear at each of their IEs: counted once.
    _semana(ambas, ie1, semana, ingresos=3, listas=2, acciones=1)
    _semana(ambas, ie2, semana, ingresos=3, listas=1, acciones=1)
    _semana(otra, ie2, semana, ingresos=1, lecturas=2)
    # Before the publication: not the pilot's.
    _semana(otra, ie2, lunes_de(PUBLICADA) - timedelta(weeks=1), ingresos=5)

    uso_de_unidades_registrar(hoy=HOY)

    fila = UsoUnidadSemana.objects.get(unidad=unidad, semana=semana)
    assert (fila.docentes, fila.activos) == (2, 2)
    assert (fila.ingresos, fila.listas, fila.lecturas, fila.acciones) == (4, 2, 2, 1)
    semanas = semanas_del_periodo(por_local, HOY)
    assert semanas[0] == lunes_de(PUBLICADA) and semanas[-1] == lunes_de(HOY)
    # Every unit gets every week, with its teachers even when none used it.
    assert UsoUnidadSemana.objects.filter(unidad__evaluacion=por_local).count() == (
        por_local.unidades.count() * len(semanas)
    )
    uso = uso_por_unidad(por_local.unidades.all()).loc[unidad.pk]
    assert uso["uso"] == pytest.approx(2 / (2 * len(semanas)))
    # A second night writes the same.
    uso_de_unidades_registrar(hoy=HOY)
    assert UsoUnidadSemana.objects.get(unidad=unidad, semana=semana).activos == 2


def test_weeks_out_of_monitorings_window_are_kept(por_local):
    unidad = por_local.unidades.order_by("codigo").first()
    ie = unidad.ies.first()
    docente = _director(ie)
    primera = lunes_de(PUBLICADA)
    _semana(docente, ie, primera, ingresos=2)
    uso_de_unidades_registrar(hoy=HOY)
    # Half a year later monitoreo has dropped that week; the copy stays.
    UsoDocenteSemana.objects.all().delete()
    despues = HOY + timedelta(weeks=SEMANAS_HISTORIA + 2)
    uso_de_unidades_registrar(hoy=despues)
    assert UsoUnidadSemana.objects.get(unidad=unidad, semana=primera).activos == 1


def test_a_draft_copies_nothing(mundo, red):
    evaluacion = evaluacion_sortear(evaluacion=crear(mundo))
    assert uso_de_unidades_registrar(hoy=HOY) == 0
    assert not UsoUnidadSemana.objects.filter(unidad__evaluacion=evaluacion).exists()
