"""Every scoped URL crossed with every persona: inside the scope 200, outside 404."""

import pytest
from django.urls import reverse

PERSONAS = [
    "tutora",
    "director",
    "tutor_otra_ie",
    "ugel",
    "ugel_otra",
    "dre",
    "nacional",
]

# url name, how to build its argument from the world, who may open it
URLS = [
    (
        "seccion_detalle",
        lambda m: m.seccion_a.uuid,
        {"tutora", "director", "ugel", "dre", "nacional"},
    ),
    (
        "seccion_excel",
        lambda m: m.seccion_a.uuid,
        {"tutora", "director", "ugel", "dre", "nacional"},
    ),
    (
        "seccion_detalle",
        lambda m: m.seccion_b.uuid,
        {"director", "ugel", "dre", "nacional"},
    ),
    ("seccion_excel", lambda m: m.seccion_sur.uuid, {"ugel_otra", "dre", "nacional"}),
    ("ie_detalle", lambda m: m.ie_uno.codigo, {"director", "ugel", "dre", "nacional"}),
    ("ie_detalle", lambda m: m.ie_sur.codigo, {"ugel_otra", "dre", "nacional"}),
    ("ugel_detalle", lambda m: m.ugel_norte.codigo, {"ugel", "dre", "nacional"}),
    ("ugel_detalle", lambda m: m.ugel_sur.codigo, {"ugel_otra", "dre", "nacional"}),
]

CASOS = [
    pytest.param(nombre, arg, persona, persona in quienes, id=f"{nombre}-{i}-{persona}")
    for i, (nombre, arg, quienes) in enumerate(URLS)
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("nombre", "arg", "persona", "puede"), CASOS)
def test_scope_decides_between_200_and_404(
    client, mundo, puntajes, nombre, arg, persona, puede
):
    client.force_login(getattr(mundo, persona))
    r = client.get(reverse(nombre, args=[arg(mundo)]))
    assert r.status_code == (200 if puede else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("nombre,arg,_q", URLS)
def test_anonymous_is_sent_to_login(client, mundo, nombre, arg, _q):
    r = client.get(reverse(nombre, args=[arg(mundo)]))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_guessed_seccion_uuid_is_404_even_for_national(client, mundo):
    import uuid

    client.force_login(mundo.nacional)
    r = client.get(reverse("seccion_detalle", args=[uuid.uuid4()]))
    assert r.status_code == 404
