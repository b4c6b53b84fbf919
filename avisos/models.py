"""E-mail digests sent to tutors and directors, and who wants them.

The weekly digest (`services.resumen_enviar`) tells a tutor or director how
many of their students need attention: counts, never names. Each user may
switch it off (`PreferenciaAvisos`; no row means it is on). Each digest sent
is claimed in `EnvioResumen` before it leaves, once per user and week, so a
re-run or a second worker sends nothing twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PreferenciaAvisos(models.Model):
    """What a user chose to receive. Without a row, everything is on."""

    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preferencia_avisos",
    )
    resumen_semanal = models.BooleanField(
        _("recibir el resumen semanal por correo"), default=True
    )
    modificada = models.DateTimeField(_("modificada"), auto_now=True)

    class Meta:
        verbose_name = _("preferencia de avisos")
        verbose_name_plural = _("preferencias de avisos")

    def __str__(self) -> str:
        return str(self.usuario)


class EnvioResumen(models.Model):
    """One weekly digest sent: the claim that keeps it from going twice."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="resumenes_enviados",
    )
    # The Monday (Lima) of the week it was sent for.
    semana = models.DateField(_("semana"))
    enviado = models.DateTimeField(_("enviado"), auto_now_add=True)

    class Meta:
        verbose_name = _("resumen semanal enviado")
        verbose_name_plural = _("resúmenes semanales enviados")
        ordering = ["-semana"]
        constraints = [
            # The claim: a second send of the same week fails to insert.
            models.UniqueConstraint(
                fields=["usuario", "semana"], name="envio_resumen_unico_por_semana"
            ),
            models.CheckConstraint(
                condition=models.Q(semana__iso_week_day=1),
                name="envio_resumen_semana_es_lunes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.semana:%d/%m/%Y}"
