"""The drift watch's writes: each run's PSI per variable, and the e-mail that
tells Minedu of a new important drift (see riesgo.deriva for the measure)."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from alerta.models import Rol, Usuario

from .deriva import nivel, psi_por_variable, sumar
from .models import AvisoDeriva, DerivaEjecucion, EjecucionPuntaje, NivelDeriva

logger = logging.getLogger(__name__)


def deriva_escribir(ejecucion: EjecucionPuntaje) -> list[DerivaEjecucion]:
    """The PSI of every variable of the run's model, from its chunks' counts.

    Nothing is written for a model without a reference (trained before drift
    was watched). Writing again replaces the run's rows.
    """
    referencia = ejecucion.modelo.referencia_deriva
    DerivaEjecucion.objects.filter(ejecucion=ejecucion).delete()
    if not referencia:
        logger.info(
            "Ejecución de puntaje %s: el modelo v%s no tiene referencia de deriva",
            ejecucion.pk,
            ejecucion.modelo.version,
        )
        return []
    conteos = sumar(ejecucion.lotes_de.values_list("conteos_deriva", flat=True))
    filas = [
        DerivaEjecucion(ejecucion=ejecucion, variable=v, psi=valor, nivel=nivel(valor))
        for v, valor in psi_por_variable(referencia, conteos).items()
    ]
    return DerivaEjecucion.objects.bulk_create(filas)


def destinatarios_deriva():
    """Active national (Minedu) users with an e-mail address."""
    return (
        Usuario.objects.filter(
            is_active=True, asignaciones__rol=Rol.NACIONAL, asignaciones__activa=True
        )
        .exclude(email="")
        .distinct()
    )


def deriva_avisar(ejecucion_id: int) -> list[str]:
    """E-mail national users the run's important drifts not yet told for the
    same model and variable. Returns the variables told.

    The (modelo, variable) pairs are claimed (AvisoDeriva) in the same
    transaction as the send: a later run with the same drift finds them
    claimed and sends nothing; if the send fails, the claims are rolled back
    and the next run tries again.
    """
    ejecucion = EjecucionPuntaje.objects.select_related("modelo").get(pk=ejecucion_id)
    importantes = list(
        ejecucion.derivas.filter(nivel=NivelDeriva.IMPORTANTE).order_by("-psi")
    )
    avisadas = set(
        AvisoDeriva.objects.filter(
            modelo=ejecucion.modelo, variable__in=[d.variable for d in importantes]
        ).values_list("variable", flat=True)
    )
    nuevas = [d for d in importantes if d.variable not in avisadas]
    if not nuevas:
        return []
    correos = list(destinatarios_deriva().values_list("email", flat=True))
    with translation.override(settings.LANGUAGE_CODE):
        ctx = {
            "modelo": ejecucion.modelo,
            "ejecucion": ejecucion,
            "derivas": nuevas,
            "enlace": settings.SITIO_URL.rstrip("/") + reverse("modelos:lista"),
        }
        asunto = _("Alerta Escuela: deriva importante en el modelo v%(v)d") % {
            "v": ejecucion.modelo.version
        }
        cuerpo = render_to_string("riesgo/deriva_correo.txt", ctx)
    # One message per address: national users do not see each other's.
    mensajes = [(asunto, cuerpo, None, [correo]) for correo in correos]
    try:
        with transaction.atomic():
            AvisoDeriva.objects.bulk_create(
                AvisoDeriva(
                    modelo=ejecucion.modelo, variable=d.variable, ejecucion=ejecucion
                )
                for d in nuevas
            )
            send_mass_mail(mensajes)
    except IntegrityError:
        # Another run claimed them first.
        return []
    return [d.variable for d in nuevas]
