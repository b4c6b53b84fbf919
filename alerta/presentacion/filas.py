"""The nominal reads behind the workbooks of an IE and of a UGEL (their
counts are in `conteos`).

Callers pass querysets that already went through `alerta.scoping`; nothing here
widens them. Each function runs one query, whatever the number of students, and
the nominal ones are meant to be read with `.iterator(chunk_size=LOTE)`.
"""

from collections import defaultdict

from django.db.models import F, QuerySet

from riesgo.models import EjecucionPuntaje, NivelRiesgo
from riesgo.selectors import con_puntaje

from ..models import Asignacion, Matricula, Rol, Seccion

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


def _matriculas(secciones: QuerySet[Seccion]) -> QuerySet[Matricula]:
    return Matricula.objects.vigentes().filter(seccion__in=secciones.values("pk"))


def secciones_ordenadas(secciones: QuerySet[Seccion]) -> list[Seccion]:
    return list(secciones.select_related("ie").order_by(*ORDEN_SECCION))


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
            "estudiante__uuid",
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
