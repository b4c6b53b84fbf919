import pytest
from django.urls import reverse

from riesgo.scoring import agregados_escribir


@pytest.fixture
def agregados(puntajes):
    agregados_escribir(puntajes)
    return puntajes


@pytest.mark.django_db
class TestUgelDetalle:
    def url(self, ugel):
        return reverse("ugel_detalle", args=[ugel.codigo])

    def test_specialist_sees_ies_ranked_by_students_at_medium_and_high_risk(
        self, client, mundo, agregados
    ):
        client.force_login(mundo.ugel)
        r = client.get(self.url(mundo.ugel_norte))
        assert r.status_code == 200
        filas = r.context["filas"]
        assert [ie for ie, _c in filas] == [mundo.ie_uno, mundo.ie_dos]
        uno = filas[0][1]
        assert (uno.alto, uno.medio, uno.bajo, uno.total) == (2, 1, 1, 4)
        assert (uno.en_riesgo, round(uno.pct_en_riesgo)) == (3, 75)

    def test_each_ie_links_to_its_page(self, client, mundo, agregados):
        client.force_login(mundo.ugel)
        html = client.get(self.url(mundo.ugel_norte)).content.decode()
        assert reverse("ie_detalle", args=[mundo.ie_uno.codigo]) in html
        assert reverse("ugel_capacitaciones", args=[mundo.ugel_norte.codigo]) in html

    def test_specialist_of_other_ugel_gets_404(self, client, mundo, agregados):
        client.force_login(mundo.ugel_otra)
        assert client.get(self.url(mundo.ugel_norte)).status_code == 404

    @pytest.mark.parametrize("persona", ["tutora", "director"])
    def test_tutor_and_director_get_404(self, client, mundo, agregados, persona):
        client.force_login(getattr(mundo, persona))
        assert client.get(self.url(mundo.ugel_norte)).status_code == 404

    def test_no_student_name_appears_on_the_aggregate_page(
        self, client, mundo, agregados
    ):
        client.force_login(mundo.ugel)
        html = client.get(self.url(mundo.ugel_norte)).content.decode()
        for m in mundo.matriculas_a:
            assert m.estudiante.nombres not in html
            assert m.estudiante.apellido_paterno not in html

    def test_without_a_run_the_page_says_so(self, client, mundo):
        client.force_login(mundo.ugel)
        r = client.get(self.url(mundo.ugel_norte))
        assert r.status_code == 200
        assert "Todavía no hay puntajes" in r.content.decode()
        assert r.context["filas"] == []
