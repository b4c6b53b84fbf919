from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TipoArchivo(models.TextChoices):
    PADRON = "PADRON", _("Padrón de IIEE")
    NOMINA = "NOMINA", _("Nómina de matrícula")
    EVALUACION = "EVALUACION", _("Evaluación")
    ASISTENCIA = "ASISTENCIA", _("Asistencia")
    HOGARES = "HOGARES", _("Hogares")
    PERSONAL = "PERSONAL", _("Personal (directores y tutores)")


class EstadoImportacion(models.TextChoices):
    EN_CURSO = "EN_CURSO", _("En curso")
    COMPLETADA = "COMPLETADA", _("Completada")
    FALLIDA = "FALLIDA", _("Fallida")


class Importacion(models.Model):
    """One file loaded: who, when, what, and how it went."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    tipo = models.CharField(max_length=10, choices=TipoArchivo.choices)
    anio = models.PositiveSmallIntegerField(null=True, blank=True)
    nombre_archivo = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    estado = models.CharField(
        max_length=10,
        choices=EstadoImportacion.choices,
        default=EstadoImportacion.EN_CURSO,
    )
    filas_leidas = models.PositiveIntegerField(default=0)
    filas_aceptadas = models.PositiveIntegerField(default=0)
    filas_rechazadas = models.PositiveIntegerField(default=0)
    # Rejected rows: [{"fila": n, "columna": c, "valor": v, "motivo": m}, ...]
    rechazos = models.JSONField(default=list, blank=True)
    mensaje = models.TextField(blank=True)
    iniciada = models.DateTimeField(auto_now_add=True)
    duracion_s = models.FloatField(null=True)

    class Meta:
        verbose_name = _("importación")
        verbose_name_plural = _("importaciones")
        ordering = ["-iniciada"]
        constraints = [
            models.CheckConstraint(
                condition=Q(filas_aceptadas__lte=models.F("filas_leidas")),
                name="importacion_aceptadas_no_superan_leidas",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nombre_archivo} ({self.get_estado_display()})"
