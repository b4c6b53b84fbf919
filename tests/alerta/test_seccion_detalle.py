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
