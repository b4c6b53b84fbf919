"""Every column of every file kind, in every spelling FORMATOS.md lists, imports to
the value its plain spelling stores.

The columns come from the loaders' own declarations (siagie_import.columnas), not
from a list here: a column declared later is walked too, and the guard tests
below fail until it has a plain value and its kind has a variant generator.
"""

import csv
import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from siagie_import import normalizacion as norm
from siagie_import.columnas import ARCHIVOS, Clase, Columna
from siagie_import.models import EstadoImportacion, TipoArchivo
from siagie_import.services import ORDEN, TABLAS_POR_TIPO, importacion_ejecutar

# One row per file kind, every declared column with a value, written the plain
# way. Codes keep a leading zero (so that losing it is a variant), ESTADO is 2
# (the closed IE that "2.0" failed to close), the grade is vigesimal 5 (what
# "05" lost), DISCAPACIDAD is free text outside the vocabulary, with an accent.
PLANAS: dict[str, dict[str, str]] = {
    TipoArchivo.PADRON: {
        "COD_MOD": "0403691",
        "ANEXO": "0",
        "CODLOCAL": "012345",
        "CEN_EDU": "IE 50001 TÚPAC AMARU",
        "NIV_MOD": "B0",
        "D_NIV_MOD": "PRIMARIA",
        "GESTION": "1",
        "D_GESTION": "PÚBLICA DE GESTIÓN DIRECTA",
        "CODGEO": "080101",
        "D_DPTO": "CUSCO",
        "D_PROV": "CUSCO",
        "D_DIST": "CUSCO",
        "DAREACENSO": "URBANA",
        "CODOOII": "080001",
        "D_DREUGEL": "UGEL CUSCO",
        "D_REGION": "DRE CUSCO",
        "NLAT_IE": "-13.5",
        "NLONG_IE": "-71.9",
        "TALUMNO": "120",
        "ESTADO": "2",
    },
    TipoArchivo.NOMINA: {
        "ANIO": "2026",
        "COD_MOD": "0403691",
        "ANEXO": "0",
        "NIVEL": "PRIMARIA",
        "GRADO": "3",
        "SECCION": "ÚNICA",
        "COD_ESTUDIANTE": "00012345678901",
        "TIPO_DOCUMENTO": "DNI",
        "NUMERO_DOCUMENTO": "07000001",
        "APELLIDO_PATERNO": "QUISPE",
        "APELLIDO_MATERNO": "ÑAUPA",
        "NOMBRES": "ANA LUCÍA",
        "SEXO": "MUJER",
        "FECHA_NACIMIENTO": "2017-05-10",
        "LENGUA_MATERNA": "CASTELLANO",
        "DISCAPACIDAD": "FÍSICA",
        "SITUACION_MATRICULA": "PROMOVIDO",
        "FECHA_MATRICULA": "2026-03-02",
        "SITUACION_FINAL": "REQUIERE RECUPERACION",
        "NIVEL_INSTRUCCION_APOD": "SECUNDARIA COMPLETA",
        "PARENTESCO": "TIO(A)",
        "TRABAJA": "SI",
        "HORAS_SEMANALES_TRABAJO": "10",
    },
    TipoArchivo.EVALUACION: {
        "ANIO": "2026",
        "COD_ESTUDIANTE": "00012345678901",
        "COD_MOD": "0403691",
        "ANEXO": "0",
        "PERIODO": "1",
        "AREA": "MATEMATICA",
        "CALIFICATIVO": "5",
    },
    TipoArchivo.ASISTENCIA: {
        "ANIO": "2026",
        "COD_ESTUDIANTE": "00012345678901",
        "PERIODO": "2",
        "DIAS_LECTIVOS": "40",
        "INASISTENCIAS_INJUSTIFICADAS": "3",
        "INASISTENCIAS_JUSTIFICADAS": "1",
    },
    TipoArchivo.HOGARES: {
        "COD_ESTUDIANTE": "00012345678901",
        "CSE": "POBRE EXTREMO",
        "PROGRAMA_JUNTOS": "SI",
        "FECHA_CORTE": "2026-06-30",
    },
    TipoArchivo.PERSONAL: {
        "ANIO": "2026",
        "COD_MOD": "0403691",
        "ANEXO": "0",
        "CARGO": "TUTOR",
        "NIVEL": "PRIMARIA",
        "GRADO": "3",
        "SECCION": "ÚNICA",
        "NUMERO_DOCUMENTO": "04123456",
        "APELLIDOS": "PÉREZ ÑAUPA",
        "NOMBRES": "JOSÉ",
        "CORREO": "jose.perez@example.pe",
    },
}

_TILDES = str.maketrans("AEIOUaeiou", "ÁÉÍÓÚáéíóú")
_SIN_TILDES = str.maketrans("ÁÉÍÓÚáéíóú", "AEIOUaeiou")


def _con_otra_tilde(valor: str) -> str:
    """The value with its accents taken off, or one put on where it has none."""
    sin = valor.translate(_SIN_TILDES)
    if sin != valor:
        return sin
    for i, c in enumerate(valor):
        if c in "AEIOUaeiou":
            return valor[:i] + c.translate(_TILDES) + valor[i + 1 :]
    return valor


def _de_texto(valor: str) -> list[str]:
    """Case and spacing: what any text may come with."""
    return [
        valor.lower(),
        valor.title(),
        f"  {valor} ",
        valor.replace(" ", "  "),
        unicodedata.normalize("NFD", valor),  # a Mac's decomposed accents
    ]


def _de_numero(valor: str) -> list[str]:
    """An integer as a spreadsheet or a person writes it."""
    return [f"{valor}.0", f"{valor}.00", f"0{valor}", f" {valor} "]


def _de_codigo(valor: str) -> list[str]:
    sin_ceros = valor.lstrip("0")
    assert sin_ceros != valor, "the plain code should have a leading zero"
    return [sin_ceros, f"{sin_ceros}.0", f"{valor}.0", f"'{valor}", f" {valor} "]


def _de_vocabulario(columna: Columna, valor: str) -> list[str]:
    if not columna.vocabulario:
        return []
    if norm.entero(valor) is not None:
        return _de_numero(valor)
    # Outside the vocabulary, free text varies only in case and spacing (an
    # accent added or taken off is another word for free text).
    if columna.vocabulario.get(norm.codificado(valor)) is None:
        return []
    return [_con_otra_tilde(valor), _con_otra_tilde(valor).lower()]


def _de_fecha(valor: str) -> list[str]:
    dia = dt.date.fromisoformat(valor)
    serial = (dia - dt.date(1899, 12, 30)).days
    return [
        f"{dia:%d/%m/%Y}",
        f"{dia.day}/{dia.month}/{dia.year}",
        f"{dia:%d-%m-%Y}",
        f"{dia:%Y%m%d}",
        str(serial),
        f"{serial}.0",
        f"{valor} 00:00:00",
    ]


# How a value of each kind may be spelled besides its plain spelling.
VARIANTES = {
    Clase.CODIGO: lambda c, v: _de_codigo(v),
    Clase.CODIGO_ALFANUMERICO: lambda c, v: _de_codigo(v),
    Clase.DOCUMENTO: lambda c, v: _de_codigo(v),
    Clase.ENUMERACION: lambda c, v: _de_texto(v) + _de_vocabulario(c, v),
    Clase.TEXTO: lambda c, v: _de_texto(v) + _de_vocabulario(c, v),
    Clase.SI_NO: lambda c, v: ["si", "Sí", "S", "1", "1.0", " SI "],
    Clase.ENTERO: lambda c, v: _de_numero(v),
    Clase.GRADO: lambda c, v: [*_de_numero(v), f"{v}°", f"{v}ro", "TERCERO", "3er"],
    Clase.FECHA: lambda c, v: _de_fecha(v),
    Clase.NOMBRE: lambda c, v: _de_texto(v),
    Clase.CORREO: lambda c, v: [v.upper(), f" {v} ", v.title()],
    Clase.COORDENADA: lambda c, v: [v.replace(".", ","), f" {v} ", f"{v}0"],
    Clase.DESCRIPCION: lambda c, v: (
        _de_numero(v) if norm.entero(v) is not None else _de_texto(v)
    ),
}

COLUMNAS = [
    pytest.param(tipo, nombre, id=f"{tipo}-{nombre}")
    for tipo, columnas in ARCHIVOS.items()
    for nombre in columnas
]


def variantes(tipo: str, nombre: str) -> list[str]:
    columna = ARCHIVOS[tipo][nombre]
    plano = PLANAS[tipo][nombre]
    return list(dict.fromkeys(v for v in VARIANTES[columna.clase](columna, plano)))


@pytest.mark.parametrize(("tipo", "nombre"), COLUMNAS)
def test_every_declared_column_has_a_plain_value_and_variants(tipo, nombre):
    assert nombre in PLANAS[tipo], "give the new column a plain value in PLANAS"
    assert ARCHIVOS[tipo][nombre].clase in VARIANTES, "its kind has no variants"
    distintas = [v for v in variantes(tipo, nombre) if v != PLANAS[tipo][nombre]]
    assert len(distintas) >= 2


def test_every_kind_of_value_has_a_variant_generator():
    assert set(VARIANTES) == set(Clase)


def _escribir(carpeta: Path, tipo: str, fila: dict) -> Path:
    nombre = {
        TipoArchivo.PADRON: "padron_iiee.csv",
        TipoArchivo.HOGARES: "hogares.csv",
    }.get(tipo, f"{tipo.lower()}_2026.csv")
    ruta = carpeta / nombre
    with ruta.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(fila))
        w.writeheader()
        w.writerow(fila)
    return ruta


def _importar(carpeta: Path, tipo: str, fila: dict) -> None:
    imp = importacion_ejecutar(ruta=_escribir(carpeta, tipo, fila), tipo=tipo)
    rechazos = list(imp.rechazos.values_list("columna", "valor", "motivo"))
    assert imp.estado == EstadoImportacion.COMPLETADA, imp.mensaje
    assert (imp.filas_aceptadas, rechazos) == (1, []), fila


def _guardado() -> dict:
    """Every row of every table an import writes, as stored."""
    return {
        modelo.__name__: list(modelo.objects.order_by("pk").values())
        for modelos in TABLAS_POR_TIPO.values()
        for modelo in modelos
    }


@pytest.mark.parametrize(("tipo", "nombre"), COLUMNAS)
def test_every_spelling_imports_to_the_plain_value(db, tmp_path, tipo, nombre):
    for anterior in ORDEN[: ORDEN.index(tipo) + 1]:
        if anterior in (TipoArchivo.PADRON, TipoArchivo.NOMINA, tipo):
            _importar(tmp_path, anterior, PLANAS[anterior])
    plano = _guardado()
    for variante in variantes(tipo, nombre):
        _importar(tmp_path, tipo, {**PLANAS[tipo], nombre: variante})
        assert _guardado() == plano, f"{nombre}={variante!r}"
