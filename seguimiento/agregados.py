"""What directors, UGELs and DREs see of follow-up: counts, never names of
students (the tutors' names are staff's).

Definitions (the pages say them in a short note):

- alto/medio: the current enrollments (`Matricula.vigentes()`) of the school
  year shown whose score in the current run (`riesgo.selectors.con_puntaje`,
  the join every count reads) is ALTO or MEDIO. 5.º de secundaria is never
  at a level (decision 0012), as in `alerta.presentacion.conteos`.
- bimester: two calendar months from March: Mar–Apr, May–Jun, Jul–Aug,
  Sep–Oct and Nov–Dec; January and February count as Nov–Dec of the year
  before (the last bimester runs from November to the end of February).
  `bimestre_de`. The school year `anio` is its five bimesters: 1 March of
  `anio` to the end of February of `anio + 1`.
- an action counts when it was done or attempted (REALIZADA, SIN_CONTACTO; a
  planned one does not) and its date is in the period. It counts for the
  student, whatever sección it was written in.
- monthly completion: current students with this month's record
  (`services.mes_actual`) / current students (every one, 5.º included).
- a sección's tutors are behind (`atrasada`) when last month's record is
  incomplete (< 100 %) or, after the 15th, this month's is under 50 %. Last
  month does not count when it is before the school year (March).

Each figure is a grouped SQL query over the enrollments (Count with Exists
filters), never a loop over students: a UGEL has up to ~900 IEs and 100,000
students. Callers pass querysets that already went through `alerta.scoping`.
"""

from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from alerta.models import (
    InstitucionEducativa,
    Matricula,
    Seccion,
    q_quinto_de_secundaria,
)
from alerta.presentacion.filas import tutores_por_seccion
from riesgo.models import EjecucionPuntaje, NivelRiesgo
from riesgo.selectors import con_puntaje, ejecucion_vigente

from .models import AccionSeguimiento, EstadoAccion
from .resumen import q_con_registro_del_mes
from .services import mes_de

ESTADOS_QUE_CUENTAN = (EstadoAccion.REALIZADA, EstadoAccion.SIN_CONTACTO)
NIVELES_EN_RIESGO = (NivelRiesgo.ALTO, NivelRiesgo.MEDIO)
# The day of the month after which this month's record is expected half done.
DIA_DE_MITAD = 15
MITAD = 50.0

# "Not given": the current run is read unless a caller passes one (or None).
_VIGENTE = object()


# --- Periods ----------------------------------------------------------------


def _fin_de_febrero(anio: int) -> date:
    return date(anio, 2, monthrange(anio, 2)[1])


def bimestre_de(fecha: date) -> tuple[date, date]:
    """The bimester holding `fecha`: its first and last day (both included).

    Mar–Apr, May–Jun, Jul–Aug, Sep–Oct; Nov–Dec runs to the end of the next
    February (January and February count as Nov–Dec of the year before)."""
    if fecha.month <= 2:
        return date(fecha.year - 1, 11, 1), _fin_de_febrero(fecha.year)
    if fecha.month >= 11:
        return date(fecha.year, 11, 1), _fin_de_febrero(fecha.year + 1)
    primero = fecha.month - (fecha.month - 3) % 2
    ultimo = primero + 1
    return date(fecha.year, primero, 1), date(
        fecha.year, ultimo, monthrange(fecha.year, ultimo)[1]
    )


def anio_escolar(anio: int) -> tuple[date, date]:
    """The school year `anio` as dates: its five bimesters."""
    return date(anio, 3, 1), _fin_de_febrero(anio + 1)


def mes_anterior(mes: date) -> date:
    return mes_de(mes.replace(day=1) - timedelta(days=1))


def porcentaje(parte: int, todo: int) -> float | None:
    """A share in percent, one decimal; no figure without a whole."""
    return round(100 * parte / todo, 1) if todo else None


def atrasada(pct_mes_anterior: float | None, pct_mes: float | None, dia: int) -> bool:
    """Whether a sección's tutors are behind with the monthly record: last
    month incomplete, or past the 15th with this month under half. None is "no
    figure" (no students, or last month outside the school year)."""
    if pct_mes_anterior is not None and pct_mes_anterior < 100:
        return True
    return dia > DIA_DE_MITAD and pct_mes is not None and pct_mes < MITAD


# --- Pieces of the queries -------------------------------------------------------


def _q_alto_medio() -> Q:
    return Q(puntaje_vigente__nivel__in=NIVELES_EN_RIESGO) & ~q_quinto_de_secundaria(
        "seccion__"
    )


def _con_accion(inicio: date, fin: date) -> Exists:
    """The enrollment's student had an action that counts between the dates."""
    return Exists(
        AccionSeguimiento.objects.filter(
            estudiante_id=OuterRef("estudiante_id"),
            estado__in=ESTADOS_QUE_CUENTAN,
            fecha__gte=inicio,
            fecha__lte=fin,
        )
    )


def _ejecucion(ejecucion) -> EjecucionPuntaje | None:
    return ejecucion_vigente() if ejecucion is _VIGENTE else ejecucion


# --- Per sección (the director's IE page and workbook) ---------------------------


@dataclass
class FilaSeccion:
    seccion: Seccion
    alto_medio: int = 0
    con_accion: int = 0
    estudiantes: int = 0
    registros: int = 0
    registros_anterior: int = 0
    # Last month's completion counts (False before the school year starts).
    cuenta_anterior: bool = False
    tutores: list[str] = field(default_factory=list)
    atrasada: bool = False

    @property
    def sin_accion(self) -> int:
        return self.alto_medio - self.con_accion

    @property
    def pct_accion(self) -> float | None:
        return porcentaje(self.con_accion, self.alto_medio)

    @property
    def pct_registro(self) -> float | None:
        return porcentaje(self.registros, self.estudiantes)

    @property
    def pct_registro_anterior(self) -> float | None:
        if not self.cuenta_anterior:
            return None
        return porcentaje(self.registros_anterior, self.estudiantes)


def por_seccion(
    ie: InstitucionEducativa,
    anio: int | None,
    *,
    secciones: QuerySet[Seccion] | Sequence[Seccion] | None = None,
    ejecucion=_VIGENTE,
    hoy: date | None = None,
) -> list[FilaSeccion]:
    """Each sección of the IE in school year `anio` (or of `secciones`, already
    scoped to the IE and year: a queryset, or a list already fetched, kept in
    its order) with its follow-up figures: alto+medio students and those with
    an action this bimester, current students and this month's records, its
    tutors and whether they are behind. Three queries, two given a list."""
    hoy = hoy or timezone.localdate()
    mes = mes_de(hoy)
    anterior = mes_anterior(mes)
    inicio, fin = bimestre_de(hoy)
    if secciones is None:
        secciones = Seccion.objects.filter(ie=ie, anio=anio)
    if isinstance(secciones, QuerySet):
        ids = secciones.values("pk")
        secciones = secciones.order_by("nivel", "grado", "letra")
    else:
        # Already fetched (the IE page's list): no query for them again.
        ids = [s.pk for s in secciones]
    alto_medio = _q_alto_medio()
    filas = (
        con_puntaje(
            Matricula.objects.vigentes().filter(seccion__in=ids),
            _ejecucion(ejecucion),
        )
        .values("seccion_id")
        .annotate(
            estudiantes=Count("pk"),
            alto_medio=Count("pk", filter=alto_medio),
            con_accion=Count("pk", filter=alto_medio & Q(_con_accion(inicio, fin))),
            registros=Count("pk", filter=Q(q_con_registro_del_mes(mes))),
            registros_anterior=Count("pk", filter=Q(q_con_registro_del_mes(anterior))),
        )
        .order_by()
    )
    cifras = {f.pop("seccion_id"): f for f in filas}
    tutores = tutores_por_seccion(Seccion.objects.filter(pk__in=ids))
    resultado = []
    for s in secciones:
        fila = FilaSeccion(
            seccion=s,
            cuenta_anterior=anterior >= anio_escolar(s.anio)[0],
            tutores=tutores.get(s.pk, []),
            **cifras.get(s.pk, {}),
        )
        fila.atrasada = atrasada(fila.pct_registro_anterior, fila.pct_registro, hoy.day)
        resultado.append(fila)
    return resultado


# --- Per IE (UGEL and DRE pages) ---------------------------------------------------


@dataclass
class FilaIE:
    ie_id: int
    # The IE's name and codes only, read in the same query (rotulo, codigo).
    ie: InstitucionEducativa | None = None
    alto_medio: int = 0
    con_accion: int = 0
    estudiantes: int = 0
    registros: int = 0

    @property
    def sin_accion(self) -> int:
        return self.alto_medio - self.con_accion

    @property
    def pct_accion(self) -> float | None:
        return porcentaje(self.con_accion, self.alto_medio)

    @property
    def pct_registro(self) -> float | None:
        return porcentaje(self.registros, self.estudiantes)

    def __add__(self, otra: "FilaIE") -> "FilaIE":
        return FilaIE(
            ie_id=0,
            alto_medio=self.alto_medio + otra.alto_medio,
            con_accion=self.con_accion + otra.con_accion,
            estudiantes=self.estudiantes + otra.estudiantes,
            registros=self.registros + otra.registros,
        )


# Grouped by IE with what a page says of it: no query for the IEs themselves.
CAMPOS_IE = (
    "seccion__ie_id",
    "seccion__ie__nombre",
    "seccion__ie__codigo_modular",
    "seccion__ie__anexo",
)


def por_ie(
    ies: QuerySet[InstitucionEducativa],
    *,
    anio: int | None = None,
    ejecucion=_VIGENTE,
    hoy: date | None = None,
) -> dict[int, FilaIE]:
    """Each IE of `ies` with a current student in school year `anio` (by
    default the run's, else this one's): alto+medio students, those with an
    action that counts in the school year, current students and this month's
    records, and in `ie` the IE's name and codes (not a full record). One
    query, grouped by IE."""
    hoy = hoy or timezone.localdate()
    ejecucion = _ejecucion(ejecucion)
    if anio is None:
        anio = ejecucion.anio if ejecucion else bimestre_de(hoy)[0].year
    inicio, fin = anio_escolar(anio)
    alto_medio = _q_alto_medio()
    filas = (
        con_puntaje(
            Matricula.objects.vigentes().filter(
                seccion__ie__in=ies.values("pk"), seccion__anio=anio
            ),
            ejecucion,
        )
        .values(*CAMPOS_IE)
        .annotate(
            estudiantes=Count("pk"),
            alto_medio=Count("pk", filter=alto_medio),
            con_accion=Count("pk", filter=alto_medio & Q(_con_accion(inicio, fin))),
            registros=Count("pk", filter=Q(q_con_registro_del_mes(mes_de(hoy)))),
        )
        .order_by()
    )
    return {
        f["seccion__ie_id"]: FilaIE(
            ie_id=f["seccion__ie_id"],
            ie=InstitucionEducativa(
                pk=f["seccion__ie_id"],
                nombre=f["seccion__ie__nombre"],
                codigo_modular=f["seccion__ie__codigo_modular"],
                anexo=f["seccion__ie__anexo"],
            ),
            alto_medio=f["alto_medio"],
            con_accion=f["con_accion"],
            estudiantes=f["estudiantes"],
            registros=f["registros"],
        )
        for f in filas
    }


def ranking_sin_accion(
    ies: QuerySet[InstitucionEducativa],
    n: int = 10,
    *,
    filas: dict[int, FilaIE] | None = None,
    **kwargs,
) -> list[tuple[InstitucionEducativa, FilaIE]]:
    """The `n` IEs with most alto+medio students without any action this
    school year, most first (ties by name); IEs with none are left out.
    `filas` are `por_ie`'s figures of `ies` when the caller has them already
    (no query then; kwargs go to `por_ie` otherwise)."""
    if filas is None:
        filas = por_ie(ies, **kwargs)
    primeras = sorted(
        (f for f in filas.values() if f.sin_accion > 0),
        key=lambda f: (-f.sin_accion, f.ie.nombre, f.ie_id),
    )[:n]
    return [(f.ie, f) for f in primeras]
