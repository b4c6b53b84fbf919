"""Reads of follow-up records for other parts of the portal (workbooks).

The callers have already scoped the students: whoever reads a student reads
their actions (seguimiento.scoping.acciones_visibles)."""

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from .models import AccionSeguimiento


def ultimas_acciones(estudiante_ids: Iterable[int]) -> dict[int, AccionSeguimiento]:
    """Each student's latest action (by date, then by when it was written),
    in one query; students without actions are absent."""
    ids = list(estudiante_ids)
    if not ids:
        return {}
    ultima = (
        AccionSeguimiento.objects.filter(estudiante_id=OuterRef("estudiante_id"))
        .order_by("-fecha", "-creada", "-pk")
        .values("pk")[:1]
    )
    acciones = (
        AccionSeguimiento.objects.filter(estudiante_id__in=ids)
        .filter(pk=Subquery(ultima))
        .select_related("tipo")
    )
    return {a.estudiante_id: a for a in acciones}
