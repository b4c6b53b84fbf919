"""Pages stay light for slow connections: on a first load (empty cache), the
HTML plus the CSS and JavaScript it references weigh under 200 KB, not counting
the chart library (loaded only by the pages with charts, then cached)."""

import pytest
from django.urls import reverse

from riesgo.models import AgregadoRiesgo
from riesgo.scoring import agregados_escribir
from tests.alerta.ejecuciones import puntuar
from tests.factories import IEFactory, MatriculaFactory, SeccionFactory

from .ayudas import FACTORES, ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

PESO_MAXIMO = 200 * 1024
LIBRERIA_DE_GRAFICOS = "/static/vendor/chartjs/"


def _puntuar(ejecucion, matriculas, probabilidad: float) -> None:
    puntuar(ejecucion, dict.fromkeys(matriculas, probabilidad), **FACTORES)


@pytest.fixture
def paginas_llenas(escuela):
    """Full pages: 50 students in sección A (a list's page), 25 IEs in UGEL
    Norte (a page of the ranking)."""
    m, ejecucion = escuela.mundo, escuela.ejecucion
    _puntuar(ejecucion, MatriculaFactory.create_batch(47, seccion=m.seccion_a), 0.35)
    for _ in range(23):
        seccion = SeccionFactory(ie=IEFactory(ugel=m.ugel_norte))
        _puntuar(ejecucion, MatriculaFactory.create_batch(2, seccion=seccion), 0.2)
    AgregadoRiesgo.objects.filter(ejecucion=ejecucion).delete()
    agregados_escribir(ejecucion)
    return escuela


def _peso(pagina, url: str) -> tuple[int, int]:
    """Bytes of the page and of what it loads, without and with the chart
    library, on an empty cache."""
    respuestas = []

    def guardar(respuesta) -> None:
        respuestas.append(respuesta)

    pagina.on("response", guardar)
    pagina.goto(url, wait_until="load")
    pagina.remove_listener("response", guardar)
    sin_graficos = con_graficos = 0
    for r in respuestas:
        assert r.status == 200, f"{r.url} answered {r.status}"
        tamano = len(r.body())
        con_graficos += tamano
        if LIBRERIA_DE_GRAFICOS not in r.url:
            sin_graficos += tamano
    return sin_graficos, con_graficos


def test_first_load_of_the_main_pages_weighs_under_200_kb_without_the_charts(
    pagina, paginas_llenas
):
    m = paginas_llenas.mundo
    # Every request goes to the server, as on a first visit.
    cdp = pagina.context.new_cdp_session(pagina)
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    pesos = {"/ingresar/": _peso(pagina, reverse("login"))}
    ingresar(pagina, m.nacional)
    for url in [
        reverse("inicio"),
        reverse("seccion_detalle", args=[m.seccion_a.uuid]),
        reverse("ie_detalle", args=[m.ie_uno.codigo]),
        reverse("estudiante_detalle", args=[paginas_llenas.estudiante("a1").uuid]),
        reverse("ugel_detalle", args=[m.ugel_norte.codigo]),
        reverse("dre_detalle", args=[m.ugel_norte.dre.pk]),
        reverse("nacional"),
    ]:
        pesos[url] = _peso(pagina, url)

    # The lists were full pages: 50 students, 25 IEs.
    pagina.goto(reverse("seccion_detalle", args=[m.seccion_a.uuid]))
    assert pagina.locator("table.lista tbody tr").count() == 50
    pagina.goto(reverse("ugel_detalle", args=[m.ugel_norte.codigo]))
    assert pagina.locator("#tabla-ies tbody tr").count() == 25

    pesados = {url: p for url, (p, _c) in pesos.items() if p >= PESO_MAXIMO}
    assert pesados == {}, f"bytes per page (without, with charts): {pesos}"
    # The chart library is what was left out, and only where there are charts.
    assert pesos["/nacional/"][1] > pesos["/nacional/"][0]
    assert pesos["/ingresar/"][1] == pesos["/ingresar/"][0]
