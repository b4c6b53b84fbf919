"""The demo's use is plausible and honest: some teachers never sign in,
nothing is dated after today, references are opaque, and a second run
writes nothing."""

from datetime import date

import pytest
from django.utils import timezone

from alerta.models import RegistroAcceso, Rol
from monitoreo.models import Ingreso
from monitoreo.sintetico import uso_generar
from orientaciones.models import Lectura
from tests.factories import SeccionFactory, UsuarioFactory, asignar

pytestmark = pytest.mark.django_db

HOY = date(2026, 11, 20)


@pytest.fixture
def muchos(mundo):
    for i in range(40):
        asignar(
            UsuarioFactory(),
            Rol.TUTOR,
            seccion=SeccionFactory(ie=mundo.ie_dos, letra=f"X{i}"),
        )
    return mundo


def test_some_teachers_never_sign_in_and_the_others_now_and_then(muchos):
    resumen = uso_generar(semilla=5, hoy=HOY)
    assert resumen.ingresos == Ingreso.objects.count() > 0
    con_ingreso = set(Ingreso.objects.values_list("usuario_id", flat=True))
    # 43 teachers (the world's three and forty more): about a quarter never.
    assert 20 < len(con_ingreso) < 43
    # Nobody who is not a current teacher.
    assert muchos.ugel.pk not in con_ingreso
    assert all(
        timezone.localtime(f).date() <= HOY
        for f in Ingreso.objects.values_list("fecha", flat=True)
    )
    # The last sign-in is each user's last_login; who never signed in has none.
    from django.db.models import Max

    from alerta.models import Usuario

    ultimos = dict(
        Ingreso.objects.values_list("usuario_id").annotate(m=Max("fecha")).order_by()
    )
    for u in Usuario.objects.all():
        assert u.last_login == ultimos.get(u.pk), u.username


def test_access_rows_name_objects_by_opaque_reference(muchos):
    uso_generar(semilla=5, hoy=HOY)
    objetos = set(RegistroAcceso.objects.values_list("objeto", flat=True))
    assert objetos
    assert all(o.split(":", 1)[0] in {"seccion", "ie", "estudiante"} for o in objetos)
    assert Lectura.objects.exists()


def test_it_is_deterministic_and_runs_once(muchos):
    uso_generar(semilla=5, hoy=HOY)
    firma = sorted(Ingreso.objects.values_list("usuario_id", "fecha"))
    assert uso_generar(semilla=5, hoy=HOY).ya_habia
    assert sorted(Ingreso.objects.values_list("usuario_id", "fecha")) == firma
    Ingreso.objects.all().delete()
    RegistroAcceso.objects.all().delete()
    Lectura.objects.all().delete()
    uso_generar(semilla=5, hoy=HOY)
    assert sorted(Ingreso.objects.values_list("usuario_id", "fecha")) == firma
