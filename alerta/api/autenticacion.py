"""Personal API tokens in the Authorization header: `Authorization: Token <secret>`.

A token authenticates as its user: whatever the API answers is then decided by
alerta.scoping from that user's current assignments, exactly as for the
browser. A token opens nothing its user does not see, and stops opening it as
soon as the user loses the assignment.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from alerta.models import TokenApi, Usuario

ESQUEMA = "Token"
# Recording the last use costs a write: at most one a minute per token.
ANOTAR_USO_CADA = timedelta(minutes=1)

INVALIDO = _("Token inválido.")
MAL_ESCRITO = _(
    "Cabecera Authorization mal escrita: debe ser «Token» seguido de un espacio "
    "y el token."
)
VENCIDO = _("Este token venció. Cree uno nuevo en el portal (Tokens de API).")
REVOCADO = _("Este token fue revocado. Cree uno nuevo en el portal (Tokens de API).")
CUENTA_INACTIVA = _("La cuenta de este token está desactivada.")


class TokenAutenticacion(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Usuario, TokenApi] | None:
        partes = get_authorization_header(request).split()
        if not partes or partes[0].lower() != ESQUEMA.lower().encode():
            return None  # not ours: the session may authenticate the request
        if len(partes) != 2:
            raise AuthenticationFailed(MAL_ESCRITO)
        try:
            secreto = partes[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(INVALIDO) from None
        return self._verificar(secreto)

    def _verificar(self, secreto: str) -> tuple[Usuario, TokenApi]:
        candidatos = TokenApi.objects.filter(
            prefijo=secreto[: TokenApi.LARGO_PREFIJO]
        ).select_related("usuario")
        token = next((t for t in candidatos if t.coincide(secreto)), None)
        # Whoever holds the whole secret may learn why it no longer works.
        if token is None:
            raise AuthenticationFailed(INVALIDO)
        if token.revocado is not None:
            raise AuthenticationFailed(REVOCADO)
        if token.vencido:
            raise AuthenticationFailed(VENCIDO)
        if not token.usuario.is_active:
            raise AuthenticationFailed(CUENTA_INACTIVA)
        ahora = timezone.now()
        if token.ultimo_uso is None or ahora - token.ultimo_uso >= ANOTAR_USO_CADA:
            TokenApi.objects.filter(pk=token.pk).update(ultimo_uso=ahora)
            token.ultimo_uso = ahora
        return token.usuario, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return ESQUEMA


class EsquemaTokenAutenticacion(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (drf-spectacular finds it
    by the class it names)."""

    target_class = TokenAutenticacion
    name = "token"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "«Token» seguido de un espacio y el token personal creado en el "
                "portal (Tokens de API)."
            ),
        }
