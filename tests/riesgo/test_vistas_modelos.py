"""The model page: versions with their metrics, nightly runs, and the buttons
that train, publish, retire and restore. Minedu and administrators only."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerta.models import POR_QUE_SIN_RIESGO_QUINTO
from alerta.presentacion import modelos as presentacion
from riesgo.models import (
    EjecucionPuntaje,
    EstadoEjecucion,
    EstadoModelo,
    ModeloRiesgo,
)
from tests.factories import UsuarioFactory

LISTA = reverse("modelos:lista")
SIN_ACCESO = ["tutora", "director", "tutor_otra_ie", "ugel", "ugel_otra", "dre"]


def bloque(
    roc: float, alto: float = 0.107, alto_medio: float = 0.253, pr: float = 0.312
) -> dict:
    return {
        "n": 1200,
        "desertores": 60,
        "roc_auc": roc,
        "pr_auc": pr,
        "brier": 0.04213,
        "ece": 0.012,
        "calibracion": [
            {
                "desde": 0.0,
                "hasta": 0.05,
                "n": 800,
                "predicho": 0.021,
                "observado": 0.019,
            },
            {
                "desde": 0.05,
                "hasta": 0.2,
                "n": 300,
                "predicho": 0.094,
                "observado": 0.11,
            },
            {"desde": 0.2, "hasta": 1.0, "n": 100, "predicho": 0.35, "observado": 0.31},
        ],
        "alto": {"proporcion": alto, "precision": 0.25, "recall": 0.533},
        "alto_medio": {"proporcion": alto_medio, "precision": 0.15, "recall": 0.762},
        "medio": {"proporcion": 0.146},
        "bajo": {"proporcion": 0.747},
    }


def metricas() -> dict:
    return {
        "validacion": {"anio": 2025, "n": 1200, "tasa_desercion": 0.05},
        "entrenamiento": {"anios": [2023, 2024], "n": 2400},
        "modelo": bloque(0.8123),
        "base": bloque(0.6841, alto=0.09, alto_medio=0.2, pr=0.215),
        "por_grupo": {
            "area": {"RURAL": bloque(0.7911), "URBANA": bloque(0.8234)},
            "sexo": {"HOMBRE": bloque(0.8), "MUJER": bloque(0.81)},
            "lengua": {"CASTELLANO": bloque(0.8), "ORIGINARIA": bloque(0.77)},
            "nivel": {"PRIMARIA": bloque(0.79), "SECUNDARIA": bloque(0.82)},
        },
        "oraculo": {
            "n": 1200,
            "roc_auc": 0.871,
            "roc_auc_modelo": 0.8123,
            "brecha": 0.0587,
        },
        "cortes": {
            "regla": "Se marca en alto al 10,7 % con mayor probabilidad.",
            "alto": 0.31,
            "medio": 0.12,
        },
        "en_palabras": [
            "Alto: de cada 100 estudiantes marcados en alto, unos 25 no vuelven.",
            "Medio: unos 8 de cada 100 no vuelven.",
        ],
    }


def modelo(version: int, **campos) -> ModeloRiesgo:
    valores = {
        "version": version,
        "algoritmo": "LogisticRegression",
        "anios_entrenamiento": [2023, 2024],
        "anio_validacion": 2025,
        "n_entrenamiento": 2400,
        "n_validacion": 1200,
        "roc_auc": 0.8123,
        "metricas": metricas(),
        "corte_alto": 0.31,
        "corte_medio": 0.12,
        "artefacto": f"modelo_v{version}.skops",
        "sha256": "a" * 64,
    }
    valores.update(campos)
    return ModeloRiesgo.objects.create(**valores)


def url(nombre: str, m: ModeloRiesgo) -> str:
    return reverse(f"modelos:{nombre}", args=[m.version])


def estados() -> dict[int, str]:
    return dict(ModeloRiesgo.objects.values_list("version", "estado"))


def textos(r) -> list[str]:
    return [str(m) for m in r.context["messages"]] if r.context else []


@pytest.fixture
def minedu(client, mundo):
    client.force_login(mundo.nacional)
    return client


@pytest.fixture
def sin_delay(monkeypatch):
    """The training task is recorded, not run."""
    from riesgo import tasks

    encoladas = []
    monkeypatch.setattr(tasks.entrenar_modelo, "delay", encoladas.append)
    return encoladas


# --- Who may ------------------------------------------------------------------


ACCIONES = [
    ("get", lambda m: LISTA),
    ("get", lambda m: url("detalle", m)),
    ("post", lambda m: reverse("modelos:entrenar")),
    ("post", lambda m: url("publicar", m)),
    ("post", lambda m: url("retirar", m)),
    ("post", lambda m: reverse("modelos:restaurar")),
    # A POST-only URL tells nothing either: 404, not 405.
    ("get", lambda m: reverse("modelos:entrenar")),
    ("get", lambda m: url("publicar", m)),
    ("get", lambda m: url("retirar", m)),
    ("get", lambda m: reverse("modelos:restaurar")),
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", SIN_ACCESO)
@pytest.mark.parametrize(("metodo", "hacia"), ACCIONES)
def test_people_outside_minedu_get_404_and_change_nothing(
    client, mundo, django_capture_on_commit_callbacks, persona, metodo, hacia
):
    publicado = modelo(1, estado=EstadoModelo.PUBLICADO)
    modelo(2, estado=EstadoModelo.RETIRADO, retirado_en=timezone.now())
    antes = estados()
    client.force_login(getattr(mundo, persona))
    with django_capture_on_commit_callbacks() as encolado:
        r = getattr(client, metodo)(hacia(publicado))
    assert r.status_code == 404
    assert estados() == antes
    assert encolado == []  # no training queued


@pytest.mark.django_db
def test_a_user_with_no_role_gets_404(client, mundo):
    client.force_login(UsuarioFactory(username="sinrol"))
    assert client.get(LISTA).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("nombre", ["entrenar", "restaurar"])
def test_anonymous_post_is_sent_to_login(
    client, mundo, django_capture_on_commit_callbacks, nombre
):
    with django_capture_on_commit_callbacks() as encolado:
        r = client.post(reverse(f"modelos:{nombre}"))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login"))
    assert encolado == []


@pytest.mark.django_db
@pytest.mark.parametrize("nombre", ["publicar", "retirar"])
def test_anonymous_cannot_change_a_version(client, mundo, nombre):
    m = modelo(1, estado=EstadoModelo.PUBLICADO)
    r = client.post(url(nombre, m))
    assert r.status_code == 302
    assert estados() == {1: EstadoModelo.PUBLICADO}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hacia",
    [
        lambda m: reverse("modelos:entrenar"),
        lambda m: url("publicar", m),
        lambda m: url("retirar", m),
        lambda m: reverse("modelos:restaurar"),
    ],
)
def test_actions_answer_405_to_minedu_on_get(
    minedu, django_capture_on_commit_callbacks, hacia
):
    m = modelo(1)
    with django_capture_on_commit_callbacks() as encolado:
        assert minedu.get(hacia(m)).status_code == 405
    assert estados() == {1: EstadoModelo.ENTRENADO}
    assert encolado == []


@pytest.mark.django_db
def test_superuser_sees_the_models(client, mundo):
    modelo(1)
    client.force_login(UsuarioFactory(username="root", is_superuser=True))
    assert client.get(LISTA).status_code == 200
    assert client.get(reverse("modelos:detalle", args=[1])).status_code == 200


@pytest.mark.django_db
def test_an_unknown_version_is_404_even_for_minedu(minedu):
    assert minedu.get(reverse("modelos:detalle", args=[7])).status_code == 404
    assert minedu.post(reverse("modelos:publicar", args=[7])).status_code == 404


@pytest.mark.django_db
def test_only_minedu_has_the_link_in_the_menu(client, mundo):
    client.force_login(mundo.nacional)
    assert f'href="{LISTA}"' in client.get(reverse("inicio")).content.decode()
    client.force_login(mundo.dre)
    assert f'href="{LISTA}"' not in client.get(reverse("inicio")).content.decode()


# --- The list -----------------------------------------------------------------


@pytest.mark.django_db
def test_minedu_sees_each_version_with_its_metrics(minedu):
    ahora = timezone.now()
    modelo(1, estado=EstadoModelo.RETIRADO, publicado_en=ahora, retirado_en=ahora)
    modelo(2, estado=EstadoModelo.PUBLICADO, publicado_en=ahora)
    modelo(3)
    r = minedu.get(LISTA)
    assert r.status_code == 200
    pagina = r.content.decode()
    for texto in [
        "Versión 1",
        "Versión 2",
        "Versión 3",
        "LogisticRegression",
        "Publicado",
        "Retirado",
        "Entrenado",
        "0,812",  # ROC-AUC
        "(0,684)",  # the baseline's, beside it
        "0,312",  # PR-AUC
        "0,042",  # Brier
        "10,7\xa0%",  # share alto
        "25,3\xa0%",  # share alto + medio
        "76,2\xa0%",  # recall alto + medio
        "0,059",  # gap with the oracle
        "1\xa0200 est.",
        "Entrenar nueva versión",
        "Restaurar versión anterior (1)",
    ]:
        assert texto in pagina, texto
    for nombre, version in [("retirar", 2), ("publicar", 3), ("publicar", 1)]:
        accion = reverse(f"modelos:{nombre}", args=[version])
        assert f'action="{accion}"' in pagina
    assert pagina.count("csrfmiddlewaretoken") >= 5


@pytest.mark.django_db
def test_the_list_says_when_nothing_is_published_or_restorable(minedu):
    modelo(1)
    pagina = minedu.get(LISTA).content.decode()
    assert "No hay ninguna versión publicada" in pagina
    assert "No hay una versión anterior que restaurar." in pagina
    assert reverse("modelos:restaurar") not in pagina


@pytest.mark.django_db
def test_the_list_shows_the_latest_runs_and_their_errors_truncated(minedu):
    m = modelo(1, estado=EstadoModelo.PUBLICADO)
    EjecucionPuntaje.objects.create(
        modelo=m,
        anio=2026,
        estado=EstadoEjecucion.EXITOSA,
        estudiantes=123456,
        lotes=7,
        duracion_s=75,
    )
    EjecucionPuntaje.objects.create(
        modelo=m, anio=2026, estado=EstadoEjecucion.FALLIDA, error="Falló: " + "x" * 500
    )
    pagina = minedu.get(LISTA).content.decode()
    assert "123\xa0456" in pagina
    assert "1 min 15 s" in pagina
    assert "Exitosa" in pagina and "Fallida" in pagina
    assert "Falló: xxx" in pagina
    assert "x" * 200 not in pagina


@pytest.mark.django_db
def test_the_list_takes_as_many_queries_with_many_versions_as_with_one(minedu):
    m = modelo(1, estado=EstadoModelo.PUBLICADO)
    EjecucionPuntaje.objects.create(modelo=m, anio=2026)
    minedu.get(LISTA)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as una:
        assert minedu.get(LISTA).status_code == 200
    ahora = timezone.now()
    for v in range(2, 12):
        otro = modelo(v, estado=EstadoModelo.RETIRADO, retirado_en=ahora)
        EjecucionPuntaje.objects.create(modelo=otro, anio=2026)
    with CaptureQueriesContext(connection) as muchas:
        r = minedu.get(LISTA)
    assert "Versión 11" in r.content.decode()
    assert len(muchas) == len(una)


@pytest.mark.django_db
def test_the_pages_name_no_student(minedu, puntajes, mundo):
    pagina = minedu.get(LISTA).content.decode()
    pagina += minedu.get(reverse("modelos:detalle", args=[1])).content.decode()
    for matricula in mundo.matriculas_a:
        assert matricula.estudiante.apellido_paterno not in pagina


# --- One version --------------------------------------------------------------


@pytest.mark.django_db
def test_the_detail_shows_every_metric_and_the_cut_offs_in_words(minedu):
    m = modelo(4, estado=EstadoModelo.PUBLICADO, publicado_en=timezone.now())
    r = minedu.get(url("detalle", m))
    assert r.status_code == 200
    pagina = r.content.decode()
    for texto in [
        "Modelo de riesgo, versión 4",
        # the cut-offs in plain words, as stored with the version
        "Se marca en alto al 10,7 % con mayor probabilidad.",
        "Alto: de cada 100 estudiantes marcados en alto, unos 25 no vuelven.",
        "Medio: unos 8 de cada 100 no vuelven.",
        # data
        "2023, 2024",
        "2\xa0400",
        "5,0\xa0%",
        # model vs baseline
        "0,812",
        "0,684",
        "0,0421",  # Brier
        "1,2\xa0%",  # ECE
        "53,3\xa0%",  # recall alto
        "74,7\xa0%",  # share bajo
        # oracle
        "ROC-AUC del oráculo",
        "0,871",
        "0,059",
        # by group
        "Área: Rural",
        "Área: Urbana",
        "Sexo: Mujer",
        "Lengua materna: Lengua originaria",
        "Nivel: Secundaria",
        "0,791",
        # calibration table
        "de 5,0\xa0% a 20,0\xa0%",
        "9,4\xa0%",
        "11,0\xa0%",
        "Retirar",
    ]:
        assert texto in pagina, texto


@pytest.mark.django_db
def test_the_detail_says_5_de_secundaria_is_not_in_its_counts(minedu):
    m = modelo(4)
    pagina = minedu.get(url("detalle", m)).content.decode()
    assert (
        "Los estudiantes de 5.º de secundaria no están en estas cifras ni reciben "
        "un nivel de riesgo."
    ) in pagina
    assert str(POR_QUE_SIN_RIESGO_QUINTO) in pagina


def test_the_detail_passes_the_chart_data_with_json_script(minedu):
    m = modelo(1)
    r = minedu.get(url("detalle", m))
    pagina = r.content.decode()
    assert '<script id="datos-graficos" type="application/json">' in pagina
    assert "vendor/chartjs/chart.umd.min.js" in pagina
    assert "js/modelo_graficos.js" in pagina
    assert 'id="grafico-calibracion"' in pagina
    assert 'id="grafico-comparacion"' in pagina
    # No inline script: besides script files, only the JSON data block.
    sin_archivo = [t for t in re.findall(r"<script[^>]*>", pagina) if " src=" not in t]
    assert sin_archivo == ['<script id="datos-graficos" type="application/json">']
    graficos = r.context["graficos"]
    assert graficos["calibracion"]["puntos"][1] == {"x": 0.094, "y": 0.11}
    assert graficos["comparacion"]["modelo"][0] == 0.8123
    assert graficos["comparacion"]["base"][0] == 0.6841
    assert graficos["decimal"] == ","


@pytest.mark.django_db
def test_a_version_with_old_style_metrics_still_renders(minedu):
    m = modelo(
        1,
        metricas={"roc_auc": 0.7012, "tasa_desercion_validacion": 0.0634},
        n_entrenamiento=0,
        n_validacion=0,
        anio_validacion=None,
        corte_alto=0.3,
        corte_medio=0.1,
    )
    lista = minedu.get(LISTA)
    assert lista.status_code == 200
    assert "0,701" in lista.content.decode()
    r = minedu.get(url("detalle", m))
    assert r.status_code == 200
    pagina = r.content.decode()
    assert "0,701" in pagina
    assert "6,3\xa0%" in pagina
    assert "—" in pagina
    # cut-offs in words, from the version's own cut-offs
    assert "es de 30\xa0% o más." in pagina
    assert "es de 10\xa0% o más, y menor que 30\xa0%." in pagina
    assert "Esta versión no guardó métricas por grupo." in pagina
    assert "Esta versión no guardó su tabla de calibración." in pagina
    # nothing to draw: no chart library downloaded
    assert "datos-graficos" not in pagina
    assert "chart.umd" not in pagina


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raras",
    [
        {},
        {"modelo": "x", "por_grupo": [1], "oraculo": 3, "en_palabras": "x"},
        {"modelo": {"roc_auc": None, "calibracion": [None, {"desde": "a"}]}},
        {"por_grupo": {"area": {"RURAL": {"n": 0, "desertores": 0}}}},
    ],
)
def test_malformed_metrics_show_dashes_not_errors(minedu, raras):
    m = modelo(1, metricas=raras)
    assert minedu.get(LISTA).status_code == 200
    assert minedu.get(url("detalle", m)).status_code == 200


# --- The buttons --------------------------------------------------------------


@pytest.mark.django_db
def test_publish_publishes_and_retires_the_one_published_before(minedu):
    uno = modelo(1, estado=EstadoModelo.PUBLICADO, publicado_en=timezone.now())
    dos = modelo(2)
    r = minedu.post(url("publicar", dos), follow=True)
    assert r.redirect_chain[-1][0] == LISTA
    assert estados() == {1: EstadoModelo.RETIRADO, 2: EstadoModelo.PUBLICADO}
    uno.refresh_from_db()
    assert uno.retirado_en is not None
    assert textos(r) == [
        "Versión 2 publicada. La ejecución nocturna puntuará con ella. "
        "La versión 1 quedó retirada."
    ]


@pytest.mark.django_db
def test_publishing_from_the_detail_goes_back_to_the_detail(minedu):
    m = modelo(1)
    r = minedu.post(url("publicar", m), {"volver": "detalle"})
    assert r["Location"] == url("detalle", m)
    assert estados() == {1: EstadoModelo.PUBLICADO}


@pytest.mark.django_db
def test_publishing_the_published_version_changes_nothing(minedu):
    ayer = timezone.now() - dt.timedelta(days=1)
    m = modelo(1, estado=EstadoModelo.PUBLICADO, publicado_en=ayer)
    r = minedu.post(url("publicar", m), follow=True)
    m.refresh_from_db()
    assert m.publicado_en == ayer
    assert textos(r) == ["La versión 1 ya está publicada."]


@pytest.mark.django_db
def test_retire_leaves_no_published_version(minedu):
    m = modelo(1, estado=EstadoModelo.PUBLICADO, publicado_en=timezone.now())
    r = minedu.post(url("retirar", m), follow=True)
    assert estados() == {1: EstadoModelo.RETIRADO}
    assert ModeloRiesgo.objects.publicado() is None
    assert "Versión 1 retirada." in textos(r)[0]
    assert "No hay ninguna versión publicada" in r.content.decode()


@pytest.mark.django_db
def test_only_the_published_version_can_be_retired(minedu):
    m = modelo(1)
    r = minedu.post(url("retirar", m), follow=True)
    m.refresh_from_db()
    assert (m.estado, m.retirado_en) == (EstadoModelo.ENTRENADO, None)
    assert textos(r) == ["Solo se puede retirar la versión publicada."]


@pytest.mark.django_db
def test_restore_brings_back_the_previous_version_in_one_step(minedu):
    uno = modelo(1, estado=EstadoModelo.PUBLICADO, publicado_en=timezone.now())
    dos = modelo(2)
    minedu.post(url("publicar", dos))
    assert "Restaurar versión anterior (1)" in minedu.get(LISTA).content.decode()
    r = minedu.post(reverse("modelos:restaurar"), follow=True)
    assert estados() == {1: EstadoModelo.PUBLICADO, 2: EstadoModelo.RETIRADO}
    assert textos(r) == ["Se restauró la versión 1: ahora es la publicada."]
    uno.refresh_from_db()
    assert uno.estado == EstadoModelo.PUBLICADO


@pytest.mark.django_db
def test_restore_after_retiring_publishes_the_retired_version_again(minedu):
    m = modelo(1, estado=EstadoModelo.PUBLICADO, publicado_en=timezone.now())
    minedu.post(url("retirar", m))
    minedu.post(reverse("modelos:restaurar"))
    assert estados() == {1: EstadoModelo.PUBLICADO}


@pytest.mark.django_db
def test_restore_without_a_previous_version_says_so(minedu):
    modelo(1)
    r = minedu.post(reverse("modelos:restaurar"), follow=True)
    assert estados() == {1: EstadoModelo.ENTRENADO}
    assert textos(r) == ["No hay una versión anterior que restaurar."]


@pytest.mark.django_db
def test_train_queues_the_task_after_commit_with_the_user_id(
    minedu, mundo, sin_delay, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = minedu.post(reverse("modelos:entrenar"))
    assert r.status_code == 302
    assert r["Location"] == LISTA
    assert sin_delay == []  # nothing sent before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert sin_delay == [mundo.nacional.pk]
    pagina = minedu.get(LISTA)
    assert textos(pagina)[0].startswith("Entrenamiento en cola")


# --- Formatting ---------------------------------------------------------------


def test_shares_and_numbers_are_formatted_es_pe_style():
    assert presentacion.porcentaje(0.107) == "10,7\xa0%"
    assert presentacion.porcentaje(None) == "—"
    assert presentacion.porcentaje(float("nan")) == "—"
    assert presentacion.porcentaje("0.1") == "—"
    assert presentacion.decimal(0.81234) == "0,812"
    assert presentacion.decimal(0.0587) == "0,059"  # rounded, not cut
    assert presentacion.porcentaje(0.0125) == "1,3\xa0%"
    assert presentacion.decimal(True) == "—"
    assert presentacion.entero(1234567) == "1\xa0234\xa0567"


# --- A version that does not beat its baseline ----------------------------------


def debajo_de_la_base(version: int, **campos) -> ModeloRiesgo:
    """The demo's figures: ROC-AUC 0.904 vs 0.908, PR-AUC 0.567 vs 0.574."""
    m = metricas()
    m["modelo"] = bloque(0.904, pr=0.567)
    m["base"] = bloque(0.908, pr=0.574)
    return modelo(version, metricas=m, roc_auc=0.904, **campos)


def publicaciones(m: ModeloRiesgo) -> list[str]:
    from django.contrib.admin.models import LogEntry

    return [
        e.get_change_message()
        for e in LogEntry.objects.filter(
            content_type__model="modeloriesgo", object_id=str(m.pk)
        )
    ]


@pytest.mark.django_db
def test_a_version_below_its_baseline_is_not_published_without_confirmation(minedu):
    m = debajo_de_la_base(1)
    r = minedu.post(url("publicar", m))
    assert r.status_code == 200
    assert estados() == {1: EstadoModelo.ENTRENADO}
    assert publicaciones(m) == []
    pagina = r.content.decode()
    assert "Todavía no se publicó." in pagina
    assert (
        "La versión 1 no supera a su línea de base (la regresión logística entrenada "
        "con los mismos datos) en ROC-AUC (0,904 frente a 0,908) ni en PR-AUC "
        "(0,567 frente a 0,574)."
    ) in pagina
    filas = [
        (f.metrica, f.modelo_texto, f.base_texto) for f in r.context["comparacion"]
    ]
    assert filas == [("ROC-AUC", "0,904", "0,908"), ("PR-AUC", "0,567", "0,574")]
    assert 'name="confirmar" value="1"' in pagina


@pytest.mark.django_db
def test_the_second_step_without_the_checkbox_publishes_nothing_and_says_why(minedu):
    m = debajo_de_la_base(1)
    r = minedu.post(url("publicar", m), {"paso": "confirmar"})
    assert r.status_code == 200
    assert estados() == {1: EstadoModelo.ENTRENADO}
    assert "No se publicó: falta marcar la casilla de confirmación." in (
        r.content.decode()
    )


@pytest.mark.django_db
def test_with_confirmation_it_is_published_and_the_confirmation_recorded(minedu, mundo):
    m = debajo_de_la_base(1)
    r = minedu.post(
        url("publicar", m), {"paso": "confirmar", "confirmar": "1"}, follow=True
    )
    assert estados() == {1: EstadoModelo.PUBLICADO}
    assert textos(r) == [
        "Versión 1 publicada. La ejecución nocturna puntuará con ella. Se publicó "
        "con su confirmación, aunque no supera a su línea de base."
    ]
    [registro] = publicaciones(m)
    assert "Publicada con confirmación, aunque: La versión 1 no supera" in registro
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.get().user == mundo.nacional


@pytest.mark.django_db
def test_a_version_that_beats_its_baseline_publishes_in_one_step(minedu, mundo):
    m = modelo(1)
    r = minedu.post(url("publicar", m), follow=True)
    assert estados() == {1: EstadoModelo.PUBLICADO}
    assert r.redirect_chain[-1][0] == LISTA
    assert publicaciones(m) == ["Publicada."]


@pytest.mark.django_db
def test_the_list_warns_before_publishing_a_version_below_its_baseline(minedu):
    debajo_de_la_base(1)
    modelo(2)
    pagina = minedu.get(LISTA).content.decode()
    assert pagina.count("No supera a su línea de base: pedirá confirmación.") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", SIN_ACCESO)
def test_outside_minedu_the_confirmation_is_404_and_publishes_nothing(
    client, mundo, persona
):
    m = debajo_de_la_base(1)
    client.force_login(getattr(mundo, persona))
    for datos in ({}, {"paso": "confirmar", "confirmar": "1"}):
        assert client.post(url("publicar", m), datos).status_code == 404
    assert estados() == {1: EstadoModelo.ENTRENADO}
