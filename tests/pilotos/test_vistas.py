"""The pilots' pages: list, new evaluation, its page, publishing, redrawing and
the downloads."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pilotos.models import Estado, Evaluacion, UnidadEvaluacion
from pilotos.services import evaluacion_publicar

PERSONAS = ["tutora", "director", "tutor_otra_ie", "ugel", "ugel_otra", "dre"]


def _form(mundo, **cambios):
    datos = {
        "nombre": "Capacitaciones 2026",
        "unidad": "IE",
        "ugeles": [mundo.ugel_norte.pk, mundo.ugel_sur.pk],
        "minimo_en_riesgo": "0",
        "maximo_unidades": "",
        "area": "",
        "semilla": "20260412",
        "brazos_texto": "C; Control; 0,5\nT1; Individual; 0.25\nT2; Grupo; 0.25",
        "cortes_texto": "100",
    }
    datos.update(cambios)
    return datos


class TestNueva:
    def test_it_creates_and_draws_the_evaluation(self, client, mundo, red):
        client.force_login(mundo.nacional)
        r = client.post(reverse("pilotos:nueva"), _form(mundo))
        e = Evaluacion.objects.get()
        assert r.status_code == 302
        assert r.url == reverse("pilotos:detalle", args=[e.uuid])
        assert e.creada_por == mundo.nacional and e.estado == Estado.BORRADOR
        assert [b["codigo"] for b in e.brazos] == ["C", "T1", "T2"]
        assert e.control == "C" and e.cortes_tamano == [100]
        assert e.unidades.count() == 27

    @pytest.mark.parametrize(
        "cambios, mensaje",
        [
            ({"brazos_texto": "C; Control; 0.5\nT; Trat; 0.4"}, "deben sumar 1"),
            ({"brazos_texto": "C; Control; 0.5\nC; Otro; 0.5"}, "se repiten"),
            ({"brazos_texto": "C; Control"}, "tres partes"),
            ({"brazos_texto": "C; Control; 1"}, "al menos dos brazos"),
            ({"cortes_texto": "300, 100"}, "de menor a mayor"),
            ({"cortes_texto": "cien"}, "números enteros"),
            ({"ugeles": []}, "Elija al menos una UGEL"),
            ({"minimo_en_riesgo": "100000"}, "Ninguna unidad cumple"),
        ],
    )
    def test_it_explains_what_is_wrong(self, client, mundo, red, cambios, mensaje):
        client.force_login(mundo.nacional)
        r = client.post(reverse("pilotos:nueva"), _form(mundo, **cambios))
        assert r.status_code == 200
        assert mensaje in r.content.decode()
        assert not Evaluacion.objects.exists()

    @pytest.mark.parametrize("persona", PERSONAS)
    def test_only_minedu_designs(self, client, mundo, red, persona):
        client.force_login(getattr(mundo, persona))
        r = client.post(reverse("pilotos:nueva"), _form(mundo))
        assert r.status_code == 404
        assert not Evaluacion.objects.exists()


class TestDetalle:
    def test_minedu_sees_counts_per_stratum_and_the_balance(
        self, client, mundo, evaluacion
    ):
        client.force_login(mundo.nacional)
        r = client.get(reverse("pilotos:detalle", args=[evaluacion.uuid]))
        html = r.content.decode()
        assert r.status_code == 200
        assert f"{mundo.ugel_sur.codigo}|&lt;100" in html
        assert "Balance entre brazos" in html and "Brazo T1" in html
        assert evaluacion.hash_elegibles in html
        assert len(r.context["balance"]) == 4
        assert sum(t for _e, _b, t in r.context["conteos"]) == 27

    def test_a_ugel_sees_only_its_own_units(self, client, mundo, red, evaluacion):
        evaluacion_publicar(evaluacion=evaluacion)
        client.force_login(mundo.ugel_otra)
        r = client.get(reverse("pilotos:detalle", args=[evaluacion.uuid]))
        assert r.status_code == 200
        codigos = {u.codigo for u in r.context["unidades"]}
        sur = set(
            UnidadEvaluacion.objects.filter(ugel=mundo.ugel_sur).values_list(
                "codigo", flat=True
            )
        )
        assert codigos == sur and len(sur) == 9
        assert red[0].codigo not in r.content.decode()
        assert sum(t for _e, _b, t in r.context["conteos"]) == 9
        # Neither the design actions.
        assert reverse("pilotos:publicar", args=[evaluacion.uuid]) not in (
            r.content.decode()
        )

    def test_a_ugel_does_not_see_a_draft(self, client, mundo, evaluacion):
        client.force_login(mundo.ugel)
        r = client.get(reverse("pilotos:detalle", args=[evaluacion.uuid]))
        assert r.status_code == 404


class TestPublicar:
    def test_it_asks_then_publishes(self, client, mundo, evaluacion):
        client.force_login(mundo.nacional)
        url = reverse("pilotos:publicar", args=[evaluacion.uuid])
        assert "Publicar la evaluación" in client.get(url).content.decode()
        r = client.post(url)
        evaluacion.refresh_from_db()
        assert r.status_code == 302 and evaluacion.publicada

    def test_a_published_one_is_not_published_again(self, client, mundo, evaluacion):
        evaluacion_publicar(evaluacion=evaluacion)
        client.force_login(mundo.nacional)
        r = client.post(reverse("pilotos:publicar", args=[evaluacion.uuid]))
        assert r.status_code == 200
        assert "ya fue publicada" in r.content.decode()

    @pytest.mark.parametrize("persona", PERSONAS)
    def test_others_get_404(self, client, mundo, evaluacion, persona):
        client.force_login(getattr(mundo, persona))
        r = client.post(reverse("pilotos:publicar", args=[evaluacion.uuid]))
        assert r.status_code == 404
        evaluacion.refresh_from_db()
        assert not evaluacion.publicada


class TestSortear:
    def test_a_draft_is_drawn_again_with_the_same_arms(self, client, mundo, evaluacion):
        antes = dict(evaluacion.unidades.values_list("codigo", "brazo"))
        client.force_login(mundo.nacional)
        r = client.post(reverse("pilotos:sortear", args=[evaluacion.uuid]))
        assert r.status_code == 302
        assert dict(evaluacion.unidades.values_list("codigo", "brazo")) == antes

    def test_a_published_one_is_refused(self, client, mundo, evaluacion):
        evaluacion_publicar(evaluacion=evaluacion)
        primera = set(evaluacion.unidades.values_list("pk", flat=True))
        client.force_login(mundo.nacional)
        r = client.post(reverse("pilotos:sortear", args=[evaluacion.uuid]), follow=True)
        assert "no se puede modificar ni sortear" in r.content.decode()
        assert set(evaluacion.unidades.values_list("pk", flat=True)) == primera

    @pytest.mark.parametrize("persona", PERSONAS)
    def test_others_get_404(self, client, mundo, evaluacion, persona):
        primera = set(evaluacion.unidades.values_list("pk", flat=True))
        client.force_login(getattr(mundo, persona))
        r = client.post(reverse("pilotos:sortear", args=[evaluacion.uuid]))
        assert r.status_code == 404
        assert set(evaluacion.unidades.values_list("pk", flat=True)) == primera

    def test_a_get_is_not_allowed(self, client, mundo, evaluacion):
        client.force_login(mundo.nacional)
        r = client.get(reverse("pilotos:sortear", args=[evaluacion.uuid]))
        assert r.status_code == 405


class TestExportar:
    def test_the_workbook_opens_with_the_draw_and_the_balance(
        self, client, mundo, evaluacion
    ):
        client.force_login(mundo.nacional)
        r = client.get(reverse("pilotos:xlsx", args=[evaluacion.uuid]))
        libro = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
        asignacion, balance = libro.worksheets[:2]
        valores = [[c.value for c in fila] for fila in asignacion.iter_rows()]
        bloque = {f[0]: f[1] for f in valores if f and f[0]}
        assert bloque["Semilla"] == "20260412"
        assert bloque["SHA-256 de la lista elegible"] == evaluacion.hash_elegibles
        assert bloque["Versión de NumPy"] == evaluacion.version_numpy
        codigos = {f[0] for f in valores} & set(
            evaluacion.unidades.values_list("codigo", flat=True)
        )
        assert len(codigos) == 27
        filas_balance = [[c.value for c in f] for f in balance.iter_rows()]
        brazos = [f[0] for f in filas_balance if f[0] in {"C", "T1", "T2", "T3"}]
        assert brazos == ["C", "T1", "T2", "T3"]

    def test_the_csv_lists_the_units_in_scope(self, client, mundo, evaluacion):
        evaluacion_publicar(evaluacion=evaluacion)
        client.force_login(mundo.ugel)
        r = client.get(reverse("pilotos:csv", args=[evaluacion.uuid]))
        filas = list(csv.DictReader(io.StringIO(r.content.decode())))
        assert len(filas) == 18
        assert {f["ugel"] for f in filas} == {mundo.ugel_norte.codigo}
        assert {f["brazo"] for f in filas} <= {"C", "T1", "T2", "T3"}


class TestReproducible:
    def test_the_page_says_the_draw_repeats(self, client, mundo, evaluacion):
        client.force_login(mundo.nacional)
        r = client.get(reverse("pilotos:detalle", args=[evaluacion.uuid]))
        assert r.context["reproducible"] is True
        assert "el sorteo se repite exactamente" in r.content.decode()

    def test_the_page_warns_when_a_stored_arm_was_changed(
        self, client, mundo, evaluacion
    ):
        u = evaluacion.unidades.first()
        u.brazo = "T1" if u.brazo != "T1" else "T2"
        u.save()
        client.force_login(mundo.nacional)
        r = client.get(reverse("pilotos:detalle", args=[evaluacion.uuid]))
        assert r.context["reproducible"] is False
        assert "ya no se repite igual" in r.content.decode()
