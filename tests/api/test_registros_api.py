"""The monthly contact records' API: scoping, idempotent writes, conflicts."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from alerta.models import Accion, RegistroAcceso
from alerta.services import token_api_crear
from seguimiento.models import RegistroMensual
from seguimiento.services import mes_actual
from tests.factories import registro_mensual

pytestmark = pytest.mark.django_db

URL = reverse("api:registro-mensual-list")


def _mes() -> str:
    return mes_actual().strftime("%Y-%m")


def _cuerpo(matricula, **campos) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "estudiante": str(matricula.estudiante.uuid),
        "mes": _mes(),
        "contactado": True,
        "medio": "PRESENCIAL",
        "sigue_clases": "SI",
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


class TestLeer:
    def test_items_carry_the_contract_fields(self, client, mundo):
        hecho = registro_mensual(mundo.tutora, mundo.matriculas_a[0])
        client.force_login(mundo.tutora)
        r = client.get(URL, {"seccion": mundo.seccion_a.uuid, "mes": _mes()})
        assert r.status_code == 200
        (item,) = r.json()["results"]
        assert item["id"] == str(hecho.uuid)
        assert item["estudiante"] == str(mundo.matriculas_a[0].estudiante.uuid)
        assert item["seccion"] == str(mundo.seccion_a.uuid)
        assert item["mes"] == _mes()
        assert item["contactado"] is True
        assert item["medio"] == "PRESENCIAL"
        assert item["sigue_clases"] == "SI"
        assert item["autor"] == mundo.tutora.get_full_name()
        assert item["modificado"]

    def test_lists_only_what_the_user_sees(self, client, mundo):
        registro_mensual(mundo.tutora, mundo.matriculas_a[0])
        registro_mensual(mundo.director, mundo.matricula_b)
        client.force_login(mundo.tutora)
        ids = {i["estudiante"] for i in client.get(URL).json()["results"]}
        assert ids == {str(mundo.matriculas_a[0].estudiante.uuid)}
        client.force_login(mundo.director)
        assert len(client.get(URL).json()["results"]) == 2
        client.force_login(mundo.tutor_otra_ie)
        assert client.get(URL).json()["results"] == []

    def test_a_filter_out_of_scope_is_404(self, client, mundo):
        client.force_login(mundo.tutora)
        r = client.get(URL, {"seccion": mundo.seccion_b.uuid})
        assert r.status_code == 404
        r = client.get(URL, {"estudiante": mundo.matricula_b.estudiante.uuid})
        assert r.status_code == 404

    def test_filters_by_student_and_month(self, client, mundo):
        registro_mensual(mundo.tutora, mundo.matriculas_a[0])
        registro_mensual(mundo.tutora, mundo.matriculas_a[1])
        client.force_login(mundo.tutora)
        estudiante = mundo.matriculas_a[1].estudiante.uuid
        r = client.get(URL, {"estudiante": estudiante})
        assert [i["estudiante"] for i in r.json()["results"]] == [str(estudiante)]
        assert client.get(URL, {"mes": "2020-01"}).json()["results"] == []
        r = client.get(URL, {"mes": "mayo"})
        assert r.status_code == 400
        assert "AAAA-MM" in r.json()["mes"][0]

    def test_the_list_is_recorded_in_the_access_log(self, client, mundo):
        client.force_login(mundo.tutora)
        client.get(URL, {"seccion": mundo.seccion_a.uuid, "mes": _mes()})
        fila = RegistroAcceso.objects.get(usuario=mundo.tutora)
        assert fila.accion == Accion.VER_LISTA
        assert fila.objeto == (
            f"registros-mensuales?mes={_mes()}&seccion={mundo.seccion_a.uuid}"
        )


class TestEscribir:
    def test_created_is_201_and_stored_through_the_service(self, client, mundo):
        client.force_login(mundo.tutora)
        cuerpo = _cuerpo(mundo.matriculas_a[0], medio="LLAMADA", sigue_clases="NO")
        r = _post(client, cuerpo)
        assert r.status_code == 201, r.content
        guardado = RegistroMensual.objects.get()
        assert str(guardado.uuid) == cuerpo["id"] == r.json()["id"]
        assert guardado.autor == mundo.tutora
        assert guardado.seccion == mundo.seccion_a
        assert guardado.mes == mes_actual()
        assert (guardado.medio, guardado.sigue_clases) == ("LLAMADA", "NO")

    def test_the_same_id_twice_stores_once_with_the_last_values(self, client, mundo):
        client.force_login(mundo.tutora)
        cuerpo = _cuerpo(mundo.matriculas_a[0])
        assert _post(client, cuerpo).status_code == 201
        r = _post(client, {**cuerpo, "contactado": False, "sigue_clases": "EN_PARTE"})
        assert r.status_code == 200
        assert r.json()["contactado"] is False
        assert r.json()["medio"] == ""
        guardado = RegistroMensual.objects.get()
        assert (guardado.contactado, guardado.sigue_clases) == (False, "EN_PARTE")

    def test_another_id_for_the_same_month_is_409_with_the_record(self, client, mundo):
        existente = registro_mensual(mundo.director, mundo.matriculas_a[0])
        client.force_login(mundo.tutora)
        r = _post(client, _cuerpo(mundo.matriculas_a[0], contactado=False))
        assert r.status_code == 409
        datos = r.json()
        assert "ya tiene registro" in datos["detail"]
        assert mundo.director.get_full_name() in datos["detail"]
        assert datos["existente"]["id"] == str(existente.uuid)
        assert RegistroMensual.objects.get().contactado is True

    def test_the_key_is_required_and_must_match_the_id(self, client, mundo):
        client.force_login(mundo.tutora)
        cuerpo = _cuerpo(mundo.matriculas_a[0])
        r = _post(client, cuerpo, clave="")
        assert r.status_code == 400
        assert "Idempotency-Key" in r.json()["detail"]
        r = _post(client, cuerpo, clave=str(uuid.uuid4()))
        assert r.status_code == 400
        assert "deben ser iguales" in r.json()["detail"]
        # Without "id" in the body, the header is the record's id.
        sin_id = {k: v for k, v in cuerpo.items() if k != "id"}
        clave = str(uuid.uuid4())
        assert _post(client, sin_id, clave=clave).status_code == 201
        assert str(RegistroMensual.objects.get().uuid) == clave

    def test_bad_values_are_400_in_spanish(self, client, mundo):
        client.force_login(mundo.tutora)
        r = _post(client, _cuerpo(mundo.matriculas_a[0], mes="2999-01"))
        assert r.status_code == 400
        assert "no empezó" in r.json()["mes"][0]
        r = _post(client, _cuerpo(mundo.matriculas_a[0], mes="enero"))
        assert r.status_code == 400
        assert "AAAA-MM" in r.json()["mes"][0]
        r = _post(client, _cuerpo(mundo.matriculas_a[0], sigue_clases="QUIZAS"))
        assert r.status_code == 400
        assert "no es una elección válida" in r.json()["sigue_clases"][0]
        assert not RegistroMensual.objects.exists()

    @pytest.mark.parametrize("persona", ["tutor_otra_ie", "ugel", "dre", "nacional"])
    def test_who_may_not_write_for_the_student_gets_404(self, client, mundo, persona):
        client.force_login(getattr(mundo, persona))
        r = _post(client, _cuerpo(mundo.matriculas_a[0]))
        assert r.status_code == 404
        assert not RegistroMensual.objects.exists()

    def test_the_tutor_does_not_write_for_another_seccion_nor_a_made_up_one(
        self, client, mundo
    ):
        client.force_login(mundo.tutora)
        assert _post(client, _cuerpo(mundo.matricula_b)).status_code == 404
        cuerpo = _cuerpo(mundo.matricula_b, estudiante=str(uuid.uuid4()))
        assert _post(client, cuerpo).status_code == 404
        assert not RegistroMensual.objects.exists()

    def test_the_director_writes_for_any_seccion_of_the_ie(self, client, mundo):
        client.force_login(mundo.director)
        assert _post(client, _cuerpo(mundo.matricula_b)).status_code == 201

    def test_a_session_post_needs_the_csrf_token(self, mundo):
        client = Client(enforce_csrf_checks=True)
        client.force_login(mundo.tutora)
        cuerpo = _cuerpo(mundo.matriculas_a[0])
        assert _post(client, cuerpo).status_code == 403
        client.get(reverse("seguimiento:registro-mensual", args=[mundo.seccion_a.uuid]))
        token = client.cookies["csrftoken"].value
        assert _post(client, cuerpo, HTTP_X_CSRFTOKEN=token).status_code == 201

    def test_a_read_only_token_cannot_write_and_a_full_one_can(self, client, mundo):
        _t, lectura = token_api_crear(
            usuario=mundo.tutora, nombre="Lectura", dias=30, solo_lectura=True
        )
        _t, completo = token_api_crear(
            usuario=mundo.tutora, nombre="Completo", dias=30, solo_lectura=False
        )
        cuerpo = _cuerpo(mundo.matriculas_a[0])
        r = _post(client, cuerpo, HTTP_AUTHORIZATION=f"Token {lectura}")
        assert r.status_code == 403
        assert "solo lectura" in r.json()["detail"]
        assert not RegistroMensual.objects.exists()
        r = _post(client, cuerpo, HTTP_AUTHORIZATION=f"Token {completo}")
        assert r.status_code == 201
        r = client.get(URL, HTTP_AUTHORIZATION=f"Token {lectura}")
        assert [i["id"] for i in r.json()["results"]] == [cuerpo["id"]]
