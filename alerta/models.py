"""Core domain: territory, schools, secciones, students, enrollments, roles."""

import hashlib
import hmac
import uuid
from functools import cache, reduce
from operator import or_
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class Nivel(models.TextChoices):
    INICIAL = "INICIAL", _("Inicial")
    PRIMARIA = "PRIMARIA", _("Primaria")
    SECUNDARIA = "SECUNDARIA", _("Secundaria")


# Grades that exist for each nivel (inicial counts years of age).
GRADOS_POR_NIVEL: dict[str, tuple[int, ...]] = {
    Nivel.INICIAL: (3, 4, 5),
    Nivel.PRIMARIA: (1, 2, 3, 4, 5, 6),
    Nivel.SECUNDARIA: (1, 2, 3, 4, 5),
}


# Age on 31 March of the school year for grade 0 of each nivel: primaria 1.º is
# for children who are 6, secundaria 1.º for those who are 12.
EDAD_NORMATIVA: dict[str, int] = {
    Nivel.INICIAL: 0,
    Nivel.PRIMARIA: 5,
    Nivel.SECUNDARIA: 11,
}


# Document types of a foreign student, as the importer stores TIPO_DOCUMENTO:
# FORMATOS lists CE and PASAPORTE; the others are what real extracts show. The
# importer's vocabulary and the risk features' indicator both read this list.
DOCUMENTOS_EXTRANJEROS = (
    "CE",
    "CARNE DE EXTRANJERIA",
    "PASAPORTE",
    "PTP",
    "CPP",
    "CARNE DE PERMISO TEMPORAL DE PERMANENCIA",
    "CEDULA DE IDENTIDAD",
    "DOCUMENTO DE IDENTIDAD EXTRANJERO",
    "OTRO DOCUMENTO EXTRANJERO",
)

# Deserción interanual, as the evaluation of Alerta Escuela defines it, leaves
# out every student of 5.º de secundaria ("Se excluyen estudiantes de 5to de
# secundaria"), whatever their situación: they finish basic education, so not
# enrolling next year is not dropping out. They get no label and no risk
# score, and every page says so in these words. Labels, the school and
# district rates, scoring, lists, workbooks and dashboards all ask the
# predicates below.
QUINTO_DE_SECUNDARIA = (Nivel.SECUNDARIA, 5)
SIN_RIESGO_QUINTO = _("5.º de secundaria: no se calcula el riesgo")
POR_QUE_SIN_RIESGO_QUINTO = _(
    "La deserción interanual es no matricularse al año siguiente cuando se "
    "debería seguir estudiando. Quien cursa 5.º de secundaria termina la "
    "educación básica, así que, como en la evaluación de Alerta Escuela, los "
    "estudiantes de 5.º de secundaria quedan fuera de esa definición: el "
    "sistema no les calcula el riesgo."
)


def es_quinto_de_secundaria(nivel: Any, grado: Any) -> Any:
    """Whether a nivel and grado are 5.º de secundaria.

    Works on plain values and, element-wise, on pandas Series.
    """
    return (nivel == QUINTO_DE_SECUNDARIA[0]) & (grado == QUINTO_DE_SECUNDARIA[1])


def q_quinto_de_secundaria(seccion: str = "") -> Q:
    """The same test as a filter on a Seccion, reached through `seccion`
    ("seccion__" from Matricula, "matricula__seccion__" from Puntaje)."""
    nivel, grado = QUINTO_DE_SECUNDARIA
    return Q(**{f"{seccion}nivel": nivel, f"{seccion}grado": grado})


def sql_quinto_de_secundaria(nivel: str, grado: str) -> str:
    """The same test as an SQL condition on two column expressions."""
    valor, numero = QUINTO_DE_SECUNDARIA
    return f"({nivel} = '{valor}' AND {grado} = {int(numero)})"


def grado_en_palabras(nivel: str, grado: int) -> str:
    """A grado as people write it with its nivel: "5 años (inicial)",
    "3.º de primaria". Every page, chart and workbook says a grado this way."""
    return _grado_en_palabras(nivel, grado, get_language())


@cache
def _grado_en_palabras(nivel: str, grado: int, idioma: str | None) -> str:
    # A list page names hundreds of secciones: the words are built once per
    # grado and language, not once per row (decision 0017).
    if nivel == Nivel.INICIAL:
        return gettext("%(grado)s años (inicial)") % {"grado": grado}
    return gettext("%(grado)s.º de %(nivel)s") % {
        "grado": grado,
        "nivel": str(Nivel(nivel).label).lower(),
    }


def grado_corto(nivel: str, grado: int) -> str:
    """A grado where its nivel is said apart (a column of its own): "5 años",
    "3.º". Inicial counts years of age, not grades."""
    if nivel == Nivel.INICIAL:
        return _("%(grado)s años") % {"grado": grado}
    return _("%(grado)s.º") % {"grado": grado}


def letra_en_palabras(letra: str) -> str:
    """A sección as people write it: the importer stores the list value ÚNICA
    in capitals (and imports before accents were kept, UNICA); people write
    "Única". A letter stays as it is."""
    if letra.upper() in ("ÚNICA", "UNICA"):
        return str(_("Única"))
    return letra


class Area(models.TextChoices):
    URBANA = "URBANA", _("Urbana")
    RURAL = "RURAL", _("Rural")


class Gestion(models.TextChoices):
    PUBLICA = "PUBLICA", _("Pública")
    PRIVADA = "PRIVADA", _("Privada")


class Sexo(models.TextChoices):
    HOMBRE = "HOMBRE", _("Hombre")
    MUJER = "MUJER", _("Mujer")


class SituacionMatricula(models.TextChoices):
    INGRESANTE = "INGRESANTE", _("Ingresante")
    PROMOVIDO = "PROMOVIDO", _("Promovido")
    REPITE = "REPITE", _("Repite")
    REENTRANTE = "REENTRANTE", _("Reentrante")


class SituacionFinal(models.TextChoices):
    APROBADO = "APROBADO", _("Aprobado")
    DESAPROBADO = "DESAPROBADO", _("Desaprobado")
    REQUIERE_RECUPERACION = "REQUIERE RECUPERACION", _("Requiere recuperación")
    RETIRADO = "RETIRADO", _("Retirado")
    TRASLADADO = "TRASLADADO", _("Trasladado")
    FALLECIDO = "FALLECIDO", _("Fallecido")


class Dre(models.Model):
    nombre = models.CharField(_("nombre"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("DRE")
        verbose_name_plural = _("DRE")
        ordering = ["nombre"]

    def __str__(self) -> str:
        return self.nombre


class Ugel(models.Model):
    codigo = models.CharField(_("código"), max_length=6, unique=True)
    nombre = models.CharField(_("nombre"), max_length=160)
    dre = models.ForeignKey(Dre, on_delete=models.PROTECT, related_name="ugeles")

    class Meta:
        verbose_name = _("UGEL")
        verbose_name_plural = _("UGEL")
        ordering = ["nombre"]
        constraints = [
            models.CheckConstraint(
                condition=Q(codigo__regex=r"^[0-9]{6}$"), name="ugel_codigo_6_digitos"
            )
        ]

    def __str__(self) -> str:
        return self.nombre


class Distrito(models.Model):
    ubigeo = models.CharField(_("ubigeo"), max_length=6, primary_key=True)
    departamento = models.CharField(_("departamento"), max_length=80)
    provincia = models.CharField(_("provincia"), max_length=80)
    nombre = models.CharField(_("distrito"), max_length=120)

    class Meta:
        verbose_name = _("distrito")
        constraints = [
            models.CheckConstraint(
                condition=Q(ubigeo__regex=r"^[0-9]{6}$"),
                name="distrito_ubigeo_6_digitos",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nombre} ({self.provincia}, {self.departamento})"


class InstitucionEducativa(models.Model):
    codigo_modular = models.CharField(_("código modular"), max_length=7)
    anexo = models.PositiveSmallIntegerField(_("anexo"), default=0)
    codigo_local = models.CharField(_("código de local"), max_length=6, blank=True)
    nombre = models.CharField(_("nombre"), max_length=200)
    nivel_modalidad = models.CharField(_("nivel / modalidad"), max_length=2)
    gestion = models.CharField(_("gestión"), max_length=7, choices=Gestion.choices)
    area = models.CharField(_("área"), max_length=6, choices=Area.choices)
    distrito = models.ForeignKey(Distrito, on_delete=models.PROTECT, related_name="+")
    ugel = models.ForeignKey(Ugel, on_delete=models.PROTECT, related_name="ies")
    latitud = models.FloatField(null=True, blank=True)
    longitud = models.FloatField(null=True, blank=True)
    activa = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("institución educativa")
        verbose_name_plural = _("instituciones educativas")
        ordering = ["nombre"]
        constraints = [
            models.UniqueConstraint(
                fields=["codigo_modular", "anexo"], name="ie_codigo_modular_anexo_unico"
            ),
            models.CheckConstraint(
                condition=Q(codigo_modular__regex=r"^[0-9]{7}$"),
                name="ie_codigo_modular_7_digitos",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rotulo} ({self.codigo})"

    @property
    def rotulo(self) -> str:
        """The name as people say it: many IEs are named by a number ("IE 50001")."""
        return f"IE {self.nombre}" if self.nombre[:1].isdigit() else self.nombre

    @property
    def codigo(self) -> str:
        """Public code of the IE, as used in URLs: código modular and anexo."""
        return f"{self.codigo_modular}-{self.anexo}"


class SeccionQuerySet(models.QuerySet):
    def con_riesgo(self) -> "SeccionQuerySet":
        """Secciones whose students get a risk score (all but 5.º de secundaria)."""
        return self.exclude(q_quinto_de_secundaria())


class Seccion(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ie = models.ForeignKey(
        InstitucionEducativa, on_delete=models.PROTECT, related_name="secciones"
    )
    anio = models.PositiveSmallIntegerField(_("año"))
    nivel = models.CharField(_("nivel"), max_length=10, choices=Nivel.choices)
    grado = models.PositiveSmallIntegerField(_("grado"))
    letra = models.CharField(_("sección"), max_length=10)

    objects = SeccionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sección")
        verbose_name_plural = _("secciones")
        ordering = ["anio", "nivel", "grado", "letra"]
        constraints = [
            models.UniqueConstraint(
                fields=["ie", "anio", "nivel", "grado", "letra"],
                name="seccion_unica_por_ie_y_anio",
            ),
            models.CheckConstraint(
                condition=(
                    Q(nivel=Nivel.INICIAL, grado__gte=3, grado__lte=5)
                    | Q(nivel=Nivel.PRIMARIA, grado__gte=1, grado__lte=6)
                    | Q(nivel=Nivel.SECUNDARIA, grado__gte=1, grado__lte=5)
                ),
                name="seccion_grado_valido_para_nivel",
            ),
        ]
        # Serves the "secciones of this year" lookups of directors and UGELs.
        indexes = [models.Index(fields=["anio", "ie"], name="seccion_anio_ie_idx")]

    def __str__(self) -> str:
        return f"{self.grado_texto} {self.letra_texto}"

    @property
    def sin_riesgo(self) -> bool:
        """5.º de secundaria: outside deserción interanual, never scored."""
        return bool(es_quinto_de_secundaria(self.nivel, self.grado))

    @property
    def grado_texto(self) -> str:
        return grado_en_palabras(self.nivel, self.grado)

    @property
    def grado_corto(self) -> str:
        return grado_corto(self.nivel, self.grado)

    @property
    def letra_texto(self) -> str:
        return letra_en_palabras(self.letra)


class Estudiante(models.Model):
    # Opaque public id for URLs: never the SIAGIE code, the DNI or the pk.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Unique through a named constraint, not unique=True: on PostgreSQL that
    # would add a second (pattern-ops) index no query uses, which every import
    # of millions of rows would have to maintain.
    codigo_siagie = models.CharField(_("código SIAGIE"), max_length=14)
    tipo_documento = models.CharField(_("tipo de documento"), max_length=20, blank=True)
    numero_documento = models.CharField(
        _("número de documento"), max_length=20, blank=True
    )
    apellido_paterno = models.CharField(_("apellido paterno"), max_length=80)
    apellido_materno = models.CharField(
        _("apellido materno"), max_length=80, blank=True
    )
    nombres = models.CharField(_("nombres"), max_length=120)
    fecha_nacimiento = models.DateField(_("fecha de nacimiento"))
    sexo = models.CharField(_("sexo"), max_length=6, choices=Sexo.choices)
    lengua_materna = models.CharField(_("lengua materna"), max_length=40, blank=True)
    discapacidad = models.CharField(_("discapacidad"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("estudiante")
        verbose_name_plural = _("estudiantes")
        constraints = [
            models.CheckConstraint(
                condition=Q(codigo_siagie__regex=r"^[0-9A-Z]{14}$"),
                name="estudiante_codigo_siagie_14",
            ),
            models.UniqueConstraint(
                fields=["codigo_siagie"], name="estudiante_codigo_siagie_unico"
            ),
        ]

    def __str__(self) -> str:
        return self.nombre_completo

    @property
    def nombre_completo(self) -> str:
        apellidos = " ".join(
            p for p in (self.apellido_paterno, self.apellido_materno) if p
        )
        return f"{apellidos}, {self.nombres}"


class Hogar(models.Model):
    estudiante = models.OneToOneField(
        Estudiante, on_delete=models.CASCADE, related_name="hogar"
    )
    cse = models.CharField(_("clasificación socioeconómica"), max_length=20, blank=True)
    programa_juntos = models.BooleanField(_("programa Juntos"), null=True)
    fecha_corte = models.DateField(_("fecha de corte"), null=True, blank=True)

    class Meta:
        verbose_name = _("hogar")
        verbose_name_plural = _("hogares")

    def __str__(self) -> str:
        # Never a student's name: this string can reach logs and the admin.
        return f"hogar #{self.pk}"


class MatriculaQuerySet(models.QuerySet):
    def vigentes(self) -> "MatriculaQuerySet":
        """Enrollments still in their sección: not moved out, not deceased."""
        return self.exclude(
            situacion_final__in=[SituacionFinal.TRASLADADO, SituacionFinal.FALLECIDO]
        )

    def con_riesgo(self) -> "MatriculaQuerySet":
        """Enrollments whose students get a risk score: not 5.º de secundaria."""
        return self.exclude(q_quinto_de_secundaria("seccion__"))

    def sin_riesgo(self) -> "MatriculaQuerySet":
        """Enrollments of 5.º de secundaria: no label, no risk score."""
        return self.filter(q_quinto_de_secundaria("seccion__"))


class Matricula(models.Model):
    # No index of its own: matricula_unica_por_seccion starts with it.
    estudiante = models.ForeignKey(
        Estudiante, on_delete=models.CASCADE, related_name="matriculas", db_index=False
    )
    seccion = models.ForeignKey(
        Seccion, on_delete=models.PROTECT, related_name="matriculas"
    )
    situacion_matricula = models.CharField(
        _("situación de matrícula"),
        max_length=12,
        choices=SituacionMatricula.choices,
        blank=True,
    )
    fecha_matricula = models.DateField(_("fecha de matrícula"), null=True, blank=True)
    situacion_final = models.CharField(
        _("situación final"), max_length=24, choices=SituacionFinal.choices, blank=True
    )
    nivel_instruccion_apoderado = models.CharField(max_length=30, blank=True)
    parentesco_apoderado = models.CharField(max_length=20, blank=True)
    trabaja = models.BooleanField(null=True)
    horas_semanales_trabajo = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = MatriculaQuerySet.as_manager()

    class Meta:
        verbose_name = _("matrícula")
        verbose_name_plural = _("matrículas")
        constraints = [
            # A student moved mid-year has two matrículas in one year, in two
            # secciones; the same sección twice is a duplicate.
            models.UniqueConstraint(
                fields=["estudiante", "seccion"], name="matricula_unica_por_seccion"
            ),
            models.CheckConstraint(
                condition=Q(horas_semanales_trabajo__isnull=True)
                | Q(horas_semanales_trabajo__lte=100),
                name="matricula_horas_trabajo_plausibles",
            ),
        ]

    def __str__(self) -> str:
        # Never a student's name: this string can reach logs and the admin.
        return f"matrícula #{self.pk}"


class Evaluacion(models.Model):
    estudiante = models.ForeignKey(
        Estudiante, on_delete=models.CASCADE, related_name="evaluaciones"
    )
    anio = models.PositiveSmallIntegerField(_("año"))
    ie = models.ForeignKey(
        InstitucionEducativa, on_delete=models.PROTECT, null=True, related_name="+"
    )
    periodo = models.CharField(_("periodo"), max_length=5)
    area = models.CharField(_("área curricular"), max_length=60)
    calificativo = models.CharField(_("calificativo"), max_length=2)

    class Meta:
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")
        constraints = [
            models.UniqueConstraint(
                fields=["estudiante", "anio", "periodo", "area"],
                name="evaluacion_unica",
            )
        ]
        # Serves the per-year feature queries of the risk model.
        indexes = [
            models.Index(fields=["anio", "area"], name="evaluacion_anio_area_idx")
        ]

    def __str__(self) -> str:
        return f"{self.anio} {self.area} {self.periodo}"


class Asistencia(models.Model):
    estudiante = models.ForeignKey(
        Estudiante, on_delete=models.CASCADE, related_name="asistencias"
    )
    anio = models.PositiveSmallIntegerField(_("año"))
    periodo = models.CharField(_("periodo"), max_length=5)
    dias_lectivos = models.PositiveSmallIntegerField(_("días lectivos"))
    inasistencias_injustificadas = models.PositiveSmallIntegerField()
    inasistencias_justificadas = models.PositiveSmallIntegerField(null=True)

    class Meta:
        verbose_name = _("asistencia")
        verbose_name_plural = _("asistencias")
        constraints = [
            models.UniqueConstraint(
                fields=["estudiante", "anio", "periodo"], name="asistencia_unica"
            ),
            models.CheckConstraint(
                condition=Q(
                    inasistencias_injustificadas__lte=models.F("dias_lectivos")
                ),
                name="asistencia_inasistencias_no_superan_dias",
            ),
        ]
        indexes = [models.Index(fields=["anio"], name="asistencia_anio_idx")]

    def __str__(self) -> str:
        return f"{self.anio} periodo {self.periodo}"


class Usuario(AbstractUser):
    numero_documento = models.CharField(
        _("número de documento"), max_length=12, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")


class Rol(models.TextChoices):
    TUTOR = "TUTOR", _("Docente tutor")
    DIRECTOR = "DIRECTOR", _("Director")
    ESPECIALISTA_UGEL = "UGEL", _("Especialista UGEL")
    ESPECIALISTA_DRE = "DRE", _("Especialista DRE")
    NACIONAL = "NACIONAL", _("Minedu (nacional)")


# The fields that make up each role's scope (all others stay empty).
ALCANCE_POR_ROL: dict[str, tuple[str, ...]] = {
    Rol.TUTOR: ("seccion",),
    Rol.DIRECTOR: ("ie", "anio"),
    Rol.ESPECIALISTA_UGEL: ("ugel",),
    Rol.ESPECIALISTA_DRE: ("dre",),
    Rol.NACIONAL: (),
}
CAMPOS_ALCANCE = ("seccion", "ie", "anio", "ugel", "dre")


class AsignacionQuerySet(models.QuerySet):
    def vigentes(self) -> "AsignacionQuerySet":
        return self.filter(activa=True)


class Asignacion(models.Model):
    """One role held by one person. A person may hold several."""

    usuario = models.ForeignKey(
        Usuario, on_delete=models.CASCADE, related_name="asignaciones"
    )
    rol = models.CharField(_("rol"), max_length=10, choices=Rol.choices)
    seccion = models.ForeignKey(
        Seccion, on_delete=models.CASCADE, null=True, blank=True, related_name="tutores"
    )
    ie = models.ForeignKey(
        InstitucionEducativa,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="directores",
    )
    anio = models.PositiveSmallIntegerField(_("año"), null=True, blank=True)
    ugel = models.ForeignKey(Ugel, on_delete=models.CASCADE, null=True, blank=True)
    dre = models.ForeignKey(Dre, on_delete=models.CASCADE, null=True, blank=True)
    activa = models.BooleanField(default=True)
    creada = models.DateTimeField(auto_now_add=True)

    objects = AsignacionQuerySet.as_manager()

    class Meta:
        verbose_name = _("asignación de rol")
        verbose_name_plural = _("asignaciones de rol")
        constraints = [
            # Each role names exactly the scope it covers, and nothing else.
            models.CheckConstraint(
                condition=reduce(
                    or_,
                    (
                        Q(
                            rol=rol,
                            **{f"{c}__isnull": c not in campos for c in CAMPOS_ALCANCE},
                        )
                        for rol, campos in ALCANCE_POR_ROL.items()
                    ),
                ),
                name="asignacion_alcance_segun_rol",
            ),
            models.UniqueConstraint(
                fields=["usuario", "seccion"],
                condition=Q(rol=Rol.TUTOR),
                name="asignacion_tutor_unica",
            ),
            models.UniqueConstraint(
                fields=["usuario", "ie", "anio"],
                condition=Q(rol=Rol.DIRECTOR),
                name="asignacion_director_unica",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rol_display()}: {self.usuario}"


class Accion(models.TextChoices):
    VER_LISTA = "VER_LISTA", _("Vio una lista nominal")
    DESCARGAR = "DESCARGAR", _("Descargó una lista nominal")
    VER_ESTUDIANTE = "VER_ESTUD", _("Vio la ficha de un estudiante")
    VER_DOCENTES = "VER_DOCEN", _("Vio datos personales de docentes")


class RegistroAcceso(models.Model):
    """Who viewed or downloaded personal data (of students or teachers), and when."""

    usuario = models.ForeignKey(
        Usuario, on_delete=models.PROTECT, related_name="accesos"
    )
    accion = models.CharField(max_length=10, choices=Accion.choices)
    # What was opened, by opaque reference (e.g. "seccion:<uuid>"), never a name.
    objeto = models.CharField(max_length=80)
    fecha = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("registro de acceso")
        verbose_name_plural = _("registros de acceso")
        ordering = ["-fecha"]

    def __str__(self) -> str:
        return f"{self.fecha:%Y-%m-%d %H:%M} {self.accion} {self.objeto}"


class TokenApiQuerySet(models.QuerySet):
    def vigentes(self) -> "TokenApiQuerySet":
        return self.filter(revocado__isnull=True, expira__gt=timezone.now())


class TokenApi(models.Model):
    """A personal API token: it authenticates as its user, never wider.

    Only the SHA-256 of the secret is kept: the secret is 32 random bytes, so a
    fast hash is enough (nothing to guess from a dictionary). The prefix is the
    start of the secret, shown in the list so that its owner recognises it and
    used to find the row before the hash is compared.
    """

    # The mark at the start of every secret, so that one pasted in a log or
    # a repository by mistake is recognised for what it is.
    MARCA = "ae_"
    LARGO_PREFIJO = 11  # MARCA and the first 8 random characters

    usuario = models.ForeignKey(
        Usuario, on_delete=models.CASCADE, related_name="tokens_api"
    )
    nombre = models.CharField(_("nombre"), max_length=80)
    # Index: every API request looks its token up by this prefix.
    prefijo = models.CharField(_("prefijo"), max_length=16, db_index=True)
    hash = models.CharField(max_length=64)
    creado = models.DateTimeField(_("creado"), auto_now_add=True)
    expira = models.DateTimeField(_("vence"))
    solo_lectura = models.BooleanField(_("solo lectura"), default=False)
    revocado = models.DateTimeField(_("revocado"), null=True, blank=True)
    ultimo_uso = models.DateTimeField(_("último uso"), null=True, blank=True)

    objects = TokenApiQuerySet.as_manager()

    class Meta:
        verbose_name = _("token de API")
        verbose_name_plural = _("tokens de API")
        ordering = ["-creado"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hash__regex=r"^[0-9a-f]{64}$"), name="token_api_hash_sha256"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nombre} ({self.prefijo}…)"

    @staticmethod
    def hash_de(secreto: str) -> str:
        return hashlib.sha256(secreto.encode()).hexdigest()

    def coincide(self, secreto: str) -> bool:
        return hmac.compare_digest(self.hash, self.hash_de(secreto))

    @property
    def vencido(self) -> bool:
        return self.expira <= timezone.now()

    @property
    def vigente(self) -> bool:
        return self.revocado is None and not self.vencido
