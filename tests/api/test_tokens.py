"""Personal API tokens on /api/v1/: who they authenticate, when they stop
working, what a read-only one may do, and the request limits."""

import hashlib
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from alerta.api.permisos import SoloLecturaConToken
from alerta.models import Asignacion, TokenApi
from alerta.services import token_api_crear, token_api_revocar
from tests.factories import Rol, SeccionFactory, UsuarioFactory, asignar

pytestmark = pytest.mark.django_db

YO = reverse("api:yo")


def _token(usuario, *, dias: int = 30, solo_lectura: bool = False):
    return token_api_crear(
        usuario=usuario, nombre="Integración", dias=dias, solo_lectura=solo_lectura
    )


def _get(client, secreto: str, url: str = YO):
    return client.get(url, HTTP_AUTHORIZATION=f"Token {secreto}")


def test_it_authenticates_as_its_user(client, mundo):
    token, secreto = _token(mundo.director, dias=10, solo_lectura=True)
    r = _get(client, secreto)
    assert r.status_code == 200
    datos = r.json()
    assert datos["usuario"] == "diego"
    assert datos["credencial"] == "token"
    assert datos["roles"] == [{"rol": "DIRECTOR", "nombre": "Director"}]
    assert datos["anio_escolar"] == 2026
    assert datos["token"]["solo_lectura"] is True
    assert datos["token"]["prefijo"] == token.prefijo
    expira = datetime.fromisoformat(datos["token"]["expira"].replace("Z", "+00:00"))
    assert abs(expira - token.expira) < timedelta(seconds=1)


def test_the_session_still_works_and_says_so(client, mundo):
    client.force_login(mundo.tutora)
    datos = client.get(YO).json()
    assert datos["credencial"] == "sesion"
    assert datos["token"] is None


def test_anonymous_gets_401_with_the_scheme(client):
    r = client.get(YO)
    assert r.status_code == 401
    assert r["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("estropear", "mensaje"),
    [
        (lambda t: setattr(t, "expira", timezone.now()), "Este token venció"),
        (lambda t: setattr(t, "revocado", timezone.now()), "fue revocado"),
        (
            lambda t: setattr(t.usuario, "is_active", False) or t.usuario.save(),
            "está desactivada",
        ),
    ],
    ids=["expired", "revoked", "inactive_user"],
)
def test_a_token_that_no_longer_works_gets_401(client, mundo, estropear, mensaje):
    token, secreto = _token(mundo.tutora)
    estropear(token)
    token.save()
    r = _get(client, secreto)
    assert r.status_code == 401
    assert mensaje in r.json()["detail"]


def test_a_wrong_secret_gets_401_even_with_a_real_prefix(client, mundo):
    token, secreto = _token(mundo.tutora)
    falso = secreto[:-4] + ("AAAA" if not secreto.endswith("AAAA") else "BBBB")
    for intento in (falso, "ae_nada", "x"):
        r = _get(client, intento)
        assert r.status_code == 401
        assert r.json()["detail"] == "Token inválido."


def test_a_malformed_header_gets_401_in_spanish(client, mundo):
    r = client.get(YO, HTTP_AUTHORIZATION="Token")
    assert r.status_code == 401
    assert "Cabecera Authorization mal escrita" in r.json()["detail"]


def test_a_revoked_token_stops_at_once(client, mundo):
    token, secreto = _token(mundo.tutora)
    assert _get(client, secreto).status_code == 200
    token_api_revocar(usuario=mundo.tutora, token_id=token.pk)
    assert _get(client, secreto).status_code == 401


def test_only_the_hash_of_the_secret_is_stored(mundo):
    token, secreto = _token(mundo.tutora)
    assert token.hash == hashlib.sha256(secreto.encode()).hexdigest()
    assert secreto.startswith(token.prefijo)
    assert len(secreto) >= 40  # "ae_" and 32 random bytes in base64
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM alerta_tokenapi")
        fila = " ".join(str(valor) for valor in cursor.fetchone())
    assert secreto not in fila
    # Not even the part after the prefix.
    assert secreto[TokenApi.LARGO_PREFIJO :] not in fila


def test_two_tokens_never_share_a_secret(mundo):
    secretos = {_token(mundo.tutora)[1] for _ in range(20)}
    assert len(secretos) == 20


def test_the_last_use_is_written_at_most_once_a_minute(client, mundo):
    token, secreto = _token(mundo.tutora)
    assert token.ultimo_uso is None
    _get(client, secreto)
    token.refresh_from_db()
    primero = token.ultimo_uso
    assert primero is not None

    hace_poco = timezone.now() - timedelta(seconds=30)
    TokenApi.objects.filter(pk=token.pk).update(ultimo_uso=hace_poco)
    _get(client, secreto)
    token.refresh_from_db()
    assert token.ultimo_uso == hace_poco

    hace_rato = timezone.now() - timedelta(minutes=2)
    TokenApi.objects.filter(pk=token.pk).update(ultimo_uso=hace_rato)
    _get(client, secreto)
    token.refresh_from_db()
    assert token.ultimo_uso > hace_rato


def test_vigentes_leaves_out_expired_and_revoked(mundo):
    vigente, _s = _token(mundo.tutora)
    vencido, _s = _token(mundo.tutora)
    revocado, _s = _token(mundo.tutora)
    TokenApi.objects.filter(pk=vencido.pk).update(expira=timezone.now())
    token_api_revocar(usuario=mundo.tutora, token_id=revocado.pk)
    assert list(TokenApi.objects.vigentes()) == [vigente]


# --- Scope: a token is its user, never more ------------------------------


def test_a_tutors_token_shows_only_the_tutors_roles(client, mundo):
    _t, secreto = _token(mundo.tutora)
    datos = _get(client, secreto).json()
    assert datos["roles"] == [{"rol": "TUTOR", "nombre": "Docente tutor"}]


def test_a_token_follows_its_users_current_assignments(client, mundo):
    # Made while Tania tutors 3.º A; she stops tutoring it: her token stops
    # carrying the role at once (nothing is frozen in the token).
    _t, secreto = _token(mundo.tutora)
    Asignacion.objects.filter(usuario=mundo.tutora).update(activa=False)
    assert _get(client, secreto).json()["roles"] == []


def test_a_token_of_last_years_tutor_carries_no_role(client, mundo):
    paco = UsuarioFactory(username="paco")
    asignar(paco, Rol.TUTOR, seccion=SeccionFactory(ie=mundo.ie_uno, anio=2025))
    _t, secreto = _token(paco)
    assert _get(client, secreto).json()["roles"] == []


def test_a_tutors_token_reads_the_tutors_students_and_nothing_else(
    client, mundo, puntajes
):
    _t, secreto = _token(mundo.tutora)
    lista = _get(client, secreto, reverse("api:estudiante-list")).json()["results"]
    assert {f["uuid"] for f in lista} == {
        str(m.estudiante.uuid) for m in mundo.matriculas_a
    }
    ajenos = [
        reverse("api:estudiante-detail", args=[mundo.matricula_b.estudiante.uuid]),
        reverse("api:estudiante-list") + f"?seccion={mundo.seccion_b.uuid}",
        reverse("api:ie-detail", args=[mundo.ie_uno.codigo]),
        reverse("api:ugel-alto-medio-csv", args=[mundo.ugel_norte.codigo]),
    ]
    for url in ajenos:
        assert _get(client, secreto, url).status_code == 404, url


# --- Read-only tokens ----------------------------------------------------


class _Escribe(APIView):
    """A throwaway view that writes (no write endpoint exists yet)."""

    def get(self, request):
        return Response({"leido": True})

    def post(self, request):
        return Response({"escrito": True})


def _vista_de_escritura(metodo: str, secreto: str):
    fabrica = APIRequestFactory()
    request = getattr(fabrica, metodo)(
        "/prueba/", HTTP_AUTHORIZATION=f"Token {secreto}"
    )
    return _Escribe.as_view()(request)


def test_a_read_only_token_reads_but_does_not_write(mundo):
    _t, secreto = _token(mundo.tutora, solo_lectura=True)
    assert _vista_de_escritura("get", secreto).status_code == 200
    r = _vista_de_escritura("post", secreto)
    assert r.status_code == 403
    assert "solo lectura" in str(r.data["detail"])


def test_a_full_token_writes_where_the_view_allows(mundo):
    _t, secreto = _token(mundo.tutora, solo_lectura=False)
    r = _vista_de_escritura("post", secreto)
    assert r.status_code == 200
    assert r.data == {"escrito": True}


def test_on_yo_a_read_only_token_gets_403_and_a_full_one_405(client, mundo):
    # Permissions come before DRF looks for the method: the read-only token is
    # refused as such, the full token learns that /yo/ takes no POST.
    _t, lectura = _token(mundo.tutora, solo_lectura=True)
    _t, completo = _token(mundo.tutora, solo_lectura=False)
    assert client.post(YO, HTTP_AUTHORIZATION=f"Token {lectura}").status_code == 403
    assert client.post(YO, HTTP_AUTHORIZATION=f"Token {completo}").status_code == 405


def test_the_permission_class_lets_sessions_through():
    permiso = SoloLecturaConToken()
    request = APIRequestFactory().post("/prueba/")
    request.auth = None
    assert permiso.has_permission(request, None)


def test_a_session_needs_the_csrf_token_to_post(mundo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mundo.tutora)
    r = client.post(YO)
    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"]


def test_a_token_needs_no_csrf_token(mundo):
    client = Client(enforce_csrf_checks=True)
    _t, secreto = _token(mundo.tutora)
    # Past CSRF and permissions: only the method is missing.
    assert client.post(YO, HTTP_AUTHORIZATION=f"Token {secreto}").status_code == 405


# --- Limits --------------------------------------------------------------


@pytest.fixture
def limites(settings):
    from django.core.cache import cache

    # The counts live in the cache (tests/conftest.py empties it before each
    # test too).
    cache.clear()

    def fijar(token: str, usuario: str) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"token": token, "usuario": usuario},
        }

    return fijar


def test_a_token_is_limited_on_its_own(client, mundo, limites):
    limites(token="2/min", usuario="100/min")
    _t, uno = _token(mundo.tutora)
    _t, otro = _token(mundo.tutora)
    assert [_get(client, uno).status_code for _ in range(2)] == [200, 200]
    r = _get(client, uno)
    assert r.status_code == 429
    assert r.json()["detail"].startswith("Demasiadas solicitudes. Vuelva a intentar en")
    assert "segundo" in r.json()["detail"]
    assert int(r["Retry-After"]) > 0
    # Another token of the same user has its own count.
    assert _get(client, otro).status_code == 200


def test_a_user_is_limited_across_tokens_and_session(client, mundo, limites):
    limites(token="100/min", usuario="3/min")
    _t, uno = _token(mundo.tutora)
    _t, otro = _token(mundo.tutora)
    assert _get(client, uno).status_code == 200
    assert _get(client, otro).status_code == 200
    client.force_login(mundo.tutora)
    assert client.get(YO).status_code == 200
    r = client.get(YO)
    assert r.status_code == 429
    assert "Demasiadas solicitudes" in r.json()["detail"]
    # Someone else is not held back by it.
    _t, ajeno = _token(mundo.director)
    assert _get(Client(), ajeno).status_code == 200
