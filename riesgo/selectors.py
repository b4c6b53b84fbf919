"""Reads of the current risk scores: lists and counts per level.

Callers pass querysets that already went through `alerta.scoping`; nothing here
widens them.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerta.models import Matricula, Seccion, q_quinto_de_secundaria

from .cortes import frase_de_nivel
from .models import (
    EjecucionPuntaje,
    EstadoEjecucion,
    ModeloRiesgo,
    NivelRiesgo,
    Puntaje,
)


def ejecucion_vigente() -> EjecucionPuntaje | None:
    return EjecucionPuntaje.objects.vigente()


def ejecucion_anterior(ejecucion: EjecucionPuntaje | None) -> EjecucionPuntaje | None:
    """The latest successful run of the same school year before `ejecucion`:
    the one a list compares with to show whether a student's level changed."""
    if ejecucion is None:
        return None
    return (
        EjecucionPuntaje.objects.filter(
            estado=EstadoEjecucion.EXITOSA, anio=ejecucion.anio
        )
        .filter(
            Q(inicio__lt=ejecucion.inicio)
            | Q(inicio=ejecucion.inicio, pk__lt=ejecucion.pk)
        )
        .order_by("-inicio", "-pk")
        .first()
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

    Both scores are joined in the same query (FilteredRelation), so a page of
    rows costs one query whatever the size of the school.
    """
    qs = con_puntaje(
        matriculas.select_related("estudiante", "seccion").only(*CAMPOS_FILA),
        ejecucion,
    )
    if anterior is None:
        qs = qs.annotate(nivel_anterior=Value(None, output_field=CharField()))
    else:
        qs = qs.annotate(
            puntaje_anterior=FilteredRelation(
                "puntajes", condition=Q(puntajes__ejecucion_id=anterior.pk)
            ),
            nivel_anterior=F("puntaje_anterior__nivel"),
        )
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


@dataclass(frozen=True)
class CambioNivel:
    sube: bool
    desde: str  # the previous level, as users read it

    @property
    def flecha(self) -> str:
        return "↑" if self.sube else "↓"

    @property
    def texto(self) -> str:
        if self.sube:
            return _("subió desde %(nivel)s") % {"nivel": self.desde}
        return _("bajó desde %(nivel)s") % {"nivel": self.desde}


def cambio_de_nivel(actual: str | None, anterior: str | None) -> CambioNivel | None:
    """How the level moved since the previous run (None if it did not, or if
    either run did not score the student)."""
    if actual not in RANGO_NIVEL or anterior not in RANGO_NIVEL:
        return None
    if RANGO_NIVEL[actual] == RANGO_NIVEL[anterior]:
        return None
    return CambioNivel(
        sube=RANGO_NIVEL[actual] > RANGO_NIVEL[anterior],
        desde=str(NivelRiesgo(anterior).label),
    )


@dataclass
class Conteo:
    alto: int = 0
    medio: int = 0
    bajo: int = 0
    # Current students of 5.º de secundaria: never scored, counted apart.
    sin_riesgo: int = 0

    @property
    def total(self) -> int:
        """Students with a risk level (the shares are of these)."""
        return self.alto + self.medio + self.bajo

    @property
    def matriculados(self) -> int:
        """Every current student: those with a level and 5.º de secundaria."""
        return self.total + self.sin_riesgo

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


def conteos_por(
    agrupar_por: str, secciones: QuerySet[Seccion], ejecucion: EjecucionPuntaje | None
) -> dict[int, Conteo]:
    """Students per risk level, grouped by a path from Seccion ("id", "ie_id"...),
    and the current students of 5.º de secundaria apart (`sin_riesgo`).

    One query, whatever the number of students.
    """
    if ejecucion is None:
        return {}
    campo = f"seccion__{agrupar_por}"
    quinto = q_quinto_de_secundaria("seccion__")
    nivel = "puntaje_vigente__nivel"
    filas = (
        con_puntaje(
            Matricula.objects.vigentes().filter(seccion__in=secciones.values("pk")),
            ejecucion,
        )
        .filter(Q(puntaje_vigente__isnull=False) | quinto)
        .values(campo)
        .annotate(
            # A run from before 5.º de secundaria was left out may have
            # scored them: never counted at a level.
            alto=Count("pk", filter=Q(**{nivel: NivelRiesgo.ALTO}) & ~quinto),
            medio=Count("pk", filter=Q(**{nivel: NivelRiesgo.MEDIO}) & ~quinto),
            bajo=Count("pk", filter=Q(**{nivel: NivelRiesgo.BAJO}) & ~quinto),
            sin_riesgo=Count("pk", filter=quinto),
        )
        .order_by()
    )
    return {
        f[campo]: Conteo(
            alto=f["alto"],
            medio=f["medio"],
            bajo=f["bajo"],
            sin_riesgo=f["sin_riesgo"],
        )
        for f in filas
    }


def factores_de(fila: Matricula, nivel: str) -> list:
    """The factors of a row of `filas_de_seccion`, as phrases with links."""
    from .factores import factores_mostrados

    codigos = [getattr(fila, f"factor_{i}", None) or "" for i in (1, 2, 3)]
    return factores_mostrados(codigos, nivel)


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


# The names the stored sentences of a model (riesgo.training) give each level.
NOMBRE_EN_FRASES = {
    NivelRiesgo.ALTO: gettext_lazy("riesgo alto"),
    NivelRiesgo.MEDIO: gettext_lazy("riesgo medio"),
    NivelRiesgo.BAJO: gettext_lazy("riesgo bajo"),
}


def nivel_en_palabras(modelo: ModeloRiesgo | None, nivel: str | None) -> list[str]:
    """What a student's level means, in plain words: the rule that gives it
    (from the model's cut-offs) and, when the model stored it, how many
    students of that level left school in the validation year."""
    if modelo is None or nivel not in NOMBRE_EN_FRASES:
        return []
    regla = frase_de_nivel(nivel, modelo.corte_alto, modelo.corte_medio)
    frases = [regla]
    guardadas = (modelo.metricas or {}).get("en_palabras")
    if isinstance(guardadas, list):
        nombre = str(NOMBRE_EN_FRASES[nivel]).lower()
        frases += [
            str(f) for f in guardadas if isinstance(f, str) and nombre in f.lower()
        ]
    return frases
