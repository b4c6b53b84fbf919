"""Use of the portal by tutors and directors, for UGEL, DRE and Minedu.

Raw events are the sign-ins (`Ingreso`, here), the access log
(alerta.RegistroAcceso: lists opened, workbooks downloaded), guidance read
(orientaciones.Lectura) and the follow-up (seguimiento: actions, monthly
records). The nightly task (monitoreo.calculo) turns them into the rows the
pages read: a teacher's week (`UsoDocenteSemana`), a scope's week
(`UsoAmbitoSemana`), and a snapshot per teacher and IE (`UsoDocente`) and per
IE (`UsoIE`). Pages never count raw events.

A teacher is a user with a tutor's or director's assignment of the school year
shown; their use counts for every IE where they hold one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Ingreso(models.Model):
    """One sign-in (user_logged_in)."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ingresos"
    )
    fecha = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ingreso")
        verbose_name_plural = _("ingresos")
        ordering = ["-fecha"]

    def __str__(self) -> str:
        return f"{self.fecha:%Y-%m-%d %H:%M}"


class Medidas(models.Model):
    """The counts of use kept by every aggregate row."""

    ingresos = models.PositiveIntegerField(_("ingresos"), default=0)
    listas = models.PositiveIntegerField(_("listas abiertas"), default=0)
    fichas = models.PositiveIntegerField(_("fichas de estudiantes abiertas"), default=0)
    descargas = models.PositiveIntegerField(_("descargas"), default=0)
    lecturas = models.PositiveIntegerField(_("orientaciones leídas"), default=0)
    acciones = models.PositiveIntegerField(_("acciones registradas"), default=0)
    registros = models.PositiveIntegerField(_("registros mensuales"), default=0)

    CAMPOS = (
        "ingresos",
        "listas",
        "fichas",
        "descargas",
        "lecturas",
        "acciones",
        "registros",
    )

    class Meta:
        abstract = True


class UsoDocenteSemana(Medidas):
    """One teacher's use in one week (Monday) at one IE. Only weeks with some
    use have a row."""

    semana = models.DateField(_("semana"))
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    ie = models.ForeignKey(
        "alerta.InstitucionEducativa", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("uso semanal de un docente")
        verbose_name_plural = _("uso semanal de los docentes")
        constraints = [
            models.UniqueConstraint(
                fields=["usuario", "ie", "semana"], name="uso_docente_semana_unico"
            )
        ]
        indexes = [models.Index(fields=["ie", "semana"], name="uso_docsem_ie_idx")]

    def __str__(self) -> str:
        return f"{self.semana} {self.usuario_id}@{self.ie_id}"


class TipoAmbito(models.TextChoices):
    IE = "ie", _("IE")
    UGEL = "ugel", _("UGEL")
    DRE = "dre", _("DRE")
    PAIS = "pais", _("país")


class UsoAmbitoSemana(Medidas):
    """A scope's week: `activos` distinct teachers with some use, of
    `docentes` assigned, and their counts."""

    semana = models.DateField(_("semana"))
    tipo = models.CharField(max_length=4, choices=TipoAmbito.choices)
    # The IE's, UGEL's or DRE's pk; 0 for the country.
    ambito_id = models.PositiveIntegerField()
    docentes = models.PositiveIntegerField(_("docentes"), default=0)
    activos = models.PositiveIntegerField(_("docentes que usaron el portal"), default=0)

    class Meta:
        verbose_name = _("uso semanal de un ámbito")
        verbose_name_plural = _("uso semanal de los ámbitos")
        constraints = [
            models.UniqueConstraint(
                fields=["tipo", "ambito_id", "semana"], name="uso_ambito_semana_unico"
            )
        ]

    def __str__(self) -> str:
        return f"{self.semana} {self.tipo}:{self.ambito_id}"


class UsoDocente(Medidas):
    """A teacher at one IE, as of the last nightly run: their last sign-in,
    their counts of the last four weeks (the Medidas fields) and the monthly
    record of their students."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    ie = models.ForeignKey(
        "alerta.InstitucionEducativa", on_delete=models.CASCADE, related_name="+"
    )
    # Denormalised so that a UGEL's or a DRE's page filters one table.
    ugel = models.ForeignKey("alerta.Ugel", on_delete=models.CASCADE, related_name="+")
    dre = models.ForeignKey("alerta.Dre", on_delete=models.CASCADE, related_name="+")
    es_tutor = models.BooleanField(_("tutor"), default=False)
    es_director = models.BooleanField(_("director"), default=False)
    ultimo_ingreso = models.DateTimeField(_("último ingreso"), null=True)
    ultimo_uso = models.DateTimeField(_("último uso"), null=True)
    # Current students they follow (their secciones; the whole IE for a
    # director) and those with this month's record.
    estudiantes = models.PositiveIntegerField(default=0)
    con_registro_mes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("uso de un docente")
        verbose_name_plural = _("uso de los docentes")
        constraints = [
            models.UniqueConstraint(fields=["usuario", "ie"], name="uso_docente_unico")
        ]
        indexes = [
            models.Index(fields=["ugel", "ultimo_ingreso"], name="uso_doc_ugel_idx"),
            models.Index(fields=["ie"], name="uso_doc_ie_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.usuario_id}@{self.ie_id}"


class UsoIE(Medidas):
    """An IE as of the last nightly run: its teachers' use in the last four
    weeks (Medidas), who signed in, and the follow-up of its students."""

    ie = models.OneToOneField(
        "alerta.InstitucionEducativa", on_delete=models.CASCADE, related_name="+"
    )
    ugel = models.ForeignKey("alerta.Ugel", on_delete=models.CASCADE, related_name="+")
    dre = models.ForeignKey("alerta.Dre", on_delete=models.CASCADE, related_name="+")
    docentes = models.PositiveIntegerField(_("docentes"), default=0)
    # Teachers with some use in the last four weeks.
    activos = models.PositiveIntegerField(default=0)
    nunca_ingresaron = models.PositiveIntegerField(default=0)
    ultimo_uso = models.DateTimeField(_("último uso"), null=True)
    alto = models.PositiveIntegerField(default=0)
    medio = models.PositiveIntegerField(default=0)
    # Alto and medio students with an action this bimester.
    alto_medio_con_accion = models.PositiveIntegerField(default=0)
    estudiantes = models.PositiveIntegerField(default=0)
    con_registro_mes = models.PositiveIntegerField(default=0)
    # Alto students and no use by any of its teachers in 30 days.
    sin_uso_30_dias = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("uso de una IE")
        verbose_name_plural = _("uso de las IE")
        indexes = [
            models.Index(fields=["ugel"], name="uso_ie_ugel_idx"),
            models.Index(fields=["dre"], name="uso_ie_dre_idx"),
        ]

    def __str__(self) -> str:
        return f"IE {self.ie_id}"


class UsoAmbito(models.Model):
    """A scope (IE, UGEL, DRE, country) as of the last nightly run: its
    teachers, those with some use in the last four weeks and those who never
    signed in, each person once however many of the scope's IEs they teach
    at (summing the IEs' rows would count them twice)."""

    tipo = models.CharField(max_length=4, choices=TipoAmbito.choices)
    ambito_id = models.PositiveIntegerField()
    docentes = models.PositiveIntegerField(_("docentes"), default=0)
    activos = models.PositiveIntegerField(default=0)
    nunca_ingresaron = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("uso de un ámbito")
        verbose_name_plural = _("uso de los ámbitos")
        constraints = [
            models.UniqueConstraint(
                fields=["tipo", "ambito_id"], name="uso_ambito_unico"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tipo}:{self.ambito_id}"


class CalculoUso(models.Model):
    """One nightly aggregation of use: when, and how it ended."""

    inicio = models.DateTimeField(auto_now_add=True)
    fin = models.DateTimeField(null=True)
    semanas = models.PositiveSmallIntegerField(default=0)
    docentes = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("cálculo del uso")
        verbose_name_plural = _("cálculos del uso")
        ordering = ["-inicio"]

    def __str__(self) -> str:
        return f"{self.inicio:%Y-%m-%d %H:%M}"
