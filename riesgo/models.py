from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alerta.models import Matricula, Nivel

if TYPE_CHECKING:
    import numpy as np


class NivelRiesgo(models.TextChoices):
    # Declared from highest to lowest: lists sort by risk in this order.
    ALTO = "ALTO", _("Alto")
    MEDIO = "MEDIO", _("Medio")
    BAJO = "BAJO", _("Bajo")


COLOR_NIVEL = {
    NivelRiesgo.ALTO: "naranja",
    NivelRiesgo.MEDIO: "amarillo",
    NivelRiesgo.BAJO: "verde",
}


class EstadoModelo(models.TextChoices):
    ENTRENADO = "ENTRENADO", _("Entrenado")
    PUBLICADO = "PUBLICADO", _("Publicado")
    RETIRADO = "RETIRADO", _("Retirado")


class ModeloRiesgoQuerySet(models.QuerySet):
    def publicado(self) -> "ModeloRiesgo | None":
        return self.filter(estado=EstadoModelo.PUBLICADO).first()


class ModeloRiesgo(models.Model):
    version = models.PositiveIntegerField(_("versión"), unique=True)
    estado = models.CharField(
        max_length=10, choices=EstadoModelo.choices, default=EstadoModelo.ENTRENADO
    )
    algoritmo = models.CharField(max_length=60)
    anios_entrenamiento = models.JSONField(default=list)
    anio_validacion = models.PositiveSmallIntegerField(null=True)
    n_entrenamiento = models.PositiveIntegerField(default=0)
    n_validacion = models.PositiveIntegerField(default=0)
    roc_auc = models.FloatField(_("ROC-AUC en validación"), null=True)
    # Validation metrics, overall and by group, of the model and of the
    # baseline (see riesgo.training for the keys).
    metricas = models.JSONField(default=dict)
    # The reference value of each feature that explanations compare a student
    # with (see riesgo.explicaciones).
    referencia = models.JSONField(default=dict)
    # The bins of each feature and of the score on the training data, which
    # the nightly runs compare with (see riesgo.deriva). Empty for a version
    # trained before drift was watched: its runs say "sin referencia".
    referencia_deriva = models.JSONField(default=dict, blank=True)
    # Probability cut-offs: alto if p >= corte_alto, medio if p >= corte_medio
    # (riesgo.cortes.niveles is the one place that compares).
    corte_alto = models.FloatField()
    corte_medio = models.FloatField()
    artefacto = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    creado = models.DateTimeField(auto_now_add=True)
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    publicado_en = models.DateTimeField(null=True, blank=True)
    retirado_en = models.DateTimeField(null=True, blank=True)

    objects = ModeloRiesgoQuerySet.as_manager()

    class Meta:
        verbose_name = _("modelo de riesgo")
        verbose_name_plural = _("modelos de riesgo")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(corte_medio__gt=0)
                & Q(corte_medio__lt=models.F("corte_alto"))
                & Q(corte_alto__lt=1),
                name="modelo_cortes_ordenados",
            ),
            models.UniqueConstraint(
                fields=["estado"],
                condition=Q(estado=EstadoModelo.PUBLICADO),
                name="modelo_un_solo_publicado",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.get_estado_display()})"

    def nivel_para(self, probabilidad: float) -> str:
        # The rule is written once, in riesgo.cortes (which imports this module).
        from .cortes import nivel

        return nivel(probabilidad, self.corte_alto, self.corte_medio)

    def niveles_para(self, probabilidades) -> "np.ndarray":
        from .cortes import niveles

        return niveles(probabilidades, self.corte_alto, self.corte_medio)


class EstadoEjecucion(models.TextChoices):
    EN_CURSO = "EN_CURSO", _("En curso")
    EXITOSA = "EXITOSA", _("Exitosa")
    FALLIDA = "FALLIDA", _("Fallida")


class EjecucionQuerySet(models.QuerySet):
    def vigente(self) -> "EjecucionPuntaje | None":
        """The latest successful run: its scores are the current ones."""
        # With its model: every page that shows scores names the version.
        return (
            self.filter(estado=EstadoEjecucion.EXITOSA)
            .select_related("modelo")
            .order_by("-inicio")
            .first()
        )


class EjecucionPuntaje(models.Model):
    """One scoring run. Its scores only become current once it succeeds."""

    modelo = models.ForeignKey(ModeloRiesgo, on_delete=models.PROTECT)
    anio = models.PositiveSmallIntegerField(_("año escolar puntuado"))
    estado = models.CharField(
        max_length=10, choices=EstadoEjecucion.choices, default=EstadoEjecucion.EN_CURSO
    )
    inicio = models.DateTimeField(auto_now_add=True)
    fin = models.DateTimeField(null=True, blank=True)
    estudiantes = models.PositiveIntegerField(default=0)
    duracion_s = models.FloatField(null=True)
    error = models.TextField(blank=True)
    lotes = models.PositiveIntegerField(default=0)

    objects = EjecucionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ejecución de puntaje")
        verbose_name_plural = _("ejecuciones de puntaje")
        ordering = ["-inicio"]
        # Serves EjecucionPuntaje.objects.vigente().
        indexes = [
            models.Index(fields=["estado", "-inicio"], name="ejecucion_vigente_idx")
        ]

    def __str__(self) -> str:
        return f"{self.anio} #{self.pk} ({self.get_estado_display()})"


class Puntaje(models.Model):
    ejecucion = models.ForeignKey(
        EjecucionPuntaje, on_delete=models.CASCADE, related_name="puntajes"
    )
    matricula = models.ForeignKey(
        Matricula, on_delete=models.CASCADE, related_name="puntajes"
    )
    probabilidad = models.FloatField()
    nivel = models.CharField(max_length=5, choices=NivelRiesgo.choices)
    # The three factors that raise this student's risk most, by code of
    # riesgo.explicaciones.GRUPOS ("" when fewer raise it).
    factor_1 = models.CharField(max_length=30, blank=True, default="")
    factor_2 = models.CharField(max_length=30, blank=True, default="")
    factor_3 = models.CharField(max_length=30, blank=True, default="")

    class Meta:
        verbose_name = _("puntaje de riesgo")
        verbose_name_plural = _("puntajes de riesgo")
        constraints = [
            # Re-running a run writes each student once: the run is idempotent.
            models.UniqueConstraint(
                fields=["ejecucion", "matricula"], name="puntaje_unico_por_ejecucion"
            ),
            models.CheckConstraint(
                condition=Q(probabilidad__gte=0) & Q(probabilidad__lte=1),
                name="puntaje_probabilidad_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_nivel_display()} ({self.probabilidad:.2f})"


class LoteEjecucion(models.Model):
    """One chunk of a run: the students of a range of IEs, scored by one task.

    A chunk is done once its scores are written, in the same transaction; an
    interrupted run is resumed by scoring the chunks that are not done.
    """

    ejecucion = models.ForeignKey(
        EjecucionPuntaje, on_delete=models.CASCADE, related_name="lotes_de"
    )
    ie_desde = models.PositiveIntegerField()
    ie_hasta = models.PositiveIntegerField()
    hecho = models.BooleanField(default=False)
    estudiantes = models.PositiveIntegerField(default=0)
    duracion_s = models.FloatField(null=True)
    # The chunk's rows per reference bin of each variable (riesgo.deriva):
    # counts add up, so the run's closing step sums them.
    conteos_deriva = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("lote de ejecución")
        verbose_name_plural = _("lotes de ejecución")
        ordering = ["ejecucion", "ie_desde"]
        constraints = [
            models.UniqueConstraint(
                fields=["ejecucion", "ie_desde"], name="lote_unico_por_ejecucion"
            )
        ]

    def __str__(self) -> str:
        return f"IE {self.ie_desde}-{self.ie_hasta}"


class Ambito(models.TextChoices):
    SECCION = "SECCION", _("Sección")
    IE = "IE", _("Institución educativa")
    UGEL = "UGEL", _("UGEL")
    DRE = "DRE", _("DRE")
    NACIONAL = "NACIONAL", _("Nacional")


class AgregadoRiesgo(models.Model):
    """Students per risk level of one run, by scope, nivel and grado.

    Written at the end of a successful run, so that dashboards read a few rows
    instead of counting millions of scores. `clave` is the pk of the sección,
    IE, UGEL or DRE (0 for the national row).
    """

    ejecucion = models.ForeignKey(
        EjecucionPuntaje, on_delete=models.CASCADE, related_name="agregados"
    )
    ambito = models.CharField(max_length=8, choices=Ambito.choices)
    clave = models.PositiveIntegerField()
    nivel = models.CharField(max_length=10, choices=Nivel.choices)
    grado = models.PositiveSmallIntegerField()
    alto = models.PositiveIntegerField(default=0)
    medio = models.PositiveIntegerField(default=0)
    bajo = models.PositiveIntegerField(default=0)
    # Current students of 5.º de secundaria, outside deserción interanual and
    # never scored: counted apart so that totals add up to the enrollment.
    sin_riesgo = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("agregado de riesgo")
        verbose_name_plural = _("agregados de riesgo")
        constraints = [
            models.UniqueConstraint(
                fields=["ejecucion", "ambito", "clave", "nivel", "grado"],
                name="agregado_unico",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ambito} {self.clave} {self.nivel} {self.grado}"


class NivelDeriva(models.TextChoices):
    # Declared from most to least serious: the model page sorts in this order.
    IMPORTANTE = "IMPORTANTE", _("Importante")
    MODERADA = "MODERADA", _("Moderada")
    ESTABLE = "ESTABLE", _("Estable")


class DerivaEjecucion(models.Model):
    """The population stability index of one variable (a feature, or the
    score: riesgo.deriva.PUNTAJE) in one run, against the run's model."""

    ejecucion = models.ForeignKey(
        EjecucionPuntaje, on_delete=models.CASCADE, related_name="derivas"
    )
    variable = models.CharField(max_length=60)
    psi = models.FloatField(_("índice de estabilidad (PSI)"))
    nivel = models.CharField(max_length=10, choices=NivelDeriva.choices)

    class Meta:
        verbose_name = _("deriva de una ejecución")
        verbose_name_plural = _("derivas de las ejecuciones")
        ordering = ["ejecucion", "-psi"]
        constraints = [
            models.UniqueConstraint(
                fields=["ejecucion", "variable"], name="deriva_unica_por_ejecucion"
            ),
            models.CheckConstraint(condition=Q(psi__gte=0), name="deriva_psi_positivo"),
        ]

    def __str__(self) -> str:
        return f"{self.variable}: {self.psi:.3f} ({self.get_nivel_display()})"


class AvisoDeriva(models.Model):
    """An important drift of a model's variable, told to Minedu once.

    The claim that keeps the e-mail from going twice: a later run with the
    same drift fails to insert the same (modelo, variable).
    """

    modelo = models.ForeignKey(
        ModeloRiesgo, on_delete=models.CASCADE, related_name="avisos_deriva"
    )
    variable = models.CharField(max_length=60)
    ejecucion = models.ForeignKey(
        EjecucionPuntaje, on_delete=models.CASCADE, related_name="avisos_deriva"
    )
    creado = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aviso de deriva")
        verbose_name_plural = _("avisos de deriva")
        constraints = [
            models.UniqueConstraint(
                fields=["modelo", "variable"], name="aviso_deriva_unico"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.modelo_id} {self.variable}"
