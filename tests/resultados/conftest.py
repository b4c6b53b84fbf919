"""The planted world of the outcome report (tests/resultados/mundo.py)."""

from dataclasses import dataclass

import pytest

from riesgo.models import EjecucionPuntaje, EstadoModelo, ModeloRiesgo

from .mundo import plantar


@dataclass
class Plantado:
    mundo: object
    modelo: ModeloRiesgo
    ejecucion: EjecucionPuntaje


@pytest.fixture
def plantado(mundo) -> Plantado:
    modelo = ModeloRiesgo.objects.create(
        version=1,
        estado=EstadoModelo.PUBLICADO,
        algoritmo="prueba",
        corte_alto=0.3,
        corte_medio=0.1,
        artefacto="-",
        sha256="-",
        anio_validacion=2025,
        metricas={"modelo": {"roc_auc": 0.8}},
    )
    return Plantado(mundo=mundo, modelo=modelo, ejecucion=plantar(mundo, modelo))
