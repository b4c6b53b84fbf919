"""Plausible follow-up for a generated region: actions and monthly records.

Follow-up is not part of SIAGIE's files, so the file generator does not write
it: this fills it after a scoring run, through the ORM in bulk, so that every
follow-up screen of the demo has something to show. What it aims at:

- Actions, by the sección's tutor (or, where a sección has none, now and then
  by the IE's director): about 70 % of alto students get 1 to 4, 40 % of medio
  1 or 2, 8 % of bajo one. Kinds follow the student's shown factors
  (inasistencias → a call or a visit, bajo rendimiento → reforzamiento,
  pobreza → becas o apoyos, trabajo infantil → flexibilidad de horario...).
  Dates spread over the school year up to today; most are realizadas, some
  sin contacto, a few planned for the next two weeks. About 5 % of notes are
  reserved, with a neutral text: a generated note never holds health or
  family details.
- Monthly records of the last three months (this one included) for the
  secciones with a tutor,
  except about one tutor in five, who never records; the others record 60 %
  to 100 % of their students each month, this month partly. Contact and
  whether the student follows the lessons get worse with the level.
- In the sección `protegida` (the demo tutor's): its tutor records, at least
  one alto or medio student has no action (the list's filter "sin acción en
  30 días" shows someone), and the director wrote one reserved note there.

Deterministic for a seed. Idempotent: a school year that already has
follow-up gets nothing more.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from alerta.models import Asignacion, Matricula, Rol, Usuario
from orientaciones.models import Audiencia, Factor, Orientacion
from riesgo.factores import FACTOR_ORIENTACION
from riesgo.models import NivelRiesgo, Puntaje
from riesgo.selectors import ejecucion_vigente

from .models import (
    AccionSeguimiento,
    EstadoAccion,
    MedioContacto,
    RegistroMensual,
    SigueClases,
    TipoAccion,
)
from .services import mes_de

# Share of students with actions, and how many each, by level.
CON_ACCION = {NivelRiesgo.ALTO: 0.7, NivelRiesgo.MEDIO: 0.4, NivelRiesgo.BAJO: 0.08}
CUANTAS = {
    NivelRiesgo.ALTO: (1, 4),
    NivelRiesgo.MEDIO: (1, 2),
    NivelRiesgo.BAJO: (1, 1),
}
NUNCA_REGISTRAN = 0.2
# Months of monthly records written: the screens read this one and the last.
MESES_REGISTRADOS = 3
RESERVADAS = 0.05

# Kinds that answer each guidance factor (kind codes of the catalogue).
TIPOS_POR_FACTOR = {
    Factor.INASISTENCIAS: ["llamada_visita", "llamada_visita", "tutoria_individual"],
    Factor.BAJO_RENDIMIENTO: ["reforzamiento", "reforzamiento", "tutoria_individual"],
    Factor.REPITENCIA: ["reforzamiento", "tutoria_individual"],
    Factor.EXTRAEDAD: ["tutoria_individual", "reforzamiento"],
    Factor.POBREZA: ["becas_apoyos", "llamada_visita"],
    Factor.TRABAJO_INFANTIL: ["flexibilidad_horario", "llamada_visita"],
    Factor.ENTORNO_FAMILIAR: ["llamada_visita", "derivacion"],
    Factor.RETIRO: ["llamada_visita", "tutoria_individual"],
    Factor.INTERRUPCION_PREVIA: ["llamada_visita", "tutoria_individual"],
    Factor.DISCAPACIDAD: ["derivacion", "tutoria_individual"],
}
TIPOS_SIN_FACTOR = ["tutoria_grupal", "tutoria_individual", "llamada_visita", "otra"]

NOTAS = {
    "llamada_visita": [
        "Se llamó a la madre; se acordó que asistirá desde el lunes.",
        "Visita al hogar: la familia se comprometió a avisar cuando falte.",
        "Se conversó con el apoderado sobre la asistencia de este mes.",
    ],
    "tutoria_individual": [
        "Conversamos sobre sus metas del bimestre.",
        "Revisamos juntos sus tareas pendientes y cómo organizarse.",
    ],
    "tutoria_grupal": ["Sesión con el salón sobre la importancia de asistir."],
    "reforzamiento": [
        "Reforzamiento en comunicación y matemática, dos tardes por semana.",
        "Se le asignó un compañero de apoyo para las tareas.",
    ],
    "becas_apoyos": [
        "Se informó a la familia sobre los programas de apoyo disponibles.",
    ],
    "derivacion": ["Se coordinó la derivación con la institución correspondiente."],
    "flexibilidad_horario": [
        "Se acordó un horario de entrega de tareas compatible con sus actividades.",
    ],
    "otra": ["Se coordinó con la dirección el seguimiento del caso."],
}
NOTA_RESERVADA = "Se conversó con la familia; los detalles los tiene la dirección."


@dataclass
class Resumen:
    acciones: int = 0
    registros: int = 0
    ya_habia: bool = False


def _cuando(dia: date) -> datetime:
    return timezone.make_aware(datetime.combine(dia, time(10, 0)))


def _al_azar_entre(rng: random.Random, inicio: date, fin: date) -> date:
    return inicio + timedelta(days=rng.randint(0, max(0, (fin - inicio).days)))


@transaction.atomic
def seguimiento_generar(
    *, hoy: date | None = None, semilla: int = 42, protegida: int | None = None
) -> Resumen:
    """Actions and monthly records for the school year of the current run."""
    ejecucion = ejecucion_vigente()
    if ejecucion is None:
        return Resumen()
    anio = ejecucion.anio
    if (
        AccionSeguimiento.objects.filter(seccion__anio=anio).exists()
        or RegistroMensual.objects.filter(seccion__anio=anio).exists()
    ):
        return Resumen(ya_habia=True)
    hoy = hoy or timezone.localdate()
    inicio, fin = date(anio, 3, 1), min(hoy, date(anio, 12, 31))
    if fin < inicio:
        return Resumen()
    rng = random.Random(semilla)

    filas = list(
        Puntaje.objects.filter(ejecucion=ejecucion, matricula__seccion__anio=anio)
        .filter(matricula__in=Matricula.objects.vigentes())
        .order_by("matricula__seccion_id", "matricula__estudiante_id")
        .values_list(
            "matricula__estudiante_id",
            "matricula__seccion_id",
            "matricula__seccion__ie_id",
            "nivel",
            "factor_1",
            "factor_2",
            "factor_3",
        )
    )
    tutores: dict[int, int] = dict(
        Asignacion.objects.vigentes()
        .filter(rol=Rol.TUTOR, seccion__anio=anio)
        .order_by("pk")
        .values_list("seccion_id", "usuario_id")
    )
    directores: dict[int, int] = dict(
        Asignacion.objects.vigentes()
        .filter(rol=Rol.DIRECTOR, anio=anio)
        .order_by("pk")
        .values_list("ie_id", "usuario_id")
    )
    tipos = {t.codigo: t for t in TipoAccion.objects.vigentes()}
    guias: dict[str, list[int]] = defaultdict(list)
    for pk, factor in (
        Orientacion.objects.publicadas()
        .filter(audiencia=Audiencia.DOCENTE)
        .exclude(factor="")
        .order_by("pk")
        .values_list("pk", "factor")
    ):
        guias[factor].append(pk)

    acciones: list[AccionSeguimiento] = []
    sin_accion_en_protegida = False
    for estudiante, seccion, ie, nivel, *codigos in filas:
        autor = tutores.get(seccion)
        if autor is None:
            # A sección without a tutor: the director acts now and then.
            autor = directores.get(ie) if rng.random() < 0.3 else None
        if autor is None or rng.random() >= CON_ACCION.get(nivel, 0):
            continue
        if (
            seccion == protegida
            and not sin_accion_en_protegida
            and nivel in (NivelRiesgo.ALTO, NivelRiesgo.MEDIO)
        ):
            sin_accion_en_protegida = True  # the filter's example
            continue
        muestra = nivel in (NivelRiesgo.ALTO, NivelRiesgo.MEDIO)
        factores = [
            f
            for f in dict.fromkeys(FACTOR_ORIENTACION.get(c) for c in codigos if c)
            if f and muestra
        ]
        for _vez in range(rng.randint(*CUANTAS.get(nivel, (1, 1)))):
            atiende = [f for f in factores if rng.random() < 0.6] or factores[:1]
            opciones = [t for f in atiende for t in TIPOS_POR_FACTOR.get(f, [])]
            codigo = rng.choice(opciones or TIPOS_SIN_FACTOR)
            azar = rng.random()
            if azar < 0.05 and hoy <= fin:
                estado = EstadoAccion.PLANIFICADA
                fecha = hoy + timedelta(days=rng.randint(1, 14))
            else:
                estado = (
                    EstadoAccion.SIN_CONTACTO if azar < 0.2 else EstadoAccion.REALIZADA
                )
                fecha = _al_azar_entre(rng, inicio, fin)
            reservada = rng.random() < RESERVADAS
            guia = [g for f in atiende for g in guias.get(f, [])]
            acciones.append(
                AccionSeguimiento(
                    estudiante_id=estudiante,
                    seccion_id=seccion,
                    tipo=tipos[codigo],
                    fecha=fecha,
                    estado=estado,
                    nota=NOTA_RESERVADA if reservada else rng.choice(NOTAS[codigo]),
                    reservada=reservada,
                    factores=[f for f in Factor.values if f in atiende],
                    orientacion_id=rng.choice(guia)
                    if guia and rng.random() < 0.4
                    else None,
                    autor_id=autor,
                )
            )
    if protegida is not None:
        director = next(
            (directores.get(ie) for _e, s, ie, *_r in filas if s == protegida), None
        )
        alumno = next((e for e, s, *_r in filas if s == protegida), None)
        if director is not None and alumno is not None:
            acciones.append(
                AccionSeguimiento(
                    estudiante_id=alumno,
                    seccion_id=protegida,
                    tipo=tipos["llamada_visita"],
                    fecha=_al_azar_entre(
                        rng, max(inicio, fin - timedelta(days=40)), fin
                    ),
                    estado=EstadoAccion.REALIZADA,
                    nota=NOTA_RESERVADA,
                    reservada=True,
                    autor_id=director,
                )
            )
    for a in acciones:
        # Written on the day it happened (planned ones, today): only recent
        # ones can still be corrected.
        a._history_user = Usuario(pk=a.autor_id)
        a._history_date = _cuando(min(a.fecha, hoy))
    bulk_create_with_history(acciones, AccionSeguimiento, batch_size=500)
    # auto_now_add stamped them now; the day each was written instead.
    guardadas = list(
        AccionSeguimiento.objects.filter(seccion__anio=anio).only("pk", "fecha")
    )
    for a in guardadas:
        a.creada = a.modificada = _cuando(min(a.fecha, hoy))
    AccionSeguimiento.objects.bulk_update(
        guardadas, ["creada", "modificada"], batch_size=500
    )

    registros = _registros(rng, filas, tutores, inicio, fin, hoy, protegida)
    RegistroMensual.objects.bulk_create(registros, batch_size=1000)
    # Written over each month, not all today (the use monitoring counts them
    # by the week they were written): saving sets `creado` to now.
    for r in registros:
        r.creado = r.modificado = _cuando(
            min(hoy, r.mes + timedelta(days=rng.randint(0, 27)))
        )
    RegistroMensual.objects.bulk_update(
        registros, ["creado", "modificado"], batch_size=1000
    )
    return Resumen(acciones=len(acciones), registros=len(registros))


def _meses(inicio: date, fin: date) -> list[date]:
    meses, mes = [], mes_de(inicio)
    while mes <= fin:
        meses.append(mes)
        mes = (mes + timedelta(days=32)).replace(day=1)
    return meses


CONTACTO = {NivelRiesgo.ALTO: 0.75, NivelRiesgo.MEDIO: 0.85, NivelRiesgo.BAJO: 0.95}
SIGUE = {
    NivelRiesgo.ALTO: (0.55, 0.3),
    NivelRiesgo.MEDIO: (0.75, 0.2),
    NivelRiesgo.BAJO: (0.92, 0.07),
}
MEDIOS = [MedioContacto.PRESENCIAL] * 7 + [
    MedioContacto.LLAMADA,
    MedioContacto.MENSAJE,
    MedioContacto.VISITA,
]


def _registros(rng, filas, tutores, inicio, fin, hoy, protegida):
    secciones = sorted(tutores)
    nunca = {s for s in secciones if s != protegida and rng.random() < NUNCA_REGISTRAN}
    completitud = {s: rng.uniform(0.6, 1.0) for s in secciones}
    este_mes = mes_de(hoy)
    registros = []
    for mes in _meses(inicio, fin)[-MESES_REGISTRADOS:]:
        parte = min(1.0, hoy.day / 28) if mes == este_mes else 1.0
        for estudiante, seccion, _ie, nivel, *_codigos in filas:
            if seccion not in tutores or seccion in nunca:
                continue
            if rng.random() >= completitud[seccion] * parte:
                continue
            contactado = rng.random() < CONTACTO.get(nivel, 0.9)
            si, en_parte = SIGUE.get(nivel, (0.9, 0.08))
            azar = rng.random()
            sigue = (
                SigueClases.SI
                if azar < si
                else SigueClases.EN_PARTE
                if azar < si + en_parte
                else SigueClases.NO
            )
            registros.append(
                RegistroMensual(
                    estudiante_id=estudiante,
                    seccion_id=seccion,
                    mes=mes,
                    contactado=contactado,
                    medio=rng.choice(MEDIOS) if contactado else "",
                    sigue_clases=sigue if contactado else "",
                    autor_id=tutores[seccion],
                )
            )
    return registros
