"""Which secciones, IEs, UGELs and students a user may see.

Every page, download, API answer and task that serves a user goes through these
functions. Anything outside the scope is answered with 404 (never 403), so that a
guessed identifier tells nothing about what exists.

Nominal access follows the school year shown (`anio_mostrado`, see
docs/decisions/0014): a tutor's or director's assignment of an earlier year opens
nothing, and below Minedu every sección, enrollment and student in scope is one
of that year.
"""

from collections.abc import Callable
from functools import reduce, wraps
from operator import or_

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse

from riesgo.models import ModeloRiesgo
from siagie_import.models import Importacion

from .models import (
    Asignacion,
    Dre,
    Estudiante,
    InstitucionEducativa,
    Matricula,
    Rol,
    Seccion,
    Ugel,
    Usuario,
)
from .selectors import anio_vigente

NADA = Q(pk__in=[])


def _sql_anio_mostrado() -> Subquery:
    # The same year as `alerta.selectors.anio_vigente`, inside a query.
    return Subquery(Seccion.objects.order_by("-anio").values("anio")[:1])


def anio_mostrado(user: Usuario) -> int | None:
    """The school year every nominal page shows: the latest one with enrollment
    imported (the year the nightly run scores). Read with the user's
    assignments when they have any, so that it costs no query of its own."""
    asignaciones = _asignaciones(user) if user.is_authenticated else []
    if asignaciones:
        return asignaciones[0].anio_mostrado
    return anio_vigente()


def _asignaciones(user: Usuario) -> list[Asignacion]:
    """The user's assignments that count now: a tutor's or a director's only
    when it is of the school year shown. Each carries that year as
    `anio_mostrado`."""
    # Cached on the user object: one query per request, whatever is asked.
    if not hasattr(user, "_asignaciones_vigentes"):
        anio = _sql_anio_mostrado()
        user._asignaciones_vigentes = list(
            Asignacion.objects.vigentes()
            .filter(usuario_id=user.pk)
            .annotate(anio_mostrado=anio)
            .filter(
                Q(rol=Rol.TUTOR, seccion__anio=anio)
                | Q(rol=Rol.DIRECTOR, anio=anio)
                | ~Q(rol__in=[Rol.TUTOR, Rol.DIRECTOR])
            )
        )
    return user._asignaciones_vigentes


def roles_de(user: Usuario) -> set[str]:
    if not user.is_authenticated:
        return set()
    return {a.rol for a in _asignaciones(user)}


def ve_todo(user: Usuario) -> bool:
    return user.is_authenticated and (
        user.is_superuser or Rol.NACIONAL in roles_de(user)
    )


def _any(conditions: list[Q]) -> Q:
    return reduce(or_, conditions) if conditions else NADA


def _q_secciones(user: Usuario, prefix: str = "") -> Q:
    """A Q over Seccion (or over a model reaching it through `prefix`)."""
    if not user.is_authenticated:
        return NADA
    if ve_todo(user):
        return Q()
    p = prefix
    conditions: list[Q] = []
    for a in _asignaciones(user):
        if a.rol == Rol.TUTOR:
            conditions.append(Q(**{f"{p}pk": a.seccion_id}))
        elif a.rol == Rol.DIRECTOR:
            conditions.append(Q(**{f"{p}ie_id": a.ie_id, f"{p}anio": a.anio}))
        elif a.rol == Rol.ESPECIALISTA_UGEL:
            conditions.append(
                Q(**{f"{p}ie__ugel_id": a.ugel_id, f"{p}anio": a.anio_mostrado})
            )
        elif a.rol == Rol.ESPECIALISTA_DRE:
            conditions.append(
                Q(**{f"{p}ie__ugel__dre_id": a.dre_id, f"{p}anio": a.anio_mostrado})
            )
    return _any(conditions)


def secciones_visibles(user: Usuario) -> QuerySet[Seccion]:
    return Seccion.objects.filter(_q_secciones(user))


def matriculas_visibles(user: Usuario) -> QuerySet[Matricula]:
    matriculas = Matricula.objects.filter(_q_secciones(user, "seccion__"))
    if ve_todo(user):
        return matriculas
    # Below Minedu, an enrollment the student moved out of opens nothing: their
    # page shows the present, which is the new school's business.
    return matriculas.vigentes()


def estudiantes_visibles(user: Usuario) -> QuerySet[Estudiante]:
    return Estudiante.objects.filter(
        pk__in=matriculas_visibles(user).values("estudiante_id")
    )


def ies_visibles(user: Usuario) -> QuerySet[InstitucionEducativa]:
    """IEs whose whole-school pages the user may open (not a tutor's)."""
    if not user.is_authenticated:
        return InstitucionEducativa.objects.none()
    if ve_todo(user):
        return InstitucionEducativa.objects.all()
    conditions: list[Q] = []
    for a in _asignaciones(user):
        if a.rol == Rol.DIRECTOR:
            conditions.append(Q(pk=a.ie_id))
        elif a.rol == Rol.ESPECIALISTA_UGEL:
            conditions.append(Q(ugel_id=a.ugel_id))
        elif a.rol == Rol.ESPECIALISTA_DRE:
            conditions.append(Q(ugel__dre_id=a.dre_id))
    return InstitucionEducativa.objects.filter(_any(conditions))


def ugeles_visibles(user: Usuario) -> QuerySet[Ugel]:
    if not user.is_authenticated:
        return Ugel.objects.none()
    if ve_todo(user):
        return Ugel.objects.all()
    conditions: list[Q] = []
    for a in _asignaciones(user):
        if a.rol == Rol.ESPECIALISTA_UGEL:
            conditions.append(Q(pk=a.ugel_id))
        elif a.rol == Rol.ESPECIALISTA_DRE:
            conditions.append(Q(dre_id=a.dre_id))
    return Ugel.objects.filter(_any(conditions))


def dres_visibles(user: Usuario) -> QuerySet[Dre]:
    if not user.is_authenticated:
        return Dre.objects.none()
    if ve_todo(user):
        return Dre.objects.all()
    ids = [a.dre_id for a in _asignaciones(user) if a.rol == Rol.ESPECIALISTA_DRE]
    return Dre.objects.filter(pk__in=ids)


def _get_or_404(qs: QuerySet, **lookup):
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def seccion_o_404(user: Usuario, uuid) -> Seccion:
    return _get_or_404(secciones_visibles(user).select_related("ie"), uuid=uuid)


def estudiante_o_404(user: Usuario, uuid) -> Estudiante:
    return _get_or_404(estudiantes_visibles(user), uuid=uuid)


def ie_o_404(user: Usuario, codigo: str) -> InstitucionEducativa:
    codigo_modular, _sep, anexo = codigo.partition("-")
    if not anexo.isdigit():
        raise Http404
    return _get_or_404(
        ies_visibles(user).select_related("ugel"),
        codigo_modular=codigo_modular,
        anexo=int(anexo),
    )


def ugel_o_404(user: Usuario, codigo: str) -> Ugel:
    return _get_or_404(ugeles_visibles(user).select_related("dre"), codigo=codigo)


def dre_o_404(user: Usuario, pk) -> Dre:
    return _get_or_404(dres_visibles(user), pk=pk)


def importaciones_visibles(user: Usuario) -> QuerySet[Importacion]:
    # Import history and rejection reports are national business (they may name
    # students of any region): Minedu and administrators only.
    if not ve_todo(user):
        return Importacion.objects.none()
    return Importacion.objects.all()


def importacion_o_404(user: Usuario, pk) -> Importacion:
    return _get_or_404(importaciones_visibles(user).select_related("usuario"), pk=pk)


def modelos_visibles(user: Usuario) -> QuerySet[ModeloRiesgo]:
    # Training, evaluating and publishing models is Minedu's job.
    if not ve_todo(user):
        return ModeloRiesgo.objects.none()
    return ModeloRiesgo.objects.all()


def modelo_o_404(user: Usuario, version: int) -> ModeloRiesgo:
    return _get_or_404(
        modelos_visibles(user).select_related("creado_por"), version=version
    )


def ies_que_dirige(user: Usuario, anio: int | None) -> QuerySet[InstitucionEducativa]:
    """IEs whose tutors the user may assign for school year `anio`: those they
    direct that year; every IE for Minedu and administrators. UGEL and DRE
    specialists see IEs but do not run them."""
    if not user.is_authenticated:
        return InstitucionEducativa.objects.none()
    if ve_todo(user):
        return InstitucionEducativa.objects.all()
    ids = [
        a.ie_id for a in _asignaciones(user) if a.rol == Rol.DIRECTOR and a.anio == anio
    ]
    return InstitucionEducativa.objects.filter(pk__in=ids)


def ie_dirigida_o_404(
    user: Usuario, codigo: str, anio: int | None
) -> InstitucionEducativa:
    codigo_modular, _sep, anexo = codigo.partition("-")
    if not anexo.isdigit():
        raise Http404
    return _get_or_404(
        ies_que_dirige(user, anio), codigo_modular=codigo_modular, anexo=int(anexo)
    )


def solo_minedu(vista: Callable) -> Callable:
    """A view of Minedu's (models, outcome computation): 404 for anyone else,
    before the method is checked, so that a POST-only URL answers 405 to
    Minedu only. Signs in first."""

    @login_required
    @wraps(vista)
    def envuelta(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not ve_todo(request.user):
            raise Http404
        return vista(request, *args, **kwargs)

    return envuelta
