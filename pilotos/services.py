"""Writes of an evaluation: create it, draw it (again while a draft), publish
it. A published evaluation is frozen: every write here refuses it.

Eligible units and their covariates at draw time:

- size: current students of the unit's IEs with a level or in 5.º de
  secundaria, from the current scoring run's aggregates (as every count);
- rural share: the share of those students at IEs of área rural;
- share at medio + alto: students at medio or alto over those with a level;
- last year's dropout: the share of the previous school year's enrollments at
  the unit's IEs that ended withdrawn (situación final «Retirado»), the
  within-year dropout SIAGIE records; empty when that year was not imported.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alerta.models import (
    Area,
    InstitucionEducativa,
    Matricula,
    SituacionFinal,
    Ugel,
    Usuario,
)
from alerta.presentacion.conteos import conteos_por_clave
from riesgo.models import EjecucionPuntaje
from seguimiento.agregados import anio_escolar, bimestre_de

from . import sorteo
from .models import Estado, Evaluacion, Unidad, UnidadEvaluacion, validar_brazos


@dataclass
class Elegible:
    codigo: str
    ugel: Ugel
    ies: list[InstitucionEducativa] = field(default_factory=list)
    tamano: int = 0
    rurales: int = 0
    en_riesgo: int = 0
    con_nivel: int = 0
    retirados: int = 0
    matriculas_anteriores: int = 0

    @property
    def proporcion_rural(self) -> float:
        if self.tamano:
            return self.rurales / self.tamano
        # No students counted: the share of its IEs that are rural.
        return sum(ie.area == Area.RURAL for ie in self.ies) / len(self.ies)

    @property
    def proporcion_medio_alto(self) -> float | None:
        return self.en_riesgo / self.con_nivel if self.con_nivel else None

    @property
    def desercion_anterior(self) -> float | None:
        if not self.matriculas_anteriores:
            return None
        return self.retirados / self.matriculas_anteriores


def banda_de_tamano(tamano: int, cortes: list[int]) -> str:
    """The size band's label: "<100", "100-299", "≥300" for cuts [100, 300]."""
    desde = 0
    for corte in cortes:
        if tamano < corte:
            return f"<{corte}" if desde == 0 else f"{desde}-{corte - 1}"
        desde = corte
    return f"≥{desde}" if cortes else "todas"


def estrato_de(ugel: Ugel, tamano: int, cortes: list[int]) -> str:
    return f"{ugel.codigo}|{banda_de_tamano(tamano, cortes)}"


def _ies_elegibles(evaluacion: Evaluacion) -> QuerySet[InstitucionEducativa]:
    ies = InstitucionEducativa.objects.filter(
        ugel__in=evaluacion.ugeles.all(), activa=True
    ).select_related("ugel")
    if evaluacion.area:
        ies = ies.filter(area=evaluacion.area)
    if evaluacion.unidad == Unidad.LOCAL:
        # A local escolar needs its code: IEs without one cannot be grouped.
        ies = ies.exclude(codigo_local="")
    return ies


def elegibles(
    evaluacion: Evaluacion, ejecucion: EjecucionPuntaje | None
) -> list[Elegible]:
    """The evaluation's eligible units with their covariates, sorted by code."""
    ies = _ies_elegibles(evaluacion)
    conteos = conteos_por_clave(ejecucion, ies)
    unidades: dict[str, Elegible] = {}
    de_ie: dict[int, Elegible] = {}
    for ie in ies.order_by("codigo_modular", "anexo"):
        codigo = ie.codigo_local if evaluacion.unidad == Unidad.LOCAL else ie.codigo
        # A local shared by IEs of two UGELs stays with the first one's UGEL.
        u = unidades.setdefault(codigo, Elegible(codigo=codigo, ugel=ie.ugel))
        u.ies.append(ie)
        de_ie[ie.pk] = u
        c = conteos.get(ie.pk)
        if c is not None:
            u.tamano += c.matriculados
            u.rurales += c.matriculados if ie.area == Area.RURAL else 0
            u.en_riesgo += c.en_riesgo
            u.con_nivel += c.total
    if ejecucion is not None:
        anteriores = (
            Matricula.objects.filter(
                seccion__ie__in=ies, seccion__anio=ejecucion.anio - 1
            )
            .values("seccion__ie")
            .annotate(
                n=Count("pk"),
                r=Count("pk", filter=Q(situacion_final=SituacionFinal.RETIRADO)),
            )
            .order_by()
        )
        for f in anteriores:
            u = de_ie[f["seccion__ie"]]
            u.matriculas_anteriores += f["n"]
            u.retirados += f["r"]
    lista = [u for u in unidades.values() if u.en_riesgo >= evaluacion.minimo_en_riesgo]
    if evaluacion.maximo_unidades:
        # The N with the most students at medio + alto; ties by code.
        lista.sort(key=lambda u: (-u.en_riesgo, u.codigo))
        lista = lista[: evaluacion.maximo_unidades]
    return sorted(lista, key=lambda u: u.codigo)


def _si_borrador(evaluacion: Evaluacion) -> None:
    if evaluacion.publicada:
        raise ValidationError(
            _("La evaluación ya fue publicada: no se puede modificar ni sortear."),
            code="publicada",
        )


def evaluacion_crear(*, creada_por: Usuario, ugeles, **campos) -> Evaluacion:
    validar_brazos(campos.get("brazos"))
    with transaction.atomic():
        evaluacion = Evaluacion.objects.create(creada_por=creada_por, **campos)
        evaluacion.ugeles.set(ugeles)
    return evaluacion


@transaction.atomic
def evaluacion_sortear(*, evaluacion: Evaluacion) -> Evaluacion:
    """Draw (or draw again, while a draft) the evaluation's units: eligible
    list, strata, arms, and what it takes to redraw it."""
    evaluacion = Evaluacion.objects.select_for_update().get(pk=evaluacion.pk)
    _si_borrador(evaluacion)
    validar_brazos(evaluacion.brazos)
    ejecucion = EjecucionPuntaje.objects.vigente()
    lista = elegibles(evaluacion, ejecucion)
    if not lista:
        raise ValidationError(
            _("Ninguna unidad cumple las condiciones de elegibilidad."),
            code="sin_unidades",
        )
    cortes = evaluacion.cortes_tamano
    pares = [(u.codigo, estrato_de(u.ugel, u.tamano, cortes)) for u in lista]
    brazos = sorteo.sortear(pares, evaluacion.brazos, evaluacion.semilla)
    evaluacion.unidades.all().delete()
    for u, (codigo, estrato) in zip(lista, pares, strict=True):
        fila = UnidadEvaluacion.objects.create(
            evaluacion=evaluacion,
            codigo=codigo,
            ugel=u.ugel,
            estrato=estrato,
            brazo=brazos[codigo],
            tamano=u.tamano,
            proporcion_rural=u.proporcion_rural,
            proporcion_medio_alto=u.proporcion_medio_alto,
            en_riesgo=u.en_riesgo,
            desercion_anterior=u.desercion_anterior,
        )
        fila.ies.set(u.ies)
    v = sorteo.versiones()
    evaluacion.ejecucion = ejecucion
    evaluacion.version_numpy = v["numpy"]
    evaluacion.version_python = v["python"]
    evaluacion.hash_elegibles = sorteo.hash_elegibles(pares)
    evaluacion.sorteada_en = timezone.now()
    evaluacion.save()
    return evaluacion


def redibujar(evaluacion: Evaluacion) -> dict[str, str]:
    """The draw again from what is stored (units, strata, arms, seed): it must
    give every unit the arm it has. Raises ValidationError when the stored
    list does not match its hash."""
    pares = list(evaluacion.unidades.values_list("codigo", "estrato"))
    if sorteo.hash_elegibles(pares) != evaluacion.hash_elegibles:
        raise ValidationError(
            _("La lista de unidades no coincide con la guardada en el sorteo."),
            code="hash",
        )
    return sorteo.sortear(pares, evaluacion.brazos, evaluacion.semilla)


def actua_hasta_por_defecto(evaluacion: Evaluacion) -> date:
    """The last day of the school year of the evaluation's scoring run (or
    of today's school year, before any run)."""
    if evaluacion.ejecucion_id is not None:
        anio = evaluacion.ejecucion.anio
    else:
        anio = bimestre_de(timezone.localdate())[0].year
    return anio_escolar(anio)[1]


def _superpuesta(evaluacion: Evaluacion, desde: date) -> UnidadEvaluacion | None:
    """A unit of another published evaluation that acts on or after `desde`
    holding one of this evaluation's IEs, if any. One query."""
    return (
        UnidadEvaluacion.objects.filter(
            evaluacion__estado=Estado.PUBLICADA,
            evaluacion__actua_hasta__gte=desde,
            ies__in=InstitucionEducativa.objects.filter(
                pk__in=UnidadEvaluacion.ies.through.objects.filter(
                    unidadevaluacion__evaluacion=evaluacion
                ).values("institucioneducativa_id")
            ),
        )
        .exclude(evaluacion=evaluacion)
        .select_related("evaluacion")
        .order_by("evaluacion__actua_hasta", "codigo")
        .first()
    )


@transaction.atomic
def evaluacion_publicar(
    *, evaluacion: Evaluacion, actua_hasta: date | None = None
) -> Evaluacion:
    """Publish the evaluation: its draw is frozen and its arms act from today
    to `actua_hasta` included (by default the last day of the school year of
    its scoring run). Refused when one of its IEs is in a unit of another
    evaluation whose arms act over those days: a teacher cannot be in two
    arms at once."""
    evaluacion = Evaluacion.objects.select_for_update().get(pk=evaluacion.pk)
    _si_borrador(evaluacion)
    if evaluacion.sorteada_en is None:
        raise ValidationError(
            _("Sortee la evaluación antes de publicarla."), code="sin_sorteo"
        )
    hoy = timezone.localdate()
    if actua_hasta is None:
        actua_hasta = actua_hasta_por_defecto(evaluacion)
    if actua_hasta < hoy:
        raise ValidationError(
            _("La fecha hasta la que actúan los brazos no puede ser anterior a hoy."),
            code="actua_hasta",
        )
    otra = _superpuesta(evaluacion, hoy)
    if otra is not None:
        raise ValidationError(
            _(
                "Hay instituciones educativas de esta evaluación (por ejemplo, las "
                "de la unidad %(codigo)s) en la evaluación «%(otra)s», cuyos brazos "
                "actúan hasta el %(hasta)s: una IE no puede estar en dos brazos a "
                "la vez. Publíquela cuando aquella termine o excluya esas UGEL."
            )
            % {
                "codigo": otra.codigo,
                "otra": otra.evaluacion.nombre,
                "hasta": formats.date_format(
                    otra.evaluacion.actua_hasta, "SHORT_DATE_FORMAT"
                ),
            },
            code="superpuesta",
        )
    evaluacion.estado = Estado.PUBLICADA
    evaluacion.publicada_en = timezone.now()
    evaluacion.actua_hasta = actua_hasta
    evaluacion.save(update_fields=["estado", "publicada_en", "actua_hasta"])
    return evaluacion
