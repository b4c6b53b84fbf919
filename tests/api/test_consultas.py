"""A list's queries do not grow with its page size: every list endpoint of
the URLconf, asked for pages of 2 and of 6 objects, runs the same queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from riesgo.models import ModeloRiesgo
from siagie_import.models import Importacion

from ..alerta.ejecuciones import puntuar
from ..factories import (
    DreFactory,
    IEFactory,
    MatriculaFactory,
    SeccionFactory,
    UgelFactory,
    accion,
    registro_mensual,
)

PEQUENA, GRANDE = 2, 6


def _listas() -> list[str]:
    api = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "api"
    )
    return sorted(f"api:{q.name}" for q in api.url_patterns if q.name.endswith("-list"))


@pytest.fixture
def de_todo(mundo, puntajes):
    """At least GRANDE objects of every kind a list shows, with scores,
    counts and factors where they apply."""
    for i in range(GRANDE):
        dre = DreFactory()
        ugel = UgelFactory(dre=dre)
        seccion = SeccionFactory(ie=IEFactory(ugel=ugel), grado=1 + i % 5)
        matriculas = MatriculaFactory.create_batch(2, seccion=seccion)
        puntuar(puntajes, dict.fromkeys(matriculas, 0.7), factor_1="inasistencias")
        for m in matriculas:
            registro_mensual(mundo.nacional, m)
            accion(mundo.nacional, m, nota="Nota.", reservada=m == matriculas[0])
        ModeloRiesgo.objects.create(
            version=100 + i, algoritmo="prueba", corte_alto=0.3, corte_medio=0.1
        )
        Importacion.objects.create(
            usuario=mundo.nacional, tipo="PADRON", nombre_archivo=f"{i}.csv", sha256=i
        )
    mundo.puntajes_de_prueba = puntajes
    return mundo


def _consultas(client, url: str, tamano: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, {"tamano": tamano})
    assert r.status_code == 200, r.content[:200]
    return len(r.json()["results"]), len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("nombre", _listas())
def test_a_bigger_page_runs_the_same_queries(client, de_todo, nombre):
    client.force_login(de_todo.nacional)
    url = reverse(nombre)
    _consultas(client, url, PEQUENA)  # the session and caches, warmed
    filas_p, consultas_p = _consultas(client, url, PEQUENA)
    filas_g, consultas_g = _consultas(client, url, GRANDE)
    assert (filas_p, filas_g) == (PEQUENA, GRANDE)
    assert consultas_g == consultas_p


def test_every_list_is_measured():
    assert len(_listas()) == 10


def _todas(client, url: str, consulta: dict) -> list[str]:
    """Every row of a list, walked page by page by its cursor."""
    filas, r = [], client.get(url, {**consulta, "tamano": PEQUENA})
    while True:
        cuerpo = r.json()
        filas += [f["uuid"] for f in cuerpo["results"]]
        if not cuerpo["next"]:
            return filas
        r = client.get(cuerpo["next"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "consulta",
    [{}, {"ugel": "norte"}, {"ugel": "norte", "riesgo": "alto"}, {"ie": "uno"}],
    ids=["todo", "ugel", "ugel-alto", "ie"],
)
def test_the_cursor_walks_every_row_once_in_a_stable_order(client, de_todo, consulta):
    m = de_todo
    mas = MatriculaFactory.create_batch(5, seccion=m.seccion_a)
    puntuar(m.puntajes_de_prueba, dict.fromkeys(mas, 0.7))
    valores = {"norte": m.ugel_norte.codigo, "uno": m.ie_uno.codigo}
    consulta = {k: valores.get(v, v) for k, v in consulta.items()}
    client.force_login(m.nacional)
    url = reverse("api:estudiante-list")
    filas = _todas(client, url, consulta)
    completa = [
        f["uuid"]
        for f in client.get(url, {**consulta, "tamano": 500}).json()["results"]
    ]
    assert len(filas) > PEQUENA
    assert filas == completa
    assert len(set(filas)) == len(filas)
