"""Publishing from the console: a version that does not beat its baseline on
ROC-AUC or PR-AUC is published only when asked explicitly (entrenar_modelo),
or with a word on screen (the demo)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from alerta.management.commands.demo import Command as Demo
from riesgo.models import EstadoModelo, ModeloRiesgo
from riesgo.versiones import NoSuperaBase, modelo_publicar, modelo_restaurar_anterior

MOTIVO = (
    "La versión 1 no supera a su línea de base (la regresión logística entrenada "
    "con los mismos datos) en ROC-AUC (0,904 frente a 0,908) ni en PR-AUC (0,567 "
    "frente a 0,574)."
)


def version(
    *, roc: float, pr: float, roc_base: float = 0.908, pr_base: float = 0.574
) -> ModeloRiesgo:
    n = ModeloRiesgo.objects.count() + 1
    return ModeloRiesgo.objects.create(
        version=n,
        algoritmo="prueba",
        roc_auc=roc,
        n_validacion=100,
        anio_validacion=2025,
        metricas={
            "modelo": {"roc_auc": roc, "pr_auc": pr},
            "base": {"roc_auc": roc_base, "pr_auc": pr_base},
            "en_palabras": [],
        },
        corte_alto=0.3,
        corte_medio=0.1,
        artefacto="-",
        sha256="-",
    )


@pytest.fixture
def entrenada(monkeypatch):
    """entrenar_modelo trains nothing: it gets the version the test sets."""
    from alerta.management.commands import entrenar_modelo

    dada = {}
    monkeypatch.setattr(entrenar_modelo, "modelo_entrenar", lambda **_k: dada["m"])
    return dada


def publicado() -> int | None:
    m = ModeloRiesgo.objects.publicado()
    return m.version if m else None


@pytest.mark.django_db
def test_the_service_refuses_a_version_below_its_baseline_unless_told():
    m = version(roc=0.904, pr=0.567)
    with pytest.raises(NoSuperaBase) as e:
        modelo_publicar(modelo=m)
    assert str(e.value) == MOTIVO
    assert publicado() is None
    modelo_publicar(modelo=m, aunque_no_supere_base=True)
    assert publicado() == 1


@pytest.mark.django_db
def test_below_on_one_metric_only_is_not_beating_it():
    m = version(roc=0.95, pr=0.574)
    with pytest.raises(NoSuperaBase) as e:
        modelo_publicar(modelo=m)
    assert str(e.value).endswith("en PR-AUC (0,574 frente a 0,574).")


@pytest.mark.django_db
def test_restoring_a_version_published_before_asks_nothing():
    uno = version(roc=0.904, pr=0.567)
    modelo_publicar(modelo=uno, aunque_no_supere_base=True)
    modelo_publicar(modelo=version(roc=0.95, pr=0.6))
    assert modelo_restaurar_anterior() == uno
    assert publicado() == 1


@pytest.mark.django_db
def test_the_command_refuses_to_publish_a_version_below_its_baseline(entrenada):
    entrenada["m"] = version(roc=0.904, pr=0.567)
    with pytest.raises(CommandError) as e:
        call_command("entrenar_modelo", publicar=True, stdout=StringIO())
    assert str(e.value) == (
        "No se publicó la versión 1: no supera a su línea de base en ROC-AUC "
        "(0,904 frente a 0,908) ni en PR-AUC (0,567 frente a 0,574); para "
        "publicarla igual, use --publicar-aunque-no-supere o el botón Publicar de "
        "/modelos/."
    )
    assert publicado() is None
    assert ModeloRiesgo.objects.get().estado == EstadoModelo.ENTRENADO


@pytest.mark.django_db
def test_the_command_publishes_it_when_told_to_and_says_so(entrenada):
    entrenada["m"] = version(roc=0.904, pr=0.567)
    salida = StringIO()
    call_command("entrenar_modelo", publicar_aunque_no_supere=True, stdout=salida)
    assert publicado() == 1
    assert f"Publicada aunque no supera a su línea de base: {MOTIVO}" in (
        salida.getvalue()
    )


@pytest.mark.django_db
def test_the_command_publishes_a_version_that_beats_its_baseline(entrenada):
    entrenada["m"] = version(roc=0.91, pr=0.58)
    salida = StringIO()
    call_command("entrenar_modelo", publicar=True, stdout=salida)
    assert publicado() == 1
    assert "Publicada: supera a su línea de base en ROC-AUC y en PR-AUC." in (
        salida.getvalue()
    )


@pytest.mark.django_db
def test_the_demo_says_on_screen_why_it_publishes_a_version_below_its_baseline():
    m = version(roc=0.904, pr=0.567)
    salida = StringIO()
    Demo(stdout=salida)._publicar(m)
    assert publicado() == 1
    assert salida.getvalue() == (
        f"Atención: {MOTIVO} La demostración la publica igual, solo para que el "
        "portal muestre niveles de riesgo con datos sintéticos; con datos reales, "
        "/modelos/ pide confirmación antes de publicar una versión así.\n"
    )


@pytest.mark.django_db
def test_the_demo_publishes_a_version_that_beats_its_baseline_without_warning():
    m = version(roc=0.91, pr=0.58)
    salida = StringIO()
    Demo(stdout=salida)._publicar(m)
    assert publicado() == 1
    assert salida.getvalue() == "Versión 1 publicada: supera a su línea de base.\n"
