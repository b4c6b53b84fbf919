"""Each unit's weekly use of the portal while its evaluation's arms act,
copied nightly from monitoreo's weekly rows into pilotos.UsoUnidadSemana.

monitoreo keeps a teacher's weeks for half a year only; the analysis needs
them once the outcome year is imported, months after the pilot ended. So
every night, after monitoreo's aggregation, the weeks of every published
evaluation's period still in monitoreo's window are (re)written per unit:

- docentes: the unit's teachers (a tutor's or director's assignment of the
  evaluation's school year at one of its IEs), each counted once;
- activos: those of them with some use that week (monitoreo writes a row
  only for a week with use);
- the counts (sign-ins, lists opened, guidance read, actions): per teacher
  the largest of their rows at the unit's IEs (a person's sign-ins are the
  same at each of their IEs), summed over the unit's teachers.

A week out of monitoreo's window is never rewritten: what was copied stays.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from monitoreo.calculo import SEMANAS_HISTORIA, docentes_vigentes, lunes_de
from monitoreo.models import UsoDocenteSemana
from seguimiento.agregados import anio_escolar

from .models import Estado, Evaluacion, UnidadEvaluacion, UsoUnidadSemana


def periodo(evaluacion: Evaluacion) -> tuple[date, date] | None:
    """The days the evaluation's arms act: from its publication to the day
    set then (`actua_hasta`; the end of its school year for an evaluation
    published without one); None before it is published."""
    if evaluacion.publicada_en is None or evaluacion.ejecucion_id is None:
        return None
    inicio = timezone.localdate(evaluacion.publicada_en)
    fin = evaluacion.actua_hasta or anio_escolar(evaluacion.ejecucion.anio)[1]
    return inicio, max(inicio, fin)


def semanas_del_periodo(evaluacion: Evaluacion, hasta: date) -> list[date]:
    """The Mondays of the period up to the week of `hasta`."""
    dias = periodo(evaluacion)
    if dias is None:
        return []
    lunes, ultimo = lunes_de(dias[0]), lunes_de(min(dias[1], hasta))
    semanas = []
    while lunes <= ultimo:
        semanas.append(lunes)
        lunes += timedelta(weeks=1)
    return semanas


def ies_por_unidad(unidades) -> dict[int, list[int]]:
    """{unit pk: its IEs' pks}."""
    por_unidad: dict[int, list[int]] = defaultdict(list)
    through = UnidadEvaluacion.ies.through
    for unidad_id, ie_id in through.objects.filter(
        unidadevaluacion__in=unidades
    ).values_list("unidadevaluacion_id", "institucioneducativa_id"):
        por_unidad[unidad_id].append(ie_id)
    return por_unidad


def _registrar(evaluacion: Evaluacion, semanas: list[date], docentes) -> int:
    ies_de = ies_por_unidad(evaluacion.unidades.all())
    unidad_de_ie = {ie: u for u, ies in ies_de.items() for ie in ies}
    maestros: dict[int, set[int]] = defaultdict(set)
    for usuario_id, ie_id in docentes.por_clave:
        if ie_id in unidad_de_ie:
            maestros[unidad_de_ie[ie_id]].add(usuario_id)
    # (unit, week, teacher) → the largest of each count over the unit's IEs.
    por_docente: dict[tuple[int, date, int], list[int]] = {}
    medidas = UsoUnidadSemana.MEDIDAS
    for ie_id, semana, usuario_id, *cuentas in UsoDocenteSemana.objects.filter(
        ie_id__in=unidad_de_ie, semana__in=semanas
    ).values_list("ie_id", "semana", "usuario_id", *medidas):
        unidad = unidad_de_ie[ie_id]
        if usuario_id not in maestros[unidad]:
            continue
        clave = (unidad, semana, usuario_id)
        previas = por_docente.get(clave, [0] * len(medidas))
        por_docente[clave] = [max(a, b) for a, b in zip(previas, cuentas, strict=True)]
    suma: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0] * len(medidas))
    activos: dict[tuple[int, date], int] = defaultdict(int)
    for (unidad, semana, _u), cuentas in por_docente.items():
        activos[unidad, semana] += 1
        suma[unidad, semana] = [
            a + b for a, b in zip(suma[unidad, semana], cuentas, strict=True)
        ]
    filas = [
        UsoUnidadSemana(
            unidad_id=unidad,
            semana=semana,
            docentes=len(maestros[unidad]),
            activos=activos[unidad, semana],
            **dict(zip(medidas, suma[unidad, semana], strict=True)),
        )
        for unidad in ies_de
        for semana in semanas
    ]
    with transaction.atomic():
        UsoUnidadSemana.objects.filter(
            unidad__evaluacion=evaluacion, semana__in=semanas
        ).delete()
        UsoUnidadSemana.objects.bulk_create(filas, batch_size=2000)
    return len(filas)


def uso_de_unidades_registrar(*, hoy: date | None = None) -> int:
    """Copy the weeks of every published evaluation's period that monitoreo
    still holds (run after monitoreo.calculo.uso_calcular). Returns the rows
    written."""
    hoy = hoy or timezone.localdate()
    ventana = lunes_de(hoy) - timedelta(weeks=SEMANAS_HISTORIA - 1)
    escritas = 0
    docentes_de: dict[int, object] = {}
    for evaluacion in Evaluacion.objects.filter(
        estado=Estado.PUBLICADA, ejecucion__isnull=False
    ).select_related("ejecucion"):
        semanas = [s for s in semanas_del_periodo(evaluacion, hoy) if s >= ventana]
        if not semanas:
            continue
        anio = evaluacion.ejecucion.anio
        if anio not in docentes_de:
            docentes_de[anio] = docentes_vigentes(anio)
        escritas += _registrar(evaluacion, semanas, docentes_de[anio])
    return escritas
