"""The rules of follow-up records, whatever door they come through."""

import importlib
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from seguimiento import scoping
from seguimiento.models import (
    AccionSeguimiento,
    EstadoAccion,
    RegistroMensual,
    TipoAccion,
)
from seguimiento.services import (
    Conflicto,
    accion_corregir,
    accion_crear,
    mes_actual,
    registro_mensual_guardar,
)
from tests.factories import Rol, UsuarioFactory, accion, asignar, registro_mensual

pytestmark = pytest.mark.django_db

CATALOGO = importlib.import_module(
    "seguimiento.migrations.0002_catalogo_tipos"
).CATALOGO


def test_el_catalogo_de_tipos_es_el_fijo_y_en_castellano():
    assert list(TipoAccion.objects.values_list("codigo", "nombre")) == CATALOGO
    assert TipoAccion.objects.vigentes().count() == 8


def test_un_tipo_retirado_se_conserva_y_no_se_elige(mundo):
    tipo = TipoAccion.objects.get(codigo="flexibilidad_horario")
    vieja = accion(mundo.tutora, mundo.matriculas_a[0], tipo=tipo)
    tipo.retirado_en = timezone.now()
    tipo.save()
    with pytest.raises(ValidationError) as error:
        accion(mundo.tutora, mundo.matriculas_a[1], tipo=tipo)
    assert "ya no se usa" in str(error.value)
    # The earlier action keeps its kind, and can still be corrected.
    accion_corregir(vieja, autor=mundo.tutora, nota="Se acordó horario.")
    vieja.refresh_from_db()
    assert vieja.tipo == tipo
    with pytest.raises(IntegrityError), transaction.atomic():
        tipo.delete()


def test_el_mismo_id_enviado_dos_veces_guarda_una_accion(mundo):
    m = mundo.matriculas_a[0]
    clave = uuid.uuid4()
    tipo = TipoAccion.objects.get(codigo="reforzamiento")
    primera, creada = accion_crear(
        autor=mundo.tutora,
        estudiante=m.estudiante,
        seccion=m.seccion,
        tipo=tipo,
        fecha=timezone.localdate(),
        uuid=clave,
    )
    otra_vez, creada_otra_vez = accion_crear(
        autor=mundo.tutora,
        estudiante=m.estudiante,
        seccion=m.seccion,
        tipo=tipo,
        fecha=timezone.localdate(),
        nota="otra",
        uuid=clave,
    )
    assert (creada, creada_otra_vez) == (True, False)
    assert otra_vez.pk == primera.pk and otra_vez.nota == ""
    assert AccionSeguimiento.objects.count() == 1


def test_cada_correccion_guarda_la_version_anterior_con_su_autor(mundo):
    hecha = accion(mundo.tutora, mundo.matriculas_a[0], nota="Llamé a la madre.")
    accion_corregir(
        hecha, autor=mundo.tutora, nota="Llamé a la madre; vendrá el lunes."
    )
    accion_corregir(hecha, autor=mundo.tutora, estado=EstadoAccion.SIN_CONTACTO)
    versiones = list(hecha.versiones.order_by("history_date"))
    assert [v.nota for v in versiones] == [
        "Llamé a la madre.",
        "Llamé a la madre; vendrá el lunes.",
        "Llamé a la madre; vendrá el lunes.",
    ]
    assert [v.estado for v in versiones][-1] == EstadoAccion.SIN_CONTACTO
    assert {v.history_user for v in versiones} == {mundo.tutora}


def test_fecha_futura_solo_planificada_y_factores_conocidos(mundo):
    manana = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError):
        accion(mundo.tutora, mundo.matriculas_a[0], fecha=manana)
    planificada = accion(
        mundo.tutora,
        mundo.matriculas_a[0],
        fecha=manana,
        estado=EstadoAccion.PLANIFICADA,
        factores=["pobreza", "inasistencias", "pobreza"],
    )
    assert planificada.factores == ["inasistencias", "pobreza"]
    with pytest.raises(ValidationError):
        accion(mundo.tutora, mundo.matriculas_a[0], factores=["no_existe"])


def test_la_nota_reservada_la_leen_su_autora_y_el_director_de_su_ie(mundo):
    hecha = accion(
        mundo.tutora, mundo.matriculas_a[0], nota="Situación de salud.", reservada=True
    )
    lectores = {
        nombre
        for nombre in ("tutora", "director", "ugel", "dre", "nacional")
        if scoping.lee_nota(getattr(mundo, nombre), hecha)
    }
    assert lectores == {"tutora", "director"}
    otra_tutora = UsuarioFactory()
    asignar(otra_tutora, Rol.TUTOR, seccion=mundo.seccion_a)
    assert not scoping.lee_nota(otra_tutora, hecha)
    abierta = accion(mundo.tutora, mundo.matriculas_a[0], nota="Reforzamiento.")
    assert scoping.lee_nota(otra_tutora, abierta)


def test_la_autora_corrige_durante_el_plazo_y_nadie_mas(mundo, settings):
    settings.SEGUIMIENTO_DIAS_CORRECCION = 5
    hecha = accion(mundo.tutora, mundo.matriculas_a[0])
    assert scoping.puede_corregir(mundo.tutora, hecha)
    assert not scoping.puede_corregir(mundo.director, hecha)
    AccionSeguimiento.objects.filter(pk=hecha.pk).update(
        creada=timezone.now() - timedelta(days=5, minutes=1)
    )
    hecha.refresh_from_db()
    assert not scoping.puede_corregir(mundo.tutora, hecha)


def test_escriben_el_tutor_de_la_seccion_y_el_director_de_la_ie(mundo):
    estudiante = mundo.matriculas_a[0].estudiante
    escriben = {
        nombre
        for nombre in (
            "tutora",
            "director",
            "tutor_otra_ie",
            "ugel",
            "ugel_otra",
            "dre",
            "nacional",
        )
        if scoping.seccion_de_registro(getattr(mundo, nombre), estudiante)
    }
    assert escriben == {"tutora", "director"}


def test_un_registro_por_estudiante_y_mes_en_la_base(mundo):
    m = mundo.matriculas_a[0]
    registro_mensual(mundo.tutora, m)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistroMensual.objects.create(
            estudiante=m.estudiante,
            seccion=m.seccion,
            mes=mes_actual(),
            contactado=False,
            autor=mundo.director,
        )


def test_otro_id_para_el_mismo_mes_es_un_conflicto_con_lo_guardado(mundo):
    m = mundo.matriculas_a[0]
    clave = uuid.uuid4()
    guardado = registro_mensual(mundo.tutora, m, uuid=clave, sigue_clases="NO")
    # The same id again updates the record (a tap changed offline).
    otra_vez = registro_mensual(mundo.tutora, m, uuid=clave, sigue_clases="EN_PARTE")
    assert otra_vez.pk == guardado.pk and otra_vez.sigue_clases == "EN_PARTE"
    with pytest.raises(Conflicto) as conflicto:
        registro_mensual(mundo.director, m, uuid=uuid.uuid4(), contactado=False)
    assert conflicto.value.existente.pk == guardado.pk
    assert RegistroMensual.objects.count() == 1


def test_sin_contacto_no_hay_medio_y_no_se_registra_el_mes_siguiente(mundo):
    m = mundo.matriculas_a[0]
    hecho = registro_mensual(mundo.tutora, m, contactado=False, medio="LLAMADA")
    assert hecho.medio == ""
    siguiente = (mes_actual() + timedelta(days=32)).replace(day=1)
    with pytest.raises(ValidationError):
        registro_mensual_guardar(
            autor=mundo.tutora,
            estudiante=m.estudiante,
            seccion=m.seccion,
            mes=siguiente,
            contactado=True,
        )


@pytest.mark.django_db(transaction=True)
def test_the_catalogue_comes_back_after_a_flush():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert list(TipoAccion.objects.values_list("codigo", "nombre")) == CATALOGO
