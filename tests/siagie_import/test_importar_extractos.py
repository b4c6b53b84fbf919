"""Real-extract shapes go in normalised; refused files leave nothing behind."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from alerta.models import Estudiante, Matricula
from siagie_import.models import EstadoImportacion
from siagie_import.services import importacion_ejecutar

from .test_importar import PADRON, _nomina, escribir


@pytest.fixture
def padron(db, tmp_path):
    importacion_ejecutar(ruta=escribir(tmp_path, "padron_iiee.csv", PADRON))
    return tmp_path


def test_a_pipe_separated_latin1_extract_with_lower_case_headers(padron):
    filas = [_nomina(NOMBRES="  josé   ñuñez ", APELLIDO_PATERNO="peña")]
    encabezado = "|".join(k.lower().replace("_", " ") for k in filas[0])
    lineas = [encabezado] + ["|".join(f.values()) for f in filas]
    ruta = padron / "nomina_2026.txt"
    ruta.write_bytes(("\r\n".join(lineas) + "\r\n").encode("latin-1"))
    imp = importacion_ejecutar(ruta=ruta)
    assert imp.estado == EstadoImportacion.COMPLETADA, imp.mensaje
    e = Estudiante.objects.get()
    assert (e.nombres, e.apellido_paterno) == ("JOSÉ ÑUÑEZ", "PEÑA")


def test_an_xlsx_with_a_title_block_numbers_for_codes_and_excel_dates(padron):
    wb = Workbook()
    ws = wb.active
    ws.append(["NÓMINA DE MATRÍCULA 2026"])
    ws.append(["UGEL CUSCO", None, "generado el 15/03/2026"])
    ws.append([])
    fila = _nomina()
    ws.append(list(fila))
    valores = dict(fila)
    valores.update(
        COD_MOD=403691,  # the spreadsheet dropped the leading zero
        ANEXO=0.0,
        GRADO="3°",
        SECCION="a",
        SEXO="M",
        FECHA_NACIMIENTO=42865,  # Excel serial for 2017-05-10
        NOMBRES='=HYPERLINK("x")',  # looks like a formula: kept as text
    )
    ws.append(list(valores.values()))
    ws.append([])
    ws.append(["TOTAL", None, None, None, None, None, None, None, 1])
    ruta = padron / "nomina_2026.xlsx"
    wb.save(ruta)

    imp = importacion_ejecutar(ruta=ruta)
    assert imp.estado == EstadoImportacion.COMPLETADA, imp.mensaje
    assert (imp.filas_aceptadas, imp.filas_rechazadas) == (1, 0), list(
        imp.rechazos.values()
    )
    m = Matricula.objects.select_related("estudiante", "seccion__ie").get()
    assert m.seccion.ie.codigo_modular == "0403691"
    assert (m.seccion.grado, m.seccion.letra) == (3, "A")
    assert str(m.estudiante.fecha_nacimiento) == "2017-05-10"
    assert m.estudiante.sexo == "MUJER"
    assert m.estudiante.nombres.startswith("=HYPERLINK")


def test_a_rejected_row_is_numbered_as_the_spreadsheet_shows_it(padron):
    wb = Workbook()
    ws = wb.active
    ws.append(["Reporte de nómina"])
    ws.append([])
    ws.append(list(_nomina()))
    ws.append(list(_nomina().values()))
    ws.append(list(_nomina(COD_ESTUDIANTE="00000000000002", SEXO="X").values()))
    ruta = padron / "nomina_2026.xlsx"
    wb.save(ruta)
    imp = importacion_ejecutar(ruta=ruta)
    rechazo = imp.rechazos.get()
    assert (rechazo.fila, rechazo.columna, rechazo.valor) == (5, "SEXO", "X")


@pytest.mark.parametrize(
    ("contenido", "palabra"),
    [
        (b"", "vac"),
        (b"%PDF-1.4 un informe", "PDF"),
        (b"ANIO,COD_MOD\n2026,0403691\n", "COD_ESTUDIANTE"),
    ],
)
def test_a_refused_file_says_why_in_one_sentence_and_imports_nothing(
    padron, contenido, palabra
):
    ruta = padron / "nomina_2026.csv"
    ruta.write_bytes(contenido)
    imp = importacion_ejecutar(ruta=ruta)
    assert imp.estado == EstadoImportacion.FALLIDA
    assert palabra.lower() in imp.mensaje.lower()
    assert imp.mensaje.count(". ") == 0  # one sentence
    assert imp.filas_leidas == 0
    assert not Matricula.objects.exists()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(contenido=st.binary(max_size=2000))
def test_random_bytes_are_refused_whole_or_loaded_never_crash(padron, contenido):
    ruta = padron / "nomina_2026.csv"
    ruta.write_bytes(contenido)
    antes = Matricula.objects.count()
    imp = importacion_ejecutar(ruta=ruta)
    if imp.estado == EstadoImportacion.FALLIDA:
        assert Matricula.objects.count() == antes
        assert imp.mensaje
    else:
        assert imp.estado == EstadoImportacion.COMPLETADA
        assert imp.filas_aceptadas + imp.filas_rechazadas == imp.filas_leidas


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    celdas=st.lists(
        st.dictionaries(
            st.sampled_from(list(_nomina())),
            st.text(max_size=20),
            max_size=6,
        ),
        min_size=1,
        max_size=5,
    )
)
def test_random_cells_give_accepted_or_reported_rows_never_a_crash(padron, celdas):
    filas = [
        _nomina(**{"COD_ESTUDIANTE": f"{i:014d}", **c}) for i, c in enumerate(celdas)
    ]
    imp = importacion_ejecutar(ruta=escribir(padron, "nomina_2026.csv", filas))
    assert imp.estado in (EstadoImportacion.COMPLETADA, EstadoImportacion.FALLIDA)
    if imp.estado == EstadoImportacion.COMPLETADA:
        assert imp.filas_aceptadas + imp.filas_rechazadas == imp.filas_leidas
