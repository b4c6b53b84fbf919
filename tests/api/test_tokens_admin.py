"""API tokens in the admin: listed and revoked, never created, edited or
shown with their hash."""

import pytest
from django.urls import reverse

from alerta.models import TokenApi
from alerta.services import token_api_crear
from tests.factories import UsuarioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UsuarioFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def token(mundo):
    token, _secreto = token_api_crear(
        usuario=mundo.tutora, nombre="Hoja UGEL", dias=5, solo_lectura=True
    )
    return token


def test_it_lists_tokens_without_their_hash(admin_client, token):
    r = admin_client.get(reverse("admin:alerta_tokenapi_changelist"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Hoja UGEL" in html and token.prefijo in html
    assert token.hash not in html


def test_its_page_is_read_only_and_without_the_hash(admin_client, token):
    url = reverse("admin:alerta_tokenapi_change", args=[token.pk])
    r = admin_client.get(url)
    assert r.status_code == 200
    assert token.hash not in r.content.decode()
    assert 'name="nombre"' not in r.content.decode()
    admin_client.post(url, {"nombre": "otro"})
    token.refresh_from_db()
    assert token.nombre == "Hoja UGEL"


def test_no_token_is_added_in_the_admin(admin_client, token):
    r = admin_client.get(reverse("admin:alerta_tokenapi_add"))
    assert r.status_code == 403


def test_the_action_revokes_the_selected_tokens(admin_client, token, mundo):
    otro, _s = token_api_crear(
        usuario=mundo.director, nombre="otro", dias=5, solo_lectura=True
    )
    r = admin_client.post(
        reverse("admin:alerta_tokenapi_changelist"),
        {"action": "revocar", "_selected_action": [token.pk]},
    )
    assert r.status_code == 302
    assert TokenApi.objects.get(pk=token.pk).revocado is not None
    assert TokenApi.objects.get(pk=otro.pk).revocado is None
