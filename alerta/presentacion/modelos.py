"""How a model version's stored metrics read on the model pages.

`ModeloRiesgo.metricas` is written by `riesgo.training`. Versions trained before
the full metrics existed keep only `roc_auc` and `tasa_desercion_validacion`:
every reader here answers None for a missing or malformed key, and the
formatters show "—", so that an old version still renders.

Only aggregates are read here: no student appears in the metrics.
"""

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from riesgo.cortes import frases_de_niveles, texto_decimal
from riesgo.models import ModeloRiesgo
from riesgo.versiones import frente_a_base

from ..models import Area, Nivel, Sexo

FALTA = "—"

# The groups the metrics are broken down by, in the order the page shows them.
DIMENSIONES = {
    "area": gettext_lazy("Área"),
    "sexo": gettext_lazy("Sexo"),
    "lengua": gettext_lazy("Lengua materna"),
    "nivel": gettext_lazy("Nivel"),
}
ETIQUETAS_GRUPO = {
    **dict(Area.choices),
    **dict(Sexo.choices),
    **dict(Nivel.choices),
    "CASTELLANO": gettext_lazy("Castellano"),
    "ORIGINARIA": gettext_lazy("Lengua originaria"),
    "EXTRANJERA": gettext_lazy("Lengua extranjera"),
    "OTRA": gettext_lazy("Otra"),
    "SIN_DATO": gettext_lazy("Sin dato"),
}


# --- Formatting (es-PE, through the active locale's separators) -------------


def _numero(valor: Any) -> float | None:
    if isinstance(valor, bool) or not isinstance(valor, int | float):
        return None
    if math.isnan(valor) or math.isinf(valor):
        return None
    return float(valor)


def porcentaje(valor: Any, decimales: int = 1) -> str:
    """A share in [0, 1] as "10,7 %"."""
    v = _numero(valor)
    if v is None:
        return FALTA
    return f"{texto_decimal(v * 100, decimales)}\xa0%"


def decimal(valor: Any, decimales: int = 3) -> str:
    v = _numero(valor)
    return FALTA if v is None else texto_decimal(v, decimales)


def entero(valor: Any) -> str:
    v = _numero(valor)
    if v is None:
        return FALTA
    return number_format(round(v), 0, force_grouping=True)


def anio(valor: Any) -> str:
    v = _numero(valor)
    return FALTA if v is None else str(round(v))


# --- Reading the JSON --------------------------------------------------------


def _dict(valor: Any) -> dict:
    return valor if isinstance(valor, dict) else {}


def _en(datos: Any, *claves: str) -> Any:
    """datos[c1][c2]..., or None when a level is missing or not a dict."""
    for clave in claves:
        if not isinstance(datos, dict):
            return None
        datos = datos.get(clave)
    return datos


def _metricas(modelo: ModeloRiesgo) -> dict:
    return _dict(modelo.metricas)


def _primero(*valores: Any) -> Any:
    return next((v for v in valores if v is not None), None)


def roc_auc(modelo: ModeloRiesgo) -> float | None:
    m = _metricas(modelo)
    return _primero(_en(m, "modelo", "roc_auc"), m.get("roc_auc"), modelo.roc_auc)


def tasa_desercion(modelo: ModeloRiesgo) -> float | None:
    m = _metricas(modelo)
    return _primero(
        _en(m, "validacion", "tasa_desercion"), m.get("tasa_desercion_validacion")
    )


def _n_validacion(modelo: ModeloRiesgo) -> Any:
    # 0 is the field's default: it means "not recorded", not "no students".
    return _primero(
        _en(_metricas(modelo), "validacion", "n"), modelo.n_validacion or None
    )


@dataclass(frozen=True)
class Resumen:
    """One version's row in the list of versions, formatted."""

    anio_validacion: str
    n_validacion: str
    tasa_desercion: str
    roc_auc: str
    roc_auc_base: str
    pr_auc: str
    brier: str
    alto: str
    alto_medio: str
    recall_alto_medio: str
    brecha_oraculo: str
    # None when the baseline's figures were not stored.
    supera_base: bool | None = None


def resumen(modelo: ModeloRiesgo) -> Resumen:
    m = _metricas(modelo)
    bloque = _dict(m.get("modelo"))
    return Resumen(
        anio_validacion=anio(
            _primero(_en(m, "validacion", "anio"), modelo.anio_validacion)
        ),
        n_validacion=entero(_n_validacion(modelo)),
        tasa_desercion=porcentaje(tasa_desercion(modelo)),
        roc_auc=decimal(roc_auc(modelo)),
        roc_auc_base=decimal(_en(m, "base", "roc_auc")),
        pr_auc=decimal(bloque.get("pr_auc")),
        brier=decimal(bloque.get("brier")),
        alto=porcentaje(_en(bloque, "alto", "proporcion")),
        alto_medio=porcentaje(_en(bloque, "alto_medio", "proporcion")),
        recall_alto_medio=porcentaje(_en(bloque, "alto_medio", "recall")),
        brecha_oraculo=decimal(_en(m, "oraculo", "brecha")),
        supera_base=_supera_base(modelo),
    )


def _supera_base(modelo: ModeloRiesgo) -> bool | None:
    filas = frente_a_base(modelo)
    return all(f.supera for f in filas) if filas else None


# --- Against the baseline ------------------------------------------------------


# --- The detail page ---------------------------------------------------------


@dataclass(frozen=True)
class Fila:
    etiqueta: str
    ayuda: str
    modelo: str
    base: str


def _metricas_de_bloque() -> list[tuple[tuple[str, ...], Any, str, str]]:
    # (path in a BLOQUE, formatter, label, what it means in words)
    return [
        (("n",), entero, _("Estudiantes evaluados"), ""),
        (
            ("desertores",),
            entero,
            _("Desertaron"),
            _("Al año siguiente no se matricularon."),
        ),
        (
            ("roc_auc",),
            decimal,
            _("ROC-AUC"),
            _(
                "Probabilidad de que un estudiante que desertó tenga un puntaje mayor "
                "que uno que no desertó (0,5 es el azar; 1 es perfecto)."
            ),
        ),
        (
            ("pr_auc",),
            decimal,
            _("PR-AUC"),
            _(
                "Precisión media al ordenar por riesgo; compárela con la tasa de "
                "deserción."
            ),
        ),
        (
            ("brier",),
            lambda v: decimal(v, 4),
            _("Brier"),
            _("Error cuadrático medio de la probabilidad (menor es mejor)."),
        ),
        (
            ("ece",),
            porcentaje,
            _("Error de calibración (ECE)"),
            _(
                "Diferencia media entre la probabilidad estimada y la deserción "
                "observada."
            ),
        ),
        (("alto", "proporcion"), porcentaje, _("Marcados en riesgo alto"), ""),
        (
            ("alto", "precision"),
            porcentaje,
            _("Precisión del nivel alto"),
            _("De los marcados en alto, cuántos desertaron."),
        ),
        (
            ("alto", "recall"),
            porcentaje,
            _("Cobertura (recall) del nivel alto"),
            _("De los que desertaron, cuántos estaban en alto."),
        ),
        (("alto_medio", "proporcion"), porcentaje, _("Marcados en alto o medio"), ""),
        (
            ("alto_medio", "precision"),
            porcentaje,
            _("Precisión de alto + medio"),
            _("De los marcados en alto o medio, cuántos desertaron."),
        ),
        (
            ("alto_medio", "recall"),
            porcentaje,
            _("Cobertura (recall) de alto + medio"),
            _("De los que desertaron, cuántos estaban en alto o medio."),
        ),
        (("medio", "proporcion"), porcentaje, _("Marcados en riesgo medio"), ""),
        (("bajo", "proporcion"), porcentaje, _("Marcados en riesgo bajo"), ""),
    ]


def filas_comparacion(modelo: ModeloRiesgo) -> list[Fila]:
    """Every metric of the model beside the same metric of the baseline."""
    m = _metricas(modelo)
    bloque, base = _dict(m.get("modelo")), _dict(m.get("base"))
    if not bloque:
        # An old version: only its overall ROC-AUC was stored.
        bloque = {"roc_auc": roc_auc(modelo)}
    return [
        Fila(etiqueta, ayuda, formato(_en(bloque, *ruta)), formato(_en(base, *ruta)))
        for ruta, formato, etiqueta, ayuda in _metricas_de_bloque()
    ]


@dataclass(frozen=True)
class FilaGrupo:
    dimension: str
    grupo: str
    n: str
    tasa_desercion: str
    roc_auc: str
    marcados: str
    precision: str
    recall: str
    ece: str


def _etiqueta_grupo(clave: str) -> str:
    if clave in ETIQUETAS_GRUPO:
        return str(ETIQUETAS_GRUPO[clave])
    return str(clave).replace("_", " ").capitalize()


def _tasa(bloque: dict) -> float | None:
    n, desertores = _numero(bloque.get("n")), _numero(bloque.get("desertores"))
    return desertores / n if n and desertores is not None else None


def filas_por_grupo(modelo: ModeloRiesgo) -> list[FilaGrupo]:
    por_grupo = _dict(_metricas(modelo).get("por_grupo"))
    filas = []
    for dimension, etiqueta in DIMENSIONES.items():
        grupos = _dict(por_grupo.get(dimension))
        for clave in sorted(grupos, key=str):
            b = _dict(grupos[clave])
            filas.append(
                FilaGrupo(
                    dimension=str(etiqueta),
                    grupo=_etiqueta_grupo(clave),
                    n=entero(b.get("n")),
                    tasa_desercion=porcentaje(_tasa(b)),
                    roc_auc=decimal(b.get("roc_auc")),
                    marcados=porcentaje(_en(b, "alto_medio", "proporcion")),
                    precision=porcentaje(_en(b, "alto_medio", "precision")),
                    recall=porcentaje(_en(b, "alto_medio", "recall")),
                    ece=porcentaje(b.get("ece")),
                )
            )
    return filas


@dataclass(frozen=True)
class Tramo:
    rango: str
    n: str
    predicho: str
    observado: str
    # Raw values for the chart.
    x: float | None = field(repr=False)
    y: float | None = field(repr=False)


def calibracion(modelo: ModeloRiesgo) -> list[Tramo]:
    """Predicted against observed dropout, by bin of predicted probability."""
    tramos = _en(_metricas(modelo), "modelo", "calibracion")
    if not isinstance(tramos, list):
        return []
    return [
        Tramo(
            rango=_("de %(desde)s a %(hasta)s")
            % {
                "desde": porcentaje(t.get("desde")),
                "hasta": porcentaje(t.get("hasta")),
            },
            n=entero(t.get("n")),
            predicho=porcentaje(t.get("predicho")),
            observado=porcentaje(t.get("observado")),
            x=_numero(t.get("predicho")),
            y=_numero(t.get("observado")),
        )
        for t in tramos
        if isinstance(t, dict)
    ]


@dataclass(frozen=True)
class Oraculo:
    n: str
    roc_auc: str
    roc_auc_modelo: str
    brecha: str


def oraculo(modelo: ModeloRiesgo) -> Oraculo | None:
    o = _en(_metricas(modelo), "oraculo")
    if not isinstance(o, dict) or not o:
        return None
    return Oraculo(
        n=entero(o.get("n")),
        roc_auc=decimal(o.get("roc_auc")),
        roc_auc_modelo=decimal(o.get("roc_auc_modelo")),
        brecha=decimal(o.get("brecha")),
    )


@dataclass(frozen=True)
class Cortes:
    regla: str | None
    en_palabras: list[str]


def cortes(modelo: ModeloRiesgo) -> Cortes:
    """The cut-offs in plain words: what each level means, from the version's
    own cut-offs (those the nightly run applies), then the sentences stored
    with the version about the validation year."""
    m = _metricas(modelo)
    regla = _en(m, "cortes", "regla")
    en_palabras = frases_de_niveles(modelo.corte_alto, modelo.corte_medio)
    frases = m.get("en_palabras")
    if isinstance(frases, list):
        en_palabras += [str(f) for f in frases if isinstance(f, str)]
    return Cortes(regla=str(regla) if regla else None, en_palabras=en_palabras)


def datos_entrenamiento(modelo: ModeloRiesgo) -> dict[str, str]:
    m = _metricas(modelo)
    anios = _primero(_en(m, "entrenamiento", "anios"), modelo.anios_entrenamiento)
    anios_texto = ", ".join(anio(a) for a in anios) if isinstance(anios, list) else ""
    return {
        "anios": anios_texto or FALTA,
        "n": entero(
            _primero(_en(m, "entrenamiento", "n"), modelo.n_entrenamiento or None)
        ),
        "anio_validacion": anio(
            _primero(_en(m, "validacion", "anio"), modelo.anio_validacion)
        ),
        "n_validacion": entero(_n_validacion(modelo)),
        "tasa_desercion": porcentaje(tasa_desercion(modelo)),
    }


# The metrics the comparison chart draws, model beside baseline.
_EN_GRAFICO = [
    (("roc_auc",), gettext_lazy("ROC-AUC")),
    (("pr_auc",), gettext_lazy("PR-AUC")),
    (("alto_medio", "precision"), gettext_lazy("Precisión alto + medio")),
    (("alto_medio", "recall"), gettext_lazy("Cobertura alto + medio")),
]


def datos_graficos(modelo: ModeloRiesgo) -> dict:
    """What the charts draw (passed with json_script); {} when nothing to draw.

    The same numbers are in the page's tables, which are the charts' text
    alternative.
    """
    datos: dict[str, Any] = {}
    puntos = [
        {"x": t.x, "y": t.y} for t in calibracion(modelo) if None not in (t.x, t.y)
    ]
    if puntos:
        datos["calibracion"] = {
            "puntos": puntos,
            "serie": _("Modelo"),
            "diagonal": _("Calibración perfecta"),
            "eje_x": _("Probabilidad estimada"),
            "eje_y": _("Deserción observada"),
        }
    m = _metricas(modelo)
    bloque, base = _dict(m.get("modelo")), _dict(m.get("base"))
    if bloque and base:
        datos["comparacion"] = {
            "etiquetas": [str(etiqueta) for _ruta, etiqueta in _EN_GRAFICO],
            "modelo": [_numero(_en(bloque, *ruta)) for ruta, _e in _EN_GRAFICO],
            "base": [_numero(_en(base, *ruta)) for ruta, _e in _EN_GRAFICO],
            "serie_modelo": _("Modelo"),
            "serie_base": _("Línea de base"),
        }
    if datos:
        datos["decimal"] = get_format("DECIMAL_SEPARATOR")
    return datos
