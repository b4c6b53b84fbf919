"""The UGEL's page and its workbooks count with one query and rank with one
order: every IE row, every count and the totals agree."""

import pytest
from django.urls import reverse

from alerta.models import Nivel
from alerta.presentacion.tableros import ORDENES
from riesgo.scoring import agregados_escribir
from tests.factories import IEFactory, MatriculaFactory, SeccionFactory

from .ejecuciones import puntuar
from .libros import libro, tabla

# Probability of each letter with the shared run's cut-offs (0.3 and 0.1).
PROBABILIDAD = {"A": 0.6, "M": 0.2, "B": 0.05}


@pytest.fixture
def ugel_grande(mundo, puntajes):
    """More IEs than a page of the ranking holds, with ties on students at
    medio+alto (broken by share), on both (by name), on name (by pk), students
    enrolled after the run, IEs without any score yet and one with 5.º de
    secundaria only; then the run's aggregates."""
    ugel = mundo.ugel_norte
    patrones = ["AM", "AMB", "AMBB", "MM", "B", "BB", "A", "M", "AAM", "MB"]
    for i in range(30):
        nombre = "IE GEMELA" if i % 7 == 0 else f"IE {i:02d}"
        seccion = SeccionFactory(ie=IEFactory(ugel=ugel, nombre=nombre))
        puntuar(
            puntajes,
            {
                MatriculaFactory(seccion=seccion): PROBABILIDAD[x]
                for x in patrones[i % 10]
            },
        )
        if i % 4 == 0:
            # Enrolled after the run: the workbook counts them apart.
            MatriculaFactory(seccion=seccion)
    sin_puntaje = [IEFactory(ugel=ugel) for _i in range(2)]
    for ie in sin_puntaje:
        MatriculaFactory(seccion=SeccionFactory(ie=ie))
    solo_quinto = IEFactory(ugel=ugel, nombre="IE SOLO QUINTO")
    quinto = SeccionFactory(ie=solo_quinto, nivel=Nivel.SECUNDARIA, grado=5)
    MatriculaFactory.create_batch(3, seccion=quinto)
    ugel.sin_puntaje = [*sin_puntaje, solo_quinto]
    agregados_escribir(puntajes)
    return ugel


def _pagina_completa(client, ugel, orden: str) -> tuple[list, object]:
    """Every IE row of the UGEL's page, page after page, and its totals."""
    filas, numero = [], 1
    while True:
        r = client.get(
            reverse("ugel_detalle", args=[ugel.codigo]),
            {"orden": orden, "pagina": numero},
        )
        assert r.status_code == 200
        filas += r.context["filas"]
        if not r.context["pagina"].has_next():
            return filas, r.context["tablero"].totales
        numero += 1


def _cifras(ie, c) -> tuple:
    return (ie.codigo_modular, ie.anexo, c.alto, c.medio, c.bajo, c.sin_riesgo)


def test_the_ugel_page_and_its_workbooks_agree_on_every_count_and_the_order(
    client, mundo, ugel_grande
):
    client.force_login(mundo.ugel)
    pagina, totales = _pagina_completa(client, ugel_grande, "cantidad")
    assert len(pagina) > 25  # more than one page was walked

    wb = libro(client.get(reverse("ugel_excel", args=[ugel_grande.codigo])))
    _n, encabezado, filas = tabla(wb["Resumen por IE"], "Código modular")
    col = {titulo: i for i, titulo in enumerate(encabezado)}
    quinto = "5.º de secundaria: sin riesgo calculado"
    libro_ugel = [
        (
            f[col["Código modular"]],
            f[col["Anexo"]],
            f[col["Alto"]],
            f[col["Medio"]],
            f[col["Bajo"]],
            f[col[quinto]],
        )
        for f in filas
    ]
    con_puntaje = [x for x in libro_ugel if x[2] + x[3] + x[4]]
    # The page lists the IEs with scored students; the workbook the same rows
    # in the same order, and among them those without a score yet.
    assert con_puntaje == [_cifras(ie, c) for ie, c in pagina]
    assert {x[0] for x in libro_ugel if not x[2] + x[3] + x[4]} == {
        ie.codigo_modular for ie in ugel_grande.sin_puntaje
    }

    total = next(
        f for f in wb["Resumen por IE"].iter_rows(values_only=True) if f[0] == "Total"
    )
    assert (
        total[col["Alto"]],
        total[col["Medio"]],
        total[col["Bajo"]],
        total[col[quinto]],
    ) == (totales.alto, totales.medio, totales.bajo, totales.sin_riesgo)

    wb = libro(client.get(reverse("ugel_capacitaciones", args=[ugel_grande.codigo])))
    _n, encabezado, filas = tabla(wb["Ranking"], "Prioridad")
    col = {titulo: i for i, titulo in enumerate(encabezado)}
    assert [
        (
            f[col["Prioridad"]],
            f[col["Código modular"]],
            f[col["Alto"]],
            f[col["Medio"]],
            f[col["Bajo"]],
        )
        for f in filas
    ] == [
        (n, ie.codigo_modular, c.alto, c.medio, c.bajo)
        for n, (ie, c) in enumerate(pagina, start=1)
    ]


@pytest.mark.parametrize("orden", ORDENES)
def test_the_ranking_breaks_ties_the_same_way_in_every_order(
    client, mundo, ugel_grande, orden
):
    client.force_login(mundo.ugel)
    pagina, _t = _pagina_completa(client, ugel_grande, orden)
    claves = [
        (
            -(c.en_riesgo if orden == "cantidad" else c.pct_en_riesgo),
            -(c.pct_en_riesgo if orden == "cantidad" else c.en_riesgo),
            ie.nombre,
            ie.pk,
        )
        for ie, c in pagina
    ]
    assert claves == sorted(claves)
    # The names repeat: the pk decides between them.
    assert len({ie.nombre for ie, _c in pagina}) < len(pagina)
