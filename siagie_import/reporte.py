"""The report of an import's rejected rows, as a spreadsheet (xlsx).

A national file can leave up to about a million rejected rows: they are read
from the database in chunks and written by the one workbook builder
(alerta.xlsx, write-only into a temporary file), so memory stays bounded
whatever the size of the report.
"""

from typing import IO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alerta.xlsx import Columna, Libro

from .models import Importacion

LOTE = 5000


def nombre_reporte(importacion: Importacion) -> str:
    """A download name that says which import, never what it contains."""
    partes = ["rechazos", str(importacion.pk), importacion.tipo.lower()]
    if importacion.anio:
        partes.append(str(importacion.anio))
    return "-".join(partes) + ".xlsx"


def libro_rechazos(importacion: Importacion) -> IO[bytes]:
    """Write the report; return the open file, positioned at its start."""
    usuario = importacion.usuario
    quien = (usuario.get_full_name() or usuario.username) if usuario else "—"
    cuando = date_format(timezone.localtime(importacion.iniciada), "DATETIME_FORMAT")
    libro = Libro()
    hoja = libro.hoja(
        _("Filas rechazadas"),
        bloque=[
            (_("Archivo"), importacion.nombre_archivo),
            (_("Tipo de archivo"), importacion.get_tipo_display()),
            (_("Año escolar"), importacion.anio or "—"),
            (_("Importado por"), quien),
            (_("Fecha de importación"), cuando),
            (_("Estado"), importacion.get_estado_display()),
            (_("Filas leídas"), importacion.filas_leidas),
            (_("Filas aceptadas"), importacion.filas_aceptadas),
            (_("Filas rechazadas"), importacion.filas_rechazadas),
        ],
        columnas=[
            Columna(_("Fila"), 22),
            Columna(_("Columna"), 26),
            Columna(_("Valor"), 40),
            Columna(_("Motivo"), 60),
        ],
    )
    rechazos = (
        importacion.rechazos.order_by("fila", "pk")
        .values_list("fila", "columna", "valor", "motivo")
        .iterator(chunk_size=LOTE)
    )
    for fila in rechazos:
        hoja.agregar(fila)
    return libro.guardar()
