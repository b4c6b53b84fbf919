"""Reads of the current risk scores: lists and counts per level.

Callers pass querysets that already went through `alerta.scoping`; nothing here
widens them.
"""

from dataclasses import dataclass

from django.db.models import Count, F, FilteredRelation, Q, QuerySet

from alerta.models import Matricula, Seccion

from .models import EjecucionPuntaje, NivelRiesgo, Puntaje


def ejecucion_vigente() -> EjecucionPuntaje | None:
    return EjecucionPuntaje.objects.vigente()


def filas_de_seccion(
    seccion: Seccion, ejecucion: EjecucionPuntaje | None
) -> QuerySet[Matricula]:
    """The sección's current students with their current score, riskiest first."""
    qs = (
        Matricula.objects.vigentes()
        .filter(seccion=seccion)
        .select_related("estudiante")
        .only(
            "id",
            "seccion_id",
            "situacion_matricula",
            "estudiante__uuid",
            "estudiante__apellido_paterno",
            "estudiante__apellido_materno",
            "estudiante__nombres",
            "estudiante__fecha_nacimiento",
            "estudiante__sexo",
        )
    )
    ejecucion_id = ejecucion.pk if ejecucion else None
    return qs.annotate(
        puntaje_vigente=FilteredRelation(
            "puntajes", condition=Q(puntajes__ejecucion_id=ejecucion_id)
        ),
        nivel_riesgo=F("puntaje_vigente__nivel"),
        probabilidad=F("puntaje_vigente__probabilidad"),
        factor_1=F("puntaje_vigente__factor_1"),
        factor_2=F("puntaje_vigente__factor_2"),
        factor_3=F("puntaje_vigente__factor_3"),
    ).order_by(
        F("probabilidad").desc(nulls_last=True),
        "estudiante__apellido_paterno",
        "estudiante__apellido_materno",
        "estudiante__nombres",
    )


@dataclass
class Conteo:
    alto: int = 0
    medio: int = 0
    bajo: int = 0

    @property
    def total(self) -> int:
        return self.alto + self.medio + self.bajo

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
    """Students per risk level, grouped by a path from Seccion ("id", "ie_id"...).

    One query, whatever the number of students.
    """
    if ejecucion is None:
        return {}
    campo = f"matricula__seccion__{agrupar_por}"
    filas = (
        Puntaje.objects.filter(
            ejecucion=ejecucion, matricula__seccion__in=secciones.values("pk")
        )
        .values(campo)
        .annotate(
            alto=Count("pk", filter=Q(nivel=NivelRiesgo.ALTO)),
            medio=Count("pk", filter=Q(nivel=NivelRiesgo.MEDIO)),
            bajo=Count("pk", filter=Q(nivel=NivelRiesgo.BAJO)),
        )
        .order_by()
    )
    return {
        f[campo]: Conteo(alto=f["alto"], medio=f["medio"], bajo=f["bajo"])
        for f in filas
    }


def factores_de(fila: Matricula, nivel: str) -> list:
    """The factors of a row of `filas_de_seccion`, as phrases with links."""
    from .factores import factores_mostrados

    codigos = [getattr(fila, f"factor_{i}", None) or "" for i in (1, 2, 3)]
    return factores_mostrados(codigos, nivel)
