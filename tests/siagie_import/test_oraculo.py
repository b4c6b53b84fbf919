"""The generator's oracle files: read whole, or refused with one sentence."""

import csv

import pytest

from siagie_import.sintetico.oraculo import (
    COLUMNAS_ORACULO,
    OraculoInvalido,
    oraculo_leer,
)

ENCABEZADO = "COD_ESTUDIANTE,ANIO,PROB_DESERCION\n"


def escribir(carpeta, texto: str, anio: int = 2025, encoding: str = "utf-8"):
    ruta = carpeta / f"oraculo_{anio}.csv"
    ruta.write_bytes(texto.encode(encoding))
    return ruta


def test_it_reads_every_row_of_a_generated_file(carpeta_generada):
    with (carpeta_generada / "oraculo_2025.csv").open(encoding="utf-8") as f:
        filas = list(csv.DictReader(f))

    leidas = oraculo_leer(carpeta=carpeta_generada, anio=2025)

    assert len(leidas) == len(filas) > 0
    for fila in filas[:50]:
        assert leidas[fila["COD_ESTUDIANTE"]] == float(fila["PROB_DESERCION"])


def test_the_columns_are_those_the_generator_writes(carpeta_generada):
    with (carpeta_generada / "oraculo_2025.csv").open(encoding="utf-8") as f:
        assert tuple(next(csv.reader(f))) == COLUMNAS_ORACULO


def test_codes_keep_their_leading_zeros_and_a_bom_and_extra_columns_are_accepted(
    tmp_path,
):
    escribir(
        tmp_path,
        "\ufeffcod_estudiante,ANIO,PROB_DESERCION,OTRA\n00012,2025,0.25,x\n\n",
    )
    assert oraculo_leer(carpeta=tmp_path, anio=2025) == {"00012": 0.25}


@pytest.mark.parametrize(
    "texto, mensaje",
    [
        (
            "COD_ESTUDIANTE,ANIO,PROBABILIDAD\n1,2025,0.1\n",
            "Al archivo oraculo_2025.csv le falta la columna PROB_DESERCION (se "
            "esperan COD_ESTUDIANTE, ANIO, PROB_DESERCION).",
        ),
        (
            "CODIGO;ANIO;PROB_DESERCION\n1;2025;0.1\n",
            "Al archivo oraculo_2025.csv le faltan las columnas COD_ESTUDIANTE, "
            "ANIO, PROB_DESERCION (se esperan COD_ESTUDIANTE, ANIO, "
            "PROB_DESERCION).",
        ),
        ("", "El archivo oraculo_2025.csv está vacío."),
        (ENCABEZADO, "El archivo oraculo_2025.csv no tiene filas de estudiantes."),
        (
            ENCABEZADO + "1,2025,0.1\n2,2025,alto\n",
            "En el archivo oraculo_2025.csv, fila 3, PROB_DESERCION es «alto», que "
            "no es una probabilidad entre 0 y 1.",
        ),
        (
            ENCABEZADO + "1,2025,1.5\n",
            "En el archivo oraculo_2025.csv, fila 2, PROB_DESERCION es «1.5», que "
            "no es una probabilidad entre 0 y 1.",
        ),
        (
            ENCABEZADO + "1,2024,0.1\n",
            "En el archivo oraculo_2025.csv, fila 2, ANIO es «2024» y no 2025.",
        ),
        (
            ENCABEZADO + " ,2025,0.1\n",
            "En el archivo oraculo_2025.csv, fila 2, COD_ESTUDIANTE está vacío.",
        ),
        (
            ENCABEZADO + "1,2025,0.1\n1,2025,0.2\n",
            "En el archivo oraculo_2025.csv, fila 3, COD_ESTUDIANTE repite el de la "
            "fila 2.",
        ),
        (
            ENCABEZADO + "1,2025\n",
            "En el archivo oraculo_2025.csv, fila 2, faltan valores.",
        ),
    ],
)
def test_a_bad_file_is_refused_with_one_sentence(tmp_path, texto, mensaje):
    escribir(tmp_path, texto)
    with pytest.raises(OraculoInvalido) as e:
        oraculo_leer(carpeta=tmp_path, anio=2025)
    assert str(e.value) == mensaje


def test_a_file_not_in_utf8_is_refused(tmp_path):
    escribir(tmp_path, ENCABEZADO + "ñ1,2025,0.1\n", encoding="latin-1")
    with pytest.raises(OraculoInvalido, match="no está en UTF-8"):
        oraculo_leer(carpeta=tmp_path, anio=2025)


def test_a_missing_file_names_the_validation_year(tmp_path):
    escribir(tmp_path, ENCABEZADO + "1,2024,0.1\n", anio=2024)
    with pytest.raises(OraculoInvalido) as e:
        oraculo_leer(carpeta=tmp_path, anio=2025)
    assert str(e.value) == (
        f"Falta el archivo oraculo_2025.csv en {tmp_path}: el oráculo se compara "
        "en el año de validación, 2025."
    )


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(OraculoInvalido, match="No existe la carpeta"):
        oraculo_leer(carpeta=tmp_path / "no", anio=2025)
