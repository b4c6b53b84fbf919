"""What the outcome pages and workbooks read: a report's rows for one scope,
its children's totals and its quality, and a model version's track record.
Callers pass objects that already went through `alerta.scoping`."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerta.models import Area, Nivel, Sexo
from riesgo.models import ModeloRiesgo, NivelRiesgo

from .calculo import CASTELLANO, CON_ACCION, DESCONOCIDA, ORIGINARIA, SIN_ACCION
from .models import (
    AmbitoResultado,
    CalidadResultado,
    Dimension,
    FilaResultado,
    InformeResultados,
)

NIVELES = [NivelRiesgo.ALTO, NivelRiesgo.MEDIO, NivelRiesgo.BAJO]

# How each breakdown's values read, in its order.
VALORES = {
    Dimension.NIVEL: [(n.value, n.label) for n in Nivel],
    Dimension.AREA: [(a.value, a.label) for a in Area],
    Dimension.SEXO: [(s.value, s.label) for s in Sexo],
    Dimension.LENGUA: [
        (ORIGINARIA, gettext_lazy("Originaria")),
        (CASTELLANO, gettext_lazy("Castellano u otra no originaria")),
        (DESCONOCIDA, gettext_lazy("Sin dato")),
    ],
    Dimension.ACCION: [
        (CON_ACCION, gettext_lazy("Con al menos una acción registrada en el año")),
        (SIN_ACCION, gettext_lazy("Sin acciones registradas en el año")),
    ],
}
DESGLOSES = [
    Dimension.NIVEL,
    Dimension.AREA,
    Dimension.SEXO,
    Dimension.LENGUA,
    Dimension.ACCION,
]


def _tasa(parte: int, todo: int) -> float | None:
    return parte / todo if todo else None


@dataclass
class PorNivel:
    marcados: int = 0
    desertores: int = 0

    @property
    def tasa(self) -> float | None:
        return _tasa(self.desertores, self.marcados)


@dataclass
class Conteo:
    """Students and dropouts per risk level of one group."""

    etiqueta: str = ""
    niveles: dict[str, PorNivel] = field(
        default_factory=lambda: {n: PorNivel() for n in NIVELES}
    )

    def sumar(self, nivel: str, marcados: int, desertores: int) -> None:
        self.niveles[nivel].marcados += marcados
        self.niveles[nivel].desertores += desertores

    @property
    def por_nivel(self) -> list[tuple[str, str, PorNivel]]:
        return [(n, NivelRiesgo(n).label, self.niveles[n]) for n in NIVELES]

    @property
    def alto(self) -> PorNivel:
        return self.niveles[NivelRiesgo.ALTO]

    @property
    def medio(self) -> PorNivel:
        return self.niveles[NivelRiesgo.MEDIO]

    @property
    def bajo(self) -> PorNivel:
        return self.niveles[NivelRiesgo.BAJO]

    @property
    def total(self) -> PorNivel:
        return PorNivel(
            sum(v.marcados for v in self.niveles.values()),
            sum(v.desertores for v in self.niveles.values()),
        )

    @property
    def recall_alto_medio(self) -> float | None:
        """Of those who dropped out, the share flagged alto or medio."""
        return _tasa(
            self.alto.desertores + self.medio.desertores, self.total.desertores
        )


def informe_de(anio: int | None = None) -> InformeResultados | None:
    return InformeResultados.objects.vigente(anio)


def anios_con_informe() -> list[int]:
    return sorted(
        set(InformeResultados.objects.exitosos().values_list("anio", flat=True)),
        reverse=True,
    )


def desgloses(informe: InformeResultados, ambito: str, clave: int) -> dict:
    """The scope's total and each breakdown: {"total": Conteo, dimension:
    [Conteo per value, in order, those with students only]}."""
    grupos: dict[tuple[str, str], Conteo] = defaultdict(Conteo)
    for f in FilaResultado.objects.filter(
        informe=informe, ambito=ambito, clave=clave
    ).only("dimension", "valor", "nivel_riesgo", "marcados", "desertores"):
        grupos[(f.dimension, f.valor)].sumar(f.nivel_riesgo, f.marcados, f.desertores)
    resultado = {"total": grupos.get((Dimension.TOTAL, ""), Conteo())}
    for dimension in DESGLOSES:
        filas = []
        for valor, etiqueta in VALORES[dimension]:
            if (dimension, valor) in grupos:
                conteo = grupos[(dimension, valor)]
                conteo.etiqueta = str(etiqueta)
                filas.append(conteo)
        resultado[dimension] = filas
    return resultado


def totales(
    informe: InformeResultados, ambito: str, claves: Iterable[int]
) -> dict[int, Conteo]:
    """Each scope's total, by key (one query for all of them)."""
    conteos: dict[int, Conteo] = defaultdict(Conteo)
    for f in FilaResultado.objects.filter(
        informe=informe,
        ambito=ambito,
        clave__in=list(claves),
        dimension=Dimension.TOTAL,
    ).only("clave", "nivel_riesgo", "marcados", "desertores"):
        conteos[f.clave].sumar(f.nivel_riesgo, f.marcados, f.desertores)
    return conteos


def calidad(informe: InformeResultados, ambito: str, clave: int) -> dict:
    fila = CalidadResultado.objects.filter(
        informe=informe, ambito=ambito, clave=clave
    ).first()
    return fila.metricas if fila else {}


def calidades(
    informe: InformeResultados, ambito: str, claves: Iterable[int]
) -> dict[int, dict]:
    return dict(
        CalidadResultado.objects.filter(
            informe=informe, ambito=ambito, clave__in=list(claves)
        ).values_list("clave", "metricas")
    )


def datos_grafico(metricas: dict) -> dict:
    """The calibration chart's data (static/js/modelo_graficos.js draws it)."""
    puntos = [
        {"x": t["predicho"], "y": t["observado"]}
        for t in metricas.get("calibracion", [])
    ]
    if not puntos:
        return {}
    return {
        "calibracion": {
            "puntos": puntos,
            "serie": _("Puntajes publicados"),
            "diagonal": _("Calibración perfecta"),
            "eje_x": _("Probabilidad estimada"),
            "eje_y": _("Deserción observada"),
        },
        "decimal": get_format("DECIMAL_SEPARATOR"),
    }


@dataclass
class Trayectoria:
    """A model version's scores of one year, against what happened."""

    anio: int
    informe: InformeResultados
    metricas: dict
    conteo: Conteo


def trayectorias(modelos: Iterable[ModeloRiesgo]) -> dict[int, list[Trayectoria]]:
    """For each version (by pk), each year it scored whose outcome is known,
    newest first: the latest report of that year's published run, its quality
    and its rate per level. Three queries, whatever the number of versions."""
    por_modelo: dict[int, dict[int, InformeResultados]] = defaultdict(dict)
    for informe in (
        InformeResultados.objects.exitosos()
        .filter(modelo__in=[m.pk for m in modelos])
        .order_by("anio", "fin", "pk")
    ):
        por_modelo[informe.modelo_id][informe.anio] = informe
    ids = [i.pk for anios in por_modelo.values() for i in anios.values()]
    if not ids:
        return {}
    metricas = dict(
        CalidadResultado.objects.filter(
            informe_id__in=ids, ambito=AmbitoResultado.PAIS
        ).values_list("informe_id", "metricas")
    )
    conteos: dict[int, Conteo] = defaultdict(Conteo)
    for f in FilaResultado.objects.filter(
        informe_id__in=ids, ambito=AmbitoResultado.PAIS, dimension=Dimension.TOTAL
    ).only("informe_id", "nivel_riesgo", "marcados", "desertores"):
        conteos[f.informe_id].sumar(f.nivel_riesgo, f.marcados, f.desertores)
    return {
        modelo_id: [
            Trayectoria(
                anio=anio,
                informe=i,
                metricas=metricas.get(i.pk, {}),
                conteo=conteos[i.pk],
            )
            for anio, i in sorted(anios.items(), reverse=True)
        ]
        for modelo_id, anios in por_modelo.items()
    }


def trayectoria(modelo: ModeloRiesgo) -> list[Trayectoria]:
    """One version's track record (see `trayectorias`)."""
    return trayectorias([modelo]).get(modelo.pk, [])
