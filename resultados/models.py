"""The outcome report: once year t+1's enrollment is imported, what became of
the students scored for year t.

One `InformeResultados` per computation (year t, the run whose scores were
published for t, and the state of year t+1's data it read). Pages read its
rows, never the scores: `FilaResultado` counts students and dropouts per risk
level for a scope (country, DRE, UGEL, IE) and a breakdown (all, nivel, área,
sexo, lengua materna, with or without an action); `CalidadResultado` keeps the
quality figures of a scope (ROC-AUC, recall and precision, calibration by
decile) in the format of the model's validation (`riesgo.training.bloque`).
No row names a student.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from riesgo.models import EjecucionPuntaje, ModeloRiesgo, NivelRiesgo


class EstadoInforme(models.TextChoices):
    EN_CURSO = "EN_CURSO", _("En curso")
    EXITOSO = "EXITOSO", _("Exitoso")
    FALLIDO = "FALLIDO", _("Fallido")


class AmbitoResultado(models.TextChoices):
    PAIS = "pais", _("País")
    DRE = "dre", _("DRE")
    UGEL = "ugel", _("UGEL")
    IE = "ie", _("IE")


class Dimension(models.TextChoices):
    TOTAL = "total", _("Total")
    NIVEL = "nivel", _("Nivel educativo")
    AREA = "area", _("Área")
    SEXO = "sexo", _("Sexo")
    LENGUA = "lengua", _("Lengua materna")
    ACCION = "accion", _("Acciones de seguimiento")


class InformeQuerySet(models.QuerySet):
    def exitosos(self) -> "InformeQuerySet":
        return self.filter(estado=EstadoInforme.EXITOSO)

    def vigente(self, anio: int | None = None) -> "InformeResultados | None":
        """The latest successful report (of year `anio` when given)."""
        informes = self.exitosos().select_related("modelo", "ejecucion")
        if anio is not None:
            informes = informes.filter(anio=anio)
        return informes.order_by("-anio", "-fin", "-pk").first()


class InformeResultados(models.Model):
    anio = models.PositiveSmallIntegerField(_("año escolar puntuado"))
    ejecucion = models.ForeignKey(
        EjecucionPuntaje, on_delete=models.CASCADE, related_name="informes"
    )
    modelo = models.ForeignKey(
        ModeloRiesgo, on_delete=models.CASCADE, related_name="informes"
    )
    # What year t+1's data looked like when it was read (its latest completed
    # import and its number of enrollments): a change computes it again.
    huella = models.CharField(max_length=60)
    estado = models.CharField(
        max_length=10, choices=EstadoInforme.choices, default=EstadoInforme.EN_CURSO
    )
    inicio = models.DateTimeField(auto_now_add=True)
    fin = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Students scored by the run, those with a known outcome, and those left
    # out (5.º de secundaria, deceased, no representative enrollment).
    puntuados = models.PositiveIntegerField(default=0)
    con_resultado = models.PositiveIntegerField(default=0)
    sin_resultado = models.PositiveIntegerField(default=0)

    objects = InformeQuerySet.as_manager()

    class Meta:
        verbose_name = _("informe de resultados")
        verbose_name_plural = _("informes de resultados")
        ordering = ["-anio", "-inicio"]
        constraints = [
            # A report is computed once for a run and a state of year t+1.
            models.UniqueConstraint(
                fields=["ejecucion", "huella"],
                condition=Q(estado="EXITOSO"),
                name="informe_unico_por_ejecucion_y_huella",
            )
        ]
        # Serves InformeResultados.objects.vigente().
        indexes = [
            models.Index(fields=["estado", "-anio", "-fin"], name="informe_vigente_idx")
        ]

    def __str__(self) -> str:
        return f"{self.anio} #{self.pk} ({self.get_estado_display()})"


class FilaResultado(models.Model):
    """Students of one risk level in one group of one scope, and how many of
    them dropped out. `clave` is the pk of the DRE, UGEL or IE (0: country)."""

    informe = models.ForeignKey(
        InformeResultados, on_delete=models.CASCADE, related_name="filas"
    )
    ambito = models.CharField(max_length=4, choices=AmbitoResultado.choices)
    clave = models.PositiveIntegerField()
    dimension = models.CharField(max_length=6, choices=Dimension.choices)
    valor = models.CharField(max_length=20)
    nivel_riesgo = models.CharField(max_length=5, choices=NivelRiesgo.choices)
    marcados = models.PositiveIntegerField(default=0)
    desertores = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("fila de resultados")
        verbose_name_plural = _("filas de resultados")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "informe",
                    "ambito",
                    "clave",
                    "dimension",
                    "valor",
                    "nivel_riesgo",
                ],
                name="fila_resultado_unica",
            ),
            models.CheckConstraint(
                condition=Q(desertores__lte=models.F("marcados")),
                name="fila_resultado_desertores_de_marcados",
            ),
        ]
        # Serves a page's rows: one scope, or the children of one.
        indexes = [
            models.Index(
                fields=["informe", "ambito", "clave"], name="fila_resultado_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ambito}:{self.clave} {self.dimension}={self.valor}"


class CalidadResultado(models.Model):
    """The scores' quality in production for one scope (country, DRE, UGEL):
    `metricas` is a `riesgo.training.bloque` over its students with an outcome,
    plus `sin_resultado` (students left out)."""

    informe = models.ForeignKey(
        InformeResultados, on_delete=models.CASCADE, related_name="calidades"
    )
    ambito = models.CharField(max_length=4, choices=AmbitoResultado.choices)
    clave = models.PositiveIntegerField()
    metricas = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("calidad en producción")
        verbose_name_plural = _("calidad en producción")
        constraints = [
            models.UniqueConstraint(
                fields=["informe", "ambito", "clave"], name="calidad_resultado_unica"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ambito}:{self.clave}"
