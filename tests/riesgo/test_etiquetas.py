"""The dropout label, pinned on small hand-made histories."""

import pytest

from alerta.models import Nivel, SituacionFinal, SituacionMatricula
from riesgo.features import construir_features, etiquetas
from tests.factories import EstudianteFactory, MatriculaFactory, SeccionFactory


@pytest.fixture
def dos_anios(db):
    return {
        "a2025": SeccionFactory(anio=2025, nivel=Nivel.SECUNDARIA, grado=3),
        "b2025": SeccionFactory(anio=2025, nivel=Nivel.SECUNDARIA, grado=5),
        "a2026": SeccionFactory(anio=2026, nivel=Nivel.SECUNDARIA, grado=4),
        "otra2026": SeccionFactory(anio=2026, nivel=Nivel.SECUNDARIA, grado=4),
    }


def _etiqueta(estudiante, anio=2025):
    X = construir_features(anio)
    y = etiquetas(anio, X)
    fila = X.index[X["estudiante_id"] == estudiante.pk]
    return None if fila.empty or fila[0] not in y.index else int(y[fila[0]])


def test_a_student_enrolled_nowhere_next_year_is_a_dropout(dos_anios):
    e = EstudianteFactory()
    MatriculaFactory(estudiante=e, seccion=dos_anios["a2025"])
    assert _etiqueta(e) == 1


def test_a_student_enrolled_next_year_is_not(dos_anios):
    e = EstudianteFactory()
    MatriculaFactory(estudiante=e, seccion=dos_anios["a2025"])
    MatriculaFactory(estudiante=e, seccion=dos_anios["a2026"])
    assert _etiqueta(e) == 0


def test_a_student_who_moved_to_another_school_is_not_a_dropout(dos_anios):
    e = EstudianteFactory()
    MatriculaFactory(
        estudiante=e,
        seccion=dos_anios["a2025"],
        situacion_final=SituacionFinal.TRASLADADO,
    )
    MatriculaFactory(estudiante=e, seccion=dos_anios["otra2026"])
    assert _etiqueta(e) == 0


def test_a_graduate_of_quinto_de_secundaria_is_left_out(dos_anios):
    e = EstudianteFactory()
    MatriculaFactory(
        estudiante=e,
        seccion=dos_anios["b2025"],
        situacion_final=SituacionFinal.APROBADO,
    )
    assert _etiqueta(e) is None


@pytest.mark.parametrize(
    "situacion",
    [
        SituacionFinal.DESAPROBADO,
        SituacionFinal.RETIRADO,
        SituacionFinal.REQUIERE_RECUPERACION,
        "",
    ],
)
@pytest.mark.parametrize("vuelve", [False, True])
def test_every_quinto_de_secundaria_student_is_left_out_whatever_their_situacion(
    dos_anios, situacion, vuelve
):
    # "Se excluyen estudiantes de 5to de secundaria": no label, whether they
    # come back next year or not.
    e = EstudianteFactory()
    MatriculaFactory(
        estudiante=e, seccion=dos_anios["b2025"], situacion_final=situacion
    )
    if vuelve:
        MatriculaFactory(
            estudiante=e,
            seccion=SeccionFactory(anio=2026, nivel=Nivel.SECUNDARIA, grado=5),
        )
    assert _etiqueta(e) is None


def test_quinto_de_primaria_is_labelled(db):
    e = EstudianteFactory()
    MatriculaFactory(
        estudiante=e, seccion=SeccionFactory(anio=2025, nivel=Nivel.PRIMARIA, grado=5)
    )
    SeccionFactory(anio=2026, nivel=Nivel.PRIMARIA, grado=6)
    assert _etiqueta(e) == 1


def test_a_student_moved_out_of_quinto_into_cuarto_counts_by_the_new_seccion(
    dos_anios,
):
    # The representative enrollment decides: the later one, in 4.º.
    e = EstudianteFactory()
    MatriculaFactory(
        estudiante=e,
        seccion=dos_anios["b2025"],
        situacion_final=SituacionFinal.TRASLADADO,
    )
    MatriculaFactory(
        estudiante=e,
        seccion=SeccionFactory(anio=2025, nivel=Nivel.SECUNDARIA, grado=4),
    )
    assert _etiqueta(e) == 1


def test_a_student_who_died_is_left_out(dos_anios):
    e = EstudianteFactory()
    MatriculaFactory(
        estudiante=e,
        seccion=dos_anios["a2025"],
        situacion_final=SituacionFinal.FALLECIDO,
    )
    assert _etiqueta(e) is None


def test_a_mid_year_transfer_counts_once_at_the_new_school(dos_anios):
    e = EstudianteFactory()
    otra = SeccionFactory(anio=2025, nivel=Nivel.SECUNDARIA, grado=3, letra="B")
    MatriculaFactory(
        estudiante=e,
        seccion=dos_anios["a2025"],
        situacion_final=SituacionFinal.TRASLADADO,
    )
    nueva = MatriculaFactory(estudiante=e, seccion=otra)
    X = construir_features(2025)
    filas = X[X["estudiante_id"] == e.pk]
    assert list(filas.index) == [nueva.pk]


def test_a_student_who_comes_back_as_reentrante_counts_as_enrolled(dos_anios):
    e = EstudianteFactory()
    MatriculaFactory(
        estudiante=e,
        seccion=dos_anios["a2025"],
        situacion_final=SituacionFinal.RETIRADO,
    )
    MatriculaFactory(
        estudiante=e,
        seccion=dos_anios["otra2026"],
        situacion_matricula=SituacionMatricula.REENTRANTE,
    )
    assert _etiqueta(e) == 0


def test_a_student_moved_mid_year_who_then_leaves_is_a_dropout(dos_anios):
    e = EstudianteFactory()
    otra = SeccionFactory(anio=2025, nivel=Nivel.SECUNDARIA, grado=3)
    MatriculaFactory(
        estudiante=e,
        seccion=dos_anios["a2025"],
        situacion_final=SituacionFinal.TRASLADADO,
    )
    MatriculaFactory(estudiante=e, seccion=otra)
    assert _etiqueta(e) == 1


def test_a_graduate_of_primaria_who_does_not_go_on_is_a_dropout(db):
    e = EstudianteFactory()
    MatriculaFactory(
        estudiante=e,
        seccion=SeccionFactory(anio=2025, nivel=Nivel.PRIMARIA, grado=6),
        situacion_final=SituacionFinal.APROBADO,
    )
    SeccionFactory(anio=2026)
    assert _etiqueta(e) == 1


def test_labels_of_a_range_of_ies_are_those_of_its_rows(dos_anios):
    uno, dos = EstudianteFactory(), EstudianteFactory()
    cuarto = SeccionFactory(anio=2025, nivel=Nivel.SECUNDARIA, grado=4)
    MatriculaFactory(estudiante=uno, seccion=dos_anios["a2025"])
    MatriculaFactory(estudiante=dos, seccion=cuarto)
    MatriculaFactory(estudiante=dos, seccion=dos_anios["a2026"])
    ie = cuarto.ie_id
    X = construir_features(2025, ies=(ie, ie))
    y = etiquetas(2025, X)
    assert list(y.index) == list(X.index)
    assert y.tolist() == [0]
    assert etiquetas(2025, construir_features(2025)).tolist() == [1, 0]


def test_labels_take_one_query_whatever_the_number_of_students(
    dos_anios, django_assert_num_queries
):
    for _ in range(20):
        MatriculaFactory(seccion=dos_anios["a2025"])
    X = construir_features(2025)
    with django_assert_num_queries(1):
        y = etiquetas(2025, X)
    assert len(y) == 20


def test_no_rows_no_labels(db):
    y = etiquetas(2025, construir_features(2025))
    assert y.empty
