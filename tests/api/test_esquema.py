"""The OpenAPI schema: valid, without a single drf-spectacular warning, and
describing every endpoint of the URLconf."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import get_resolver, reverse


def _esquema(tmp_path) -> dict:
    archivo = tmp_path / "esquema.yaml"
    # --fail-on-warn turns every warning (a view it cannot describe, an
    # authenticator it does not know) into an error.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(archivo))
    return yaml.safe_load(archivo.read_text())


def _rutas_api() -> dict[str, str]:
    """Each API URL name but the schema's and the docs', with its path as
    OpenAPI writes it ("/api/v1/secciones/{uuid}/")."""
    api = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "api"
    )
    rutas = {}
    for q in api.url_patterns:
        if q.name in ("schema", "docs"):
            continue  # they describe the rest
        patron = str(q.pattern).removeprefix("^").removesuffix("$")
        patron = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", patron)  # router regexes
        patron = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", patron)  # path() converters
        rutas[q.name] = "/api/v1/" + patron
    return rutas


@pytest.mark.django_db
def test_it_validates_without_warnings_and_describes_every_endpoint(tmp_path):
    esquema = _esquema(tmp_path)
    assert esquema["openapi"].startswith("3.")
    rutas = _rutas_api()
    assert len(rutas) > 15
    faltan = {n: r for n, r in rutas.items() if r not in esquema["paths"]}
    assert faltan == {}


@pytest.mark.django_db
def test_it_names_both_ways_in_and_the_csv(tmp_path):
    esquema = _esquema(tmp_path)
    assert set(esquema["components"]["securitySchemes"]) == {"token", "cookieAuth"}
    csv = esquema["paths"]["/api/v1/ugeles/{codigo}/alto-medio.csv"]["get"]
    assert "text/csv" in csv["responses"]["200"]["content"]


@pytest.mark.django_db
def test_the_schema_url_answers_people_signed_in(client, mundo):
    client.force_login(mundo.tutora)
    r = client.get(reverse("api:schema"))
    assert r.status_code == 200
    assert b"openapi" in r.content
