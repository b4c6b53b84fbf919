"""The portal page of personal API tokens: each user creates, sees and revokes
their own, and nobody else's."""

import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alerta.models import TokenApi
from alerta.services import token_api_crear
from tests.test_permisos import PERSONAS

pytestmark = pytest.mark.django_db

PAGINA = reverse("tokens")
SECRETO = re.compile(r'<code class="partir secreto">([^<]+)</code>')


def _crear(client, **datos):
    datos = {"nombre": "Reporte semanal", "dias": "30", **datos}
    return client.post(PAGINA, datos)


def _revocar(token_id: int) -> str:
    return reverse("token_revocar", args=[token_id])


def test_it_shows_the_form_with_the_default_days(client, mundo, settings):
    settings.TOKEN_API_DIAS_POR_DEFECTO = 45
    settings.TOKEN_API_DIAS_MAXIMO = 100
    client.force_login(mundo.tutora)
    r = client.get(PAGINA)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'value="45"' in html
    assert 'max="100"' in html
    assert "Aún no tiene tokens." in html


def test_it_creates_a_token_and_shows_its_secret_once(client, mundo):
    client.force_login(mundo.tutora)
    r = _crear(client, nombre="Hoja de la UGEL", dias="30", solo_lectura="on")
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"]
    html = r.content.decode()
    secretos = SECRETO.findall(html)
    assert len(secretos) == 1
    secreto = secretos[0]
    assert "Cópielo ahora: no se volverá a mostrar." in html

    token = TokenApi.objects.get(usuario=mundo.tutora)
    assert token.nombre == "Hoja de la UGEL"
    assert token.solo_lectura is True
    assert token.hash == hashlib.sha256(secreto.encode()).hexdigest()
    assert 29 <= (token.expira - token.creado).days <= 30
    # It works on the API...
    assert (
        client.get(reverse("api:yo"), HTTP_AUTHORIZATION=f"Token {secreto}").json()[
            "credencial"
        ]
        == "token"
    )
    # ...and the page never shows it again, only its prefix.
    despues = client.get(PAGINA).content.decode()
    assert secreto not in despues
    assert token.prefijo in despues
    assert "Solo lectura" in despues


def test_an_unchecked_box_makes_a_full_token(client, mundo):
    client.force_login(mundo.tutora)
    _crear(client)
    assert TokenApi.objects.get(usuario=mundo.tutora).solo_lectura is False


def test_days_above_the_maximum_are_refused_in_spanish(client, mundo, settings):
    settings.TOKEN_API_DIAS_MAXIMO = 60
    client.force_login(mundo.tutora)
    r = _crear(client, dias="61")
    assert r.status_code == 200
    assert "Un token dura como máximo 60 días." in r.content.decode()
    assert not SECRETO.search(r.content.decode())
    assert not TokenApi.objects.exists()


def test_zero_days_are_refused(client, mundo):
    client.force_login(mundo.tutora)
    r = _crear(client, dias="0")
    assert "Un token dura al menos 1 día." in r.content.decode()
    assert not TokenApi.objects.exists()


def test_the_service_refuses_days_above_the_maximum_too(mundo, settings):
    settings.TOKEN_API_DIAS_MAXIMO = 10
    with pytest.raises(ValidationError):
        token_api_crear(usuario=mundo.tutora, nombre="x", dias=11, solo_lectura=True)


def test_it_lists_only_the_users_own_tokens(client, mundo):
    token_api_crear(usuario=mundo.tutora, nombre="De Tania", dias=5, solo_lectura=True)
    ajeno, _s = token_api_crear(
        usuario=mundo.director, nombre="De Diego", dias=5, solo_lectura=True
    )
    client.force_login(mundo.tutora)
    html = client.get(PAGINA).content.decode()
    assert "De Tania" in html
    assert "De Diego" not in html
    assert ajeno.prefijo not in html
    assert _revocar(ajeno.pk) not in html


def test_the_list_costs_the_same_queries_with_more_tokens(
    client, mundo, django_assert_max_num_queries
):
    client.force_login(mundo.tutora)
    for i in range(10):
        token_api_crear(usuario=mundo.tutora, nombre=f"t{i}", dias=5, solo_lectura=True)
    with django_assert_max_num_queries(8):
        assert client.get(PAGINA).status_code == 200


def test_it_revokes_the_users_own_token(client, mundo):
    token, secreto = token_api_crear(
        usuario=mundo.tutora, nombre="Vieja", dias=5, solo_lectura=False
    )
    client.force_login(mundo.tutora)
    r = client.post(_revocar(token.pk), follow=True)
    assert r.redirect_chain == [(PAGINA, 302)]
    assert "Se revocó el token «Vieja»." in r.content.decode()
    assert "Revocado el" in r.content.decode()
    token.refresh_from_db()
    assert token.revocado is not None
    api = client.get(reverse("api:yo"), HTTP_AUTHORIZATION=f"Token {secreto}")
    assert api.status_code == 401


def test_revoking_another_users_token_is_404(client, mundo):
    token, _s = token_api_crear(
        usuario=mundo.director, nombre="De Diego", dias=5, solo_lectura=False
    )
    client.force_login(mundo.tutora)
    assert client.post(_revocar(token.pk)).status_code == 404
    token.refresh_from_db()
    assert token.revocado is None


def test_revoking_a_token_that_does_not_exist_is_404(client, mundo):
    client.force_login(mundo.tutora)
    assert client.post(_revocar(999_999)).status_code == 404


def test_revoking_takes_only_a_post(client, mundo):
    token, _s = token_api_crear(
        usuario=mundo.tutora, nombre="x", dias=5, solo_lectura=False
    )
    client.force_login(mundo.tutora)
    assert client.get(_revocar(token.pk)).status_code == 405
    token.refresh_from_db()
    assert token.revocado is None


def test_anonymous_is_sent_to_login(client, mundo):
    token, _s = token_api_crear(
        usuario=mundo.tutora, nombre="x", dias=5, solo_lectura=False
    )
    for r in (client.get(PAGINA), client.post(PAGINA), client.post(_revocar(token.pk))):
        assert r.status_code == 302
        assert r["Location"].startswith(reverse("login"))
    token.refresh_from_db()
    assert token.revocado is None


def test_the_user_menu_links_to_the_page(client, mundo):
    client.force_login(mundo.tutora)
    assert f'href="{PAGINA}"' in client.get(reverse("inicio")).content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_revokes_its_own_token_and_nobody_elses(
    client,
    mundo_con_pasado,
    persona,
):
    usuario = getattr(mundo_con_pasado, persona)
    propio, _s = token_api_crear(
        usuario=usuario, nombre="propio", dias=5, solo_lectura=True
    )
    otro = (
        mundo_con_pasado.nacional if persona != "nacional" else mundo_con_pasado.tutora
    )
    ajeno, _s = token_api_crear(usuario=otro, nombre="ajeno", dias=5, solo_lectura=True)
    client.force_login(usuario)
    assert client.get(PAGINA).status_code == 200
    assert client.post(_revocar(ajeno.pk)).status_code == 404
    assert client.post(_revocar(propio.pk)).status_code == 302
    ajeno.refresh_from_db()
    propio.refresh_from_db()
    assert ajeno.revocado is None
    assert propio.revocado is not None


def test_reloading_the_page_after_creating_makes_no_second_token(client, mundo):
    client.force_login(mundo.tutora)
    envio = re.search(
        r'name="envio" value="([^"]+)"', client.get(PAGINA).content.decode()
    ).group(1)
    primera = _crear(client, envio=envio)
    assert len(SECRETO.findall(primera.content.decode())) == 1
    # The browser's reload sends the same form again.
    otra_vez = _crear(client, envio=envio)
    assert otra_vez.status_code == 302
    aviso = client.get(otra_vez.url).content.decode()
    assert "ya se envió" in aviso
    assert not SECRETO.findall(aviso)
    assert TokenApi.objects.filter(usuario=mundo.tutora).count() == 1
    # A new form (a new id) makes a new token.
    nuevo_envio = re.search(r'name="envio" value="([^"]+)"', aviso).group(1)
    assert nuevo_envio != envio
    _crear(client, envio=nuevo_envio)
    assert TokenApi.objects.filter(usuario=mundo.tutora).count() == 2
