"""The messy mode: the same data, written the way real extracts come.

FORMATOS.md ends with what real extracts look like; this module writes every
one of those quirks somewhere, so that an import of the messy files can be
compared with an import of the clean ones (they must give the same rows).

Each file is written in three parts, one per form: an XLSX with a title block
above the header, numbers in numeric cells and dates as Excel serial numbers;
a ``|``-separated Latin-1 ``.txt`` with Windows line ends; a ``;``-separated
UTF-8 CSV with a byte order mark. Rows go to the parts at random, as many to
each. Every part has its header spelled another way (lower case, accents,
spaces for underscores), empty trailing columns, blank rows and a total row at
the end.

Each cell is written in one of its spellings. The columns are taken from the
importer's own declarations (``siagie_import.cargadores``), so a column the
importer learns to read and nobody taught this module to spell is an error
here, not a silent gap; this is why the messy mode needs Django set up. Which
spelling a cell gets rotates over the spellings that apply to its value, per
file, column and kind of value, from an offset drawn from the seed: every
spelling that applies to some value of a column is written somewhere as soon
as that kind of value appears a few times in a file, and the same seed gives
the same files.

The contract with the importer: every spelling must be read back as the plain
one. Free text outside a known vocabulary (names, a disability's type) only
changes case and spacing, never its letters: accents are neither added nor
removed there.
"""

from __future__ import annotations

import csv
import datetime as dt
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .geografia import ErrorGenerador

# The three forms a file's parts take, and how each is written.
FORMAS = ("xlsx", "csv_latin1", "csv_bom")
EXTENSION = {"xlsx": "xlsx", "csv_latin1": "txt", "csv_bom": "csv"}
CSV_FORMA = {  # encoding, separator, line end
    "csv_latin1": ("latin-1", "|", "\r\n"),
    "csv_bom": ("utf-8-sig", ";", "\n"),
}

# The generator's file kinds and the importer's names for them.
TIPO_IMPORTADOR = {
    "padron_iiee": "PADRON",
    "nomina": "NOMINA",
    "evaluacion": "EVALUACION",
    "asistencia": "ASISTENCIA",
    "hogares": "HOGARES",
    "personal": "PERSONAL",
}

# How each column is spelled: by the kind of value it holds.
CLASE_DE_COLUMNA = {
    "COD_MOD": "codigo",
    "CODLOCAL": "codigo",
    "CODGEO": "codigo",
    "CODOOII": "codigo",
    "COD_ESTUDIANTE": "codigo",
    "NUMERO_DOCUMENTO": "documento",
    "ANIO": "entero",
    "ANEXO": "entero",
    "GESTION": "entero",
    "ESTADO": "entero",
    "TALUMNO": "entero",
    "PERIODO": "entero",
    "DIAS_LECTIVOS": "entero",
    "INASISTENCIAS_INJUSTIFICADAS": "entero",
    "INASISTENCIAS_JUSTIFICADAS": "entero",
    "HORAS_SEMANALES_TRABAJO": "entero",
    "GRADO": "grado",
    "CALIFICATIVO": "calificativo",
    "NIV_MOD": "opcion",
    "DAREACENSO": "opcion",
    "NIVEL": "opcion",
    "SECCION": "opcion",
    "TIPO_DOCUMENTO": "opcion",
    "SEXO": "opcion",
    "LENGUA_MATERNA": "opcion",
    "SITUACION_MATRICULA": "opcion",
    "SITUACION_FINAL": "opcion",
    "NIVEL_INSTRUCCION_APOD": "opcion",
    "PARENTESCO": "opcion",
    "TRABAJA": "opcion",
    "PROGRAMA_JUNTOS": "opcion",
    "CSE": "opcion",
    "CARGO": "opcion",
    "AREA": "opcion",
    "CEN_EDU": "nombre",
    "D_DREUGEL": "nombre",
    "D_REGION": "nombre",
    "APELLIDO_PATERNO": "nombre",
    "APELLIDO_MATERNO": "nombre",
    "NOMBRES": "nombre",
    "APELLIDOS": "nombre",
    "D_NIV_MOD": "texto",
    "D_GESTION": "texto",
    "D_DPTO": "texto",
    "D_PROV": "texto",
    "D_DIST": "texto",
    "DISCAPACIDAD": "texto",
    "FECHA_NACIMIENTO": "fecha",
    "FECHA_MATRICULA": "fecha",
    "FECHA_CORTE": "fecha",
    "NLAT_IE": "decimal",
    "NLONG_IE": "decimal",
    "CORREO": "correo",
}

# Values of a known vocabulary as they are also written, with their accents
# (the plain spelling of FORMATOS has none, except ÚNICA, written both ways).
TILDES = {
    "REQUIERE RECUPERACION": "REQUIERE RECUPERACIÓN",
    "ÚNICA": "UNICA",
    "AWAJUN": "AWAJÚN",
    "ASHANINKA": "ASHÁNINKA",
    "TIO(A)": "TÍO(A)",
    "SI": "SÍ",
    "MATEMATICA": "MATEMÁTICA",
    "COMUNICACION": "COMUNICACIÓN",
    "CIENCIA Y TECNOLOGIA": "CIENCIA Y TECNOLOGÍA",
}
SEXO_LETRA = {"HOMBRE": "H", "MUJER": "M"}
ORDINALES = ("PRIMERO", "SEGUNDO", "TERCERO", "CUARTO", "QUINTO", "SEXTO")
SUFIJOS = ("ro", "do", "ro", "to", "to", "to")
EDADES = {3: "TRES", 4: "CUATRO", 5: "CINCO"}
# Header words as they are also written, with their accents.
PALABRAS_CON_TILDE = {
    "COD": "CÓD",
    "CODIGO": "CÓDIGO",
    "ANIO": "AÑO",
    "SITUACION": "SITUACIÓN",
    "INSTRUCCION": "INSTRUCCIÓN",
    "DIAS": "DÍAS",
    "GESTION": "GESTIÓN",
    "REGION": "REGIÓN",
    "PERIODO": "PERÍODO",
    "NUMERO": "NÚMERO",
    "AREA": "ÁREA",
}
TITULOS = {
    "padron_iiee": "PADRÓN DE INSTITUCIONES EDUCATIVAS",
    "nomina": "NÓMINA DE MATRÍCULA",
    "evaluacion": "ACTA DE EVALUACIÓN",
    "asistencia": "REGISTRO DE ASISTENCIA",
    "hogares": "CLASIFICACIÓN SOCIOECONÓMICA DE HOGARES",
    "personal": "PERSONAL DIRECTIVO Y TUTORES",
}
TOTALES = ("TOTAL", "Total general", "TOTAL DE REGISTROS:")
COLUMNAS_VACIAS = 2  # empty columns after the last one
FILAS_VACIAS = 2  # blank rows before the total row

_EPOCA_EXCEL = dt.date(1899, 12, 30)


class Numero(int):
    """A value to write as a numeric cell (XLSX only)."""


class Real(float):
    """A decimal to write as a numeric cell (XLSX only)."""


class Fecha(dt.date):
    """A date to write as a date cell (XLSX only)."""


Valor = str | int | float | dt.date
Variantes = tuple[tuple[str, Valor], ...]  # ((quirk, value), ...), plain first


def clases_de_columnas() -> dict[str, dict[str, str]]:
    """{generator's file kind: {column: its class}} for every column the
    importer declares for that kind.

    Raises ``ErrorGenerador`` for a column the importer reads and this module
    does not know how to spell.
    """
    from siagie_import.cargadores import COLUMNAS_OPCIONALES, COLUMNAS_REQUERIDAS

    clases = {}
    for tipo, del_importador in TIPO_IMPORTADOR.items():
        columnas = (
            *COLUMNAS_REQUERIDAS[del_importador],
            *COLUMNAS_OPCIONALES[del_importador],
        )
        desconocidas = [c for c in columnas if c not in CLASE_DE_COLUMNA]
        if desconocidas:
            raise ErrorGenerador(
                "El modo desordenado no sabe escribir las columnas "
                f"{', '.join(desconocidas)} de {tipo}."
            )
        clases[tipo] = {c: CLASE_DE_COLUMNA[c] for c in columnas}
    return clases


# --- the spellings of one value ----------------------------------------------


def _espacios(texto: str) -> str:
    return f"  {texto} "


def _dobles(texto: str) -> str | None:
    return texto.replace(" ", "  ") if " " in texto else None


def _capitalizado(texto: str) -> str | None:
    # Only where upper-casing gives the same letters back (names keep them).
    capitalizado = texto.title()
    return capitalizado if capitalizado.upper() == texto.upper() else None


def _minusculas(texto: str) -> str | None:
    minusculas = texto.lower()
    return minusculas if minusculas.upper() == texto.upper() else None


def _variantes_codigo(texto: str, xlsx: bool) -> list:
    sin_ceros = texto.lstrip("0")
    return [
        ("flotante", texto + ".0"),
        ("sin_ceros", sin_ceros if sin_ceros != texto and sin_ceros else None),
        (
            "flotante_sin_ceros",
            sin_ceros + ".0" if sin_ceros != texto and sin_ceros else None,
        ),
        ("celda_numero", Numero(int(texto)) if xlsx else None),
        ("espacios", _espacios(texto)),
    ]


def _variantes_entero(texto: str, xlsx: bool) -> list:
    return [
        ("flotante", texto + ".0"),
        ("celda_numero", Numero(int(texto)) if xlsx else None),
        ("espacios", _espacios(texto)),
    ]


def _variantes_texto(texto: str) -> list:
    return [
        ("minusculas", _minusculas(texto)),
        ("capitalizado", _capitalizado(texto)),
        ("espacios", _espacios(texto)),
        ("espacios_dobles", _dobles(texto)),
    ]


def _variantes_grado(texto: str, nivel: str, xlsx: bool) -> list:
    if not texto.isdigit():
        return _variantes_texto(texto)
    numero = int(texto)
    variantes = [
        ("flotante", f"{numero}.0"),
        ("ceros", f"{numero:02d}"),
        ("celda_numero", Numero(numero) if xlsx else None),
        ("espacios", _espacios(texto)),
    ]
    if nivel == "INICIAL":
        variantes += [
            ("grado_anios", f"{numero} años"),
            ("grado_palabra", f"{EDADES[numero]} AÑOS" if numero in EDADES else None),
        ]
    elif 1 <= numero <= len(ORDINALES):
        variantes += [
            ("grado_palabra", ORDINALES[numero - 1]),
            ("grado_signo", f"{numero}°"),
            ("grado_sufijo", f"{numero}{SUFIJOS[numero - 1]}"),
        ]
    return variantes


def _variantes_calificativo(texto: str, xlsx: bool) -> list:
    if not texto.isdigit():
        return [("minusculas", texto.lower()), ("espacios", _espacios(texto))]
    numero = int(texto)
    return [
        ("flotante", f"{numero}.0"),
        ("ceros", f"{numero:02d}" if numero < 10 else None),
        ("celda_numero", Numero(numero) if xlsx else None),
        ("espacios", _espacios(texto)),
    ]


def _variantes_opcion(texto: str, columna: str) -> list:
    return [
        *_variantes_texto(texto),
        ("tildes", TILDES.get(texto)),
        ("letra", SEXO_LETRA.get(texto) if columna == "SEXO" else None),
    ]


def _variantes_fecha(texto: str, xlsx: bool) -> list:
    dia = dt.date.fromisoformat(texto)
    serial = (dia - _EPOCA_EXCEL).days  # right from 1 March 1900 on
    return [
        ("fecha_dma", dia.strftime("%d/%m/%Y")),
        ("serial_texto", None if xlsx else str(serial)),
        ("serial_celda", Numero(serial) if xlsx else None),
        ("celda_fecha", Fecha(dia.year, dia.month, dia.day) if xlsx else None),
        ("espacios", _espacios(texto)),
    ]


def variantes(
    clase: str, columna: str, texto: str, contexto: str, *, xlsx: bool
) -> Variantes:
    """Every spelling of a clean value that must read back as it: the plain
    one first, then (quirk, value) for each quirk that applies to it.

    ``contexto`` is the row's NIVEL for a GRADO, its TIPO_DOCUMENTO for a
    NUMERO_DOCUMENTO (``"DNI"`` where the file has no such column).
    """
    if not texto:
        return (("", texto),)
    if clase == "codigo" or (clase == "documento" and contexto == "DNI"):
        lista = _variantes_codigo(texto, xlsx)
    elif clase == "documento":  # a foreign document: its text as it is
        lista = [("espacios", _espacios(texto))]
    elif clase == "entero":
        lista = (
            _variantes_entero(texto, xlsx)
            if texto.isdigit()
            else _variantes_opcion(texto, columna)
        )
    elif clase == "grado":
        lista = _variantes_grado(texto, contexto, xlsx)
    elif clase == "calificativo":
        lista = _variantes_calificativo(texto, xlsx)
    elif clase == "opcion":
        lista = _variantes_opcion(texto, columna)
    elif clase in ("nombre", "texto"):
        lista = _variantes_texto(texto)
    elif clase == "fecha":
        lista = _variantes_fecha(texto, xlsx)
    elif clase == "decimal":
        lista = [
            ("celda_numero", Real(float(texto)) if xlsx else None),
            ("espacios", _espacios(texto)),
        ]
    elif clase == "correo":
        lista = [("mayusculas", texto.upper()), ("espacios", _espacios(texto))]
    else:
        raise ValueError(f"Unknown column class {clase!r}.")
    return (
        ("", texto),
        *((q, v) for q, v in lista if v is not None and v != texto),
    )


def encabezado(columna: str, variante: int) -> str:
    """The header as one of three spellings: ``COD_MOD``, ``cód mod``,
    ``Cod_Mod``."""
    if variante == 1:
        palabras = [PALABRAS_CON_TILDE.get(p, p) for p in columna.split("_")]
        return " ".join(palabras).lower()
    if variante == 2:
        return columna.title()
    return columna


# --- the writers ---------------------------------------------------------------


class _Parte:
    """One part of a messy file: its form, its header, its rows."""

    def __init__(self, ruta: Path, forma: str, tipo: str, cabecera: list[str]):
        self.ruta, self.forma, self.tipo = ruta, forma, tipo
        self.xlsx = forma == "xlsx"
        self.filas = 0
        relleno = [""] * COLUMNAS_VACIAS
        if self.xlsx:
            from openpyxl import Workbook

            self._libro = Workbook(write_only=True)
            self._hoja = self._libro.create_sheet(title=ruta.stem[:31])
            self._hoja.append([f"{TITULOS[tipo]} - SIAGIE"])
            self._hoja.append(["Reporte generado el 15/03/2026", None, "Página 1"])
            self._hoja.append([])
            self._hoja.append([*cabecera, *relleno])
        else:
            codificacion, self._separador, fin = CSV_FORMA[forma]
            self._archivo = ruta.open("w", encoding=codificacion, newline="")
            self._csv = csv.writer(
                self._archivo, delimiter=self._separador, lineterminator=fin
            )
            self._csv.writerow([*cabecera, *relleno])
        self._ancho = len(cabecera)

    def escribir(self, filas: list[list[Valor]]) -> None:
        relleno = [""] * COLUMNAS_VACIAS
        if self.xlsx:
            agregar = self._hoja.append
            for fila in filas:
                agregar([_celda(v) for v in fila] + relleno)
        else:
            self._csv.writerows(fila + relleno for fila in filas)
        self.filas += len(filas)

    def cerrar(self, total: str) -> None:
        if self.xlsx:
            for _i in range(FILAS_VACIAS):
                self._hoja.append([])
            self._hoja.append([total, *[None] * (self._ancho - 2), self.filas])
            self._libro.save(self.ruta)
        else:
            for _i in range(FILAS_VACIAS):
                self._csv.writerow([""] * (self._ancho + COLUMNAS_VACIAS))
            self._csv.writerow([total, *[""] * (self._ancho - 2), self.filas])
            self._archivo.close()


def _celda(valor: Valor):
    if isinstance(valor, Numero):
        return int(valor)
    if isinstance(valor, Real):
        return float(valor)
    if isinstance(valor, Fecha):
        return dt.date(valor.year, valor.month, valor.day)
    return valor


class EscritorDesordenado:
    """The three parts of one messy file, and the spellings of its cells.

    ``aplicadas`` counts the quirks written, by (column, quirk), for the
    tests and the summary; file-level quirks are counted under column "".
    """

    def __init__(
        self,
        carpeta: Path,
        nombre: str,
        tipo: str,
        columnas: Sequence[str],
        clases: dict[str, str],
        semilla: int,
    ) -> None:
        faltan = [c for c in clases if c not in columnas]
        if faltan:
            raise ErrorGenerador(
                f"El generador no escribe las columnas {', '.join(faltan)} de {tipo}."
            )
        self.nombre, self.columnas = nombre, list(columnas)
        semilla_archivo = [semilla, 7, zlib.crc32(nombre.encode())]
        self._rng = np.random.default_rng(semilla_archivo)
        orden = self._rng.permutation(len(FORMAS))
        self.aplicadas: Counter[tuple[str, str]] = Counter()
        self.partes: list[_Parte] = []
        self._desplazamiento = int(self._rng.integers(1000))
        for k, i in enumerate(orden.tolist()):
            forma = FORMAS[i]
            ruta = carpeta / f"{nombre}_parte{k + 1}.{EXTENSION[forma]}"
            cabecera = [
                encabezado(c, (j + k + self._desplazamiento) % 3)
                for j, c in enumerate(self.columnas)
            ]
            self.partes.append(_Parte(ruta, forma, tipo, cabecera))
            self.aplicadas[("", forma)] += 1
        self._totales = [
            TOTALES[(k + self._desplazamiento) % len(TOTALES)]
            for k in range(len(FORMAS))
        ]
        self._clases = [clases.get(c) for c in self.columnas]
        self._i_nivel = self._indice("NIVEL")
        self._i_documento = self._indice("TIPO_DOCUMENTO")
        self._cache: list[dict] = [{} for _p in FORMAS]
        # One rotation per file, so that a small file (the padrón of a few
        # schools) spreads its spellings over its parts rather than restarting
        # in each; spellings of the xlsx part only rotate apart anyway.
        self._turnos: Counter = Counter()
        self._inicio = [int(x) for x in self._rng.integers(1000, size=len(columnas))]

    def _indice(self, columna: str) -> int | None:
        return self.columnas.index(columna) if columna in self.columnas else None

    @property
    def filas(self) -> int:
        return sum(p.filas for p in self.partes)

    def escribir(self, columnas: Sequence[Sequence]) -> None:
        n = len(columnas[0])
        if not n:
            return
        textos = [["" if v is None else str(v) for v in col] for col in columnas]
        filas = list(zip(*textos, strict=True))
        # Balanced over the parts, in random order.
        destino = self._rng.permutation(np.arange(n) % len(FORMAS))
        for p, parte in enumerate(self.partes):
            propias = [filas[i] for i in np.flatnonzero(destino == p).tolist()]
            if propias:
                parte.escribir([self._desordenar(p, fila) for fila in propias])

    def _desordenar(self, p: int, fila: tuple[str, ...]) -> list[Valor]:
        cache, turnos, inicio = self._cache[p], self._turnos, self._inicio
        xlsx = self.partes[p].xlsx
        nivel = fila[self._i_nivel] if self._i_nivel is not None else ""
        documento = fila[self._i_documento] if self._i_documento is not None else "DNI"
        salida: list[Valor] = []
        for j, (texto, clase) in enumerate(zip(fila, self._clases, strict=True)):
            if clase is None or not texto:
                salida.append(texto)
                continue
            contexto = nivel if clase == "grado" else documento
            clave = (j, texto, contexto)
            opciones = cache.get(clave)
            if opciones is None:
                if len(cache) > 200_000:
                    cache.clear()
                opciones = variantes(
                    clase, self.columnas[j], texto, contexto, xlsx=xlsx
                )
                cache[clave] = opciones
            # Rotate within the values that have the same spellings, so that a
            # rare value (REQUIERE RECUPERACION) gets each of its own too.
            turno = (j, tuple(q for q, _v in opciones))
            quirk, valor = opciones[(inicio[j] + turnos[turno]) % len(opciones)]
            turnos[turno] += 1
            if quirk:
                self.aplicadas[(self.columnas[j], quirk)] += 1
            salida.append(valor)
        return salida

    def cerrar(self) -> None:
        for parte, total in zip(self.partes, self._totales, strict=True):
            parte.cerrar(total)
        for quirk in ("titulo", "total", "filas_vacias", "columnas_vacias"):
            self.aplicadas[("", quirk)] += 1


def escritor_de(clases: dict[str, dict[str, str]], semilla: int) -> Callable:
    """A factory of messy writers for ``Salidas``."""

    def crear(carpeta: Path, nombre: str, tipo: str, columnas: Sequence[str]):
        return EscritorDesordenado(
            carpeta, nombre, tipo, columnas, clases[tipo], semilla
        )

    return crear
