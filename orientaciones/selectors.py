"""Which guidance a user may read.

Every way in (the library pages, the links from a student's factors, the API)
goes through `orientaciones_para`, so an item for another audience, or one not
yet published, is a 404 whatever the URL.
"""

from django.db.models import QuerySet
from django.http import Http404

from alerta.models import Rol, Usuario
from alerta.scoping import roles_de, ve_todo

from .models import Audiencia, Orientacion

AUDIENCIA_POR_ROL: dict[str, str] = {
    Rol.TUTOR: Audiencia.DOCENTE,
    Rol.DIRECTOR: Audiencia.DIRECTOR,
    Rol.ESPECIALISTA_UGEL: Audiencia.ESPECIALISTA,
    Rol.ESPECIALISTA_DRE: Audiencia.ESPECIALISTA,
}


def audiencias_de(user: Usuario) -> set[str]:
    if ve_todo(user):
        return set(Audiencia.values)
    return {
        AUDIENCIA_POR_ROL[rol] for rol in roles_de(user) if rol in AUDIENCIA_POR_ROL
    }


def orientaciones_para(
    user: Usuario, *, nivel: str = "", factor: str = ""
) -> QuerySet[Orientacion]:
    qs = Orientacion.objects.publicadas().para_audiencias(audiencias_de(user))
    if nivel:
        qs = qs.para_nivel(nivel)
    if factor:
        qs = qs.del_factor(factor)
    return qs


def orientacion_o_404(user: Usuario, slug: str) -> Orientacion:
    try:
        return orientaciones_para(user).get(slug=slug)
    except Orientacion.DoesNotExist as exc:
        raise Http404 from exc
