"""Sending the weekly digest and saving each user's choice."""

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from alerta.models import Usuario
from pilotos import brazos
from pilotos.models import TipoRecepcion
from riesgo.selectors import ejecucion_vigente
from seguimiento.resumen import DIAS_SIN_ACCION
from seguimiento.services import mes_actual

from . import selectors
from .models import EnvioResumen, PreferenciaAvisos

logger = logging.getLogger(__name__)


class ResumenesNoEnviados(Exception):
    """Some digests of a batch could not be sent (their claims were undone)."""


def preferencia_avisos_guardar(
    *, usuario: Usuario, resumen_semanal: bool
) -> PreferenciaAvisos:
    preferencia, _creada = PreferenciaAvisos.objects.update_or_create(
        usuario=usuario, defaults={"resumen_semanal": resumen_semanal}
    )
    return preferencia


def recibe_resumen_semanal(usuario: Usuario) -> bool:
    return not PreferenciaAvisos.objects.filter(
        usuario=usuario, resumen_semanal=False
    ).exists()


def _absoluta(ruta: str) -> str:
    return settings.SITIO_URL.rstrip("/") + ruta


def _mensaje(
    usuario: Usuario, resumen: selectors.Resumen, *, semana: date, mes: date
) -> EmailMultiAlternatives:
    ctx = {
        "usuario": usuario,
        "semana": semana,
        "mes": mes,
        "dias_sin_accion": DIAS_SIN_ACCION,
        "resumen": resumen,
        "enlace": _absoluta(resumen.ruta),
        "enlace_preferencias": _absoluta(reverse("avisos:preferencias")),
    }
    asunto = _("Alerta Escuela: resumen de la semana del %(fecha)s") % {
        "fecha": formats.date_format(semana, "SHORT_DATE_FORMAT")
    }
    mensaje = EmailMultiAlternatives(
        subject=asunto,
        body=render_to_string("avisos/resumen_semanal.txt", ctx),
        to=[usuario.email],
    )
    mensaje.attach_alternative(
        render_to_string("avisos/resumen_semanal.html", ctx), "text/html"
    )
    return mensaje


def resumen_enviar(
    *,
    usuario: Usuario,
    semana: date,
    resumen: selectors.Resumen,
    mes: date,
    reparto: brazos.Reparto = brazos.SIN_PILOTO,
) -> bool:
    """Send `usuario` the digest of `semana` unless it was sent already.

    The week is claimed (EnvioResumen) in the same transaction as the send: a
    second run, or a second worker at the same time, fails to insert the same
    claim and sends nothing; if the send fails the claim is rolled back, so
    the next attempt sends it. A claim that fails to commit after the mail
    left would let it go twice, the lesser evil next to losing it.

    `reparto`: the acting pilot units of the user's IEs (pilotos.brazos); that
    each received this week's digest is recorded with the claim."""
    mensaje = _mensaje(usuario, resumen, semana=semana, mes=mes)
    try:
        with transaction.atomic():
            EnvioResumen.objects.create(usuario=usuario, semana=semana)
            brazos.recepciones_registrar(
                repartos={usuario.pk: reparto},
                tipo=TipoRecepcion.RESUMEN,
                referencia=semana.isoformat(),
                entregada=True,
            )
            mensaje.send()
    except IntegrityError:
        return False
    return True


def resumenes_enviar(*, usuario_ids: list[int], semana: date) -> int:
    """Send the digest of `semana` to each of `usuario_ids` who should still
    get it (the recipients are read again: someone may have switched it off
    since the batch was queued). Returns how many were sent; raises
    ResumenesNoEnviados after trying everyone if any send failed.

    A pilot's arm acting today may withhold it (pilotos.brazos): those users
    get nothing, and that their units' digest was withheld this week is
    recorded once. Users outside any acting pilot get it as always."""
    ejecucion = ejecucion_vigente()
    anterior = selectors.ejecucion_de_comparacion(ejecucion)
    mes = mes_actual()
    usuarios = list(
        selectors.destinatarios(semana=semana, ejecucion=ejecucion).filter(
            pk__in=usuario_ids
        )
    )
    repartos = brazos.resumen_permitido([u.pk for u in usuarios], timezone.localdate())
    retenidos = {pk: r for pk, r in repartos.items() if not r.permitido}
    brazos.recepciones_registrar(
        repartos=retenidos, tipo=TipoRecepcion.RESUMEN, referencia=semana.isoformat()
    )
    enviados, fallidos = 0, 0
    with translation.override(settings.LANGUAGE_CODE):
        for usuario in usuarios:
            reparto = repartos.get(usuario.pk, brazos.SIN_PILOTO)
            if not reparto.permitido:
                continue
            try:
                resumen = selectors.resumen_de(
                    usuario, ejecucion=ejecucion, anterior=anterior, mes=mes
                )
                enviados += resumen_enviar(
                    usuario=usuario,
                    semana=semana,
                    resumen=resumen,
                    mes=mes,
                    reparto=reparto,
                )
            except Exception as exc:
                # The account by its id and the error by its type only: a mail
                # server's message may quote the address.
                logger.error(
                    "No se pudo enviar el resumen semanal a usuario %s (%s)",
                    usuario.pk,
                    type(exc).__name__,
                )
                fallidos += 1
    if fallidos:
        raise ResumenesNoEnviados(f"{fallidos} de {len(usuario_ids)}")
    return enviados
