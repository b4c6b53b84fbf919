"""Reads behind the spreadsheets of an IE and of a UGEL.

Callers pass querysets that already went through `alerta.scoping`; nothing here
widens them. Each function runs one query, whatever the number of students, and
the nominal ones are meant to be read with `.iterator(chunk_size=LOTE)`.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from riesgo.models import EjecucionPuntaje, NivelRiesgo
from riesgo.selectors import con_puntaje

from .models import (
    Asignacion,
    InstitucionEducativa,
    Matricula,
    Rol,
    Seccion,
    q_quinto_de_secundaria,
)

# Rows fetched per round trip when a nominal list is streamed.
LOTE = 2000

# One order for the secciones of a summary and for the rows of their lists, so
# that both can be walked side by side.
ORDEN_SECCION = ("nivel", "grado", "letra", "pk")

_NOMBRE = (
    "estudiante__apellido_paterno",
    "estudiante__apellido_materno",
    "estudiante__nombres",
)


@dataclass
class Resumen:
    """Students of a group by their current risk level; those of 5.º de
    secundaria apart (`sin_riesgo`): they never get a level."""

    estudiantes: int = 0
    alto: int = 0
    medio: int = 0
    bajo: int = 0
    sin_riesgo: int = 0

    @property
    def con_puntaje(self) -> int:
        return self.alto + self.medio + self.bajo

    @property
    def sin_puntaje(self) -> int:
        """Students who could have a level and have none (enrolled after the run)."""
        return self.estudiantes - self.con_puntaje - self.sin_riesgo

    @property
    def pct_alto_medio(self) -> float | None:
        """Share of the scored students at alto or medio, in percent."""
        if not self.con_puntaje:
            return None
        return round(100 * (self.alto + self.medio) / self.con_puntaje, 1)

    def __add__(self, otro: "Resumen") -> "Resumen":
        return Resumen(
            estudiantes=self.estudiantes + otro.estudiantes,
            alto=self.alto + otro.alto,
            medio=self.medio + otro.medio,
            bajo=self.bajo + otro.bajo,
            sin_riesgo=self.sin_riesgo + otro.sin_riesgo,
        )


def _matriculas(secciones: QuerySet[Seccion]) -> QuerySet[Matricula]:
    return Matricula.objects.vigentes().filter(seccion__in=secciones.values("pk"))


def secciones_ordenadas(secciones: QuerySet[Seccion]) -> list[Seccion]:
    return list(secciones.select_related("ie").order_by(*ORDEN_SECCION))


def resumen_por(
    agrupar_por: str,
    secciones: QuerySet[Seccion],
    ejecucion: EjecucionPuntaje | None,
) -> dict[int, Resumen]:
    """Current students per risk level, grouped by a path from Matricula
    ("seccion_id", "seccion__ie_id"). Counts the same enrollments the nominal
    lists show, so that the summary and the lists agree."""
    nivel = "puntaje_vigente__nivel"
    quinto = q_quinto_de_secundaria("seccion__")
    filas = (
        con_puntaje(_matriculas(secciones), ejecucion)
        .values(agrupar_por)
        .annotate(
            estudiantes=Count("pk"),
            # Never at a level, even where an older run scored them.
            alto=Count("pk", filter=Q(**{nivel: NivelRiesgo.ALTO}) & ~quinto),
            medio=Count("pk", filter=Q(**{nivel: NivelRiesgo.MEDIO}) & ~quinto),
            bajo=Count("pk", filter=Q(**{nivel: NivelRiesgo.BAJO}) & ~quinto),
            sin_riesgo=Count("pk", filter=quinto),
        )
        .order_by()
    )
    return {
        f[agrupar_por]: Resumen(
            estudiantes=f["estudiantes"],
            alto=f["alto"],
            medio=f["medio"],
            bajo=f["bajo"],
            sin_riesgo=f["sin_riesgo"],
        )
        for f in filas
    }


def tutores_por_seccion(secciones: QuerySet[Seccion]) -> dict[int, list[str]]:
    """The names of the tutors currently assigned to each sección."""
    asignaciones = (
        Asignacion.objects.vigentes()
        .filter(rol=Rol.TUTOR, seccion__in=secciones.values("pk"))
        .select_related("usuario")
        .only(
            "seccion_id",
            "usuario__username",
            "usuario__first_name",
            "usuario__last_name",
        )
        .order_by("usuario__last_name", "usuario__first_name", "usuario__username")
    )
    tutores: dict[int, list[str]] = defaultdict(list)
    for a in asignaciones:
        tutores[a.seccion_id].append(a.usuario.get_full_name() or a.usuario.username)
    return dict(tutores)


def filas_de_secciones(
    secciones: QuerySet[Seccion], ejecucion: EjecucionPuntaje | None
) -> QuerySet[Matricula]:
    """Every current student of the secciones with their current score: sección
    by sección (in ORDEN_SECCION), riskiest first within each."""
    qs = (
        _matriculas(secciones)
        .select_related("estudiante")
        .only(
            "id",
            "seccion_id",
            "situacion_matricula",
            "estudiante__apellido_paterno",
            "estudiante__apellido_materno",
            "estudiante__nombres",
        )
    )
    return con_puntaje(qs, ejecucion).order_by(
        *(f"seccion__{c}" for c in ORDEN_SECCION),
        F("probabilidad").desc(nulls_last=True),
        *_NOMBRE,
        "pk",
    )


def ies_con_resumen(
    ies: QuerySet[InstitucionEducativa],
    secciones: QuerySet[Seccion],
    ejecucion: EjecucionPuntaje | None,
) -> list[tuple[InstitucionEducativa, Resumen]]:
    """The IEs with students in `secciones` and their counts, most students at
    alto or medio first (the order of the UGEL's ranking page)."""
    resumen = resumen_por("seccion__ie_id", secciones, ejecucion)
    con_estudiantes = (
        ies.filter(pk__in=resumen.keys())
        .select_related("distrito")
        .only(
            "codigo_modular",
            "anexo",
            "nombre",
            "area",
            "gestion",
            "distrito__nombre",
        )
    )
    return sorted(
        ((ie, resumen[ie.pk]) for ie in con_estudiantes),
        key=lambda f: (-(f[1].alto + f[1].medio), f[0].nombre, f[0].codigo),
    )


def filas_alto_medio(
    secciones: QuerySet[Seccion], ejecucion: EjecucionPuntaje | None
) -> QuerySet[Matricula]:
    """The current students of the secciones at alto or medio risk, IE by IE and
    sección by sección, riskiest first within each."""
    if ejecucion is None:
        return Matricula.objects.none()
    qs = (
        _matriculas(secciones)
        .select_related("estudiante", "seccion__ie")
        .only(
            "id",
            "seccion__nivel",
            "seccion__grado",
            "seccion__letra",
            "seccion__ie__codigo_modular",
            "seccion__ie__anexo",
            "seccion__ie__nombre",
            "estudiante__apellido_paterno",
            "estudiante__apellido_materno",
            "estudiante__nombres",
        )
    )
    return (
        con_puntaje(qs, ejecucion)
        .filter(puntaje_vigente__nivel__in=[NivelRiesgo.ALTO, NivelRiesgo.MEDIO])
        .con_riesgo()
        .order_by(
            "seccion__ie__nombre",
            "seccion__ie__codigo_modular",
            "seccion__ie__anexo",
            *(f"seccion__{c}" for c in ORDEN_SECCION),
            F("probabilidad").desc(nulls_last=True),
            *_NOMBRE,
            "pk",
        )
    )
