import pytest
from django.urls import reverse


@pytest.mark.django_db
class TestInicio:
    def test_tutor_home_lists_her_seccion_with_counts(self, client, mundo, puntajes):
        client.force_login(mundo.tutora)
        r = client.get(reverse("inicio"))
        assert r.status_code == 200
        [(seccion, conteo)] = r.context["mis_secciones"]
        assert seccion == mundo.seccion_a
        assert (conteo.alto, conteo.medio, conteo.bajo) == (1, 1, 1)
        assert r.context["ies"] == [] and r.context["ugeles"] == []

    def test_director_home_shows_his_ie_only(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        r = client.get(reverse("inicio"))
        [(ie, conteo)] = r.context["ies"]
        assert ie == mundo.ie_uno
        # 3 in sección A plus 1 in sección B, none from IE Dos.
        assert conteo.total == 4

    def test_ugel_specialist_home_shows_her_ugel_and_not_the_other(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.ugel)
        r = client.get(reverse("inicio"))
        [(ugel, ranking)] = r.context["rankings"]
        assert ugel == mundo.ugel_norte
        assert [ie for ie, _c in ranking] == [mundo.ie_uno, mundo.ie_dos]
        assert (ranking[0][1].alto, ranking[0][1].medio) == (2, 1)
        html = r.content.decode()
        assert "UGEL SUR" not in html and "IE SUR" not in html

    def test_dre_specialist_home_compares_the_ugels_of_the_dre(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.dre)
        r = client.get(reverse("inicio"))
        assert {u for u, _c in r.context["ugeles"]} == {
            mundo.ugel_norte,
            mundo.ugel_sur,
        }
        assert r.context["rankings"] == []

    def test_user_without_roles_is_told_so(self, client, mundo):
        from tests.factories import UsuarioFactory

        client.force_login(UsuarioFactory())
        r = client.get(reverse("inicio"))
        assert r.context["sin_rol"] is True
        assert "no tiene un rol asignado" in r.content.decode()

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
