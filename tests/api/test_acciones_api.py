"""The follow-up actions' API: contract, scoping of writes, idempotent
POSTs, reserved notes and corrections."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerta.services import token_api_crear
from seguimiento.models import AccionSeguimiento, TipoAccion
from tests.factories import accion
from tests.test_permisos import PERSONAS

pytestmark = pytest.mark.django_db

URL = reverse("api:accion-list")


def _detalle(hecha) -> str:
    return reverse("api:accion-detail", args=[hecha.uuid])


def _cuerpo(matricula, **campos) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "estudiante": str(matricula.estudiante.uuid),
        "tipo": "tutoria_individual",
        "fecha": timezone.localdate().isoformat(),
        "estado": "REALIZADA",
        "nota": "Conversamos sobre sus metas del bimestre.",
        "factores": ["bajo_rendimiento"],
        **campos,
    }


def _post(client, cuerpo, clave=None, **extra):
    clave = cuerpo.get("id") if clave is None else clave
    return client.post(
        URL,
        cuerpo,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=clave,
        **extra,
    )


def test_an_item_carries_the_contract_fields(client, mundo):
    hecha = accion(
        mundo.tutora, mundo.matriculas_a[0], nota="Llamé.", factores=["inasistencias"]
    )
    client.force_login(mundo.tutora)
    item = client.get(_detalle(hecha)).json()
    assert item["id"] == str(hecha.uuid)
    assert item["estudiante"] == str(mundo.matriculas_a[0].estudiante.uuid)
    assert item["seccion"] == str(mundo.seccion_a.uuid)
    assert item["tipo"] == "llamada_visita"
    assert item["tipo_nombre"] == "Llamada o visita a la familia"
    assert item["nota"] == "Llamé."
    assert item["factores"] == ["inasistencias"]
    assert item["corregible"] is True
    assert item["autor"]


def test_a_post_stores_once_and_a_repeat_gets_what_is_stored(client, mundo):
    client.force_login(mundo.tutora)
    cuerpo = _cuerpo(mundo.matriculas_a[0])
    primera = _post(client, cuerpo)
    assert primera.status_code == 201, primera.content
    # The outbox replays it (the answer was lost), even with other values.
    otra_vez = _post(client, {**cuerpo, "nota": "cambiada"})
    assert otra_vez.status_code == 200
    assert otra_vez.json() == primera.json()
    assert AccionSeguimiento.objects.count() == 1
    assert AccionSeguimiento.objects.get().uuid == uuid.UUID(cuerpo["id"])


def test_the_key_is_required_and_must_match_the_body(client, mundo):
    client.force_login(mundo.tutora)
    cuerpo = _cuerpo(mundo.matriculas_a[0])
    sin_clave = client.post(URL, cuerpo, content_type="application/json")
    assert sin_clave.status_code == 400
    assert "Idempotency-Key" in sin_clave.json()["detail"]
    otra = _post(client, cuerpo, clave=str(uuid.uuid4()))
    assert otra.status_code == 400
    assert "deben ser iguales" in otra.json()["detail"]
    assert not AccionSeguimiento.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_tutor_and_the_director_write_for_the_student(
    client, mundo_con_pasado, persona
):
    client.force_login(getattr(mundo_con_pasado, persona))
    r = _post(client, _cuerpo(mundo_con_pasado.matriculas_a[0]))
    assert r.status_code == (201 if persona in {"tutora", "director"} else 404)
    assert AccionSeguimiento.objects.count() == (r.status_code == 201)


def test_a_retired_kind_and_an_unknown_factor_are_refused_in_spanish(client, mundo):
    client.force_login(mundo.tutora)
    TipoAccion.objects.filter(codigo="reforzamiento").update(retirado_en=timezone.now())
    retirado = _post(client, _cuerpo(mundo.matriculas_a[0], tipo="reforzamiento"))
    assert retirado.status_code == 400
    assert "ya no se usa" in retirado.json()["tipo"][0]
    desconocido = _post(client, _cuerpo(mundo.matriculas_a[0], tipo="magia"))
    assert desconocido.json()["tipo"] == ["Tipo de acción desconocido."]
    factor = _post(client, _cuerpo(mundo.matriculas_a[0], factores=["suerte"]))
    assert factor.status_code == 400 and "factores" in factor.json()
    assert not AccionSeguimiento.objects.exists()


def test_a_read_only_token_cannot_write(mundo):
    _token, secreto = token_api_crear(
        usuario=mundo.tutora, nombre="lectura", dias=5, solo_lectura=True
    )
    r = _post(
        Client(), _cuerpo(mundo.matriculas_a[0]), HTTP_AUTHORIZATION=f"Token {secreto}"
    )
    assert r.status_code == 403
    assert not AccionSeguimiento.objects.exists()


def test_a_full_token_writes_as_its_owner(mundo):
    _token, secreto = token_api_crear(
        usuario=mundo.tutora, nombre="app", dias=5, solo_lectura=False
    )
    r = _post(
        Client(), _cuerpo(mundo.matriculas_a[0]), HTTP_AUTHORIZATION=f"Token {secreto}"
    )
    assert r.status_code == 201
    assert AccionSeguimiento.objects.get().autor == mundo.tutora


def test_a_reserved_note_reaches_only_its_author_and_the_director(client, mundo):
    hecha = accion(mundo.tutora, mundo.matriculas_a[0], nota="Salud.", reservada=True)
    lecturas = {}
    for persona in ("tutora", "director", "ugel", "dre", "nacional"):
        client.force_login(getattr(mundo, persona))
        item = client.get(_detalle(hecha)).json()
        assert item["reservada"] is True
        lecturas[persona] = item["nota"]
    assert lecturas == {
        "tutora": "Salud.",
        "director": "Salud.",
        "ugel": None,
        "dre": None,
        "nacional": None,
    }


def test_the_author_corrects_within_the_period_and_history_keeps_it(
    client, mundo, settings
):
    hecha = accion(mundo.tutora, mundo.matriculas_a[0], nota="Primera.")
    client.force_login(mundo.tutora)
    r = client.patch(
        _detalle(hecha),
        {"nota": "Corregida.", "estado": "SIN_CONTACTO"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["nota"] == "Corregida."
    assert [v.nota for v in hecha.versiones.order_by("history_date")] == [
        "Primera.",
        "Corregida.",
    ]
    # Someone else who sees it cannot; nor the author once the period ended.
    client.force_login(mundo.director)
    ajeno = client.patch(
        _detalle(hecha), {"nota": "x"}, content_type="application/json"
    )
    assert ajeno.status_code == 409
    settings.SEGUIMIENTO_DIAS_CORRECCION = 3
    AccionSeguimiento.objects.filter(pk=hecha.pk).update(
        creada=timezone.now() - timedelta(days=4)
    )
    client.force_login(mundo.tutora)
    tarde = client.patch(
        _detalle(hecha), {"nota": "x"}, content_type="application/json"
    )
    assert tarde.status_code == 409
    assert "plazo" in tarde.json()["detail"]
    hecha.refresh_from_db()
    assert hecha.nota == "Corregida."


def test_correcting_an_action_out_of_scope_is_404(client, mundo):
    hecha = accion(mundo.tutora, mundo.matriculas_a[0])
    client.force_login(mundo.tutor_otra_ie)
    r = client.patch(_detalle(hecha), {"nota": "x"}, content_type="application/json")
    assert r.status_code == 404
    assert client.put(
        _detalle(hecha), {}, content_type="application/json"
    ).status_code in (
        404,
        405,
    )
