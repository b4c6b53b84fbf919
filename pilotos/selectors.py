"""Reads of an evaluation: its units as a table, the counts per stratum and
arm, and the balance table. Callers pass units already scoped
(pilotos.scoping.unidades_visibles)."""

from collections import Counter
from dataclasses import dataclass

import pandas as pd
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from capacitaciones.models import Modalidad

from .balance import COVARIABLES, FilaBrazo, tabla_de_balance
from .models import (
    Evaluacion,
    Recepcion,
    TipoRecepcion,
    UnidadEvaluacion,
    capacitacion_de,
    recibe_resumen,
)
from .services import redibujar


def tabla_de_unidades(unidades: QuerySet[UnidadEvaluacion]) -> pd.DataFrame:
    filas = list(unidades.values("codigo", "estrato", "brazo", *COVARIABLES))
    return pd.DataFrame(filas, columns=["codigo", "estrato", "brazo", *COVARIABLES])


def balance(
    evaluacion: Evaluacion, unidades: QuerySet[UnidadEvaluacion]
) -> list[FilaBrazo]:
    datos = tabla_de_unidades(unidades).astype({c: float for c in COVARIABLES})
    brazos = [b["codigo"] for b in evaluacion.brazos]
    return tabla_de_balance(datos, brazos, evaluacion.control)


def conteos_por_estrato(
    evaluacion: Evaluacion, unidades: QuerySet[UnidadEvaluacion]
) -> list[tuple[str, list[int], int]]:
    """Rows (estrato, units per arm in the arms' order, total)."""
    brazos = [b["codigo"] for b in evaluacion.brazos]
    cuenta = Counter(unidades.values_list("estrato", "brazo"))
    estratos = sorted({e for e, _b in cuenta})
    filas = []
    for e in estratos:
        por_brazo = [cuenta[(e, b)] for b in brazos]
        filas.append((e, por_brazo, sum(por_brazo)))
    return filas


def se_reproduce(evaluacion: Evaluacion) -> bool | None:
    """Whether drawing again from what is stored gives every unit its arm;
    None before the draw."""
    if evaluacion.sorteada_en is None:
        return None
    try:
        redibujado = redibujar(evaluacion)
    except ValidationError:
        return False
    return redibujado == dict(evaluacion.unidades.values_list("codigo", "brazo"))


@dataclass
class Recibido:
    """What a group of units (an arm, or one unit) received while its arm
    acted. Teachers reached: distinct teachers with something delivered."""

    clave: str
    resumenes: int = 0
    resumenes_retenidos: int = 0
    invitaciones: int = 0
    invitaciones_retenidas: int = 0
    asistencias: int = 0
    docentes: int = 0


def _recibido(recepciones: QuerySet[Recepcion], clave: str) -> dict[str, Recibido]:
    def cuantas(tipo: str, entregada: bool) -> Count:
        return Count("pk", filter=Q(tipo=tipo, entregada=entregada))

    filas = (
        recepciones.values(clave)
        .annotate(
            resumenes=cuantas(TipoRecepcion.RESUMEN, True),
            resumenes_retenidos=cuantas(TipoRecepcion.RESUMEN, False),
            invitaciones=cuantas(TipoRecepcion.INVITACION, True),
            invitaciones_retenidas=cuantas(TipoRecepcion.INVITACION, False),
            asistencias=cuantas(TipoRecepcion.ASISTENCIA, True),
            docentes=Count("usuario", filter=Q(entregada=True), distinct=True),
        )
        .order_by()
    )
    cifras = {}
    for f in filas:
        k = f.pop(clave)
        cifras[k] = Recibido(clave=str(k), **f)
    return cifras


def recibido_por_brazo(
    evaluacion: Evaluacion, unidades: QuerySet[UnidadEvaluacion]
) -> list[Recibido]:
    """Per arm (in the arms' order), what the units in `unidades` received.
    One query."""
    cifras = _recibido(Recepcion.objects.filter(unidad__in=unidades), "unidad__brazo")
    return [cifras.get(b["codigo"], Recibido(b["codigo"])) for b in evaluacion.brazos]


@dataclass
class BrazoEnLaPagina:
    """An arm as the evaluation's page shows it: what it receives while it
    acts and what its units (those the reader sees) received."""

    codigo: str
    nombre: str
    control: bool
    resumen: bool
    capacitacion: str
    recibido: Recibido

    @property
    def capacitacion_texto(self) -> str:
        if not self.capacitacion:
            return str(_("ninguna"))
        return str(Modalidad(self.capacitacion).label)


def brazos_en_la_pagina(
    evaluacion: Evaluacion, unidades: QuerySet[UnidadEvaluacion]
) -> list[BrazoEnLaPagina]:
    return [
        BrazoEnLaPagina(
            codigo=b["codigo"],
            nombre=b.get("nombre", ""),
            control=bool(b.get("control")),
            resumen=recibe_resumen(b),
            capacitacion=capacitacion_de(b),
            recibido=r,
        )
        for b, r in zip(
            evaluacion.brazos, recibido_por_brazo(evaluacion, unidades), strict=True
        )
    ]


def recibido_por_unidad(unidades: QuerySet[UnidadEvaluacion]) -> dict[int, Recibido]:
    """Per unit (by pk), what it received. One query."""
    return _recibido(Recepcion.objects.filter(unidad__in=unidades), "unidad_id")
