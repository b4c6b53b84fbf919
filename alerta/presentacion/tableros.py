"""Dashboards of UGEL, DRE and Minedu: students per risk level of a scope, by
grado and per child scope (IEs of a UGEL, UGELs of a DRE, DREs of the country).

Everything is read from the AgregadoRiesgo rows of a run (a few rows per scope
and grado), never from the scores: the number of queries and the rows read do
not grow with the number of students. The UGEL's workbooks count and rank its
IEs with the same query and order as its page. Children are
listed through `alerta.scoping`, so a dashboard never shows a scope its reader
may not open. Only counts leave this module: no student is named.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from riesgo.models import EjecucionPuntaje, NivelRiesgo

from .. import scoping
from ..models import (
    Dre,
    InstitucionEducativa,
    Nivel,
    Ugel,
    Usuario,
    grado_en_palabras,
)
from .conteos import Conteo, conteos_por_clave, por_grado_agregado, sumar

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


@dataclass
class FilaGrado:
    nivel: str
    grado: int
    conteo: Conteo

    @property
    def etiqueta(self) -> str:
        return grado_en_palabras(self.nivel, self.grado)


def orden_valido(valor: str | None, defecto: str = CANTIDAD) -> str:
    return valor if valor in ORDENES else defecto


def _filas_grado(conteos: dict[tuple[str, int], Conteo]) -> list[FilaGrado]:
    return sorted(
        (FilaGrado(nivel, grado, c) for (nivel, grado), c in conteos.items()),
        key=lambda f: (_ORDEN_NIVEL.get(f.nivel, len(_ORDEN_NIVEL)), f.grado),
    )


def por_grado(
    ejecucion: EjecucionPuntaje | None, alcance: Ugel | Dre | None
) -> list[FilaGrado]:
    """Rows of a UGEL, a DRE or (alcance None) the country, one per nivel and
    grado, in school order. One query."""
    return _filas_grado(por_grado_agregado(ejecucion, alcance))


def totales(grados: Iterable[FilaGrado]) -> Conteo:
    return sumar(f.conteo for f in grados)


def _clave_orden(orden: str):
    if orden == PORCENTAJE:
        return lambda f: (-f[2].pct_en_riesgo, -f[2].en_riesgo, f[1], f[0])
    return lambda f: (-f[2].en_riesgo, -f[2].pct_en_riesgo, f[1], f[0])


def ranking(
    conteos: dict[int, Conteo],
    hijos: QuerySet,
    orden: str = CANTIDAD,
    *,
    sin_puntaje: bool = False,
) -> list[tuple[int, Conteo]]:
    """Pks of the scopes in `hijos` that have scores, with their `conteos`, most
    students at medio+alto (or the largest share) first; ties by name, then pk.
    With `sin_puntaje` (a workbook), also those whose students have no score,
    in the same order.

    One query, reading only pks and names: callers fetch the objects of the
    page they show with `con_objetos`.
    """
    if not conteos:
        return []
    # A scope whose only students are in 5.º de secundaria has none scored.
    filas = [
        (pk, nombre, conteos[pk])
        for pk, nombre in hijos.values_list("pk", "nombre").order_by()
        if pk in conteos and (conteos[pk].total or sin_puntaje)
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
            "gestion",
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
        hijos=ranking(conteos_por_clave(ejecucion, hijos), hijos, orden),
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
