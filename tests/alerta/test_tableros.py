"""Dashboards of UGEL, DRE and Minedu, and the UGEL's training-planning sheet.

The numbers come from the aggregates that riesgo.scoring.agregados_escribir
writes at the end of a run; the pages never count scores.
"""

import json
import re
from io import BytesIO

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from alerta.models import Estudiante, Nivel
from alerta.presentacion import tableros
from riesgo.models import (
    AgregadoRiesgo,
    Ambito,
    EjecucionPuntaje,
    EstadoEjecucion,
    NivelRiesgo,
    Puntaje,
)
from riesgo.scoring import agregados_escribir
from tests.alerta.ejecuciones import puntuar as puntuar_matriculas
from tests.factories import (
    DistritoFactory,
    DreFactory,
    IEFactory,
    MatriculaFactory,
    SeccionFactory,
    UgelFactory,
)

PROBABILIDAD = {"A": 0.6, "M": 0.2, "B": 0.05}


def puntuar(ejecucion, seccion, niveles: str) -> None:
    """One scored student in `seccion` per letter: A alto, M medio, B bajo."""
    puntuar_matriculas(
        ejecucion,
        {MatriculaFactory(seccion=seccion): PROBABILIDAD[letra] for letra in niveles},
    )


@pytest.fixture
def agregados(mundo, puntajes):
    """The shared world's run plus two IEs of UGEL Norte, so that ranking by
    count and by share differ. Students per IE (alto, medio, bajo):

    - IE Uno (Cusco): 2, 1, 1 in 3.º de primaria: 3 at medio+alto, 75 %.
    - IE Dos (Cusco): 0, 0, 1.
    - IE Tres (Wanchaq): 1, 2, 3 in 3.º de primaria and 0, 0, 1 in 1.º de
      secundaria: 3 at medio+alto, 43 %.
    - IE Cuatro (Cusco): 1, 0, 0 in inicial (4 años): 1, 100 %.
    - IE Sur (UGEL Sur): 0, 0, 1.
    """
    ie_tres = IEFactory(
        nombre="IE TRES",
        ugel=mundo.ugel_norte,
        distrito=DistritoFactory(ubigeo="080108", nombre="Wanchaq"),
    )
    ie_cuatro = IEFactory(nombre="IE CUATRO", ugel=mundo.ugel_norte)
    puntuar(puntajes, SeccionFactory(ie=ie_tres), "AMMBBB")
    puntuar(
        puntajes,
        SeccionFactory(ie=ie_tres, nivel=Nivel.SECUNDARIA, grado=1),
        "B",
    )
    puntuar(puntajes, SeccionFactory(ie=ie_cuatro, nivel=Nivel.INICIAL, grado=4), "A")
    agregados_escribir(puntajes)
    return puntajes


def _contar_puntajes(**filtro) -> tuple[int, int, int]:
    qs = Puntaje.objects.filter(ejecucion=EjecucionPuntaje.objects.vigente(), **filtro)
    return tuple(qs.filter(nivel=n).count() for n in NivelRiesgo.values)


def _datos_graficos(html: str) -> dict:
    m = re.search(
        r'<script id="datos-tableros" type="application/json">(.*?)</script>', html
    )
    assert m, "the page carries no chart data"
    return json.loads(m.group(1))


def _nombres_de_estudiantes() -> list[str]:
    return [
        texto
        for e in Estudiante.objects.all()
        for texto in (e.nombres, e.apellido_paterno, e.numero_documento)
    ]


@pytest.mark.django_db
class TestTableroUgel:
    def url(self, ugel):
        return reverse("ugel_detalle", args=[ugel.codigo])

    def test_it_shows_the_aggregates_of_the_current_run(self, client, mundo, agregados):
        client.force_login(mundo.ugel)
        r = client.get(self.url(mundo.ugel_norte))
        t = r.context["tablero"].totales
        filas = AgregadoRiesgo.objects.filter(
            ejecucion=agregados, ambito=Ambito.UGEL, clave=mundo.ugel_norte.pk
        )
        assert (t.alto, t.medio, t.bajo) == (
            sum(f.alto for f in filas),
            sum(f.medio for f in filas),
            sum(f.bajo for f in filas),
        )
        # ...which are the scores of the UGEL's students.
        assert (t.alto, t.medio, t.bajo) == _contar_puntajes(
            matricula__seccion__ie__ugel=mundo.ugel_norte
        )
        assert (t.alto, t.medio, t.bajo) == (4, 3, 6)
        html = r.content.decode()
        assert "Riesgo alto" in html and "▲" in html
        assert "53,8 %" in html  # 7 of 13 at medio or alto

    def test_only_the_current_run_is_shown(self, client, mundo, agregados):
        fallida = EjecucionPuntaje.objects.create(
            modelo=agregados.modelo, anio=2026, estado=EstadoEjecucion.FALLIDA
        )
        puntuar(fallida, mundo.seccion_dos, "AAAA")
        agregados_escribir(fallida)
        client.force_login(mundo.ugel)
        r = client.get(self.url(mundo.ugel_norte))
        assert r.context["tablero"].totales.alto == 4

        nueva = EjecucionPuntaje.objects.create(
            modelo=agregados.modelo, anio=2026, estado=EstadoEjecucion.EXITOSA
        )
        puntuar(nueva, mundo.seccion_dos, "MM")
        agregados_escribir(nueva)
        r = client.get(self.url(mundo.ugel_norte))
        t = r.context["tablero"].totales
        assert (t.alto, t.medio, t.bajo) == (0, 2, 0)
        assert [ie for ie, _c in r.context["filas"]] == [mundo.ie_dos]

    def test_ies_are_ranked_by_count_or_by_share(self, client, mundo, agregados):
        client.force_login(mundo.ugel)
        r = client.get(self.url(mundo.ugel_norte))
        por_cantidad = [(ie.nombre, c.en_riesgo) for ie, c in r.context["filas"]]
        # Uno and Tres tie at 3: Uno has the larger share (75 % vs 43 %).
        assert por_cantidad == [
            ("IE UNO", 3),
            ("IE TRES", 3),
            ("IE CUATRO", 1),
            ("IE DOS", 0),
        ]
        r = client.get(self.url(mundo.ugel_norte), {"orden": "porcentaje"})
        por_porcentaje = [
            (ie.nombre, round(c.pct_en_riesgo)) for ie, c in r.context["filas"]
        ]
        assert por_porcentaje == [
            ("IE CUATRO", 100),
            ("IE UNO", 75),
            ("IE TRES", 43),
            ("IE DOS", 0),
        ]
        assert 'aria-sort="descending"' in r.content.decode()

    def test_an_unknown_order_falls_back_to_count(self, client, mundo, agregados):
        client.force_login(mundo.ugel)
        r = client.get(self.url(mundo.ugel_norte), {"orden": "nombre';--"})
        assert r.context["orden"] == "cantidad"

    def test_the_ranking_is_paginated(self, client, mundo, agregados):
        for _ in range(26):
            puntuar(agregados, SeccionFactory(ie=IEFactory(ugel=mundo.ugel_norte)), "B")
        agregados_escribir(agregados)
        client.force_login(mundo.ugel)
        r = client.get(self.url(mundo.ugel_norte))
        assert len(r.context["filas"]) == 25
        assert r.context["pagina"].paginator.count == 30
        r = client.get(self.url(mundo.ugel_norte), {"pagina": 2})
        assert len(r.context["filas"]) == 5
        assert 'rel="prev"' in r.content.decode()

    def test_grados_come_in_school_order_in_the_chart_and_the_table(
        self, client, mundo, agregados
    ):
        client.force_login(mundo.ugel)
        r = client.get(self.url(mundo.ugel_norte))
        grados = r.context["tablero"].grados
        assert [(f.nivel, f.grado) for f in grados] == [
            (Nivel.INICIAL, 4),
            (Nivel.PRIMARIA, 3),
            (Nivel.SECUNDARIA, 1),
        ]
        primaria = grados[1].conteo
        assert (primaria.alto, primaria.medio, primaria.bajo) == (3, 3, 5)
        html = r.content.decode()
        datos = _datos_graficos(html)
        assert datos["grados"]["etiquetas"] == [
            "4 años (inicial)",
            "3.º de primaria",
            "1.º de secundaria",
        ]
        series = {s["nivel"]: s["valores"] for s in datos["grados"]["series"]}
        assert series == {"alto": [1, 3, 0], "medio": [0, 3, 0], "bajo": [0, 5, 1]}
        assert 'id="grafico-grados" role="img" aria-label=' in html
        assert 'id="tabla-grados"' in html
        assert "js/tableros.js" in html

    def test_specialist_of_other_ugel_gets_404(self, client, mundo, agregados):
        client.force_login(mundo.ugel_otra)
        assert client.get(self.url(mundo.ugel_norte)).status_code == 404

    @pytest.mark.parametrize("persona", ["tutora", "director", "tutor_otra_ie"])
    def test_tutors_and_directors_get_404(self, client, mundo, agregados, persona):
        client.force_login(getattr(mundo, persona))
        assert client.get(self.url(mundo.ugel_norte)).status_code == 404

    def test_dre_specialist_and_minedu_may_open_it(self, client, mundo, agregados):
        for persona in (mundo.dre, mundo.nacional):
            client.force_login(persona)
            assert client.get(self.url(mundo.ugel_sur)).status_code == 200


@pytest.mark.django_db
class TestHojaCapacitaciones:
    def url(self, ugel):
        return reverse("ugel_capacitaciones", args=[ugel.codigo])

    def _libro(self, client, ugel):
        r = client.get(self.url(ugel))
        assert r.status_code == 200
        assert r["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert "attachment" in r["Content-Disposition"]
        return load_workbook(BytesIO(b"".join(r.streaming_content)))

    def _tabla(self, ws, primera: str):
        filas = [list(f) for f in ws.iter_rows(values_only=True)]
        i = next(n for n, f in enumerate(filas) if f[0] == primera)
        return i + 1, filas[i], filas[i + 1 :]

    def test_it_lists_the_ies_ranked_with_counts_shares_and_groups(
        self, client, mundo, agregados
    ):
        client.force_login(mundo.ugel)
        wb = self._libro(client, mundo.ugel_norte)
        ws = wb["Ranking"]
        n_encabezado, encabezado, filas = self._tabla(ws, "Prioridad")
        assert encabezado[:4] == [
            "Prioridad",
            "Código modular",
            "Anexo",
            "Institución educativa",
        ]
        assert encabezado[-3:] == ["Medio + alto", "% medio + alto", "Grupo sugerido"]
        resumen = [(f[3], f[7], f[8], f[9], f[11], f[12], f[13]) for f in filas]
        assert resumen == [
            ("IE UNO", 2, 1, 1, 3, 0.75, 1),
            ("IE TRES", 1, 2, 4, 3, 0.4286, 2),
            ("IE CUATRO", 1, 0, 0, 1, 1.0, 1),
            ("IE DOS", 0, 0, 1, 0, 0.0, None),
        ]
        assert ws.freeze_panes == f"A{n_encabezado + 1}"
        assert ws.auto_filter.ref == f"A{n_encabezado}:N{ws.max_row}"
        celda = ws.cell(row=n_encabezado, column=1)
        assert celda.font.bold and celda.fill.fgColor.rgb.endswith("1F4E79")
        assert ws.cell(row=n_encabezado + 1, column=13).number_format == "0.0%"
        textos = " ".join(str(v) for f in ws.iter_rows(values_only=True) for v in f)
        assert "de cinco en cinco" in textos

    def test_groups_sheet_gathers_ies_of_one_district(self, client, mundo, agregados):
        client.force_login(mundo.ugel)
        ws = self._libro(client, mundo.ugel_norte)["Grupos"]
        _n, _encabezado, filas = self._tabla(ws, "Grupo sugerido")
        # Uno and Cuatro are in Cusco (4 students at medio+alto), Tres alone
        # in Wanchaq (3).
        assert [(f[0], f[1], f[3], f[4]) for f in filas] == [
            (1, "Cusco", 2, 4),
            (2, "Wanchaq", 1, 3),
        ]
        assert "IE UNO" in filas[0][5] and "IE CUATRO" in filas[0][5]

    def test_text_that_a_spreadsheet_would_run_is_neutralised(
        self, client, mundo, agregados
    ):
        ie = IEFactory(nombre='=HYPERLINK("http://x","y")', ugel=mundo.ugel_norte)
        puntuar(agregados, SeccionFactory(ie=ie), "AAAAA")
        agregados_escribir(agregados)
        client.force_login(mundo.ugel)
        ws = self._libro(client, mundo.ugel_norte)["Ranking"]
        _n, _e, filas = self._tabla(ws, "Prioridad")
        assert filas[0][3] == '\'=HYPERLINK("http://x","y")'

    def test_it_names_no_student(self, client, mundo, agregados):
        client.force_login(mundo.ugel)
        wb = self._libro(client, mundo.ugel_norte)
        textos = " ".join(
            str(v) for ws in wb for f in ws.iter_rows(values_only=True) for v in f
        )
        for nombre in _nombres_de_estudiantes():
            assert nombre not in textos

    @pytest.mark.parametrize("persona", ["ugel_otra", "tutora", "director"])
    def test_someone_outside_the_ugel_gets_404(self, client, mundo, agregados, persona):
        client.force_login(getattr(mundo, persona))
        assert client.get(self.url(mundo.ugel_norte)).status_code == 404


def _ie(distrito: str, nombre: str):
    return IEFactory(nombre=nombre, distrito=DistritoFactory(ubigeo=distrito))


@pytest.mark.django_db
def test_groups_are_fives_of_one_district_most_students_at_risk_first():
    cusco = [_ie("080101", f"C{i}") for i in range(7)]
    wanchaq = [_ie("080108", f"W{i}") for i in range(2)]
    # Ranked by students at medio+alto: 20, 18, ... and one without any.
    filas = [
        (ie, tableros.Conteo(alto=n, bajo=1))
        for ie, n in zip(
            [cusco[0], wanchaq[0], *cusco[1:], wanchaq[1]],
            [20, 18, 10, 9, 8, 7, 6, 5, 0],
            strict=True,
        )
    ]
    grupos = tableros.grupos_sugeridos(filas)
    # Cusco's first five (20+10+9+8+7 = 54), then Wanchaq's one with students
    # at risk (18), then the rest of Cusco (6+5 = 11).
    assert [grupos[ie.pk] for ie in cusco] == [1, 1, 1, 1, 1, 3, 3]
    assert grupos[wanchaq[0].pk] == 2
    assert wanchaq[1].pk not in grupos


@pytest.mark.django_db
class TestTableroDre:
    def url(self, dre):
        return reverse("dre_detalle", args=[dre.pk])

    def test_it_compares_the_ugels_of_the_dre_by_share(self, client, mundo, agregados):
        puntuar(agregados, mundo.seccion_sur, "AAAA")
        agregados_escribir(agregados)
        dre = mundo.ugel_norte.dre
        client.force_login(mundo.dre)
        r = client.get(self.url(dre))
        assert r.status_code == 200
        comparados = [(u, c.alto, c.medio, c.bajo) for u, c in r.context["comparados"]]
        # Sur: 4 of 5 at medio+alto (80 %); Norte: 7 of 13 (54 %).
        assert comparados == [
            (mundo.ugel_sur, 4, 0, 1),
            (mundo.ugel_norte, 4, 3, 6),
        ]
        t = r.context["tablero"].totales
        assert (t.alto, t.medio, t.bajo) == _contar_puntajes(
            matricula__seccion__ie__ugel__dre=dre
        )
        html = r.content.decode()
        datos = _datos_graficos(html)
        assert datos["comparacion"]["etiquetas"] == ["UGEL SUR", "UGEL NORTE"]
        assert datos["comparacion"]["valores"] == [80.0, 53.8]
        assert 'id="grafico-comparacion" role="img" aria-label=' in html
        assert reverse("ugel_detalle", args=[mundo.ugel_sur.codigo]) in html
        r = client.get(self.url(dre), {"orden": "cantidad"})
        assert [u for u, _c in r.context["comparados"]][0] == mundo.ugel_norte

    @pytest.mark.parametrize("persona", ["ugel", "ugel_otra", "tutora", "director"])
    def test_someone_outside_the_dre_gets_404(self, client, mundo, agregados, persona):
        client.force_login(getattr(mundo, persona))
        assert client.get(self.url(mundo.ugel_norte.dre)).status_code == 404

    def test_a_dre_specialist_gets_404_for_another_dre(self, client, mundo, agregados):
        otra = DreFactory(nombre="DRE OTRA")
        client.force_login(mundo.dre)
        assert client.get(self.url(otra)).status_code == 404
        assert client.get(reverse("dre_detalle", args=[987654])).status_code == 404


@pytest.mark.django_db
class TestTableroNacional:
    def url(self):
        return reverse("nacional")

    def test_it_compares_the_dres(self, client, mundo, agregados):
        otra = IEFactory(ugel=UgelFactory(dre=DreFactory(nombre="DRE OTRA")))
        puntuar(agregados, SeccionFactory(ie=otra, nivel=Nivel.SECUNDARIA), "BBBB")
        agregados_escribir(agregados)
        client.force_login(mundo.nacional)
        r = client.get(self.url())
        assert r.status_code == 200
        assert [(d.nombre, c.total) for d, c in r.context["comparados"]] == [
            (mundo.ugel_norte.dre.nombre, 14),
            ("DRE OTRA", 4),
        ]
        t = r.context["tablero"].totales
        assert (t.alto, t.medio, t.bajo) == _contar_puntajes()
        nacional = AgregadoRiesgo.objects.filter(
            ejecucion=agregados, ambito=Ambito.NACIONAL, clave=0
        )
        assert t.total == sum(f.alto + f.medio + f.bajo for f in nacional)
        html = r.content.decode()
        assert reverse("dre_detalle", args=[mundo.ugel_norte.dre.pk]) in html
        assert set(_datos_graficos(html)) >= {"grados", "comparacion"}

    @pytest.mark.parametrize(
        "persona", ["dre", "ugel", "ugel_otra", "tutora", "director"]
    )
    def test_only_minedu_may_open_it(self, client, mundo, agregados, persona):
        client.force_login(getattr(mundo, persona))
        assert client.get(self.url()).status_code == 404

    def test_the_menu_links_to_it_for_minedu_only(self, client, mundo, agregados):
        client.force_login(mundo.nacional)
        assert self.url() in client.get(reverse("inicio")).content.decode()
        client.force_login(mundo.dre)
        assert self.url() not in client.get(reverse("inicio")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("ugel", lambda m: reverse("ugel_detalle", args=[m.ugel_norte.codigo])),
        ("dre", lambda m: reverse("dre_detalle", args=[m.ugel_norte.dre.pk])),
        ("nacional", lambda m: reverse("nacional")),
        ("nacional", lambda m: reverse("inicio")),
    ],
)
def test_no_student_name_appears_on_a_dashboard(client, mundo, agregados, persona, url):
    client.force_login(getattr(mundo, persona))
    html = client.get(url(mundo)).content.decode()
    for nombre in _nombres_de_estudiantes():
        assert nombre not in html


def _crecer(ejecucion, mundo) -> None:
    """Many more students, secciones, grados, IEs, UGELs and DREs."""
    for i in range(6):
        ugel = mundo.ugel_norte if i % 2 else UgelFactory(dre=DreFactory())
        ie = IEFactory(ugel=ugel, distrito=DistritoFactory(ubigeo=f"08010{i}"))
        for nivel, grado in ((Nivel.PRIMARIA, 1 + i % 6), (Nivel.SECUNDARIA, 2)):
            puntuar(ejecucion, SeccionFactory(ie=ie, nivel=nivel, grado=grado), "AMBB")
    agregados_escribir(ejecucion)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "url", "tope"),
    [
        ("ugel", lambda m: reverse("ugel_detalle", args=[m.ugel_norte.codigo]), 12),
        (
            "ugel",
            lambda m: reverse("ugel_capacitaciones", args=[m.ugel_norte.codigo]),
            12,
        ),
        ("dre", lambda m: reverse("dre_detalle", args=[m.ugel_norte.dre.pk]), 12),
        ("nacional", lambda m: reverse("nacional"), 12),
        ("ugel", lambda m: reverse("inicio"), 14),
        ("dre", lambda m: reverse("inicio"), 14),
    ],
)
def test_query_count_does_not_grow_with_the_data(
    client, mundo, agregados, django_assert_max_num_queries, persona, url, tope
):
    client.force_login(getattr(mundo, persona))
    direccion = url(mundo)
    client.get(direccion)  # warm the session
    # Measured without what the cache keeps (decision 0017): the page's own work.
    cache.clear()
    with CaptureQueriesContext(connection) as pocos:
        assert client.get(direccion).status_code == 200
    _crecer(agregados, mundo)
    cache.clear()
    with django_assert_max_num_queries(tope):
        with CaptureQueriesContext(connection) as muchos:
            assert client.get(direccion).status_code == 200
    assert len(muchos) == len(pocos)


@pytest.mark.django_db
class TestTableroUgelEnCache:
    """The UGEL dashboard is rendered once per run, order and page
    (decision 0017), and renewed by a new run."""

    def url(self, mundo, **params):
        from urllib.parse import urlencode

        base = reverse("ugel_detalle", args=[mundo.ugel_norte.codigo])
        return f"{base}?{urlencode(params)}" if params else base

    @staticmethod
    def contenido(r) -> str:
        html = r.content.decode()
        return html[html.index('aria-labelledby="titulo-totales"') :]

    def test_a_second_visit_serves_the_same_dashboard_with_fewer_queries(
        self, client, mundo, agregados
    ):
        client.force_login(mundo.ugel)
        client.get(self.url(mundo))  # the session
        cache.clear()
        with CaptureQueriesContext(connection) as primera:
            r1 = client.get(self.url(mundo))
        with CaptureQueriesContext(connection) as segunda:
            r2 = client.get(self.url(mundo))
        assert self.contenido(r1) == self.contenido(r2)
        assert len(segunda) < len(primera)
        # Another order is another dashboard.
        r3 = client.get(self.url(mundo, orden="porcentaje"))
        assert self.contenido(r3) != self.contenido(r1)
        assert self.contenido(client.get(self.url(mundo))) == self.contenido(r1)

    def test_a_new_run_renews_it(self, client, mundo, agregados):
        client.force_login(mundo.ugel)
        antes = self.contenido(client.get(self.url(mundo)))
        nueva = EjecucionPuntaje.objects.create(
            modelo=agregados.modelo, anio=agregados.anio, estado=EstadoEjecucion.EXITOSA
        )
        puntuar(nueva, SeccionFactory(ie=mundo.ie_dos, letra="Z"), "AAAA")
        agregados_escribir(nueva)
        despues = self.contenido(client.get(self.url(mundo)))
        assert despues != antes
        assert _datos_graficos(despues) != _datos_graficos(antes)

    def test_an_address_with_other_parameters_is_not_cached(
        self, client, mundo, agregados
    ):
        client.force_login(mundo.ugel)
        r = client.get(self.url(mundo, otro="x"))
        assert r.context["segundos_en_cache"] == 0
        # Its links carry its parameters; the plain address's do not.
        assert "otro=x" in self.contenido(r)
        assert "otro=x" not in self.contenido(client.get(self.url(mundo)))
        assert client.get(self.url(mundo)).context["segundos_en_cache"] > 0
