"""The feature table, pinned feature by feature on small hand-made histories."""

import datetime as dt
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerta.models import (
    Area,
    Asistencia,
    Evaluacion,
    Gestion,
    Hogar,
    Matricula,
    Nivel,
    Seccion,
    SituacionFinal,
    SituacionMatricula,
)
from riesgo.features import (
    CATEGORICAS,
    NUMERICAS,
    construir_features,
    tasas_desercion,
)
from tests.factories import DistritoFactory, EstudianteFactory, IEFactory

P, S = Nivel.PRIMARIA, Nivel.SECUNDARIA


def matricular(estudiante, ie, anio, nivel=P, grado=3, letra="A", **campos):
    seccion, _ = Seccion.objects.get_or_create(
        ie=ie, anio=anio, nivel=nivel, grado=grado, letra=letra
    )
    campos.setdefault("situacion_matricula", SituacionMatricula.PROMOVIDO)
    return Matricula.objects.create(estudiante=estudiante, seccion=seccion, **campos)


def fila(X, estudiante):
    filas = X[X["estudiante_id"] == estudiante.pk]
    assert len(filas) == 1
    return filas.iloc[0]


def es_nan(valor) -> bool:
    return isinstance(valor, float) and math.isnan(valor)


@pytest.fixture
def ie(db):
    return IEFactory()


# --- shape ---------------------------------------------------------------------


def test_it_has_one_row_per_student_with_the_public_columns(ie):
    e = EstudianteFactory()
    m = matricular(e, ie, 2026)
    X = construir_features(2026)
    assert list(X.columns) == ["estudiante_id", "ie_id", *NUMERICAS, *CATEGORICAS]
    assert X.index.name == "matricula_id"
    assert list(X.index) == [m.pk]
    assert X.loc[m.pk, "ie_id"] == ie.pk
    assert all(X[c].dtype == "float64" for c in NUMERICAS)
    assert all(isinstance(v, str) for c in CATEGORICAS for v in X[c])


def test_a_year_without_students_gives_an_empty_table_with_every_column(db):
    X = construir_features(2026)
    assert X.empty
    assert list(X.columns) == ["estudiante_id", "ie_id", *NUMERICAS, *CATEGORICAS]
    assert X.index.name == "matricula_id"


# --- the student in year t -----------------------------------------------------


def test_extraedad_counts_age_on_31_march_against_the_normative_age(ie):
    a_tiempo = EstudianteFactory(fecha_nacimiento=dt.date(2016, 3, 31))
    despues = EstudianteFactory(fecha_nacimiento=dt.date(2016, 4, 1))
    mayor = EstudianteFactory(fecha_nacimiento=dt.date(2010, 1, 15))
    matricular(a_tiempo, ie, 2025, P, 4)  # 9 years old, 4.º: 0
    matricular(despues, ie, 2025, P, 4)  # 8 years old: -1
    matricular(mayor, ie, 2025, S, 1)  # 15 years old in 1.º de secundaria: 3
    X = construir_features(2025)
    assert fila(X, a_tiempo)["extraedad"] == 0
    assert fila(X, despues)["extraedad"] == -1
    assert fila(X, mayor)["extraedad"] == 3
    assert fila(X, mayor)["grado"] == 1
    assert fila(X, mayor)["nivel"] == S


def test_repetition_counts_the_years_with_repite_up_to_t(ie):
    e = EstudianteFactory()
    matricular(e, ie, 2024, grado=3, situacion_matricula=SituacionMatricula.REPITE)
    matricular(e, ie, 2025, grado=3, situacion_matricula=SituacionMatricula.REPITE)
    matricular(e, ie, 2026, grado=4)
    assert fila(construir_features(2024), e)["anios_repetidos"] == 1
    assert fila(construir_features(2025), e)["anios_repetidos"] == 2
    assert fila(construir_features(2025), e)["repite"] == 1
    ultimo = fila(construir_features(2026), e)
    assert ultimo["anios_repetidos"] == 2
    assert ultimo["repite"] == 0


def test_a_missing_year_then_a_return_is_one_interruption(ie):
    otro = EstudianteFactory()
    for anio in (2024, 2025, 2026):
        matricular(otro, ie, anio)
    vuelve = EstudianteFactory()
    matricular(vuelve, ie, 2024, grado=3)
    matricular(vuelve, ie, 2026, grado=4)
    X = construir_features(2026)
    assert fila(X, vuelve)["interrupciones"] == 1
    assert fila(X, vuelve)["matriculado_anio_anterior"] == 0
    assert fila(X, vuelve)["reentrante"] == 0
    assert fila(X, otro)["interrupciones"] == 0


def test_a_reentrante_status_and_the_gap_it_closes_count_once(ie):
    otro = EstudianteFactory()
    for anio in (2024, 2025, 2026):
        matricular(otro, ie, anio)
    e = EstudianteFactory()
    matricular(e, ie, 2024, grado=3)
    matricular(e, ie, 2026, grado=4, situacion_matricula=SituacionMatricula.REENTRANTE)
    ultimo = fila(construir_features(2026), e)
    assert ultimo["interrupciones"] == 1
    assert ultimo["reentrante"] == 1


def test_a_past_reentrante_after_leaving_mid_year_counts(ie):
    e = EstudianteFactory()
    matricular(e, ie, 2024, grado=3, situacion_final=SituacionFinal.RETIRADO)
    matricular(e, ie, 2025, grado=3, situacion_matricula=SituacionMatricula.REENTRANTE)
    matricular(e, ie, 2026, grado=4)
    ultimo = fila(construir_features(2026), e)
    assert ultimo["interrupciones"] == 1
    assert ultimo["reentrante"] == 0
    assert fila(construir_features(2025), e)["retirado_anio_anterior"] == 1


def test_a_gap_over_a_year_never_imported_is_not_an_interruption(ie):
    e = EstudianteFactory()
    matricular(e, ie, 2023, grado=3)
    matricular(e, ie, 2025, grado=4)
    X = construir_features(2025)
    assert fila(X, e)["interrupciones"] == 0


def test_previous_year_features_are_unknown_when_it_was_never_imported(ie):
    e = EstudianteFactory()
    m = matricular(e, ie, 2025)
    Evaluacion.objects.create(
        estudiante=e, anio=2025, periodo="FINAL", area="MATEMATICA", calificativo="A"
    )
    r = construir_features(2025).loc[m.pk]
    for col in (
        "matriculado_anio_anterior",
        "desaprobo_anio_anterior",
        "retirado_anio_anterior",
        "tasa_inasistencia_anterior",
        "tendencia_notas",
        "desercion_ie_anterior",
        "desercion_distrito_anterior",
    ):
        assert es_nan(r[col]), col
    assert r["nota_matematica"] == 3


def test_the_previous_year_says_enrolled_failed_or_left(ie):
    desaprobo = EstudianteFactory()
    retirado = EstudianteFactory()
    nuevo = EstudianteFactory()
    matricular(desaprobo, ie, 2025, situacion_final=SituacionFinal.DESAPROBADO)
    matricular(retirado, ie, 2025, situacion_final=SituacionFinal.RETIRADO)
    for e in (desaprobo, retirado, nuevo):
        matricular(e, ie, 2026, grado=4)
    X = construir_features(2026)
    assert fila(X, desaprobo)[
        ["matriculado_anio_anterior", "desaprobo_anio_anterior"]
    ].tolist() == [1, 1]
    assert fila(X, desaprobo)["retirado_anio_anterior"] == 0
    assert fila(X, retirado)["retirado_anio_anterior"] == 1
    assert fila(X, retirado)["desaprobo_anio_anterior"] == 0
    assert fila(X, nuevo)[
        ["matriculado_anio_anterior", "desaprobo_anio_anterior"]
    ].tolist() == [0, 0]


# --- school changes --------------------------------------------------------------


def test_a_mid_year_transfer_is_a_school_change_and_the_row_is_the_new_school(ie):
    otra = IEFactory()
    e = EstudianteFactory()
    matricular(e, ie, 2025, situacion_final=SituacionFinal.TRASLADADO)
    nueva = matricular(e, otra, 2025)
    matricular(e, otra, 2026, grado=4)
    r = construir_features(2025).loc[nueva.pk]
    assert r["ie_id"] == otra.pk
    assert r["traslado_en_anio"] == 1
    assert r["cambios_ie"] == 1
    siguiente = fila(construir_features(2026), e)
    assert siguiente["traslado_en_anio"] == 0
    assert siguiente["cambios_ie"] == 1


def test_moving_on_to_secundaria_elsewhere_is_not_a_school_change(ie):
    colegio = IEFactory()
    pasa = EstudianteFactory()
    matricular(pasa, ie, 2025, P, 6)
    matricular(pasa, colegio, 2026, S, 1)
    cambia = EstudianteFactory()
    matricular(cambia, ie, 2025, P, 3)
    matricular(cambia, IEFactory(), 2026, P, 4)
    X = construir_features(2026)
    assert fila(X, pasa)["cambios_ie"] == 0
    assert fila(X, cambia)["cambios_ie"] == 1


# --- attendance and grades -----------------------------------------------------


def _asistencia(e, anio, periodo, dias, faltas):
    Asistencia.objects.create(
        estudiante=e,
        anio=anio,
        periodo=periodo,
        dias_lectivos=dias,
        inasistencias_injustificadas=faltas,
        inasistencias_justificadas=3,
    )


def test_absence_rate_is_unexcused_absences_over_school_days(ie):
    e = EstudianteFactory()
    sin_datos = EstudianteFactory()
    for x in (e, sin_datos):
        matricular(x, ie, 2025)
        matricular(x, ie, 2026, grado=4)
    _asistencia(e, 2026, "1", 50, 5)
    _asistencia(e, 2026, "2", 50, 15)
    _asistencia(e, 2025, "1", 40, 4)
    X = construir_features(2026)
    assert fila(X, e)["tasa_inasistencia"] == pytest.approx(0.2)
    assert fila(X, e)["tasa_inasistencia_anterior"] == pytest.approx(0.1)
    assert es_nan(fila(X, sin_datos)["tasa_inasistencia"])
    assert es_nan(fila(X, sin_datos)["tasa_inasistencia_anterior"])


def _nota(e, anio, area, periodo, calificativo):
    Evaluacion.objects.create(
        estudiante=e, anio=anio, area=area, periodo=periodo, calificativo=calificativo
    )


def test_notes_take_the_final_period_or_the_mean_of_the_periods(ie):
    e = EstudianteFactory()
    matricular(e, ie, 2025)
    matricular(e, ie, 2026, grado=4)
    _nota(e, 2026, "MATEMATICA", "1", "C")
    _nota(e, 2026, "MATEMATICA", "FINAL", "A")
    _nota(e, 2026, "COMUNICACION", "1", "B")
    _nota(e, 2026, "COMUNICACION", "2", "C")
    _nota(e, 2026, "CIENCIA Y TECNOLOGIA", "FINAL", "AD")
    _nota(e, 2025, "MATEMATICA", "FINAL", "AD")
    _nota(e, 2025, "COMUNICACION", "FINAL", "20")
    r = fila(construir_features(2026), e)
    assert r["nota_matematica"] == 3
    assert r["nota_comunicacion"] == 1.5
    assert r["tendencia_notas"] == pytest.approx((3 + 1.5) / 2 - 4)


def test_vigesimal_grades_map_onto_the_letter_scale(ie):
    e = EstudianteFactory()
    matricular(e, ie, 2026, S, 2)
    _nota(e, 2026, "MATEMATICA", "FINAL", "10")
    _nota(e, 2026, "COMUNICACION", "FINAL", "0")
    r = fila(construir_features(2026), e)
    assert r["nota_matematica"] == pytest.approx(2.5)
    assert r["nota_comunicacion"] == 1


def test_notes_and_trend_are_unknown_without_grade_rows(ie):
    e = EstudianteFactory()
    solo_este_anio = EstudianteFactory()
    for x in (e, solo_este_anio):
        matricular(x, ie, 2025)
        matricular(x, ie, 2026, grado=4)
    _nota(solo_este_anio, 2026, "MATEMATICA", "FINAL", "B")
    X = construir_features(2026)
    assert es_nan(fila(X, e)["nota_matematica"])
    assert es_nan(fila(X, e)["tendencia_notas"])
    assert fila(X, solo_este_anio)["nota_matematica"] == 2
    assert es_nan(fila(X, solo_este_anio)["nota_comunicacion"])
    assert es_nan(fila(X, solo_este_anio)["tendencia_notas"])


# --- student, household and school ---------------------------------------------


def test_student_and_household_features(db):
    ie = IEFactory(area=Area.RURAL, gestion=Gestion.PRIVADA)
    e = EstudianteFactory(
        lengua_materna="QUECHUA", discapacidad="VISUAL", tipo_documento="CE"
    )
    Hogar.objects.create(estudiante=e, cse="POBRE EXTREMO", programa_juntos=True)
    matricular(
        e,
        ie,
        2026,
        trabaja=True,
        horas_semanales_trabajo=20,
        nivel_instruccion_apoderado="SECUNDARIA COMPLETA",
        parentesco_apoderado="ABUELO(A)",
        situacion_final=SituacionFinal.REQUIERE_RECUPERACION,
    )
    r = fila(construir_features(2026), e)
    assert r[
        [
            "trabaja",
            "horas_trabajo",
            "lengua_originaria",
            "discapacidad",
            "documento_extranjero",
            "juntos",
            "educacion_apoderado",
            "apoderado_no_padre",
            "rural",
            "privada",
        ]
    ].tolist() == [1, 20, 1, 1, 1, 1, 4, 1, 1, 1]
    assert r["cse"] == "POBRE EXTREMO"
    assert r["situacion_final"] == "REQUIERE RECUPERACION"


def test_the_usual_values_give_zero(ie):
    e = EstudianteFactory(
        lengua_materna="CASTELLANO", discapacidad="NINGUNA", tipo_documento="DNI"
    )
    Hogar.objects.create(estudiante=e, cse="NO POBRE", programa_juntos=False)
    matricular(e, ie, 2026, trabaja=False, parentesco_apoderado="MADRE")
    r = fila(construir_features(2026), e)
    assert (
        r[
            [
                "trabaja",
                "horas_trabajo",
                "lengua_originaria",
                "discapacidad",
                "documento_extranjero",
                "juntos",
                "apoderado_no_padre",
                "rural",
                "privada",
            ]
        ].tolist()
        == [0] * 9
    )


def test_what_is_not_recorded_stays_unknown(ie):
    e = EstudianteFactory(lengua_materna="", discapacidad="", tipo_documento="")
    matricular(e, ie, 2026)
    r = fila(construir_features(2026), e)
    for col in (
        "trabaja",
        "horas_trabajo",
        "lengua_originaria",
        "discapacidad",
        "documento_extranjero",
        "juntos",
        "educacion_apoderado",
        "apoderado_no_padre",
    ):
        assert es_nan(r[col]), col
    assert r["cse"] == "DESCONOCIDO"
    assert r["situacion_final"] == "DESCONOCIDO"


def test_school_size_counts_each_student_of_the_ie_once(ie):
    otra = IEFactory()
    for _ in range(3):
        matricular(EstudianteFactory(), ie, 2026)
    movido = EstudianteFactory()
    matricular(movido, ie, 2026, situacion_final=SituacionFinal.TRASLADADO)
    matricular(movido, otra, 2026)
    X = construir_features(2026)
    assert set(X.loc[X["ie_id"] == ie.pk, "tamano_ie"]) == {3}
    assert fila(X, movido)["tamano_ie"] == 1


# --- dropout rates of schools and districts ------------------------------------


@pytest.fixture
def historia_de_desercion(db):
    """2025 -> 2026 in two distritos.

    IE uno: one student stays, one leaves, one dies, one graduates from 5.º de
    secundaria, one fails 5.º and does not come back (left out like every
    5.º student), one moves to IE dos mid-2025 and then leaves: 1 of 2.
    IE dos (same distrito): the mover and two who stay: 1 of 3. Distrito:
    2 of 5. IE tres (another distrito): its only student stays. IE cuatro
    opens in 2026.
    """
    uno, dos, cuatro = IEFactory(), IEFactory(), IEFactory()
    tres = IEFactory(distrito=DistritoFactory(ubigeo="080102", nombre="Otro"))
    queda = EstudianteFactory()
    matricular(queda, uno, 2025)
    matricular(queda, uno, 2026, grado=4)
    matricular(EstudianteFactory(), uno, 2025)
    matricular(EstudianteFactory(), uno, 2025, situacion_final=SituacionFinal.FALLECIDO)
    matricular(
        EstudianteFactory(), uno, 2025, S, 5, situacion_final=SituacionFinal.APROBADO
    )
    matricular(
        EstudianteFactory(),
        uno,
        2025,
        S,
        5,
        situacion_final=SituacionFinal.DESAPROBADO,
    )
    movido = EstudianteFactory()
    matricular(movido, uno, 2025, situacion_final=SituacionFinal.TRASLADADO)
    matricular(movido, dos, 2025)
    se_va_lejos = EstudianteFactory()
    matricular(se_va_lejos, dos, 2025)
    matricular(se_va_lejos, tres, 2026, grado=4)
    sigue_dos = EstudianteFactory()
    matricular(sigue_dos, dos, 2025)
    matricular(sigue_dos, dos, 2026, grado=4)
    de_tres = EstudianteFactory()
    matricular(de_tres, tres, 2025)
    matricular(de_tres, tres, 2026, grado=4)
    nueva = EstudianteFactory()
    matricular(nueva, cuatro, 2026)
    return {
        "uno": uno,
        "dos": dos,
        "tres": tres,
        "cuatro": cuatro,
        "queda": queda,
        "sigue_dos": sigue_dos,
        "se_va_lejos": se_va_lejos,
        "de_tres": de_tres,
        "nueva": nueva,
    }


def test_school_and_district_rates_of_last_year(historia_de_desercion):
    h = historia_de_desercion
    X = construir_features(2026)
    assert fila(X, h["queda"])["desercion_ie_anterior"] == 0.5
    assert fila(X, h["queda"])["desercion_distrito_anterior"] == 0.4
    assert fila(X, h["sigue_dos"])["desercion_ie_anterior"] == pytest.approx(1 / 3)
    # The rates are those of the student's IE of this year, not last year's.
    assert fila(X, h["se_va_lejos"])["desercion_ie_anterior"] == 0
    assert fila(X, h["se_va_lejos"])["desercion_distrito_anterior"] == 0
    assert es_nan(fila(X, h["nueva"])["desercion_ie_anterior"])
    assert fila(X, h["nueva"])["desercion_distrito_anterior"] == 0.4


def test_a_range_of_ies_keeps_its_students_and_whole_school_rates(
    historia_de_desercion,
):
    h = historia_de_desercion
    todo = construir_features(2026)
    uno = h["uno"].pk
    parte = construir_features(2026, ies=(uno, uno))
    assert list(parte["estudiante_id"]) == [h["queda"].pk]
    assert parte.equals(todo.loc[parte.index])
    parte = construir_features(2026, ies=(h["dos"].pk, h["cuatro"].pk))
    assert set(parte["ie_id"]) == {h["dos"].pk, h["cuatro"].pk}
    assert parte.equals(todo.loc[parte.index])
    assert construir_features(2026, ies=(10**9, 10**9 + 5)).empty


def test_a_range_given_the_whole_year_rates_gives_the_same_rows(
    historia_de_desercion,
):
    h = historia_de_desercion
    todo = construir_features(2026)
    tasas = tasas_desercion(2026)
    parte = construir_features(2026, ies=(h["dos"].pk, h["cuatro"].pk), tasas=tasas)
    assert parte["desercion_ie_anterior"].notna().any()
    assert parte.equals(todo.loc[parte.index])


def test_a_range_keeps_a_student_where_the_representative_enrollment_is(ie):
    otra = IEFactory()
    movido = EstudianteFactory()
    matricular(movido, ie, 2026, situacion_final=SituacionFinal.TRASLADADO)
    nueva = matricular(movido, otra, 2026)
    assert construir_features(2026, ies=(ie.pk, ie.pk)).empty
    X = construir_features(2026, ies=(otra.pk, otra.pk))
    assert list(X.index) == [nueva.pk]
    assert X.loc[nueva.pk, "traslado_en_anio"] == 1


# --- who is scored -------------------------------------------------------------


def test_solo_vigentes_leaves_out_the_dead_and_those_moved_away(ie):
    sigue = EstudianteFactory()
    matricular(sigue, ie, 2026)
    murio = EstudianteFactory()
    matricular(murio, ie, 2026, situacion_final=SituacionFinal.FALLECIDO)
    se_fue = EstudianteFactory()
    matricular(se_fue, ie, 2026, situacion_final=SituacionFinal.TRASLADADO)
    movido = EstudianteFactory()
    matricular(movido, ie, 2026, situacion_final=SituacionFinal.TRASLADADO)
    nueva = matricular(movido, IEFactory(), 2026)
    retirado = EstudianteFactory()
    matricular(retirado, ie, 2026, situacion_final=SituacionFinal.RETIRADO)
    # Every 5.º de secundaria student, whatever their situación, is not scored.
    for situacion in ("", SituacionFinal.DESAPROBADO, SituacionFinal.RETIRADO):
        matricular(EstudianteFactory(), ie, 2026, S, 5, situacion_final=situacion)
    en_quinto_de_primaria = EstudianteFactory()
    matricular(en_quinto_de_primaria, ie, 2026, Nivel.PRIMARIA, 5)
    todos = construir_features(2026)
    vigentes = construir_features(2026, solo_vigentes=True)
    assert len(todos) == 9
    assert set(vigentes["estudiante_id"]) == {
        sigue.pk,
        movido.pk,
        retirado.pk,
        en_quinto_de_primaria.pk,
    }
    assert nueva.pk in vigentes.index
    # Filtering does not change the school's size.
    assert fila(vigentes, sigue)["tamano_ie"] == 8


# --- cost ----------------------------------------------------------------------


def _poblar(ie, otra, n):
    for _ in range(n):
        e = EstudianteFactory()
        matricular(e, ie, 2025, situacion_matricula=SituacionMatricula.REPITE)
        matricular(e, ie, 2026, grado=4, situacion_final=SituacionFinal.TRASLADADO)
        matricular(e, otra, 2026, grado=4)
        _asistencia(e, 2026, "1", 50, 2)
        _nota(e, 2026, "MATEMATICA", "FINAL", "B")
        Hogar.objects.create(estudiante=e, cse="POBRE")


def _consultas(**kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        X = construir_features(2026, **kwargs)
    assert len(X)
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_students(ie):
    otra = IEFactory()
    _poblar(ie, otra, 2)
    pocos = _consultas(), _consultas(ies=(otra.pk, otra.pk))
    _poblar(ie, otra, 25)
    muchos = _consultas(), _consultas(ies=(otra.pk, otra.pk))
    assert pocos == muchos
    # Six feature queries, and for a chunk one more that lists its students.
    assert max(muchos) <= 7
