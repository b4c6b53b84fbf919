"""Follow-up: what tutors and directors do about a student's risk.

Two records. An action (`AccionSeguimiento`) is one thing done or planned for
one student: a call, a visit, a tutoring session, a referral. The monthly
record (`RegistroMensual`) is the school's monthly contact check: for every
student of a sección, were they reached this month and can they follow the
lessons. Both carry an id made where they were written (the tutor's phone,
offline), which is also their idempotency key: a record sent twice is stored
once.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alerta.models import Estudiante, Seccion
from orientaciones.models import Factor, Orientacion

# A note is short: what was done and agreed, not the family's story.
LARGO_NOTA = 500


class TipoAccionQuerySet(models.QuerySet):
    def vigentes(self) -> "TipoAccionQuerySet":
        return self.filter(retirado_en__isnull=True)


class TipoAccion(models.Model):
    """The fixed catalogue of kinds of action (seeded by a data migration).

    A kind is retired (`retirado_en`), never deleted: the actions recorded with
    it keep their meaning, and new ones can no longer choose it."""

    codigo = models.SlugField(_("código"), max_length=30, unique=True)
    nombre = models.CharField(_("nombre"), max_length=120)
    orden = models.PositiveSmallIntegerField(_("orden"), default=0)
    retirado_en = models.DateTimeField(_("retirado el"), null=True, blank=True)

    objects = TipoAccionQuerySet.as_manager()

    class Meta:
        ordering = ["orden", "pk"]
        verbose_name = _("tipo de acción")
        verbose_name_plural = _("tipos de acción")

    def __str__(self) -> str:
        return self.nombre


class EstadoAccion(models.TextChoices):
    PLANIFICADA = "PLANIFICADA", _("Planificada")
    REALIZADA = "REALIZADA", _("Realizada")
    SIN_CONTACTO = "SIN_CONTACTO", _("Sin contacto")


class AccionSeguimiento(models.Model):
    """One action for one student, written by a tutor or a director.

    `seccion` is the student's sección when the action was written: it decides
    which director reads a reserved note and where the action counts."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    estudiante = models.ForeignKey(
        Estudiante, on_delete=models.PROTECT, related_name="acciones"
    )
    seccion = models.ForeignKey(
        Seccion, on_delete=models.PROTECT, related_name="acciones"
    )
    tipo = models.ForeignKey(
        TipoAccion, on_delete=models.PROTECT, verbose_name=_("tipo de acción")
    )
    fecha = models.DateField(_("fecha"))
    estado = models.CharField(
        _("estado"),
        max_length=12,
        choices=EstadoAccion.choices,
        default=EstadoAccion.REALIZADA,
    )
    nota = models.TextField(_("nota"), max_length=LARGO_NOTA, blank=True)
    reservada = models.BooleanField(_("nota reservada"), default=False)
    factores = models.JSONField(_("factores que atiende"), default=list, blank=True)
    orientacion = models.ForeignKey(
        Orientacion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("orientación usada"),
    )
    autor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="acciones_seguimiento",
        verbose_name=_("registrada por"),
    )
    creada = models.DateTimeField(_("registrada"), auto_now_add=True)
    modificada = models.DateTimeField(_("modificada"), auto_now=True)

    # Every change keeps its previous state, with who made it and when.
    historial = HistoricalRecords(
        excluded_fields=["modificada"], related_name="versiones"
    )

    class Meta:
        ordering = ["-fecha", "-creada"]
        verbose_name = _("acción de seguimiento")
        verbose_name_plural = _("acciones de seguimiento")
        indexes = [
            models.Index(fields=["estudiante", "fecha"]),
            models.Index(fields=["seccion", "fecha"]),
        ]

    def __str__(self) -> str:
        return f"{self.tipo} ({self.fecha:%d/%m/%Y})"

    def get_factores_display(self) -> list[str]:
        etiquetas = dict(Factor.choices)
        return [str(etiquetas.get(c, c)) for c in self.factores]


class MedioContacto(models.TextChoices):
    PRESENCIAL = "PRESENCIAL", _("En clase o en persona")
    LLAMADA = "LLAMADA", _("Llamada")
    MENSAJE = "MENSAJE", _("Mensaje (WhatsApp, SMS)")
    VISITA = "VISITA", _("Visita al hogar")
    OTRO = "OTRO", _("Otro medio")


class SigueClases(models.TextChoices):
    SI = "SI", _("Sí")
    EN_PARTE = "EN_PARTE", _("En parte")
    NO = "NO", _("No")


class RegistroMensual(models.Model):
    """The monthly contact record: one per student and month (`mes` is the
    month's first day)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    estudiante = models.ForeignKey(
        Estudiante, on_delete=models.PROTECT, related_name="registros_mensuales"
    )
    seccion = models.ForeignKey(
        Seccion, on_delete=models.PROTECT, related_name="registros_mensuales"
    )
    mes = models.DateField(_("mes"))
    contactado = models.BooleanField(_("contactado"))
    medio = models.CharField(
        _("medio"), max_length=10, choices=MedioContacto.choices, blank=True
    )
    sigue_clases = models.CharField(
        _("puede seguir las clases"),
        max_length=8,
        choices=SigueClases.choices,
        blank=True,
    )
    autor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registros_mensuales",
        verbose_name=_("registrado por"),
    )
    creado = models.DateTimeField(_("registrado"), auto_now_add=True)
    modificado = models.DateTimeField(_("modificado"), auto_now=True)

    class Meta:
        verbose_name = _("registro mensual")
        verbose_name_plural = _("registros mensuales")
        constraints = [
            models.UniqueConstraint(
                fields=["estudiante", "mes"], name="registro_mensual_unico"
            ),
            models.CheckConstraint(
                condition=Q(mes__day=1), name="registro_mensual_primer_dia"
            ),
            # A student not reached was reached by no means.
            models.CheckConstraint(
                condition=Q(contactado=True) | Q(medio=""),
                name="registro_mensual_medio_si_contactado",
            ),
        ]
        indexes = [models.Index(fields=["seccion", "mes"])]

    def __str__(self) -> str:
        return f"{self.mes:%m/%Y}"
