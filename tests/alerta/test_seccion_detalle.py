import pytest
from django.urls import reverse

from alerta.models import Accion, RegistroAcceso, SituacionFinal


@pytest.mark.django_db
class TestSeccionDetalle:
    def url(self, seccion):
        return reverse("seccion_detalle", args=[seccion.uuid])

    def test_tutor_sees_her_students_riskiest_first_with_word_and_colour(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.tutora)
        r = client.get(self.url(mundo.seccion_a))
        assert r.status_code == 200
        filas = r.context["filas"]
        assert [f.nivel_riesgo for f in filas] == ["ALTO", "MEDIO", "BAJO"]
        html = r.content.decode()
        assert "nivel-alto" in html and "Alto" in html
        assert "nivel-bajo" in html and "Bajo" in html
        for m in mundo.matriculas_a:
            assert m.estudiante.apellido_paterno in html

    def test_tutor_of_other_ie_gets_404(self, client, mundo, puntajes):
        client.force_login(mundo.tutor_otra_ie)
        assert client.get(self.url(mundo.seccion_a)).status_code == 404

    def test_students_of_other_secciones_never_show(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        r = client.get(self.url(mundo.seccion_a))
        pks = {f.pk for f in r.context["filas"]}
        assert mundo.matricula_b.pk not in pks

    def test_a_student_moved_out_is_not_listed(self, client, mundo, puntajes):
        movido = mundo.matriculas_a[0]
        movido.situacion_final = SituacionFinal.TRASLADADO
        movido.save()
        client.force_login(mundo.tutora)
        r = client.get(self.url(mundo.seccion_a))
        assert movido.pk not in {f.pk for f in r.context["filas"]}

    def test_the_view_is_recorded_without_names(self, client, mundo, puntajes):
        client.force_login(mundo.tutora)
        client.get(self.url(mundo.seccion_a))
        registro = RegistroAcceso.objects.get(usuario=mundo.tutora)
        assert registro.accion == Accion.VER_LISTA
        assert registro.objeto == f"seccion:{mundo.seccion_a.uuid}"

    def test_without_scores_students_show_as_unscored(self, client, mundo):
        client.force_login(mundo.tutora)
        r = client.get(self.url(mundo.seccion_a))
        assert r.status_code == 200
        assert "Sin puntaje" in r.content.decode()

    def test_query_count_does_not_grow_with_students(
        self, client, mundo, puntajes, django_assert_max_num_queries
    ):
        from tests.factories import MatriculaFactory

        from .ejecuciones import ejecucion_con, puntuar

        anterior = ejecucion_con(
            {m: 0.5 for m in mundo.matriculas_a}, dias_despues=-1, base=puntajes
        )
        client.force_login(mundo.tutora)
        # An empty page costs one query less: the filters find someone.
        filtros = {"riesgo": "ALTO"}
        with django_assert_max_num_queries(12) as pocos:
            client.get(self.url(mundo.seccion_a))
        # Counted now: the next request empties Django's log of queries.
        n_pocos = len(pocos)
        client.post(
            self.url(mundo.seccion_a), {"q": mundo.matriculas_a[1].estudiante.nombres}
        )
        with django_assert_max_num_queries(12) as pocos_filtrados:
            r = client.get(self.url(mundo.seccion_a), filtros)
        n_filtrados = len(pocos_filtrados)
        assert len(r.context["filas"]) == 1
        nuevos = MatriculaFactory.create_batch(60, seccion=mundo.seccion_a)
        puntuar(puntajes, {m: 0.5 for m in nuevos})
        puntuar(anterior, {m: 0.2 for m in nuevos})
        client.get(self.url(mundo.seccion_a), {"limpiar": "1"})
        # One query more than the short list: the count, which a list that fits
        # in its first page does without (alerta.filtros.pagina_de).
        with django_assert_max_num_queries(n_pocos + 1):
            r = client.get(self.url(mundo.seccion_a))
        assert len(r.context["filas"]) == 50
        client.post(
            self.url(mundo.seccion_a), {"q": mundo.matriculas_a[1].estudiante.nombres}
        )
        with django_assert_max_num_queries(n_filtrados):
            r = client.get(self.url(mundo.seccion_a), filtros)
        assert len(r.context["filas"]) >= 1

    def test_each_name_links_to_the_students_page(self, client, mundo, puntajes):
        client.force_login(mundo.tutora)
        html = client.get(self.url(mundo.seccion_a)).content.decode()
        for m in mundo.matriculas_a:
            enlace = reverse("estudiante_detalle", args=[m.estudiante.uuid])
            assert f'href="{enlace}">{m.estudiante.nombre_completo}</a>' in html

    def test_filters_by_risk_level_and_searches_by_name(self, client, mundo, puntajes):
        a0, a1, a2 = mundo.matriculas_a
        client.force_login(mundo.tutora)
        r = client.get(self.url(mundo.seccion_a) + "?riesgo=MEDIO")
        assert [f.pk for f in r.context["filas"]] == [a2.pk]
        a0.estudiante.nombres = "ÁNGEL ELÍAS"
        a0.estudiante.save()
        r = client.post(self.url(mundo.seccion_a), {"q": "elias"}, follow=True)
        assert [f.pk for f in r.context["filas"]] == [a0.pk]
        # The search never reaches another sección of the same IE.
        r = client.post(
            self.url(mundo.seccion_a),
            {"q": mundo.matricula_b.estudiante.apellido_paterno},
            follow=True,
        )
        assert r.context["filas"] == []

    def test_a_searched_name_never_goes_into_the_address(self, client, mundo):
        a1 = mundo.matriculas_a[1]
        nombre = a1.estudiante.apellido_paterno
        client.force_login(mundo.tutora)
        url = self.url(mundo.seccion_a)
        r = client.post(url, {"q": nombre, "orden": "nombre", "pagina": "2"})
        assert r.status_code == 302 and r["Location"] == f"{url}?orden=nombre"
        r = client.get(r["Location"])
        assert [f.pk for f in r.context["filas"]] == [a1.pk]
        assert r.context["lista"].formulario["q"].value() == nombre
        # An address that comes with a name is answered with one without it.
        r = client.get(url, {"q": nombre, "riesgo": "ALTO"})
        assert r.status_code == 302 and r["Location"] == f"{url}?riesgo=ALTO"
        # Clearing the filters forgets the search.
        r = client.get(url, {"limpiar": "1"})
        assert r.status_code == 302 and r["Location"] == url
        assert len(client.get(url).context["filas"]) == len(mundo.matriculas_a)

    def test_a_search_belongs_to_its_own_list(self, client, mundo):
        client.force_login(mundo.director)
        client.post(self.url(mundo.seccion_a), {"q": "NADIE SE LLAMA ASI"})
        r = client.get(self.url(mundo.seccion_b))
        assert [f.pk for f in r.context["filas"]] == [mundo.matricula_b.pk]

    def test_posting_a_search_outside_the_scope_is_404(self, client, mundo):
        client.force_login(mundo.tutor_otra_ie)
        r = client.post(self.url(mundo.seccion_a), {"q": "X"})
        assert r.status_code == 404
        assert not any(k.startswith("busqueda:") for k in client.session.keys())

    def test_sorts_by_name(self, client, mundo, puntajes):
        client.force_login(mundo.tutora)
        r = client.get(self.url(mundo.seccion_a) + "?orden=nombre")
        apellidos = [f.estudiante.apellido_paterno for f in r.context["filas"]]
        assert apellidos == sorted(apellidos) and len(apellidos) == 3

    def test_only_the_filters_of_a_seccion_are_offered(self, client, mundo, puntajes):
        client.force_login(mundo.tutora)
        r = client.get(self.url(mundo.seccion_a) + "?grado=9&seccion=x&orden=seccion")
        assert r.status_code == 200
        formulario = r.context["lista"].formulario
        assert set(formulario.fields) == {"q", "riesgo", "seguimiento", "orden"}
        assert len(r.context["filas"]) == 3
        assert "no es válido" in r.content.decode()

    def test_an_arrow_shows_a_level_that_moved(self, client, mundo, puntajes):
        from .ejecuciones import ejecucion_con

        a0, a1, a2 = mundo.matriculas_a
        ejecucion_con({a0: 0.05, a1: 0.05, a2: 0.6}, dias_despues=1, base=puntajes)
        client.force_login(mundo.tutora)
        r = client.get(self.url(mundo.seccion_a))
        html = r.content.decode()
        assert '<span class="solo-lectores">subió desde Medio</span>' in html
        assert '<span class="solo-lectores">bajó desde Alto</span>' in html
        cambios = {f.pk: f.cambio for f in r.context["filas"]}
        assert cambios[a2.pk].sube and not cambios[a1.pk].sube
        assert cambios[a0.pk] is None


@pytest.mark.django_db
def test_each_student_shows_their_factors_linked_to_the_guidance(
    client, mundo, puntajes
):
    from riesgo.models import Puntaje

    riesgoso = Puntaje.objects.get(ejecucion=puntajes, probabilidad=0.6)
    riesgoso.factor_1, riesgoso.factor_2 = "inasistencias", "contexto_escuela"
    riesgoso.save()
    client.force_login(mundo.tutora)
    r = client.get(reverse("seccion_detalle", args=[mundo.seccion_a.uuid]))
    primera = r.context["filas"][0]
    assert [f.codigo for f in primera.factores] == ["inasistencias", "contexto_escuela"]
    html = r.content.decode()
    assert "Falta a clases con frecuencia" in html
    enlace = primera.factores[0].url
    assert enlace.startswith(reverse("orientaciones:lista"))
    assert "factor=inasistencias" in enlace and "nivel=PRIMARIA" in enlace
    assert f'href="{enlace.replace("&", "&amp;")}"' in html
    # Every factor links to its guidance, the school's context too.
    assert "factor=contexto_escuela" in primera.factores[1].url
    assert "muchos estudiantes dejaron de estudiar" in html
    assert r.context["filas"][1].factores == []
    # The link leads to guidance the tutor can read.
    assert client.get(enlace).status_code == 200
