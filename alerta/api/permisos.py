from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from alerta.models import TokenApi

if TYPE_CHECKING:
    # Not at run time: DRF imports this module while rest_framework.views loads.
    from rest_framework.views import APIView


class SoloLecturaConToken(BasePermission):
    """A read-only token may only read (GET, HEAD, OPTIONS); a full token and a
    session may do whatever the view allows its user.

    DRF checks permissions before it looks for the method's handler: a
    read-only token gets 403 even where the method does not exist (405 for
    the others)."""

    message = _(
        "Este token es de solo lectura: solo permite consultar (GET, HEAD, OPTIONS)."
    )

    def has_permission(self, request: Request, view: "APIView") -> bool:
        token = request.auth
        if isinstance(token, TokenApi) and token.solo_lectura:
            return request.method in SAFE_METHODS
        return True
