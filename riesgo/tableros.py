"""Dashboards of UGEL, DRE and Minedu: students per risk level of a scope, by
grado and per child scope (IEs of a UGEL, UGELs of a DRE, DREs of the country).

Everything is read from the AgregadoRiesgo rows of a run (a few rows per scope
and grado), never from the scores: the number of queries and the rows read do
not grow with the number of students. Children are listed through
`alerta.scoping`, so a dashboard never shows a scope its reader may not open.
Only counts leave this module: no student is named.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from alerta import scoping
from alerta.exports import ENCABEZADO, RELLENO_NIVEL, texto_seguro
from alerta.models import (
    Dre,
    InstitucionEducativa,
    Nivel,
    Ugel,
    Usuario,
    grado_texto,
)

from . import selectors
from .models import AgregadoRiesgo, Ambito, EjecucionPuntaje, NivelRiesgo

# How a ranking may be sorted: by students at medio+alto, or by their share.
CANTIDAD = "cantidad"
PORCENTAJE = "porcentaje"
ORDENES = (CANTIDAD, PORCENTAJE)

# Small-group trainings gather about five teachers: one per IE.
IES_POR_GRUPO = 5

REGLA_GRUPOS = gettext_lazy(
    "Grupos sugeridos para capacitaciones en grupos pequeños: solo las IE con al "
    "menos un estudiante en riesgo medio o alto. Dentro de cada distrito, las IE "
    "se toman en orden de estudiantes en riesgo medio y alto (de más a menos) y "
    "se reúnen de cinco en cinco (un docente por IE: unos 5 docentes por grupo; "
    "el último grupo de un distrito puede tener menos). Los grupos se numeran por "
    "prioridad: el grupo 1 es el que suma más estudiantes en riesgo medio y alto."
)

# The same shapes as the pages' level badges: a level is never colour alone.
ICONO_NIVEL = {NivelRiesgo.ALTO: "▲", NivelRiesgo.MEDIO: "◆", NivelRiesgo.BAJO: "●"}
_ORDEN_NIVEL = {n: i for i, n in enumerate(Nivel.values)}
_AMBITO_DE = {InstitucionEducativa: Ambito.IE, Ugel: Ambito.UGEL, Dre: Ambito.DRE}


@dataclass
class Conteo(selectors.Conteo):
    """Students per risk level, with the medio+alto sum that rankings use."""

    @property
    def en_riesgo(self) -> int:
        return self.alto + self.medio

    @property
    def pct_en_riesgo(self) -> float:
        return 100 * self.en_riesgo / self.total if self.total else 0.0

    def sumar(self, otro: "Conteo") -> None:
        self.alto += otro.alto
        self.medio += otro.medio
        self.bajo += otro.bajo
        self.sin_riesgo += otro.sin_riesgo


@dataclass
class FilaGrado:
    nivel: str
    grado: int
    conteo: Conteo

    @property
    def etiqueta(self) -> str:
        return grado_texto(self.nivel, self.grado)


def orden_valido(valor: str | None, defecto: str = CANTIDAD) -> str:
    return valor if valor in ORDENES else defecto


def por_grado(
    ejecucion: EjecucionPuntaje | None, alcance: Ugel | Dre | None
) -> list[FilaGrado]:
    """Rows of a UGEL, a DRE or (alcance None) the country, one per nivel and
    grado, in school order. One query."""
    if ejecucion is None:
        return []
    if alcance is None:
        ambito, clave = Ambito.NACIONAL, 0
    else:
        ambito, clave = _AMBITO_DE[type(alcance)], alcance.pk
    filas = AgregadoRiesgo.objects.filter(
        ejecucion=ejecucion, ambito=ambito, clave=clave
    ).values_list("nivel", "grado", "alto", "medio", "bajo", "sin_riesgo")
    return sorted(
        (
            FilaGrado(nivel, grado, Conteo(alto=a, medio=m, bajo=b, sin_riesgo=q))
            for nivel, grado, a, m, b, q in filas
        ),
        key=lambda f: (_ORDEN_NIVEL.get(f.nivel, len(_ORDEN_NIVEL)), f.grado),
    )


def totales(grados: Iterable[FilaGrado]) -> Conteo:
    total = Conteo()
    for fila in grados:
        total.sumar(fila.conteo)
    return total


def conteos_por_clave(
    ejecucion: EjecucionPuntaje | None, hijos: QuerySet
) -> dict[int, Conteo]:
    """Students per level of each scope in `hijos` (a scoped queryset of IEs,
    UGELs or DREs), summed over niveles and grados. One query."""
    if ejecucion is None:
        return {}
    filas = (
        AgregadoRiesgo.objects.filter(
            ejecucion=ejecucion,
            ambito=_AMBITO_DE[hijos.model],
            clave__in=hijos.values("pk"),
        )
        .values("clave")
        .annotate(a=Sum("alto"), m=Sum("medio"), b=Sum("bajo"), q=Sum("sin_riesgo"))
        .order_by()
    )
    return {
        f["clave"]: Conteo(alto=f["a"], medio=f["m"], bajo=f["b"], sin_riesgo=f["q"])
        for f in filas
    }


def _clave_orden(orden: str):
    if orden == PORCENTAJE:
        return lambda f: (-f[2].pct_en_riesgo, -f[2].en_riesgo, f[1], f[0])
    return lambda f: (-f[2].en_riesgo, -f[2].pct_en_riesgo, f[1], f[0])


def ranking(
    ejecucion: EjecucionPuntaje | None, hijos: QuerySet, orden: str = CANTIDAD
) -> list[tuple[int, Conteo]]:
    """Pks of the scopes in `hijos` that have scores, with their counts, most
    students at medio+alto (or the largest share) first; ties by name.

    Two queries, reading only pks and names: callers fetch the objects of the
    page they show with `con_objetos`.
    """
    conteos = conteos_por_clave(ejecucion, hijos)
    if not conteos:
        return []
    # A scope whose only students are in 5.º de secundaria has none scored.
    filas = [
        (pk, nombre, conteos[pk])
        for pk, nombre in hijos.values_list("pk", "nombre").order_by()
        if pk in conteos and conteos[pk].total
    ]
    filas.sort(key=_clave_orden(orden))
    return [(pk, conteo) for pk, _nombre, conteo in filas]


def con_objetos(
    hijos: QuerySet, filas: Sequence[tuple[int, Conteo]]
) -> list[tuple[Any, Conteo]]:
    """The objects behind (pk, conteo) rows, in the same order. One query."""
    objetos = hijos.in_bulk([pk for pk, _c in filas])
    return [(objetos[pk], c) for pk, c in filas if pk in objetos]


def ies_de(user: Usuario, ugel: Ugel) -> QuerySet[InstitucionEducativa]:
    return (
        scoping.ies_visibles(user)
        .filter(ugel=ugel)
        .select_related("distrito")
        .only(
            "pk",
            "codigo_modular",
            "anexo",
            "nombre",
            "area",
            "ugel_id",
            "distrito__ubigeo",
            "distrito__nombre",
            "distrito__provincia",
        )
    )


def ugeles_de(user: Usuario, dre: Dre) -> QuerySet[Ugel]:
    return scoping.ugeles_visibles(user).filter(dre=dre)


def dres_de(user: Usuario) -> QuerySet[Dre]:
    return scoping.dres_visibles(user)


@dataclass
class Tablero:
    """What a dashboard shows of one scope: totals, by grado, children ranked."""

    ejecucion: EjecucionPuntaje | None
    grados: list[FilaGrado]
    hijos: list[tuple[int, Conteo]]
    totales: Conteo = field(init=False)

    def __post_init__(self) -> None:
        self.totales = totales(self.grados)


def tablero(
    *,
    ejecucion: EjecucionPuntaje | None,
    alcance: Ugel | Dre | None,
    hijos: QuerySet,
    orden: str = CANTIDAD,
) -> Tablero:
    """The dashboard of a UGEL, a DRE or (alcance None) the country, with the
    scopes in `hijos` ranked. Three queries, whatever the number of students or
    children."""
    return Tablero(
        ejecucion=ejecucion,
        grados=por_grado(ejecucion, alcance),
        hijos=ranking(ejecucion, hijos, orden),
    )


def datos_graficos(
    grados: Sequence[FilaGrado],
    comparados: Sequence[tuple[Any, Conteo]] = (),
) -> dict:
    """What the charts draw (passed with json_script); {} when nothing to draw.

    The same numbers are in the tables beside the charts, their text
    alternative.
    """
    datos: dict[str, Any] = {}
    # 5.º de secundaria has no level to draw: the table beside says why.
    grados = [f for f in grados if f.conteo.total]
    if grados:
        datos["grados"] = {
            "etiquetas": [f.etiqueta for f in grados],
            "series": [
                {
                    "nivel": nivel.lower(),
                    "etiqueta": f"{ICONO_NIVEL[nivel]} {NivelRiesgo(nivel).label}",
                    "valores": [getattr(f.conteo, nivel.lower()) for f in grados],
                }
                for nivel in NivelRiesgo.values
            ],
            "eje_y": _("Estudiantes"),
        }
    if comparados:
        datos["comparacion"] = {
            "etiquetas": [str(getattr(o, "nombre", o)) for o, _c in comparados],
            "valores": [round(c.pct_en_riesgo, 1) for _o, c in comparados],
            "serie": _("Estudiantes en riesgo medio o alto (%)"),
        }
    if datos:
        datos["decimal"] = get_format("DECIMAL_SEPARATOR")
    return datos


def grupos_sugeridos(
    filas: Sequence[tuple[InstitucionEducativa, Conteo]],
) -> dict[int, int]:
    """The training group suggested for each IE (by pk), as REGLA_GRUPOS says.

    `filas` must come ranked by students at medio+alto, most first.
    """
    por_distrito: dict[str, list[tuple[int, InstitucionEducativa, Conteo]]] = {}
    for puesto, (ie, conteo) in enumerate(filas):
        if conteo.en_riesgo:
            por_distrito.setdefault(ie.distrito_id, []).append((puesto, ie, conteo))
    grupos = [
        lista[i : i + IES_POR_GRUPO]
        for lista in por_distrito.values()
        for i in range(0, len(lista), IES_POR_GRUPO)
    ]
    # Most students at medio+alto first; a tie goes to the group whose first
    # IE ranks higher.
    grupos.sort(key=lambda g: (-sum(c.en_riesgo for _p, _ie, c in g), g[0][0]))
    return {
        ie.pk: numero
        for numero, grupo in enumerate(grupos, start=1)
        for _p, ie, _c in grupo
    }


def _encabezado(ws, columnas: Sequence[tuple[str, int]]) -> int:
    ws.append([texto_seguro(str(t)) for t, _ancho in columnas])
    fila = ws.max_row
    for celda in ws[fila]:
        celda.font = Font(bold=True, color="FFFFFF")
        celda.fill = ENCABEZADO
        celda.alignment = Alignment(vertical="center", wrap_text=True)
    for i, (_t, ancho) in enumerate(columnas, start=1):
        ws.column_dimensions[get_column_letter(i)].width = ancho
    return fila


def _cerrar_tabla(ws, fila_encabezado: int, n_columnas: int) -> None:
    ws.freeze_panes = ws.cell(row=fila_encabezado + 1, column=1)
    ultima = get_column_letter(n_columnas)
    ws.auto_filter.ref = (
        f"A{fila_encabezado}:{ultima}{max(ws.max_row, fila_encabezado)}"
    )


def libro_capacitaciones(
    *,
    ugel: Ugel,
    filas: Sequence[tuple[InstitucionEducativa, Conteo]],
    ejecucion: EjecucionPuntaje | None,
    usuario: Usuario,
) -> bytes:
    """The UGEL's IEs ranked by students at medio+alto, with the suggested
    training groups (sheet "Ranking") and the groups themselves ("Grupos").

    `filas` are ranked by count (see `ranking`). Counts only: no student names.
    """
    grupos = grupos_sugeridos(filas)
    generado = date_format(timezone.localtime(), "DATETIME_FORMAT")
    wb = Workbook()
    ws = wb.active
    ws.title = _("Ranking")
    bloque = [
        (_("UGEL"), f"{ugel.nombre} ({ugel.codigo})"),
        (_("DRE"), ugel.dre.nombre),
        (
            _("Puntajes"),
            _("año escolar %(a)s, modelo v%(v)s, calculados el %(f)s")
            % {
                "a": ejecucion.anio,
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
        (_("Contenido"), _("Solo cifras por IE: no contiene datos de estudiantes.")),
        (_("Regla de agrupación"), str(REGLA_GRUPOS)),
    ]
    for etiqueta, valor in bloque:
        ws.append([etiqueta, texto_seguro(valor)])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append([])

    columnas = [
        (_("Prioridad"), 10),
        (_("Código modular"), 14),
        (_("Anexo"), 8),
        (_("Institución educativa"), 40),
        (_("Distrito"), 20),
        (_("Provincia"), 18),
        (_("Área"), 10),
        (_("Alto"), 9),
        (_("Medio"), 9),
        (_("Bajo"), 9),
        (_("Estudiantes con puntaje"), 13),
        (_("Medio + alto"), 11),
        (_("% medio + alto"), 11),
        (_("Grupo sugerido"), 11),
    ]
    fila_encabezado = _encabezado(ws, columnas)
    # Column A also holds the labels of the front block.
    ws.column_dimensions["A"].width = 22
    for celda, nivel in zip(ws[fila_encabezado][7:10], NivelRiesgo.values, strict=True):
        celda.fill = RELLENO_NIVEL[nivel]
        celda.font = Font(bold=True)
    for prioridad, (ie, c) in enumerate(filas, start=1):
        ws.append(
            [
                prioridad,
                texto_seguro(ie.codigo_modular),
                ie.anexo,
                texto_seguro(ie.rotulo),
                texto_seguro(ie.distrito.nombre),
                texto_seguro(ie.distrito.provincia),
                texto_seguro(str(ie.get_area_display())),
                c.alto,
                c.medio,
                c.bajo,
                c.total,
                c.en_riesgo,
                round(c.pct_en_riesgo / 100, 4),
                grupos.get(ie.pk),
            ]
        )
        ws.cell(row=ws.max_row, column=13).number_format = "0.0%"
    _cerrar_tabla(ws, fila_encabezado, len(columnas))

    hoja = wb.create_sheet(_("Grupos"))
    hoja.append([_("Regla de agrupación"), texto_seguro(str(REGLA_GRUPOS))])
    hoja.cell(row=1, column=1).font = Font(bold=True)
    hoja.append([])
    columnas_grupos = [
        (_("Grupo sugerido"), 22),
        (_("Distrito"), 20),
        (_("Provincia"), 18),
        (_("IE del grupo"), 10),
        (_("Estudiantes en riesgo medio o alto"), 14),
        (_("Instituciones educativas"), 80),
    ]
    fila_encabezado = _encabezado(hoja, columnas_grupos)
    por_grupo: dict[int, list[tuple[InstitucionEducativa, Conteo]]] = {}
    for ie, c in filas:
        if ie.pk in grupos:
            por_grupo.setdefault(grupos[ie.pk], []).append((ie, c))
    for numero in sorted(por_grupo):
        miembros = por_grupo[numero]
        primera = miembros[0][0]
        hoja.append(
            [
                numero,
                texto_seguro(primera.distrito.nombre),
                texto_seguro(primera.distrito.provincia),
                len(miembros),
                sum(c.en_riesgo for _ie, c in miembros),
                texto_seguro(
                    "; ".join(f"{ie.rotulo} ({ie.codigo})" for ie, _c in miembros)
                ),
            ]
        )
    _cerrar_tabla(hoja, fila_encabezado, len(columnas_grupos))

    salida = BytesIO()
    wb.save(salida)
    return salida.getvalue()
