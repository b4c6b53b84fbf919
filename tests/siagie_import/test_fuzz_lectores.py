"""Property tests: whatever the bytes, the readers answer rows or ArchivoInvalido;
whatever the cell values of a well-formed file, they come back as text."""

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from siagie_import import normalizacion
from siagie_import.columnas import ARCHIVOS, Clase, FilaInvalida
from siagie_import.lectores import ArchivoInvalido, abrir

REQUERIDAS = ("COD_ESTUDIANTE", "NOMBRES", "ANEXO")
CONOCIDAS = ("FECHA_NACIMIENTO",)
COLUMNAS = [*REQUERIDAS, *CONOCIDAS]

# Every example writes over the same file: the function-scoped tmp_path is fine.
rapido = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def leer_o_rechazar(ruta: Path) -> None:
    try:
        lector = abrir(ruta, requeridas=REQUERIDAS, conocidas=CONOCIDAS)
        lector.contar_filas()
        for numero, fila in lector.filas():
            assert isinstance(numero, int)
            assert all(isinstance(v, str) for v in fila.values())
    except ArchivoInvalido as e:
        assert str(e).strip()


@rapido
@given(datos=st.binary(max_size=2048))
def test_random_bytes_are_read_or_refused(tmp_path, datos):
    ruta = tmp_path / "x.csv"
    ruta.write_bytes(datos)
    leer_o_rechazar(ruta)


@rapido
@given(
    prefijo=st.sampled_from([b"PK\x03\x04", b"PK\x05\x06", b"\xef\xbb\xbf", b"%PD"]),
    datos=st.binary(max_size=1024),
)
def test_random_bytes_behind_a_signature_are_read_or_refused(tmp_path, prefijo, datos):
    ruta = tmp_path / "x.xlsx"
    ruta.write_bytes(prefijo + datos)
    leer_o_rechazar(ruta)


def _libro_valido() -> bytes:
    wb = Workbook()
    hoja = wb.active
    hoja.append(["Reporte"])
    hoja.append(COLUMNAS)
    hoja.append(["E1", "ANA", 0, dt.date(2017, 5, 10)])
    hoja.append(["E2", "=1+1", 1.0, 45000])
    salida = io.BytesIO()
    wb.save(salida)
    return salida.getvalue()


LIBRO = _libro_valido()


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cambios=st.lists(
        st.tuples(st.integers(0, len(LIBRO) - 1), st.integers(0, 255)), max_size=8
    ),
    corte=st.integers(0, len(LIBRO)),
)
def test_damaged_xlsx_is_read_or_refused(tmp_path, cambios, corte):
    datos = bytearray(LIBRO)
    for posicion, byte in cambios:
        datos[posicion] = byte
    ruta = tmp_path / "x.xlsx"
    ruta.write_bytes(bytes(datos[: max(corte, 4)]))
    leer_o_rechazar(ruta)


def _xlsx_damaged_inside(tmp_path: Path, hoja: bytes) -> Path:
    """A well-formed zip around a sheet part that may be anything."""
    ruta = tmp_path / "x.xlsx"
    with zipfile.ZipFile(io.BytesIO(LIBRO)) as origen:
        with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as destino:
            for info in origen.infolist():
                contenido = origen.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    contenido = hoja
                destino.writestr(info.filename, contenido)
    return ruta


@rapido
@given(cambios=st.lists(st.tuples(st.integers(0, 10**6), st.binary(max_size=6))))
def test_xlsx_with_a_damaged_sheet_is_read_or_refused(tmp_path, cambios):
    with zipfile.ZipFile(io.BytesIO(LIBRO)) as zf:
        hoja = bytearray(zf.read("xl/worksheets/sheet1.xml"))
    for posicion, trozo in cambios:
        posicion %= len(hoja)
        hoja[posicion : posicion + len(trozo)] = trozo
    leer_o_rechazar(_xlsx_damaged_inside(tmp_path, bytes(hoja)))


valores = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(["", " ", "\t", "\x00", "\x1b[0m", "=1+1", "TOTAL", "0403691"]),
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(str),
)


def _fila(i: int, resto: list) -> list:
    # A never-empty first column: no row is blank or a total, so counts are exact.
    return [f"E{i}", *resto]


@rapido
@given(
    filas=st.lists(st.lists(valores, min_size=3, max_size=3), max_size=15),
    sep=st.sampled_from([",", ";", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_any_values_in_a_csv_come_back_as_text(tmp_path, filas, sep, encoding):
    escritas = [_fila(i, resto) for i, resto in enumerate(filas)]
    texto = io.StringIO()
    escritor = csv.writer(texto, delimiter=sep)
    escritor.writerow(COLUMNAS)
    escritor.writerows(escritas)
    ruta = tmp_path / "x.csv"
    ruta.write_bytes(texto.getvalue().encode(encoding))

    lector = abrir(ruta, requeridas=REQUERIDAS, conocidas=CONOCIDAS)
    leidas = list(lector.filas())

    assert lector.separador == sep
    assert lector.contar_filas() == len(leidas) == len(escritas)
    for (numero, fila), escrita in zip(leidas, escritas, strict=True):
        assert isinstance(numero, int)
        # NUL is dropped: it is never data and PostgreSQL cannot store it.
        assert fila == {
            c: v.replace("\x00", "").strip()
            for c, v in zip(COLUMNAS, escrita, strict=True)
        }


celdas_xlsx = st.one_of(
    st.none(),
    st.text(max_size=30).map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t)),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31)),
    st.sampled_from(["=1+1", "=SUM(A1:A3)", "_x0041_", "0403691", "  A  "]),
)


def _esperado(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, dt.date):
        return valor.isoformat()
    if isinstance(valor, float):
        valor = float(f"{valor:.16g}")  # openpyxl writes 16 significant digits
        if valor.is_integer() and abs(valor) < 1e17:
            return str(int(valor))
        return repr(valor)
    # openpyxl writes _xHHHH_ as it is; OOXML readers (Excel too) take it as an
    # escaped character.
    # A raw CR in the sheet's XML reaches any XML parser as a line feed.
    texto = str(valor).replace("\r\n", "\n").replace("\r", "\n")
    texto = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), texto)
    texto = texto.replace("\x00", "")
    return texto.strip()


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(filas=st.lists(st.lists(celdas_xlsx, min_size=3, max_size=3), max_size=12))
def test_any_values_in_an_xlsx_come_back_as_text(tmp_path, filas):
    escritas = [_fila(i, resto) for i, resto in enumerate(filas)]
    wb = Workbook()
    hoja = wb.active
    hoja.append(COLUMNAS)
    for fila in escritas:
        hoja.append(fila)
    ruta = tmp_path / "x.xlsx"
    wb.save(ruta)

    lector = abrir(ruta, requeridas=REQUERIDAS, conocidas=CONOCIDAS)
    leidas = list(lector.filas())

    assert lector.contar_filas() == len(leidas) == len(escritas)
    for (numero, fila), escrita in zip(leidas, escritas, strict=True):
        assert isinstance(numero, int)
        esperada = {c: _esperado(v) for c, v in zip(COLUMNAS, escrita, strict=True)}
        assert fila == esperada


texto_cualquiera = st.text(max_size=40) | st.sampled_from(
    ["9" * 5000, "1e400", "0403691.0", "45000.5", "3°", "31/02/2023", "-0", "²"]
)


@settings(max_examples=300, deadline=None)
@given(valor=texto_cualquiera, digitos=st.integers(1, 14), nivel=texto_cualquiera)
def test_normalisation_never_raises(valor, digitos, nivel):
    codigo = normalizacion.codigo(valor, digitos)
    assert codigo is None or (len(codigo) == digitos and codigo.isdigit())
    assert isinstance(normalizacion.entero(valor), int | None)
    assert isinstance(normalizacion.fecha(valor), dt.date | None)
    assert isinstance(normalizacion.nombre(valor), str)
    assert isinstance(normalizacion.clave(valor), str)
    assert normalizacion.grado(valor, nivel) in (None, 1, 2, 3, 4, 5, 6)
    assert normalizacion.grado(valor, "PRIMARIA") in (None, 1, 2, 3, 4, 5, 6)
    assert normalizacion.grado(valor, "INICIAL") in (None, 3, 4, 5)
    assert normalizacion.sexo(valor) in (None, "HOMBRE", "MUJER")
    assert normalizacion.si_no(valor) in (None, True, False)
    assert isinstance(normalizacion.es_formula(valor), bool)
    assert isinstance(normalizacion.codificado(valor), str)
    alfanumerico = normalizacion.codigo_alfanumerico(valor, digitos)
    assert alfanumerico is None or len(alfanumerico) == digitos
    assert isinstance(normalizacion.documento(valor), str)
    assert valor.strip() in normalizacion.fecha_mostrada(valor)


@settings(max_examples=300, deadline=None)
@given(valor=texto_cualquiera, nivel=texto_cualquiera)
def test_every_declared_column_reads_a_value_or_rejects_the_row(valor, nivel):
    for columnas in ARCHIVOS.values():
        for columna in columnas.values():
            try:
                if columna.clase == Clase.GRADO:
                    columna.leer_grado(valor, nivel)
                else:
                    columna.leer(valor)
                    columna.leer_documento(valor, "DNI")
            except FilaInvalida as e:
                assert e.columna == columna.nombre and e.motivo
