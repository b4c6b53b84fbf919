"""Request limits of the API: one per token and one per user, whatever the
credential (API_LIMITE_POR_TOKEN, API_LIMITE_POR_USUARIO).

The counts live in the cache: with several web processes the limits are exact
only with a shared cache (CACHE_URL=redis://..., as in production).
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext, ngettext
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from alerta.models import TokenApi

if TYPE_CHECKING:
    # Not at run time: DRF imports this module while rest_framework.views loads.
    from rest_framework.views import APIView


class _Limite(SimpleRateThrottle):
    def get_rate(self) -> str:
        # DRF binds THROTTLE_RATES when it is imported; read them now, so that
        # a changed setting (a test's) counts.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class LimitePorToken(_Limite):
    scope = "token"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if not isinstance(request.auth, TokenApi):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class LimitePorUsuario(_Limite):
    scope = "usuario"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


def manejar_excepcion(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, with a Spanish detail for a throttled request (DRF's own
    Spanish says "Solicitud fue regulada (throttled)")."""
    if isinstance(exc, Throttled):
        # DRF has rounded the wait up to whole seconds already (or has none).
        segundos = exc.wait
        if segundos:
            detalle = ngettext(
                "Demasiadas solicitudes. Vuelva a intentar en %(segundos)s segundo.",
                "Demasiadas solicitudes. Vuelva a intentar en %(segundos)s segundos.",
                segundos,
            ) % {"segundos": segundos}
        else:
            detalle = gettext(
                "Demasiadas solicitudes. Vuelva a intentar en un momento."
            )
        # Built without `wait`, which would append DRF's own sentence; the
        # handler still reads it for the Retry-After header.
        nueva = Throttled(detail=detalle)
        nueva.wait = segundos
        exc = nueva
    from rest_framework.views import exception_handler

    return exception_handler(exc, context)
