"""Pilots that can be evaluated: an evaluation's design, its units and the arm
each unit was drawn into.

Minedu designs an evaluation (the unit, who is eligible, the arms and their
shares, the strata and a seed); the draw (pilotos.sorteo) is stratified random
and is stored with what it takes to redraw it exactly: the seed, the numpy and
Python versions and a SHA-256 of the sorted eligible list. Once published, an
evaluation is frozen. Each unit keeps its arm (`brazo`) and its covariates at
draw time, for the balance table now and the outcome analysis later.
"""

import uuid
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from capacitaciones.models import Modalidad


class Unidad(models.TextChoices):
    LOCAL = "LOCAL", _("Local escolar")
    IE = "IE", _("Institución educativa")


class Estado(models.TextChoices):
    BORRADOR = "BORRADOR", _("Borrador")
    PUBLICADA = "PUBLICADA", _("Publicada")


class AreaElegible(models.TextChoices):
    # The registry has no connectivity field: the área (urbana / rural) is
    # the closest condition it holds (see FORMATOS.md).
    TODAS = "", _("Urbana y rural")
    URBANA = "URBANA", _("Solo urbana")
    RURAL = "RURAL", _("Solo rural")


def proporcion(valor: float | str) -> Fraction:
    """A share as an exact fraction, so that floor(n · share) does not suffer
    from binary rounding (0.29 · 100 is 28.999… as a float)."""
    return Fraction(str(valor)).limit_denominator(1_000_000)


def recibe_resumen(brazo: dict) -> bool:
    """Whether the arm's teachers get the weekly digest while the arm acts.
    Absent: the control does not, a treatment arm does."""
    return bool(brazo.get("resumen", not brazo.get("control")))


def capacitacion_de(brazo: dict) -> str:
    """The only training modality the arm's teachers may be invited to while
    the arm acts; "" (also when absent): no training invitations."""
    return brazo.get("capacitacion") or ""


def validar_brazos(brazos: object) -> None:
    """Arms: a non-empty list of {"codigo", "nombre", "proporcion",
    "control"} and, optionally, what the arm receives while it acts:
    "resumen" (bool) and "capacitacion" ("" or a training modality). Unique
    codes, exactly one control, shares above 0 summing to 1. The form, the
    admin and the service all ask it."""
    if not isinstance(brazos, list) or len(brazos) < 2:
        raise ValidationError(
            _("Declare al menos dos brazos: el control y un tratamiento."),
            code="pocos_brazos",
        )
    codigos = []
    for b in brazos:
        if not isinstance(b, dict) or not str(b.get("codigo", "")).strip():
            raise ValidationError(
                _("Cada brazo necesita un código."), code="brazo_sin_codigo"
            )
        codigos.append(b["codigo"])
        try:
            p = proporcion(b.get("proporcion"))
        except (TypeError, ValueError) as e:
            raise ValidationError(
                _("La proporción del brazo %(codigo)s no es un número.")
                % {"codigo": b["codigo"]},
                code="proporcion",
            ) from e
        if p <= 0 or p >= 1:
            raise ValidationError(
                _("La proporción del brazo %(codigo)s debe estar entre 0 y 1.")
                % {"codigo": b["codigo"]},
                code="proporcion",
            )
        if "resumen" in b and not isinstance(b["resumen"], bool):
            raise ValidationError(
                _(
                    "El brazo %(codigo)s debe indicar con sí o no si recibe el "
                    "resumen semanal."
                )
                % {"codigo": b["codigo"]},
                code="resumen",
            )
        if capacitacion_de(b) not in ("", *Modalidad.values):
            raise ValidationError(
                _(
                    "La capacitación del brazo %(codigo)s debe ser una modalidad "
                    "(individual, grupo pequeño o grupo grande) o ninguna."
                )
                % {"codigo": b["codigo"]},
                code="capacitacion",
            )
    if len(set(codigos)) != len(codigos):
        raise ValidationError(
            _("Los códigos de los brazos se repiten: cada brazo lleva uno propio."),
            code="codigos_repetidos",
        )
    if sum(1 for b in brazos if b.get("control")) != 1:
        raise ValidationError(
            _("Marque exactamente un brazo como control."), code="control"
        )
    if sum(proporcion(b["proporcion"]) for b in brazos) != 1:
        raise ValidationError(
            _("Las proporciones de los brazos deben sumar 1."), code="suma"
        )


class Evaluacion(models.Model):
    # Opaque id for URLs.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nombre = models.CharField(_("nombre"), max_length=200)
    unidad = models.CharField(
        _("unidad de asignación"), max_length=5, choices=Unidad.choices
    )
    ugeles = models.ManyToManyField(
        "alerta.Ugel", related_name="evaluaciones", verbose_name=_("UGEL elegibles")
    )
    # Priority rule: units with at least this many students at medio + alto,
    # and of those (when set) the N with the most.
    minimo_en_riesgo = models.PositiveIntegerField(
        _("mínimo de estudiantes en riesgo medio o alto"), default=0
    )
    maximo_unidades = models.PositiveIntegerField(
        _("cantidad de unidades priorizadas"), null=True, blank=True
    )
    area = models.CharField(
        _("área elegible"),
        max_length=6,
        choices=AreaElegible.choices,
        blank=True,
        default=AreaElegible.TODAS,
    )
    # [{"codigo": "C", "nombre": "Control", "proporcion": "0.25", "control": true}, …]
    brazos = models.JSONField(_("brazos"), default=list)
    # Upper bounds (exclusive) of the size bands, ascending: [100, 300] makes
    # the bands <100, 100–299 and ≥300 students.
    cortes_tamano = models.JSONField(_("cortes de tamaño"), default=list, blank=True)
    semilla = models.PositiveBigIntegerField(_("semilla"))
    estado = models.CharField(
        _("estado"), max_length=9, choices=Estado.choices, default=Estado.BORRADOR
    )
    creada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    creada = models.DateTimeField(_("creada"), auto_now_add=True)
    sorteada_en = models.DateTimeField(_("sorteada"), null=True, blank=True)
    publicada_en = models.DateTimeField(_("publicada"), null=True, blank=True)
    # The arms act (digests and training invitations follow them) from
    # publication to this day included; set when publishing. Null: they
    # never act (evaluations published before arms could act).
    actua_hasta = models.DateField(_("los brazos actúan hasta"), null=True, blank=True)
    # The scoring run the covariates and the priority were read from.
    ejecucion = models.ForeignKey(
        "riesgo.EjecucionPuntaje",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What it takes to redraw exactly (pilotos.sorteo.redibujar).
    version_numpy = models.CharField(max_length=20, blank=True)
    version_python = models.CharField(max_length=20, blank=True)
    hash_elegibles = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")
        ordering = ["-creada", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estado="BORRADOR") | Q(publicada_en__isnull=False),
                name="evaluacion_publicada_con_fecha",
            )
        ]

    def __str__(self) -> str:
        return self.nombre

    @property
    def publicada(self) -> bool:
        return self.estado == Estado.PUBLICADA

    @property
    def control(self) -> str:
        return next(b["codigo"] for b in self.brazos if b.get("control"))

    def brazo(self, codigo: str) -> dict:
        return next((b for b in self.brazos if b["codigo"] == codigo), {})


class UnidadEvaluacion(models.Model):
    """One unit of an evaluation (a local escolar or an IE) and its arm."""

    evaluacion = models.ForeignKey(
        Evaluacion, on_delete=models.CASCADE, related_name="unidades"
    )
    # codigo_local for a local escolar, "codigo_modular-anexo" for an IE.
    codigo = models.CharField(_("código"), max_length=12)
    ies = models.ManyToManyField("alerta.InstitucionEducativa", related_name="+")
    ugel = models.ForeignKey("alerta.Ugel", on_delete=models.PROTECT, related_name="+")
    estrato = models.CharField(_("estrato"), max_length=40)
    brazo = models.CharField(_("brazo"), max_length=20, blank=True)
    # Covariates at draw time.
    tamano = models.PositiveIntegerField(_("estudiantes"))
    proporcion_rural = models.FloatField(_("proporción rural"))
    proporcion_medio_alto = models.FloatField(
        _("proporción en riesgo medio o alto"), null=True
    )
    en_riesgo = models.PositiveIntegerField(_("estudiantes en riesgo medio o alto"))
    desercion_anterior = models.FloatField(
        _("retiro del año anterior"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("unidad de evaluación")
        verbose_name_plural = _("unidades de evaluación")
        ordering = ["codigo"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluacion", "codigo"], name="unidad_evaluacion_unica"
            )
        ]
        # Serves the arm of each unit (balance, later the outcome analysis).
        indexes = [
            models.Index(fields=["evaluacion", "brazo"], name="unidad_brazo_idx")
        ]

    def __str__(self) -> str:
        return self.codigo


class UsoUnidadSemana(models.Model):
    """A unit's use of the portal in one week (Monday) while its evaluation's
    arms act: its teachers, those with some use, and their counts. Kept for
    the analysis once the outcome year is imported: the weekly rows of
    monitoreo keep only half a year (monitoreo.calculo.SEMANAS_HISTORIA)."""

    unidad = models.ForeignKey(
        UnidadEvaluacion, on_delete=models.CASCADE, related_name="uso"
    )
    semana = models.DateField(_("semana"))
    docentes = models.PositiveIntegerField(_("docentes"), default=0)
    activos = models.PositiveIntegerField(_("docentes que usaron el portal"), default=0)
    ingresos = models.PositiveIntegerField(_("ingresos"), default=0)
    listas = models.PositiveIntegerField(_("listas abiertas"), default=0)
    lecturas = models.PositiveIntegerField(_("orientaciones leídas"), default=0)
    acciones = models.PositiveIntegerField(_("acciones registradas"), default=0)

    # The counts copied from monitoreo.UsoDocenteSemana.
    MEDIDAS = ("ingresos", "listas", "lecturas", "acciones")

    class Meta:
        verbose_name = _("uso semanal de una unidad")
        verbose_name_plural = _("uso semanal de las unidades")
        constraints = [
            models.UniqueConstraint(
                fields=["unidad", "semana"], name="uso_unidad_semana_unico"
            )
        ]

    def __str__(self) -> str:
        return f"{self.semana} {self.unidad_id}"


class AnalisisEvaluacion(models.Model):
    """The analysis of a published evaluation over all its units, computed
    once per state of its data (`huella`: the outcome year's imports and the
    copied use) and stored: a national pilot's takes seconds, too long for a
    request. `resultado` holds pilotos.datos.Resultados as JSON."""

    evaluacion = models.ForeignKey(
        Evaluacion, on_delete=models.CASCADE, related_name="analisis"
    )
    huella = models.CharField(max_length=120)
    calculado = models.DateTimeField(_("calculado"), auto_now_add=True)
    segundos = models.FloatField(_("segundos"), default=0)
    resultado = models.JSONField()

    class Meta:
        verbose_name = _("análisis de una evaluación")
        verbose_name_plural = _("análisis de las evaluaciones")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluacion", "huella"], name="analisis_evaluacion_unico"
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluacion_id} {self.huella}"


class TipoRecepcion(models.TextChoices):
    RESUMEN = "RESUMEN", _("Resumen semanal")
    INVITACION = "INVITACION", _("Invitación a una capacitación")
    ASISTENCIA = "ASISTENCIA", _("Asistencia a una capacitación")


class Recepcion(models.Model):
    """What a teacher of a unit received (or was kept from receiving) while
    the unit's arm acted: the record the analysis reads as take-up.

    `entregada` False: the arm withheld it (a digest not sent, an invitation
    not e-mailed). `referencia` says which one: the week's Monday
    (YYYY-MM-DD) for a digest, the training session's pk for an invitation or
    an attendance, so that a re-run records nothing twice."""

    unidad = models.ForeignKey(
        UnidadEvaluacion, on_delete=models.CASCADE, related_name="recepciones"
    )
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tipo = models.CharField(_("tipo"), max_length=10, choices=TipoRecepcion.choices)
    entregada = models.BooleanField(_("entregada"))
    momento = models.DateTimeField(_("momento"), auto_now_add=True)
    referencia = models.CharField(_("referencia"), max_length=20)
    # The session's modality, kept here so that a cancelled session (deleted
    # with its invitations) still says what was offered.
    modalidad = models.CharField(
        _("modalidad"), max_length=13, choices=Modalidad.choices, blank=True
    )

    class Meta:
        verbose_name = _("recepción")
        verbose_name_plural = _("recepciones")
        ordering = ["-momento", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unidad", "usuario", "tipo", "referencia"],
                name="recepcion_unica",
            )
        ]
        # Serves the figures per arm and per unit of an evaluation's page.
        indexes = [models.Index(fields=["unidad", "tipo"], name="recepcion_tipo_idx")]

    def __str__(self) -> str:
        # Never a teacher's name: this string can reach logs and the admin.
        return f"{self.get_tipo_display()} {self.referencia}"
