"""Teachers' use of the portal around their training, beside those not yet
trained: the evaluation's own comparison, updated as the weeks come in.

For each modality, the teachers who attended a session of it (their first
such session): their mean use in the 4 weeks before the session's week and
in the 4 weeks from it, beside the mean use of the UGEL's teachers not yet
trained (no attended session) over the same calendar weeks. A teacher enters
once their 4 weeks after the session are over. It describes; it does not
estimate the effect of training (who attends is not chosen at random).

`comparar` is pure: it takes the sessions attended, the teachers not trained
and the weekly use, and returns the means. `comparacion_de_ugel` reads them.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Max

from alerta.models import InstitucionEducativa, Ugel
from monitoreo.calculo import lunes_de as lunes
from monitoreo.models import UsoDocenteSemana

from .models import Invitacion, Modalidad
from .scoping import asignaciones_docentes

SEMANAS = 4
METRICAS = ("listas", "acciones", "lecturas")


@dataclass(frozen=True)
class Asistencia:
    """A teacher who attended a session of `modalidad` in the week `semana`."""

    usuario_id: int
    modalidad: str
    semana: dt.date


@dataclass(frozen=True)
class UsoSemana:
    """A teacher's use in one week (the nightly aggregation writes the same
    counts at each of their IEs)."""

    listas: int = 0
    acciones: int = 0
    lecturas: int = 0


@dataclass(frozen=True)
class Medias:
    """Mean use per teacher over a 4-week window."""

    n: int
    # Share (0 to 1) of the window's weeks with some use.
    semanas_activas: float
    listas: float
    acciones: float
    lecturas: float

    @property
    def pct_semanas_activas(self) -> float:
        return self.semanas_activas * 100


@dataclass(frozen=True)
class Fila:
    modalidad: str
    capacitados_antes: Medias
    capacitados_despues: Medias
    sin_capacitar_antes: Medias
    sin_capacitar_despues: Medias
    # Trained teachers whose 4 weeks after the session are not over yet.
    pendientes: int

    @property
    def etiqueta(self) -> str:
        return str(Modalidad(self.modalidad).label)


def _ventana(desde: dt.date) -> list[dt.date]:
    return [desde + dt.timedelta(weeks=i) for i in range(SEMANAS)]


def _uso_en(
    usos: Mapping[tuple[int, dt.date], UsoSemana], usuario_id: int, semanas
) -> tuple[float, int, int, int]:
    """(share of active weeks, listas, acciones, lecturas) of one teacher."""
    filas = [usos[(usuario_id, s)] for s in semanas if (usuario_id, s) in usos]
    return (
        len(filas) / SEMANAS,
        sum(f.listas for f in filas),
        sum(f.acciones for f in filas),
        sum(f.lecturas for f in filas),
    )


def _medias(valores: list[tuple[float, ...]], n: int) -> Medias:
    if not valores:
        return Medias(n, 0.0, 0.0, 0.0, 0.0)
    k = len(valores)
    sumas = [sum(v[i] for v in valores) for i in range(4)]
    return Medias(n, *(s / k for s in sumas))


def comparar(
    *,
    asistencias: Iterable[Asistencia],
    sin_capacitar: Iterable[int],
    usos: Mapping[tuple[int, dt.date], UsoSemana],
    semana_actual: dt.date,
) -> list[Fila]:
    """One row per modality with trained teachers (in Modalidad's order).

    `usos` maps (teacher, Monday) to that week's use; weeks without a row had
    no use. Only weeks before `semana_actual` are over. The untrained
    teachers' means are taken over the same windows as the trained ones
    (one window per trained teacher), so both groups cover the same weeks.
    """
    primeras: dict[tuple[str, int], dt.date] = {}
    for a in asistencias:
        clave = (a.modalidad, a.usuario_id)
        if clave not in primeras or a.semana < primeras[clave]:
            primeras[clave] = a.semana
    sin_capacitar = sorted(set(sin_capacitar))
    filas = []
    for modalidad in Modalidad.values:
        semanas = [s for (m, _u), s in primeras.items() if m == modalidad]
        if not semanas:
            continue
        listos = [
            (u, s)
            for (m, u), s in sorted(primeras.items())
            if m == modalidad and s + dt.timedelta(weeks=SEMANAS) <= semana_actual
        ]
        antes, despues, otros_antes, otros_despues = [], [], [], []
        for u, s in listos:
            previa = _ventana(s - dt.timedelta(weeks=SEMANAS))
            posterior = _ventana(s)
            antes.append(_uso_en(usos, u, previa))
            despues.append(_uso_en(usos, u, posterior))
            otros_antes.extend(_uso_en(usos, o, previa) for o in sin_capacitar)
            otros_despues.extend(_uso_en(usos, o, posterior) for o in sin_capacitar)
        n_otros = len(sin_capacitar) if listos else 0
        filas.append(
            Fila(
                modalidad=modalidad,
                capacitados_antes=_medias(antes, len(listos)),
                capacitados_despues=_medias(despues, len(listos)),
                sin_capacitar_antes=_medias(otros_antes, n_otros),
                sin_capacitar_despues=_medias(otros_despues, n_otros),
                pendientes=len(semanas) - len(listos),
            )
        )
    return filas


def comparacion_de_ugel(*, ugel: Ugel, anio: int | None, hoy: dt.date) -> list[Fila]:
    """The comparison for the teachers of `ugel`. Three queries."""
    asistencias = [
        Asistencia(usuario_id=u, modalidad=m, semana=lunes(f))
        for u, m, f in Invitacion.objects.filter(
            capacitacion__ugel=ugel, asistio=True
        ).values_list("usuario_id", "capacitacion__modalidad", "capacitacion__fecha")
    ]
    if not asistencias:
        return []
    capacitados = {a.usuario_id for a in asistencias}
    ies = InstitucionEducativa.objects.filter(ugel=ugel)
    docentes = set(
        asignaciones_docentes(ies, anio).values_list("usuario_id", flat=True)
    )
    sin_capacitar = docentes - capacitados
    desde = min(a.semana for a in asistencias) - dt.timedelta(weeks=SEMANAS)
    hasta = max(a.semana for a in asistencias) + dt.timedelta(weeks=SEMANAS)
    usos = {
        (f["usuario_id"], f["semana"]): UsoSemana(
            listas=f["listas"], acciones=f["acciones"], lecturas=f["lecturas"]
        )
        for f in UsoDocenteSemana.objects.filter(
            ie__ugel=ugel,
            semana__gte=desde,
            semana__lt=hasta,
        )
        .values("usuario_id", "semana")
        # One row per IE of the teacher, each with the same counts: one.
        .annotate(**{m: Max(m) for m in METRICAS})
        .order_by()
        # Read for the UGEL's whole windows, kept for the compared teachers:
        # a list of thousands of ids would not fit in one SQL statement.
        if f["usuario_id"] in capacitados or f["usuario_id"] in sin_capacitar
    }
    return comparar(
        asistencias=asistencias,
        sin_capacitar=sin_capacitar,
        usos=usos,
        semana_actual=lunes(hoy),
    )
