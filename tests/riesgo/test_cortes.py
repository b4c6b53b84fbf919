"""One cut-off rule: alto from corte_alto, medio from corte_medio, both included.

Every consumer is tested at exactly each cut-off and one stored step (1e-6)
below it: the rule itself, the model, the metrics and sentences of training,
the student page, the workbook and the model page (the nightly run's are in
tests/riesgo/test_scoring.py).
"""

from io import BytesIO

import numpy as np
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from riesgo import cortes
from riesgo.models import ModeloRiesgo, NivelRiesgo, Puntaje
from riesgo.training import _en_palabras, _regla, bloque, cortes_por_cuota

ALTO, MEDIO = 0.028, 0.012
# One step of a stored probability (six decimals).
PASO = 1e-6

EN_LOS_CORTES = [
    (ALTO, NivelRiesgo.ALTO),
    (ALTO - PASO, NivelRiesgo.MEDIO),
    (MEDIO, NivelRiesgo.MEDIO),
    (MEDIO - PASO, NivelRiesgo.BAJO),
]


@pytest.mark.parametrize("p, nivel", EN_LOS_CORTES)
def test_a_cut_off_belongs_to_the_higher_level_and_just_below_to_the_lower(p, nivel):
    assert cortes.nivel(p, ALTO, MEDIO) == nivel
    assert ModeloRiesgo(corte_alto=ALTO, corte_medio=MEDIO).nivel_para(p) == nivel


def test_the_vectorised_rule_gives_each_probability_its_level():
    p = np.array([p for p, _n in EN_LOS_CORTES])
    assert cortes.niveles(p, ALTO, MEDIO).tolist() == [n for _p, n in EN_LOS_CORTES]
    modelo = ModeloRiesgo(corte_alto=ALTO, corte_medio=MEDIO)
    assert modelo.niveles_para(p).tolist() == [n for _p, n in EN_LOS_CORTES]


def test_the_training_metrics_count_a_cut_off_in_the_higher_level():
    p = [ALTO, ALTO - PASO, MEDIO, MEDIO - PASO]
    b = bloque([1, 1, 0, 0], p, ALTO, MEDIO)
    assert b["alto"]["proporcion"] == 0.25
    assert b["medio"]["proporcion"] == 0.5
    assert b["bajo"]["proporcion"] == 0.25
    assert b["alto"]["recall"] == 0.5


def test_the_training_sentences_count_a_cut_off_in_the_higher_level():
    p = np.array([ALTO, ALTO - PASO, MEDIO, MEDIO - PASO] * 25)
    y = np.array([1, 0, 0, 0] * 25)
    frases = _en_palabras(y, p, ALTO, MEDIO)
    assert frases == [
        "En el año de validación, 25 de cada 100 estudiantes no se matricularon "
        "al año siguiente.",
        "De cada 10 estudiantes en riesgo alto, 10 no se matricularon al año "
        "siguiente.",
        "De los estudiantes en riesgo medio, el 0,0\xa0% no se matriculó al año "
        "siguiente.",
        "De los estudiantes en riesgo bajo, el 0,0\xa0% no se matriculó al año "
        "siguiente.",
        "Con alto y medio juntos se identifica a 10 de cada 10 estudiantes que "
        "dejaron la escuela, marcando al 75,0\xa0% de todos los estudiantes.",
    ]


def test_a_share_reads_k_of_every_n_only_when_it_is_exact():
    assert cortes.de_cada(5, 100) == (5, 100)
    assert cortes.de_cada(1, 4) == (25, 100)
    assert cortes.de_cada(1, 200) == (5, 1000)
    # 2.5 % would have read "2 de cada 100" or "3 de cada 100".
    assert cortes.de_cada(1, 40) == (25, 1000)
    assert cortes.de_cada(1, 3) is None
    assert cortes.texto_proporcion(1, 3) == "33,3\xa0%"
    assert cortes.texto_proporcion(1, 3000) == "0,03\xa0%"
    frases = _en_palabras(np.array([1, 0, 0]), np.array([0.5, 0.1, 0.0]), 0.4, 0.2)
    assert frases[0] == (
        "En el año de validación, el 33,3\xa0% de los estudiantes no se matriculó "
        "al año siguiente."
    )
    assert frases[-1] == (
        "Con alto y medio juntos se identifica a 10 de cada 10 estudiantes que "
        "dejaron la escuela, marcando al 33,3\xa0% de todos los estudiantes."
    )
    frases = _en_palabras(np.array([1, 1, 1]), np.array([0.5, 0.3, 0.1]), 0.4, 0.2)
    assert frases[-1] == (
        "Con alto y medio juntos se identifica al 66,7\xa0% de los estudiantes que "
        "dejaron la escuela, marcando al 66,7\xa0% de todos los estudiantes."
    )


def test_a_cut_off_reads_with_every_decimal_it_has():
    assert cortes.texto_corte(0.028) == "2,8\xa0%"
    assert cortes.texto_corte(0.3) == "30\xa0%"
    assert cortes.texto_corte(0.0284) == "2,84\xa0%"
    # An older version's unrounded cut-off: exact for six-decimal probabilities.
    assert cortes.texto_corte(0.0283517234) == "2,8352\xa0%"
    assert _regla(ALTO, MEDIO).count("2,8\xa0% o más") == 1


@pytest.mark.parametrize(
    "p, texto",
    [
        (ALTO, "3\xa0%"),
        (ALTO - PASO, "2,7999\xa0%"),
        (0.0279, "2,79\xa0%"),
        (0.0285, "3\xa0%"),
        (MEDIO, "1,2\xa0%"),
        (MEDIO - PASO, "1\xa0%"),
        (0.6, "60\xa0%"),
    ],
)
def test_a_probability_never_reads_across_a_cut_off(p, texto):
    assert cortes.texto_probabilidad(p, ALTO, MEDIO) == texto


def test_the_quota_cut_offs_have_three_significant_digits():
    rng = np.random.default_rng(1)
    alto, medio = cortes_por_cuota(rng.random(5000) / 7)
    assert alto == float(f"{alto:.3g}") and medio == float(f"{medio:.3g}")
    assert 0 < medio < alto < 1


# --- What users read --------------------------------------------------------------


def _puntuar(puntajes, matricula, p: float) -> None:
    modelo = puntajes.modelo
    ModeloRiesgo.objects.filter(pk=modelo.pk).update(corte_alto=ALTO, corte_medio=MEDIO)
    modelo.refresh_from_db()
    Puntaje.objects.filter(ejecucion=puntajes, matricula=matricula).update(
        probabilidad=p, nivel=modelo.nivel_para(p)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "p, probabilidad, significado",
    [
        (
            ALTO,
            "3\xa0%",
            "Riesgo alto (naranja): la probabilidad estimada de no matricularse "
            "el año siguiente es de 2,8\xa0% o más.",
        ),
        (
            ALTO - PASO,
            "2,7999\xa0%",
            "Riesgo medio (amarillo): la probabilidad es de 1,2\xa0% o más, y "
            "menor que 2,8\xa0%.",
        ),
        (
            MEDIO,
            "1,2\xa0%",
            "Riesgo medio (amarillo): la probabilidad es de 1,2\xa0% o más, y "
            "menor que 2,8\xa0%.",
        ),
        (
            MEDIO - PASO,
            "1\xa0%",
            "Riesgo bajo (verde): la probabilidad es menor que 1,2\xa0%.",
        ),
    ],
)
def test_the_student_page_says_the_level_and_a_figure_that_agree(
    client, mundo, puntajes, p, probabilidad, significado
):
    m = mundo.matriculas_a[0]
    _puntuar(puntajes, m, p)
    client.force_login(mundo.tutora)
    r = client.get(reverse("estudiante_detalle", args=[m.estudiante.uuid]))
    ficha = r.context["ficha"]
    assert ficha.probabilidad == probabilidad
    assert ficha.significado == [significado]
    assert f"año: {probabilidad}." in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "p, nivel, celda",
    [
        (ALTO, "Alto", 2.8),
        (ALTO - PASO, "Medio", 2.7999),
        (MEDIO, "Medio", 1.2),
        (MEDIO - PASO, "Bajo", 1.1999),
    ],
)
def test_the_workbook_gives_a_figure_that_agrees_with_its_level(
    client, mundo, puntajes, p, nivel, celda
):
    m = mundo.matriculas_a[0]
    _puntuar(puntajes, m, p)
    client.force_login(mundo.tutora)
    r = client.get(reverse("seccion_excel", args=[mundo.seccion_a.uuid]))
    ws = load_workbook(BytesIO(b"".join(r.streaming_content))).active
    filas = list(ws.iter_rows(values_only=True))
    assert (
        "Niveles de riesgo",
        "alto: 2,8\xa0% o más; medio: 1,2\xa0% o más; bajo: menos de 1,2\xa0%",
    ) in [f[:2] for f in filas]
    fila = next(f for f in filas if f[1] == m.estudiante.nombre_completo)
    assert (fila[2], fila[3]) == (nivel, celda)


@pytest.mark.django_db
def test_the_model_page_says_each_level_with_the_stored_cut_offs(client, mundo):
    modelo = ModeloRiesgo.objects.create(
        version=1,
        algoritmo="prueba",
        corte_alto=ALTO,
        corte_medio=MEDIO,
        artefacto="-",
        sha256="-",
    )
    client.force_login(mundo.nacional)
    pagina = client.get(reverse("modelos:detalle", args=[modelo.version]))
    assert pagina.context["cortes"].en_palabras == cortes.frases_de_niveles(ALTO, MEDIO)
    html = pagina.content.decode()
    assert "es de 2,8\xa0% o más." in html
    assert "es de 1,2\xa0% o más, y menor que 2,8\xa0%." in html
    assert "es menor que 1,2\xa0%." in html
