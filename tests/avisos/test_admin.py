"""The admin lists preferences and claims; a claim is never written by hand."""

import pytest
from django.urls import reverse

from avisos.models import EnvioResumen
from avisos.services import preferencia_avisos_guardar
from tests.factories import UsuarioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(
        UsuarioFactory(username="admin", is_staff=True, is_superuser=True)
    )
    return client


def test_a_superuser_lists_preferences_and_claims(admin_client):
    usuario = UsuarioFactory(username="ana.docente")
    preferencia_avisos_guardar(usuario=usuario, resumen_semanal=False)
    EnvioResumen.objects.create(usuario=usuario, semana="2026-11-30")
    for nombre in ("avisos_preferenciaavisos", "avisos_envioresumen"):
        r = admin_client.get(reverse(f"admin:{nombre}_changelist"))
        assert r.status_code == 200
        assert "ana.docente" in r.content.decode()


def test_a_claim_cannot_be_added_or_changed_but_can_be_deleted(admin_client):
    envio = EnvioResumen.objects.create(usuario=UsuarioFactory(), semana="2026-11-30")
    assert admin_client.get(reverse("admin:avisos_envioresumen_add")).status_code == 403
    r = admin_client.post(
        reverse("admin:avisos_envioresumen_delete", args=[envio.pk]), {"post": "yes"}
    )
    assert r.status_code == 302
    assert not EnvioResumen.objects.exists()
