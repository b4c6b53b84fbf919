"""How the drift of the published model's last run reads on the model page
and on Minedu's home: each variable's PSI with its level in words, colour
and icon (never colour alone)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy

from riesgo.deriva import PUNTAJE
from riesgo.models import DerivaEjecucion, EjecucionPuntaje, ModeloRiesgo, NivelDeriva
from riesgo.selectors import derivas_de, ultima_ejecucion_del_modelo

from .modelos import decimal

# The risk levels' colours and icons: important drift reads like high risk.
ESTILO_NIVEL = {
    NivelDeriva.IMPORTANTE: ("nivel-alto", "▲"),
    NivelDeriva.MODERADA: ("nivel-medio", "◆"),
    NivelDeriva.ESTABLE: ("nivel-bajo", "●"),
}
NOMBRE_PUNTAJE = gettext_lazy("Puntaje (probabilidad predicha)")


@dataclass(frozen=True)
class FilaDeriva:
    variable: str
    nombre: str
    psi: str
    nivel: str
    etiqueta: str
    clase: str
    icono: str


@dataclass(frozen=True)
class Deriva:
    modelo: ModeloRiesgo
    ejecucion: EjecucionPuntaje | None
    # False: the version was trained before drift was watched.
    con_referencia: bool
    filas: list[FilaDeriva]
    # The thresholds in words (settings DERIVA_PSI_MODERADA / _IMPORTANTE).
    moderada: str = ""
    importante: str = ""

    @property
    def importantes(self) -> list[FilaDeriva]:
        return [f for f in self.filas if f.nivel == NivelDeriva.IMPORTANTE]


def fila(d: DerivaEjecucion) -> FilaDeriva:
    clase, icono = ESTILO_NIVEL[NivelDeriva(d.nivel)]
    return FilaDeriva(
        variable=d.variable,
        nombre=str(NOMBRE_PUNTAJE) if d.variable == PUNTAJE else d.variable,
        psi=decimal(d.psi, 2),
        nivel=d.nivel,
        etiqueta=d.get_nivel_display(),
        clase=clase,
        icono=icono,
    )


def deriva(modelo: ModeloRiesgo) -> Deriva:
    """The last successful run of `modelo` and its drift, the score first
    and then the features by PSI, largest first."""
    ejecucion = ultima_ejecucion_del_modelo(modelo)
    derivas = derivas_de(ejecucion) if ejecucion else []
    derivas.sort(key=lambda d: d.variable != PUNTAJE)
    return Deriva(
        modelo=modelo,
        ejecucion=ejecucion,
        con_referencia=bool(modelo.referencia_deriva),
        filas=[fila(d) for d in derivas],
        moderada=decimal(settings.DERIVA_PSI_MODERADA, 2),
        importante=decimal(settings.DERIVA_PSI_IMPORTANTE, 2),
    )
