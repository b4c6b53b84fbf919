import pytest
from django.urls import reverse


@pytest.mark.django_db
class TestIeDetalle:
    def url(self, ie):
        return reverse("ie_detalle", args=[ie.codigo])

    def test_director_sees_each_seccion_with_counts(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        r = client.get(self.url(mundo.ie_uno))
        assert r.status_code == 200
        conteos = {s.letra: c for s, c in r.context["secciones"]}
        assert set(conteos) == {"A", "B"}
        assert (conteos["A"].alto, conteos["A"].medio, conteos["A"].bajo) == (1, 1, 1)
        assert conteos["B"].alto == 1

    def test_director_of_other_ie_gets_404(self, client, mundo, puntajes):
        from alerta.models import Rol
        from tests.factories import UsuarioFactory, asignar

        otro = UsuarioFactory()
        asignar(otro, Rol.DIRECTOR, ie=mundo.ie_dos, anio=2026)
        client.force_login(otro)
        assert client.get(self.url(mundo.ie_uno)).status_code == 404

    def test_tutor_gets_404_for_her_own_ie(self, client, mundo, puntajes):
        client.force_login(mundo.tutora)
        assert client.get(self.url(mundo.ie_uno)).status_code == 404

    def test_query_count_does_not_grow_with_students(
        self, client, mundo, puntajes, django_assert_max_num_queries
    ):
        from tests.factories import MatriculaFactory

        MatriculaFactory.create_batch(25, seccion=mundo.seccion_b)
        client.force_login(mundo.director)
        with django_assert_max_num_queries(10):
            client.get(self.url(mundo.ie_uno))
