"""Reads of the current risk scores: the runs, and each enrollment with its
score. Data only: how it reads (counts, phrases, workbooks) is the portal's
(alerta.presentacion).

Callers pass querysets that already went through `alerta.scoping`; nothing here
widens them.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_

from django.db.models import (
    Case,
    CharField,
    F,
    FilteredRelation,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from alerta.models import Matricula, Seccion, q_quinto_de_secundaria

from .models import (
    DerivaEjecucion,
    EjecucionPuntaje,
    EstadoEjecucion,
    ModeloRiesgo,
    NivelDeriva,
    NivelRiesgo,
    Puntaje,
)


def ejecucion_vigente() -> EjecucionPuntaje | None:
    return EjecucionPuntaje.objects.vigente()


def ejecucion_anterior(
    ejecucion: EjecucionPuntaje | None, *, hasta: datetime | None = None
) -> EjecucionPuntaje | None:
    """The latest successful run of the same school year before `ejecucion`:
    the one a list compares with to show whether a student's level changed.
    With `hasta`, the latest one that started no later than that (the weekly
    digest compares with last week's run, not last night's)."""
    if ejecucion is None:
        return None
    anteriores = EjecucionPuntaje.objects.filter(
        estado=EstadoEjecucion.EXITOSA, anio=ejecucion.anio
    ).filter(
        Q(inicio__lt=ejecucion.inicio) | Q(inicio=ejecucion.inicio, pk__lt=ejecucion.pk)
    )
    if hasta is not None:
        anteriores = anteriores.filter(inicio__lte=hasta)
    return anteriores.order_by("-inicio", "-pk").first()


def nivel_en(ejecucion: EjecucionPuntaje, campo_matricula: str = "pk") -> Subquery:
    """The level `ejecucion` gave the row's enrollment (`campo_matricula`), or
    None where it did not score it: the previous level of a list's arrow."""
    return Subquery(
        Puntaje.objects.filter(
            ejecucion_id=ejecucion.pk, matricula_id=OuterRef(campo_matricula)
        ).values("nivel")[:1]
    )


# Fields of Matricula and its student and sección that the lists read.
CAMPOS_FILA = (
    "id",
    "seccion_id",
    "situacion_matricula",
    "estudiante__uuid",
    "estudiante__apellido_paterno",
    "estudiante__apellido_materno",
    "estudiante__nombres",
    "estudiante__fecha_nacimiento",
    "estudiante__sexo",
    "seccion__uuid",
    "seccion__ie_id",
    "seccion__anio",
    "seccion__nivel",
    "seccion__grado",
    "seccion__letra",
)

ORDEN_NOMBRE = (
    "estudiante__apellido_paterno",
    "estudiante__apellido_materno",
    "estudiante__nombres",
)


def con_puntaje(
    matriculas: QuerySet[Matricula], ejecucion: EjecucionPuntaje | None
) -> QuerySet[Matricula]:
    """Each enrollment with its score in `ejecucion` (nivel_riesgo, probabilidad,
    factor_1..3; None where it has none), joined in the same query; the join is
    `puntaje_vigente` for further filters and counts.

    5.º de secundaria has none of them even where a run from before it was
    left out scored it: lists, filters, sorting and workbooks all read these.
    """
    ejecucion_id = ejecucion.pk if ejecucion else None
    quinto = q_quinto_de_secundaria("seccion__")

    def salvo_quinto(campo: str, tipo):
        return Case(
            When(quinto, then=Value(None)),
            default=F(f"puntaje_vigente__{campo}"),
            output_field=tipo,
        )

    return matriculas.annotate(
        puntaje_vigente=FilteredRelation(
            "puntajes", condition=Q(puntajes__ejecucion_id=ejecucion_id)
        ),
        nivel_riesgo=salvo_quinto("nivel", CharField()),
        probabilidad=salvo_quinto("probabilidad", FloatField()),
        factor_1=salvo_quinto("factor_1", CharField()),
        factor_2=salvo_quinto("factor_2", CharField()),
        factor_3=salvo_quinto("factor_3", CharField()),
    )


def filas_de_matriculas(
    matriculas: QuerySet[Matricula],
    ejecucion: EjecucionPuntaje | None,
    anterior: EjecucionPuntaje | None = None,
) -> QuerySet[Matricula]:
    """Enrollments with the score of `ejecucion` (nivel_riesgo, probabilidad,
    factor_1..3) and the level of `anterior` (nivel_anterior), riskiest first.

    One query for a page of rows, whatever the size of the school. The current
    score is joined (the order needs it for every row); the previous level is a
    subquery, which PostgreSQL evaluates after the sort and the limit, for the
    rows of the page only: joined, it cost a third of the IE page's query
    (3,000 lookups for 50 rows shown, decision 0017).
    """
    qs = con_puntaje(
        matriculas.select_related("estudiante", "seccion").only(*CAMPOS_FILA),
        ejecucion,
    )
    if anterior is None:
        qs = qs.annotate(nivel_anterior=Value(None, output_field=CharField()))
    else:
        qs = qs.annotate(nivel_anterior=nivel_en(anterior))
    return qs.order_by(F("probabilidad").desc(nulls_last=True), *ORDEN_NOMBRE, "pk")


def filas_de_seccion(
    seccion: Seccion,
    ejecucion: EjecucionPuntaje | None,
    anterior: EjecucionPuntaje | None = None,
) -> QuerySet[Matricula]:
    """The sección's current students with their current score, riskiest first."""
    return filas_de_matriculas(
        Matricula.objects.vigentes().filter(seccion=seccion), ejecucion, anterior
    )


def filas_de_ie(
    matriculas: QuerySet[Matricula],
    ie_id: int,
    anio: int | None,
    ejecucion: EjecucionPuntaje | None,
    anterior: EjecucionPuntaje | None = None,
) -> QuerySet[Matricula]:
    """The IE's current students of school year `anio`, riskiest first.

    `matriculas` comes from `alerta.scoping.matriculas_visibles`.
    """
    return filas_de_matriculas(
        matriculas.vigentes().filter(seccion__ie_id=ie_id, seccion__anio=anio),
        ejecucion,
        anterior,
    )


# Higher is riskier: the arrow of a list compares these.
RANGO_NIVEL = {NivelRiesgo.ALTO: 3, NivelRiesgo.MEDIO: 2, NivelRiesgo.BAJO: 1}


def q_subio(
    campo_actual: str = "nivel_riesgo", campo_anterior: str = "nivel_anterior"
) -> Q:
    """Rows whose level is higher than the previous run's, as RANGO_NIVEL
    ranks them: the lists' upward arrow (alerta.presentacion.niveles), as a
    filter that a count can use. A row without either level never went up."""
    return reduce(
        or_,
        (
            Q(
                **{
                    campo_actual: actual,
                    f"{campo_anterior}__in": [
                        n for n, r in RANGO_NIVEL.items() if r < rango
                    ],
                }
            )
            for actual, rango in RANGO_NIVEL.items()
            if rango > min(RANGO_NIVEL.values())
        ),
    )


# --- One student's page ---------------------------------------------------------


def puntajes_de_estudiante(estudiante_id: int) -> list[dict]:
    """The student's score in every successful run, oldest first, one per run.

    A student moved mid-year may have been scored in two enrollments by the
    same run: the later enrollment's score is kept.
    """
    filas = (
        Puntaje.objects.filter(
            matricula__estudiante_id=estudiante_id,
            ejecucion__estado=EstadoEjecucion.EXITOSA,
        )
        .order_by("ejecucion__inicio", "ejecucion_id", "matricula_id")
        .values(
            "ejecucion_id",
            "ejecucion__inicio",
            "ejecucion__anio",
            "matricula_id",
            "nivel",
            "probabilidad",
            "factor_1",
            "factor_2",
            "factor_3",
        )
    )
    por_ejecucion: dict[int, dict] = {}
    for fila in filas:
        por_ejecucion[fila["ejecucion_id"]] = fila
    return list(por_ejecucion.values())


@dataclass
class TramoNivel:
    """Consecutive runs that gave the student the same level."""

    nivel: str
    desde: date
    hasta: date
    ejecuciones: int = 1

    @property
    def etiqueta(self) -> str:
        return str(NivelRiesgo(self.nivel).label)


def tramos_de_nivel(puntajes: list[dict]) -> list[TramoNivel]:
    """`puntajes_de_estudiante` as periods of one level: a nightly history of
    years reads as a few rows."""
    tramos: list[TramoNivel] = []
    for p in puntajes:
        fecha = timezone.localdate(p["ejecucion__inicio"])
        if tramos and tramos[-1].nivel == p["nivel"]:
            tramos[-1].hasta = fecha
            tramos[-1].ejecuciones += 1
        else:
            tramos.append(TramoNivel(nivel=p["nivel"], desde=fecha, hasta=fecha))
    return tramos


def ultima_ejecucion_del_modelo(modelo: ModeloRiesgo) -> EjecucionPuntaje | None:
    """The model's latest successful run: the one its drift is read from."""
    return (
        EjecucionPuntaje.objects.filter(modelo=modelo, estado=EstadoEjecucion.EXITOSA)
        .order_by("-inicio", "-pk")
        .first()
    )


def derivas_de(ejecucion: EjecucionPuntaje) -> list[DerivaEjecucion]:
    """The run's PSI per variable, largest first."""
    return list(ejecucion.derivas.order_by("-psi", "variable"))


def derivas_importantes_vigentes(
    ejecucion: EjecucionPuntaje | None,
) -> list[DerivaEjecucion]:
    """The important drifts of the current run (Minedu's home shows them)."""
    if ejecucion is None:
        return []
    return list(ejecucion.derivas.filter(nivel=NivelDeriva.IMPORTANTE).order_by("-psi"))
