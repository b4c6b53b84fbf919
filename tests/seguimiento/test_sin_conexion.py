"""Offline use, on the server's side: the service worker and the manifest at
the site's root, offered to tutors and directors only, and a logout that tells
the browser to empty caches and storage."""

import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse


def test_the_service_worker_is_served_from_the_root_with_the_offline_page(client):
    r = client.get(reverse("service_worker"))
    assert r.status_code == 200
    assert reverse("service_worker") == "/sw.js"
    assert r["Content-Type"].startswith("application/javascript")
    assert r["Service-Worker-Allowed"] == "/"
    texto = r.content.decode()
    primera, resto = texto.split("\n", 1)
    assert primera.startswith("var SIN_CONEXION = ")
    pagina = json.loads(primera.removeprefix("var SIN_CONEXION = ").rstrip(";"))
    assert "Sin conexión" in pagina
    # The worker itself: per-user cache, never the API nor sign-in.
    assert '"alerta-" + USUARIO' in resto
    assert "/^\\/api\\//" in resto and "/^\\/ingresar\\//" in resto


def test_the_manifest_makes_the_portal_installable(client):
    r = client.get(reverse("manifest"))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/manifest+json")
    datos = json.loads(r.content)
    assert datos["name"] == "Alerta Escuela"
    assert (datos["start_url"], datos["display"]) == ("/", "standalone")
    assert {i["sizes"] for i in datos["icons"]} == {"192x192", "512x512"}
    prefijo = "/" + settings.STATIC_URL.lstrip("/")
    for icono in datos["icons"]:
        ruta = finders.find(icono["src"].removeprefix(prefijo))
        assert ruta is not None, icono["src"]
        with open(ruta, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "ofrece"),
    [
        ("tutora", True),
        ("director", True),
        ("ugel", False),
        ("nacional", False),
    ],
)
def test_only_tutors_and_directors_get_the_outbox(client, mundo, persona, ofrece):
    client.force_login(getattr(mundo, persona))
    html = client.get(reverse("inicio")).content.decode()
    assert ('id="bandeja"' in html) is ofrece
    assert ("vendor/idb/idb.umd.js" in html) is ofrece
    assert ("/sw.js?u=" in html) is ofrece
    # Every page links the manifest and loads the script that, for anyone
    # else, removes what a previous user left.
    assert reverse("manifest") in html and "js/bandeja.js" in html


@pytest.mark.django_db
def test_logout_clears_the_site_data(client, mundo):
    client.force_login(mundo.tutora)
    r = client.post(reverse("logout"))
    assert r.status_code == 302
    assert r["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_the_csp_lets_the_worker_and_the_manifest_load(client):
    politica = client.get(reverse("login"))["Content-Security-Policy"]
    assert "worker-src 'self'" in politica
    assert "manifest-src 'self'" in politica
