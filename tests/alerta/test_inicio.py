import pytest
from django.urls import reverse

from riesgo.scoring import agregados_escribir


@pytest.fixture
def agregados(puntajes):
    agregados_escribir(puntajes)
    return puntajes


@pytest.mark.django_db
class TestInicio:
    def test_tutor_home_lists_her_seccion_with_counts(self, client, mundo, puntajes):
        client.force_login(mundo.tutora)
        r = client.get(reverse("inicio"))
        assert r.status_code == 200
        [(seccion, conteo)] = r.context["mis_secciones"]
        assert seccion == mundo.seccion_a
        assert (conteo.alto, conteo.medio, conteo.bajo) == (1, 1, 1)
        assert r.context["ies"] == [] and r.context["rankings"] == []
        assert r.context["tableros_dre"] == [] and not r.context["ve_nacional"]

    def test_director_home_shows_his_ie_only(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        r = client.get(reverse("inicio"))
        [(ie, conteo)] = r.context["ies"]
        assert ie == mundo.ie_uno
        # 3 in sección A plus 1 in sección B, none from IE Dos.
        assert conteo.total == 4

    def test_ugel_specialist_home_shows_her_ugel_and_not_the_other(
        self, client, mundo, agregados
    ):
        client.force_login(mundo.ugel)
        r = client.get(reverse("inicio"))
        [(ugel, ranking)] = r.context["rankings"]
        assert ugel == mundo.ugel_norte
        assert [ie for ie, _c in ranking] == [mundo.ie_uno, mundo.ie_dos]
        assert (ranking[0][1].alto, ranking[0][1].medio) == (2, 1)
        html = r.content.decode()
        assert "UGEL SUR" not in html and "IE SUR" not in html
        assert reverse("ugel_detalle", args=[mundo.ugel_norte.codigo]) in html

    def test_dre_specialist_home_links_to_the_dre_dashboard(
        self, client, mundo, agregados
    ):
        client.force_login(mundo.dre)
        r = client.get(reverse("inicio"))
        [(dre, conteo)] = r.context["tableros_dre"]
        assert dre == mundo.ugel_norte.dre
        # IE Uno (2 alto, 1 medio, 1 bajo), IE Dos and IE Sur (1 bajo each).
        assert (conteo.alto, conteo.medio, conteo.bajo) == (2, 1, 3)
        assert r.context["rankings"] == [] and not r.context["ve_nacional"]
        html = r.content.decode()
        assert reverse("dre_detalle", args=[dre.pk]) in html
        assert reverse("nacional") not in html

    def test_national_home_links_to_the_national_dashboard(
        self, client, mundo, agregados
    ):
        client.force_login(mundo.nacional)
        r = client.get(reverse("inicio"))
        assert r.context["ve_nacional"] is True
        assert r.context["total_nacional"].total == 6
        assert reverse("nacional") in r.content.decode()

    def test_user_without_roles_is_told_so(self, client, mundo):
        from tests.factories import UsuarioFactory

        client.force_login(UsuarioFactory())
        r = client.get(reverse("inicio"))
        assert r.context["sin_rol"] is True
        assert "no tiene un rol asignado" in r.content.decode()

    def test_last_years_tutor_is_told_she_has_no_role_this_year(
        self, client, mundo, puntajes
    ):
        from tests.factories import (
            MatriculaFactory,
            Rol,
            SeccionFactory,
            UsuarioFactory,
            asignar,
        )

        del_anio_pasado = SeccionFactory(ie=mundo.ie_uno, anio=2025, grado=2)
        MatriculaFactory(
            estudiante=mundo.matriculas_a[0].estudiante, seccion=del_anio_pasado
        )
        tutor = UsuarioFactory()
        asignar(tutor, Rol.TUTOR, seccion=del_anio_pasado)
        client.force_login(tutor)
        r = client.get(reverse("inicio"))
        assert r.context["mis_secciones"] == [] and r.context["sin_rol"] is True
        html = r.content.decode()
        assert "no tiene un rol asignado en el año escolar 2026" in html
        assert reverse("seccion_detalle", args=[del_anio_pasado.uuid]) not in html

    def test_anonymous_goes_to_login(self, client, db):
        r = client.get(reverse("inicio"))
        assert r.status_code == 302 and reverse("login") in r["Location"]


@pytest.mark.django_db
def test_login_with_password_reaches_home(client, mundo):
    from tests.factories import CLAVE

    r = client.post(
        reverse("login"), {"username": "tania", "password": CLAVE}, follow=True
    )
    assert r.status_code == 200
    assert r.context["user"] == mundo.tutora


@pytest.mark.django_db
def test_login_with_a_wrong_password_says_so_in_spanish(client, mundo):
    r = client.post(reverse("login"), {"username": "tania", "password": "mala"})
    assert "Usuario o contraseña incorrectos" in r.content.decode()


@pytest.mark.django_db
def test_logout_needs_post_and_ends_the_session(client, mundo):
    client.force_login(mundo.tutora)
    client.post(reverse("logout"))
    assert client.get(reverse("inicio")).status_code == 302
