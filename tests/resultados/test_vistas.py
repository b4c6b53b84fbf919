"""The outcome pages and workbooks on the planted world: figures of the
scope only, never a student; the national button is Minedu's."""

import pytest
from django.urls import reverse

from alerta.models import Estudiante
from resultados.calculo import resultados_calcular
from resultados.models import InformeResultados
from tests.alerta.libros import bloque, libro, tabla

pytestmark = pytest.mark.django_db


@pytest.fixture
def informe(plantado):
    [informe] = resultados_calcular()
    return informe


def _sin_estudiantes(html: str) -> None:
    for e in Estudiante.objects.all():
        assert e.apellido_paterno + " " + e.apellido_materno not in html
        assert e.numero_documento not in html
        assert e.codigo_siagie not in html


def test_it_shows_the_national_report(client, informe, plantado):
    m = plantado.mundo
    client.force_login(m.nacional)
    r = client.get(reverse("resultados:nacional"))
    html = r.content.decode()
    assert r.status_code == 200
    # Alto: 2 of 3 dropped out; recall of alto + medio 3 of 4.
    assert "66,7\xa0%" in html
    assert "75,0\xa0%" in html
    assert 'id="tabla-calibracion"' in html
    assert 'id="datos-graficos"' in html
    assert "descriptiva, no causal" in html
    assert m.ugel_norte.dre.nombre in html
    _sin_estudiantes(html)


def test_ugel_sees_only_its_own_ies(
    client, informe, plantado, django_assert_max_num_queries
):
    m = plantado.mundo
    client.force_login(m.ugel)
    with django_assert_max_num_queries(12):
        r = client.get(reverse("resultados:ugel", args=[m.ugel_norte.codigo]))
    html = r.content.decode()
    assert r.status_code == 200
    assert "IE UNO" in html and "IE DOS" in html
    assert "IE SUR" not in html
    _sin_estudiantes(html)


def test_dre_page_compares_its_ugels(client, informe, plantado):
    m = plantado.mundo
    client.force_login(m.dre)
    r = client.get(reverse("resultados:dre", args=[m.ugel_norte.dre.pk]))
    html = r.content.decode()
    assert r.status_code == 200
    assert reverse("resultados:ugel", args=[m.ugel_norte.codigo]) in html
    assert reverse("resultados:ugel", args=[m.ugel_sur.codigo]) in html


def test_a_page_without_a_report_says_so(client, puntajes, mundo):
    client.force_login(mundo.nacional)
    r = client.get(reverse("resultados:nacional"))
    assert 'id="sin-informe"' in r.content.decode()


def test_an_unknown_year_shows_the_latest_report(client, informe, plantado):
    client.force_login(plantado.mundo.nacional)
    r = client.get(reverse("resultados:nacional"), {"anio": "abc"})
    assert r.context["informe"] == informe


def test_it_downloads_the_ugel_workbook(client, informe, plantado):
    m = plantado.mundo
    client.force_login(m.ugel)
    r = client.get(reverse("resultados:ugel_libro", args=[m.ugel_norte.codigo]))
    wb = libro(r)
    assert bloque(wb["Resumen"])["Año escolar puntuado"] == 2025
    _fila, _cab, filas = tabla(wb["Por ámbito"], "Código")
    assert [f[1] for f in filas] == ["IE DOS", "IE UNO"]
    # IE Dos: alto 1 flagged, 1 dropped out.
    assert filas[0][2:5] == (1, 1, 1.0)
    _fila, _cab, filas = tabla(wb["Calibración"], "Decil")
    assert len(filas) == 8  # UGEL Norte's eight students with an outcome


@pytest.mark.parametrize(
    "persona", ["tutora", "director", "tutor_otra_ie", "ugel", "ugel_otra", "dre"]
)
def test_only_minedu_starts_the_computation(client, plantado, persona):
    client.force_login(getattr(plantado.mundo, persona))
    r = client.post(reverse("resultados:calcular"))
    assert r.status_code == 404
    assert client.get(reverse("resultados:calcular")).status_code == 404
    assert not InformeResultados.objects.exists()


def test_minedu_starts_the_computation(
    client, plantado, django_capture_on_commit_callbacks
):
    client.force_login(plantado.mundo.nacional)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("resultados:calcular"))
    assert r.status_code == 302
    assert InformeResultados.objects.vigente(2025) is not None
    assert client.get(reverse("resultados:calcular")).status_code == 405


def test_anonymous_cannot_start_the_computation(client, plantado):
    r = client.post(reverse("resultados:calcular"))
    assert r.status_code == 302
    assert not InformeResultados.objects.exists()


@pytest.mark.parametrize(
    ("persona", "tablero", "destino"),
    [
        ("ugel", "ugel_detalle", "resultados:ugel"),
        ("dre", "dre_detalle", "resultados:dre"),
        ("nacional", "nacional", "resultados:nacional"),
    ],
)
def test_the_dashboards_link_to_the_report(
    client, puntajes, mundo, persona, tablero, destino
):
    argumentos = {
        "ugel_detalle": [mundo.ugel_norte.codigo],
        "dre_detalle": [mundo.ugel_norte.dre.pk],
        "nacional": [],
    }[tablero]
    client.force_login(getattr(mundo, persona))
    r = client.get(reverse(tablero, args=argumentos))
    assert reverse(destino, args=argumentos) in r.content.decode()


def test_the_model_page_shows_its_track_record_beside_validation(
    client, informe, plantado
):
    client.force_login(plantado.mundo.nacional)
    r = client.get(reverse("modelos:detalle", args=[plantado.modelo.version]))
    assert r.status_code == 200
    [t] = r.context["produccion"]
    assert t.anio == 2025
    assert t.metricas["roc_auc"] == pytest.approx(0.75)
    assert t.conteo.alto.tasa == pytest.approx(2 / 3)
    assert t.conteo.medio.tasa == pytest.approx(1 / 3)
    assert t.conteo.bajo.tasa == pytest.approx(1 / 4)
    html = r.content.decode()
    assert "Producción 2025" in html
    assert "Validación (2025)" in html


def test_a_model_without_outcomes_says_so(client, plantado):
    client.force_login(plantado.mundo.nacional)
    r = client.get(reverse("modelos:detalle", args=[plantado.modelo.version]))
    assert r.context["produccion"] == []
    assert 'id="sin-produccion"' in r.content.decode()


@pytest.mark.parametrize("persona", ["nacional", "dre"])
def test_the_comparison_pages_query_a_bounded_number_of_times(
    client, informe, plantado, persona, django_assert_max_num_queries
):
    m = plantado.mundo
    url = (
        reverse("resultados:nacional")
        if persona == "nacional"
        else reverse("resultados:dre", args=[m.ugel_norte.dre.pk])
    )
    client.force_login(getattr(m, persona))
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_model_list_shows_each_versions_years_in_production(
    client, informe, plantado
):
    client.force_login(plantado.mundo.nacional)
    r = client.get(reverse("modelos:lista"))
    [(modelo, [t])] = r.context["produccion"]
    assert modelo == plantado.modelo
    assert t.anio == 2025
    html = r.content.decode()
    assert 'id="tabla-produccion-versiones"' in html
    # Validation 0,800 (planted), production 0,750.
    assert "0,800 → 0,750" in html


def test_the_national_workbook_has_every_breakdown_and_says_it_is_not_causal(
    client, informe, plantado
):
    m = plantado.mundo
    client.force_login(m.nacional)
    wb = libro(client.get(reverse("resultados:nacional_libro")))
    assert wb.sheetnames == ["Resumen", "Calibración", "Por grupo", "Por ámbito"]
    hoja = wb["Por grupo"]
    assert "no mide el efecto" in bloque(hoja)["Nota"]
    _fila, _cab, filas = tabla(hoja, "Desglose")
    grupos = {(f[0], f[1]): f[2:] for f in filas}
    # With an action: the two alto students, one of whom dropped out.
    con = grupos[
        ("Acciones de seguimiento", "Con al menos una acción registrada en el año")
    ]
    assert con[:3] == (2, 1, 0.5)
    assert {f[0] for f in filas} == {
        "Nivel educativo",
        "Área",
        "Sexo",
        "Lengua materna",
        "Acciones de seguimiento",
    }
    _fila, _cab, filas = tabla(wb["Por ámbito"], "Código")
    assert [f[1] for f in filas] == [m.ugel_norte.dre.nombre]
    for e in Estudiante.objects.all():
        for hoja in wb.worksheets:
            for fila in hoja.iter_rows(values_only=True):
                assert e.apellido_paterno + " " + e.apellido_materno not in " ".join(
                    str(v) for v in fila if v is not None
                )
