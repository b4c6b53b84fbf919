"""Every sign-in is recorded, whatever the way in."""

import pytest
from django.urls import reverse

from alerta.models import Usuario
from monitoreo.models import Ingreso


@pytest.mark.django_db
def test_signing_in_through_the_form_records_one_ingreso(client):
    usuario = Usuario.objects.create_user(
        username="docente", password="Clave-larga-2026"
    )
    respuesta = client.post(
        reverse("login"), {"username": "docente", "password": "Clave-larga-2026"}
    )
    assert respuesta.status_code == 302
    assert list(Ingreso.objects.values_list("usuario_id", flat=True)) == [usuario.pk]


@pytest.mark.django_db
def test_a_failed_sign_in_records_nothing(client):
    Usuario.objects.create_user(username="docente", password="Clave-larga-2026")
    respuesta = client.post(
        reverse("login"), {"username": "docente", "password": "otra"}
    )
    assert respuesta.status_code == 200
    assert not Ingreso.objects.exists()
