"""What a student's page shows: current level and what it means, factors,
history of levels and enrollments.

The caller has already checked that the user may see the student (through
`scoping.estudiante_o_404`); the whole history of that one student is then
theirs to read, and nothing here reaches any other student.
"""

from dataclasses import dataclass, field

from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from riesgo import selectors as riesgo_selectors
from riesgo.cortes import texto_probabilidad
from riesgo.factores import FactorMostrado, factores_mostrados, muestra_factores
from riesgo.models import COLOR_NIVEL, EjecucionPuntaje, NivelRiesgo
from riesgo.selectors import RANGO_NIVEL, TramoNivel

from .models import Estudiante, Matricula, SituacionFinal
from .presentacion.niveles import nivel_en_palabras

NO_VIGENTE = {SituacionFinal.TRASLADADO, SituacionFinal.FALLECIDO}


@dataclass
class Ficha:
    estudiante: Estudiante
    matriculas: list[Matricula]  # newest first
    matricula_actual: Matricula | None
    nivel: str | None = None
    # In 5.º de secundaria: outside deserción interanual, no level.
    sin_riesgo: bool = False
    probabilidad: str | None = None  # "42 %", never rounded across a cut-off
    significado: list[str] = field(default_factory=list)
    # Shown for alto and medio only (riesgo.factores.NIVELES_CON_FACTORES).
    con_factores: bool = False
    factores: list[FactorMostrado] = field(default_factory=list)
    tramos: list[TramoNivel] = field(default_factory=list)
    grafico: dict | None = None


def matriculas_de(estudiante: Estudiante) -> list[Matricula]:
    """Every enrollment of the student, newest first, with sección and IE."""
    return list(
        estudiante.matriculas.select_related("seccion__ie").order_by(
            "-seccion__anio", F("fecha_matricula").desc(nulls_last=True), "-pk"
        )
    )


def _actual(matriculas: list[Matricula], scored_id: int | None) -> Matricula | None:
    # The enrollment the current run scored; else the newest one still in
    # its sección; else the newest.
    for m in matriculas:
        if m.pk == scored_id:
            return m
    for m in matriculas:
        if m.situacion_final not in NO_VIGENTE:
            return m
    return matriculas[0] if matriculas else None


def grafico_historial(tramos: list[TramoNivel]) -> dict | None:
    """The chart's data: one point where each period starts, and one on the
    last run, levels as 1 (bajo) to 3 (alto). The page's table holds the same
    periods."""
    if not tramos:
        return None
    fechas = [t.desde for t in tramos]
    valores = [RANGO_NIVEL[t.nivel] for t in tramos]
    if tramos[-1].hasta != tramos[-1].desde:
        fechas.append(tramos[-1].hasta)
        valores.append(valores[-1])
    return {
        "etiquetas": [date_format(f, "SHORT_DATE_FORMAT") for f in fechas],
        "valores": valores,
        "niveles": {
            str(rango): str(NivelRiesgo(nivel).label)
            for nivel, rango in RANGO_NIVEL.items()
        },
        "colores": {
            str(rango): COLOR_NIVEL[nivel] for nivel, rango in RANGO_NIVEL.items()
        },
        "serie": _("Nivel de riesgo"),
    }


def ficha_de(estudiante: Estudiante, ejecucion: EjecucionPuntaje | None) -> Ficha:
    """Three queries: enrollments, scores of every run, the current model."""
    matriculas = matriculas_de(estudiante)
    puntajes = riesgo_selectors.puntajes_de_estudiante(estudiante.pk)
    vigente = next(
        (p for p in puntajes if ejecucion and p["ejecucion_id"] == ejecucion.pk), None
    )
    actual = _actual(matriculas, vigente["matricula_id"] if vigente else None)
    tramos = riesgo_selectors.tramos_de_nivel(puntajes)
    ficha = Ficha(
        estudiante=estudiante,
        matriculas=matriculas,
        matricula_actual=actual,
        tramos=tramos,
        grafico=grafico_historial(tramos),
    )
    # 5.º de secundaria has no level, even where an older run scored it.
    ficha.sin_riesgo = actual is not None and actual.seccion.sin_riesgo
    if vigente and not ficha.sin_riesgo:
        nivel_escolar = actual.seccion.nivel if actual else ""
        ficha.nivel = vigente["nivel"]
        modelo = ejecucion.modelo
        ficha.probabilidad = texto_probabilidad(
            vigente["probabilidad"], modelo.corte_alto, modelo.corte_medio
        )
        ficha.significado = nivel_en_palabras(ejecucion.modelo, vigente["nivel"])
        ficha.con_factores = muestra_factores(vigente["nivel"])
        if ficha.con_factores:
            ficha.factores = factores_mostrados(
                [vigente[f"factor_{i}"] for i in (1, 2, 3)], nivel_escolar
            )
    return ficha
