"""Who sees and who plans a UGEL's trainings, and which teachers it may invite.

Reading follows the UGEL (alerta.scoping.ugeles_visibles): its specialists, the
DRE's specialists and Minedu. Planning, inviting and recording attendance is
the UGEL specialist's of that UGEL and Minedu's: a DRE specialist reads only.
Everyone else gets 404, never 403.
"""

from django.db.models import Q, QuerySet

from alerta.models import (
    Asignacion,
    InstitucionEducativa,
    Rol,
    Ugel,
    Usuario,
)
from alerta.scoping import _asignaciones, _get_or_404, ugeles_visibles, ve_todo

from .models import Capacitacion


def ugeles_que_planifica(user: Usuario) -> QuerySet[Ugel]:
    if not user.is_authenticated:
        return Ugel.objects.none()
    if ve_todo(user):
        return Ugel.objects.all()
    ids = [a.ugel_id for a in _asignaciones(user) if a.rol == Rol.ESPECIALISTA_UGEL]
    return Ugel.objects.filter(pk__in=ids)


def ugel_que_planifica_o_404(user: Usuario, codigo: str) -> Ugel:
    return _get_or_404(ugeles_que_planifica(user).select_related("dre"), codigo=codigo)


def puede_planificar(user: Usuario, ugel: Ugel) -> bool:
    return ugeles_que_planifica(user).filter(pk=ugel.pk).exists()


def capacitaciones_visibles(user: Usuario) -> QuerySet[Capacitacion]:
    return Capacitacion.objects.filter(ugel__in=ugeles_visibles(user))


def capacitacion_o_404(user: Usuario, uuid) -> Capacitacion:
    return _get_or_404(
        capacitaciones_visibles(user).select_related("ugel", "ugel__dre"), uuid=uuid
    )


def capacitacion_que_planifica_o_404(user: Usuario, uuid) -> Capacitacion:
    return _get_or_404(
        Capacitacion.objects.filter(ugel__in=ugeles_que_planifica(user)).select_related(
            "ugel", "ugel__dre"
        ),
        uuid=uuid,
    )


def asignaciones_docentes(
    ies: QuerySet[InstitucionEducativa] | list[InstitucionEducativa], anio: int | None
) -> QuerySet[Asignacion]:
    """The current tutor and director assignments (school year `anio`) at
    `ies`: who counts as a teacher there. Each row carries its IE as `ie_de`
    through `seccion__ie` or `ie`."""
    return (
        Asignacion.objects.vigentes()
        .filter(usuario__is_active=True)
        .filter(
            Q(rol=Rol.TUTOR, seccion__anio=anio, seccion__ie__in=ies)
            | Q(rol=Rol.DIRECTOR, anio=anio, ie__in=ies)
        )
        .select_related("usuario", "seccion", "ie")
    )


def ie_de_asignacion(a: Asignacion) -> int:
    return a.ie_id if a.rol == Rol.DIRECTOR else a.seccion.ie_id
