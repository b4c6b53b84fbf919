"""A file is written a chunk at a time (in a background thread on PostgreSQL):
the result must not depend on where the chunks end, and a failure anywhere
must leave nothing behind."""

import numpy as np
import pytest

from alerta.models import Estudiante, Matricula, Seccion
from siagie_import import cargadores, staging
from siagie_import.lectores import _LectorCsv
from siagie_import.models import EstadoImportacion
from siagie_import.repetidas import MatriculasVistas, _Nivel
from siagie_import.services import importacion_ejecutar

from .test_importar import _nomina, escribir
from .test_importar import padron as padron  # noqa: F401 (fixture)


def _foto() -> dict:
    """What an import left, without ids."""
    return {
        "estudiantes": sorted(
            Estudiante.objects.values_list(
                "codigo_siagie", "apellido_paterno", "nombres", "fecha_nacimiento"
            )
        ),
        "matriculas": sorted(
            Matricula.objects.values_list(
                "estudiante__codigo_siagie",
                "seccion__ie__codigo_modular",
                "seccion__grado",
                "seccion__letra",
                "situacion_final",
            )
        ),
        "secciones": Seccion.objects.count(),
    }


def _rechazos(imp) -> list:
    return list(imp.rechazos.order_by("fila").values_list("fila", "columna", "motivo"))


FILAS = [
    _nomina(),  # row 2
    _nomina(COD_ESTUDIANTE="00000000000002", NOMBRES="LUIS"),
    _nomina(COD_ESTUDIANTE="00000000000003", SECCION="B"),
    _nomina(SECCION="C"),  # row 5: repeats row 2 (same student, IE and year)
    _nomina(COD_ESTUDIANTE="00000000000004", SEXO="X"),  # invalid
    _nomina(COD_ESTUDIANTE="00000000000002", NOMBRES="LUIS"),  # repeats row 3
    _nomina(  # row 8: a transfer, not a repeat; the later row's names win
        COD_ESTUDIANTE="00000000000003",
        COD_MOD="511111",
        SECCION="UNICA",
        NOMBRES="ROSA ELENA",
    ),
    _nomina(COD_ESTUDIANTE="00000000000005"),
    _nomina(COD_ESTUDIANTE="00000000000005"),  # row 10: repeats row 9
    _nomina(COD_ESTUDIANTE="00000000000002", NOMBRES="LUIS"),  # repeats row 3
]


@pytest.mark.parametrize("lote", [1, 2, 3, 4])
def test_a_nomina_loads_the_same_whatever_the_chunk_size(padron, monkeypatch, lote):
    ruta = escribir(padron, "nomina_2026.csv", FILAS)
    entero = importacion_ejecutar(ruta=ruta)
    esperado, rechazos = _foto(), _rechazos(entero)
    Matricula.objects.all().delete()
    Seccion.objects.all().delete()
    Estudiante.objects.all().delete()

    monkeypatch.setattr(cargadores, "LOTE_STAGING", lote)
    por_lotes = importacion_ejecutar(ruta=ruta)

    assert _foto() == esperado
    assert _rechazos(por_lotes) == rechazos
    assert [f for f, _c, _m in rechazos] == [5, 6, 7, 10, 11]
    assert "fila 2" in rechazos[0][2] and "fila 9" in rechazos[3][2]
    assert (por_lotes.filas_leidas, por_lotes.filas_aceptadas) == (10, 5)
    assert Estudiante.objects.get(codigo_siagie="00000000000003").nombres == (
        "ROSA ELENA"
    )


def test_an_evaluation_file_loads_the_same_in_chunks(padron, monkeypatch):
    importacion_ejecutar(
        ruta=escribir(
            padron,
            "nomina_2026.csv",
            [_nomina(), _nomina(COD_ESTUDIANTE="00000000000002")],
        )
    )
    monkeypatch.setattr(cargadores, "LOTE_STAGING", 1)
    fila = {
        "ANIO": "2026",
        "COD_ESTUDIANTE": "00000000000001",
        "COD_MOD": "0403691",
        "AREA": "MATEMATICA",
        "PERIODO": "1",
        "CALIFICATIVO": "B",
    }
    filas = [
        fila,
        {**fila, "COD_ESTUDIANTE": "00000000000009"},  # no nómina brought it
        {**fila, "COD_ESTUDIANTE": "00000000000002"},
        {**fila, "CALIFICATIVO": "AD"},  # the last row of a key wins
    ]
    imp = importacion_ejecutar(ruta=escribir(padron, "evaluacion_2026.csv", filas))

    assert (imp.filas_leidas, imp.filas_aceptadas, imp.filas_rechazadas) == (4, 3, 1)
    assert imp.rechazos.get().fila == 3
    notas = dict(
        Estudiante.objects.values_list("codigo_siagie", "evaluaciones__calificativo")
    )
    assert notas == {"00000000000001": "AD", "00000000000002": "B"}


def test_an_error_while_a_chunk_is_written_leaves_nothing_and_is_recorded(
    padron, monkeypatch, caplog
):
    monkeypatch.setattr(cargadores, "LOTE_STAGING", 2)
    original, llamadas = staging.nomina_volcar, []

    def falla_al_tercero(stg):
        llamadas.append(1)
        if len(llamadas) == 3:
            # As PostgreSQL's errors do, the message quotes a row of the file.
            fila = f"{filas[4]['APELLIDO_PATERNO']}, {filas[4]['NUMERO_DOCUMENTO']}"
            raise RuntimeError(f"Failing row contains ({fila})")
        original(stg)

    monkeypatch.setattr(staging, "nomina_volcar", falla_al_tercero)
    filas = [_nomina(COD_ESTUDIANTE=f"{i:014d}") for i in range(1, 9)]

    imp = importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", filas))

    assert len(llamadas) == 3
    assert imp.estado == EstadoImportacion.FALLIDA
    assert "error interno (RuntimeError)" in imp.mensaje
    assert f"importación {imp.pk}" in imp.mensaje
    assert (imp.filas_aceptadas, imp.duracion_s is not None) == (0, True)
    assert not Estudiante.objects.exists()
    assert not Matricula.objects.exists()
    assert "RuntimeError" in caplog.text
    assert "QUISPE" not in caplog.text and "70000001" not in caplog.text


def test_a_file_refused_half_way_leaves_nothing(padron, monkeypatch):
    """A reading error after some chunks were written (here the pre-count is
    skipped so that the error comes while chunks are in flight)."""
    monkeypatch.setattr(cargadores, "LOTE_STAGING", 2)
    monkeypatch.setattr(_LectorCsv, "contar_filas", lambda self: 10)
    ruta = escribir(
        padron,
        "nomina_2026.csv",
        [_nomina(COD_ESTUDIANTE=f"{i:014d}") for i in range(1, 9)],
    )
    with ruta.open("a", encoding="utf-8") as f:
        f.write("x" * 1_100_000 + "\n")

    imp = importacion_ejecutar(ruta=ruta)

    assert imp.estado == EstadoImportacion.FALLIDA
    assert "demasiado larga" in imp.mensaje
    assert not Estudiante.objects.exists()
    assert not Seccion.objects.exists()


# --- MatriculasVistas --------------------------------------------------------------


def test_repeated_keys_within_and_across_chunks_point_to_their_first_row():
    vistas = MatriculasVistas()
    assert vistas.repetidas(["a", "b", "a", "c", "a"], [2, 3, 4, 5, 6]) == [
        (2, 2),
        (4, 2),
    ]
    assert vistas.repetidas(["c", "d", "d", "b"], [7, 8, 9, 10]) == [
        (0, 5),
        (2, 8),
        (3, 3),
    ]
    assert len(vistas) == 4
    assert vistas.repetidas([], []) == []


def test_many_chunks_merge_into_few_sorted_levels_and_forget_nothing():
    vistas = MatriculasVistas()
    fila = 2
    for lote in range(200):
        claves = [f"{lote}-{i}" for i in range(50)]
        assert vistas.repetidas(claves, list(range(fila, fila + 50))) == []
        fila += 50
    assert len(vistas) == 10_000
    assert len(vistas._niveles) <= 2 * np.log2(200) + 1
    assert all(np.all(np.diff(n.a) >= 0) for n in vistas._niveles)
    # Every key of every chunk is still known, with its own first row.
    assert vistas.repetidas(["0-0", "137-21", "199-49"], [1, 1, 1]) == [
        (0, 2),
        (1, 2 + 137 * 50 + 21),
        (2, 2 + 199 * 50 + 49),
    ]


def test_keys_that_share_the_first_half_of_their_digest_are_told_apart():
    nivel = _Nivel(
        a=np.array([5, 5, 5], dtype=np.int64),
        b=np.array([1, 2, 3], dtype=np.int64),
        fila=np.array([10, 20, 30], dtype=np.int64),
    )
    primera = np.full(3, -1, dtype=np.int64)
    MatriculasVistas._buscar(
        nivel,
        np.array([5, 5, 6], dtype=np.int64),
        np.array([3, 9, 1], dtype=np.int64),
        primera,
    )
    assert primera.tolist() == [30, -1, -1]
