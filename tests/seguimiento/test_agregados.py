"""Follow-up figures of directors, UGELs and DREs (seguimiento.agregados),
counted by hand on a small world.

The `puntajes` run scores seccion_a: bajo, alto, medio; seccion_b: alto;
seccion_dos and seccion_sur: bajo.
"""

from datetime import date

import pytest

from alerta.models import InstitucionEducativa, SituacionFinal
from riesgo.models import NivelRiesgo, Puntaje
from seguimiento import agregados
from seguimiento.agregados import atrasada, bimestre_de
from seguimiento.models import (
    AccionSeguimiento,
    EstadoAccion,
    RegistroMensual,
    TipoAccion,
)
from tests.factories import MatriculaFactory

pytestmark = pytest.mark.django_db

OCTUBRE = date(2026, 10, 20)
PROBABILIDAD = {NivelRiesgo.ALTO: 0.6, NivelRiesgo.MEDIO: 0.2, NivelRiesgo.BAJO: 0.01}


def _accion(autor, matricula, fecha, estado=EstadoAccion.REALIZADA):
    # Written straight to the table: the service refuses a done action dated
    # after the real today, and these dates are fixed.
    return AccionSeguimiento.objects.create(
        estudiante=matricula.estudiante,
        seccion=matricula.seccion,
        tipo=TipoAccion.objects.get(codigo="llamada_visita"),
        fecha=fecha,
        estado=estado,
        autor=autor,
    )


def _registro(autor, matricula, mes):
    return RegistroMensual.objects.create(
        estudiante=matricula.estudiante,
        seccion=matricula.seccion,
        mes=mes,
        contactado=True,
        medio="PRESENCIAL",
        autor=autor,
    )


def _puntuada(ejecucion, seccion, nivel, **campos):
    matricula = MatriculaFactory(seccion=seccion, **campos)
    Puntaje.objects.create(
        ejecucion=ejecucion,
        matricula=matricula,
        probabilidad=PROBABILIDAD[nivel],
        nivel=nivel,
    )
    return matricula


class TestBimestre:
    @pytest.mark.parametrize(
        ("fecha", "inicio", "fin"),
        [
            (date(2026, 3, 1), date(2026, 3, 1), date(2026, 4, 30)),
            (date(2026, 4, 30), date(2026, 3, 1), date(2026, 4, 30)),
            (date(2026, 5, 1), date(2026, 5, 1), date(2026, 6, 30)),
            (date(2026, 6, 30), date(2026, 5, 1), date(2026, 6, 30)),
            (date(2026, 7, 1), date(2026, 7, 1), date(2026, 8, 31)),
            (date(2026, 8, 31), date(2026, 7, 1), date(2026, 8, 31)),
            (date(2026, 9, 1), date(2026, 9, 1), date(2026, 10, 31)),
            (date(2026, 10, 31), date(2026, 9, 1), date(2026, 10, 31)),
            (date(2026, 11, 1), date(2026, 11, 1), date(2027, 2, 28)),
            (date(2026, 12, 31), date(2026, 11, 1), date(2027, 2, 28)),
            # January and February are Nov–Dec of the year before.
            (date(2027, 1, 1), date(2026, 11, 1), date(2027, 2, 28)),
            (date(2027, 2, 28), date(2026, 11, 1), date(2027, 2, 28)),
            (date(2028, 2, 29), date(2027, 11, 1), date(2028, 2, 29)),
            (date(2027, 3, 1), date(2027, 3, 1), date(2027, 4, 30)),
        ],
    )
    def test_bordes(self, fecha, inicio, fin):
        assert bimestre_de(fecha) == (inicio, fin)

    def test_anio_escolar_son_sus_cinco_bimestres(self):
        assert agregados.anio_escolar(2027) == (date(2027, 3, 1), date(2028, 2, 29))


class TestAtrasada:
    @pytest.mark.parametrize(
        ("anterior", "actual", "dia", "esperado"),
        [
            (100.0, 0.0, 15, False),  # up to the 15th this month may be empty
            (100.0, 49.9, 16, True),  # after it, under half is behind
            (100.0, 50.0, 16, False),
            (99.9, 100.0, 1, True),  # last month incomplete
            (None, 0.0, 10, False),  # March: no last month to finish
            (None, 0.0, 20, True),
            (None, None, 28, False),  # a sección without students
        ],
    )
    def test_regla(self, anterior, actual, dia, esperado):
        assert atrasada(anterior, actual, dia) is esperado


@pytest.fixture
def seguimiento_octubre(mundo, puntajes):
    """Actions and records of IE Uno around October 2026 (hand-counted in the
    tests)."""
    a0, a1, a2 = mundo.matriculas_a
    b = mundo.matricula_b
    autor = mundo.director
    _accion(autor, a1, date(2026, 9, 1))  # counts: first day of Sep–Oct
    _accion(autor, a2, date(2026, 8, 31))  # the bimester before
    _accion(autor, a2, date(2026, 10, 10), EstadoAccion.PLANIFICADA)  # planned
    _accion(autor, b, date(2026, 10, 31), EstadoAccion.SIN_CONTACTO)  # attempt
    _accion(autor, a0, date(2026, 10, 1))  # bajo: not counted at alto/medio
    for m in (a0, a1, a2, b):
        _registro(autor, m, date(2026, 9, 1))
    _registro(autor, a0, date(2026, 10, 1))
    _registro(autor, a1, date(2026, 10, 1))
    # A student moved out of seccion_a: neither a student nor a record there.
    trasladado = _puntuada(
        puntajes,
        mundo.seccion_a,
        NivelRiesgo.ALTO,
        situacion_final=SituacionFinal.TRASLADADO,
    )
    _registro(autor, trasladado, date(2026, 10, 1))
    _accion(autor, trasladado, date(2026, 10, 1))
    return mundo


class TestPorSeccion:
    def _filas(self, mundo, hoy):
        filas = agregados.por_seccion(mundo.ie_uno, 2026, hoy=hoy)
        return {f.seccion: f for f in filas}

    def test_cifras_contadas_a_mano(self, seguimiento_octubre):
        mundo = seguimiento_octubre
        filas = self._filas(mundo, OCTUBRE)
        a, b = filas[mundo.seccion_a], filas[mundo.seccion_b]
        assert (a.alto_medio, a.con_accion, a.pct_accion) == (2, 1, 50.0)
        assert (a.estudiantes, a.registros, a.pct_registro) == (3, 2, 66.7)
        assert a.pct_registro_anterior == 100.0
        assert (b.alto_medio, b.con_accion, b.pct_accion) == (1, 1, 100.0)
        assert (b.estudiantes, b.registros, b.pct_registro) == (1, 0, 0.0)
        assert list(filas) == [mundo.seccion_a, mundo.seccion_b]

    def test_tutores_y_atraso(self, seguimiento_octubre):
        mundo = seguimiento_octubre
        filas = self._filas(mundo, OCTUBRE)
        tutora = mundo.tutora.get_full_name() or mundo.tutora.username
        assert filas[mundo.seccion_a].tutores == [tutora]
        assert filas[mundo.seccion_b].tutores == []
        # Past the 15th: seccion_a is at 66.7 %, seccion_b at 0 %.
        assert filas[mundo.seccion_a].atrasada is False
        assert filas[mundo.seccion_b].atrasada is True
        # Up to the 15th, last month (complete) decides.
        antes = self._filas(mundo, date(2026, 10, 15))
        assert antes[mundo.seccion_b].atrasada is False

    def test_mes_anterior_incompleto(self, seguimiento_octubre):
        mundo = seguimiento_octubre
        # In November, October (2 of 3 in seccion_a) is incomplete.
        filas = self._filas(mundo, date(2026, 11, 2))
        assert filas[mundo.seccion_a].pct_registro_anterior == 66.7
        assert filas[mundo.seccion_a].atrasada is True

    def test_marzo_no_mira_febrero(self, seguimiento_octubre):
        mundo = seguimiento_octubre
        filas = self._filas(mundo, date(2026, 3, 10))
        assert filas[mundo.seccion_a].pct_registro_anterior is None
        assert filas[mundo.seccion_a].atrasada is False

    def test_bimestre_siguiente_empieza_sin_acciones(self, seguimiento_octubre):
        mundo = seguimiento_octubre
        filas = self._filas(mundo, date(2026, 11, 1))
        assert filas[mundo.seccion_a].con_accion == 0
        assert filas[mundo.seccion_b].con_accion == 0

    def test_sin_ejecucion_no_hay_alto_medio(self, seguimiento_octubre):
        mundo = seguimiento_octubre
        filas = agregados.por_seccion(mundo.ie_uno, 2026, ejecucion=None, hoy=OCTUBRE)
        assert [f.alto_medio for f in filas] == [0, 0]
        assert [f.pct_accion for f in filas] == [None, None]

    def test_quinto_de_secundaria_nunca_en_riesgo(self, mundo, puntajes):
        from tests.factories import SeccionFactory

        quinto = SeccionFactory(ie=mundo.ie_uno, nivel="SECUNDARIA", grado=5)
        # A run from before 5.º was left out may have scored it (decision 0012).
        _puntuada(puntajes, quinto, NivelRiesgo.ALTO)
        filas = {f.seccion: f for f in agregados.por_seccion(mundo.ie_uno, 2026)}
        assert filas[quinto].alto_medio == 0
        assert filas[quinto].estudiantes == 1

    def test_pocas_consultas(
        self, seguimiento_octubre, puntajes, django_assert_num_queries
    ):
        # The figures, the tutors and the secciones, whatever the size.
        with django_assert_num_queries(3):
            agregados.por_seccion(
                seguimiento_octubre.ie_uno, 2026, ejecucion=puntajes, hoy=OCTUBRE
            )


@pytest.fixture
def seguimiento_anio(mundo, puntajes):
    """Actions across school year 2026 in both UGELs."""
    a0, a1, a2 = mundo.matriculas_a
    autor = mundo.director
    _accion(autor, a1, date(2026, 4, 1))  # counts
    _accion(autor, mundo.matricula_b, date(2027, 2, 28))  # last day: counts
    _accion(autor, a2, date(2026, 2, 28))  # before the school year
    _accion(autor, a2, date(2027, 3, 1))  # after it
    # IE Dos: two at alto without any action, one at medio with one.
    _puntuada(puntajes, mundo.seccion_dos, NivelRiesgo.ALTO)
    _puntuada(puntajes, mundo.seccion_dos, NivelRiesgo.ALTO)
    con = _puntuada(puntajes, mundo.seccion_dos, NivelRiesgo.MEDIO)
    _accion(autor, con, date(2026, 6, 1))
    # IE Sur (another UGEL): five at alto without action.
    for _ in range(5):
        _puntuada(puntajes, mundo.seccion_sur, NivelRiesgo.ALTO)
    _registro(autor, a0, date(2026, 10, 1))
    _registro(autor, mundo.matricula_dos, date(2026, 10, 1))
    return mundo


def _ies_de(ugel):
    return InstitucionEducativa.objects.filter(ugel=ugel)


class TestPorIE:
    def test_cifras_contadas_a_mano(self, seguimiento_anio):
        mundo = seguimiento_anio
        filas = agregados.por_ie(_ies_de(mundo.ugel_norte), hoy=OCTUBRE)
        uno, dos = filas[mundo.ie_uno.pk], filas[mundo.ie_dos.pk]
        # IE Uno: a1 (alto), a2 (medio), b (alto); a1 and b with an action.
        assert (uno.alto_medio, uno.con_accion, uno.sin_accion) == (3, 2, 1)
        assert uno.pct_accion == 66.7
        assert (uno.estudiantes, uno.registros, uno.pct_registro) == (4, 1, 25.0)
        assert (dos.alto_medio, dos.con_accion, dos.sin_accion) == (3, 1, 2)
        assert (dos.estudiantes, dos.registros, dos.pct_registro) == (4, 1, 25.0)

    def test_una_ugel_nunca_cuenta_las_ies_de_otra(self, seguimiento_anio):
        mundo = seguimiento_anio
        norte = agregados.por_ie(_ies_de(mundo.ugel_norte), hoy=OCTUBRE)
        sur = agregados.por_ie(_ies_de(mundo.ugel_sur), hoy=OCTUBRE)
        assert set(norte) == {mundo.ie_uno.pk, mundo.ie_dos.pk}
        assert set(sur) == {mundo.ie_sur.pk}
        assert sur[mundo.ie_sur.pk].alto_medio == 5
        total = sum(norte.values(), agregados.FilaIE(ie_id=0))
        assert (total.alto_medio, total.con_accion) == (6, 3)

    def test_otro_anio_escolar_no_cuenta(self, seguimiento_anio):
        mundo = seguimiento_anio
        assert agregados.por_ie(_ies_de(mundo.ugel_norte), anio=2025) == {}

    def test_una_consulta(self, seguimiento_anio, puntajes, django_assert_num_queries):
        ies = _ies_de(seguimiento_anio.ugel_norte)
        with django_assert_num_queries(1):
            agregados.por_ie(ies, ejecucion=puntajes, hoy=OCTUBRE)


class TestRanking:
    def test_orden_y_limite(self, seguimiento_anio):
        mundo = seguimiento_anio
        ranking = agregados.ranking_sin_accion(_ies_de(mundo.ugel_norte), hoy=OCTUBRE)
        assert [(ie, f.sin_accion) for ie, f in ranking] == [
            (mundo.ie_dos, 2),
            (mundo.ie_uno, 1),
        ]
        primera = agregados.ranking_sin_accion(
            _ies_de(mundo.ugel_norte), n=1, hoy=OCTUBRE
        )
        assert [ie for ie, _ in primera] == [mundo.ie_dos]

    def test_sin_ies_de_otra_ugel_ni_ies_al_dia(self, seguimiento_anio):
        mundo = seguimiento_anio
        _accion(mundo.director, mundo.matriculas_a[2], date(2026, 5, 5))
        ranking = agregados.ranking_sin_accion(_ies_de(mundo.ugel_norte), hoy=OCTUBRE)
        # IE Sur has the most without action but is of UGEL Sur; IE Uno has
        # none left.
        assert [ie for ie, _ in ranking] == [mundo.ie_dos]

    def test_con_cifras_ya_calculadas(
        self, seguimiento_anio, puntajes, django_assert_num_queries
    ):
        ies = _ies_de(seguimiento_anio.ugel_sur)
        filas = agregados.por_ie(ies, ejecucion=puntajes, hoy=OCTUBRE)
        with django_assert_num_queries(0):
            ranking = agregados.ranking_sin_accion(ies, filas=filas)
        assert [(ie, f.sin_accion) for ie, f in ranking] == [
            (seguimiento_anio.ie_sur, 5)
        ]


# --- The IE page and workbook (today's bimester and month) -------------------------


@pytest.fixture
def seguimiento_hoy(mundo, puntajes):
    """Today: an action for a1 (alto), this month's record of a0 and a1; the
    last month's record of every student, so that only today decides."""
    from django.utils import timezone

    from seguimiento.services import mes_actual
    from tests.factories import accion

    a0, a1, a2 = mundo.matriculas_a
    hoy = timezone.localdate()
    accion(mundo.tutora, a1, fecha=hoy)
    accion(mundo.tutora, a2, fecha=hoy, estado=EstadoAccion.PLANIFICADA)
    for m in (a0, a1):
        _registro(mundo.tutora, m, mes_actual())
    anterior = agregados.mes_anterior(mes_actual())
    for m in (a0, a1, a2, mundo.matricula_b):
        _registro(mundo.tutora, m, anterior)
    return mundo


class TestPaginaIE:
    def _url(self, ie):
        from django.urls import reverse

        return reverse("ie_detalle", args=[ie.codigo])

    def test_el_director_ve_cada_seccion(self, client, seguimiento_hoy):
        mundo = seguimiento_hoy
        client.force_login(mundo.director)
        r = client.get(self._url(mundo.ie_uno))
        assert r.status_code == 200
        filas = {f.seccion: f for f in r.context["seguimiento_secciones"]}
        a, b = filas[mundo.seccion_a], filas[mundo.seccion_b]
        assert (a.alto_medio, a.con_accion, a.estudiantes, a.registros) == (2, 1, 3, 2)
        assert (b.alto_medio, b.con_accion, b.estudiantes, b.registros) == (1, 0, 1, 0)
        html = r.content.decode()
        tabla = html.split("tabla-seguimiento-secciones", 1)[1].split("</table>")[0]
        assert 'data-etiqueta="Con acción en el bimestre">1 <small>(50 %)' in tabla
        assert 'data-etiqueta="Registro del mes">2 <small>(67 %)' in tabla
        assert (mundo.tutora.get_full_name() or mundo.tutora.username) in tabla
        assert "Sin tutor asignado" in tabla
        # Cards on a phone: every figure names its column and is marked .num.
        for celda in tabla.split("<td")[1:]:
            if "titulo-fila" not in celda and "colspan" not in celda:
                assert "data-etiqueta=" in celda
        assert "Cuenta una acción realizada o intentada sin contacto" in html

    def test_la_marca_de_atrasado_sigue_la_regla(self, client, seguimiento_hoy):
        from django.utils import timezone

        mundo = seguimiento_hoy
        client.force_login(mundo.director)
        r = client.get(self._url(mundo.ie_uno))
        filas = {f.seccion: f for f in r.context["seguimiento_secciones"]}
        # seccion_b has no record this month: behind only after the 15th.
        tarde = timezone.localdate().day > agregados.DIA_DE_MITAD
        assert filas[mundo.seccion_b].atrasada is tarde
        assert filas[mundo.seccion_a].atrasada is False
        assert (r.content.decode().count('class="marca-atrasado"') == 1) is tarde

    @pytest.mark.parametrize("persona", ["ugel_otra", "tutor_otra_ie"])
    def test_fuera_de_alcance_es_404(self, client, seguimiento_hoy, persona):
        client.force_login(getattr(seguimiento_hoy, persona))
        assert client.get(self._url(seguimiento_hoy.ie_uno)).status_code == 404

    def test_el_libro_de_la_ie_trae_la_hoja_de_seguimiento(
        self, client, seguimiento_hoy
    ):
        from django.urls import reverse

        from tests.alerta.libros import bloque, libro, tabla

        mundo = seguimiento_hoy
        client.force_login(mundo.director)
        wb = libro(client.get(reverse("ie_excel", args=[mundo.ie_uno.codigo])))
        ws = wb["Seguimiento por sección"]
        assert bloque(ws)["Año escolar"] == 2026
        _n, encabezado, filas = tabla(ws, "Nivel")
        assert list(encabezado) == [
            "Nivel",
            "Grado",
            "Sección",
            "Alto y medio",
            "Con acción en el bimestre",
            "% con acción",
            "Estudiantes",
            "Registro del mes",
            "% registro del mes",
            "Tutor(es)",
            "Atrasado",
        ]
        tutora = mundo.tutora.get_full_name() or mundo.tutora.username
        assert [f[2:10] for f in filas] == [
            ("A", 2, 1, 50.0, 3, 2, 66.7, tutora),
            ("B", 1, 0, 0.0, 1, 0, 0.0, None),
        ]


# --- UGEL and DRE pages: aggregates only ---------------------------------------------


@pytest.fixture
def seguimiento_ugeles(mundo, puntajes):
    """Today an action for a1; IE Dos gets one alto without action, IE Sur
    (UGEL Sur, same DRE) three."""
    from django.utils import timezone

    from tests.factories import accion

    accion(mundo.tutora, mundo.matriculas_a[1], fecha=timezone.localdate())
    _puntuada(puntajes, mundo.seccion_dos, NivelRiesgo.ALTO)
    for _ in range(3):
        _puntuada(puntajes, mundo.seccion_sur, NivelRiesgo.ALTO)
    return mundo


def _seccion_seguimiento(html: str) -> str:
    return html.split('id="seguimiento-ies"', 1)[1].split("</section>", 1)[0]


def _nombres_de_estudiantes() -> list[str]:
    from alerta.models import Estudiante

    return [e.nombre_completo for e in Estudiante.objects.all()]


class TestPaginaUgel:
    def _url(self, ugel):
        from django.urls import reverse

        return reverse("ugel_detalle", args=[ugel.codigo])

    def test_ranking_y_cifras_sin_otra_ugel(self, client, seguimiento_ugeles):
        mundo = seguimiento_ugeles
        client.force_login(mundo.ugel)
        r = client.get(self._url(mundo.ugel_norte))
        assert r.status_code == 200
        s = r.context["seguimiento"]
        assert [(ie, f.sin_accion) for ie, f in s["ranking"]] == [
            (mundo.ie_uno, 2),
            (mundo.ie_dos, 1),
        ]
        # IE Uno: a1, a2 and b at alto or medio (a1 with an action), 4 students;
        # IE Dos: its new alto, 2 students. IE Sur is another UGEL's.
        assert [(ie, f.alto_medio, f.con_accion) for ie, f in s["filas"]] == [
            (mundo.ie_dos, 1, 0),
            (mundo.ie_uno, 3, 1),
        ]
        total = s["total"]
        assert (total.alto_medio, total.con_accion, total.estudiantes) == (4, 1, 6)
        bloque = _seccion_seguimiento(r.content.decode())
        assert mundo.ie_sur.rotulo not in bloque
        assert "1 de 4 estudiantes en riesgo alto y medio" in bloque
        for nombre in _nombres_de_estudiantes():
            assert nombre not in bloque

    def test_enlaza_las_paginas_de_las_ies(self, client, seguimiento_ugeles):
        from django.urls import reverse

        mundo = seguimiento_ugeles
        client.force_login(mundo.ugel)
        bloque = _seccion_seguimiento(
            client.get(self._url(mundo.ugel_norte)).content.decode()
        )
        assert reverse("ie_detalle", args=[mundo.ie_uno.codigo]) in bloque
        assert reverse("ie_detalle", args=[mundo.ie_dos.codigo]) in bloque

    def test_otra_ugel_es_404(self, client, seguimiento_ugeles):
        client.force_login(seguimiento_ugeles.ugel_otra)
        r = client.get(self._url(seguimiento_ugeles.ugel_norte))
        assert r.status_code == 404

    def test_se_guarda_unos_minutos(self, client, seguimiento_ugeles, monkeypatch):
        from alerta import views_tableros

        mundo = seguimiento_ugeles
        client.force_login(mundo.ugel)
        client.get(self._url(mundo.ugel_norte))

        def no_otra_vez(*args, **kwargs):
            raise AssertionError("counted again")

        monkeypatch.setattr(views_tableros.seguimiento_agregados, "por_ie", no_otra_vez)
        r = client.get(self._url(mundo.ugel_norte))
        assert r.context["seguimiento"]["total"].alto_medio == 4

    def test_consultas_no_crecen_con_las_ies(
        self, client, seguimiento_ugeles, puntajes, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.factories import IEFactory, SeccionFactory

        mundo = seguimiento_ugeles
        client.force_login(mundo.ugel)
        with CaptureQueriesContext(connection) as pocas:
            client.get(self._url(mundo.ugel_norte))
        for _ in range(4):
            seccion = SeccionFactory(ie=IEFactory(ugel=mundo.ugel_norte))
            for _ in range(3):
                _puntuada(puntajes, seccion, NivelRiesgo.MEDIO)
        from django.core.cache import cache

        cache.clear()
        with django_assert_max_num_queries(len(pocas)):
            r = client.get(self._url(mundo.ugel_norte))
        assert len(r.context["seguimiento"]["ranking"]) == 6


class TestPaginaDre:
    def test_ranking_de_las_ies_de_la_dre(self, client, seguimiento_ugeles):
        from django.urls import reverse

        mundo = seguimiento_ugeles
        client.force_login(mundo.dre)
        r = client.get(reverse("dre_detalle", args=[mundo.ugel_norte.dre.pk]))
        assert r.status_code == 200
        s = r.context["seguimiento"]
        assert [(ie, f.sin_accion) for ie, f in s["ranking"]] == [
            (mundo.ie_sur, 3),
            (mundo.ie_uno, 2),
            (mundo.ie_dos, 1),
        ]
        bloque = _seccion_seguimiento(r.content.decode())
        assert reverse("ie_detalle", args=[mundo.ie_sur.codigo]) in bloque
        for nombre in _nombres_de_estudiantes():
            assert nombre not in bloque

    def test_fuera_de_alcance_es_404(self, client, seguimiento_ugeles):
        from django.urls import reverse

        mundo = seguimiento_ugeles
        client.force_login(mundo.ugel)
        r = client.get(reverse("dre_detalle", args=[mundo.ugel_norte.dre.pk]))
        assert r.status_code == 404
