"""The counts the API gives each sección, IE, UGEL and DRE: those of the
world's scores (tests/conftest.py `puntajes`, cut-offs 0.3 and 0.1)."""

import pytest
from django.urls import reverse

# 3.º A: 0.05, 0.6, 0.2; IE Uno adds 3.º B's 0.4; UGEL Norte adds IE Dos' 0.01;
# the DRE adds UGEL Sur's 0.02.
ESPERADOS = {
    "seccion_a": (1, 1, 1),
    "ie_uno": (2, 1, 1),
    "ugel_norte": (2, 1, 2),
    "dre": (2, 1, 3),
}


def _conteo(client, nombre: str, arg) -> tuple[int, int, int]:
    r = client.get(reverse(nombre, args=[arg]))
    assert r.status_code == 200
    c = r.json()["conteo"]
    return c["alto"], c["medio"], c["bajo"]


@pytest.mark.django_db
def test_each_scope_counts_its_students_by_level(client, mundo, puntajes):
    client.force_login(mundo.nacional)
    vistos = {
        "seccion_a": _conteo(client, "api:seccion-detail", mundo.seccion_a.uuid),
        "ie_uno": _conteo(client, "api:ie-detail", mundo.ie_uno.codigo),
        "ugel_norte": _conteo(client, "api:ugel-detail", mundo.ugel_norte.codigo),
        "dre": _conteo(client, "api:dre-detail", mundo.ugel_norte.dre.pk),
    }
    assert vistos == ESPERADOS


@pytest.mark.django_db
def test_a_list_gives_each_object_its_own_count(client, mundo, puntajes):
    client.force_login(mundo.nacional)
    r = client.get(reverse("api:ugel-list"), {"tamano": 500})
    por_codigo = {u["codigo"]: u["conteo"] for u in r.json()["results"]}
    assert por_codigo[mundo.ugel_norte.codigo]["alto"] == 2
    assert por_codigo[mundo.ugel_sur.codigo]["alto"] == 0
    assert por_codigo[mundo.ugel_sur.codigo]["bajo"] == 1
