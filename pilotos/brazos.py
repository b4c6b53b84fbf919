"""When an evaluation's arms act, and what they let each teacher receive.

A published evaluation's arms act from its publication to `actua_hasta`
included (Lima's day). While they act, a unit's arm decides whether its
teachers get the weekly digest (`resumen`) and to which training modality they
may be invited (`capacitacion`); nothing else changes: control units keep the
portal as everyone has it (an encouragement design).

A teacher is counted at every IE they tutor a sección of or direct in the
school year shown. A teacher whose IEs fall in several units is withheld when
ANY of those units' arms withholds: an e-mail or a training reaches the person,
not the IE, and would otherwise reach the control (or another arm) through
them. Publishing refuses an evaluation whose IEs are already in another
evaluation that acts (pilotos.services), so an IE is in one acting unit at
most.

Every answer here takes a fixed few queries, whatever the number of teachers.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from alerta.models import Asignacion, Rol
from alerta.selectors import anio_vigente
from capacitaciones.models import Modalidad

from .models import (
    Estado,
    Evaluacion,
    Recepcion,
    TipoRecepcion,
    UnidadEvaluacion,
    capacitacion_de,
    recibe_resumen,
)


@dataclass(frozen=True)
class BrazoVigente:
    """The acting arm of one IE: its unit, the evaluation and the arm."""

    unidad: UnidadEvaluacion
    evaluacion: Evaluacion
    brazo: dict
    # The IE's public code, for messages (no student or teacher in it).
    ie_codigo: str = ""

    @property
    def resumen(self) -> bool:
        return recibe_resumen(self.brazo)

    @property
    def capacitacion(self) -> str:
        return capacitacion_de(self.brazo)

    @property
    def capacitacion_texto(self) -> str:
        return str(Modalidad(self.capacitacion).label) if self.capacitacion else ""

    def admite(self, modalidad: str) -> bool:
        return bool(self.capacitacion) and self.capacitacion == modalidad


@dataclass(frozen=True)
class Reparto:
    """What the arms say of one teacher: whether it may go, the acting units
    of their IEs (where it is recorded) and the arms that withhold it."""

    permitido: bool = True
    unidades: tuple[int, ...] = ()
    retienen: tuple[BrazoVigente, ...] = field(default=())


SIN_PILOTO = Reparto()


def q_actua(dia: date, prefijo: str = "") -> Q:
    """Evaluations (through `prefijo`) whose arms may act on `dia`; the start
    (the day of publication) is checked in Python, see `_actua_desde`."""
    return Q(
        **{f"{prefijo}estado": Estado.PUBLICADA, f"{prefijo}actua_hasta__gte": dia}
    )


def _actua_desde(evaluacion: Evaluacion) -> date:
    return timezone.localdate(evaluacion.publicada_en)


def evaluaciones_que_actuan(dia: date) -> QuerySet[Evaluacion]:
    return Evaluacion.objects.filter(q_actua(dia))


def brazos_vigentes(ie_ids: Iterable[int], dia: date) -> dict[int, BrazoVigente]:
    """The acting arm of each of `ie_ids` that is in an acting unit on `dia`.
    One query."""
    ie_ids = list(ie_ids)
    if not ie_ids:
        return {}
    Fila = UnidadEvaluacion.ies.through
    filas = (
        Fila.objects.filter(institucioneducativa_id__in=ie_ids)
        .filter(q_actua(dia, "unidadevaluacion__evaluacion__"))
        .select_related("unidadevaluacion__evaluacion", "institucioneducativa")
        # Should two ever overlap, the earlier published one decides.
        .order_by("unidadevaluacion__evaluacion__publicada_en", "pk")
    )
    vigentes: dict[int, BrazoVigente] = {}
    for f in filas:
        unidad = f.unidadevaluacion
        evaluacion = unidad.evaluacion
        if _actua_desde(evaluacion) > dia or f.institucioneducativa_id in vigentes:
            continue
        vigentes[f.institucioneducativa_id] = BrazoVigente(
            unidad=unidad,
            evaluacion=evaluacion,
            brazo=evaluacion.brazo(unidad.brazo),
            ie_codigo=f.institucioneducativa.codigo,
        )
    return vigentes


def ies_de_docentes(
    usuario_ids: Iterable[int], anio: int | None
) -> dict[int, set[int]]:
    """The IEs (pks) each user tutors a sección of or directs in school year
    `anio`, as the digest and the trainings count them. One query."""
    usuario_ids = list(usuario_ids)
    if not usuario_ids or anio is None:
        return {}
    filas = (
        Asignacion.objects.vigentes()
        .filter(usuario_id__in=usuario_ids)
        .filter(Q(rol=Rol.TUTOR, seccion__anio=anio) | Q(rol=Rol.DIRECTOR, anio=anio))
        .values_list("usuario_id", "rol", "seccion__ie_id", "ie_id")
    )
    ies: dict[int, set[int]] = {}
    for usuario_id, rol, ie_de_seccion, ie in filas:
        ies.setdefault(usuario_id, set()).add(
            ie if rol == Rol.DIRECTOR else ie_de_seccion
        )
    return ies


def _repartos(
    usuario_ids: Iterable[int], dia: date, anio: int | None, admite
) -> dict[int, Reparto]:
    usuario_ids = list(usuario_ids)
    # Most days no pilot acts: one cheap query answers for everyone.
    if not usuario_ids or not evaluaciones_que_actuan(dia).exists():
        return {}
    ies = ies_de_docentes(usuario_ids, anio_vigente() if anio is None else anio)
    vigentes = brazos_vigentes({ie for s in ies.values() for ie in s}, dia)
    repartos: dict[int, Reparto] = {}
    for usuario_id, suyas in ies.items():
        brazos = [vigentes[ie] for ie in sorted(suyas) if ie in vigentes]
        if not brazos:
            continue
        retienen = tuple(b for b in brazos if not admite(b))
        repartos[usuario_id] = Reparto(
            permitido=not retienen,
            unidades=tuple(sorted({b.unidad.pk for b in brazos})),
            retienen=retienen,
        )
    return repartos


def resumen_permitido(
    usuario_ids: Iterable[int], dia: date, *, anio: int | None = None
) -> dict[int, Reparto]:
    """For each user with an IE in an acting unit on `dia`: whether the weekly
    digest may go. Users missing from the answer are in no acting unit: they
    get it as everyone (SIN_PILOTO). `anio`: the school year whose
    assignments count (by default the latest imported). One query when no
    pilot acts, three or four otherwise."""
    return _repartos(usuario_ids, dia, anio, lambda b: b.resumen)


def invitaciones_permitidas(
    usuario_ids: Iterable[int], modalidad: str, dia: date, *, anio: int | None = None
) -> dict[int, Reparto]:
    """For each user with an IE in an acting unit on `dia`: whether they may be
    invited to a training of `modalidad`. Missing users: no acting unit, no
    limit. Queries as `resumen_permitido`."""
    return _repartos(usuario_ids, dia, anio, lambda b: b.admite(modalidad))


def en_unidades(
    usuario_ids: Iterable[int], dia: date, *, anio: int | None = None
) -> dict[int, Reparto]:
    """The acting units of each user's IEs on `dia` (nothing withheld): where
    what they did is recorded. Queries as `resumen_permitido`."""
    return _repartos(usuario_ids, dia, anio, lambda b: True)


def invitacion_permitida(ie_id: int, modalidad: str, dia: date) -> bool:
    """Whether a teacher of the IE may be invited to a training of `modalidad`
    on `dia`, as far as that IE's arm goes. One query."""
    brazo = brazos_vigentes([ie_id], dia).get(ie_id)
    return brazo is None or brazo.admite(modalidad)


def recepciones_registrar(
    *,
    repartos: dict[int, Reparto],
    tipo: str,
    referencia: str,
    entregada: bool | dict[int, bool] | None = None,
    modalidad: str = "",
) -> int:
    """Record, for each user of `repartos` and each acting unit of theirs, what
    they received. `entregada`: one value for all, one per user, or (None)
    each reparto's `permitido`. Rows already there stay as they are: a re-run
    records nothing twice. Returns how many rows were offered."""
    filas = []
    for usuario_id, reparto in repartos.items():
        if entregada is None:
            valor = reparto.permitido
        elif isinstance(entregada, dict):
            valor = entregada[usuario_id]
        else:
            valor = entregada
        filas += [
            Recepcion(
                unidad_id=unidad_id,
                usuario_id=usuario_id,
                tipo=tipo,
                entregada=valor,
                referencia=referencia,
                modalidad=modalidad,
            )
            for unidad_id in reparto.unidades
        ]
    Recepcion.objects.bulk_create(filas, ignore_conflicts=True)
    return len(filas)


__all__ = [
    "SIN_PILOTO",
    "BrazoVigente",
    "Reparto",
    "TipoRecepcion",
    "brazos_vigentes",
    "en_unidades",
    "evaluaciones_que_actuan",
    "ies_de_docentes",
    "invitacion_permitida",
    "invitaciones_permitidas",
    "q_actua",
    "recepciones_registrar",
    "resumen_permitido",
]
