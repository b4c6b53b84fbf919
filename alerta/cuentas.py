"""Accounts: forgotten passwords, and the tutors a director gives each sección.

Services (writes) and the one read the tutor page needs. Who may call them is
decided in alerta/scoping.py; these functions trust their arguments.
"""

import json
import logging
import unicodedata

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .models import Asignacion, InstitucionEducativa, Rol, Seccion, Usuario
from .services import enlace_con_token, primer_ingreso_enviar
from .tokens import token_clave_olvidada

logger = logging.getLogger(__name__)


def enlace_clave_olvidada(usuario: Usuario) -> str:
    return enlace_con_token(usuario, "clave_restablecer", token_clave_olvidada)


def _mismo_correo(a: str, b: str) -> bool:
    # The comparison Django's PasswordResetForm makes after its iexact query.
    return (
        unicodedata.normalize("NFKC", a).casefold()
        == unicodedata.normalize("NFKC", b).casefold()
    )


def clave_olvidada_solicitar(*, email: str) -> None:
    """Queue the forgotten-password e-mail for `email` once the request commits.

    The request does this and nothing else, whether or not an account has the
    address: the task looks it up and mails, so neither the answer nor its
    time tells who has an account. The address travels to the worker only as
    the task's argument, shown masked in Celery's logs and events.
    """
    from .tasks import enviar_clave_olvidada

    transaction.on_commit(
        lambda: enviar_clave_olvidada.apply_async(
            kwargs={"email": email}, kwargsrepr="{'email': '…'}"
        )
    )


def clave_olvidada_enviar(*, email: str) -> None:
    """Mail a reset link to each active account with this address (run by the
    task that clave_olvidada_solicitar queues).

    An account never activated (no usable password) gets its first-login link
    again instead. Nothing tells the caller whether an account matched.
    """
    for usuario in Usuario.objects.filter(email__iexact=email, is_active=True):
        if not _mismo_correo(email, usuario.email):
            continue
        try:
            if not usuario.has_usable_password():
                primer_ingreso_enviar(usuario=usuario)
                continue
            ctx = {"usuario": usuario, "enlace": enlace_clave_olvidada(usuario)}
            send_mail(
                subject=_("Alerta Escuela: restablezca su contraseña"),
                message=render_to_string("registration/clave_olvidada_correo.txt", ctx),
                from_email=None,
                recipient_list=[usuario.email],
            )
        except Exception as exc:
            # The log names the account by its id and the error by its type
            # only: a mail server's message may quote the address.
            logger.error(
                "No se pudo enviar el correo de clave a usuario %s (%s)",
                usuario.pk,
                type(exc).__name__,
            )


def docentes_de_ie(ie: InstitucionEducativa) -> QuerySet[Usuario]:
    """The accounts a director may pick as tutor: active accounts that are or
    were tutor of a sección of this IE (any year), or director of it."""
    ids = Asignacion.objects.filter(
        Q(rol=Rol.TUTOR, seccion__ie=ie) | Q(rol=Rol.DIRECTOR, ie=ie)
    ).values("usuario_id")
    return Usuario.objects.filter(is_active=True, pk__in=ids).order_by(
        "last_name", "first_name", "pk"
    )


def _registrar(
    *, por: Usuario, asignacion: Asignacion, flag: int, mensaje: list
) -> LogEntry:
    # Who changed which assignment and when, in the admin's history, by id
    # only (an Asignacion's str() names the person).
    return LogEntry.objects.create(
        user=por,
        content_type=ContentType.objects.get_for_model(Asignacion),
        object_id=str(asignacion.pk),
        object_repr=f"asignación #{asignacion.pk}",
        action_flag=flag,
        change_message=json.dumps(mensaje),
    )


@transaction.atomic
def seccion_tutor_asignar(*, seccion: Seccion, tutor: Usuario, por: Usuario) -> bool:
    """Make `tutor` the only active tutor of `seccion`. Previous tutors'
    assignments are deactivated, never deleted. Returns False when nothing
    changed. A tutor who never activated their account is mailed the
    first-login link once the change is committed."""
    from .tasks import enviar_primer_ingreso

    # Serialises two directors assigning the same sección at once.
    Seccion.objects.select_for_update().filter(pk=seccion.pk).first()
    cambio = False
    suya = None
    for a in Asignacion.objects.filter(rol=Rol.TUTOR, seccion=seccion):
        if a.usuario_id == tutor.pk:
            suya = a
        elif a.activa:
            a.activa = False
            a.save(update_fields=["activa"])
            _registrar(
                por=por,
                asignacion=a,
                flag=CHANGE,
                mensaje=[{"changed": {"fields": ["activa"]}}],
            )
            cambio = True
    if suya is None:
        # One row per person and sección (asignacion_tutor_unica): a tutor
        # who comes back gets their old row reactivated.
        suya = Asignacion.objects.create(usuario=tutor, rol=Rol.TUTOR, seccion=seccion)
        _registrar(por=por, asignacion=suya, flag=ADDITION, mensaje=[{"added": {}}])
        cambio = True
    elif not suya.activa:
        suya.activa = True
        suya.save(update_fields=["activa"])
        _registrar(
            por=por,
            asignacion=suya,
            flag=CHANGE,
            mensaje=[{"changed": {"fields": ["activa"]}}],
        )
        cambio = True
    if cambio and not tutor.has_usable_password():
        transaction.on_commit(lambda: enviar_primer_ingreso.delay(tutor.pk))
    return cambio


@transaction.atomic
def seccion_tutor_nuevo(
    *,
    seccion: Seccion,
    numero_documento: str,
    nombres: str,
    apellidos: str,
    email: str,
    por: Usuario,
) -> tuple[Usuario, bool]:
    """Give `seccion` a tutor identified by DNI, creating their account when
    there is none (no usable password: they choose it from the first-login
    link). An existing account is used as it is: its names and address are
    not changed from here, which would let anyone who knows a DNI redirect
    that person's password e-mails. Returns the account and whether it was
    created."""
    existente = (
        Usuario.objects.filter(
            Q(numero_documento=numero_documento) | Q(username=numero_documento)
        )
        .order_by("pk")
        .first()
    )
    if existente is not None:
        if not existente.is_active:
            raise ValidationError(
                _(
                    "La cuenta de ese DNI está desactivada. Pida a la UGEL o al "
                    "administrador que la reactive."
                ),
                code="inactiva",
            )
        seccion_tutor_asignar(seccion=seccion, tutor=existente, por=por)
        return existente, False
    usuario = Usuario(
        username=numero_documento,
        numero_documento=numero_documento,
        first_name=nombres,
        last_name=apellidos,
        email=email,
    )
    usuario.set_unusable_password()
    usuario.save()
    seccion_tutor_asignar(seccion=seccion, tutor=usuario, por=por)
    return usuario, True


def correo_en_uso(email: str, *, salvo_documento: str = "") -> bool:
    """Whether another account already has this address (login by e-mail needs
    each address on one account only)."""
    qs = Usuario.objects.filter(email__iexact=email)
    if salvo_documento:
        qs = qs.exclude(numero_documento=salvo_documento).exclude(
            username=salvo_documento
        )
    return qs.exists()
