"""The rules of a version's life live in riesgo.versiones, whoever calls it
(the model page, a command, the shell)."""

import pytest
from django.utils import timezone

from riesgo.models import EstadoModelo, ModeloRiesgo
from riesgo.versiones import NoPublicada, modelo_retirar, version_anterior

from .test_vistas_modelos import modelo


@pytest.mark.django_db
@pytest.mark.parametrize(
    "estado", [e for e in EstadoModelo.values if e != EstadoModelo.PUBLICADO]
)
def test_retiring_a_version_that_is_not_published_is_refused(estado):
    publicada = modelo(1, estado=EstadoModelo.PUBLICADO, publicado_en=timezone.now())
    otra = modelo(2, estado=estado)
    with pytest.raises(NoPublicada, match="Solo se puede retirar la versión publicada"):
        modelo_retirar(modelo=otra)
    otra.refresh_from_db()
    assert (otra.estado, otra.retirado_en) == (estado, None)
    # Nothing a restore would bring back, and the published one stays.
    assert version_anterior() is None
    assert ModeloRiesgo.objects.publicado() == publicada


@pytest.mark.django_db
def test_the_published_version_is_retired():
    publicada = modelo(1, estado=EstadoModelo.PUBLICADO, publicado_en=timezone.now())
    modelo_retirar(modelo=publicada)
    publicada.refresh_from_db()
    assert publicada.estado == EstadoModelo.RETIRADO
    assert publicada.retirado_en is not None
    assert version_anterior() == publicada
