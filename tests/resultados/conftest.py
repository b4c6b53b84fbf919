"""The planted world of the outcome report (tests/resultados/mundo.py)."""

from dataclasses import dataclass

import pytest

from riesgo.models import EjecucionPuntaje, ModeloRiesgo
from tests.factories import ModeloRiesgoFactory

from .mundo import plantar


@dataclass
class Plantado:
    mundo: object
    modelo: ModeloRiesgo
    ejecucion: EjecucionPuntaje


@pytest.fixture
def plantado(mundo) -> Plantado:
    modelo = ModeloRiesgoFactory(
        anio_validacion=2025, metricas={"modelo": {"roc_auc": 0.8}}
    )
    return Plantado(mundo=mundo, modelo=modelo, ejecucion=plantar(mundo, modelo))
