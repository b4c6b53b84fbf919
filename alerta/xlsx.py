"""The one workbook builder and download response of every spreadsheet (xlsx):
the risk lists of a sección, an IE and a UGEL, the UGEL's training planning
(alerta.presentacion.libros) and an import's rejected rows
(siagie_import.reporte).

Every workbook is written with openpyxl's write-only mode into a temporary file:
rows go out as they come, so memory stays flat whatever the size of the list.
Each sheet opens with a front block (what it is, and the lines every sheet of
the workbook shares), then a table with a styled, frozen header and an
auto-filter.
"""

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from django.http import FileResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# Rows a sheet may hold (Excel's limit); a longer list goes on to a new sheet.
FILAS_POR_HOJA = 1_048_576
# Above this size the temporary file moves from memory to disk.
EN_MEMORIA = 8 * 1024 * 1024

ENCABEZADO = PatternFill("solid", fgColor="1F4E79")
FUENTE_ENCABEZADO = Font(bold=True, color="FFFFFF")
NEGRITA = Font(bold=True)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PELIGROSOS = ("=", "+", "-", "@", "\t", "\r")
PROHIBIDOS_EN_HOJA = re.compile(r"[\\/?*:\[\]]")
LARGO_HOJA = 31


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
    relleno: PatternFill | None = None


def _celda(ws: WriteOnlyWorksheet, valor: object, **estilo) -> WriteOnlyCell:
    celda = WriteOnlyCell(ws, value=texto_seguro(valor))
    for nombre, valor_estilo in estilo.items():
        setattr(celda, nombre, valor_estilo)
    return celda


class Hoja:
    """A sheet: front block, blank row, header row, then the table's rows."""

    def __init__(
        self,
        ws: WriteOnlyWorksheet,
        *,
        bloque: Sequence[tuple[str, object]],
        columnas: Sequence[Columna],
    ) -> None:
        self.ws = ws
        self.columnas = columnas
        self.fila_encabezado = len(bloque) + 2
        self.ultima = self.fila_encabezado
        # Write-only sheets write their view and columns before the first row:
        # widths and panes go first. Column A also holds the block's labels.
        for i, columna in enumerate(columnas, start=1):
            ws.column_dimensions[get_column_letter(i)].width = columna.ancho
        ws.freeze_panes = f"A{self.fila_encabezado + 1}"
        for etiqueta, valor in bloque:
            ws.append([_celda(ws, etiqueta, font=NEGRITA), texto_seguro(valor)])
        ws.append([])
        alineacion = Alignment(vertical="center", wrap_text=True)
        ws.append(
            [
                _celda(
                    ws,
                    c.titulo,
                    font=NEGRITA if c.relleno else FUENTE_ENCABEZADO,
                    fill=c.relleno or ENCABEZADO,
                    alignment=alineacion,
                )
                for c in columnas
            ]
        )

    @property
    def llena(self) -> bool:
        return self.ultima >= FILAS_POR_HOJA

    def agregar(
        self,
        valores: Sequence[object],
        *,
        rellenos: dict[int, PatternFill] | None = None,
        formatos: dict[int, str] | None = None,
    ) -> None:
        """Append a row; `rellenos` and `formatos` map a column (from 0) to the
        colour that fills it and to its number format."""
        rellenos = rellenos or {}
        formatos = formatos or {}
        fila = []
        for i, v in enumerate(valores):
            estilo = {}
            if i in rellenos:
                estilo["fill"] = rellenos[i]
            if i in formatos:
                estilo["number_format"] = formatos[i]
            fila.append(_celda(self.ws, v, **estilo) if estilo else texto_seguro(v))
        self.ws.append(fila)
        self.ultima += 1

    def pie(self, valores: Sequence[object]) -> None:
        """A bold row after a blank one, outside the filter (so sorting the table
        leaves it in place)."""
        self.ws.append([])
        self.ws.append([_celda(self.ws, v, font=NEGRITA) for v in valores])

    def cerrar(self) -> None:
        ultima_col = get_column_letter(len(self.columnas))
        self.ws.auto_filter.ref = f"A{self.fila_encabezado}:{ultima_col}{self.ultima}"


class Libro:
    """A write-only workbook whose sheets all end their front block with
    `bloque_comun` (which scores, who downloaded it and when...)."""

    def __init__(self, *, bloque_comun: Sequence[tuple[str, object]] = ()) -> None:
        self.wb = Workbook(write_only=True)
        self.hojas: list[Hoja] = []
        # Excel reserves "History" for itself.
        self._nombres = {"history"}
        self.bloque_comun = list(bloque_comun)

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
        ws = self.wb.create_sheet(title=self.nombre_de_hoja(titulo))
        hoja = Hoja(ws, bloque=[*bloque, *self.bloque_comun], columnas=columnas)
        self.hojas.append(hoja)
        return hoja

    def guardar(self) -> IO[bytes]:
        """Write the workbook; return the open file, positioned at its start."""
        for hoja in self.hojas:
            hoja.cerrar()
        salida = tempfile.SpooledTemporaryFile(max_size=EN_MEMORIA)
        self.wb.save(salida)
        salida.seek(0)
        return salida


def respuesta_xlsx(archivo: IO[bytes], nombre: str) -> FileResponse:
    """A workbook as a download. The name says which school, UGEL, sección,
    import and year, never whom it lists."""
    return FileResponse(
        archivo,
        as_attachment=True,
        filename=f"{slugify(nombre.removesuffix('.xlsx'))}.xlsx",
        content_type=XLSX,
    )
