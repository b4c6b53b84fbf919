"""When a new school year's files arrive, access moves with the students."""

import pytest
from django.urls import reverse

from alerta import scoping
from alerta.models import Estudiante, Usuario
from siagie_import.services import importacion_ejecutar

from .test_importar import _nomina, _personal, escribir, padron  # noqa: F401

SE_QUEDA = "00000000000001"
SE_VA = "00000000000002"


def _importar(carpeta, nombre: str, filas: list[dict]) -> None:
    imp = importacion_ejecutar(ruta=escribir(carpeta, nombre, filas))
    assert imp.filas_aceptadas == len(filas), list(imp.rechazos.values())


@pytest.fixture
def anio_2025(padron):  # noqa: F811
    _importar(
        padron,
        "nomina_2025.csv",
        [
            _nomina(ANIO="2025", GRADO="2", COD_ESTUDIANTE=SE_QUEDA),
            _nomina(
                ANIO="2025",
                GRADO="2",
                COD_ESTUDIANTE=SE_VA,
                NUMERO_DOCUMENTO="70000002",
            ),
        ],
    )
    _importar(
        padron,
        "personal_2025.csv",
        [
            _personal(ANIO="2025", GRADO="2", NUMERO_DOCUMENTO="41111111"),
            _personal(
                ANIO="2025",
                CARGO="DIRECTOR",
                NIVEL="",
                GRADO="",
                SECCION="",
                NUMERO_DOCUMENTO="42222222",
            ),
        ],
    )
    return padron


def _ve(dni: str, codigo: str) -> bool:
    usuario = Usuario.objects.get(username=dni)
    return scoping.estudiantes_visibles(usuario).filter(codigo_siagie=codigo).exists()


def test_last_years_tutor_and_director_see_their_students_until_the_new_year(
    anio_2025,
):
    assert _ve("41111111", SE_QUEDA) and _ve("41111111", SE_VA)
    assert _ve("42222222", SE_QUEDA) and _ve("42222222", SE_VA)


def test_the_new_years_files_move_access_with_the_students(anio_2025, client):
    # 2026: one student goes on to 3.º A of the same IE, the other moves to
    # another IE; 3.º A has a new tutor, the IE keeps its director and the
    # other IE has its own.
    _importar(
        anio_2025,
        "nomina_2026.csv",
        [
            _nomina(COD_ESTUDIANTE=SE_QUEDA),
            _nomina(
                COD_ESTUDIANTE=SE_VA,
                NUMERO_DOCUMENTO="70000002",
                COD_MOD="0511111",
                SECCION="UNICA",
            ),
        ],
    )
    _importar(
        anio_2025,
        "personal_2026.csv",
        [
            _personal(NUMERO_DOCUMENTO="43333333"),
            _personal(
                CARGO="DIRECTOR",
                NIVEL="",
                GRADO="",
                SECCION="",
                NUMERO_DOCUMENTO="42222222",
            ),
            _personal(
                CARGO="DIRECTOR",
                COD_MOD="0511111",
                NIVEL="",
                GRADO="",
                SECCION="",
                NUMERO_DOCUMENTO="44444444",
            ),
        ],
    )
    # Last year's tutor: nothing. The new tutor: her student.
    assert not _ve("41111111", SE_QUEDA) and not _ve("41111111", SE_VA)
    assert _ve("43333333", SE_QUEDA) and not _ve("43333333", SE_VA)
    # The director keeps the student who stayed and loses the one who left,
    # whom the new school's director now sees.
    assert _ve("42222222", SE_QUEDA) and not _ve("42222222", SE_VA)
    assert _ve("44444444", SE_VA) and not _ve("44444444", SE_QUEDA)

    se_va = Estudiante.objects.get(codigo_siagie=SE_VA)
    for dni, estado in [("41111111", 404), ("42222222", 404), ("44444444", 200)]:
        client.force_login(Usuario.objects.get(username=dni))
        r = client.get(reverse("estudiante_detalle", args=[se_va.uuid]))
        assert r.status_code == estado, dni
