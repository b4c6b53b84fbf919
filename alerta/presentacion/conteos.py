"""Students per risk level: one count type (`Conteo`) and the queries behind
every count people see.

- `conteos_por` counts the current enrollments of some secciones with their
  score in a run, grouped as asked: the tutor's and the director's home pages,
  the IE page by sección and the sección's and IE's workbooks read it.
- `conteos_por_clave` and `por_grado_agregado` read the aggregates a run writes
  (`AgregadoRiesgo`), a few rows per scope and grado: the UGEL, DRE and
  national dashboards, the UGEL's home-page ranking and the UGEL's workbooks,
  whose scopes hold up to hundreds of thousands of students.

A page and the workbook of the same scope read the same query.

Callers pass querysets that already went through `alerta.scoping`; nothing here
widens them. Each function runs one query, whatever the number of students.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from riesgo.models import AgregadoRiesgo, Ambito, EjecucionPuntaje, NivelRiesgo
from riesgo.selectors import con_puntaje

from ..models import (
    Dre,
    InstitucionEducativa,
    Matricula,
    Seccion,
    Ugel,
    q_quinto_de_secundaria,
)

_AMBITO_DE = {InstitucionEducativa: Ambito.IE, Ugel: Ambito.UGEL, Dre: Ambito.DRE}


@dataclass
class Conteo:
    """Current students of a group by their risk level."""

    alto: int = 0
    medio: int = 0
    bajo: int = 0
    # Current students of 5.º de secundaria: never scored, counted apart.
    sin_riesgo: int = 0
    # Students who could have a level and have none (enrolled after the run).
    sin_puntaje: int = 0

    @property
    def total(self) -> int:
        """Students with a risk level (the shares are of these)."""
        return self.alto + self.medio + self.bajo

    @property
    def matriculados(self) -> int:
        """Students with a level and those of 5.º de secundaria."""
        return self.total + self.sin_riesgo

    @property
    def estudiantes(self) -> int:
        """Every current student of the group."""
        return self.matriculados + self.sin_puntaje

    @property
    def en_riesgo(self) -> int:
        return self.alto + self.medio

    @property
    def pct_en_riesgo(self) -> float:
        return 100 * self.en_riesgo / self.total if self.total else 0.0

    @property
    def pct_alto_medio(self) -> float | None:
        """The share at alto or medio as a workbook writes it: one decimal, and
        no figure without scored students."""
        return round(self.pct_en_riesgo, 1) if self.total else None

    def porcentaje(self, nivel: str) -> float:
        return 100 * getattr(self, nivel) / self.total if self.total else 0.0

    @property
    def pct_alto(self) -> float:
        return self.porcentaje("alto")

    @property
    def pct_medio(self) -> float:
        return self.porcentaje("medio")

    @property
    def pct_bajo(self) -> float:
        return self.porcentaje("bajo")

    def __add__(self, otro: "Conteo") -> "Conteo":
        return Conteo(
            alto=self.alto + otro.alto,
            medio=self.medio + otro.medio,
            bajo=self.bajo + otro.bajo,
            sin_riesgo=self.sin_riesgo + otro.sin_riesgo,
            sin_puntaje=self.sin_puntaje + otro.sin_puntaje,
        )


def sumar(conteos) -> Conteo:
    total = Conteo()
    for c in conteos:
        total += c
    return total


def conteos_por(
    agrupar_por: str | tuple[str, ...],
    secciones: QuerySet[Seccion],
    ejecucion: EjecucionPuntaje | None,
) -> dict[Any, Conteo]:
    """The current students of `secciones` per risk level in `ejecucion`,
    grouped by a path from Matricula ("seccion_id", "seccion__ie_id"), or by
    several (the key is then a tuple). Every group with a current student has
    a count, scored or not: the nominal lists show the same enrollments."""
    campos = (agrupar_por,) if isinstance(agrupar_por, str) else agrupar_por
    nivel = "puntaje_vigente__nivel"
    quinto = q_quinto_de_secundaria("seccion__")
    filas = (
        con_puntaje(
            Matricula.objects.vigentes().filter(seccion__in=secciones.values("pk")),
            ejecucion,
        )
        .values(*campos)
        .annotate(
            estudiantes=Count("pk"),
            # A run from before 5.º de secundaria was left out may have
            # scored them: never counted at a level.
            alto=Count("pk", filter=Q(**{nivel: NivelRiesgo.ALTO}) & ~quinto),
            medio=Count("pk", filter=Q(**{nivel: NivelRiesgo.MEDIO}) & ~quinto),
            bajo=Count("pk", filter=Q(**{nivel: NivelRiesgo.BAJO}) & ~quinto),
            sin_riesgo=Count("pk", filter=quinto),
        )
        .order_by()
    )
    conteos = {}
    for f in filas:
        clave = f[campos[0]] if len(campos) == 1 else tuple(f[c] for c in campos)
        conteo = Conteo(
            alto=f["alto"], medio=f["medio"], bajo=f["bajo"], sin_riesgo=f["sin_riesgo"]
        )
        conteo.sin_puntaje = f["estudiantes"] - conteo.matriculados
        conteos[clave] = conteo
    return conteos


def mostrados(
    conteos: dict[Any, Conteo], ejecucion: EjecucionPuntaje | None
) -> dict[Any, Conteo]:
    """The counts a page shows beside a group: those with a level or with
    students of 5.º de secundaria, none before the first run (the page then
    says "Sin puntajes")."""
    if ejecucion is None:
        return {}
    return {clave: c for clave, c in conteos.items() if c.matriculados}


# --- From the aggregates of a run (UGEL, DRE and national) ----------------------


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


def por_grado_agregado(
    ejecucion: EjecucionPuntaje | None, alcance: Ugel | Dre | None
) -> dict[tuple[str, int], Conteo]:
    """Students per level of a UGEL, a DRE or (alcance None) the country, by
    nivel and grado. One query."""
    if ejecucion is None:
        return {}
    if alcance is None:
        ambito, clave = Ambito.NACIONAL, 0
    else:
        ambito, clave = _AMBITO_DE[type(alcance)], alcance.pk
    filas = AgregadoRiesgo.objects.filter(
        ejecucion=ejecucion, ambito=ambito, clave=clave
    ).values_list("nivel", "grado", "alto", "medio", "bajo", "sin_riesgo")
    return {
        (nivel, grado): Conteo(alto=a, medio=m, bajo=b, sin_riesgo=q)
        for nivel, grado, a, m, b, q in filas
    }


def con_sin_puntaje(
    conteos: dict[int, Conteo], secciones: QuerySet[Seccion]
) -> dict[int, Conteo]:
    """`conteos` of IEs (from `conteos_por_clave`) with, in `sin_puntaje`, the
    current students of `secciones` the run did not count (enrolled after it,
    or no run yet): an IE with students and no count gets one. What a workbook
    adds to its page's counts. One query, without the scores."""
    estudiantes = (
        Matricula.objects.vigentes()
        .filter(seccion__in=secciones.values("pk"))
        .values_list("seccion__ie_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    completos = dict(conteos)
    for ie_id, n in estudiantes:
        conteo = completos.setdefault(ie_id, Conteo())
        conteo.sin_puntaje = max(0, n - conteo.matriculados)
    return completos
