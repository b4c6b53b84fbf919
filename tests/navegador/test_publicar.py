"""On a 360 px phone, Minedu publishes a version that does not beat its
baseline: the figures side by side, then an explicit confirmation."""

import pytest
from django.urls import reverse

from riesgo.models import EstadoModelo, ModeloRiesgo

from .ayudas import TELEFONO, expect, ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def _sin_desplazamiento_lateral(pagina) -> None:
    ancho = pagina.evaluate("document.scrollingElement.scrollWidth")
    assert ancho <= TELEFONO["width"], f"{pagina.url} is {ancho} px wide"


def test_a_version_below_its_baseline_is_published_only_once_confirmed(
    telefono, mundo, tmp_path
):
    ModeloRiesgo.objects.create(
        version=1,
        algoritmo="HistGradientBoosting calibrado (sigmoide)",
        roc_auc=0.904,
        metricas={
            "modelo": {"roc_auc": 0.904, "pr_auc": 0.567},
            "base": {"roc_auc": 0.908, "pr_auc": 0.574},
        },
        corte_alto=0.0284,
        corte_medio=0.0121,
        artefacto="-",
        sha256="-",
    )
    pagina = telefono
    ingresar(pagina, mundo.nacional)
    pagina.goto(reverse("modelos:lista"))
    expect(pagina.get_by_text("No supera a su línea de base")).to_be_visible()
    pagina.screenshot(path=tmp_path / "lista.png", full_page=True)

    pagina.get_by_role("button", name="Publicar la versión 1").click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Publicar la versión 1")
    _sin_desplazamiento_lateral(pagina)
    tabla = pagina.get_by_role("table")
    expect(tabla).to_contain_text("0,904")
    expect(tabla).to_contain_text("0,908")
    pagina.screenshot(path=tmp_path / "confirmar.png", full_page=True)

    pagina.get_by_role("button", name="Publicar igual").click()
    expect(pagina.get_by_role("alert")).to_contain_text(
        "falta marcar la casilla de confirmación"
    )
    assert ModeloRiesgo.objects.get().estado == EstadoModelo.ENTRENADO
    pagina.screenshot(path=tmp_path / "sin_marcar.png", full_page=True)

    pagina.get_by_label(
        "Vi las cifras y quiero publicar esta versión aunque no supera a su línea "
        "de base."
    ).check()
    pagina.get_by_role("button", name="Publicar igual").click()
    expect(pagina.get_by_text("Versión 1 publicada.")).to_be_visible()
    assert ModeloRiesgo.objects.get().estado == EstadoModelo.PUBLICADO
    _sin_desplazamiento_lateral(pagina)
