import pytest
from django.urls import reverse


@pytest.mark.django_db
class TestUgelDetalle:
    def url(self, ugel):
        return reverse("ugel_detalle", args=[ugel.codigo])

    def test_specialist_sees_ies_ranked_by_students_at_medium_and_high_risk(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.ugel)
        r = client.get(self.url(mundo.ugel_norte))
        assert r.status_code == 200
        filas = r.context["ies"]
        assert [ie for ie, _c in filas] == [mundo.ie_uno, mundo.ie_dos]
        uno = filas[0][1]
        assert (uno.alto, uno.medio, uno.bajo, uno.total) == (2, 1, 1, 4)
        assert round(uno.pct_alto) == 50

    def test_specialist_of_other_ugel_gets_404(self, client, mundo, puntajes):
        client.force_login(mundo.ugel_otra)
        assert client.get(self.url(mundo.ugel_norte)).status_code == 404

    def test_no_student_name_appears_on_the_aggregate_page(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.ugel)
        html = client.get(self.url(mundo.ugel_norte)).content.decode()
        for m in mundo.matriculas_a:
            assert m.estudiante.nombres not in html
