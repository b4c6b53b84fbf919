import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import RegistroAcceso, TokenApi, Usuario
from .tokens import token_primer_ingreso


def registro_acceso_crear(
    *, usuario: Usuario, accion: str, objeto: str
) -> RegistroAcceso:
    """Record that a user viewed or downloaded nominal data about students."""
    return RegistroAcceso.objects.create(usuario=usuario, accion=accion, objeto=objeto)


def enlace_con_token(usuario: Usuario, vista: str, generador) -> str:
    """An absolute one-time link to `vista` (uidb64 + a token of `generador`)."""
    ruta = reverse(
        vista,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(usuario.pk)),
            "token": generador.make_token(usuario),
        },
    )
    return settings.SITIO_URL.rstrip("/") + ruta


def enlace_primer_ingreso(usuario: Usuario) -> str:
    """A one-time link to choose a password for the first time."""
    return enlace_con_token(usuario, "primer_ingreso", token_primer_ingreso)


def primer_ingreso_enviar(*, usuario: Usuario) -> bool:
    """E-mail a provisioned person the link to activate their account."""
    if not usuario.email or usuario.has_usable_password():
        return False
    ctx = {"usuario": usuario, "enlace": enlace_primer_ingreso(usuario)}
    send_mail(
        subject=_("Alerta Escuela: active su cuenta"),
        message=render_to_string("registration/primer_ingreso_correo.txt", ctx),
        from_email=None,
        recipient_list=[usuario.email],
    )
    return True


def token_api_crear(
    *, usuario: Usuario, nombre: str, dias: int, solo_lectura: bool
) -> tuple[TokenApi, str]:
    """A new personal API token of `usuario`, valid for `dias` days.

    Returns the row and the secret: the only time the secret exists in clear.
    """
    maximo = settings.TOKEN_API_DIAS_MAXIMO
    if not 1 <= dias <= maximo:
        raise ValidationError(
            _("Un token dura entre 1 y %(maximo)s días.") % {"maximo": maximo}
        )
    secreto = TokenApi.MARCA + secrets.token_urlsafe(32)
    token = TokenApi.objects.create(
        usuario=usuario,
        nombre=nombre,
        prefijo=secreto[: TokenApi.LARGO_PREFIJO],
        hash=TokenApi.hash_de(secreto),
        expira=timezone.now() + timedelta(days=dias),
        solo_lectura=solo_lectura,
    )
    return token, secreto


def token_api_revocar(*, usuario: Usuario, token_id: int) -> TokenApi:
    """Revoke one of the user's own tokens (another's raises DoesNotExist, as
    one that does not exist). Revoking twice keeps the first date."""
    token = TokenApi.objects.get(usuario=usuario, pk=token_id)
    if token.revocado is None:
        token.revocado = timezone.now()
        token.save(update_fields=["revocado"])
    return token
