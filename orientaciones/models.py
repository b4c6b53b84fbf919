"""Guidance for tutors, directors and specialists: what to do about a risk."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alerta.models import Nivel


class Audiencia(models.TextChoices):
    DOCENTE = "DOCENTE", _("Docente tutor")
    DIRECTOR = "DIRECTOR", _("Director")
    ESPECIALISTA = "ESPECIALISTA", _("Especialista UGEL/DRE")


class NivelOrientacion(models.TextChoices):
    TODOS = "TODOS", _("Todos los niveles")
    INICIAL = Nivel.INICIAL.value, Nivel.INICIAL.label
    PRIMARIA = Nivel.PRIMARIA.value, Nivel.PRIMARIA.label
    SECUNDARIA = Nivel.SECUNDARIA.value, Nivel.SECUNDARIA.label


class Factor(models.TextChoices):
    # The codes are shared with the risk model, which links each of a student's
    # factors to the guidance about it: change them in both places or not at all.
    EXTRAEDAD = "extraedad", _("Extraedad")
    REPITENCIA = "repitencia", _("Repitencia")
    INASISTENCIAS = "inasistencias", _("Inasistencias")
    BAJO_RENDIMIENTO = "bajo_rendimiento", _("Bajo rendimiento")
    TRABAJO_INFANTIL = "trabajo_infantil", _("Trabajo infantil")
    POBREZA = "pobreza", _("Pobreza")
    LENGUA_ORIGINARIA = "lengua_originaria", _("Lengua originaria")
    DISCAPACIDAD = "discapacidad", _("Discapacidad")
    INTERRUPCION_PREVIA = "interrupcion_previa", _("Interrupción previa de estudios")
    RETIRO = "retiro", _("Retiro")
    TRASLADOS = "traslados", _("Traslados")
    RURALIDAD = "ruralidad", _("Ruralidad")
    ENTORNO_FAMILIAR = "entorno_familiar", _("Entorno familiar")
    DOCUMENTO_EXTRANJERO = (
        "documento_extranjero",
        _("Documento de identidad extranjero"),
    )
    CONTEXTO_ESCUELA = "contexto_escuela", _("Deserción en la escuela o el distrito")


# Factors whose answer lies mostly outside the classroom (services, programmes,
# the educational offer of the territory): besides the items for tutors and
# directors, UGEL and DRE specialists get their own item about each of them.
FACTORES_DE_GESTION: frozenset[str] = frozenset(
    {
        Factor.INTERRUPCION_PREVIA,
        Factor.RETIRO,
        Factor.TRABAJO_INFANTIL,
        Factor.POBREZA,
        Factor.LENGUA_ORIGINARIA,
        Factor.DISCAPACIDAD,
        Factor.DOCUMENTO_EXTRANJERO,
        Factor.RURALIDAD,
        Factor.CONTEXTO_ESCUELA,
    }
)


class OrientacionQuerySet(models.QuerySet):
    def publicadas(self) -> "OrientacionQuerySet":
        return self.filter(publicada=True)

    def para_audiencias(self, audiencias: set[str]) -> "OrientacionQuerySet":
        return self.filter(audiencia__in=audiencias)

    def para_nivel(self, nivel: str) -> "OrientacionQuerySet":
        # An item written for every nivel applies to each one of them.
        return self.filter(nivel__in=[NivelOrientacion.TODOS, nivel])

    def del_factor(self, factor: str) -> "OrientacionQuerySet":
        return self.filter(factor=factor)


class Orientacion(models.Model):
    slug = models.SlugField(_("identificador"), max_length=80, db_index=False)
    titulo = models.CharField(_("título"), max_length=160)
    audiencia = models.CharField(
        _("audiencia"), max_length=12, choices=Audiencia.choices
    )
    nivel = models.CharField(
        _("nivel"),
        max_length=10,
        choices=NivelOrientacion.choices,
        default=NivelOrientacion.TODOS,
    )
    factor = models.CharField(
        _("factor de riesgo"),
        max_length=20,
        choices=Factor.choices,
        blank=True,
        help_text=_("Déjelo vacío si la orientación no trata de un factor concreto."),
    )
    resumen = models.CharField(_("resumen"), max_length=300)
    texto = models.TextField(
        _("texto"),
        help_text=_("Texto simple; deje una línea en blanco entre párrafos."),
    )
    orden = models.PositiveSmallIntegerField(_("orden"), default=100)
    publicada = models.BooleanField(_("publicada"), default=True)

    objects = OrientacionQuerySet.as_manager()

    class Meta:
        verbose_name = _("orientación")
        verbose_name_plural = _("orientaciones")
        ordering = ["orden", "titulo"]
        # No extra index: the library holds a few dozen rows at most.
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="orientacion_slug_unico"),
            models.CheckConstraint(
                condition=Q(audiencia__in=Audiencia.values),
                name="orientacion_audiencia_valida",
            ),
            models.CheckConstraint(
                condition=Q(nivel__in=NivelOrientacion.values),
                name="orientacion_nivel_valido",
            ),
            models.CheckConstraint(
                condition=Q(factor="") | Q(factor__in=Factor.values),
                name="orientacion_factor_valido",
            ),
        ]

    def __str__(self) -> str:
        return self.titulo

    def get_absolute_url(self) -> str:
        return reverse("orientaciones:detalle", args=[self.slug])


class Lectura(models.Model):
    """Who opened which guidance item, and when (counted by the use
    monitoring)."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lecturas"
    )
    orientacion = models.ForeignKey(
        Orientacion, on_delete=models.CASCADE, related_name="lecturas"
    )
    fecha = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lectura de una orientación")
        verbose_name_plural = _("lecturas de orientaciones")
        ordering = ["-fecha"]

    def __str__(self) -> str:
        return f"{self.fecha:%Y-%m-%d %H:%M} {self.orientacion_id}"
