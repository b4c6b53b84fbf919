"""Security headers on pages and downloads, and the production deploy checks."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from alerta.cabeceras import CACHE_CONTROL

# The production environment the README documents ("Despliegue con
# docker-compose", step 1), with the HTTPS settings left to their defaults.
ENTORNO_PRODUCCION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "alerta.midominio.pe",
    "CSRF_TRUSTED_ORIGINS": "https://alerta.midominio.pe",
    "DATABASE_URL": "sqlite:////tmp/alerta-check-deploy.sqlite3",
    "CELERY_BROKER_URL": "redis://redis:6379/0",
}


def _politica(r) -> dict[str, list[str]]:
    directivas = [d.strip().split() for d in r["Content-Security-Policy"].split(";")]
    return {d[0]: d[1:] for d in directivas if d}


def _no_se_guarda(r) -> None:
    directivas = {d.strip() for d in r["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directivas
    assert "public" not in directivas


def _sin_inline(r) -> None:
    politica = _politica(r)
    for directiva in ("default-src", "script-src", "style-src"):
        assert politica[directiva] == ["'self'"], directiva
    assert "'unsafe-inline'" not in r["Content-Security-Policy"]
    assert "'unsafe-eval'" not in r["Content-Security-Policy"]
    assert politica["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
class TestCabeceras:
    def test_a_tutors_seccion_list_is_not_stored_and_allows_no_inline_code(
        self, client, mundo
    ):
        client.force_login(mundo.tutora)
        r = client.get(reverse("seccion_detalle", args=[mundo.seccion_a.uuid]))
        assert r.status_code == 200
        assert r["Cache-Control"] == CACHE_CONTROL
        _sin_inline(r)
        assert r["X-Content-Type-Options"] == "nosniff"
        assert r["Referrer-Policy"] == "same-origin"
        assert r["X-Frame-Options"] == "DENY"

    def test_a_sections_workbook_is_not_stored(self, client, mundo, puntajes):
        client.force_login(mundo.tutora)
        r = client.get(reverse("seccion_excel", args=[mundo.seccion_a.uuid]))
        assert r.status_code == 200
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
        assert r["Cache-Control"] == CACHE_CONTROL
        assert r["X-Content-Type-Options"] == "nosniff"

    def test_the_login_page_is_not_stored_either(self, client):
        r = client.get(reverse("login"))
        assert r.status_code == 200
        # Its view adds never_cache's own directives.
        _no_se_guarda(r)
        _sin_inline(r)

    def test_a_workbook_out_of_scope_is_404_and_not_stored(self, client, mundo):
        client.force_login(mundo.tutor_otra_ie)
        r = client.get(reverse("seccion_excel", args=[mundo.seccion_a.uuid]))
        assert r.status_code == 404
        assert r["Cache-Control"] == CACHE_CONTROL

    def test_with_https_on_http_redirects_and_https_gets_hsts(
        self, client, mundo, settings
    ):
        settings.SECURE_SSL_REDIRECT = True
        settings.SECURE_HSTS_SECONDS = 31_536_000
        settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
        settings.SECURE_HSTS_PRELOAD = True
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        client.force_login(mundo.tutora)
        url = reverse("seccion_detalle", args=[mundo.seccion_a.uuid])

        plano = client.get(url)
        assert plano.status_code == 301
        assert plano["Location"].startswith("https://")
        assert "Strict-Transport-Security" not in plano

        r = client.get(url, headers={"X-Forwarded-Proto": "https"})
        assert r.status_code == 200
        assert r["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert r["Cache-Control"] == CACHE_CONTROL

    def test_the_health_check_answers_over_plain_http_with_https_on(
        self, client, settings
    ):
        settings.SECURE_SSL_REDIRECT = True
        r = client.get(reverse("salud"))
        assert r.status_code == 200


def test_static_files_keep_their_own_caching():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from alerta.cabeceras import SinCache

    respuesta = HttpResponse("x")
    respuesta["Cache-Control"] = "max-age=60"
    middleware = SinCache(lambda request: respuesta)
    ruta = "/" + settings.STATIC_URL.lstrip("/") + "css/alerta.css"
    assert middleware(RequestFactory().get(ruta))["Cache-Control"] == "max-age=60"
    otra = SinCache(lambda request: HttpResponse("x"))
    assert otra(RequestFactory().get("/ie/x/"))["Cache-Control"] == CACHE_CONTROL


def _en_entorno(entorno: dict[str, str], *argumentos: str):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "DJANGO_", "DEBUG", "SECRET_KEY"))
    }
    env.update(entorno)
    return subprocess.run(
        [sys.executable, "manage.py", *argumentos],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# What docker-compose.yml sets on top of the .env file.
ENTORNO_COMPOSE = {
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


@pytest.mark.parametrize("compose", [{}, ENTORNO_COMPOSE], ids=["env", "compose"])
def test_check_deploy_gives_no_warning_with_the_documented_production_environment(
    compose,
):
    entorno = {**ENTORNO_PRODUCCION, **compose}
    r = _en_entorno(entorno, "check", "--deploy", "--fail-level", "WARNING")
    assert r.returncode == 0, r.stderr
    assert "System check identified no issues (0 silenced)." in r.stdout
    assert "WARNING" not in r.stderr + r.stdout


def test_check_deploy_warns_when_production_turns_https_off():
    # The test above could not fail if the checks never ran: here they must.
    entorno = {**ENTORNO_PRODUCCION, "SECURE_SSL_REDIRECT": "false"}
    r = _en_entorno(entorno, "check", "--deploy", "--fail-level", "WARNING")
    assert r.returncode != 0
    assert "security.W008" in r.stderr + r.stdout


def test_a_malformed_proxy_header_setting_refuses_to_start():
    entorno = {
        **ENTORNO_PRODUCCION,
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
    }
    r = _en_entorno(entorno, "check")
    assert r.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER" in r.stderr
