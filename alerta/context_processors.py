from django.http import HttpRequest

from . import scoping
from .models import POR_QUE_SIN_RIESGO_QUINTO, SIN_RIESGO_QUINTO, Rol


def navegacion(request: HttpRequest) -> dict:
    # Lazy: evaluated only when a template asks, and then at most one query
    # (the user's roles, cached on the user for the rest of the request).
    return {
        "ve_importaciones": lambda: scoping.ve_todo(request.user),
        # Pilots: Minedu designs them, a UGEL's specialists read their units.
        "ve_pilotos": lambda: bool(
            scoping.ve_todo(request.user)
            or Rol.ESPECIALISTA_UGEL in scoping.roles_de(request.user)
        ),
    }


def quinto_de_secundaria(request: HttpRequest) -> dict:
    """The words every page uses for 5.º de secundaria, never scored."""
    return {
        "sin_riesgo_quinto": SIN_RIESGO_QUINTO,
        "por_que_sin_riesgo_quinto": POR_QUE_SIN_RIESGO_QUINTO,
    }


def sin_conexion(request: HttpRequest) -> dict:
    """Whether the page offers offline use: only to a signed-in tutor or director
    (the outbox, the service worker, the "Sincronizar ahora" button)."""
    return {
        "usa_sin_conexion": lambda: bool(
            scoping.roles_de(request.user) & {Rol.TUTOR, Rol.DIRECTOR}
        )
    }
