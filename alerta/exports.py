"""Spreadsheets (xlsx) of nominal lists, written with openpyxl."""

from collections.abc import Iterable
from io import BytesIO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from riesgo.factores import frase
from riesgo.models import EjecucionPuntaje, NivelRiesgo

from .models import Matricula, Seccion, Usuario

RELLENO_NIVEL = {
    NivelRiesgo.ALTO: PatternFill("solid", fgColor="F28C28"),
    NivelRiesgo.MEDIO: PatternFill("solid", fgColor="FFD93D"),
    NivelRiesgo.BAJO: PatternFill("solid", fgColor="6BCB77"),
}
ENCABEZADO = PatternFill("solid", fgColor="1F4E79")
PELIGROSOS = ("=", "+", "-", "@", "\t", "\r")


def texto_seguro(valor: object) -> object:
    """Neutralise text a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(valor, str) and valor.startswith(PELIGROSOS):
        return "'" + valor
    return valor


def libro_seccion(
    *,
    seccion: Seccion,
    filas: Iterable[Matricula],
    ejecucion: EjecucionPuntaje | None,
    usuario: Usuario,
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = texto_seguro(f"{seccion.grado}{seccion.letra}")[:31]
    generado = date_format(timezone.localtime(), "DATETIME_FORMAT")
    bloque = [
        (_("Institución educativa"), str(seccion.ie)),
        (_("Sección"), f"{seccion} — {seccion.anio}"),
        (
            _("Puntajes"),
            _("modelo v%(v)s, calculados el %(f)s")
            % {
                "v": ejecucion.modelo.version,
                "f": date_format(timezone.localtime(ejecucion.inicio), "DATE_FORMAT"),
            }
            if ejecucion
            else _("sin puntajes"),
        ),
        (
            _("Descargado por"),
            f"{usuario.get_full_name() or usuario.username}, {generado}",
        ),
    ]
    for etiqueta, valor in bloque:
        ws.append([etiqueta, texto_seguro(valor)])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append([])

    encabezado = [
        _("N.º"),
        _("Apellidos y nombres"),
        _("Nivel de riesgo"),
        _("Probabilidad estimada (%)"),
        _("Situación de matrícula"),
        _("Qué eleva su riesgo"),
    ]
    ws.append(encabezado)
    fila_encabezado = ws.max_row
    for celda in ws[fila_encabezado]:
        celda.font = Font(bold=True, color="FFFFFF")
        celda.fill = ENCABEZADO
        celda.alignment = Alignment(vertical="center", wrap_text=True)

    niveles = dict(NivelRiesgo.choices)
    for n, m in enumerate(filas, start=1):
        nivel = getattr(m, "nivel_riesgo", None)
        prob = getattr(m, "probabilidad", None)
        ws.append(
            [
                n,
                texto_seguro(m.estudiante.nombre_completo),
                str(niveles[nivel]) if nivel else _("Sin puntaje"),
                round(prob * 100, 1) if prob is not None else None,
                texto_seguro(m.get_situacion_matricula_display()),
                texto_seguro(
                    "; ".join(
                        str(frase(c))
                        for c in (getattr(m, f"factor_{i}", "") for i in (1, 2, 3))
                        if c
                    )
                ),
            ]
        )
        if nivel:
            ws.cell(row=ws.max_row, column=3).fill = RELLENO_NIVEL[nivel]

    ws.freeze_panes = ws.cell(row=fila_encabezado + 1, column=1)
    ultima = get_column_letter(len(encabezado))
    ws.auto_filter.ref = (
        f"A{fila_encabezado}:{ultima}{max(ws.max_row, fila_encabezado)}"
    )
    # Column A also holds the labels of the front block, hence its width.
    for col, ancho in zip("ABCDEF", (24, 45, 16, 16, 22, 60), strict=True):
        ws.column_dimensions[col].width = ancho

    salida = BytesIO()
    wb.save(salida)
    return salida.getvalue()
