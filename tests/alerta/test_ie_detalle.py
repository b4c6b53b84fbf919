import pytest
from django.urls import reverse

from alerta.models import Accion, Nivel, RegistroAcceso, Rol, SituacionFinal
from riesgo.models import EstadoEjecucion
from riesgo.selectors import ejecucion_anterior
from tests.factories import (
    EstudianteFactory,
    MatriculaFactory,
    SeccionFactory,
    UsuarioFactory,
    asignar,
)

from .ejecuciones import ejecucion_con, puntuar


def url(ie, **params) -> str:
    from urllib.parse import urlencode

    base = reverse("ie_detalle", args=[ie.codigo])
    return f"{base}?{urlencode(params)}" if params else base


def nombres(r) -> list[str]:
    return [m.estudiante.apellido_paterno for m in r.context["lista"].filas]


def alumno(seccion, apellido, nombres="ANA", materno="ROJAS", **campos):
    return MatriculaFactory(
        seccion=seccion,
        estudiante=EstudianteFactory(
            apellido_paterno=apellido, apellido_materno=materno, nombres=nombres
        ),
        **campos,
    )


@pytest.mark.django_db
class TestIeDetalle:
    def test_director_sees_each_seccion_with_counts(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        r = client.get(url(mundo.ie_uno))
        assert r.status_code == 200
        conteos = {s.letra: c for s, c in r.context["secciones"]}
        assert set(conteos) == {"A", "B"}
        assert (conteos["A"].alto, conteos["A"].medio, conteos["A"].bajo) == (1, 1, 1)
        assert conteos["B"].alto == 1

    def test_director_of_other_ie_gets_404(self, client, mundo, puntajes):
        otro = UsuarioFactory()
        asignar(otro, Rol.DIRECTOR, ie=mundo.ie_dos, anio=2026)
        client.force_login(otro)
        assert client.get(url(mundo.ie_uno)).status_code == 404

    def test_tutor_gets_404_for_her_own_ie(self, client, mundo, puntajes):
        client.force_login(mundo.tutora)
        assert client.get(url(mundo.ie_uno)).status_code == 404

    def test_ugel_specialist_of_other_ugel_gets_404(self, client, mundo, puntajes):
        client.force_login(mundo.ugel_otra)
        assert client.get(url(mundo.ie_uno)).status_code == 404
        assert not RegistroAcceso.objects.exists()


@pytest.mark.django_db
class TestListaDeLaIe:
    def test_every_current_student_of_the_ie_riskiest_first(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.director)
        r = client.get(url(mundo.ie_uno))
        a0, a1, a2 = mundo.matriculas_a
        # 0.6 (A), 0.4 (B), 0.2 (A), 0.05 (A): both secciones, one list.
        assert [m.pk for m in r.context["lista"].filas] == [
            a1.pk,
            mundo.matricula_b.pk,
            a2.pk,
            a0.pk,
        ]
        html = r.content.decode()
        assert "nivel-alto" in html and "nivel-medio" in html and "nivel-bajo" in html
        for m in (a1, mundo.matricula_b):
            enlace = reverse("estudiante_detalle", args=[m.estudiante.uuid])
            assert f'href="{enlace}"' in html

    def test_students_of_other_ies_and_moved_out_never_show(
        self, client, mundo, puntajes
    ):
        movido = mundo.matriculas_a[0]
        movido.situacion_final = SituacionFinal.TRASLADADO
        movido.save()
        alumno(SeccionFactory(ie=mundo.ie_uno, anio=2025), "DELANTEPASADO")
        client.force_login(mundo.director)
        r = client.get(url(mundo.ie_uno))
        pks = {m.pk for m in r.context["lista"].filas}
        assert mundo.matricula_dos.pk not in pks
        assert mundo.matricula_sur.pk not in pks
        assert movido.pk not in pks
        assert "DELANTEPASADO" not in r.content.decode()

    def test_filters_by_risk_level(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        r = client.get(url(mundo.ie_uno, riesgo="ALTO"))
        assert {m.pk for m in r.context["lista"].filas} == {
            mundo.matriculas_a[1].pk,
            mundo.matricula_b.pk,
        }
        assert r.context["lista"].filtrado

    def test_filters_by_seccion_nivel_and_grado(self, client, mundo, puntajes):
        secundaria = SeccionFactory(
            ie=mundo.ie_uno, nivel=Nivel.SECUNDARIA, grado=1, letra="A"
        )
        mayor = alumno(secundaria, "SECUNDARIO")
        client.force_login(mundo.director)
        r = client.get(url(mundo.ie_uno, seccion=mundo.seccion_b.uuid))
        assert [m.pk for m in r.context["lista"].filas] == [mundo.matricula_b.pk]
        r = client.get(url(mundo.ie_uno, nivel=Nivel.SECUNDARIA))
        assert [m.pk for m in r.context["lista"].filas] == [mayor.pk]
        r = client.get(url(mundo.ie_uno, grado=1))
        assert [m.pk for m in r.context["lista"].filas] == [mayor.pk]
        r = client.get(url(mundo.ie_uno, nivel=Nivel.PRIMARIA, grado=3))
        assert len(r.context["lista"].filas) == 4

    def test_a_seccion_of_another_ie_is_not_a_valid_filter(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.director)
        r = client.get(url(mundo.ie_uno, seccion=mundo.seccion_dos.uuid))
        assert r.status_code == 200
        assert mundo.matricula_dos.pk not in {m.pk for m in r.context["lista"].filas}
        assert len(r.context["lista"].filas) == 4
        assert "no es válido" in r.content.decode()

    def test_bad_values_are_ignored_with_a_message_never_an_error(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.director)
        r = client.get(
            url(
                mundo.ie_uno,
                riesgo="MUCHO",
                grado="tercero",
                nivel="UNIVERSIDAD",
                seccion="no-es-un-uuid",
                orden="'; DROP TABLE",
                pagina="zz",
            )
        )
        assert r.status_code == 200
        assert len(r.context["lista"].filas) == 4
        assert not r.context["lista"].filtrado
        html = r.content.decode()
        assert "Ese valor no es válido: se muestra la lista sin ese filtro." in html
        r = client.get(url(mundo.ie_uno, pagina=999, grado=3))
        assert r.status_code == 200 and len(r.context["lista"].filas) == 4

    def test_search_ignores_case_and_accents_and_needs_every_word(
        self, client, mundo, puntajes
    ):
        ibanez = alumno(mundo.seccion_b, "IBÁÑEZ", nombres="JOSÉ LUIS", materno="PEÑA")
        yupanqui = alumno(mundo.seccion_b, "YUPANQUI", nombres="ROSA")
        client.force_login(mundo.director)

        def buscar(q):
            r = client.post(url(mundo.ie_uno), {"q": q}, follow=True)
            return {m.pk for m in r.context["lista"].filas}

        assert buscar("ibanez") == {ibanez.pk}
        assert buscar("Ibáñez") == {ibanez.pk}
        assert buscar("luis pena") == {ibanez.pk}
        assert buscar("luis IBAÑEZ") == {ibanez.pk}
        assert buscar("jose rosa") == set()
        assert buscar("yupánqui") == {yupanqui.pk}
        assert buscar("IBANEZZ") == set()
        # Punctuation matches one character; nothing reaches the pattern raw.
        assert buscar("ib.nez") == {ibanez.pk}
        assert buscar("ib(]\\[*") == set()
        assert len(buscar("(]\\[* -")) == 6

    def test_search_stays_within_the_ie(self, client, mundo, puntajes):
        alumno(mundo.seccion_dos, "FORASTERO")
        client.force_login(mundo.director)
        r = client.post(url(mundo.ie_uno), {"q": "forastero"}, follow=True)
        assert r.context["lista"].filas == []
        assert "Ningún estudiante cumple estos filtros." in r.content.decode()

    def test_sorts_by_name_and_by_seccion(self, client, mundo, puntajes):
        for m, apellido in zip(
            [*mundo.matriculas_a, mundo.matricula_b],
            ["CCC", "AAA", "DDD", "BBB"],
            strict=True,
        ):
            m.estudiante.apellido_paterno = apellido
            m.estudiante.save()
        client.force_login(mundo.director)
        assert nombres(client.get(url(mundo.ie_uno, orden="nombre"))) == [
            "AAA",
            "BBB",
            "CCC",
            "DDD",
        ]
        assert nombres(client.get(url(mundo.ie_uno, orden="seccion"))) == [
            "AAA",
            "CCC",
            "DDD",
            "BBB",
        ]
        # Risk is the default: 0.6, 0.4, 0.2, 0.05.
        assert nombres(client.get(url(mundo.ie_uno))) == ["AAA", "BBB", "DDD", "CCC"]

    def test_fifty_per_page_and_page_links_keep_the_filters(
        self, client, mundo, puntajes
    ):
        nuevos = [alumno(mundo.seccion_b, f"BAJO{i:02d}") for i in range(60)]
        puntuar(puntajes, dict.fromkeys(nuevos, 0.01))
        client.force_login(mundo.director)
        r = client.get(url(mundo.ie_uno, riesgo="BAJO", orden="nombre"))
        lista = r.context["lista"]
        assert lista.pagina.paginator.count == 61
        assert len(lista.filas) == 50
        html = r.content.decode()
        assert "?riesgo=BAJO&amp;orden=nombre&amp;pagina=2" in html
        r = client.get(url(mundo.ie_uno, riesgo="BAJO", orden="nombre", pagina=2))
        segunda = r.context["lista"].filas
        assert len(segunda) == 11
        assert not {m.pk for m in segunda} & {m.pk for m in lista.filas}
        todos = [m.estudiante.apellido_paterno for m in [*lista.filas, *segunda]]
        assert todos == sorted(todos) and "BAJO59" in todos
        # Numbering goes on from the first page.
        assert '<td class="num">51</td>' in r.content.decode()

    def test_an_arrow_shows_how_the_level_moved_since_the_previous_run(
        self, client, mundo, puntajes
    ):
        a0, a1, a2 = mundo.matriculas_a
        # The fixture's run becomes the previous one: a0 bajo -> alto,
        # a1 alto -> medio, a2 medio -> medio, matricula_b alto -> (unscored).
        ejecucion_con({a0: 0.5, a1: 0.2, a2: 0.15}, dias_despues=1, base=puntajes)
        client.force_login(mundo.director)
        r = client.get(url(mundo.ie_uno))
        cambios = {m.pk: m.cambio for m in r.context["lista"].filas}
        assert cambios[a0.pk].sube and cambios[a0.pk].desde == "Bajo"
        assert not cambios[a1.pk].sube and cambios[a1.pk].desde == "Alto"
        assert cambios[a2.pk] is None
        assert cambios[mundo.matricula_b.pk] is None
        html = r.content.decode()
        assert '<span aria-hidden="true">↑</span>' in html
        assert '<span class="solo-lectores">subió desde Bajo</span>' in html
        assert '<span class="solo-lectores">bajó desde Alto</span>' in html

    def test_without_a_previous_run_no_arrow_shows(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        r = client.get(url(mundo.ie_uno))
        assert all(m.cambio is None for m in r.context["lista"].filas)
        assert "solo-lectores" not in r.content.decode()

    def test_the_nominal_view_is_recorded(self, client, mundo, puntajes):
        client.force_login(mundo.ugel)
        client.get(url(mundo.ie_uno, riesgo="ALTO"))
        registro = RegistroAcceso.objects.get(usuario=mundo.ugel)
        assert registro.accion == Accion.VER_LISTA
        assert registro.objeto == f"ie:{mundo.ie_uno.codigo}"

    def test_only_who_assigns_tutors_sees_the_link(self, client, mundo, puntajes):
        enlace = reverse("ie_tutores", args=[mundo.ie_uno.codigo])
        client.force_login(mundo.director)
        assert f'href="{enlace}"' in client.get(url(mundo.ie_uno)).content.decode()
        for persona in (mundo.ugel, mundo.dre):
            client.force_login(persona)
            assert enlace not in client.get(url(mundo.ie_uno)).content.decode()

    def test_without_scores_students_show_as_unscored(self, client, mundo):
        client.force_login(mundo.director)
        r = client.get(url(mundo.ie_uno, riesgo="ALTO"))
        assert r.status_code == 200 and r.context["lista"].filas == []
        r = client.get(url(mundo.ie_uno))
        assert len(r.context["lista"].filas) == 4
        assert "Sin puntaje" in r.content.decode()

    def test_query_count_does_not_grow_with_students(
        self, client, mundo, puntajes, django_assert_max_num_queries
    ):
        anterior = ejecucion_con(
            {m: 0.5 for m in mundo.matriculas_a}, dias_despues=-1, base=puntajes
        )
        assert ejecucion_anterior(puntajes) == anterior
        client.force_login(mundo.director)
        busqueda = {"riesgo": "ALTO", "orden": "seccion"}
        with django_assert_max_num_queries(14) as pocos:
            client.get(url(mundo.ie_uno))
        n_pocos = len(pocos)
        # The name searched is kept in the session; the filters in the address.
        client.post(
            url(mundo.ie_uno), {"q": mundo.matriculas_a[1].estudiante.apellido_paterno}
        )
        with django_assert_max_num_queries(14) as pocos_filtrados:
            r = client.get(url(mundo.ie_uno, **busqueda))
        n_filtrados = len(pocos_filtrados)
        # An empty page costs one query less: the filters find someone.
        assert r.context["lista"].filas

        otra = SeccionFactory(ie=mundo.ie_uno, letra="C")
        nuevos = MatriculaFactory.create_batch(70, seccion=otra)
        puntuar(puntajes, {m: 0.5 for m in nuevos})
        puntuar(anterior, {m: 0.05 for m in nuevos})
        client.get(url(mundo.ie_uno, limpiar=1))
        # One query more than the short list: the count, which a list that fits
        # in its first page does without (alerta.filtros.pagina_de).
        with django_assert_max_num_queries(n_pocos + 1):
            r = client.get(url(mundo.ie_uno, pagina=2))
        assert len(r.context["lista"].filas) == 24
        client.post(
            url(mundo.ie_uno), {"q": mundo.matriculas_a[1].estudiante.apellido_paterno}
        )
        with django_assert_max_num_queries(n_filtrados):
            r = client.get(url(mundo.ie_uno, **busqueda))
        assert r.context["lista"].filas


@pytest.mark.django_db
class TestEjecucionAnterior:
    def test_it_is_the_latest_successful_run_of_the_same_year_before(self, puntajes):
        assert ejecucion_anterior(puntajes) is None
        assert ejecucion_anterior(None) is None
        vieja = ejecucion_con({}, dias_despues=-3, base=puntajes)
        buena = ejecucion_con({}, dias_despues=-2, base=puntajes)
        ejecucion_con(
            {}, dias_despues=-1, base=puntajes, estado=EstadoEjecucion.FALLIDA
        )
        ejecucion_con({}, dias_despues=-1, base=puntajes, anio=2025)
        ejecucion_con({}, dias_despues=1, base=puntajes)
        assert ejecucion_anterior(puntajes) == buena
        assert ejecucion_anterior(buena) == vieja
        assert ejecucion_anterior(vieja) is None


@pytest.mark.django_db
class TestConteosEnCache:
    """The table of counts per sección is rendered once per scoring run and
    import (decision 0017): served again from the cache, renewed by either."""

    @staticmethod
    def tabla(r) -> str:
        html = r.content.decode()
        inicio = html.index("Estudiantes por nivel de riesgo en cada sección</caption>")
        return html[inicio : html.index("</table>", inicio)]

    def test_a_second_visit_reuses_the_table_without_counting(
        self, client, mundo, puntajes
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(mundo.director)
        with CaptureQueriesContext(connection) as primera:
            r1 = client.get(url(mundo.ie_uno))
        with CaptureQueriesContext(connection) as segunda:
            r2 = client.get(url(mundo.ie_uno))
        assert self.tabla(r1) == self.tabla(r2)
        assert "33 %" in self.tabla(r1)  # 1 of 3 at each level in sección A
        # The second visit skips exactly the counting query.
        assert len(segunda) == len(primera) - 1
        # A UGEL specialist sees the same secciones: the same table.
        client.force_login(mundo.ugel)
        with CaptureQueriesContext(connection) as otra:
            r3 = client.get(url(mundo.ie_uno))
        assert self.tabla(r3) == self.tabla(r1)
        contar = [q for q in primera if 'AS "alto"' in q["sql"]]
        assert len(contar) == 1  # the counting query, by its columns
        assert not any('AS "alto"' in q["sql"] for q in [*segunda, *otra])

    def test_a_new_run_renews_the_table(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        # Sección B's one student is at alto; A has one at each level.
        assert self.tabla(client.get(url(mundo.ie_uno))).count("(100 %)") == 1
        ejecucion_con(
            {m: 0.9 for m in [*mundo.matriculas_a, mundo.matricula_b]},
            dias_despues=1,
            base=puntajes,
        )
        # Every student of A and B at alto now.
        assert self.tabla(client.get(url(mundo.ie_uno))).count("(100 %)") == 2

    def test_an_import_renews_the_table(self, client, mundo, puntajes):
        from django.utils import timezone

        from siagie_import.models import (
            EstadoImportacion,
            Importacion,
            TipoArchivo,
        )

        client.force_login(mundo.director)
        antes = self.tabla(client.get(url(mundo.ie_uno)))
        # The nómina of the next import says that the alto student of A left.
        alto = mundo.matriculas_a[1]
        alto.situacion_final = SituacionFinal.TRASLADADO
        alto.save()
        Importacion.objects.create(
            tipo=TipoArchivo.NOMINA,
            nombre_archivo="nomina_2026.csv",
            sha256="1" * 64,
            estado=EstadoImportacion.COMPLETADA,
            terminada=timezone.now(),
        )
        despues = self.tabla(client.get(url(mundo.ie_uno)))
        assert despues != antes
        assert "50 %" in despues  # 1 medio and 1 bajo left in A


def test_the_key_of_a_table_of_counts_holds_what_it_depends_on(db):
    from django.utils import translation

    from alerta.presentacion.vigencia import clave_de_conteos

    base = {"ambito": "ie:1:2026", "ejecucion_id": 7, "ids": [1, 2, 3]}
    clave = clave_de_conteos(**base)
    assert clave == clave_de_conteos(**{**base, "ids": [3, 2, 1]})
    assert clave != clave_de_conteos(**{**base, "ids": [1, 2]})
    assert clave != clave_de_conteos(**{**base, "ejecucion_id": 8})
    assert clave != clave_de_conteos(**{**base, "ambito": "ie:2:2026"})
    with translation.override("en"):
        assert clave != clave_de_conteos(**base)
