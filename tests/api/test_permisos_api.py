"""Every endpoint of the API crossed with every persona, this year's and last
year's: inside the scope 200, outside 404 (never 403), for an object's
address and for a list's filter alike.

The table is checked against the URLconf: an `api:` URL name that is in
neither the table nor SIN_ALCANCE fails the first test.
"""

import uuid

import pytest
from django.urls import get_resolver, reverse
from rest_framework.settings import api_settings

from alerta import scoping
from tests.test_permisos import PERSONAS, _importacion, _modelo

TODOS = set(PERSONAS)
NORTE = {"ugel", "dre", "nacional"}
SECCION_A = {"tutora", "director", *NORTE}


SUR = {"ugel_otra", "dre", "nacional"}


def _accion(m, matricula):
    """An action for the student of `matricula`, written by a new tutor of
    the student's sección."""
    from alerta.models import Rol
    from tests.factories import UsuarioFactory, accion, asignar

    autor = UsuarioFactory()
    asignar(autor, Rol.TUTOR, seccion=matricula.seccion)
    return accion(autor, matricula).uuid


def _estudiante(atributo, indice=None):
    def arg(m):
        valor = getattr(m, atributo)
        valor = valor[indice] if indice is not None else valor
        return getattr(valor, "estudiante", valor).uuid

    return arg


# url name, its argument (None: it takes none), its query string, who gets 200
URLS = [
    # Lists answer everyone with what their scope holds (what, in the tests
    # below); a filter that names a scope outside it is a 404.
    ("api:estudiante-list", None, None, TODOS),
    ("api:estudiante-list", None, lambda m: {"seccion": m.seccion_a.uuid}, SECCION_A),
    (
        "api:estudiante-list",
        None,
        lambda m: {"seccion": m.seccion_b.uuid, "riesgo": "alto"},
        {"director", *NORTE},
    ),
    (
        "api:estudiante-list",
        None,
        lambda m: {"seccion": m.seccion_sur.uuid},
        {"ugel_otra", "dre", "nacional"},
    ),
    (
        "api:estudiante-list",
        None,
        lambda m: {"seccion": m.seccion_a_2025.uuid},
        {"nacional"},
    ),
    (
        "api:estudiante-list",
        None,
        lambda m: {"ie": m.ie_uno.codigo, "nivel": "primaria"},
        {"director", *NORTE},
    ),
    (
        "api:estudiante-list",
        None,
        lambda m: {"ie": m.ie_tres.codigo},
        {"director_ie_dejada", *NORTE},
    ),
    (
        "api:estudiante-list",
        None,
        lambda m: {"ugel": m.ugel_norte.codigo, "riesgo": "alto"},
        NORTE,
    ),
    (
        "api:estudiante-list",
        None,
        lambda m: {"ugel": m.ugel_sur.codigo},
        {"ugel_otra", "dre", "nacional"},
    ),
    ("api:estudiante-detail", _estudiante("matriculas_a", 0), None, SECCION_A),
    (
        "api:estudiante-detail",
        _estudiante("matricula_b"),
        None,
        {"director", *NORTE},
    ),
    (
        "api:estudiante-detail",
        _estudiante("matricula_sur"),
        None,
        {"ugel_otra", "dre", "nacional"},
    ),
    # Students who moved: their present is the new school's, not the old one's,
    # nor last year's tutor's or director's.
    ("api:estudiante-detail", _estudiante("cambio_de_ie"), None, SECCION_A),
    ("api:estudiante-detail", _estudiante("se_traslado"), None, SECCION_A),
    ("api:seccion-list", None, None, TODOS),
    (
        "api:seccion-list",
        None,
        lambda m: {"ie": m.ie_uno.codigo},
        {"director", *NORTE},
    ),
    ("api:seccion-detail", lambda m: m.seccion_a.uuid, None, SECCION_A),
    ("api:seccion-detail", lambda m: m.seccion_b.uuid, None, {"director", *NORTE}),
    (
        "api:seccion-detail",
        lambda m: m.seccion_sur.uuid,
        None,
        {"ugel_otra", "dre", "nacional"},
    ),
    ("api:seccion-detail", lambda m: m.seccion_a_2025.uuid, None, {"nacional"}),
    (
        "api:seccion-detail",
        lambda m: m.seccion_tres.uuid,
        None,
        {"director_ie_dejada", *NORTE},
    ),
    ("api:ie-list", None, None, TODOS),
    ("api:ie-list", None, lambda m: {"ugel": m.ugel_norte.codigo}, NORTE),
    ("api:ie-detail", lambda m: m.ie_uno.codigo, None, {"director", *NORTE}),
    (
        "api:ie-detail",
        lambda m: m.ie_sur.codigo,
        None,
        {"ugel_otra", "dre", "nacional"},
    ),
    (
        "api:ie-detail",
        lambda m: m.ie_tres.codigo,
        None,
        {"director_ie_dejada", *NORTE},
    ),
    ("api:ugel-list", None, None, TODOS),
    (
        "api:ugel-list",
        None,
        lambda m: {"dre": m.ugel_norte.dre.pk},
        {"dre", "nacional"},
    ),
    ("api:ugel-detail", lambda m: m.ugel_norte.codigo, None, NORTE),
    (
        "api:ugel-detail",
        lambda m: m.ugel_sur.codigo,
        None,
        {"ugel_otra", "dre", "nacional"},
    ),
    # The CSV of a UGEL's alto and medio students (tests/api/test_exportar.py).
    ("api:ugel-alto-medio-csv", lambda m: m.ugel_norte.codigo, None, NORTE),
    (
        "api:ugel-alto-medio-csv",
        lambda m: m.ugel_sur.codigo,
        None,
        {"ugel_otra", "dre", "nacional"},
    ),
    ("api:dre-list", None, None, TODOS),
    ("api:dre-detail", lambda m: m.ugel_norte.dre.pk, None, {"dre", "nacional"}),
    ("api:nacional", None, None, {"nacional"}),
    # Guidance for tutors: whoever holds a role this year reads it; last
    # year's tutor and director hold none.
    ("api:orientacion-list", None, None, TODOS),
    (
        "api:orientacion-detail",
        lambda m: m.orientacion.slug,
        None,
        TODOS - {"tutor_anio_pasado", "director_anio_pasado"},
    ),
    # Minedu's business: lists too are a 404 to everyone else.
    ("api:modelo-list", None, None, {"nacional"}),
    ("api:modelo-detail", _modelo, None, {"nacional"}),
    ("api:importacion-list", None, None, {"nacional"}),
    ("api:importacion-detail", _importacion, None, {"nacional"}),
    # Monthly contact records: a list for everyone (of their scope); a filter
    # naming a sección or a student outside it is a 404.
    ("api:registro-mensual-list", None, None, TODOS),
    (
        "api:registro-mensual-list",
        None,
        lambda m: {"seccion": m.seccion_a.uuid, "mes": "2026-05"},
        SECCION_A,
    ),
    (
        "api:registro-mensual-list",
        None,
        lambda m: {"seccion": m.seccion_sur.uuid},
        {"ugel_otra", "dre", "nacional"},
    ),
    (
        "api:registro-mensual-list",
        None,
        lambda m: {"estudiante": m.matricula_b.estudiante.uuid},
        {"director", *NORTE},
    ),
    # Follow-up actions: whoever opens the student's page reads them.
    ("api:accion-list", None, None, TODOS),
    (
        "api:accion-list",
        None,
        lambda m: {"estudiante": m.matriculas_a[0].estudiante.uuid},
        SECCION_A,
    ),
    ("api:accion-list", None, lambda m: {"seccion": m.seccion_sur.uuid}, SUR),
    ("api:accion-detail", lambda m: _accion(m, m.matriculas_a[0]), None, SECCION_A),
    (
        "api:accion-detail",
        lambda m: _accion(m, m.matricula_b),
        None,
        {"director", *NORTE},
    ),
]

# The schema and its documentation page describe the API, nobody's data; "who
# am I" shows only the caller (tests/api/test_tokens.py).
SIN_ALCANCE = {"api:schema", "api:docs", "api:yo"}


def _nombres_api() -> set[str]:
    for p in get_resolver().url_patterns:
        if getattr(p, "namespace", None) == "api":
            return {f"api:{q.name}" for q in p.url_patterns}
    return set()


def test_every_api_url_name_is_in_the_table_or_shows_nothing_scoped():
    assert _nombres_api() - SIN_ALCANCE == {nombre for nombre, *_ in URLS}


def _url(nombre, arg, consulta, mundo) -> str:
    url = reverse(nombre, args=[arg(mundo)] if arg else [])
    if consulta:
        from urllib.parse import urlencode

        url += "?" + urlencode(consulta(mundo))
    return url


@pytest.fixture
def mundo_api(mundo_con_pasado, puntajes, orientacion_docente):
    mundo_con_pasado.orientacion = orientacion_docente
    return mundo_con_pasado


CASOS = [
    pytest.param(*fila[:3], persona, persona in fila[3], id=f"{fila[0]}-{i}-{persona}")
    for i, fila in enumerate(URLS)
    for persona in PERSONAS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("nombre", "arg", "consulta", "persona", "puede"), CASOS)
def test_scope_decides_between_200_and_404(
    client, mundo_api, nombre, arg, consulta, persona, puede
):
    client.force_login(getattr(mundo_api, persona))
    r = client.get(_url(nombre, arg, consulta, mundo_api))
    assert r.status_code == (200 if puede else 404), r.content[:300]
    if not puede:
        # The same answer as for something that does not exist.
        assert r.json() == {"detail": "No encontrado."}


def _estado_anonimo() -> int:
    primera = api_settings.DEFAULT_AUTHENTICATION_CLASSES[0]()
    return 401 if primera.authenticate_header(None) else 403


@pytest.mark.django_db
@pytest.mark.parametrize(("nombre", "arg", "consulta", "_q"), URLS)
def test_anonymous_is_refused_and_told_nothing(
    client, mundo_api, nombre, arg, consulta, _q
):
    r = client.get(_url(nombre, arg, consulta, mundo_api))
    assert r.status_code == _estado_anonimo()
    assert set(r.json()) == {"detail"}
    assert "results" not in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("nombre", ["api:schema", "api:docs"])
def test_schema_and_docs_are_for_people_signed_in(client, db, nombre):
    r = client.get(reverse(nombre))
    assert r.status_code in (302, 401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "nombre", ["api:estudiante-detail", "api:seccion-detail"], ids=["est", "sec"]
)
def test_a_guessed_uuid_is_404_even_for_national(client, mundo, nombre):
    client.force_login(mundo.nacional)
    assert client.get(reverse(nombre, args=[uuid.uuid4()])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_list_holds_exactly_the_scope_of_the_year_shown(
    client, mundo_api, persona
):
    usuario = getattr(mundo_api, persona)
    client.force_login(usuario)
    anio = scoping.anio_mostrado(usuario)
    r = client.get(reverse("api:estudiante-list"), {"tamano": 500})
    vistos = {fila["uuid"] for fila in r.json()["results"]}
    esperados = {
        str(u)
        for u in scoping.matriculas_visibles(usuario)
        .vigentes()
        .filter(seccion__anio=anio)
        .values_list("estudiante__uuid", flat=True)
    }
    assert vistos == esperados
    r = client.get(reverse("api:seccion-list"), {"tamano": 500})
    assert {s["uuid"] for s in r.json()["results"]} == {
        str(u)
        for u in scoping.secciones_visibles(usuario)
        .filter(anio=anio)
        .values_list("uuid", flat=True)
    }


@pytest.mark.django_db
def test_last_years_tutor_and_director_see_no_student(client, mundo_api):
    for persona in ("tutor_anio_pasado", "director_anio_pasado"):
        client.force_login(getattr(mundo_api, persona))
        r = client.get(reverse("api:estudiante-list"))
        assert r.json()["results"] == []


@pytest.mark.django_db
def test_the_school_a_student_left_no_longer_lists_them(client, mundo_api):
    client.force_login(mundo_api.director_ie_dejada)
    r = client.get(reverse("api:estudiante-list"), {"ie": mundo_api.ie_tres.codigo})
    vistos = {fila["uuid"] for fila in r.json()["results"]}
    assert vistos
    assert str(mundo_api.se_traslado.uuid) not in vistos
    assert str(mundo_api.cambio_de_ie.uuid) not in vistos
