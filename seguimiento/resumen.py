"""What the risk lists show of follow-up: each student's last action and
whether this month's contact record is done, and the filter of the students
at alto or medio risk left without an action for a month.

The students come from a list already scoped (`alerta.scoping`): these read
only dates and yes/no for them, in two queries whatever the page size.
"""

from datetime import date, timedelta

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from riesgo.models import NivelRiesgo

from .models import AccionSeguimiento, EstadoAccion, RegistroMensual

# "Sin acción en 30 días": no action done (or tried) in the last 30 days.
DIAS_SIN_ACCION = 30


def _acciones_hechas():
    # A planned action is not one yet: only done or tried ones count, up to today.
    return AccionSeguimiento.objects.exclude(estado=EstadoAccion.PLANIFICADA).filter(
        fecha__lte=timezone.localdate()
    )


def por_estudiante(estudiante_ids, mes: date) -> dict[int, tuple[date | None, bool]]:
    """{student id: (date of their last action or None, month's record done)}
    for every id given."""
    ids = list(estudiante_ids)
    ultimas = dict(
        _acciones_hechas()
        .filter(estudiante_id__in=ids)
        .values("estudiante_id")
        .annotate(ultima=Max("fecha"))
        .values_list("estudiante_id", "ultima")
    )
    hechos = set(
        RegistroMensual.objects.filter(estudiante_id__in=ids, mes=mes).values_list(
            "estudiante_id", flat=True
        )
    )
    return {i: (ultimas.get(i), i in hechos) for i in ids}


def q_con_accion_reciente(campo_estudiante: str = "estudiante_id") -> Exists:
    """True for a row whose student (`campo_estudiante`) had an action done in
    the last DIAS_SIN_ACCION days."""
    desde = timezone.localdate() - timedelta(days=DIAS_SIN_ACCION)
    return Exists(
        _acciones_hechas().filter(
            estudiante_id=OuterRef(campo_estudiante), fecha__gte=desde
        )
    )


def q_alto_o_medio_sin_accion(campo_nivel: str = "nivel_riesgo") -> Q:
    """Rows at alto or medio risk whose student had no action in 30 days."""
    return Q(**{f"{campo_nivel}__in": [NivelRiesgo.ALTO, NivelRiesgo.MEDIO]}) & ~Q(
        q_con_accion_reciente()
    )


def q_con_registro_del_mes(
    mes: date, campo_estudiante: str = "estudiante_id"
) -> Exists:
    """True for a row whose student (`campo_estudiante`) has `mes`'s record."""
    return Exists(
        RegistroMensual.objects.filter(
            estudiante_id=OuterRef(campo_estudiante), mes=mes
        )
    )


def contactados_del_mes(secciones, mes: date) -> dict[int, bool]:
    """{student id: contacted} for the students now enrolled in `secciones`
    (a queryset or a list of them) who have `mes`'s record; one query."""
    return dict(
        RegistroMensual.objects.filter(
            mes=mes, estudiante__matriculas__seccion__in=secciones
        )
        .distinct()
        .values_list("estudiante_id", "contactado")
    )
