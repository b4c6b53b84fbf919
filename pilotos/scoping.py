"""Who designs and who reads an evaluation, and which of its units they see.

Minedu (national) designs evaluations and reads all of them. A UGEL
specialist reads the published evaluations that include their UGEL, and only
the units of that UGEL: codes, schools, strata and arms (aggregates, no
student or teacher). Everyone else gets 404, never 403.
"""

from django.db.models import QuerySet

from alerta.models import Rol, Ugel, Usuario
from alerta.scoping import _asignaciones, _get_or_404, ve_todo

from .models import Estado, Evaluacion, UnidadEvaluacion


def disena(user: Usuario) -> bool:
    return ve_todo(user)


def _ugeles_propias(user: Usuario) -> QuerySet[Ugel]:
    ids = [a.ugel_id for a in _asignaciones(user) if a.rol == Rol.ESPECIALISTA_UGEL]
    return Ugel.objects.filter(pk__in=ids)


def lee_pilotos(user: Usuario) -> bool:
    """Whether the pilots' list is for the user at all."""
    return disena(user) or _ugeles_propias(user).exists()


def evaluaciones_visibles(user: Usuario) -> QuerySet[Evaluacion]:
    if not user.is_authenticated:
        return Evaluacion.objects.none()
    if ve_todo(user):
        return Evaluacion.objects.all()
    return Evaluacion.objects.filter(
        estado=Estado.PUBLICADA, ugeles__in=_ugeles_propias(user)
    ).distinct()


def evaluacion_o_404(user: Usuario, uuid) -> Evaluacion:
    return _get_or_404(evaluaciones_visibles(user), uuid=uuid)


def evaluacion_que_disena_o_404(user: Usuario, uuid) -> Evaluacion:
    qs = Evaluacion.objects.all() if disena(user) else Evaluacion.objects.none()
    return _get_or_404(qs, uuid=uuid)


def unidades_visibles(
    user: Usuario, evaluacion: Evaluacion
) -> QuerySet[UnidadEvaluacion]:
    unidades = UnidadEvaluacion.objects.filter(evaluacion=evaluacion)
    if ve_todo(user):
        return unidades
    return unidades.filter(ugel__in=_ugeles_propias(user))
