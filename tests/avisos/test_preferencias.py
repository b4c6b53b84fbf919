"""/cuenta/avisos/: each user switches their own weekly digest on and off."""

import pytest
from django.test import Client
from django.urls import reverse

from avisos.models import PreferenciaAvisos
from avisos.services import recibe_resumen_semanal

pytestmark = pytest.mark.django_db

URL = reverse("avisos:preferencias")


def test_anonymous_is_sent_to_login(client):
    r = client.get(URL)
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login"))
    assert client.post(URL, {"resumen_semanal": "on"}).status_code == 302
    assert not PreferenciaAvisos.objects.exists()


def test_it_shows_the_box_ticked_when_nothing_was_chosen(client, mundo):
    client.force_login(mundo.tutora)
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'name="resumen_semanal"' in html
    assert "checked" in html
    assert "Recibir el resumen semanal por correo" in html


def test_it_is_linked_from_the_menu(client, mundo):
    client.force_login(mundo.tutora)
    r = client.get(reverse("inicio"))
    assert f'href="{URL}"' in r.content.decode()


def test_unticking_it_switches_it_off_and_says_so(client, mundo):
    client.force_login(mundo.tutora)
    r = client.post(URL, {}, follow=True)
    assert r.redirect_chain == [(URL, 302)]
    assert "Ya no recibirá el resumen semanal." in r.content.decode()
    assert not recibe_resumen_semanal(mundo.tutora)
    assert "checked" not in r.content.decode()


def test_ticking_it_again_switches_it_on(client, mundo):
    client.force_login(mundo.tutora)
    client.post(URL, {})
    r = client.post(URL, {"resumen_semanal": "on"}, follow=True)
    assert "Recibirá el resumen semanal por correo." in r.content.decode()
    assert recibe_resumen_semanal(mundo.tutora)
    assert PreferenciaAvisos.objects.filter(usuario=mundo.tutora).count() == 1


def test_it_changes_only_the_users_own_choice(client, mundo):
    client.force_login(mundo.tutora)
    client.post(URL, {})
    assert not recibe_resumen_semanal(mundo.tutora)
    assert recibe_resumen_semanal(mundo.director)
    assert list(PreferenciaAvisos.objects.values_list("usuario", flat=True)) == [
        mundo.tutora.pk
    ]


def test_a_post_without_the_csrf_token_is_refused(mundo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mundo.tutora)
    assert client.post(URL, {}).status_code == 403
    assert recibe_resumen_semanal(mundo.tutora)


def test_a_user_without_an_address_is_told_they_will_not_get_it(client, mundo):
    client.force_login(mundo.tutora)
    assert "no tiene un correo electrónico" in client.get(URL).content.decode()
    mundo.tutora.email = "tania@ejemplo.pe"
    mundo.tutora.save(update_fields=["email"])
    assert "no tiene un correo electrónico" not in client.get(URL).content.decode()
