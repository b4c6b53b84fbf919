"""Every opening of a guidance item is recorded: who, which, when."""

import pytest
from django.urls import reverse

from orientaciones.models import Audiencia, Lectura, Orientacion


@pytest.mark.django_db
def test_opening_an_item_records_who_read_which_and_when(client, tutor):
    orientacion = Orientacion.objects.get(slug="tutoria-individual")
    client.force_login(tutor)
    assert client.get(orientacion.get_absolute_url()).status_code == 200
    client.get(orientacion.get_absolute_url())
    lecturas = list(Lectura.objects.filter(usuario=tutor))
    assert len(lecturas) == 2
    assert {lectura.orientacion_id for lectura in lecturas} == {orientacion.pk}
    assert all(lectura.fecha is not None for lectura in lecturas)


@pytest.mark.django_db
def test_an_item_out_of_reach_records_no_reading(client, tutor):
    # An item for specialists is a 404 for a tutor, and nothing is recorded.
    ajena = (
        Orientacion.objects.publicadas()
        .filter(audiencia=Audiencia.ESPECIALISTA)
        .first()
    )
    client.force_login(tutor)
    assert client.get(ajena.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("orientaciones:detalle", args=["no-existe"])).status_code
        == 404
    )
    assert not Lectura.objects.exists()


@pytest.mark.django_db
def test_the_list_records_no_reading(client, tutor):
    client.force_login(tutor)
    assert client.get(reverse("orientaciones:lista")).status_code == 200
    assert not Lectura.objects.exists()
