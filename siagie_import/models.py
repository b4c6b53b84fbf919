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
    PENDIENTE = "PENDIENTE", _("En cola")
    EN_CURSO = "EN_CURSO", _("En curso")
    COMPLETADA = "COMPLETADA", _("Completada")
    FALLIDA = "FALLIDA", _("Fallida")


class ImportacionQuerySet(models.QuerySet):
    def recientes(self) -> "ImportacionQuerySet":
        return self.select_related("usuario").order_by("-iniciada")

    def en_curso(self) -> "ImportacionQuerySet":
        return self.filter(estado=EstadoImportacion.EN_CURSO)


class Importacion(models.Model):
    """One file loaded: who, when, what, and how it went. The file itself is kept."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    tipo = models.CharField(max_length=10, choices=TipoArchivo.choices)
    anio = models.PositiveSmallIntegerField(null=True, blank=True)
    archivo = models.FileField(upload_to="importaciones/%Y/%m/", max_length=255)
    nombre_archivo = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    tamano = models.PositiveBigIntegerField(default=0)
    estado = models.CharField(
        max_length=10,
        choices=EstadoImportacion.choices,
        default=EstadoImportacion.PENDIENTE,
    )
    filas_leidas = models.PositiveIntegerField(default=0)
    filas_aceptadas = models.PositiveIntegerField(default=0)
    filas_rechazadas = models.PositiveIntegerField(default=0)
    mensaje = models.TextField(blank=True)
    iniciada = models.DateTimeField(auto_now_add=True)
    terminada = models.DateTimeField(null=True, blank=True)
    duracion_s = models.FloatField(null=True)
    # The process loading the file ("host:pid:start"), recorded when it takes
    # the import, so that a sweep can tell one still running from one that died
    # (decision 0011).
    proceso = models.CharField(max_length=300, blank=True)
    procesando_desde = models.DateTimeField(null=True, blank=True)
    # The broker could not be reached when the import was to be queued: it
    # waits, with its file, for someone to queue it again from its page.
    sin_encolar = models.BooleanField(default=False)

    objects = ImportacionQuerySet.as_manager()

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

    @property
    def terminada_ok(self) -> bool:
        return self.estado == EstadoImportacion.COMPLETADA


class Rechazo(models.Model):
    """One rejected row of an import, with why."""

    importacion = models.ForeignKey(
        Importacion, on_delete=models.CASCADE, related_name="rechazos"
    )
    fila = models.PositiveIntegerField(_("fila"))
    columna = models.CharField(_("columna"), max_length=60)
    valor = models.CharField(_("valor"), max_length=200, blank=True)
    motivo = models.CharField(_("motivo"), max_length=300)

    class Meta:
        verbose_name = _("fila rechazada")
        verbose_name_plural = _("filas rechazadas")
        ordering = ["importacion", "fila"]
        # Serves the report of one import, in file order.
        indexes = [
            models.Index(fields=["importacion", "fila"], name="rechazo_import_fila_idx")
        ]

    def __str__(self) -> str:
        return f"fila {self.fila}, {self.columna}: {self.motivo}"
