"""A generated region in the database: its files imported, a year scored
with the generator's true probabilities (the oracle it writes), so that a
test can check the product's figures against the files."""

from pathlib import Path

import pandas as pd

from alerta.models import Matricula
from riesgo.models import EjecucionPuntaje, EstadoEjecucion, Puntaje
from siagie_import.models import EstadoImportacion
from siagie_import.services import importacion_ejecutar
from tests.factories import ModeloRiesgoFactory


def importar(ruta: Path) -> None:
    imp = importacion_ejecutar(ruta=ruta)
    assert imp.estado == EstadoImportacion.COMPLETADA, (ruta.name, imp.mensaje)


def puntuar_con_oraculo(
    carpeta: Path, anio: int, *, corte_alto: float, corte_medio: float
) -> EjecucionPuntaje:
    """A published "model" with these cut-offs and a successful run of
    `anio` whose scores are the oracle's probabilities (students without a
    row, 5.º de secundaria and the deceased, get none)."""
    modelo = ModeloRiesgoFactory(
        algoritmo="oráculo", corte_alto=corte_alto, corte_medio=corte_medio
    )
    ejecucion = EjecucionPuntaje.objects.create(
        modelo=modelo, anio=anio, estado=EstadoEjecucion.EXITOSA
    )
    oraculo = pd.read_csv(
        carpeta / f"oraculo_{anio}.csv", dtype={"COD_ESTUDIANTE": str}
    ).set_index("COD_ESTUDIANTE")["PROB_DESERCION"]
    Puntaje.objects.bulk_create(
        (
            Puntaje(
                ejecucion=ejecucion,
                matricula_id=pk,
                probabilidad=p,
                nivel=modelo.nivel_para(p),
            )
            for pk, codigo in Matricula.objects.filter(seccion__anio=anio).values_list(
                "pk", "estudiante__codigo_siagie"
            )
            if (p := oraculo.get(codigo)) is not None
        ),
        batch_size=2000,
    )
    return ejecucion
