"""Writes of the trainings: a session and its invitations, the e-mails, the
attendance. Who may call them is decided in capacitaciones.scoping; the rules
checked here whoever calls are that only current teachers of the session's
UGEL are invited, and that a pilot's acting arm admits the session's modality
for each of them (pilotos.brazos), when planning and again when sending."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from alerta.models import InstitucionEducativa, Ugel, Usuario
from pilotos import brazos
from pilotos.models import Recepcion, TipoRecepcion

from .models import (
    Capacitacion,
    Invitacion,
    Modalidad,
    validar_cantidad_de_docentes,
)
from .scoping import asignaciones_docentes, ie_de_asignacion

logger = logging.getLogger(__name__)


def _ies_de_docentes(
    *,
    ugel: Ugel,
    anio: int | None,
    docentes: list[Usuario],
    ies: Iterable[InstitucionEducativa] | None,
) -> dict[int, int]:
    """Each teacher's IE (pk) in the UGEL, preferring those in `ies`; a
    ValidationError when one is not a current teacher of the UGEL."""
    de_la_ugel = InstitucionEducativa.objects.filter(ugel=ugel)
    preferidas = {ie.pk for ie in ies} if ies is not None else set()
    ie_por_docente: dict[int, int] = {}
    for a in asignaciones_docentes(de_la_ugel, anio).filter(
        usuario__in=[d.pk for d in docentes]
    ):
        ie = ie_de_asignacion(a)
        actual = ie_por_docente.get(a.usuario_id)
        if actual is None or (ie in preferidas and actual not in preferidas):
            ie_por_docente[a.usuario_id] = ie
    if any(d.pk not in ie_por_docente for d in docentes):
        raise ValidationError(
            _(
                "Solo se puede invitar a docentes tutores o directores de este año "
                "en una IE de esta UGEL."
            ),
            code="docente_de_otra_ugel",
        )
    return ie_por_docente


def _retenidas(reparto: brazos.Reparto, modalidad: str) -> list[str]:
    """Why the arms keep a teacher from a session of `modalidad`: one
    sentence per IE, naming the IE's code and the evaluation (no student)."""
    frases = []
    for b in reparto.retienen:
        datos = {
            "ie": b.ie_codigo,
            "brazo": b.brazo.get("codigo", ""),
            "evaluacion": b.evaluacion.nombre,
            "modalidad": Modalidad(modalidad).label.lower(),
        }
        if b.capacitacion:
            datos["admitida"] = Modalidad(b.capacitacion).label.lower()
            frase = _(
                "La IE %(ie)s está en el brazo %(brazo)s de la evaluación "
                "«%(evaluacion)s»: mientras sus brazos actúan, sus docentes solo "
                "pueden ser invitados a capacitaciones de modalidad %(admitida)s, "
                "no %(modalidad)s."
            )
        else:
            frase = _(
                "La IE %(ie)s está en el brazo %(brazo)s de la evaluación "
                "«%(evaluacion)s»: mientras sus brazos actúan, sus docentes no "
                "reciben invitaciones a capacitaciones."
            )
        frases.append(frase % datos)
    return frases


def _si_los_brazos_admiten(
    *, usuario_ids: list[int], modalidad: str, anio: int | None
) -> None:
    """Refuse a session whose invitees a pilot's acting arm keeps from
    trainings of `modalidad` (pilotos.brazos)."""
    repartos = brazos.invitaciones_permitidas(
        usuario_ids, modalidad, timezone.localdate(), anio=anio
    )
    frases = sorted(
        {
            f
            for r in repartos.values()
            if not r.permitido
            for f in _retenidas(r, modalidad)
        }
    )
    if frases:
        raise ValidationError(
            [ValidationError(f, code="brazo_no_admite") for f in frases]
        )


@transaction.atomic
def capacitacion_crear(
    *,
    ugel: Ugel,
    anio: int | None,
    modalidad: str,
    fecha: dt.date,
    hora: dt.time | None = None,
    lugar: str = "",
    enlace: str = "",
    tema: str = "",
    notas: str = "",
    docentes: list[Usuario],
    ies: Iterable[InstitucionEducativa] | None = None,
    por: Usuario,
) -> Capacitacion:
    """A session of `ugel` with `docentes` invited (not e-mailed yet)."""
    docentes = list({d.pk: d for d in docentes}.values())
    validar_cantidad_de_docentes(modalidad, len(docentes))
    ie_por_docente = _ies_de_docentes(ugel=ugel, anio=anio, docentes=docentes, ies=ies)
    _si_los_brazos_admiten(
        usuario_ids=[d.pk for d in docentes], modalidad=modalidad, anio=anio
    )
    capacitacion = Capacitacion(
        ugel=ugel,
        modalidad=modalidad,
        fecha=fecha,
        hora=hora,
        lugar=lugar,
        enlace=enlace,
        tema=tema,
        notas=notas,
        creada_por=por,
    )
    capacitacion.full_clean()
    capacitacion.save()
    Invitacion.objects.bulk_create(
        Invitacion(capacitacion=capacitacion, usuario=d, ie_id=ie_por_docente[d.pk])
        for d in docentes
    )
    return capacitacion


def capacitacion_editar(*, capacitacion: Capacitacion, **campos) -> Capacitacion:
    """Change the session's date, time, place, link, topic or notes; its
    modality must still fit its invitees."""
    permitidos = {"modalidad", "fecha", "hora", "lugar", "enlace", "tema", "notas"}
    # Only a new modality asks the arms again: a session planned before a
    # pilot was published keeps its place and time editable.
    cambia_modalidad = campos.get("modalidad", capacitacion.modalidad) != (
        capacitacion.modalidad
    )
    for campo, valor in campos.items():
        if campo not in permitidos:
            raise TypeError(campo)
        setattr(capacitacion, campo, valor)
    validar_cantidad_de_docentes(
        capacitacion.modalidad, capacitacion.invitaciones.count()
    )
    if cambia_modalidad:
        _si_los_brazos_admiten(
            usuario_ids=list(
                capacitacion.invitaciones.values_list("usuario_id", flat=True)
            ),
            modalidad=capacitacion.modalidad,
            anio=None,
        )
    capacitacion.full_clean()
    capacitacion.save()
    return capacitacion


def retenidas_por_brazos(
    *, capacitacion: Capacitacion, usuario_ids: list[int]
) -> dict[int, brazos.Reparto]:
    """What a pilot's arms acting today say of inviting each of `usuario_ids`
    to this session (those in no acting unit are left out)."""
    return brazos.invitaciones_permitidas(
        usuario_ids, capacitacion.modalidad, timezone.localdate()
    )


def invitaciones_enviar(*, capacitacion: Capacitacion) -> tuple[int, int, int]:
    """E-mail the invitation to every invitee not yet invited who has an
    address, and mark when it went. Returns (sent, without an address,
    withheld). A second call sends only to those the first did not reach.

    A pilot's arm acting today may keep a teacher from this modality
    (pilotos.brazos; it may have been published after the session was
    planned): that invitation is not sent, and it is recorded as withheld
    for the teacher's units; a sent one is recorded as received."""
    enviadas = sin_correo = 0
    pendientes = list(
        capacitacion.invitaciones.filter(invitada__isnull=True).select_related(
            "usuario", "ie"
        )
    )
    repartos = retenidas_por_brazos(
        capacitacion=capacitacion, usuario_ids=[i.usuario_id for i in pendientes]
    )
    retenidas = {pk: r for pk, r in repartos.items() if not r.permitido}
    registro = {
        "tipo": TipoRecepcion.INVITACION,
        "referencia": str(capacitacion.pk),
        "modalidad": capacitacion.modalidad,
    }
    brazos.recepciones_registrar(repartos=retenidas, **registro)
    entregadas: dict[int, brazos.Reparto] = {}
    for invitacion in pendientes:
        usuario = invitacion.usuario
        if usuario.pk in retenidas:
            continue
        if not usuario.email:
            sin_correo += 1
            continue
        # Claimed before sending: of two presses at once, only one mails.
        reclamada = Invitacion.objects.filter(
            pk=invitacion.pk, invitada__isnull=True
        ).update(invitada=timezone.now())
        if not reclamada:
            continue
        ctx = {"capacitacion": capacitacion, "invitacion": invitacion}
        try:
            send_mail(
                subject=_("Alerta Escuela: invitación a una capacitación"),
                message=render_to_string("capacitaciones/invitacion_correo.txt", ctx),
                from_email=None,
                recipient_list=[usuario.email],
            )
        except Exception as exc:
            # By ids and the error's type only: a server's message may quote
            # the address.
            logger.error(
                "No se pudo enviar la invitación %s (%s)",
                invitacion.pk,
                type(exc).__name__,
            )
            # Not sent: the next press tries again.
            Invitacion.objects.filter(pk=invitacion.pk).update(invitada=None)
            continue
        enviadas += 1
        if usuario.pk in repartos:
            entregadas[usuario.pk] = repartos[usuario.pk]
    brazos.recepciones_registrar(repartos=entregadas, entregada=True, **registro)
    return enviadas, sin_correo, len(retenidas)


def asistencia_registrar(*, capacitacion: Capacitacion, asistieron: set[int]) -> None:
    """Record who attended: the invitees whose user pk is in `asistieron`
    attended, the others did not. For invitees in a pilot's unit whose arm
    acted on the session's day, the attendance is recorded for the unit
    (pilotos.Recepcion); a correction removes it."""
    invitaciones = capacitacion.invitaciones.all()
    invitaciones.filter(usuario_id__in=asistieron).update(asistio=True)
    invitaciones.exclude(usuario_id__in=asistieron).update(asistio=False)
    invitados = set(invitaciones.values_list("usuario_id", flat=True))
    registro = {"tipo": TipoRecepcion.ASISTENCIA, "referencia": str(capacitacion.pk)}
    Recepcion.objects.filter(**registro).exclude(usuario_id__in=asistieron).delete()
    brazos.recepciones_registrar(
        repartos=brazos.en_unidades(invitados & asistieron, capacitacion.fecha),
        entregada=True,
        modalidad=capacitacion.modalidad,
        **registro,
    )


def capacitacion_cancelar(*, capacitacion: Capacitacion) -> int:
    """Cancel a session that has not taken place: those already invited are
    told by e-mail, then the session and its invitations go. A session with
    attendance recorded took place and stays. Returns how many were told."""
    if capacitacion.invitaciones.filter(asistio__isnull=False).exists():
        raise ValidationError(
            _(
                "Esta capacitación ya tiene asistencia registrada: no se puede "
                "cancelar."
            ),
            code="con_asistencia",
        )
    avisadas = 0
    invitadas = capacitacion.invitaciones.filter(invitada__isnull=False).exclude(
        usuario__email=""
    )
    for invitacion in invitadas.select_related("usuario"):
        ctx = {"capacitacion": capacitacion, "invitacion": invitacion}
        try:
            send_mail(
                subject=_("Alerta Escuela: se canceló una capacitación"),
                message=render_to_string("capacitaciones/cancelacion_correo.txt", ctx),
                from_email=None,
                recipient_list=[invitacion.usuario.email],
            )
        except Exception as exc:
            logger.error(
                "No se pudo avisar la cancelación %s (%s)",
                invitacion.pk,
                type(exc).__name__,
            )
            continue
        avisadas += 1
    capacitacion.delete()
    return avisadas
