import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from siagie_import import normalizacion as n


@pytest.mark.parametrize(
    ("valor", "digitos", "esperado"),
    [
        ("0403691", 7, "0403691"),
        ("403691", 7, "0403691"),  # a spreadsheet dropped the leading zero
        ("403691.0", 7, "0403691"),
        (" 403691 ", 7, "0403691"),
        ("'0403691", 7, "0403691"),  # Excel's apostrophe that forces text
        ("1234567", 8, "01234567"),  # DNI of 7 digits for one of 8
        ("80101", 6, "080101"),  # ubigeo
        ("12345678", 7, None),  # too long
        ("40369A", 7, None),
        ("4.03691E+05", 7, None),  # scientific notation lost digits: refuse
        ("403691.5", 7, None),
        ("", 7, None),
        ("²", 7, None),  # a digit for str.isdigit(), not for a code
    ],
)
def test_codigo(valor, digitos, esperado):
    assert n.codigo(valor, digitos) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("1", 1),
        ("1.0", 1),
        (" 3 ", 3),
        ("0", 0),
        ("-2", -2),
        ("1.5", None),
        ("abc", None),
        ("", None),
        ("1e3", None),
        ("9" * 5000, None),  # int() would refuse it with ValueError
    ],
)
def test_entero(valor, esperado):
    assert n.entero(valor) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("15/03/2023", dt.date(2023, 3, 15)),
        ("5/3/2023", dt.date(2023, 3, 5)),  # day first, as in Peru
        ("2023-03-15", dt.date(2023, 3, 15)),
        ("2023-03-15 00:00:00", dt.date(2023, 3, 15)),
        ("2023-03-15T10:20:30", dt.date(2023, 3, 15)),
        ("15-03-2023", dt.date(2023, 3, 15)),
        ("15/03/2023 08:00", dt.date(2023, 3, 15)),
        ("20230315", dt.date(2023, 3, 15)),
        ("45000", dt.date(2023, 3, 15)),  # Excel serial number
        ("45000.75", dt.date(2023, 3, 15)),
        ("1", dt.date(1900, 1, 1)),
        ("61", dt.date(1900, 3, 1)),
        ("60", None),  # Excel's phantom 29 February 1900
        ("0", None),
        ("90000", None),  # beyond the serials accepted as text
        ("31/02/2023", None),
        ("15/13/2023", None),
        ("2023-3", None),
        ("0001-01-01", None),
        ("10/05/2210", dt.date(2210, 5, 10)),  # read: the caller says "future"
        ("2210-05-10", dt.date(2210, 5, 10)),
        ("ayer", None),
        ("", None),
    ],
)
def test_fecha(valor, esperado):
    assert n.fecha(valor) == esperado


def test_fecha_excel_sistema_1904():
    assert n.fecha_excel(0, sistema_1904=True) == dt.date(1904, 1, 1)
    assert n.fecha_excel(43538, sistema_1904=True) == dt.date(2023, 3, 15)


def test_fecha_excel_fuera_de_rango():
    assert n.fecha_excel(-1) is None
    assert n.fecha_excel(3_000_000) is None
    assert n.fecha_excel(float("nan")) is None


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("josé  ñuñez ", "JOSÉ ÑUÑEZ"),
        ("  ANA\tLUCÍA\n", "ANA LUCÍA"),
        ("e\u0301rika", "ÉRIKA"),  # decomposed accent (macOS) composed again
        ("ma\u200bría", "MARÍA"),  # zero-width space dropped
        ("", ""),
    ],
)
def test_nombre(valor, esperado):
    assert n.nombre(valor) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("Única", "UNICA"),
        ("UNICA", "UNICA"),
        ("única ", "UNICA"),
        ("Requiere recuperación", "REQUIERE RECUPERACION"),
        ("  requiere   RECUPERACIÓN", "REQUIERE RECUPERACION"),
        ("Año", "ANO"),
    ],
)
def test_clave(valor, esperado):
    assert n.clave(valor) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("1", "1"),
        ("1.0", "1"),
        ("1.00", "1"),
        (" 2.0 ", "2"),
        ("05", "5"),
        ("219.0", "219"),
        ("0", "0"),
        ("00", "0"),
        ("1.5", "1.5"),  # not an integer: left as written
        (" Única ", "UNICA"),
        ("b0", "B0"),
        ("Requiere  recuperación", "REQUIERE RECUPERACION"),
        ("", ""),
    ],
)
def test_codificado(valor, esperado):
    assert n.codificado(valor) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("00012345678901", "00012345678901"),
        ("12345678901", "00012345678901"),  # a spreadsheet dropped the zeros
        ("12345678901.0", "00012345678901"),
        (" 0001234567890a ", "0001234567890A"),
        ("123", None),  # too short to be a code that lost its zeros
        ("123456789012345", None),
        ("0001234567890-", None),
        ("", None),
    ],
)
def test_codigo_alfanumerico(valor, esperado):
    assert n.codigo_alfanumerico(valor, 14) == esperado


# A clean cell takes a short cut; a space before it (which never matters) sends
# the same value through the general path: both must agree on every text.
_CELDAS = st.text(alphabet="0123456789ABCDEFabc .'\u00b2", min_size=0, max_size=16)


@given(valor=_CELDAS, largo=st.integers(min_value=1, max_value=15))
def test_codigo_alfanumerico_takes_the_short_cut_only_where_it_agrees(valor, largo):
    assert n.codigo_alfanumerico(valor, largo) == n.codigo_alfanumerico(
        " " + valor, largo
    )


@given(valor=_CELDAS, digitos=st.integers(min_value=1, max_value=15))
def test_codigo_takes_the_short_cut_only_where_it_agrees(valor, digitos):
    assert n.codigo(valor, digitos) == n.codigo(" " + valor, digitos)


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("53948", "53948 (13/09/2047)"),
        ("45000.0", "45000.0 (15/03/2023)"),
        ("10/05/2210", "10/05/2210"),
        ("90000", "90000"),  # no date: shown as it came
        ("ayer", "ayer"),
    ],
)
def test_fecha_mostrada(valor, esperado):
    assert n.fecha_mostrada(valor) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [("AB123456", "AB123456"), ("ab 123 456", "AB123456"), ("1234567.0", "1234567")],
)
def test_documento(valor, esperado):
    assert n.documento(valor) == esperado


@pytest.mark.parametrize(
    ("valor", "nivel", "esperado"),
    [
        ("3", "PRIMARIA", 3),
        ("3°", "PRIMARIA", 3),
        ("3º", "primaria", 3),
        ("3ro", "PRIMARIA", 3),
        ("1er", "PRIMARIA", 1),
        ("2do", "PRIMARIA", 2),
        ("4to", "SECUNDARIA", 4),
        ("3.0", "PRIMARIA", 3),
        ("TERCERO", "SECUNDARIA", 3),
        ("tercer grado", "PRIMARIA", 3),
        ("Primero", "PRIMARIA", 1),
        ("SEXTO", "PRIMARIA", 6),
        ("SEXTO", "SECUNDARIA", None),  # secundaria ends in 5.º
        ("7", "PRIMARIA", None),
        ("0", "PRIMARIA", None),
        ("3 AÑOS", "INICIAL", 3),
        ("5 años", "INICIAL", 5),
        ("3", "INICIAL", 3),
        ("TRES AÑOS", "INICIAL", 3),
        ("2", "INICIAL", None),  # cuna: not a grade of the nómina
        ("3ro", "INICIAL", None),  # an ordinal is not an age
        ("3 AÑOS", "PRIMARIA", None),  # an age is not a primaria grade
        ("3", "ADULTOS", None),  # unknown nivel
        ("", "PRIMARIA", None),
        ("tres", "PRIMARIA", None),
    ],
)
def test_grado(valor, nivel, esperado):
    assert n.grado(valor, nivel) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("HOMBRE", "HOMBRE"),
        ("h", "HOMBRE"),
        ("Masculino", "HOMBRE"),
        ("MUJER", "MUJER"),
        ("M", "MUJER"),  # FORMATOS: H / M are HOMBRE / MUJER
        ("femenino", "MUJER"),
        ("F", "MUJER"),
        ("X", None),
        ("", None),
    ],
)
def test_sexo(valor, esperado):
    assert n.sexo(valor) == esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("SI", True),
        ("Sí", True),
        ("s", True),
        ("1", True),
        ("TRUE", True),
        ("NO", False),
        ("n", False),
        ("0", False),
        ("FALSE", False),
        ("quizá", None),
        ("", None),
    ],
)
def test_si_no(valor, esperado):
    assert n.si_no(valor) is esperado


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("=1+1", True),
        ('=HYPERLINK("http://x")', True),
        ("+51 984 123 456", True),
        ("@SUM(A1:A3)", True),
        ("-2+3", True),
        ("\t=1", True),
        ("\r=1", True),
        ("-5", False),  # a number, not a formula
        ("+3.5", False),
        ("\t5", False),
        ("-", False),
        ("=", False),
        ("QUISPE", False),
        ("", False),
    ],
)
def test_es_formula(valor, esperado):
    assert n.es_formula(valor) is esperado
