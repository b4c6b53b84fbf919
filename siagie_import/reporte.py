"""The report of an import's rejected rows, as a spreadsheet (xlsx).

A national file can leave up to about a million rejected rows: they are read
from the database in chunks and written with openpyxl's write-only mode into a
temporary file, so memory stays bounded whatever the size of the report.
"""

import tempfile
from typing import IO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from alerta.exports import texto_seguro

from .models import Importacion

ENCABEZADO = PatternFill("solid", fgColor="1F4E79")
# Above this size the temporary file moves from memory to disk.
EN_MEMORIA = 8 * 1024 * 1024
LOTE = 5000


def _texto(valor: object) -> object:
    # Uploaded files may carry control characters that XML (and so xlsx) forbids.
    if isinstance(valor, str):
        valor = ILLEGAL_CHARACTERS_RE.sub("", valor)
    return texto_seguro(valor)


def nombre_reporte(importacion: Importacion) -> str:
    """A download name that says which import, never what it contains."""
    partes = ["rechazos", str(importacion.pk), importacion.tipo.lower()]
    if importacion.anio:
        partes.append(str(importacion.anio))
    return "-".join(partes) + ".xlsx"


def libro_rechazos(importacion: Importacion) -> IO[bytes]:
    """Write the report; return the open file, positioned at its start."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("Filas rechazadas")[:31])
    for col, ancho in zip("ABCD", (22, 26, 40, 60), strict=True):
        ws.column_dimensions[col].width = ancho

    usuario = importacion.usuario
    quien = (usuario.get_full_name() or usuario.username) if usuario else "—"
    cuando = date_format(timezone.localtime(importacion.iniciada), "DATETIME_FORMAT")
    bloque = [
        (_("Archivo"), importacion.nombre_archivo),
        (_("Tipo de archivo"), importacion.get_tipo_display()),
        (_("Año escolar"), importacion.anio or "—"),
        (_("Importado por"), quien),
        (_("Fecha de importación"), cuando),
        (_("Estado"), importacion.get_estado_display()),
        (_("Filas leídas"), importacion.filas_leidas),
        (_("Filas aceptadas"), importacion.filas_aceptadas),
        (_("Filas rechazadas"), importacion.filas_rechazadas),
    ]
    fila_encabezado = len(bloque) + 2
    # Write-only mode writes the sheet's view with its first row: the panes (as
    # the column widths) must be set before anything is appended.
    ws.freeze_panes = f"A{fila_encabezado + 1}"
    negrita = Font(bold=True)
    for etiqueta, valor in bloque:
        celda = WriteOnlyCell(ws, value=etiqueta)
        celda.font = negrita
        ws.append([celda, _texto(valor)])
    ws.append([])

    encabezado = []
    for titulo in (_("Fila"), _("Columna"), _("Valor"), _("Motivo")):
        celda = WriteOnlyCell(ws, value=titulo)
        celda.font = Font(bold=True, color="FFFFFF")
        celda.fill = ENCABEZADO
        celda.alignment = Alignment(vertical="center")
        encabezado.append(celda)
    ws.append(encabezado)

    ultima = fila_encabezado
    rechazos = (
        importacion.rechazos.order_by("fila", "pk")
        .values_list("fila", "columna", "valor", "motivo")
        .iterator(chunk_size=LOTE)
    )
    for fila, columna, valor, motivo in rechazos:
        ws.append([fila, _texto(columna), _texto(valor), _texto(motivo)])
        ultima += 1
    ws.auto_filter.ref = f"A{fila_encabezado}:D{ultima}"

    salida = tempfile.SpooledTemporaryFile(max_size=EN_MEMORIA)
    wb.save(salida)
    salida.seek(0)
    return salida
