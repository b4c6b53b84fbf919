"""How a student's risk level reads: its change since the previous run, what
it means, and the factors behind it with their guidance."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from riesgo.cortes import frase_de_nivel
from riesgo.factores import FactorMostrado, factores_mostrados, muestra_factores
from riesgo.models import ModeloRiesgo, NivelRiesgo
from riesgo.selectors import RANGO_NIVEL

from ..models import Matricula


@dataclass(frozen=True)
class CambioNivel:
    sube: bool
    desde: str  # the previous level, as users read it

    @property
    def flecha(self) -> str:
        return "↑" if self.sube else "↓"

    @property
    def texto(self) -> str:
        if self.sube:
            return _("subió desde %(nivel)s") % {"nivel": self.desde}
        return _("bajó desde %(nivel)s") % {"nivel": self.desde}


def cambio_de_nivel(actual: str | None, anterior: str | None) -> CambioNivel | None:
    """How the level moved since the previous run (None if it did not, or if
    either run did not score the student)."""
    if actual not in RANGO_NIVEL or anterior not in RANGO_NIVEL:
        return None
    if RANGO_NIVEL[actual] == RANGO_NIVEL[anterior]:
        return None
    return CambioNivel(
        sube=RANGO_NIVEL[actual] > RANGO_NIVEL[anterior],
        desde=str(NivelRiesgo(anterior).label),
    )


def factores_de(fila: Matricula, nivel: str) -> list[FactorMostrado]:
    """The factors of a row of `riesgo.selectors.filas_de_seccion`, as phrases
    with links."""
    codigos = [getattr(fila, f"factor_{i}", None) or "" for i in (1, 2, 3)]
    return factores_mostrados(codigos, nivel)


def codigos_mostrados(fila: Matricula) -> list[str]:
    """The factor codes of a list row that its level shows (alto and medio
    only), in the model's order: what the workbooks and the CSV write."""
    if not muestra_factores(getattr(fila, "nivel_riesgo", None)):
        return []
    codigos = (getattr(fila, f"factor_{i}", None) for i in (1, 2, 3))
    return [c for c in codigos if c]


# The names the stored sentences of a model (riesgo.training) give each level.
NOMBRE_EN_FRASES = {
    NivelRiesgo.ALTO: gettext_lazy("riesgo alto"),
    NivelRiesgo.MEDIO: gettext_lazy("riesgo medio"),
    NivelRiesgo.BAJO: gettext_lazy("riesgo bajo"),
}


def nivel_en_palabras(modelo: ModeloRiesgo | None, nivel: str | None) -> list[str]:
    """What a student's level means, in plain words: the rule that gives it
    (from the model's cut-offs) and, when the model stored it, how many
    students of that level left school in the validation year."""
    if modelo is None or nivel not in NOMBRE_EN_FRASES:
        return []
    regla = frase_de_nivel(nivel, modelo.corte_alto, modelo.corte_medio)
    frases = [regla]
    guardadas = (modelo.metricas or {}).get("en_palabras")
    if isinstance(guardadas, list):
        nombre = str(NOMBRE_EN_FRASES[nivel]).lower()
        frases += [
            str(f) for f in guardadas if isinstance(f, str) and nombre in f.lower()
        ]
    return frases
