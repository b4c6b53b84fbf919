"""Trainings a UGEL plans for the teachers of its IEs: the session, who is
invited, and who attended.

The evaluation of Alerta Escuela compared three kinds of training (individual
sessions, small groups of about five teachers, large groups): the modality is
kept so that each kind's teachers can be compared with those not yet trained
(capacitaciones.comparacion).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class Modalidad(models.TextChoices):
    INDIVIDUAL = "INDIVIDUAL", _("Individual")
    GRUPO_PEQUENO = "GRUPO_PEQUENO", _("Grupo pequeño")
    GRUPO_GRANDE = "GRUPO_GRANDE", _("Grupo grande")


# How many teachers each modality takes: (fewest, most); None has no limit.
DOCENTES_POR_MODALIDAD: dict[str, tuple[int, int | None]] = {
    Modalidad.INDIVIDUAL: (1, 1),
    Modalidad.GRUPO_PEQUENO: (1, 5),
    Modalidad.GRUPO_GRANDE: (1, None),
}


def validar_cantidad_de_docentes(modalidad: str, cantidad: int) -> None:
    """Raise a ValidationError when `cantidad` teachers do not fit the
    modality. The form and the service both ask it."""
    minimo, maximo = DOCENTES_POR_MODALIDAD[modalidad]
    if modalidad == Modalidad.INDIVIDUAL and cantidad != 1:
        raise ValidationError(
            _("Una sesión individual es para un solo docente: elija uno."),
            code="individual",
        )
    if cantidad < minimo:
        raise ValidationError(
            _("Elija al menos un docente para invitar."), code="sin_docentes"
        )
    if maximo is not None and cantidad > maximo:
        raise ValidationError(
            ngettext(
                "Un grupo pequeño reúne como máximo %(maximo)d docente; eligió "
                "%(cantidad)d. Quite docentes o elija «Grupo grande».",
                "Un grupo pequeño reúne como máximo %(maximo)d docentes; eligió "
                "%(cantidad)d. Quite docentes o elija «Grupo grande».",
                maximo,
            )
            % {"maximo": maximo, "cantidad": cantidad},
            code="grupo_pequeno",
        )


class Capacitacion(models.Model):
    # Opaque id for URLs: a session's page names teachers.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ugel = models.ForeignKey(
        "alerta.Ugel", on_delete=models.PROTECT, related_name="capacitaciones"
    )
    modalidad = models.CharField(
        _("modalidad"), max_length=13, choices=Modalidad.choices
    )
    fecha = models.DateField(_("fecha"))
    hora = models.TimeField(_("hora"), null=True, blank=True)
    lugar = models.CharField(_("lugar"), max_length=200, blank=True)
    enlace = models.URLField(_("enlace de la sesión virtual"), blank=True)
    tema = models.CharField(_("tema"), max_length=200, blank=True)
    notas = models.TextField(_("notas"), blank=True)
    creada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    creada = models.DateTimeField(_("creada"), auto_now_add=True)

    class Meta:
        verbose_name = _("capacitación")
        verbose_name_plural = _("capacitaciones")
        ordering = ["-fecha", "-hora", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(lugar="") | ~Q(enlace=""),
                name="capacitacion_lugar_o_enlace",
                violation_error_message=_(
                    "Indique el lugar de la sesión o el enlace de la sesión virtual."
                ),
            )
        ]
        # Serves a UGEL's list of sessions, newest first.
        indexes = [models.Index(fields=["ugel", "fecha"], name="capacitacion_ugel_idx")]

    def __str__(self) -> str:
        return f"{self.get_modalidad_display()} {self.fecha:%Y-%m-%d}"


class Invitacion(models.Model):
    """A teacher invited to a session, for one IE of the UGEL."""

    capacitacion = models.ForeignKey(
        Capacitacion, on_delete=models.CASCADE, related_name="invitaciones"
    )
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ie = models.ForeignKey(
        "alerta.InstitucionEducativa", on_delete=models.PROTECT, related_name="+"
    )
    # When the e-mail went; null: not sent yet (or the teacher has no address).
    invitada = models.DateTimeField(_("invitación enviada"), null=True, blank=True)
    # Null: attendance not recorded yet.
    asistio = models.BooleanField(_("asistió"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitación")
        verbose_name_plural = _("invitaciones")
        constraints = [
            models.UniqueConstraint(
                fields=["capacitacion", "usuario"], name="invitacion_unica"
            )
        ]
        # Serves the comparison: who attended which sessions of a UGEL.
        indexes = [models.Index(fields=["usuario", "asistio"], name="invitacion_idx")]

    def __str__(self) -> str:
        # Never a teacher's name: this string can reach logs and the admin.
        return f"invitación #{self.pk}"
