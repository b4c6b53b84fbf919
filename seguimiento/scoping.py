"""Who reads and who writes follow-up records.

Reading follows the student: whoever may open a student's page
(`alerta.scoping.estudiantes_visibles`) sees their actions and monthly
records; everything else is 404. Writing is the tutor's and the director's,
for the students of their current secciones. A reserved note's text is read
only by its author and by the director of the IE where it was written; the
others see that it exists, by whom and when.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from alerta.models import Estudiante, Rol, Seccion, Usuario
from alerta.scoping import _asignaciones, _get_or_404, estudiantes_visibles

from .models import AccionSeguimiento, RegistroMensual


def acciones_visibles(user: Usuario) -> QuerySet[AccionSeguimiento]:
    return AccionSeguimiento.objects.filter(estudiante__in=estudiantes_visibles(user))


def accion_o_404(user: Usuario, uuid) -> AccionSeguimiento:
    return _get_or_404(
        acciones_visibles(user).select_related("tipo", "autor", "seccion"), uuid=uuid
    )


def registros_visibles(user: Usuario) -> QuerySet[RegistroMensual]:
    return RegistroMensual.objects.filter(estudiante__in=estudiantes_visibles(user))


def secciones_que_registra(user: Usuario) -> QuerySet[Seccion]:
    """Secciones whose students the user may write follow-up for: a tutor's
    own sección, every sección of the IE a director runs (this school year)."""
    if not user.is_authenticated:
        return Seccion.objects.none()
    ids: list[int] = []
    ies: list[tuple[int, int]] = []
    for a in _asignaciones(user):
        if a.rol == Rol.TUTOR:
            ids.append(a.seccion_id)
        elif a.rol == Rol.DIRECTOR:
            ies.append((a.ie_id, a.anio))
    qs = Seccion.objects.filter(pk__in=ids)
    for ie_id, anio in ies:
        qs = qs | Seccion.objects.filter(ie_id=ie_id, anio=anio)
    return qs


def seccion_que_registra_o_404(user: Usuario, uuid) -> Seccion:
    return _get_or_404(secciones_que_registra(user).select_related("ie"), uuid=uuid)


def seccion_de_registro(user: Usuario, estudiante: Estudiante) -> Seccion | None:
    """The student's current sección, if the user may write follow-up for them."""
    from alerta.models import Matricula

    matricula = (
        Matricula.objects.vigentes()
        .filter(estudiante=estudiante, seccion__in=secciones_que_registra(user))
        .select_related("seccion")
        .order_by("-seccion__anio", "-pk")
        .first()
    )
    return matricula.seccion if matricula else None


def dirige(user: Usuario, seccion: Seccion) -> bool:
    return any(
        a.rol == Rol.DIRECTOR and a.ie_id == seccion.ie_id and a.anio == seccion.anio
        for a in _asignaciones(user)
    )


def lee_nota(user: Usuario, accion: AccionSeguimiento) -> bool:
    """Whether the user reads the action's note text."""
    if not accion.reservada:
        return True
    return accion.autor_id == user.pk or dirige(user, accion.seccion)


def plazo_de_correccion() -> timedelta:
    return timedelta(days=settings.SEGUIMIENTO_DIAS_CORRECCION)


def _ids_que_registra(user: Usuario) -> set[int]:
    # Cached on the user object, like alerta.scoping's assignments: a list of
    # actions asks once, whatever its length.
    if not hasattr(user, "_ids_secciones_que_registra"):
        user._ids_secciones_que_registra = set(
            secciones_que_registra(user).values_list("pk", flat=True)
        )
    return user._ids_secciones_que_registra


def puede_corregir(user: Usuario, accion: AccionSeguimiento) -> bool:
    """The author corrects their own action for a few days after writing it,
    while they still write for its sección."""
    return (
        accion.autor_id == user.pk
        and timezone.now() - accion.creada <= plazo_de_correccion()
        and accion.seccion_id in _ids_que_registra(user)
    )
