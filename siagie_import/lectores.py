"""Open CSV and XLSX extracts safely and stream their rows as text.

``abrir`` looks at the file as a whole (its size, its real format judged by its
content, the zip directory of an XLSX, the encoding and separator of a CSV) and
finds the header row by its column names; ``Lector.filas`` then streams the data
rows as ``{CANONICAL_COLUMN: text}``. Anything that makes the file unusable
raises ``ArchivoInvalido`` with one sentence in Spanish for the user.

XLSX sheets are read with the standard library's expat parser through
``ElementTree.iterparse``, one ``<row>`` at a time, rather than with
python-calamine or openpyxl: calamine loads the whole sheet into memory (about
450 MB for a 200,000-row nómina, over 2 GB for a full sheet) and cannot give a
formula's text, and openpyxl's read-only mode streams but is about six times
slower than this reader. Every XML part is checked for DOCTYPE / ENTITY
declarations and a non-UTF-8 encoding before any of it is parsed, which is
what makes the C parser safe here; the small parts go through defusedxml too.
"""

import codecs
import csv
import io
import posixpath
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError, iterparse

from defusedxml.ElementTree import fromstring as xml_seguro
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_datetime, is_timedelta_format

from .normalizacion import clave, fecha_excel

Fila = dict[str, str]


def _ajuste(nombre: str, defecto: int) -> int:
    try:
        return getattr(settings, nombre, defecto)
    except ImproperlyConfigured:  # used outside Django (a script, the generator)
        return defecto


LIMITE_BYTES: int = _ajuste("IMPORTACION_LIMITE_BYTES", 2 * 1024**3)
FILAS_ENCABEZADO = 30  # the header must be within the first rows

# Zip bomb limits, checked on the zip directory before anything is inflated.
# Real sheets compress at most about 20:1; a bomb reaches 1000:1.
LIMITE_DESCOMPRIMIDO = 2 * 1024**3
RAZON_MAXIMA = 100
TAMANO_RAZON = 1024**2  # the ratio only matters for members bigger than this
MIEMBROS_MAXIMOS = 10_000
PARTE_MAXIMA = 64 * 1024**2  # workbook, rels and styles are parsed in memory

LINEA_MAXIMA = 1024**2  # characters in one CSV line
SEPARADORES = (",", ";", "|")

# Header aliases, after normalisation (upper case, no accents, "_" for spaces,
# hyphens and dots). Kept small on purpose: each entry must be unambiguous. DNI
# is not mapped to NUMERO_DOCUMENTO: a DNI column may hold another document.
ALIAS_COLUMNAS = {
    "ANO": "ANIO",  # AÑO loses its tilde in normalisation
    "CODIGO_MODULAR": "COD_MOD",
    "COD_MODULAR": "COD_MOD",
    "CODIGO_ESTUDIANTE": "COD_ESTUDIANTE",
}


class ArchivoInvalido(Exception):
    """The file as a whole is refused; str(e) is one Spanish sentence for the user."""


class _Danado(Exception):
    """An XLSX whose content contradicts itself (an internal signal)."""


def normalizar_columna(nombre: object) -> str:
    """``"Cód. Mod"``, ``"cod_mod"``, ``"COD-MOD"`` -> ``"COD_MOD"`` (aliases too)."""
    texto = unicodedata.normalize("NFKD", str(nombre)).replace("\ufeff", "")
    texto = "".join(c for c in texto if not unicodedata.combining(c)).upper()
    texto = re.sub(r"[\s._-]+", "_", texto).strip("_")
    return ALIAS_COLUMNAS.get(texto, texto)


# --- header detection ---------------------------------------------------------


class _Columnas:
    """The columns a caller asks for, and how header cells are matched to them."""

    def __init__(self, requeridas: Sequence[str], conocidas: Sequence[str]) -> None:
        self.requeridas = list(dict.fromkeys(requeridas))
        self.buscadas = {normalizar_columna(c): c for c in conocidas}
        self.buscadas |= {normalizar_columna(c): c for c in self.requeridas}

    def buscar(
        self, filas: Iterable[tuple[int, Iterable[tuple[int, str]]]]
    ) -> "_Encabezado":
        """The first row with every required name within the first rows, or else
        the closest one (to say what is missing)."""
        encabezado = _Encabezado(self)
        for vistas, (numero, celdas) in enumerate(filas, start=1):
            if numero > FILAS_ENCABEZADO:
                break
            indices: dict[int, str] = {}
            for indice, texto in celdas:
                canonica = self.buscadas.get(normalizar_columna(texto))
                if canonica and canonica not in indices.values():
                    indices[indice] = canonica
            faltan = [c for c in self.requeridas if c not in indices.values()]
            if len(faltan) < len(encabezado.faltan) or (
                encabezado.numero == 0 and indices
            ):
                encabezado.numero, encabezado.indices = numero, indices
                encabezado.faltan, encabezado.filas_vistas = faltan, vistas
            if not faltan:
                break
        return encabezado


class _Encabezado:
    """Where a source's header is (or its closest candidate)."""

    def __init__(self, columnas: _Columnas) -> None:
        self.requeridas = columnas.requeridas
        self.numero = 0  # 1-based row number; 0 while none found
        self.indices: dict[int, str] = {}  # column index -> canonical name
        self.faltan = list(columnas.requeridas)
        self.filas_vistas = 0  # rows up to and including the header

    @property
    def completo(self) -> bool:
        return self.numero > 0 and not self.faltan

    def puntaje(self) -> tuple[int, int, int]:
        halladas = len(self.requeridas) - len(self.faltan)
        return (int(self.completo), halladas, len(self.indices))

    def error(self) -> ArchivoInvalido:
        halladas = len(self.requeridas) - len(self.faltan)
        if self.numero and halladas * 2 >= len(self.requeridas):
            if len(self.faltan) == 1:
                mensaje = _(
                    "Falta la columna obligatoria %(columnas)s en el encabezado "
                    "(fila %(fila)s)."
                )
            else:
                mensaje = _(
                    "Faltan las columnas obligatorias %(columnas)s en el encabezado "
                    "(fila %(fila)s)."
                )
            return ArchivoInvalido(
                mensaje % {"columnas": ", ".join(self.faltan), "fila": self.numero}
            )
        return ArchivoInvalido(
            _(
                "No se encontró la fila de encabezados en las primeras %(n)s filas: "
                "debe tener las columnas %(columnas)s."
            )
            % {"n": FILAS_ENCABEZADO, "columnas": ", ".join(self.requeridas)}
        )


# --- the reader ---------------------------------------------------------------

_TOTAL = re.compile(r"TOTAL(?:ES)?\b")
_NUMERO = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")


class Lector:
    """An opened file: what ``abrir`` found, and its rows on demand."""

    formato: str
    columnas: list[str]  # canonical names found, in the file's order
    fila_encabezado: int
    codificacion: str | None = None  # CSV only
    separador: str | None = None  # CSV only
    hoja: str | None = None  # XLSX only: the sheet read

    def __init__(self, ruta: Path, pedidas: _Columnas, encabezado: _Encabezado):
        self.ruta = ruta
        self.fila_encabezado = encabezado.numero
        self._indices = sorted(encabezado.indices.items())
        self.columnas = [c for _i, c in self._indices]
        self._filas_previas = encabezado.filas_vistas
        # Required code columns: all empty on a last row of numbers means a total.
        self._codigos = [c for c in pedidas.requeridas if c.startswith("COD")]

    def contar_filas(self) -> int:
        """How many data rows ``filas()`` will yield at most (one fast pass)."""
        raise NotImplementedError

    def filas(self) -> Iterator[tuple[int, Fila]]:
        """Yield (row number as a spreadsheet user counts it, {column: text})."""
        pendiente = None
        for actual in self._filas_datos():
            if pendiente:
                yield pendiente[0], pendiente[1]
            pendiente = actual
        # A total line can only be told from data once it is known to be the last.
        if pendiente and not self._es_total(pendiente[1], pendiente[2]):
            yield pendiente[0], pendiente[1]

    def _filas_datos(self) -> Iterator[tuple[int, Fila, object]]:
        """(number, row, the raw cells) for each data row that is not empty."""
        raise NotImplementedError

    def _no_vacias(self, crudas: object) -> list[str]:
        """The non-empty cells of a raw row, in column order."""
        raise NotImplementedError

    def _es_total(self, fila: Fila, crudas: object) -> bool:
        """A last row like "TOTAL ... 1234", or only numbers where codes should be."""
        celdas = self._no_vacias(crudas)
        if _TOTAL.match(clave(celdas[0])):
            return True
        return (
            bool(self._codigos)
            and not any(fila.get(c) for c in self._codigos)
            and all(_NUMERO.fullmatch(v) or v.startswith("=") for v in celdas)
        )


def abrir(
    ruta: Path, *, requeridas: Sequence[str], conocidas: Sequence[str] = ()
) -> Lector:
    """Check the file and find its header; raise ArchivoInvalido if it is unusable.

    ``requeridas`` must all be in the header; ``conocidas`` are read when present;
    other columns are ignored. Names are canonical (``"COD_MOD"``).
    """
    ruta = Path(ruta)
    tamano = ruta.stat().st_size
    if tamano == 0:
        raise ArchivoInvalido(_("El archivo está vacío."))
    if tamano > LIMITE_BYTES:
        raise ArchivoInvalido(
            _("El archivo pesa %(tam)s MB y el máximo admitido es %(max)s MB.")
            % {"tam": _mb(tamano), "max": _mb(LIMITE_BYTES)}
        )
    with ruta.open("rb") as f:
        inicio = f.read(64 * 1024)
    columnas = _Columnas(requeridas, conocidas)
    if inicio.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _LectorXlsx.abrir(ruta, tamano, columnas)
    _rechazar_binarios(inicio)
    return _LectorCsv.abrir(ruta, inicio, columnas)


def _mb(n: int) -> str:
    return f"{n / 1024**2:,.1f}".replace(",", " ").removesuffix(".0")


_FIRMAS = (
    (b"%PDF", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # .xls, or an encrypted .xlsx
    (b"PK\x07\x08", "zip"),
    (b"\x1f\x8b", "otro"),  # gzip
    (b"7z\xbc\xaf\x27\x1c", "otro"),
    (b"Rar!\x1a\x07", "otro"),
    (b"\x89PNG", "otro"),
    (b"\xff\xd8\xff", "otro"),  # JPEG
    (b"GIF8", "otro"),
    (b"\x7fELF", "otro"),
)


def _no_es_texto() -> ArchivoInvalido:
    return ArchivoInvalido(
        _("El archivo no es un CSV ni un XLSX: su contenido no es texto.")
    )


def _rechazar_binarios(inicio: bytes) -> None:
    """Refuse what is recognisably not a CSV, with the most useful message."""
    tipo = next((t for firma, t in _FIRMAS if inicio.startswith(firma)), None)
    if tipo == "pdf":
        raise ArchivoInvalido(
            _(
                "El archivo es un PDF, no un CSV ni un XLSX: descargue el reporte "
                "como CSV o XLSX."
            )
        )
    if tipo == "ole":
        raise ArchivoInvalido(
            _(
                "El archivo está en el formato antiguo de Excel (.xls) o protegido "
                "con contraseña: guárdelo como .xlsx o CSV, sin contraseña."
            )
        )
    if tipo == "zip":
        raise ArchivoInvalido(_("El archivo es un ZIP dañado o incompleto."))
    if tipo:
        raise _no_es_texto()
    texto = inicio.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if texto.startswith(b"<"):
        if b"<html" in texto or b"<table" in texto:
            raise ArchivoInvalido(
                _(
                    "El archivo es una página HTML (a veces exportada como .xls): "
                    "ábralo en Excel y guárdelo como .xlsx o CSV."
                )
            )
        raise ArchivoInvalido(
            _("El archivo es un documento XML, no un CSV ni un XLSX.")
        )


# --- CSV ----------------------------------------------------------------------


class _LineaLarga(Exception):
    pass


def _lineas(texto: IO[str]) -> Iterator[str]:
    """The lines of a text file, refusing one longer than LINEA_MAXIMA.

    Iterating the file directly would read a file without line breaks whole.
    """
    leer = texto.readline
    while linea := leer(LINEA_MAXIMA + 1):
        if len(linea) > LINEA_MAXIMA:
            raise _LineaLarga
        # NUL is never data, and PostgreSQL cannot store it in text.
        yield linea.replace("\x00", "") if "\x00" in linea else linea


def _decodifica(ruta: Path, codec: str, salto: int = 0) -> bool:
    """Whether the whole file decodes with the codec (one streamed pass)."""
    decodificador = codecs.getincrementaldecoder(codec)()
    try:
        with ruta.open("rb") as f:
            f.seek(salto)
            while bloque := f.read(1024**2):
                decodificador.decode(bloque)
            decodificador.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _detectar_codificacion(ruta: Path, inicio: bytes) -> tuple[str, str, int]:
    """(name to report, codec to read with, bytes to skip) for a text file.

    Among UTF-8, Windows-1252 and Latin-1 the choice can be made exactly rather
    than guessed from a sample (which is what charset-normalizer would do): UTF-8
    if the whole file is valid UTF-8 (Spanish text in cp1252 practically never
    is); else cp1252 if it decodes (it differs from Latin-1 only in 0x80-0x9F:
    printable characters in cp1252, control codes in Latin-1); else Latin-1,
    which decodes anything.
    """
    salto = 0
    if inicio.startswith(codecs.BOM_UTF8):
        if _decodifica(ruta, "utf-8"):
            return "utf-8", "utf-8-sig", 0
        salto = len(codecs.BOM_UTF8)  # a BOM, then bytes that are not UTF-8
    elif _decodifica(ruta, "utf-8"):
        return "utf-8", "utf-8", 0
    if _decodifica(ruta, "cp1252", salto):
        return "cp1252", "cp1252", salto
    return "latin-1", "latin-1", salto


def _parece_texto(muestra: str) -> bool:
    """Whether text looks like text rather than binary junk (NULs, control codes).

    Only used to word the refusal of a file without a header: a real CSV may
    carry a stray control character in a value and must still be read.
    """
    control = sum(
        1 for c in muestra if c not in "\t\r\n" and unicodedata.category(c) == "Cc"
    )
    return "\x00" not in muestra and control <= len(muestra) // 100


class _LectorCsv(Lector):
    formato = "csv"

    @classmethod
    def abrir(cls, ruta: Path, inicio: bytes, columnas: _Columnas) -> "_LectorCsv":
        nombre, codec, salto = _detectar_codificacion(ruta, inicio)
        es_texto = _parece_texto(inicio[salto:].decode(codec, errors="replace"))
        try:
            lineas = cls._primeras_lineas(ruta, codec, salto)
        except _LineaLarga:
            if not es_texto:
                raise _no_es_texto() from None
            raise ArchivoInvalido(
                _("El archivo no parece un CSV: tiene una línea demasiado larga.")
            ) from None
        # The header decides the separator: with the right one it splits into the
        # names sought. Ties (a one-column header) go to the most frequent one.
        mejor: tuple | None = None
        for separador in SEPARADORES:
            try:
                encabezado = columnas.buscar(
                    (n, enumerate(registro))
                    for n, registro in enumerate(
                        csv.reader(lineas, delimiter=separador), start=1
                    )
                )
            except csv.Error:
                continue
            linea = lineas[encabezado.numero - 1] if encabezado.numero else ""
            puntaje = (*encabezado.puntaje(), linea.count(separador))
            if mejor is None or puntaje > mejor[0]:
                mejor = (puntaje, encabezado, separador)
        if mejor is None or not mejor[1].completo:
            if not es_texto:
                raise _no_es_texto()
            raise (mejor[1] if mejor else _Encabezado(columnas)).error()
        _puntaje, encabezado, separador = mejor
        lector = cls(ruta, columnas, encabezado)
        lector.codificacion, lector.separador = nombre, separador
        lector._codec, lector._salto = codec, salto
        return lector

    @staticmethod
    def _primeras_lineas(ruta: Path, codec: str, salto: int) -> list[str]:
        lineas = []
        with ruta.open("rb") as crudo:
            crudo.seek(salto)
            texto = io.TextIOWrapper(crudo, encoding=codec, newline="")
            for linea in _lineas(texto):
                lineas.append(linea)
                if len(lineas) >= 10 * FILAS_ENCABEZADO:
                    break
        return lineas

    def _texto(self) -> IO[str]:
        """The file as text, from after its byte order mark."""
        crudo = self.ruta.open("rb")
        crudo.seek(self._salto)
        return io.TextIOWrapper(crudo, encoding=self._codec, newline="")

    def _registros(self) -> Iterator[tuple[int, list[str]]]:
        """(record number, fields) for every record, blank ones included."""
        numero = 0
        try:
            with self._texto() as texto:
                lector = csv.reader(_lineas(texto), delimiter=self.separador)
                for numero, registro in enumerate(lector, start=1):
                    yield numero, registro
        except _LineaLarga:
            raise ArchivoInvalido(
                _("La fila %(fila)s es demasiado larga para ser de un CSV.")
                % {"fila": numero + 1}
            ) from None
        except csv.Error:
            raise ArchivoInvalido(
                _("El archivo CSV está mal formado cerca de la fila %(fila)s.")
                % {"fila": numero + 1}
            ) from None

    def contar_filas(self) -> int:
        # While no quote appears, every line is one record whose cells joined
        # are the line without its separators: lines are counted without being
        # split, three times faster. A quote may open a cell spanning lines:
        # then records are counted by the CSV parser.
        separador, encabezado = self.separador, self.fila_encabezado
        filas = 0
        try:
            with self._texto() as texto:
                for numero, linea in enumerate(_lineas(texto), start=1):
                    if '"' in linea:
                        return self._contar_registros()
                    # Not blank: some cell holds more than spaces.
                    if numero > encabezado and linea.replace(separador, "").strip():
                        filas += 1
        except _LineaLarga:
            return self._contar_registros()  # which says where, in Spanish
        return filas

    def _contar_registros(self) -> int:
        return sum(
            1
            for numero, registro in self._registros()
            if numero > self.fila_encabezado and "".join(registro).strip()
        )

    def _filas_datos(self) -> Iterator[tuple[int, Fila, object]]:
        indices = self._indices
        ancho = indices[-1][0] + 1 if indices else 0
        columnas = [c for _i, c in indices]
        posiciones = [i for i, _c in indices]
        # The wanted cells in one C call; itemgetter of one index is no tuple.
        tomar = (
            itemgetter(*posiciones)
            if len(posiciones) > 1
            else lambda v: tuple(v[i] for i in posiciones)
        )
        for numero, registro in self._registros():
            if numero <= self.fila_encabezado:
                continue
            valores = list(map(str.strip, registro))
            if not any(valores):
                continue
            if len(valores) < ancho:
                valores += [""] * (ancho - len(valores))
            fila = dict(zip(columnas, tomar(valores), strict=True))
            yield numero, fila, valores

    def _no_vacias(self, crudas: object) -> list[str]:
        return [v for v in crudas if v]


# --- XLSX ---------------------------------------------------------------------

_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # "Strict" OOXML
)
_PELIGROSO = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CODIFICACION = re.compile(rb"encoding\s*=\s*[\"']([^\"']*)")
_CODIFICACIONES_XML = (b"utf-8", b"utf8", b"us-ascii", b"ascii")
_ETIQUETA_FILA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_FECHA_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COLUMNAS_XLSX = 16_384
# Built-in number formats that are dates in some locale (ECMA-376, 18.8.30).
_FORMATOS_FECHA_LOCALES = set(range(27, 37)) | set(range(50, 59))
_CACHE_COLUMNAS: dict[str, int] = {}


def _sin_escapes(texto: str) -> str:
    """OOXML writes some characters as _xHHHH_ (a CR is _x000D_)."""
    if "_x" not in texto:
        return texto
    # _x0000_ would decode to NUL, which is never data (and PostgreSQL refuses it).
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), texto).replace("\x00", "")


def _indice_columna(letras: str) -> int:
    """``"A"`` -> 0, ``"AB"`` -> 27 (the letters of a cell reference like "AB7")."""
    if not (0 < len(letras) <= 3 and letras.isascii() and letras.isalpha()):
        raise _Danado
    indice = -1
    for letra in letras.upper():
        indice = (indice + 1) * 26 + ord(letra) - 65
    if indice >= _COLUMNAS_XLSX:
        raise _Danado
    _CACHE_COLUMNAS[letras] = indice
    return indice


def _letras(indice: int) -> str:
    """0 -> ``"A"``, 27 -> ``"AB"``: the inverse of ``_indice_columna``."""
    letras = ""
    indice += 1
    while indice:
        indice, resto = divmod(indice - 1, 26)
        letras = chr(65 + resto) + letras
    return letras


def _texto_rico(el: Element, t_: str, r_: str) -> str:
    """Text of an <si> or <is>: its <t>, or its runs' <t>; phonetic runs left out."""
    if len(el) == 1 and el[0].tag == t_:
        return el[0].text or ""
    partes = []
    for hijo in el:
        if hijo.tag == t_:
            partes.append(hijo.text or "")
        elif hijo.tag == r_:
            partes.append(hijo.findtext(t_, ""))
    return "".join(partes)


def _formula(f: Element, ref: str, compartidas: dict) -> str:
    """A formula's text ("=A1+1"), never its cached value."""
    texto = f.text or ""
    tipo = f.get("t")
    if tipo == "shared":
        # The first cell of a shared formula holds its text; the others refer to
        # it by "si" and get it moved to their own position.
        si = f.get("si", "")
        if texto:
            compartidas[si] = (texto, ref)
        elif si in compartidas:
            texto, origen = compartidas[si]
            if origen:
                try:
                    return Translator("=" + texto, origin=origen).translate_formula(ref)
                except Exception:  # cosmetic: keep the untranslated text
                    pass
    elif tipo == "dataTable":
        texto = "TABLE({},{})".format(f.get("r1", ""), f.get("r2", ""))
    return "=" + texto


def _error_danado() -> ArchivoInvalido:
    return ArchivoInvalido(_("El archivo XLSX está dañado y no se puede leer."))


def _error_bomba() -> ArchivoInvalido:
    return ArchivoInvalido(
        _(
            "El archivo XLSX se descomprimiría en un tamaño desmedido y se rechaza "
            "por seguridad."
        )
    )


def _error_partes() -> ArchivoInvalido:
    return ArchivoInvalido(
        _(
            "El archivo XLSX contiene demasiadas partes internas y se rechaza por "
            "seguridad."
        )
    )


def _error_codificacion() -> ArchivoInvalido:
    return ArchivoInvalido(
        _("El archivo XLSX usa una codificación interna no admitida (no es UTF-8).")
    )


# What zipfile and the XML parser raise on malformed data (zipfile is not
# consistent: besides BadZipFile it lets struct, zlib, unicode and value errors
# through), plus the reader's own signal.
_ERRORES_ARCHIVO = (
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    EOFError,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # zipfile: an encrypted member
    struct.error,
    ValueError,  # includes UnicodeDecodeError and defusedxml's exceptions
    IndexError,
    KeyError,
    OverflowError,
    _Danado,
)


def _verificar_directorio_zip(ruta: Path, tamano: int) -> None:
    """Refuse a zip with too many members before zipfile builds one object each."""
    with ruta.open("rb") as f:
        f.seek(max(0, tamano - 65_557))  # the end record and the longest comment
        cola = f.read()
    pos = cola.rfind(b"PK\x05\x06")
    if pos < 0 or len(cola) - pos < 22:
        raise _error_danado()
    entradas, tamano_directorio = struct.unpack("<HI", cola[pos + 10 : pos + 16])
    # Zip64 puts 0xFFFF / 0xFFFFFFFF here: beyond these limits too.
    if entradas > MIEMBROS_MAXIMOS or tamano_directorio > MIEMBROS_MAXIMOS * 1024:
        raise _error_partes()


def _verificar_miembros(miembros: list[zipfile.ZipInfo]) -> None:
    """Zip bomb checks on the declared sizes (zipfile never inflates past them)."""
    if len(miembros) > MIEMBROS_MAXIMOS:
        raise _error_partes()
    if sum(m.file_size for m in miembros) > LIMITE_DESCOMPRIMIDO:
        raise _error_bomba()
    for m in miembros:
        if m.flag_bits & 0x1:
            raise ArchivoInvalido(
                _("El archivo XLSX está protegido con contraseña: guárdelo sin ella.")
            )
        if m.file_size > TAMANO_RAZON and m.file_size > RAZON_MAXIMA * max(
            m.compress_size, 1
        ):
            raise _error_bomba()


def _verificar_xml(zf: zipfile.ZipFile, miembro: zipfile.ZipInfo) -> None:
    """Refuse a part with a DTD (entity expansion) or not in UTF-8.

    A DTD is the only way to declare entities, and the parser reads one only in
    the encoding the part declares: once a part is UTF-8 with no ``<!DOCTYPE``
    or ``<!ENTITY`` anywhere, there is nothing to expand.
    """
    with zf.open(miembro) as src:
        bloque = src.read(1024)
        if bloque.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
            b"\x00" in bloque[:4]
        ):
            raise _error_codificacion()
        cuerpo = bloque.removeprefix(codecs.BOM_UTF8)
        if cuerpo.startswith(b"<?xml"):
            # The whole declaration is read: padded out of sight, an encoding
            # such as EBCDIC would hide a DOCTYPE from the byte search.
            fin = cuerpo.find(b"?>")
            declarada = _CODIFICACION.search(cuerpo, 0, fin)
            if fin < 0 or (
                declarada and declarada.group(1).lower() not in _CODIFICACIONES_XML
            ):
                raise _error_codificacion()
        cola = b""
        while bloque:
            if _PELIGROSO.search(cola + bloque):
                raise ArchivoInvalido(
                    _(
                        "El archivo XLSX contiene declaraciones XML no permitidas "
                        "(DOCTYPE o ENTITY) y se rechaza por seguridad."
                    )
                )
            cola = bloque[-16:]
            bloque = src.read(1024**2)


class _LibroXlsx:
    """What is needed to read a workbook's cells, gathered once.

    Built from an open zip; the sheets are read later through another one
    (``filas(zf, ...)``), so that nothing stays open between passes.
    """

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.partes = {i.filename.lower(): i for i in zf.infolist()}
        # Every XML part is checked before any of them is parsed.
        for nombre, miembro in self.partes.items():
            if nombre.endswith((".xml", ".rels")):
                _verificar_xml(zf, miembro)
        principal = self._parte_principal(zf)
        if principal is None:
            if self._es_ods(zf):
                raise ArchivoInvalido(
                    _(
                        "El archivo es una hoja de cálculo OpenDocument (.ods): "
                        "guárdela como .xlsx o CSV."
                    )
                )
            raise ArchivoInvalido(
                _(
                    "El archivo es un ZIP pero no un libro de Excel (.xlsx): envíe "
                    "el archivo .xlsx o .csv sin comprimir."
                )
            )
        libro = self._xml(zf, principal)
        self.ns = libro.tag.partition("}")[0] + "}"
        if self.ns[1:-1] not in _NAMESPACES:
            raise _Danado
        propiedades = libro.find(self.ns + "workbookPr")
        self.sistema_1904 = propiedades is not None and propiedades.get(
            "date1904", ""
        ).lower() in ("1", "true")
        relaciones = self._relaciones(zf, principal)
        self.hojas: list[tuple[str, str]] = []  # (name, part) of visible worksheets
        for hoja in libro.iter(self.ns + "sheet"):
            rid = next((v for k, v in hoja.attrib.items() if k.endswith("}id")), "")
            tipo, parte = relaciones.get(rid, ("", ""))
            visible = hoja.get("state", "visible") == "visible"
            if tipo.endswith("/worksheet") and parte in self.partes and visible:
                self.hojas.append((hoja.get("name", ""), parte))
        por_tipo = {tipo.rpartition("/")[2]: p for tipo, p in relaciones.values()}
        cadenas, estilos = por_tipo.get("sharedStrings"), por_tipo.get("styles")
        self.cadenas = self._cadenas(zf, cadenas) if cadenas in self.partes else []
        self.fechas = self._fechas(zf, estilos) if estilos in self.partes else {}

    def _xml(self, zf: zipfile.ZipFile, parte: str) -> Element:
        miembro = self.partes[parte]
        if miembro.file_size > PARTE_MAXIMA:
            raise _error_bomba()
        return xml_seguro(zf.read(miembro), forbid_dtd=True)

    def _parte_principal(self, zf: zipfile.ZipFile) -> str | None:
        for tipo, parte in self._relaciones(zf, "").values():
            if tipo.endswith("/officeDocument") and parte in self.partes:
                return parte
        return "xl/workbook.xml" if "xl/workbook.xml" in self.partes else None

    def _es_ods(self, zf: zipfile.ZipFile) -> bool:
        if "mimetype" not in self.partes:
            return False
        with zf.open(self.partes["mimetype"]) as f:
            return f.read(100).startswith(b"application/vnd.oasis.opendocument")

    def _relaciones(self, zf: zipfile.ZipFile, parte: str) -> dict[str, tuple]:
        """{Id: (Type, target part)} from a part's .rels, targets resolved."""
        carpeta, nombre = posixpath.split(parte)
        rels = posixpath.join(carpeta, "_rels", nombre + ".rels")
        if rels not in self.partes:
            return {}
        resultado = {}
        for rel in self._xml(zf, rels):
            destino = rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not destino:
                continue
            if destino.startswith("/"):
                destino = destino.lstrip("/")
            else:
                destino = posixpath.normpath(posixpath.join(carpeta, destino))
            resultado[rel.get("Id", "")] = (rel.get("Type", ""), destino.lower())
        return resultado

    def _cadenas(self, zf: zipfile.ZipFile, parte: str) -> list[str]:
        """The shared strings table (streamed in: it can be large)."""
        si_, t_, r_ = self.ns + "si", self.ns + "t", self.ns + "r"
        cadenas = []
        with zf.open(self.partes[parte]) as src:
            for _evento, el in iterparse(src, events=("end",)):
                if el.tag == si_:
                    cadenas.append(_sin_escapes(_texto_rico(el, t_, r_)))
                    el.clear()
        return cadenas

    def _fechas(self, zf: zipfile.ZipFile, parte: str) -> dict[str, str]:
        """{cell style index, as in ``s="3"``: "date", "datetime" or "time"}."""
        estilos = self._xml(zf, parte)
        formatos = {
            int(f.get("numFmtId", "")): f.get("formatCode", "")
            for f in estilos.iter(self.ns + "numFmt")
            if f.get("numFmtId", "").isdigit()
        }
        xfs = estilos.find(self.ns + "cellXfs")
        fechas = {}
        for indice, xf in enumerate(xfs if xfs is not None else ()):
            texto = xf.get("numFmtId", "0")
            numero = int(texto) if texto.isdigit() else 0
            codigo = formatos.get(numero) or BUILTIN_FORMATS.get(numero, "")
            if numero in _FORMATOS_FECHA_LOCALES and numero not in formatos:
                fechas[str(indice)] = "date"
            elif codigo and not is_timedelta_format(codigo):
                if tipo := is_datetime(codigo):
                    fechas[str(indice)] = tipo
        return fechas

    def filas(
        self, zf: zipfile.ZipFile, parte: str
    ) -> Iterator[tuple[int, dict[int, str]]]:
        """(row number, {column index: text}) for each <row>; empty cells left out."""
        ns = self.ns
        fila_, c_, v_, f_, is_, t_, r_ = (
            ns + x for x in ("row", "c", "v", "f", "is", "t", "r")
        )
        cadenas, fechas = self.cadenas, self.fechas
        compartidas: dict[str, tuple[str, str]] = {}
        siguiente = 1
        with zf.open(self.partes[parte]) as src:
            # Only <row> ends are handled; a row is cleared once read, so memory
            # stays flat (an empty element per row is all that remains).
            for _evento, el in iterparse(src, events=("end",)):
                if el.tag != fila_:
                    continue
                r = el.get("r")
                numero = int(r) if r and r.isdigit() else siguiente
                siguiente = numero + 1
                celdas: dict[int, str] = {}
                columna = -1
                for c in el:
                    if c.tag != c_:
                        continue
                    ref = c.get("r")
                    if ref:
                        letras = ref.rstrip("0123456789")
                        columna = _CACHE_COLUMNAS.get(letras)
                        if columna is None:
                            columna = _indice_columna(letras)
                    else:
                        columna += 1
                    tipo = c.get("t")
                    formula = c.find(f_)
                    if formula is not None:
                        ref = ref or _letras(columna) + str(numero)
                        texto = _formula(formula, ref, compartidas)
                    elif tipo == "s":
                        v = c.findtext(v_)
                        if v:
                            indice = int(v)
                            if indice < 0:
                                raise _Danado
                            texto = cadenas[indice]
                        else:
                            texto = ""
                    elif tipo is None or tipo == "n":
                        v = c.findtext(v_)
                        texto = self._numero(v, fechas.get(c.get("s"))) if v else ""
                    elif tipo == "inlineStr":
                        rico = c.find(is_)
                        if rico is None:
                            texto = ""
                        elif len(rico) == 1 and rico[0].tag == t_:
                            texto = _sin_escapes(rico[0].text or "")
                        else:
                            texto = _sin_escapes(_texto_rico(rico, t_, r_))
                    elif tipo == "b":
                        texto = {"1": "TRUE", "0": "FALSE"}.get(c.findtext(v_, ""), "")
                    elif tipo == "d":
                        texto = c.findtext(v_, "").strip()
                        if _FECHA_ISO.match(texto):
                            texto = texto[:10]
                    else:  # "str" (a formula's cached text), "e" (#N/A...)
                        texto = _sin_escapes(c.findtext(v_, ""))
                    texto = texto.strip()
                    if texto:
                        celdas[columna] = texto
                el.clear()
                yield numero, celdas

    def _numero(self, v: str, fecha: str | None) -> str:
        """A number cell as text: no spurious ".0"; a date cell as aaaa-mm-dd."""
        if fecha is None and v.isascii() and v.isdigit():
            return v.lstrip("0") or "0"
        try:
            x = float(v)
        except ValueError:
            return v
        if fecha == "time" and 0 <= x < 1:
            s = round(x * 86_400) % 86_400
            return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
        if fecha and (dia := fecha_excel(x, sistema_1904=self.sistema_1904)):
            return dia.isoformat()
        if x.is_integer() and abs(x) < 1e17:
            return str(int(x))
        return repr(x)

    def contar_etiquetas_fila(self, zf: zipfile.ZipFile, parte: str) -> int:
        """Count <row> tags without parsing: a cheap pass for a progress bar."""
        total, cola = 0, b""
        with zf.open(self.partes[parte]) as src:
            while bloque := src.read(1024**2):
                datos = cola + bloque
                corte = max(0, len(datos) - 64)
                total += sum(
                    1 for m in _ETIQUETA_FILA.finditer(datos) if m.start() < corte
                )
                cola = datos[corte:]
        return total + len(_ETIQUETA_FILA.findall(cola))


class _LectorXlsx(Lector):
    formato = "xlsx"

    @classmethod
    def abrir(cls, ruta: Path, tamano: int, columnas: _Columnas) -> "_LectorXlsx":
        _verificar_directorio_zip(ruta, tamano)
        try:
            with zipfile.ZipFile(ruta) as zf:
                _verificar_miembros(zf.infolist())
                libro = _LibroXlsx(zf)
                encontrados = [
                    (
                        columnas.buscar(
                            (n, celdas.items()) for n, celdas in libro.filas(zf, parte)
                        ),
                        nombre,
                        parte,
                    )
                    for nombre, parte in libro.hojas
                ]
        except _ERRORES_ARCHIVO:
            raise _error_danado() from None
        if not encontrados:
            raise ArchivoInvalido(
                _("El libro de Excel no tiene ninguna hoja de datos visible.")
            )
        # Reading one sheet of several with data would drop the others silently.
        completas = [nombre for e, nombre, _p in encontrados if e.completo]
        if len(completas) > 1:
            raise ArchivoInvalido(
                _(
                    "El libro tiene datos en varias hojas (%(hojas)s): deje una sola "
                    "hoja o envíe un archivo por hoja."
                )
                % {"hojas": ", ".join(completas)}
            )
        encabezado, hoja, parte = max(encontrados, key=lambda e: e[0].puntaje())
        if not encabezado.completo:
            raise encabezado.error()
        lector = cls(ruta, columnas, encabezado)
        lector.hoja, lector._parte, lector._libro = hoja, parte, libro
        return lector

    def contar_filas(self) -> int:
        try:
            with zipfile.ZipFile(self.ruta) as zf:
                etiquetas = self._libro.contar_etiquetas_fila(zf, self._parte)
        except _ERRORES_ARCHIVO:
            raise _error_danado() from None
        return max(0, etiquetas - self._filas_previas)

    def _filas_datos(self) -> Iterator[tuple[int, Fila, object]]:
        indices = self._indices
        try:
            with zipfile.ZipFile(self.ruta) as zf:
                for numero, celdas in self._libro.filas(zf, self._parte):
                    if numero <= self.fila_encabezado or not celdas:
                        continue
                    yield numero, {c: celdas.get(i, "") for i, c in indices}, celdas
        except _ERRORES_ARCHIVO:
            raise _error_danado() from None

    def _no_vacias(self, crudas: object) -> list[str]:
        return [crudas[i] for i in sorted(crudas)]
