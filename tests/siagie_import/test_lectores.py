"""The readers against files shaped like real extracts (FORMATOS.md, last two
sections) and against files that must be refused as a whole."""

import codecs
import csv
import datetime as dt
import io
import random
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from siagie_import import lectores
from siagie_import.lectores import ArchivoInvalido, abrir
from siagie_import.normalizacion import codigo, entero, es_formula, fecha, nombre

# A nómina cut down to the columns these tests need.
REQUERIDAS = ("COD_MOD", "ANEXO", "COD_ESTUDIANTE", "APELLIDO_PATERNO", "NOMBRES")
CONOCIDAS = ("ANIO", "NUMERO_DOCUMENTO", "FECHA_NACIMIENTO", "HORAS_SEMANALES_TRABAJO")
ENCABEZADO = [*REQUERIDAS, "FECHA_NACIMIENTO"]
FILA = ["0403691", "0", "00000000000001", "QUISPE", "ANA LUCÍA", "2017-05-10"]


def csv_bytes(filas, *, sep=",", encoding="utf-8", bom=False) -> bytes:
    texto = io.StringIO()
    csv.writer(texto, delimiter=sep, lineterminator="\r\n").writerows(filas)
    datos = texto.getvalue().encode(encoding)
    return codecs.BOM_UTF8 + datos if bom else datos


def escribir(carpeta: Path, nombre_archivo: str, datos: bytes) -> Path:
    ruta = carpeta / nombre_archivo
    ruta.write_bytes(datos)
    return ruta


def leer(ruta: Path, requeridas=REQUERIDAS, conocidas=CONOCIDAS):
    lector = abrir(ruta, requeridas=requeridas, conocidas=conocidas)
    return lector, list(lector.filas())


def libro(carpeta: Path, filas, nombre_archivo="nomina_2026.xlsx") -> Path:
    wb = Workbook()
    hoja = wb.active
    for fila in filas:
        hoja.append(fila)
    ruta = carpeta / nombre_archivo
    wb.save(ruta)
    return ruta


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PAQUETE = "http://schemas.openxmlformats.org/package/2006/relationships"


def libro_a_mano(
    ruta: Path,
    hoja: str | bytes,
    *,
    cadenas: str | bytes | None = None,
    estilos: str | None = None,
    sistema_1904: bool = False,
) -> Path:
    """An XLSX written part by part, for what openpyxl does not write."""

    def xml(cuerpo: str | bytes) -> bytes:
        return cuerpo if isinstance(cuerpo, bytes) else cuerpo.encode()

    def relacion(rid: str, tipo: str, destino: str) -> str:
        return f'<Relationship Id="{rid}" Type="{REL}/{tipo}" Target="{destino}"/>'

    relaciones = relacion("rId1", "worksheet", "worksheets/sheet1.xml")
    if cadenas is not None:
        relaciones += relacion("rId2", "sharedStrings", "sharedStrings.xml")
    if estilos is not None:
        relaciones += relacion("rId3", "styles", "styles.xml")
    pr = '<workbookPr date1904="1"/>' if sistema_1904 else ""
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PAQUETE}">'
            + relacion("rId1", "officeDocument", "xl/workbook.xml")
            + "</Relationships>",
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{NS}" xmlns:r="{REL}">{pr}<sheets>'
            '<sheet name="Hoja1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PAQUETE}">{relaciones}</Relationships>',
        )
        zf.writestr("xl/worksheets/sheet1.xml", xml(hoja))
        if cadenas is not None:
            zf.writestr("xl/sharedStrings.xml", xml(cadenas))
        if estilos is not None:
            zf.writestr("xl/styles.xml", estilos)
    return ruta


def hoja_xml(filas: str) -> str:
    return f'<worksheet xmlns="{NS}"><sheetData>{filas}</sheetData></worksheet>'


def encabezado_xml() -> str:
    celdas = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{c}</t></is></c>'
        for i, c in enumerate(REQUERIDAS)
    )
    return f'<row r="1">{celdas}</row>'


# --- CSV: encodings and separators ---------------------------------------------


@pytest.mark.parametrize("bom", [True, False])
def test_csv_utf8_with_or_without_bom(tmp_path, bom):
    filas = [ENCABEZADO, ["0403691", "0", "1", "ÑUÑEZ", "JOSÉ", "2017-05-10"]]
    ruta = escribir(tmp_path, "nomina_2026.csv", csv_bytes(filas, bom=bom))

    lector, leidas = leer(ruta)

    assert lector.formato == "csv"
    assert lector.codificacion == "utf-8"
    assert lector.columnas[0] == "COD_MOD"  # the BOM is not glued to the name
    assert leidas == [
        (
            2,
            {
                "COD_MOD": "0403691",
                "ANEXO": "0",
                "COD_ESTUDIANTE": "1",
                "APELLIDO_PATERNO": "ÑUÑEZ",
                "NOMBRES": "JOSÉ",
                "FECHA_NACIMIENTO": "2017-05-10",
            },
        )
    ]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_csv_windows_or_latin1_names_come_back_right(tmp_path, encoding):
    filas = [ENCABEZADO, ["0403691", "0", "1", "PEÑA ÑAUPARI", "MARÍA JOSÉ", ""]]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas, encoding=encoding))

    lector, leidas = leer(ruta)

    # Both decode the same for these letters; cp1252 is preferred.
    assert lector.codificacion == "cp1252"
    assert leidas[0][1]["APELLIDO_PATERNO"] == "PEÑA ÑAUPARI"
    assert leidas[0][1]["NOMBRES"] == "MARÍA JOSÉ"


def test_csv_cp1252_own_characters(tmp_path):
    filas = [ENCABEZADO, ["0403691", "0", "1", "PEÑA – “X”", "ANA", ""]]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas, encoding="cp1252"))

    lector, leidas = leer(ruta)

    assert lector.codificacion == "cp1252"
    assert leidas[0][1]["APELLIDO_PATERNO"] == "PEÑA – “X”"


def test_csv_latin1_with_bytes_undefined_in_cp1252(tmp_path):
    filas = [ENCABEZADO, ["0403691", "0", "1", "ÑAUPA\x81", "JOSÉ", ""]]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas, encoding="latin-1"))

    lector, leidas = leer(ruta)

    assert lector.codificacion == "latin-1"
    assert leidas[0][1]["NOMBRES"] == "JOSÉ"


def test_csv_non_ascii_only_far_down_the_file_is_still_detected(tmp_path):
    filas = [ENCABEZADO] + [
        ["0403691", "0", str(i), "QUISPE", "ANA", ""] for i in range(5000)
    ]
    filas.append(["0403691", "0", "9", "ÑUÑEZ", "JOSÉ", ""])
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas, encoding="cp1252"))

    lector, leidas = leer(ruta)

    assert lector.codificacion == "cp1252"
    assert leidas[-1][1]["APELLIDO_PATERNO"] == "ÑUÑEZ"


@pytest.mark.parametrize("sep", [",", ";", "|"])
def test_csv_separators(tmp_path, sep):
    # The values carry the other separators and quotes: only quoting keeps them.
    nombres = 'ANA; "LUCÍA", MARÍA|X'
    filas = [ENCABEZADO, ["0403691", "0", "1", "QUISPE", nombres, "2017-05-10"]]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas, sep=sep))

    lector, leidas = leer(ruta)

    assert lector.separador == sep
    assert leidas[0][1]["NOMBRES"] == nombres


def test_csv_minedu_pipe_separated_latin1(tmp_path):
    datos = (
        "COD_MOD|ANEXO|COD_ESTUDIANTE|APELLIDO_PATERNO|NOMBRES|NUMERO_DOCUMENTO\n"
        "0403691|0|00000000000001|ÑAHUI|JOSÉ ÁNGEL|07123456\n"
        "0403691|0|00000000000002|CCAMA|MARÍA ÑUSTA|70000002\n"
    ).encode("latin-1")
    ruta = escribir(tmp_path, "nomina_2026.csv", datos)

    lector, leidas = leer(ruta)

    assert (lector.separador, lector.codificacion) == ("|", "cp1252")
    assert [f["NOMBRES"] for _n, f in leidas] == ["JOSÉ ÁNGEL", "MARÍA ÑUSTA"]
    assert leidas[0][1]["NUMERO_DOCUMENTO"] == "07123456"


def test_csv_title_block_above_the_header(tmp_path):
    filas = [
        ["REPORTE DE NÓMINA DE MATRÍCULA 2026"],
        ["IE: 50001 TÚPAC AMARU", "", "UGEL CUSCO"],
        ["Fecha: 15/03/2026"],
        [],
        ENCABEZADO,
        FILA,
    ]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas, sep=";"))

    lector, leidas = leer(ruta)

    assert lector.fila_encabezado == 5
    assert leidas == [(6, dict(zip(ENCABEZADO, FILA, strict=True)))]


def test_csv_row_numbers_count_records_not_lines(tmp_path):
    filas = [ENCABEZADO, ["0403691", "0", "1", "QUISPE", "ANA\nLUCÍA", ""], FILA]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    _lector, leidas = leer(ruta)

    assert [n for n, _f in leidas] == [2, 3]
    assert leidas[0][1]["NOMBRES"] == "ANA\nLUCÍA"


# --- header names ----------------------------------------------------------------

ENCABEZADO_VARIADO = [
    "Cód. Mod",
    "anexo",
    "Código Estudiante",
    "apellido  paterno",
    "NOMBRES ",
    "Año",
    "numero-documento",
]


def test_csv_header_in_any_case_with_accents_and_spaces(tmp_path):
    filas = [ENCABEZADO_VARIADO, ["403691", "0", "1", "QUISPE", "ANA", "2026", ""]]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    lector, leidas = leer(ruta)

    assert lector.columnas == [*REQUERIDAS, "ANIO", "NUMERO_DOCUMENTO"]
    assert leidas[0][1]["ANIO"] == "2026"


def test_xlsx_header_in_any_case_with_accents_and_spaces(tmp_path):
    ruta = libro(tmp_path, [ENCABEZADO_VARIADO, ["403691", "0", "1", "Q", "A", 2026]])

    lector, leidas = leer(ruta)

    assert lector.columnas == [*REQUERIDAS, "ANIO", "NUMERO_DOCUMENTO"]
    assert leidas[0][1]["ANIO"] == "2026"


def test_header_aliases():
    assert lectores.normalizar_columna("CÓDIGO MODULAR") == "COD_MOD"
    assert lectores.normalizar_columna("AÑO") == "ANIO"
    assert lectores.normalizar_columna("codigo_estudiante") == "COD_ESTUDIANTE"
    assert lectores.normalizar_columna("Fecha de nacimiento") != "FECHA_NACIMIENTO"


def test_unknown_columns_are_ignored(tmp_path):
    filas = [["OBSERVACION", *ENCABEZADO, ""], ["nota", *FILA, "x"]]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    lector, leidas = leer(ruta)

    assert "OBSERVACION" not in lector.columnas
    assert set(leidas[0][1]) == set(ENCABEZADO)


def test_missing_optional_column_is_not_in_the_rows(tmp_path):
    filas = [list(REQUERIDAS), FILA[:5]]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    lector, leidas = leer(ruta)

    assert lector.columnas == list(REQUERIDAS)
    assert "FECHA_NACIMIENTO" not in leidas[0][1]


# --- values ----------------------------------------------------------------------


def test_csv_spaces_lower_case_and_accents_in_names(tmp_path):
    filas = [ENCABEZADO, ["0403691", "0", "1", "  ñuñez  ", "josé   ángel ", ""]]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    _lector, leidas = leer(ruta)

    fila = leidas[0][1]
    assert fila["APELLIDO_PATERNO"] == "ñuñez"  # surrounding spaces go
    assert fila["NOMBRES"] == "josé   ángel"
    assert nombre(fila["NOMBRES"]) == "JOSÉ ÁNGEL"


def test_csv_codes_and_dates_as_spreadsheets_leave_them(tmp_path):
    filas = [
        [*ENCABEZADO, "NUMERO_DOCUMENTO"],
        ["403691", "1.0", "1", "QUISPE", "ANA", "10/05/2017", "7123456"],
        ["403691", "0", "2", "QUISPE", "ANA", "45000", "07123456"],
    ]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    _lector, leidas = leer(ruta)

    uno, dos = leidas[0][1], leidas[1][1]
    assert codigo(uno["COD_MOD"], 7) == "0403691"
    assert entero(uno["ANEXO"]) == 1
    assert codigo(uno["NUMERO_DOCUMENTO"], 8) == "07123456"
    assert fecha(uno["FECHA_NACIMIENTO"]) == dt.date(2017, 5, 10)
    assert fecha(dos["FECHA_NACIMIENTO"]) == dt.date(2023, 3, 15)


def test_csv_empty_trailing_rows_and_columns(tmp_path):
    datos = (
        b"COD_MOD,ANEXO,COD_ESTUDIANTE,APELLIDO_PATERNO,NOMBRES,,,\r\n"
        b"0403691,0,1,QUISPE,ANA,,,\r\n"
        b",,,,,,,\r\n"
        b"0403691,0,2,MAMANI,LUIS\r\n"  # shorter than the header
        b",,,,,,,\r\n"
        b"\r\n"
        b"   ,  ,\r\n"
    )
    ruta = escribir(tmp_path, "n.csv", datos)

    lector, leidas = leer(ruta)

    assert [n for n, _f in leidas] == [2, 4]
    assert leidas[1][1]["NOMBRES"] == "LUIS"
    assert lector.contar_filas() == 2


@pytest.mark.parametrize(
    "total",
    [
        ["TOTAL", "", "", "", "", "", "3"],
        ["Totales:", "", "", "", "", "", "3"],
        ["", "", "", "", "", "", "3"],  # codes empty, only a count
    ],
)
def test_csv_total_row_at_the_end_is_skipped(tmp_path, total):
    filas = [
        [*ENCABEZADO, "HORAS_SEMANALES_TRABAJO"],
        [*FILA, "1"],
        [*FILA, "2"],
        total,
        [],
    ]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    lector, leidas = leer(ruta)

    assert [n for n, _f in leidas] == [2, 3]
    assert lector.contar_filas() >= 2  # an upper bound


def test_csv_total_like_row_in_the_middle_is_kept(tmp_path):
    filas = [ENCABEZADO, ["TOTAL", "", "", "", "", ""], FILA]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    _lector, leidas = leer(ruta)

    assert [n for n, _f in leidas] == [2, 3]


def test_csv_last_row_with_text_but_no_codes_is_not_a_total(tmp_path):
    filas = [ENCABEZADO, FILA, ["", "0", "", "QUISPE", "ANA", ""]]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    _lector, leidas = leer(ruta)

    assert [n for n, _f in leidas] == [2, 3]  # the loader rejects it, with reasons


def test_header_only_file_has_no_rows(tmp_path):
    ruta = escribir(tmp_path, "n.csv", csv_bytes([ENCABEZADO]))

    lector, leidas = leer(ruta)

    assert leidas == []
    assert lector.contar_filas() == 0


def test_csv_count_matches_rows(tmp_path):
    filas = [ENCABEZADO] + [FILA] * 25
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    lector, leidas = leer(ruta)

    assert lector.contar_filas() == len(leidas) == 25


@pytest.mark.parametrize("sep", [",", ";", "|"])
def test_csv_count_without_quotes_counts_lines_as_the_parser_would(tmp_path, sep):
    """The quote-free fast count agrees with the parser on blank-looking lines."""
    lineas = [
        "REPORTE DE MATRÍCULA",
        "",
        sep.join(ENCABEZADO),
        sep.join(FILA),
        sep * 5,
        "  \t " + sep + " \u00a0",  # only whitespace between separators: blank
        sep.join(FILA) + "\x00",  # NUL is dropped, the row stays
        "\r".join([sep.join(FILA), sep.join(FILA)]),  # a bare CR ends a line too
        "",
    ]
    ruta = escribir(tmp_path, "n.csv", "\r\n".join(lineas).encode())

    lector, leidas = leer(ruta)

    assert lector.contar_filas() == lector._contar_registros() == len(leidas) == 4


def test_csv_count_with_a_quoted_line_break_counts_records(tmp_path):
    filas = [ENCABEZADO, FILA, [*FILA[:-1], "DOS\nLÍNEAS"], FILA]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    lector, leidas = leer(ruta)

    assert lector.contar_filas() == len(leidas) == 3


# --- XLSX ------------------------------------------------------------------------


def test_xlsx_title_block_and_blank_rows_above_the_header(tmp_path):
    ruta = libro(
        tmp_path,
        [
            ["REPORTE DE NÓMINA DE MATRÍCULA"],
            ["IE 50001 TÚPAC AMARU"],
            ["Fecha de corte:", dt.date(2026, 3, 15)],
            [],
            [],
            ENCABEZADO,
            FILA,
            FILA,
        ],
    )

    lector, leidas = leer(ruta)

    assert lector.formato == "xlsx"
    assert lector.fila_encabezado == 6
    assert [n for n, _f in leidas] == [7, 8]
    assert leidas[0][1] == dict(zip(ENCABEZADO, FILA, strict=True))
    assert lector.contar_filas() == 2


def test_xlsx_codes_turned_into_numbers(tmp_path):
    ruta = libro(
        tmp_path,
        [
            [*REQUERIDAS, "NUMERO_DOCUMENTO", "HORAS_SEMANALES_TRABAJO"],
            [403691, 1.0, 80618100899743, "QUISPE", "ANA", 7123456, 12.5],
        ],
    )

    _lector, leidas = leer(ruta)

    fila = leidas[0][1]
    assert fila["COD_MOD"] == "403691"
    assert codigo(fila["COD_MOD"], 7) == "0403691"
    assert fila["ANEXO"] == "1"
    assert fila["COD_ESTUDIANTE"] == "80618100899743"
    assert codigo(fila["NUMERO_DOCUMENTO"], 8) == "07123456"
    assert fila["HORAS_SEMANALES_TRABAJO"] == "12.5"


def test_xlsx_dates_as_cells_serial_numbers_and_text(tmp_path):
    wb = Workbook()
    hoja = wb.active
    hoja.append([*REQUERIDAS, "FECHA_NACIMIENTO"])
    valores = [
        dt.date(2017, 5, 10),
        dt.datetime(2017, 5, 10, 14, 30),  # noqa: DTZ001 - Excel has no time zones
        45000,  # a serial number without a date format
        45000,  # ... and with one
        "10/05/2017",
    ]
    for i, valor in enumerate(valores, start=1):
        hoja.append(["0403691", 0, str(i), "QUISPE", "ANA", valor])
    hoja.cell(row=5, column=6).number_format = "dd/mm/yyyy"
    ruta = tmp_path / "n.xlsx"
    wb.save(ruta)

    _lector, leidas = leer(ruta)

    textos = [f["FECHA_NACIMIENTO"] for _n, f in leidas]
    assert textos == ["2017-05-10", "2017-05-10", "45000", "2023-03-15", "10/05/2017"]
    assert {fecha(t) for t in textos} == {dt.date(2017, 5, 10), dt.date(2023, 3, 15)}


def test_xlsx_formula_comes_back_as_its_text(tmp_path):
    ruta = libro(tmp_path, [ENCABEZADO, ["0403691", 0, "1", "=1+1", "ANA", ""]])

    _lector, leidas = leer(ruta)

    assert leidas[0][1]["APELLIDO_PATERNO"] == "=1+1"
    assert es_formula(leidas[0][1]["APELLIDO_PATERNO"])


def test_xlsx_empty_trailing_rows_and_columns(tmp_path):
    wb = Workbook()
    hoja = wb.active
    hoja.append(ENCABEZADO)
    hoja.append(FILA)
    hoja.append(FILA)
    # Formatting left on empty cells below and to the right of the data.
    for fila in range(1, 12):
        for columna in range(7, 10):
            hoja.cell(row=fila, column=columna).font = Font(bold=True)
    for fila in range(4, 12):
        hoja.cell(row=fila, column=1).font = Font(bold=True)
    ruta = tmp_path / "n.xlsx"
    wb.save(ruta)

    lector, leidas = leer(ruta)

    assert [n for n, _f in leidas] == [2, 3]
    assert lector.contar_filas() >= 2


def test_xlsx_total_row_with_a_formula_is_skipped(tmp_path):
    ruta = libro(
        tmp_path,
        [
            [*REQUERIDAS, "HORAS_SEMANALES_TRABAJO"],
            ["0403691", 0, "1", "QUISPE", "ANA", 10],
            ["0403691", 0, "2", "MAMANI", "LUIS", 5],
            ["Total general", None, None, None, None, "=SUM(F2:F3)"],
        ],
    )

    _lector, leidas = leer(ruta)

    assert [n for n, _f in leidas] == [2, 3]


def test_xlsx_count_only_total_row_is_skipped(tmp_path):
    ruta = libro(
        tmp_path,
        [
            [*REQUERIDAS, "HORAS_SEMANALES_TRABAJO"],
            ["0403691", 0, "1", "QUISPE", "ANA", 10],
            [None, None, None, None, None, 10],
        ],
    )

    _lector, leidas = leer(ruta)

    assert [n for n, _f in leidas] == [2]


def test_xlsx_cover_sheet_then_data(tmp_path):
    wb = Workbook()
    wb.active.title = "Portada"
    wb.active.append(["Nómina 2026 - UGEL Cusco"])
    datos = wb.create_sheet("Datos")
    datos.append(ENCABEZADO)
    datos.append(FILA)
    ruta = tmp_path / "n.xlsx"
    wb.save(ruta)

    lector, leidas = leer(ruta)

    assert lector.hoja == "Datos"
    assert len(leidas) == 1


def test_xlsx_hidden_sheet_is_not_read(tmp_path):
    wb = Workbook()
    wb.active.append(ENCABEZADO)
    wb.active.append(FILA)
    oculta = wb.create_sheet("Respaldo")
    oculta.append(ENCABEZADO)
    oculta.sheet_state = "hidden"
    ruta = tmp_path / "n.xlsx"
    wb.save(ruta)

    lector, leidas = leer(ruta)

    assert lector.hoja == "Sheet"
    assert len(leidas) == 1


def test_xlsx_shared_strings_shared_formulas_and_other_cell_kinds(tmp_path):
    cadenas = (
        f'<sst xmlns="{NS}">'
        "<si><t>QUISPE</t></si>"
        "<si><r><t>MARÍA </t></r><r><rPr><b/></rPr><t>JOSÉ</t></r>"
        "<rPh><t>ignored</t></rPh></si>"
        "<si><t>ANA_x000D_LUZ</t></si>"
        "</sst>"
    )
    estilos = (
        f'<styleSheet xmlns="{NS}"><cellXfs count="2">'
        '<xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'
    )
    filas = (
        encabezado_xml()
        + '<row r="2"><c r="A2"><v>403691</v></c><c r="B2"><v>0</v></c>'
        '<c r="C2"><f t="shared" ref="C2:C3" si="0">B2+1</f><v>1</v></c>'
        '<c r="D2" t="s"><v>0</v></c><c r="E2" t="s"><v>1</v></c>'
        '<c r="F2" s="1"><v>0</v></c></row>'
        # No r attributes on these cells: they follow one another.
        '<row r="3"><c><v>403691.0</v></c><c t="b"><v>1</v></c>'
        '<c><f t="shared" si="0"/><v>2</v></c>'
        '<c t="e"><v>#N/A</v></c><c t="s"><v>2</v></c>'
        '<c t="d"><v>2017-05-10T00:00:00</v></c></row>'
    )
    ruta = libro_a_mano(
        tmp_path / "n.xlsx",
        hoja_xml(filas),
        cadenas=cadenas,
        estilos=estilos,
        sistema_1904=True,
    )

    _lector, leidas = leer(ruta, conocidas=("FECHA_NACIMIENTO",))

    assert leidas == [
        (
            2,
            {
                "COD_MOD": "403691",
                "ANEXO": "0",
                "COD_ESTUDIANTE": "=B2+1",
                "APELLIDO_PATERNO": "QUISPE",
                "NOMBRES": "MARÍA JOSÉ",
            },
        ),
        (
            3,
            {
                "COD_MOD": "403691",
                "ANEXO": "TRUE",
                "COD_ESTUDIANTE": "=B3+1",  # the shared formula, moved down
                "APELLIDO_PATERNO": "#N/A",
                "NOMBRES": "ANA\rLUZ",
            },
        ),
    ]


def test_xlsx_1904_date_system(tmp_path):
    estilos = (
        f'<styleSheet xmlns="{NS}"><cellXfs count="2">'
        '<xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'
    )
    filas = encabezado_xml() + (
        '<row r="2"><c r="A2"><v>403691</v></c><c r="B2"><v>0</v></c>'
        '<c r="C2"><v>1</v></c><c r="D2" t="inlineStr"><is><t>Q</t></is></c>'
        '<c r="E2" s="1"><v>43538</v></c></row>'
    )
    ruta = libro_a_mano(
        tmp_path / "n.xlsx", hoja_xml(filas), estilos=estilos, sistema_1904=True
    )

    _lector, leidas = leer(ruta)

    assert leidas[0][1]["NOMBRES"] == "2023-03-15"


# --- files refused as a whole ------------------------------------------------------


def test_empty_file_is_refused(tmp_path):
    ruta = escribir(tmp_path, "n.csv", b"")

    with pytest.raises(ArchivoInvalido, match="vacío"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_blank_lines_only_have_no_header(tmp_path):
    ruta = escribir(tmp_path, "n.csv", b"\r\n  \r\n\r\n")

    with pytest.raises(ArchivoInvalido, match="encabezados"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(lectores, "LIMITE_BYTES", 100)
    ruta = escribir(tmp_path, "n.csv", csv_bytes([ENCABEZADO] + [FILA] * 10))

    with pytest.raises(ArchivoInvalido, match="máximo"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_size_limit_setting_is_honoured(settings):
    settings.IMPORTACION_LIMITE_BYTES = 12345
    assert lectores._ajuste("IMPORTACION_LIMITE_BYTES", 1) == 12345


def test_pdf_renamed_csv_is_refused(tmp_path):
    ruta = escribir(
        tmp_path, "nomina_2026.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"
    )

    with pytest.raises(ArchivoInvalido, match="PDF"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_random_binary_renamed_xlsx_is_refused(tmp_path):
    datos = random.Random(7).randbytes(8192)
    assert not datos.startswith(b"PK")
    ruta = escribir(tmp_path, "nomina_2026.xlsx", datos)

    with pytest.raises(ArchivoInvalido, match="no es texto"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_old_xls_is_refused(tmp_path):
    datos = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    ruta = escribir(tmp_path, "nomina_2026.xlsx", datos)

    with pytest.raises(ArchivoInvalido, match=r"\.xls"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_html_saved_as_xls_is_refused(tmp_path):
    datos = b"\r\n<html><body><table><tr><td>COD_MOD</td></tr></table></body></html>"
    ruta = escribir(tmp_path, "nomina_2026.xls", datos)

    with pytest.raises(ArchivoInvalido, match="HTML"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_zip_that_is_not_an_xlsx_is_refused(tmp_path):
    ruta = tmp_path / "nomina_2026.xlsx"
    with zipfile.ZipFile(ruta, "w") as zf:
        zf.writestr("nomina_2026.csv", csv_bytes([ENCABEZADO, FILA]))

    with pytest.raises(ArchivoInvalido, match="ZIP pero no un libro"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_ods_is_refused(tmp_path):
    ruta = tmp_path / "nomina_2026.xlsx"
    with zipfile.ZipFile(ruta, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")

    with pytest.raises(ArchivoInvalido, match="OpenDocument"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_truncated_xlsx_is_refused(tmp_path):
    completo = libro(tmp_path, [ENCABEZADO, FILA] * 50).read_bytes()
    ruta = escribir(tmp_path, "cortado.xlsx", completo[: len(completo) // 2])

    with pytest.raises(ArchivoInvalido, match="dañado"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    # ~200 MB of spaces in the sheet compress to a few hundred KB; the member is
    # written from a stream of blocks, so 200 MB never touch the disk.
    ruta = libro_a_mano(tmp_path / "bomba.xlsx", hoja_xml(""))
    with zipfile.ZipFile(ruta, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("xl/worksheets/sheet2.xml", "w") as miembro:
            bloque = b" " * 1024**2
            for _ in range(200):
                miembro.write(bloque)
    assert ruta.stat().st_size < 2 * 1024**2

    with pytest.raises(ArchivoInvalido, match="desmedido"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_xlsx_over_the_declared_uncompressed_total_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(lectores, "LIMITE_DESCOMPRIMIDO", 1000)
    ruta = libro(tmp_path, [ENCABEZADO, FILA])

    with pytest.raises(ArchivoInvalido, match="seguridad"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_xlsx_with_too_many_members_is_refused(tmp_path):
    ruta = libro_a_mano(tmp_path / "n.xlsx", hoja_xml(encabezado_xml()))
    with zipfile.ZipFile(ruta, "a") as zf:
        for i in range(lectores.MIEMBROS_MAXIMOS + 1):
            zf.writestr(f"xl/media/x{i}", b"")

    with pytest.raises(ArchivoInvalido, match="demasiadas partes"):
        abrir(ruta, requeridas=REQUERIDAS)


RISAS = (
    '<?xml version="1.0"?>'
    "<!DOCTYPE lolz ["
    '<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


@pytest.mark.parametrize("parte", ["hoja", "cadenas"])
def test_xlsx_billion_laughs_is_refused(tmp_path, parte):
    celda = '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    hoja = hoja_xml(encabezado_xml() + celda)
    cadenas = f'<sst xmlns="{NS}"><si><t>x</t></si></sst>'
    if parte == "hoja":
        hoja = RISAS + hoja[hoja.index("<worksheet") :]
    else:
        cadenas = RISAS + cadenas
    ruta = libro_a_mano(tmp_path / "n.xlsx", hoja, cadenas=cadenas)

    with pytest.raises(ArchivoInvalido, match="DOCTYPE"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_xlsx_external_entity_is_refused(tmp_path):
    hoja = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + hoja_xml(
        encabezado_xml()
    )
    ruta = libro_a_mano(tmp_path / "n.xlsx", hoja)

    with pytest.raises(ArchivoInvalido, match="seguridad"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_xlsx_part_in_utf16_is_refused(tmp_path):
    # A DTD in UTF-16 would slip past a byte search: such parts are refused.
    hoja = '<?xml version="1.0" encoding="UTF-16"?>' + hoja_xml(encabezado_xml())
    ruta = libro_a_mano(tmp_path / "n.xlsx", hoja.encode("utf-16"))

    with pytest.raises(ArchivoInvalido, match="codificación"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_xlsx_part_declaring_another_encoding_out_of_sight_is_refused(tmp_path):
    relleno = " " * 2000
    hoja = f'<?xml version="1.0"{relleno}encoding="cp500"?>' + hoja_xml("")
    ruta = libro_a_mano(tmp_path / "n.xlsx", hoja)

    with pytest.raises(ArchivoInvalido, match="codificación"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_xlsx_part_with_a_utf8_declaration_is_read(tmp_path):
    declaracion = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    celdas = (
        '<row r="2"><c r="A2"><v>403691</v></c><c r="B2"><v>0</v></c>'
        '<c r="C2"><v>1</v></c><c r="D2" t="inlineStr"><is><t>Ñ</t></is></c>'
        '<c r="E2" t="inlineStr"><is><t>JOSÉ</t></is></c></row>'
    )
    ruta = libro_a_mano(
        tmp_path / "n.xlsx", declaracion + hoja_xml(encabezado_xml() + celdas)
    )

    _lector, leidas = leer(ruta)

    assert leidas[0][1]["NOMBRES"] == "JOSÉ"


@pytest.mark.parametrize("formato", ["csv", "xlsx"])
def test_missing_required_column_is_named(tmp_path, formato):
    encabezado = ["cod mod", "Anexo", "apellido paterno", "nombres"]
    fila = ["0403691", "0", "QUISPE", "ANA"]
    if formato == "csv":
        ruta = escribir(tmp_path, "n.csv", csv_bytes([encabezado, fila]))
    else:
        ruta = libro(tmp_path, [encabezado, fila])

    with pytest.raises(ArchivoInvalido) as error:
        abrir(ruta, requeridas=REQUERIDAS)

    assert str(error.value) == (
        "Falta la columna obligatoria COD_ESTUDIANTE en el encabezado (fila 1)."
    )


def test_several_missing_required_columns_are_named(tmp_path):
    ruta = escribir(
        tmp_path, "n.csv", csv_bytes([["ANEXO", "APELLIDO_PATERNO", "NOMBRES"]])
    )

    with pytest.raises(ArchivoInvalido, match="Faltan las columnas obligatorias"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_header_beyond_the_first_30_rows_is_not_found(tmp_path):
    filas = [["Reporte"]] * 30 + [ENCABEZADO, FILA]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    with pytest.raises(ArchivoInvalido, match="primeras 30 filas"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_xlsx_with_data_in_several_sheets_is_refused(tmp_path):
    wb = Workbook()
    wb.active.title = "UGEL Cusco"
    wb.active.append(ENCABEZADO)
    otra = wb.create_sheet("UGEL Urubamba")
    otra.append(ENCABEZADO)
    ruta = tmp_path / "n.xlsx"
    wb.save(ruta)

    with pytest.raises(ArchivoInvalido, match="varias hojas"):
        abrir(ruta, requeridas=REQUERIDAS)


def test_csv_with_an_endless_line_is_refused_while_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(lectores, "LINEA_MAXIMA", 200)
    filas = [ENCABEZADO] + [FILA] * 400 + [["0403691", "0", "1", "Q", "A" * 500, ""]]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))
    lector = abrir(ruta, requeridas=REQUERIDAS)

    with pytest.raises(ArchivoInvalido, match="fila 402"):
        list(lector.filas())


def test_csv_with_an_endless_line_near_the_top_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(lectores, "LINEA_MAXIMA", 200)
    filas = [ENCABEZADO, ["0403691", "0", "1", "Q", "A" * 500, ""]]
    ruta = escribir(tmp_path, "n.csv", csv_bytes(filas))

    with pytest.raises(ArchivoInvalido, match="demasiado larga"):
        abrir(ruta, requeridas=REQUERIDAS)
