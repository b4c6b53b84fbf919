"""The one workbook builder and download response of every spreadsheet (xlsx):
the risk lists of a sección, an IE and a UGEL, the UGEL's training planning
(alerta.presentacion.libros) and an import's rejected rows
(siagie_import.reporte).

Every workbook is written with XlsxWriter in constant-memory mode into a
temporary file: rows go out as they come, so memory stays flat whatever the
size of the list. XlsxWriter writes a workbook in about a third of the CPU
openpyxl's write-only mode took (decision 0017); openpyxl still reads the
files people upload. Each sheet opens with a front block (what it is, and the
lines every sheet of the workbook shares), then a table with a styled, frozen
header and an auto-filter.
"""

import datetime as dt
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

import xlsxwriter
from django.http import FileResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from xlsxwriter.workbook import Format
from xlsxwriter.worksheet import Worksheet

# Rows a sheet may hold (Excel's limit); a longer list goes on to a new sheet.
FILAS_POR_HOJA = 1_048_576
# Above this size the temporary file moves from memory to disk.
EN_MEMORIA = 8 * 1024 * 1024


@dataclass(frozen=True)
class Relleno:
    """A cell's background colour, as RRGGBB."""

    color: str


ENCABEZADO = Relleno("1F4E79")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PELIGROSOS = ("=", "+", "-", "@", "\t", "\r")
PROHIBIDOS_EN_HOJA = re.compile(r"[\\/?*:\[\]]")
LARGO_HOJA = 31
FORMATO_FECHA = "dd/mm/yyyy"
FORMATO_FECHA_HORA = "dd/mm/yyyy hh:mm"


def texto_seguro(valor: object) -> object:
    """Neutralise text a spreadsheet would run as a formula (CSV/formula injection),
    and drop the control characters that xlsx cannot hold."""
    if isinstance(valor, str):
        valor = ILLEGAL_CHARACTERS_RE.sub("", valor)
        if valor.startswith(PELIGROSOS):
            return "'" + valor
    return valor


@dataclass(frozen=True)
class Columna:
    titulo: str
    ancho: float
    # A header filled with this colour (and dark bold text) instead of the
    # header's blue: the level columns of a count.
    relleno: Relleno | None = None


@dataclass(frozen=True)
class _Estilo:
    negrita: bool = False
    color_letra: str | None = None
    relleno: Relleno | None = None
    formato: str | None = None
    envolver: bool = False


NORMAL = _Estilo()
NEGRITA = _Estilo(negrita=True)


class Hoja:
    """A sheet: front block, blank row, header row, then the table's rows."""

    def __init__(
        self,
        libro: "Libro",
        ws: Worksheet,
        *,
        bloque: Sequence[tuple[str, object]],
        columnas: Sequence[Columna],
    ) -> None:
        self.libro = libro
        self.ws = ws
        self.columnas = columnas
        # Rows from 0, as XlsxWriter counts; `ultima` and `fila_encabezado` as
        # Excel shows them (from 1).
        self.fila = 0
        self.fila_encabezado = len(bloque) + 2
        self.ultima = self.fila_encabezado
        for i, columna in enumerate(columnas):
            ws.set_column(i, i, columna.ancho)
        ws.freeze_panes(self.fila_encabezado, 0)
        for etiqueta, valor in bloque:
            self._fila([etiqueta, valor], {0: NEGRITA})
        self.fila += 1
        self._fila(
            [c.titulo for c in columnas],
            {
                i: _Estilo(
                    negrita=True,
                    color_letra=None if c.relleno else "FFFFFF",
                    relleno=c.relleno or ENCABEZADO,
                    envolver=True,
                )
                for i, c in enumerate(columnas)
            },
        )

    def _fila(self, valores: Sequence[object], estilos: dict[int, _Estilo]) -> None:
        escribir = self.libro.escribir
        for i, v in enumerate(valores):
            escribir(self.ws, self.fila, i, v, estilos.get(i, NORMAL))
        self.fila += 1

    @property
    def llena(self) -> bool:
        return self.ultima >= FILAS_POR_HOJA

    def agregar(
        self,
        valores: Sequence[object],
        *,
        rellenos: dict[int, Relleno] | None = None,
        formatos: dict[int, str] | None = None,
    ) -> None:
        """Append a row; `rellenos` and `formatos` map a column (from 0) to the
        colour that fills it and to its number format."""
        estilos = {}
        if rellenos or formatos:
            for i in {*(rellenos or {}), *(formatos or {})}:
                estilos[i] = _Estilo(
                    relleno=(rellenos or {}).get(i), formato=(formatos or {}).get(i)
                )
        self._fila(valores, estilos)
        self.ultima += 1

    def pie(self, valores: Sequence[object]) -> None:
        """A bold row after a blank one, outside the filter (so sorting the table
        leaves it in place)."""
        self.fila += 1
        self._fila(valores, dict.fromkeys(range(len(valores)), NEGRITA))

    def cerrar(self) -> None:
        self.ws.autofilter(
            self.fila_encabezado - 1, 0, self.ultima - 1, len(self.columnas) - 1
        )


class Libro:
    """A workbook whose sheets all end their front block with `bloque_comun`
    (which scores, who downloaded it and when...)."""

    def __init__(self, *, bloque_comun: Sequence[tuple[str, object]] = ()) -> None:
        self.salida = tempfile.SpooledTemporaryFile(max_size=EN_MEMORIA)
        self.wb = xlsxwriter.Workbook(
            self.salida,
            {
                "constant_memory": True,
                # Every value is written by its type (escribir): text is never
                # read as a formula, a number or a link.
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self.hojas: list[Hoja] = []
        # Excel reserves "History" for itself.
        self._nombres = {"history"}
        self._formatos: dict[_Estilo, Format | None] = {}
        self.bloque_comun = list(bloque_comun)

    def formato(self, estilo: _Estilo) -> Format | None:
        """The workbook's Format for `estilo`, created once."""
        if estilo not in self._formatos:
            propiedades: dict[str, object] = {}
            if estilo.negrita:
                propiedades["bold"] = True
            if estilo.color_letra:
                propiedades["font_color"] = f"#{estilo.color_letra}"
            if estilo.relleno:
                propiedades.update(pattern=1, fg_color=f"#{estilo.relleno.color}")
            if estilo.formato:
                propiedades["num_format"] = estilo.formato
            if estilo.envolver:
                propiedades.update(text_wrap=True, valign="vcenter")
            self._formatos[estilo] = (
                self.wb.add_format(propiedades) if propiedades else None
            )
        return self._formatos[estilo]

    def escribir(
        self, ws: Worksheet, fila: int, col: int, valor: object, estilo: _Estilo
    ) -> None:
        """One cell, written by the type of its value."""
        formato = self.formato(estilo)
        if valor is None or valor == "":
            if formato is not None:
                ws.write_blank(fila, col, None, formato)
        elif isinstance(valor, bool):
            ws.write_boolean(fila, col, valor, formato)
        elif isinstance(valor, int | float | Decimal):
            ws.write_number(fila, col, valor, formato)
        elif isinstance(valor, dt.datetime | dt.date):
            if formato is None or not estilo.formato:
                patron = (
                    FORMATO_FECHA_HORA
                    if isinstance(valor, dt.datetime)
                    else (FORMATO_FECHA)
                )
                formato = self.formato(
                    _Estilo(**{**estilo.__dict__, "formato": patron})
                )
            if isinstance(valor, dt.datetime) and valor.tzinfo is not None:
                valor = valor.replace(tzinfo=None)
            ws.write_datetime(fila, col, valor, formato)
        else:
            ws.write_string(fila, col, str(texto_seguro(str(valor))), formato)

    def nombre_de_hoja(self, texto: str) -> str:
        """A name Excel accepts: no forbidden character, at most 31 characters,
        no apostrophe at either end, unique in the workbook (ignoring case)."""
        base = PROHIBIDOS_EN_HOJA.sub("-", ILLEGAL_CHARACTERS_RE.sub("", texto))
        base = base.strip().strip("'")[:LARGO_HOJA].strip() or _("Hoja")
        nombre, n = base, 1
        while nombre.lower() in self._nombres:
            n += 1
            sufijo = f" ({n})"
            nombre = base[: LARGO_HOJA - len(sufijo)].rstrip() + sufijo
        self._nombres.add(nombre.lower())
        return nombre

    def hoja(
        self,
        titulo: str,
        *,
        bloque: Sequence[tuple[str, object]],
        columnas: Sequence[Columna],
    ) -> Hoja:
        ws = self.wb.add_worksheet(self.nombre_de_hoja(titulo))
        hoja = Hoja(self, ws, bloque=[*bloque, *self.bloque_comun], columnas=columnas)
        self.hojas.append(hoja)
        return hoja

    def guardar(self) -> IO[bytes]:
        """Write the workbook; return the open file, positioned at its start."""
        for hoja in self.hojas:
            hoja.cerrar()
        if not self.hojas:
            self.wb.add_worksheet(_("Hoja"))  # a workbook holds at least one sheet
        self.wb.close()
        self.salida.seek(0)
        return self.salida


def respuesta_xlsx(archivo: IO[bytes], nombre: str) -> FileResponse:
    """A workbook as a download. The name says which school, UGEL, sección,
    import and year, never whom it lists."""
    return FileResponse(
        archivo,
        as_attachment=True,
        filename=f"{slugify(nombre.removesuffix('.xlsx'))}.xlsx",
        content_type=XLSX,
    )
