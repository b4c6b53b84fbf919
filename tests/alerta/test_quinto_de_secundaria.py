"""5.º de secundaria is outside deserción interanual: no level anywhere, one
phrase wherever a level would go, and counts that say how many are left out.

The world's run scored one of them, as a run from before the change did: no
page, workbook or count puts them at a level all the same.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from alerta.models import (
    POR_QUE_SIN_RIESGO_QUINTO,
    SIN_RIESGO_QUINTO,
    Nivel,
    Rol,
    SituacionFinal,
)
from riesgo.scoring import agregados_escribir

from ..factories import MatriculaFactory, SeccionFactory, UsuarioFactory, asignar
from .ejecuciones import puntuar
from .libros import bloque as _bloque
from .libros import libro as _libro
from .libros import tabla as _tabla

FRASE = str(SIN_RIESGO_QUINTO)
HOJA_QUINTO = "5.º de secundaria A"


@dataclass
class Quinto:
    seccion: object
    tutor: object
    con_puntaje_viejo: object  # scored alto by the run, as before the change
    bajo_viejo: object  # scored bajo by the run
    sin_puntaje: object  # failed 5.º: left out all the same


@pytest.fixture
def quinto(mundo, puntajes) -> Quinto:
    seccion = SeccionFactory(
        ie=mundo.ie_uno, nivel=Nivel.SECUNDARIA, grado=5, letra="A"
    )
    tutor = UsuarioFactory(username="quintina")
    asignar(tutor, Rol.TUTOR, seccion=seccion)
    alto = MatriculaFactory(seccion=seccion)
    bajo = MatriculaFactory(seccion=seccion)
    sin = MatriculaFactory(seccion=seccion, situacion_final=SituacionFinal.DESAPROBADO)
    # Moved out: not a current student, never counted.
    MatriculaFactory(seccion=seccion, situacion_final=SituacionFinal.TRASLADADO)
    puntuar(puntajes, {alto: 0.9, bajo: 0.01}, factor_1="extraedad")
    agregados_escribir(puntajes)
    return Quinto(seccion, tutor, alto, bajo, sin)


def _matriculas(r) -> list[int]:
    return [m.pk for m in r.context["lista"].filas]


def _de_quinto(q: Quinto) -> set[int]:
    return {q.con_puntaje_viejo.pk, q.bajo_viejo.pk, q.sin_puntaje.pk}


def _ie(mundo, **params) -> str:
    base = reverse("ie_detalle", args=[mundo.ie_uno.codigo])
    return f"{base}?{urlencode(params)}" if params else base


# --- lists -------------------------------------------------------------------


def test_the_seccion_list_says_it_in_every_level_cell_and_why(client, quinto):
    client.force_login(quinto.tutor)
    r = client.get(reverse("seccion_detalle", args=[quinto.seccion.uuid]))
    html = r.content.decode()
    assert r.status_code == 200
    assert html.count(f'<span class="nivel nivel-sin nivel-quinto">{FRASE}</span>') == 3
    assert str(POR_QUE_SIN_RIESGO_QUINTO) in html
    # Neither the older score's level nor its factors.
    assert "nivel-alto" not in html.split("<tbody>", 1)[1]
    assert "nivel-bajo" not in html.split("<tbody>", 1)[1]
    assert "Tiene más edad" not in html


def test_the_ie_list_says_it_for_their_rows_and_their_seccion(client, mundo, quinto):
    client.force_login(mundo.director)
    r = client.get(_ie(mundo))
    html = r.content.decode()
    assert html.count(f'<span class="nivel nivel-sin nivel-quinto">{FRASE}</span>') == 3
    assert (
        f'<td colspan="4" class="sin-riesgo-quinto"><span class="visible-en-telefono">'
        f"{FRASE} · 3 estudiantes</span></td>" in (html)
    )
    assert str(POR_QUE_SIN_RIESGO_QUINTO) in html


@pytest.mark.parametrize("nivel", ["ALTO", "MEDIO", "BAJO"])
def test_filtering_by_a_level_never_returns_them(client, mundo, quinto, nivel):
    client.force_login(mundo.director)
    filas = _matriculas(client.get(_ie(mundo, riesgo=nivel)))
    assert filas
    assert not _de_quinto(quinto) & set(filas)


def test_sorting_by_risk_puts_them_with_the_unscored_after_every_level(
    client, mundo, quinto
):
    client.force_login(mundo.director)
    filas = client.get(_ie(mundo, orden="riesgo")).context["lista"].filas
    niveles = [f.nivel_riesgo for f in filas]
    assert niveles == ["ALTO", "ALTO", "MEDIO", "BAJO", None, None, None]
    assert {f.pk for f in filas[-3:]} == _de_quinto(quinto)


def test_the_tutors_home_says_it_for_their_seccion(client, quinto):
    client.force_login(quinto.tutor)
    html = client.get(reverse("inicio")).content.decode()
    assert f"{FRASE} · 3 estudiantes" in html


def test_the_directors_home_counts_them_apart(client, mundo, quinto):
    client.force_login(mundo.director)
    html = client.get(reverse("inicio")).content.decode()
    # IE Uno: 2 alto, 1 medio, 1 bajo scored, and the three of 5.º apart.
    assert "y 3 de 5.º de secundaria sin riesgo calculado" in html


def test_another_ies_tutor_gets_404_on_their_seccion(client, mundo, quinto):
    client.force_login(mundo.tutor_otra_ie)
    r = client.get(reverse("seccion_detalle", args=[quinto.seccion.uuid]))
    assert r.status_code == 404


# --- the student page ----------------------------------------------------------


def test_the_student_page_says_it_and_why_instead_of_a_level(client, quinto):
    client.force_login(quinto.tutor)
    url = reverse("estudiante_detalle", args=[quinto.con_puntaje_viejo.estudiante.uuid])
    html = client.get(url).content.decode()
    seccion_nivel = html.split('id="titulo-nivel"', 1)[1].split("</section>", 1)[0]
    assert FRASE in seccion_nivel
    assert str(POR_QUE_SIN_RIESGO_QUINTO) in seccion_nivel
    assert "Probabilidad estimada" not in html
    assert "Qué eleva su riesgo" not in html


def test_a_student_of_quinto_without_a_score_gets_the_same_words(client, quinto):
    client.force_login(quinto.tutor)
    url = reverse("estudiante_detalle", args=[quinto.sin_puntaje.estudiante.uuid])
    html = client.get(url).content.decode()
    assert FRASE in html
    assert "El cálculo vigente no incluye a este estudiante." not in html


# --- workbooks -----------------------------------------------------------------


def test_the_classroom_workbook_writes_the_phrase_in_the_level_column(client, quinto):
    client.force_login(quinto.tutor)
    wb = _libro(client.get(reverse("seccion_excel", args=[quinto.seccion.uuid])))
    ws = wb.worksheets[0]
    assert _bloque(ws)[FRASE] == str(POR_QUE_SIN_RIESGO_QUINTO)
    _n, _e, filas = _tabla(ws, "N.º")
    assert [(f[2], f[3], f[5]) for f in filas] == [(FRASE, None, None)] * 3


def test_the_ie_workbook_counts_them_apart_and_says_it_in_their_sheet(
    client, mundo, quinto
):
    client.force_login(mundo.director)
    wb = _libro(client.get(reverse("ie_excel", args=[mundo.ie_uno.codigo])))
    _n, encabezado, filas = _tabla(wb["Resumen"], "Nivel")
    assert encabezado[8] == "5.º de secundaria: sin riesgo calculado"
    fila = next(f for f in filas if f[0] == "Secundaria")
    # Estudiantes, alto, medio, bajo, sin puntaje, 5.º, % alto + medio.
    assert fila[1:10] == ("5.º", "A", 3, 0, 0, 0, 0, 3, None)
    total = next(
        f for f in wb["Resumen"].iter_rows(values_only=True) if f[0] == "Total"
    )
    assert total[3:10] == (7, 2, 1, 1, 0, 3, 75.0)
    _n, _e, nominal = _tabla(wb[HOJA_QUINTO], "N.º")
    assert {f[2] for f in nominal} == {FRASE}


def test_the_ugel_workbook_counts_them_apart_and_lists_none(client, mundo, quinto):
    client.force_login(mundo.ugel)
    wb = _libro(client.get(reverse("ugel_excel", args=[mundo.ugel_norte.codigo])))
    _n, encabezado, filas = _tabla(wb["Resumen por IE"], "Código modular")
    assert encabezado[11] == "5.º de secundaria: sin riesgo calculado"
    uno = next(f for f in filas if f[2] == "IE UNO")
    assert uno[6:] == (7, 2, 1, 1, 0, 3, 75.0)
    secciones = [
        f[2]
        for ws in wb.worksheets
        if ws.title.startswith("Nominal")
        for f in _tabla(ws, "Código modular")[2]
    ]
    assert secciones
    assert HOJA_QUINTO not in secciones


# --- dashboards ----------------------------------------------------------------

SENTENCIA = (
    "3 estudiantes de 5.º de secundaria no tienen riesgo calculado: la deserción "
    "interanual no incluye a 5.º de secundaria. Con ellos, son {total} "
    "estudiantes matriculados."
)


@pytest.mark.parametrize(
    "usuario, url, total",
    [
        ("ugel", lambda m: reverse("ugel_detalle", args=[m.ugel_norte.codigo]), 8),
        ("dre", lambda m: reverse("dre_detalle", args=[m.ugel_norte.dre.pk]), 9),
        ("nacional", lambda m: reverse("nacional"), 9),
    ],
)
def test_each_dashboard_says_how_many_are_left_out_and_the_totals_add_up(
    client, mundo, quinto, usuario, url, total
):
    client.force_login(getattr(mundo, usuario))
    r = client.get(url(mundo))
    html = r.content.decode()
    assert SENTENCIA.format(total=total) in html
    tablero = r.context["tablero"]
    assert tablero.totales.sin_riesgo == 3
    assert tablero.totales.total + 3 == tablero.totales.matriculados == total
    fila = next(
        f for f in tablero.grados if (f.nivel, f.grado) == (Nivel.SECUNDARIA, 5)
    )
    assert (fila.conteo.total, fila.conteo.sin_riesgo) == (0, 3)
    assert (
        f'<td colspan="6" class="sin-riesgo-quinto"><span class="visible-en-telefono">'
        f"{FRASE} · 3 estudiantes</span></td>" in (html)
    )
    # The chart draws the levels only: no bar for 5.º de secundaria.
    graficos = r.context["graficos"]
    graficos = graficos() if callable(graficos) else graficos  # computed on demand
    assert "5.º de secundaria" not in str(graficos["grados"]["etiquetas"])


def test_a_dashboard_of_another_ugel_gets_404(client, mundo, quinto):
    client.force_login(mundo.ugel_otra)
    r = client.get(reverse("ugel_detalle", args=[mundo.ugel_norte.codigo]))
    assert r.status_code == 404
