"""`importar_siagie --tipo --anio`: a file imports whatever its name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from alerta.models import Matricula
from siagie_import.models import EstadoImportacion, Importacion, TipoArchivo
from siagie_import.services import tipo_por_nombre

from .test_importar import PADRON, _nomina, escribir

OPCIONES = "padron, nomina, evaluacion, asistencia, hogares o personal"


@pytest.mark.parametrize(
    ("texto", "tipo"),
    [
        ("padron", TipoArchivo.PADRON),
        ("Padrón", TipoArchivo.PADRON),
        ("NÓMINA", TipoArchivo.NOMINA),
        (" nomina ", TipoArchivo.NOMINA),
        ("Evaluación", TipoArchivo.EVALUACION),
        ("asistencia", TipoArchivo.ASISTENCIA),
        ("Hogares", TipoArchivo.HOGARES),
        ("PERSONAL", TipoArchivo.PERSONAL),
        ("alumnos", None),
        ("", None),
    ],
)
def test_a_kind_is_named_in_any_case_with_or_without_accents(texto, tipo):
    assert tipo_por_nombre(texto) == tipo


def test_a_padron_named_any_way_imports_with_tipo(db, tmp_path, capsys):
    ruta = escribir(tmp_path, "IIEE Cusco (extracto).csv", PADRON)
    call_command("importar_siagie", str(ruta), "--tipo", "Padrón", "--sin-progreso")
    imp = Importacion.objects.get()
    assert (imp.tipo, imp.anio, imp.estado) == (
        TipoArchivo.PADRON,
        None,
        EstadoImportacion.COMPLETADA,
    )
    assert imp.filas_aceptadas == len(PADRON)


def test_a_nomina_named_any_way_imports_with_tipo_and_anio(db, tmp_path):
    call_command(
        "importar_siagie",
        str(escribir(tmp_path, "padron.csv", PADRON)),
        "--tipo",
        "padron",
        "--sin-progreso",
    )
    ruta = escribir(tmp_path, "matriculados 3A.csv", [_nomina()])
    call_command(
        "importar_siagie",
        str(ruta),
        "--tipo",
        "NÓMINA",
        "--anio",
        "2026",
        "--sin-progreso",
    )
    imp = Importacion.objects.get(tipo=TipoArchivo.NOMINA)
    assert (imp.anio, imp.estado, imp.filas_aceptadas) == (
        2026,
        EstadoImportacion.COMPLETADA,
        1,
    )
    assert Matricula.objects.count() == 1


def test_the_year_comes_from_the_name_when_only_the_kind_is_given(db, tmp_path):
    ruta = escribir(tmp_path, "nomina_2025.csv", [_nomina(ANIO="2025")])
    call_command("importar_siagie", str(ruta), "--tipo", "nomina", "--sin-progreso")
    assert Importacion.objects.get().anio == 2025


def test_anio_overrides_the_year_of_the_name(db, tmp_path):
    ruta = escribir(tmp_path, "nomina_2025.csv", [_nomina(ANIO="2025")])
    call_command("importar_siagie", str(ruta), "--anio", "2026", "--sin-progreso")
    assert (Importacion.objects.get().tipo, Importacion.objects.get().anio) == (
        TipoArchivo.NOMINA,
        2026,
    )


def test_a_file_whose_kind_cannot_be_told_names_the_options(db, tmp_path):
    ruta = escribir(tmp_path, "extracto.csv", [_nomina()])
    with pytest.raises(CommandError) as e:
        call_command("importar_siagie", str(ruta), "--sin-progreso")
    assert str(e.value) == (
        "No se reconoce el tipo de extracto.csv por su nombre: indíquelo con "
        f"--tipo, que puede ser {OPCIONES}."
    )
    assert not Importacion.objects.exists()


def test_an_unknown_tipo_names_the_options(db, tmp_path):
    ruta = escribir(tmp_path, "extracto.csv", [_nomina()])
    with pytest.raises(CommandError) as e:
        call_command("importar_siagie", str(ruta), "--tipo", "alumnos")
    assert str(e.value) == (
        f"«alumnos» no es un tipo de archivo: use --tipo {OPCIONES}."
    )
    assert not Importacion.objects.exists()


@pytest.mark.parametrize("tipo", ["nomina", "evaluacion", "asistencia", "personal"])
def test_a_kind_of_one_school_year_without_a_year_is_refused(db, tmp_path, tipo):
    ruta = escribir(tmp_path, "extracto.csv", [_nomina()])
    with pytest.raises(CommandError) as e:
        call_command("importar_siagie", str(ruta), "--tipo", tipo)
    assert "necesita el año escolar: indíquelo con --anio" in str(e.value)
    assert not Importacion.objects.exists()


@pytest.mark.parametrize("anio", ["26", "dos mil", "1999", "2101"])
def test_a_year_that_is_not_a_school_year_is_refused(db, tmp_path, anio):
    ruta = escribir(tmp_path, "extracto.csv", [_nomina()])
    with pytest.raises(CommandError, match="--anio debe ser un año de cuatro cifras"):
        call_command("importar_siagie", str(ruta), "--tipo", "nomina", "--anio", anio)
    assert not Importacion.objects.exists()


def test_tipo_with_a_folder_or_several_files_is_refused(db, tmp_path):
    carpeta = tmp_path / "extractos"
    carpeta.mkdir()
    uno = escribir(carpeta, "padron_iiee.csv", PADRON)
    dos = escribir(carpeta, "nomina_2026.csv", [_nomina()])
    for rutas in ([carpeta], [uno, dos]):
        with pytest.raises(CommandError, match="se aplican a un solo archivo"):
            call_command("importar_siagie", *map(str, rutas), "--tipo", "padron")
    assert not Importacion.objects.exists()


def test_no_file_is_loaded_when_a_later_one_cannot_be_told(db, tmp_path):
    bueno = escribir(tmp_path, "padron_iiee.csv", PADRON)
    malo = escribir(tmp_path, "extracto.csv", [_nomina()])
    with pytest.raises(CommandError, match="No se reconoce el tipo de extracto.csv"):
        call_command("importar_siagie", str(bueno), str(malo))
    assert not Importacion.objects.exists()


def test_from_the_shell_an_unknown_kind_is_one_sentence_and_exit_status_1(tmp_path):
    ruta = escribir(tmp_path, "extracto.csv", [_nomina()])
    proceso = subprocess.run(
        [sys.executable, "manage.py", "importar_siagie", str(ruta)],
        cwd=Path(django_settings.BASE_DIR),
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'vacia.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proceso.returncode == 1
    assert "Traceback" not in proceso.stderr
    [linea] = proceso.stderr.strip().splitlines()
    assert linea.endswith(f"--tipo, que puede ser {OPCIONES}.")
