"""A pilot through the whole product, to test the analysis end to end on
known truth (pilotos.simulacion does it on rows, without the portal).

The design is the evaluation's own (pilotos.services: its draw); the
teachers' use is written as the portal writes it (monitoreo.sintetico, with
each teacher's weekly habit raised by their unit's arm, then the nightly
aggregation and its copy per unit, pilotos.uso); the outcome is the
generator's: each IE's students see their chance of not coming back cut by
`efecto_uso` times their unit's use (siagie_import.sintetico.Piloto), in the
next year's files. The truth is read back from the generator's report.
"""

from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from alerta.models import Asignacion, InstitucionEducativa, Matricula, Rol, Usuario
from monitoreo.calculo import docentes_vigentes, lunes_de, uso_calcular
from monitoreo.sintetico import uso_generar
from seguimiento.models import AccionSeguimiento, TipoAccion

from .analisis import CONTROL
from .datos import clave_de_brazo, uso_por_unidad
from .models import Evaluacion
from .simulacion import Verdad
from .uso import ies_por_unidad, uso_de_unidades_registrar

# A tutor who uses the portal in a week records an action with this chance.
ACCION_POR_SEMANA = 0.5


def habitos_del_piloto(
    evaluacion: Evaluacion,
    *,
    uso_base: float,
    aumento_uso: dict[str, float],
    semilla: int,
) -> dict[int, float]:
    """Each current teacher's weekly chance of using the portal: `uso_base`,
    plus the rise of their unit's arm (by the arm's code), plus noise; the
    highest of their IEs' for a teacher of several."""
    unidades = evaluacion.unidades.all()
    brazo_de = dict(unidades.values_list("pk", "brazo"))
    brazo_de_ie = {
        ie: brazo_de[u] for u, ies in ies_por_unidad(unidades).items() for ie in ies
    }
    rng = np.random.default_rng([semilla, 2])
    habitos: dict[int, float] = {}
    docentes = docentes_vigentes(evaluacion.ejecucion.anio)
    for usuario_id, ie in sorted(docentes.por_clave):
        aumento = aumento_uso.get(brazo_de_ie.get(ie, ""), 0.0)
        h = float(np.clip(uso_base + aumento + rng.normal(0.0, 0.08), 0.0, 1.0))
        habitos[usuario_id] = max(habitos.get(usuario_id, 0.0), h)
    return habitos


def _acciones(
    habitos: dict[int, float], *, anio: int, hoy: date, semanas: int, semilla: int
) -> int:
    """Actions by the tutors: in each week, with their habit times
    ACCION_POR_SEMANA, one for a student of one of their secciones, written
    that week."""
    tipo = TipoAccion.objects.vigentes().order_by("pk").first()
    secciones: dict[int, list[int]] = {}
    for usuario_id, seccion_id in (
        Asignacion.objects.vigentes()
        .filter(rol=Rol.TUTOR, seccion__anio=anio, usuario_id__in=habitos)
        .order_by("usuario_id", "seccion_id")
        .values_list("usuario_id", "seccion_id")
    ):
        secciones.setdefault(usuario_id, []).append(seccion_id)
    alumnos: dict[int, list[int]] = {}
    for seccion_id, estudiante_id in (
        Matricula.objects.vigentes()
        .filter(seccion_id__in={s for ss in secciones.values() for s in ss})
        .order_by("seccion_id", "estudiante_id")
        .values_list("seccion_id", "estudiante_id")
    ):
        alumnos.setdefault(seccion_id, []).append(estudiante_id)
    rng = np.random.default_rng([semilla, 3])
    lunes = [lunes_de(hoy) - timedelta(weeks=i) for i in range(semanas - 1, -1, -1)]
    acciones, cuando = [], []
    for usuario_id, propias in sorted(secciones.items()):
        for semana in lunes:
            if rng.random() >= habitos[usuario_id] * ACCION_POR_SEMANA:
                continue
            seccion = propias[int(rng.integers(len(propias)))]
            if not alumnos.get(seccion):
                continue
            dia = min(hoy, semana + timedelta(days=int(rng.integers(5))))
            estudiante = alumnos[seccion][int(rng.integers(len(alumnos[seccion])))]
            accion = AccionSeguimiento(
                estudiante_id=estudiante,
                seccion_id=seccion,
                tipo=tipo,
                fecha=dia,
                autor_id=usuario_id,
            )
            momento = timezone.make_aware(datetime.combine(dia, time(10)))
            accion._history_user = Usuario(pk=usuario_id)
            accion._history_date = momento
            acciones.append(accion)
            cuando.append(momento)
    guardadas = bulk_create_with_history(acciones, AccionSeguimiento, batch_size=500)
    # auto_now_add stamped them now: the week they were written instead.
    for accion, momento in zip(guardadas, cuando, strict=True):
        accion.creada = accion.modificada = momento
    AccionSeguimiento.objects.bulk_update(guardadas, ["creada", "modificada"])
    return len(guardadas)


def simular_uso_del_piloto(
    evaluacion: Evaluacion,
    *,
    hoy: date,
    semanas: int,
    aumento_uso: dict[str, float],
    uso_base: float = 0.25,
    semilla: int = 0,
) -> dict[int, float]:
    """Write `semanas` weeks of use up to `hoy` (sign-ins, lists, students'
    pages, guidance read, actions) with each teacher's habit from their
    unit's arm, then run the nightly aggregation and its copy per unit, as
    on the night of `hoy`. Returns the habits."""
    habitos = habitos_del_piloto(
        evaluacion, uso_base=uso_base, aumento_uso=aumento_uso, semilla=semilla
    )
    uso_generar(
        semilla=semilla,
        hoy=hoy,
        semanas=semanas,
        habito=lambda usuario_id: habitos.get(usuario_id, 0.0),
    )
    _acciones(
        habitos,
        anio=evaluacion.ejecucion.anio,
        hoy=hoy,
        semanas=semanas,
        semilla=semilla,
    )
    uso_calcular(ahora=timezone.make_aware(datetime.combine(hoy, time(23))))
    uso_de_unidades_registrar(hoy=hoy)
    return habitos


def recortes_del_piloto(
    evaluacion: Evaluacion, *, efecto_uso: float
) -> dict[str, float]:
    """The generator's planted cut per IE (by código modular): `efecto_uso`
    times its unit's use as the portal recorded it (pilotos.datos)."""
    if not 0 <= efecto_uso <= 1:
        raise ValueError("efecto_uso is a share of the chance: 0 to 1")
    unidades = evaluacion.unidades.all()
    uso = uso_por_unidad(unidades)["uso"].fillna(0.0)
    ies_de = ies_por_unidad(unidades)
    codigos = dict(
        InstitucionEducativa.objects.filter(
            pk__in={ie for ies in ies_de.values() for ie in ies}
        ).values_list("pk", "codigo_modular")
    )
    return {
        codigos[ie]: efecto_uso * float(uso.get(u, 0.0))
        for u, ies in ies_de.items()
        for ie in ies
    }


def verdad_del_piloto(ruta, evaluacion: Evaluacion, *, efecto_uso: float) -> Verdad:
    """The planted truth from the generator's report (piloto_<AAAA>.csv).
    Use cuts each student's chance p in proportion, p·(1 − efecto_uso·uso),
    and use is independent of p, so over the pilot's students (mean chance
    p̄ without the pilot) the effect of full use is −efecto_uso·p̄, and an
    arm's intention-to-treat effect is that times the rise of its units' mean
    use over the control's (student-weighted; the cut reported is
    efecto_uso·uso)."""
    informe = pd.read_csv(ruta, dtype={"COD_MOD": str})
    unidades = evaluacion.unidades.all()
    brazo_de = dict(unidades.values_list("pk", "brazo"))
    ies = ies_por_unidad(unidades)
    codigos = dict(
        InstitucionEducativa.objects.filter(
            pk__in={ie for lista in ies.values() for ie in lista}
        ).values_list("codigo_modular", "pk")
    )
    brazo_de_ie = {ie: brazo_de[u] for u, lista in ies.items() for ie in lista}
    informe = informe[informe["ESTUDIANTES"] > 0].copy()
    informe["brazo"] = informe["COD_MOD"].map(
        lambda c: clave_de_brazo(evaluacion, brazo_de_ie[codigos[c]])
    )
    n = informe["ESTUDIANTES"]
    media = float((n * informe["PROB_MEDIA"]).sum() / n.sum())
    informe["recorte"] = n * informe["RECORTE"]
    por_brazo = informe.groupby("brazo")[["recorte", "ESTUDIANTES"]].sum()
    recorte = por_brazo["recorte"] / por_brazo["ESTUDIANTES"]
    return Verdad(
        efecto_uso=-efecto_uso * media,
        itt={
            a: -media * float(recorte[a] - recorte[CONTROL])
            for a in recorte.index
            if a != CONTROL
        },
    )
