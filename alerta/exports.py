"""Spreadsheets (xlsx) of the risk lists: a sección, an IE, a UGEL.

Every workbook is written with openpyxl's write-only mode into a temporary file:
rows go out as they come, so memory stays flat whatever the size of the list.
Each sheet opens with a front block (what it is, which scores, who downloaded
it and when), then a table with a styled, frozen header and an auto-filter.
"""

import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import IO

from django.http import FileResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from riesgo.cortes import probabilidad_en_porcentaje, texto_corte
from riesgo.factores import frase, muestra_factores
from riesgo.models import EjecucionPuntaje, ModeloRiesgo, NivelRiesgo

from .models import (
    POR_QUE_SIN_RIESGO_QUINTO,
    SIN_RIESGO_QUINTO,
    InstitucionEducativa,
    Matricula,
    Seccion,
    Ugel,
    Usuario,
)
from .reportes import Resumen

# Rows a sheet may hold (Excel's limit); a longer list goes on to a new sheet.
FILAS_POR_HOJA = 1_048_576
# Above this size the temporary file moves from memory to disk.
EN_MEMORIA = 8 * 1024 * 1024

RELLENO_NIVEL = {
    NivelRiesgo.ALTO: PatternFill("solid", fgColor="F28C28"),
    NivelRiesgo.MEDIO: PatternFill("solid", fgColor="FFD93D"),
    NivelRiesgo.BAJO: PatternFill("solid", fgColor="6BCB77"),
}
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
                    font=FUENTE_ENCABEZADO,
                    fill=ENCABEZADO,
                    alignment=alineacion,
                )
                for c in columnas
            ]
        )

    @property
    def llena(self) -> bool:
        return self.ultima >= FILAS_POR_HOJA

    def agregar(
        self, valores: Sequence[object], niveles: dict[int, str] | None = None
    ) -> None:
        """Append a row; `niveles` maps a column (from 0) to the risk level whose
        colour fills it."""
        niveles = niveles or {}
        self.ws.append(
            [
                _celda(self.ws, v, fill=RELLENO_NIVEL[niveles[i]])
                if niveles.get(i)
                else texto_seguro(v)
                for i, v in enumerate(valores)
            ]
        )
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
    """A write-only workbook whose sheets share the scores' and download's lines."""

    def __init__(self, *, ejecucion: EjecucionPuntaje | None, usuario: Usuario):
        self.wb = Workbook(write_only=True)
        self.hojas: list[Hoja] = []
        # Excel reserves "History" for itself.
        self._nombres = {"history"}
        generado = date_format(timezone.localtime(), "DATETIME_FORMAT")
        self.modelo = ejecucion.modelo if ejecucion else None
        self.bloque_comun = [
            (
                _("Puntajes"),
                _("modelo v%(v)s, calculados el %(f)s")
                % {
                    "v": ejecucion.modelo.version,
                    "f": date_format(
                        timezone.localtime(ejecucion.inicio), "DATE_FORMAT"
                    ),
                }
                if ejecucion
                else _("sin puntajes"),
            ),
            *(
                [(_("Niveles de riesgo"), _niveles_en_palabras(self.modelo))]
                if self.modelo
                else []
            ),
            (
                _("Descargado por"),
                f"{usuario.get_full_name() or usuario.username}, {generado}",
            ),
        ]

    def probabilidad(self, probabilidad: float | None) -> float | None:
        """A score's probability as a percentage, with one decimal or as many
        more as keep it on its level's side of the cut-offs."""
        if probabilidad is None or self.modelo is None:
            return None
        return float(
            probabilidad_en_porcentaje(
                probabilidad, self.modelo.corte_alto, self.modelo.corte_medio, minimo=1
            )
        )

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


def _nivel(nivel: str | None) -> str:
    return str(NivelRiesgo(nivel).label) if nivel else _("Sin puntaje")


def _niveles_en_palabras(modelo: ModeloRiesgo) -> str:
    return _(
        "alto: %(alto)s o más; medio: %(medio)s o más; bajo: menos de %(medio)s"
    ) % {
        "alto": texto_corte(modelo.corte_alto),
        "medio": texto_corte(modelo.corte_medio),
    }


def _factores(m: Matricula) -> str:
    if not muestra_factores(getattr(m, "nivel_riesgo", None)):
        return ""
    codigos = (getattr(m, f"factor_{i}", "") for i in (1, 2, 3))
    return "; ".join(frase(c) for c in codigos if c)


# The list of a sección: the classroom workbook and each sheet of the IE's.


def _columnas_seccion() -> list[Columna]:
    return [
        Columna(_("N.º"), 24),
        Columna(_("Apellidos y nombres"), 45),
        Columna(_("Nivel de riesgo"), 16),
        Columna(_("Probabilidad estimada (%)"), 16),
        Columna(_("Situación de matrícula"), 22),
        Columna(_("Qué eleva su riesgo"), 60),
    ]


def _hoja_seccion(libro: Libro, seccion: Seccion, filas: Iterable[Matricula]) -> None:
    bloque = [
        (_("Institución educativa"), str(seccion.ie)),
        (_("Sección"), f"{seccion} — {seccion.anio}"),
    ]
    if seccion.sin_riesgo:
        bloque.append((str(SIN_RIESGO_QUINTO), str(POR_QUE_SIN_RIESGO_QUINTO)))
    hoja = libro.hoja(str(seccion), bloque=bloque, columnas=_columnas_seccion())
    for n, m in enumerate(filas, start=1):
        if seccion.sin_riesgo:
            # No level, even where an older run scored the student.
            hoja.agregar(
                [
                    n,
                    m.estudiante.nombre_completo,
                    str(SIN_RIESGO_QUINTO),
                    None,
                    m.get_situacion_matricula_display(),
                    "",
                ]
            )
            continue
        nivel = getattr(m, "nivel_riesgo", None)
        hoja.agregar(
            [
                n,
                m.estudiante.nombre_completo,
                _nivel(nivel),
                libro.probabilidad(getattr(m, "probabilidad", None)),
                m.get_situacion_matricula_display(),
                _factores(m),
            ],
            niveles={2: nivel},
        )


def libro_seccion(
    *,
    seccion: Seccion,
    filas: Iterable[Matricula],
    ejecucion: EjecucionPuntaje | None,
    usuario: Usuario,
) -> IO[bytes]:
    libro = Libro(ejecucion=ejecucion, usuario=usuario)
    _hoja_seccion(libro, seccion, filas)
    return libro.guardar()


# The IE workbook: a summary, then one sheet per sección.


def _columnas_conteo() -> list[Columna]:
    return [
        Columna(_("Estudiantes"), 13),
        Columna(_("Alto"), 9),
        Columna(_("Medio"), 9),
        Columna(_("Bajo"), 9),
        Columna(_("Sin puntaje"), 12),
        Columna(_("5.º de secundaria: sin riesgo calculado"), 16),
        Columna(_("% alto + medio"), 14),
    ]


def _conteo(r: Resumen) -> list[object]:
    return [
        r.estudiantes,
        r.alto,
        r.medio,
        r.bajo,
        r.sin_puntaje,
        r.sin_riesgo,
        r.pct_alto_medio,
    ]


def _niveles_conteo(desde: int) -> dict[int, str]:
    """The alto, medio and bajo count cells, coloured by their level."""
    return {
        desde + 1: NivelRiesgo.ALTO,
        desde + 2: NivelRiesgo.MEDIO,
        desde + 3: NivelRiesgo.BAJO,
    }


def _por_seccion(
    secciones: Sequence[Seccion], filas: Iterable[Matricula]
) -> Iterator[tuple[Seccion, Iterable[Matricula]]]:
    """Walk the secciones and the rows (both in reportes.ORDEN_SECCION) side by
    side: each sección with its rows, none for a sección without students."""
    grupos = groupby(filas, key=lambda m: m.seccion_id)
    actual = next(grupos, None)
    for seccion in secciones:
        if actual is not None and actual[0] == seccion.pk:
            yield seccion, actual[1]
            actual = next(grupos, None)
        else:
            yield seccion, ()


def libro_ie(
    *,
    ie: InstitucionEducativa,
    anio: int | None,
    secciones: Sequence[Seccion],
    resumen: dict[int, Resumen],
    tutores: dict[int, list[str]],
    filas: Iterable[Matricula],
    ejecucion: EjecucionPuntaje | None,
    usuario: Usuario,
) -> IO[bytes]:
    libro = Libro(ejecucion=ejecucion, usuario=usuario)
    hoja = libro.hoja(
        _("Resumen"),
        bloque=[
            (_("Institución educativa"), str(ie)),
            (_("Año escolar"), anio or "—"),
        ],
        columnas=[
            Columna(_("Nivel"), 24),
            Columna(_("Grado"), 8),
            Columna(_("Sección"), 10),
            *_columnas_conteo(),
            Columna(_("Tutor(es)"), 40),
        ],
    )
    total = Resumen()
    for s in secciones:
        r = resumen.get(s.pk, Resumen())
        total += r
        hoja.agregar(
            [
                s.get_nivel_display(),
                s.grado_corto,
                s.letra_texto,
                *_conteo(r),
                ", ".join(tutores.get(s.pk, [])),
            ],
            niveles=_niveles_conteo(3),
        )
    hoja.pie([_("Total"), None, None, *_conteo(total)])

    for seccion, filas_seccion in _por_seccion(secciones, filas):
        _hoja_seccion(libro, seccion, filas_seccion)
    return libro.guardar()


# The UGEL workbook: a summary per IE, then its students at alto and medio.


def libro_ugel(
    *,
    ugel: Ugel,
    anio: int | None,
    ies: Sequence[tuple[InstitucionEducativa, Resumen]],
    filas: Iterable[Matricula],
    ejecucion: EjecucionPuntaje | None,
    usuario: Usuario,
) -> IO[bytes]:
    libro = Libro(ejecucion=ejecucion, usuario=usuario)
    ambito = [
        (_("UGEL"), f"{ugel} ({ugel.codigo})"),
        (_("DRE"), str(ugel.dre)),
        (_("Año escolar"), anio or "—"),
    ]
    hoja = libro.hoja(
        _("Resumen por IE"),
        bloque=ambito,
        columnas=[
            Columna(_("Código modular"), 24),
            Columna(_("Anexo"), 8),
            Columna(_("Institución educativa"), 40),
            Columna(_("Distrito"), 22),
            Columna(_("Área"), 10),
            Columna(_("Gestión"), 10),
            *_columnas_conteo(),
        ],
    )
    total = Resumen()
    for ie, r in ies:
        total += r
        hoja.agregar(
            [
                ie.codigo_modular,
                ie.anexo,
                ie.rotulo,
                ie.distrito.nombre,
                ie.get_area_display(),
                ie.get_gestion_display(),
                *_conteo(r),
            ],
            niveles=_niveles_conteo(6),
        )
    hoja.pie([_("Total"), None, None, None, None, None, *_conteo(total)])

    columnas = [
        Columna(_("Código modular"), 24),
        Columna(_("Institución educativa"), 40),
        Columna(_("Sección"), 22),
        Columna(_("Apellidos y nombres"), 45),
        Columna(_("Nivel de riesgo"), 16),
        Columna(_("Probabilidad estimada (%)"), 16),
        Columna(_("Qué eleva su riesgo"), 60),
    ]
    bloque = [*ambito, (_("Contenido"), _("Estudiantes en riesgo alto y medio"))]
    partes = 1
    hoja = libro.hoja(_("Nominal"), bloque=bloque, columnas=columnas)
    for m in filas:
        if hoja.llena:
            partes += 1
            hoja = libro.hoja(
                _("Nominal %(n)s") % {"n": partes}, bloque=bloque, columnas=columnas
            )
        ie = m.seccion.ie
        hoja.agregar(
            [
                ie.codigo,
                ie.rotulo,
                str(m.seccion),
                m.estudiante.nombre_completo,
                _nivel(m.nivel_riesgo),
                libro.probabilidad(m.probabilidad),
                _factores(m),
            ],
            niveles={4: m.nivel_riesgo},
        )
    return libro.guardar()


def respuesta_xlsx(archivo: IO[bytes], nombre: str) -> FileResponse:
    """A workbook as a download. The name says which school, UGEL or sección
    and year, never whom it lists."""
    return FileResponse(
        archivo,
        as_attachment=True,
        filename=f"{slugify(nombre)}.xlsx",
        content_type=XLSX,
    )
