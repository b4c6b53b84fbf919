"""Signing in with a DNI, an e-mail address or a username, and a cap on failures.

Accounts provisioned from the personal_<AAAA> file have the DNI as username and
as numero_documento; people remember their DNI or their e-mail, rarely a
username. Failed attempts are counted by django-axes, keyed so that its tables
and logs never hold a DNI or an e-mail address.
"""

from asgiref.sync import sync_to_async
from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from .models import Usuario

UserModel = get_user_model()


def usuario_por_identificador(identificador: str | None) -> Usuario | None:
    """The account a person means by what they typed in the login form.

    An exact username wins (ModelBackend's meaning), then the document number,
    then the e-mail address, case-insensitively, only when a single account
    has it: an address shared by two accounts signs in neither.
    """
    valor = (identificador or "").strip()
    if not valor:
        return None
    prioridad = [When(username=valor, then=Value(0))]
    condicion = Q(username=valor)
    if valor.isdigit():
        prioridad.append(When(numero_documento=valor, then=Value(1)))
        condicion |= Q(numero_documento=valor)
    if "@" in valor:
        condicion |= Q(email__iexact=valor)
    candidatos = list(
        UserModel._default_manager.filter(condicion)
        .annotate(
            prioridad=Case(*prioridad, default=Value(2), output_field=IntegerField())
        )
        .order_by("prioridad", "pk")[:2]
    )
    if not candidatos:
        return None
    primero = candidatos[0]
    if primero.prioridad < 2 or len(candidatos) == 1:
        return primero
    return None


class IngresoPorDniOCorreo(ModelBackend):
    """ModelBackend that also accepts a DNI or an e-mail address as `username`."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs,
    ) -> Usuario | None:
        if username is None:
            username = kwargs.get(UserModel.USERNAME_FIELD)
        if username is None or password is None:
            return None
        usuario = usuario_por_identificador(username)
        if usuario is None:
            # Run the default password hasher once to reduce the timing
            # difference between an existing and a nonexistent user, as
            # ModelBackend does (Django ticket #20760).
            UserModel().set_password(password)
            return None
        if usuario.check_password(password) and self.user_can_authenticate(usuario):
            return usuario
        return None

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        return await sync_to_async(self.authenticate)(
            request, username=username, password=password, **kwargs
        )


class LimiteDeIntentos(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS.

    Logins from the web (login page, admin, API) always come with a request.
    Without one (a management command, the test client's `login()`) there is
    no client to lock out, and axes would refuse to run: skip the check.
    """

    def authenticate(self, request: HttpRequest | None, *args, **kwargs) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)

    async def aauthenticate(self, request, *args, **kwargs) -> None:
        return await sync_to_async(self.authenticate)(request, *args, **kwargs)


def clave_de_intentos(request: HttpRequest, credentials: dict | None) -> str:
    """The name under which axes counts failures (AXES_USERNAME_CALLABLE).

    The same person typing their DNI or their e-mail in any case counts once,
    as "usuario:<pk>", so that a successful login clears both. An identifier
    that matches no account is counted under a keyed hash of it: neither
    form stores a DNI or an address in axes' tables.
    """
    if credentials:
        identificador = credentials.get(UserModel.USERNAME_FIELD)
    else:
        identificador = request.POST.get(UserModel.USERNAME_FIELD)
    valor = (identificador or "").strip()
    # axes asks several times per request: resolve each identifier once.
    cache = request.__dict__.setdefault("_alerta_claves_intentos", {})
    if valor not in cache:
        usuario = usuario_por_identificador(valor)
        if usuario is not None:
            cache[valor] = f"usuario:{usuario.pk}"
        else:
            huella = salted_hmac("alerta.auth.intentos", valor.lower()).hexdigest()
            cache[valor] = f"otro:{huella[:32]}"
    return cache[valor]


def cliente_para_log(
    username: str, ip_address: str, user_agent: str, path_info, request
) -> str:
    """What axes writes in the log about a client (AXES_CLIENT_STR_CALLABLE):
    the page only, never who or from where."""
    if isinstance(path_info, list | tuple):
        path_info = path_info[0] if path_info else ""
    return f"{{path_info: {path_info!r}}}"
