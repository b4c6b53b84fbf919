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

        MatriculaFactory.create_batch(20, seccion=mundo.seccion_a)
        client.force_login(mundo.tutora)
        with django_assert_max_num_queries(10):
            client.get(self.url(mundo.seccion_a))


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
    # A factor with no guidance written for it is shown without a link.
    assert primera.factores[1].url is None
    assert "muchos estudiantes dejaron de estudiar" in html
    assert r.context["filas"][1].factores == []
    # The link leads to guidance the tutor can read.
    assert client.get(enlace).status_code == 200
