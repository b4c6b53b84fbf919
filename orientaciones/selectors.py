"""Which guidance a user may read.

Every way in (the library pages, the links from a student's factors, the API)
goes through `orientaciones_para`, so an item for another audience, or one not
yet published, is a 404 whatever the URL.

Each role reads the items written for it and those of the people it
accompanies (docs/decisions/0020): a director also reads what tutors are
asked to do, a UGEL or DRE specialist what directors and tutors are asked to
do. The role's own items come first.
"""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from alerta.models import Rol, Usuario
from alerta.scoping import roles_de, ve_todo

from .models import Audiencia, Orientacion

# Each role's audiences, its own first.
AUDIENCIAS_POR_ROL: dict[str, tuple[str, ...]] = {
    Rol.TUTOR: (Audiencia.DOCENTE,),
    Rol.DIRECTOR: (Audiencia.DIRECTOR, Audiencia.DOCENTE),
    Rol.ESPECIALISTA_UGEL: (
        Audiencia.ESPECIALISTA,
        Audiencia.DIRECTOR,
        Audiencia.DOCENTE,
    ),
    Rol.ESPECIALISTA_DRE: (
        Audiencia.ESPECIALISTA,
        Audiencia.DIRECTOR,
        Audiencia.DOCENTE,
    ),
}


def audiencias_de(user: Usuario) -> dict[str, int]:
    """The audiences the user reads, each with its rank (0 = their own)."""
    if ve_todo(user):
        return {audiencia: 0 for audiencia in Audiencia.values}
    rangos: dict[str, int] = {}
    for rol in roles_de(user):
        for rango, audiencia in enumerate(AUDIENCIAS_POR_ROL.get(rol, ())):
            rangos[audiencia] = min(rango, rangos.get(audiencia, rango))
    return rangos


def orientaciones_para(
    user: Usuario, *, nivel: str = "", factor: str = ""
) -> QuerySet[Orientacion]:
    rangos = audiencias_de(user)
    qs = Orientacion.objects.publicadas().para_audiencias(set(rangos))
    if nivel:
        qs = qs.para_nivel(nivel)
    if factor:
        qs = qs.del_factor(factor)
    propia_primero = Case(
        *(When(audiencia=a, then=Value(r)) for a, r in rangos.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    return qs.order_by(propia_primero, "orden", "titulo")


def orientacion_o_404(user: Usuario, slug: str) -> Orientacion:
    try:
        return orientaciones_para(user).get(slug=slug)
    except Orientacion.DoesNotExist as exc:
        raise Http404 from exc
