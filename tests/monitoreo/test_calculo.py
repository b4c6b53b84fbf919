"""The nightly aggregation of use (monitoreo.calculo), counted by hand on the
shared world: Tania tutors 3.º A of IE Uno, Diego directs IE Uno, Tomás
tutors at IE Dos (all UGEL Norte); Úrsula is the UGEL's specialist.

"Now" is Wednesday 21 October 2026, noon in Lima: the current week starts on
Monday the 19th, the previous one on the 12th.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from alerta.models import Accion, RegistroAcceso, Rol
from monitoreo import calculo
from monitoreo.models import (
    CalculoUso,
    Ingreso,
    TipoAmbito,
    UsoAmbitoSemana,
    UsoDocente,
    UsoDocenteSemana,
    UsoIE,
)
from orientaciones.models import Lectura, Orientacion
from seguimiento.models import AccionSeguimiento, RegistroMensual, TipoAccion
from tests.factories import SeccionFactory, UsuarioFactory, asignar

pytestmark = pytest.mark.django_db

LIMA = ZoneInfo("America/Lima")
AHORA = datetime(2026, 10, 21, 12, 0, tzinfo=LIMA)
SEMANA = date(2026, 10, 19)
ANTERIOR = date(2026, 10, 12)


def _en(dia: date, hora: int = 10, minuto: int = 0) -> datetime:
    return datetime.combine(dia, time(hora, minuto), tzinfo=LIMA)


def _ingreso(usuario, momento):
    fila = Ingreso.objects.create(usuario=usuario)
    Ingreso.objects.filter(pk=fila.pk).update(fecha=momento)


def _acceso(usuario, accion, objeto, momento):
    fila = RegistroAcceso.objects.create(usuario=usuario, accion=accion, objeto=objeto)
    RegistroAcceso.objects.filter(pk=fila.pk).update(fecha=momento)


def _lectura(usuario, slug, momento):
    fila = Lectura.objects.create(
        usuario=usuario, orientacion=Orientacion.objects.get(slug=slug)
    )
    Lectura.objects.filter(pk=fila.pk).update(fecha=momento)


def _accion(autor, matricula, momento):
    fila = AccionSeguimiento.objects.create(
        estudiante=matricula.estudiante,
        seccion=matricula.seccion,
        tipo=TipoAccion.objects.get(codigo="llamada_visita"),
        fecha=momento.date(),
        autor=autor,
    )
    AccionSeguimiento.objects.filter(pk=fila.pk).update(creada=momento)


def _registro(autor, matricula, momento, mes=date(2026, 10, 1)):
    fila = RegistroMensual.objects.create(
        estudiante=matricula.estudiante,
        seccion=matricula.seccion,
        mes=mes,
        contactado=True,
        medio="PRESENCIAL",
        autor=autor,
    )
    RegistroMensual.objects.filter(pk=fila.pk).update(creado=momento)


def _semana_de(usuario, ie, semana=SEMANA) -> dict:
    return (
        UsoDocenteSemana.objects.filter(usuario=usuario, ie=ie, semana=semana)
        .values(*calculo.CAMPOS)
        .get()
    )


def _ambito(tipo, pk, semana=SEMANA) -> UsoAmbitoSemana:
    return UsoAmbitoSemana.objects.get(tipo=tipo, ambito_id=pk, semana=semana)


@pytest.fixture
def usado(mundo, puntajes):
    """Tania's busy week, Diego's sign-in last week, Úrsula's own use."""
    tania, diego = mundo.tutora, mundo.director
    martes = date(2026, 10, 20)
    _ingreso(tania, _en(martes, 8))
    _ingreso(tania, _en(martes, 15))
    # The same list three times is one list; another list is a second.
    for hora in (8, 9, 10):
        _acceso(
            tania,
            Accion.VER_LISTA,
            f"seccion:{mundo.seccion_a.uuid}",
            _en(martes, hora),
        )
    _acceso(tania, Accion.VER_LISTA, "ie:otra", _en(martes, 11))
    estudiante = mundo.matriculas_a[1].estudiante
    for hora in (8, 9):
        _acceso(
            tania,
            Accion.VER_ESTUDIANTE,
            f"estudiante:{estudiante.uuid}",
            _en(martes, hora),
        )
    _acceso(tania, Accion.DESCARGAR, f"seccion:{mundo.seccion_a.uuid}", _en(martes, 9))
    _acceso(tania, Accion.DESCARGAR, f"seccion:{mundo.seccion_a.uuid}", _en(martes, 10))
    _lectura(tania, "tutoria-individual", _en(martes, 9))
    _lectura(tania, "tutoria-individual", _en(martes, 10))
    _accion(tania, mundo.matriculas_a[1], _en(martes, 11))
    _registro(tania, mundo.matriculas_a[0], _en(martes, 12))
    _registro(tania, mundo.matriculas_a[1], _en(martes, 12))
    # Diego signed in on Sunday at 23:30 in Lima, already Monday in UTC: it
    # is last week's.
    _ingreso(diego, _en(date(2026, 10, 18), 23, 30))
    # A specialist's use is not a teacher's.
    _ingreso(mundo.ugel, _en(martes, 9))
    return mundo


def test_a_teachers_week_counts_people_and_distinct_things(usado):
    calculo.uso_calcular(ahora=AHORA)
    assert _semana_de(usado.tutora, usado.ie_uno) == {
        "ingresos": 2,
        "listas": 2,
        "fichas": 1,
        "descargas": 2,
        "lecturas": 1,
        "acciones": 1,
        "registros": 2,
    }
    assert _semana_de(usado.director, usado.ie_uno, ANTERIOR)["ingresos"] == 1
    # No use, no row: Diego this week, Tomás ever, Úrsula (not a teacher).
    assert not UsoDocenteSemana.objects.filter(usuario=usado.director, semana=SEMANA)
    assert not UsoDocenteSemana.objects.filter(usuario=usado.tutor_otra_ie)
    assert not UsoDocenteSemana.objects.filter(usuario=usado.ugel)


def test_each_scope_counts_its_teachers_and_the_distinct_active_ones(usado):
    calculo.uso_calcular(ahora=AHORA)
    ie_uno = _ambito(TipoAmbito.IE, usado.ie_uno.pk)
    assert (ie_uno.docentes, ie_uno.activos, ie_uno.listas) == (2, 1, 2)
    ie_dos = _ambito(TipoAmbito.IE, usado.ie_dos.pk)
    assert (ie_dos.docentes, ie_dos.activos) == (1, 0)
    ugel = _ambito(TipoAmbito.UGEL, usado.ugel_norte.pk)
    assert (ugel.docentes, ugel.activos, ugel.ingresos) == (3, 1, 2)
    pais = _ambito(TipoAmbito.PAIS, 0, ANTERIOR)
    assert (pais.docentes, pais.activos, pais.ingresos) == (3, 1, 1)
    # Every week of the window is written, with or without use.
    assert UsoAmbitoSemana.objects.filter(tipo=TipoAmbito.PAIS).count() == (
        calculo.SEMANAS_HISTORIA
    )


def test_a_person_with_two_roles_in_one_ie_counts_once(usado):
    asignar(usado.tutora, Rol.DIRECTOR, ie=usado.ie_uno, anio=2026)
    asignar(usado.tutora, Rol.TUTOR, seccion=usado.seccion_b)
    calculo.uso_calcular(ahora=AHORA)
    assert (
        UsoDocenteSemana.objects.filter(usuario=usado.tutora, semana=SEMANA).count()
        == 1
    )
    assert _ambito(TipoAmbito.IE, usado.ie_uno.pk).activos == 1
    assert _ambito(TipoAmbito.UGEL, usado.ugel_norte.pk).ingresos == 2
    fila = UsoDocente.objects.get(usuario=usado.tutora, ie=usado.ie_uno)
    assert fila.es_tutor and fila.es_director


def test_a_teacher_of_two_ies_counts_at_both_and_once_in_their_ugel(usado):
    asignar(usado.tutora, Rol.TUTOR, seccion=usado.seccion_dos)
    calculo.uso_calcular(ahora=AHORA)
    assert _ambito(TipoAmbito.IE, usado.ie_dos.pk).activos == 1
    assert _ambito(TipoAmbito.IE, usado.ie_uno.pk).activos == 1
    ugel = _ambito(TipoAmbito.UGEL, usado.ugel_norte.pk)
    assert (ugel.activos, ugel.ingresos) == (1, 2)


def test_last_years_tutor_is_nobodys_teacher(usado):
    antigua = SeccionFactory(ie=usado.ie_dos, anio=2025)
    antiguo = UsuarioFactory(username="antiguo")
    asignar(antiguo, Rol.TUTOR, seccion=antigua)
    _ingreso(antiguo, _en(date(2026, 10, 20)))
    calculo.uso_calcular(ahora=AHORA)
    assert not UsoDocente.objects.filter(usuario=antiguo).exists()
    assert not UsoDocenteSemana.objects.filter(usuario=antiguo).exists()
    assert _ambito(TipoAmbito.IE, usado.ie_dos.pk).docentes == 1


def test_the_snapshot_of_each_teacher(usado):
    usado.tutora.last_login = _en(date(2026, 10, 20), 15)
    usado.tutora.save(update_fields=["last_login"])
    calculo.uso_calcular(ahora=AHORA)
    tania = UsoDocente.objects.get(usuario=usado.tutora, ie=usado.ie_uno)
    assert tania.ultimo_ingreso == _en(date(2026, 10, 20), 15)
    assert tania.ultimo_uso == _en(date(2026, 10, 20), 15)
    assert (tania.ingresos, tania.listas, tania.acciones, tania.registros) == (
        2,
        2,
        1,
        2,
    )
    # Her sección's three students, two with this month's record.
    assert (tania.estudiantes, tania.con_registro_mes) == (3, 2)
    assert (tania.ugel_id, tania.dre_id) == (
        usado.ugel_norte.pk,
        usado.ugel_norte.dre_id,
    )
    diego = UsoDocente.objects.get(usuario=usado.director)
    # The whole IE (3.º A and B), and last week's sign-in within four weeks.
    assert (diego.estudiantes, diego.con_registro_mes, diego.ingresos) == (4, 2, 1)
    assert diego.ultimo_ingreso is None
    tomas = UsoDocente.objects.get(usuario=usado.tutor_otra_ie)
    assert (tomas.ingresos, tomas.ultimo_uso) == (0, None)


def test_the_snapshot_of_each_ie(usado):
    calculo.uso_calcular(ahora=AHORA)
    uno = UsoIE.objects.get(ie=usado.ie_uno)
    assert (uno.docentes, uno.activos, uno.nunca_ingresaron) == (2, 2, 2)
    # 3.º A: bajo, alto, medio; 3.º B: alto. Tania's action is on the alto one.
    assert (uno.alto, uno.medio, uno.alto_medio_con_accion) == (2, 1, 1)
    assert (uno.estudiantes, uno.con_registro_mes) == (4, 2)
    assert not uno.sin_uso_30_dias
    # IE Dos and IE Sur have no alto student: never listed as without use.
    assert not UsoIE.objects.get(ie=usado.ie_dos).sin_uso_30_dias
    assert UsoIE.objects.get(ie=usado.ie_sur).docentes == 0


def test_an_ie_with_alto_students_and_no_use_in_30_days_is_flagged(usado):
    calculo.uso_calcular(ahora=datetime(2026, 11, 25, 12, 0, tzinfo=LIMA))
    assert UsoIE.objects.get(ie=usado.ie_uno).sin_uso_30_dias


def test_a_second_run_writes_the_same_rows(usado):
    calculo.uso_calcular(ahora=AHORA)
    antes = list(
        UsoAmbitoSemana.objects.values_list(
            "tipo", "ambito_id", "semana", "activos", "listas"
        ).order_by("tipo", "ambito_id", "semana")
    )
    calculo.uso_calcular(ahora=AHORA)
    despues = list(
        UsoAmbitoSemana.objects.values_list(
            "tipo", "ambito_id", "semana", "activos", "listas"
        ).order_by("tipo", "ambito_id", "semana")
    )
    assert antes == despues
    assert UsoDocenteSemana.objects.filter(usuario=usado.tutora).count() == 1


def test_a_closed_week_is_not_read_again_but_the_last_two_are(usado):
    calculo.uso_calcular(ahora=AHORA)
    # Late rows: one three weeks back (closed), one last week (recomputed).
    _ingreso(usado.tutor_otra_ie, _en(date(2026, 9, 29)))
    _ingreso(usado.tutor_otra_ie, _en(date(2026, 10, 13)))
    calculo.uso_calcular(ahora=AHORA)
    semanas = set(
        UsoDocenteSemana.objects.filter(usuario=usado.tutor_otra_ie).values_list(
            "semana", flat=True
        )
    )
    assert semanas == {ANTERIOR}


def test_a_failed_run_keeps_yesterdays_figures_and_says_why(usado, monkeypatch):
    calculo.uso_calcular(ahora=AHORA)
    antes = UsoIE.objects.count()

    def falla(*args, **kwargs):
        raise RuntimeError("disco lleno")

    monkeypatch.setattr(calculo, "_escribir_fotos", falla)
    with pytest.raises(RuntimeError):
        calculo.uso_calcular(ahora=AHORA)
    assert UsoIE.objects.count() == antes
    ultimo = CalculoUso.objects.first()
    assert "disco lleno" in ultimo.error
    assert ultimo.fin is not None


def test_the_aggregation_runs_each_night_after_the_scoring_run():
    from django.conf import settings

    from alerta.celery import app

    entrada = settings.CELERY_BEAT_SCHEDULE["uso-calcular"]
    puntaje = settings.CELERY_BEAT_SCHEDULE["puntaje-nocturno"]["schedule"]
    # What a worker does at start: import every app's tasks module.
    app.loader.import_default_modules()
    assert entrada["task"] in app.tasks
    assert entrada["schedule"].hour == {4} and entrada["schedule"].minute == {15}
    assert min(entrada["schedule"].hour) > min(puntaje.hour)


def test_the_task_runs_the_aggregation(usado):
    from monitoreo.tasks import calcular_uso

    assert calcular_uso.delay().get() == UsoDocente.objects.count() == 3
    assert CalculoUso.objects.get().fin is not None
