"""Scoring runs and scores built by hand for the list and student-page tests."""

import datetime as dt

from riesgo.models import EjecucionPuntaje, EstadoEjecucion, Puntaje


def puntuar(ejecucion: EjecucionPuntaje, probabilidades: dict, **campos) -> None:
    """Score {matrícula: probabilidad} in `ejecucion`, with its model's cut-offs;
    `campos` are further Puntaje fields shared by every score (the factors)."""
    Puntaje.objects.bulk_create(
        Puntaje(
            ejecucion=ejecucion,
            matricula=m,
            probabilidad=p,
            nivel=ejecucion.modelo.nivel_para(p),
            **campos,
        )
        for m, p in probabilidades.items()
    )


def ejecucion_con(
    probabilidades: dict,
    *,
    dias_despues: int,
    base: EjecucionPuntaje,
    anio: int = 2026,
    estado: str = EstadoEjecucion.EXITOSA,
) -> EjecucionPuntaje:
    """A run `dias_despues` days after `base` (negative: before), with `base`'s
    model, scoring {matrícula: probabilidad}."""
    ejecucion = EjecucionPuntaje.objects.create(
        modelo=base.modelo, anio=anio, estado=estado
    )
    EjecucionPuntaje.objects.filter(pk=ejecucion.pk).update(
        inicio=base.inicio + dt.timedelta(days=dias_despues)
    )
    ejecucion.refresh_from_db()
    puntuar(ejecucion, probabilidades)
    return ejecucion
