"""The generator's messy mode: every quirk of FORMATOS.md really is in the files.

One clean and one messy run of the same seed are shared by the tests. The files
are read back here with csv and openpyxl, never with the importer's reader, and
each quirk is recognised from what a cell holds, so that these tests do not
trust the writer's own bookkeeping. The columns come from the importer's
declarations (through ``clases_de_columnas``).
"""

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from siagie_import import cargadores
from siagie_import.sintetico import ErrorGenerador, generar
from siagie_import.sintetico.desorden import (
    CSV_FORMA,
    FORMAS,
    TILDES,
    clases_de_columnas,
    variantes,
)
from siagie_import.sintetico.escritura import COLUMNAS

SEMILLA = 11
# Digits of each code column, from FORMATOS.md (a DNI has 8).
DIGITOS = {
    "COD_MOD": 7,
    "CODLOCAL": 6,
    "CODGEO": 6,
    "CODOOII": 6,
    "COD_ESTUDIANTE": 14,
    "NUMERO_DOCUMENTO": 8,
}
QUIRKS_DE_ARCHIVO = {
    "xlsx",
    "csv_latin1",
    "csv_bom",
    "titulo",
    "total",
    "filas_vacias",
    "columnas_vacias",
}


def _generar(carpeta: Path, **opciones):
    return generar(
        carpeta,
        region="CUSCO",
        estudiantes=1500,
        anio_inicial=2025,
        anio_final=2026,
        semilla=SEMILLA,
        **opciones,
    )


@pytest.fixture(scope="module")
def limpio(tmp_path_factory):
    return _generar(tmp_path_factory.mktemp("limpio"))


@pytest.fixture(scope="module")
def desordenado(tmp_path_factory):
    return _generar(tmp_path_factory.mktemp("desordenado"), desordenado=True)


def _tipo(nombre: str) -> str:
    base = nombre.split("_parte")[0]
    prefijo, _, sufijo = base.rpartition("_")
    return prefijo if sufijo.isdigit() else base


class Parte:
    """One part as written: its form, raw header, raw rows and what follows them."""

    def __init__(self, ruta: Path):
        self.ruta = ruta
        self.tipo = _tipo(ruta.stem)
        datos = ruta.read_bytes()
        if datos.startswith(b"PK"):
            self.forma = "xlsx"
            libro = load_workbook(ruta, read_only=True)
            crudas = [list(f) for f in libro.active.iter_rows(values_only=True)]
        else:
            self.forma = (
                "csv_bom" if datos.startswith(b"\xef\xbb\xbf") else "csv_latin1"
            )
            codificacion, separador, _fin = CSV_FORMA[self.forma]
            self.texto = datos.decode(codificacion)
            crudas = list(csv.reader(io.StringIO(self.texto), delimiter=separador))
        columnas = COLUMNAS[self.tipo]
        self.fila_encabezado = next(
            i for i, f in enumerate(crudas) if len([c for c in f if c]) == len(columnas)
        )
        self.encabezado = crudas[self.fila_encabezado]
        self.antes = crudas[: self.fila_encabezado]
        resto = crudas[self.fila_encabezado + 1 :]
        self.total = resto[-1]
        self.vacias_al_final = resto[-3:-1]
        self.filas = [dict(zip(columnas, f, strict=False)) for f in resto[:-3]]
        self.datos = datos


@lru_cache(maxsize=4)
def _partes(salida: str) -> tuple[Parte, ...]:
    rutas = sorted(Path(salida).iterdir())
    return tuple(Parte(r) for r in rutas if "_parte" in r.name)


def partes(resumen, tipo: str) -> list[Parte]:
    return [p for p in _partes(str(resumen.salida)) if p.tipo == tipo]


def limpias(resumen, tipo: str) -> list[dict]:
    filas = []
    for nombre, ruta in resumen.archivos.items():
        if _tipo(nombre) == tipo:
            with ruta.open(encoding="utf-8", newline="") as archivo:
                filas += list(csv.DictReader(archivo))
    return filas


# --- recognising a quirk from a cell ---------------------------------------------


def quirks_de(valor, columna: str, clase: str, forma: str) -> set[str]:
    """The quirks a written cell shows (several may hold at once)."""
    if valor is None or valor == "":
        return set()
    if isinstance(valor, dt.datetime | dt.date):
        return {"celda_fecha"}
    if isinstance(valor, int | float):
        return {"serial_celda" if clase == "fecha" else "celda_numero"}
    vistos = set()
    if valor != valor.strip():
        vistos.add("espacios")
    texto = valor.strip()
    if "  " in texto:
        vistos.add("espacios_dobles")
    if re.search(r"[a-zñáéíóú]", texto):
        vistos.add("minusculas" if texto == texto.lower() else "capitalizado")
    if columna == "CORREO" and re.search(r"[A-Z]", texto):
        vistos.add("mayusculas")
    if texto in TILDES.values():
        vistos.add("tildes")
    if columna == "SEXO" and texto in ("H", "M"):
        vistos.add("letra")
    digitos = DIGITOS.get(columna)
    if m := re.fullmatch(r"([0-9]+)\.0", texto):
        corto = digitos and len(m[1]) < digitos
        vistos.add("flotante_sin_ceros" if corto else "flotante")
    if digitos and re.fullmatch(r"[0-9]+", texto) and len(texto) < digitos:
        vistos.add("sin_ceros")
    if clase in ("grado", "calificativo") and re.fullmatch(r"0[0-9]", texto):
        vistos.add("ceros")
    if clase == "grado":
        if re.fullmatch(r"[A-Z]+(?: AÑOS)?", texto):
            vistos.add("grado_palabra")
        if "°" in texto:
            vistos.add("grado_signo")
        if re.fullmatch(r"[0-9](?:ro|do|to)", texto):
            vistos.add("grado_sufijo")
        if re.fullmatch(r"[0-9] años", texto):
            vistos.add("grado_anios")
    if clase == "fecha":
        if re.fullmatch(r"[0-9]{2}/[0-9]{2}/[0-9]{4}", texto):
            vistos.add("fecha_dma")
        if forma != "xlsx" and re.fullmatch(r"[0-9]{5}", texto):
            vistos.add("serial_texto")
    return vistos


def quirks_de_archivo(parte: Parte) -> set[str]:
    vistos = {parte.forma}
    if parte.forma == "csv_latin1":
        assert b"|" in parte.datos.split(b"\r\n", 1)[0]
    if parte.antes and any(parte.antes[0]):
        vistos.add("titulo")
    if re.match(r"TOTAL", str(parte.total[0]).upper()):
        vistos.add("total")
    if all(not any(f) for f in parte.vacias_al_final) and parte.vacias_al_final:
        vistos.add("filas_vacias")
    if parte.encabezado[-1] in ("", None):
        vistos.add("columnas_vacias")
    return vistos


# --- the tests ---------------------------------------------------------------------


def test_every_column_the_importer_declares_gets_every_quirk_that_applies_to_it(
    limpio, desordenado
):
    faltan = []
    for tipo, clases in clases_de_columnas().items():
        valores = {
            (columna, clase, fila[columna], contexto)
            for fila in limpias(limpio, tipo)
            for columna, clase in clases.items()
            for contexto in [
                fila.get("NIVEL", "")
                if clase == "grado"
                else fila.get("TIPO_DOCUMENTO", "DNI")
            ]
        }
        aplicables = defaultdict(set)
        for columna, clase, valor, contexto in valores:
            for xlsx in (True, False):
                aplicables[columna] |= {
                    q
                    for q, _v in variantes(clase, columna, valor, contexto, xlsx=xlsx)
                    if q
                }
        vistas = defaultdict(set)
        for parte in partes(desordenado, tipo):
            for fila in parte.filas:
                for columna, clase in clases.items():
                    vistas[columna] |= quirks_de(
                        fila.get(columna), columna, clase, parte.forma
                    )
        for columna in clases:
            if aplicables[columna] - vistas[columna]:
                faltan.append(
                    (tipo, columna, sorted(aplicables[columna] - vistas[columna]))
                )
    assert not faltan


def test_the_quirks_asked_for_are_among_those_that_apply(limpio):
    def aplicables(tipo: str, columna: str) -> set[str]:
        clase = clases_de_columnas()[tipo][columna]
        quirks = set()
        for fila in limpias(limpio, tipo):
            contexto = fila.get("NIVEL", "") if clase == "grado" else "DNI"
            for xlsx in (True, False):
                quirks |= {
                    q
                    for q, _v in variantes(
                        clase, columna, fila[columna], contexto, xlsx=xlsx
                    )
                }
        return quirks

    assert {"flotante", "sin_ceros", "flotante_sin_ceros", "celda_numero"} <= (
        aplicables("padron_iiee", "COD_MOD") & aplicables("padron_iiee", "CODGEO")
    )
    assert "sin_ceros" in aplicables("personal", "NUMERO_DOCUMENTO")
    for columna in ("GESTION", "ESTADO", "ANEXO"):
        assert "flotante" in aplicables("padron_iiee", columna)
    assert {"ceros", "flotante", "celda_numero"} <= aplicables(
        "evaluacion", "CALIFICATIVO"
    )
    assert {
        "ceros",
        "flotante",
        "grado_palabra",
        "grado_signo",
        "grado_sufijo",
        "grado_anios",
    } <= aplicables("nomina", "GRADO")
    assert {"fecha_dma", "serial_texto", "serial_celda"} <= aplicables(
        "nomina", "FECHA_NACIMIENTO"
    )
    assert "tildes" in aplicables("nomina", "SITUACION_FINAL")
    assert "tildes" in aplicables("nomina", "SECCION")
    assert "letra" in aplicables("nomina", "SEXO")
    assert "tildes" not in aplicables("nomina", "DISCAPACIDAD")  # free text


def test_every_file_kind_comes_in_every_form_with_title_blank_rows_and_total(
    desordenado,
):
    for tipo in clases_de_columnas():
        vistas = set()
        for parte in partes(desordenado, tipo):
            vistas |= quirks_de_archivo(parte)
        assert vistas >= QUIRKS_DE_ARCHIVO, tipo


def test_headers_come_in_lower_case_with_accents_and_spaces(desordenado):
    for tipo, clases in clases_de_columnas().items():
        encabezados = defaultdict(set)
        for parte in partes(desordenado, tipo):
            for columna, escrito in zip(COLUMNAS[tipo], parte.encabezado, strict=False):
                encabezados[columna].add(escrito)
        for columna in clases:
            escritos = encabezados[columna]
            assert columna in escritos
            assert any(e == e.lower() for e in escritos), (tipo, columna)
            assert any(e[0].isupper() and e[1:] != e[1:].upper() for e in escritos)
            if "_" in columna:
                assert any(" " in e for e in escritos), (tipo, columna)
    assert "cód mod" in encabezados["COD_MOD"]
    assert "apellido paterno" in {
        e for p in partes(desordenado, "nomina") for e in p.encabezado
    }


def test_a_latin1_part_is_not_utf8_and_a_bom_part_starts_with_its_mark(desordenado):
    latin1 = [p for p in partes(desordenado, "nomina") if p.forma == "csv_latin1"]
    assert latin1
    for parte in latin1:
        with pytest.raises(UnicodeDecodeError):
            parte.datos.decode("utf-8")
        assert b"\r\n" in parte.datos
    bom = [p for p in partes(desordenado, "nomina") if p.forma == "csv_bom"]
    assert all(p.datos.startswith(b"\xef\xbb\xbf") for p in bom)
    assert all(";" in p.texto.splitlines()[0] for p in bom)


def test_the_messy_parts_hold_as_many_rows_as_the_clean_file(limpio, desordenado):
    for tipo in clases_de_columnas():
        escritas = sum(len(p.filas) for p in partes(desordenado, tipo))
        assert escritas == len(limpias(limpio, tipo)), tipo
        totales = sum(
            [v for v in p.total if v not in (None, "")][-1]
            for p in partes(desordenado, tipo)
            if p.forma == "xlsx"
        )
        assert totales == sum(
            len(p.filas) for p in partes(desordenado, tipo) if p.forma == "xlsx"
        )


def test_names_keep_their_letters_and_codes_their_digits(limpio, desordenado):
    def normal(valor) -> str:
        return " ".join(str(valor).split()).upper()

    for columna in ("APELLIDO_PATERNO", "NOMBRES", "DISCAPACIDAD"):
        escritos = {
            normal(f[columna])
            for p in partes(desordenado, "nomina")
            for f in p.filas
            if f[columna]
        }
        assert escritos == {normal(f[columna]) for f in limpias(limpio, "nomina")} - {
            ""
        }
    codigos = {
        str(f["COD_ESTUDIANTE"]).strip().removesuffix(".0").zfill(14)
        for p in partes(desordenado, "hogares")
        for f in p.filas
    }
    assert codigos == {f["COD_ESTUDIANTE"] for f in limpias(limpio, "hogares")}


def test_the_same_seed_gives_the_same_messy_files(tmp_path):
    def pequeno(carpeta: str):
        return generar(
            tmp_path / carpeta,
            region="CUSCO",
            estudiantes=300,
            anio_inicial=2026,
            anio_final=2026,
            semilla=SEMILLA,
            desordenado=True,
        )

    def celdas(ruta: Path) -> list[list]:
        libro = load_workbook(ruta, read_only=True)
        return [list(f) for f in libro.active.iter_rows(values_only=True)]

    una, otra = pequeno("una"), pequeno("otra")
    assert una.archivos.keys() == otra.archivos.keys()
    for nombre, ruta in una.archivos.items():
        if ruta.suffix == ".xlsx":  # the zip holds the time it was written
            assert celdas(ruta) == celdas(otra.archivos[nombre]), nombre
        else:
            assert ruta.read_bytes() == otra.archivos[nombre].read_bytes(), nombre
    assert una.peculiaridades == otra.peculiaridades


def test_another_seed_spells_the_cells_otherwise(tmp_path):
    def pequeno(semilla: int):
        return generar(
            tmp_path / str(semilla),
            region="CUSCO",
            estudiantes=300,
            anio_inicial=2025,
            anio_final=2025,
            semilla=semilla,
            desordenado=True,
        )

    assert pequeno(SEMILLA).peculiaridades != pequeno(SEMILLA + 1).peculiaridades


def test_the_oracle_stays_a_clean_csv(limpio, desordenado):
    assert (
        desordenado.archivos["oraculo_2025"].read_bytes()
        == limpio.archivos["oraculo_2025"].read_bytes()
    )
    assert set(FORMAS) == {"xlsx", "csv_latin1", "csv_bom"}


def test_a_column_the_importer_reads_and_the_mode_cannot_spell_is_refused(
    monkeypatch, tmp_path
):
    monkeypatch.setitem(
        cargadores.COLUMNAS_OPCIONALES,
        "HOGARES",
        (*cargadores.COLUMNAS_OPCIONALES["HOGARES"], "PROGRAMA_QALIWARMA"),
    )
    with pytest.raises(ErrorGenerador, match="PROGRAMA_QALIWARMA"):
        _generar(tmp_path, desordenado=True)
    assert not any(tmp_path.iterdir())


def test_a_messy_national_run_is_refused_before_writing_anything(tmp_path):
    with pytest.raises(ErrorGenerador, match="modo desordenado"):
        generar(tmp_path, region=None, estudiantes=6_000_000, desordenado=True)
    assert not any(tmp_path.iterdir())


def test_the_command_writes_the_messy_files(tmp_path):
    call_command(
        "generar_datos",
        "--salida",
        str(tmp_path),
        "--estudiantes",
        "200",
        "--desde",
        "2026",
        "--hasta",
        "2026",
        "--desordenado",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    nombres = {r.name for r in tmp_path.iterdir()}
    assert {n.rsplit(".", 1)[1] for n in nombres if n.startswith("nomina")} == {
        "xlsx",
        "txt",
        "csv",
    }
    assert "Modo desordenado" in (tmp_path / "LEEME.txt").read_text(encoding="utf-8")
