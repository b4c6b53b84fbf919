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


def _importacion(m):
    from siagie_import.models import Importacion, Rechazo

    imp = Importacion.objects.create(
        usuario=m.nacional, tipo="PADRON", nombre_archivo="padron_iiee.csv", sha256="0"
    )
    Rechazo.objects.create(importacion=imp, fila=2, columna="ANEXO", motivo="M.")
    return imp.pk


def _modelo(m):
    from riesgo.models import ModeloRiesgo

    modelo = ModeloRiesgo.objects.create(
        version=99,
        algoritmo="prueba",
        corte_alto=0.3,
        corte_medio=0.1,
        artefacto="-",
        sha256="-",
    )
    return modelo.version


# url name, how to build its argument from the world (None: it takes none), who
# may open it
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
    # A student's page: whoever sees one of their enrollments' secciones.
    (
        "estudiante_detalle",
        lambda m: m.matriculas_a[0].estudiante.uuid,
        {"tutora", "director", "ugel", "dre", "nacional"},
    ),
    (
        "estudiante_detalle",
        lambda m: m.matricula_b.estudiante.uuid,
        {"director", "ugel", "dre", "nacional"},
    ),
    (
        "estudiante_detalle",
        lambda m: m.matricula_sur.estudiante.uuid,
        {"ugel_otra", "dre", "nacional"},
    ),
    ("ie_excel", lambda m: m.ie_uno.codigo, {"director", "ugel", "dre", "nacional"}),
    ("ie_excel", lambda m: m.ie_sur.codigo, {"ugel_otra", "dre", "nacional"}),
    # Assigning tutors is the director's (of that year) and Minedu's; UGEL and
    # DRE specialists see the IE but do not run it.
    ("ie_tutores", lambda m: m.ie_uno.codigo, {"director", "nacional"}),
    ("ie_tutores", lambda m: m.ie_sur.codigo, {"nacional"}),
    ("ie_tutor_nuevo", lambda m: m.ie_uno.codigo, {"director", "nacional"}),
    ("ie_tutor_nuevo", lambda m: m.ie_dos.codigo, {"nacional"}),
    # Everyone signed in changes their own password.
    ("clave_cambiar", None, set(PERSONAS)),
    ("ugel_detalle", lambda m: m.ugel_norte.codigo, {"ugel", "dre", "nacional"}),
    ("ugel_detalle", lambda m: m.ugel_sur.codigo, {"ugel_otra", "dre", "nacional"}),
    (
        "ugel_capacitaciones",
        lambda m: m.ugel_norte.codigo,
        {"ugel", "dre", "nacional"},
    ),
    (
        "ugel_capacitaciones",
        lambda m: m.ugel_sur.codigo,
        {"ugel_otra", "dre", "nacional"},
    ),
    # Comparing UGELs is the DRE's; comparing DREs is Minedu's.
    ("dre_detalle", lambda m: m.ugel_norte.dre.pk, {"dre", "nacional"}),
    ("nacional", None, {"nacional"}),
    ("ugel_excel", lambda m: m.ugel_norte.codigo, {"ugel", "dre", "nacional"}),
    ("ugel_excel", lambda m: m.ugel_sur.codigo, {"ugel_otra", "dre", "nacional"}),
    # Imports are national business: a DRE specialist is not national.
    ("importacion:lista", None, {"nacional"}),
    ("importacion:detalle", _importacion, {"nacional"}),
    ("importacion:progreso", _importacion, {"nacional"}),
    ("importacion:rechazos_xlsx", _importacion, {"nacional"}),
    # So is the model page (its POST-only actions are crossed with every
    # persona in tests/riesgo/test_vistas_modelos.py).
    ("modelos:lista", None, {"nacional"}),
    ("modelos:detalle", _modelo, {"nacional"}),
]


def _url(nombre, arg, mundo) -> str:
    return reverse(nombre, args=[arg(mundo)] if arg else [])


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
    r = client.get(_url(nombre, arg, mundo))
    assert r.status_code == (200 if puede else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("nombre,arg,_q", URLS)
def test_anonymous_is_sent_to_login(client, mundo, nombre, arg, _q):
    r = client.get(_url(nombre, arg, mundo))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_guessed_seccion_uuid_is_404_even_for_national(client, mundo):
    import uuid

    client.force_login(mundo.nacional)
    r = client.get(reverse("seccion_detalle", args=[uuid.uuid4()]))
    assert r.status_code == 404
