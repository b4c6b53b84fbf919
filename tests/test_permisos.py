"""Every scoped URL crossed with every persona: inside the scope 200, outside 404.

Besides the personas of tests/conftest.py, the world here has a past: in 2025
Paco tutored 2.º A of IE Uno and Pilar directed IE Uno; Dante directs IE Tres,
the school that some of this year's IE Uno students left (one between years,
one during this year). This year (2026) is the school year shown: last year's
assignments open nothing, and the school a student left no longer sees them.
"""

import pytest
from django.urls import reverse

from alerta.models import SituacionFinal

from .factories import (
    IEFactory,
    MatriculaFactory,
    Rol,
    SeccionFactory,
    UsuarioFactory,
    asignar,
)

# The personas a school year leaves behind: each gets 404 wherever the current
# tutor and director get 200.
PERSONAS_DEL_PASADO = [
    "tutor_anio_pasado",
    "director_anio_pasado",
    "director_ie_dejada",
]

PERSONAS = [
    "tutora",
    "director",
    "tutor_otra_ie",
    "ugel",
    "ugel_otra",
    "dre",
    "nacional",
    *PERSONAS_DEL_PASADO,
]


@pytest.fixture
def mundo_con_pasado(mundo):
    ie_tres = IEFactory(nombre="IE TRES", ugel=mundo.ugel_norte)
    a_2025 = SeccionFactory(ie=mundo.ie_uno, anio=2025, grado=2, letra="A")
    tres_2025 = SeccionFactory(ie=ie_tres, anio=2025, grado=2)
    tres = SeccionFactory(ie=ie_tres)
    se_quedo, cambio_de_ie, se_traslado = (m.estudiante for m in mundo.matriculas_a)
    # Last year: one stayed in IE Uno, one was at IE Tres, and so was the one
    # who moved from IE Tres to IE Uno during this year.
    MatriculaFactory(estudiante=se_quedo, seccion=a_2025)
    MatriculaFactory(estudiante=mundo.matricula_b.estudiante, seccion=a_2025)
    MatriculaFactory(estudiante=cambio_de_ie, seccion=tres_2025)
    MatriculaFactory(estudiante=se_traslado, seccion=tres_2025)
    MatriculaFactory(
        estudiante=se_traslado,
        seccion=tres,
        situacion_final=SituacionFinal.TRASLADADO,
    )
    MatriculaFactory(seccion=tres)

    mundo.tutor_anio_pasado = UsuarioFactory(username="paco")
    mundo.director_anio_pasado = UsuarioFactory(username="pilar")
    mundo.director_ie_dejada = UsuarioFactory(username="dante")
    asignar(mundo.tutor_anio_pasado, Rol.TUTOR, seccion=a_2025)
    asignar(mundo.director_anio_pasado, Rol.DIRECTOR, ie=mundo.ie_uno, anio=2025)
    asignar(mundo.director_ie_dejada, Rol.DIRECTOR, ie=ie_tres, anio=2025)
    asignar(mundo.director_ie_dejada, Rol.DIRECTOR, ie=ie_tres, anio=2026)
    mundo.ie_tres, mundo.seccion_a_2025, mundo.seccion_tres = ie_tres, a_2025, tres
    mundo.seccion_tres_2025 = tres_2025
    mundo.cambio_de_ie, mundo.se_traslado = cambio_de_ie, se_traslado
    return mundo


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


def _accion_de_tutora(m):
    from .factories import accion

    return accion(m.tutora, m.matriculas_a[0]).uuid


def _accion_de_director_en_b(m):
    from .factories import accion

    return accion(m.director, m.matricula_b).uuid


def _docente(persona: str):
    """A teacher's use page: its argument, once the nightly aggregation ran."""

    def arg(m):
        from monitoreo.calculo import uso_calcular

        uso_calcular()
        return getattr(m, persona).pk

    return arg


def _otra_dre(m):
    """A DRE outside Dora's region."""
    from .factories import DreFactory

    return DreFactory(nombre="DRE OTRA").pk


def _capacitacion(ugel):
    def crear(m):
        import datetime as dt

        from capacitaciones.models import Capacitacion, Invitacion, Modalidad

        c = Capacitacion.objects.create(
            ugel=getattr(m, ugel),
            modalidad=Modalidad.INDIVIDUAL,
            fecha=dt.date(2026, 5, 12),
            lugar="UGEL",
            creada_por=m.nacional,
        )
        ie = m.ie_uno if ugel == "ugel_norte" else m.ie_sur
        Invitacion.objects.create(capacitacion=c, usuario=m.director, ie=ie)
        return c.uuid

    return crear


def _evaluacion(*ugeles, publicada=True):
    """An evaluation of the IEs of `ugeles`, drawn and (by default) published."""

    def crear(m):
        from pilotos.models import Unidad
        from pilotos.services import (
            evaluacion_crear,
            evaluacion_publicar,
            evaluacion_sortear,
        )

        e = evaluacion_crear(
            creada_por=m.nacional,
            ugeles=[getattr(m, u) for u in ugeles],
            nombre="Piloto",
            unidad=Unidad.IE,
            brazos=[
                {"codigo": "C", "proporcion": "0.5", "control": True},
                {"codigo": "T", "proporcion": "0.5"},
            ],
            semilla=1,
        )
        evaluacion_sortear(evaluacion=e)
        if publicada:
            evaluacion_publicar(evaluacion=e)
        return e.uuid

    return crear


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
    # Everyone signed in has a home page (what it lists is in tests/alerta) and
    # changes their own password.
    ("inicio", None, set(PERSONAS)),
    ("clave_cambiar", None, set(PERSONAS)),
    # Everyone manages their own API tokens (only their own: crossed with every
    # persona in tests/api/test_tokens_portal.py).
    ("tokens", None, set(PERSONAS)),
    # And chooses their own e-mail digests (tests/avisos/test_preferencias.py).
    ("avisos:preferencias", None, set(PERSONAS)),
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
    # Last year's secciones: below Minedu, nobody opens them any more, not even
    # their tutor or the director of their IE.
    ("seccion_detalle", lambda m: m.seccion_a_2025.uuid, {"nacional"}),
    ("seccion_excel", lambda m: m.seccion_a_2025.uuid, {"nacional"}),
    ("seccion_detalle", lambda m: m.seccion_tres_2025.uuid, {"nacional"}),
    # A student who changed IE between years, and one who moved out of IE Tres
    # during this year: their page is the new school's, not the old one's.
    (
        "estudiante_detalle",
        lambda m: m.cambio_de_ie.uuid,
        {"tutora", "director", "ugel", "dre", "nacional"},
    ),
    (
        "estudiante_detalle",
        lambda m: m.se_traslado.uuid,
        {"tutora", "director", "ugel", "dre", "nacional"},
    ),
    # The school they left is still directed this year: its own pages open.
    (
        "seccion_detalle",
        lambda m: m.seccion_tres.uuid,
        {"director_ie_dejada", "ugel", "dre", "nacional"},
    ),
    (
        "ie_detalle",
        lambda m: m.ie_tres.codigo,
        {"director_ie_dejada", "ugel", "dre", "nacional"},
    ),
    (
        "ie_excel",
        lambda m: m.ie_tres.codigo,
        {"director_ie_dejada", "ugel", "dre", "nacional"},
    ),
    ("ie_tutores", lambda m: m.ie_tres.codigo, {"director_ie_dejada", "nacional"}),
    ("ie_tutor_nuevo", lambda m: m.ie_tres.codigo, {"director_ie_dejada", "nacional"}),
    # The monthly contact record is written by the sección's tutor and the
    # IE's director; UGEL, DRE and Minedu read its counts elsewhere.
    (
        "seguimiento:registro-mensual",
        lambda m: m.seccion_a.uuid,
        {"tutora", "director"},
    ),
    ("seguimiento:registro-mensual", lambda m: m.seccion_b.uuid, {"director"}),
    ("seguimiento:registro-mensual", lambda m: m.seccion_a_2025.uuid, set()),
    (
        "seguimiento:registro-mensual",
        lambda m: m.seccion_tres.uuid,
        {"director_ie_dejada"},
    ),
    # Follow-up actions: written by the tutor and the director of this year,
    # corrected only by their author, their history read by whoever reads the
    # student.
    (
        "seguimiento:accion_nueva",
        lambda m: m.matriculas_a[0].estudiante.uuid,
        {"tutora", "director"},
    ),
    (
        "seguimiento:accion_nueva",
        lambda m: m.matricula_b.estudiante.uuid,
        {"director"},
    ),
    ("seguimiento:accion_nueva", lambda m: m.se_traslado.uuid, {"tutora", "director"}),
    ("seguimiento:accion_corregir", _accion_de_tutora, {"tutora"}),
    ("seguimiento:accion_corregir", _accion_de_director_en_b, {"director"}),
    (
        "seguimiento:accion_historial",
        _accion_de_tutora,
        {"tutora", "director", "ugel", "dre", "nacional"},
    ),
    (
        "seguimiento:accion_historial",
        _accion_de_director_en_b,
        {"director", "ugel", "dre", "nacional"},
    ),
    # Use monitoring: a UGEL sees its own IEs and teachers, a DRE its UGELs',
    # Minedu all; a director their own IE's teachers; tutors nothing.
    ("monitoreo:ugel", lambda m: m.ugel_norte.codigo, {"ugel", "dre", "nacional"}),
    ("monitoreo:ugel", lambda m: m.ugel_sur.codigo, {"ugel_otra", "dre", "nacional"}),
    (
        "monitoreo:ugel_docentes",
        lambda m: m.ugel_norte.codigo,
        {"ugel", "dre", "nacional"},
    ),
    (
        "monitoreo:ugel_docentes",
        lambda m: m.ugel_sur.codigo,
        {"ugel_otra", "dre", "nacional"},
    ),
    (
        "monitoreo:ugel_libro",
        lambda m: m.ugel_norte.codigo,
        {"ugel", "dre", "nacional"},
    ),
    (
        "monitoreo:ugel_libro",
        lambda m: m.ugel_sur.codigo,
        {"ugel_otra", "dre", "nacional"},
    ),
    (
        "monitoreo:ie",
        lambda m: m.ie_uno.codigo,
        {"director", "ugel", "dre", "nacional"},
    ),
    ("monitoreo:ie", lambda m: m.ie_sur.codigo, {"ugel_otra", "dre", "nacional"}),
    (
        "monitoreo:ie",
        lambda m: m.ie_tres.codigo,
        {"director_ie_dejada", "ugel", "dre", "nacional"},
    ),
    ("monitoreo:docente", _docente("tutora"), {"director", "ugel", "dre", "nacional"}),
    ("monitoreo:docente", _docente("tutor_otra_ie"), {"ugel", "dre", "nacional"}),
    # Last year's tutor is nobody's teacher now: not even Minedu finds him.
    ("monitoreo:docente", _docente("tutor_anio_pasado"), set()),
    ("monitoreo:dre", lambda m: m.ugel_norte.dre.pk, {"dre", "nacional"}),
    ("monitoreo:nacional", None, {"nacional"}),
    # Outcome report: aggregates of the scope, its pages and workbooks.
    ("resultados:nacional", None, {"nacional"}),
    ("resultados:nacional_libro", None, {"nacional"}),
    ("resultados:dre", lambda m: m.ugel_norte.dre.pk, {"dre", "nacional"}),
    ("resultados:dre", _otra_dre, {"nacional"}),
    ("resultados:dre_libro", lambda m: m.ugel_norte.dre.pk, {"dre", "nacional"}),
    ("resultados:dre_libro", _otra_dre, {"nacional"}),
    *(
        (f"resultados:{nombre}", lambda m, u=ugel: getattr(m, u).codigo, quienes)
        for nombre in ("ugel", "ugel_libro")
        for ugel, quienes in (
            ("ugel_norte", {"ugel", "dre", "nacional"}),
            ("ugel_sur", {"ugel_otra", "dre", "nacional"}),
        )
    ),
]


# Trainings: a UGEL's are read by its specialists, the DRE's and Minedu, and
# planned (new session, invitations, attendance, edits, cancelling) by the UGEL's
# specialists and Minedu only; never by teachers, this year's or last year's.
URLS += [
    (
        "capacitaciones:ugel",
        lambda m: m.ugel_norte.codigo,
        {"ugel", "dre", "nacional"},
    ),
    (
        "capacitaciones:ugel",
        lambda m: m.ugel_sur.codigo,
        {"ugel_otra", "dre", "nacional"},
    ),
    (
        "capacitaciones:comparacion",
        lambda m: m.ugel_norte.codigo,
        {"ugel", "dre", "nacional"},
    ),
    (
        "capacitaciones:comparacion",
        lambda m: m.ugel_sur.codigo,
        {"ugel_otra", "dre", "nacional"},
    ),
    ("capacitaciones:nueva", lambda m: m.ugel_norte.codigo, {"ugel", "nacional"}),
    ("capacitaciones:nueva", lambda m: m.ugel_sur.codigo, {"ugel_otra", "nacional"}),
    (
        "capacitaciones:detalle",
        _capacitacion("ugel_norte"),
        {"ugel", "dre", "nacional"},
    ),
    (
        "capacitaciones:detalle",
        _capacitacion("ugel_sur"),
        {"ugel_otra", "dre", "nacional"},
    ),
    *(
        (f"capacitaciones:{nombre}", _capacitacion(ugel), quienes)
        for nombre in ("invitar", "asistencia", "editar", "cancelar")
        for ugel, quienes in (
            ("ugel_norte", {"ugel", "nacional"}),
            ("ugel_sur", {"ugel_otra", "nacional"}),
        )
    ),
]


# Pilots: Minedu designs them; a UGEL's specialists read the published ones
# that include their UGEL (only their own units); nobody else, not even the DRE.
URLS += [
    ("pilotos:lista", None, {"ugel", "ugel_otra", "nacional"}),
    ("pilotos:nueva", None, {"nacional"}),
    *(
        (f"pilotos:{nombre}", crear, quienes)
        for nombre in ("detalle", "xlsx", "csv")
        for crear, quienes in (
            (_evaluacion("ugel_norte"), {"ugel", "nacional"}),
            (_evaluacion("ugel_sur"), {"ugel_otra", "nacional"}),
            (_evaluacion("ugel_norte", "ugel_sur"), {"ugel", "ugel_otra", "nacional"}),
            (_evaluacion("ugel_norte", publicada=False), {"nacional"}),
        )
    ),
    ("pilotos:publicar", _evaluacion("ugel_norte", publicada=False), {"nacional"}),
    ("pilotos:publicar", _evaluacion("ugel_norte"), {"nacional"}),
    # Results exist once the arms act: a draft has none, not even for Minedu.
    *(
        ("pilotos:resultados", crear, quienes)
        for crear, quienes in (
            (_evaluacion("ugel_norte"), {"ugel", "nacional"}),
            (_evaluacion("ugel_sur"), {"ugel_otra", "nacional"}),
            (_evaluacion("ugel_norte", "ugel_sur"), {"ugel", "ugel_otra", "nacional"}),
            (_evaluacion("ugel_norte", publicada=False), set()),
        )
    ),
]


# Named URLs that show nothing in anyone's scope: sign-in and password pages,
# the health check, the guidance library (crossed with audiences in
# tests/orientaciones), the model actions that take only a POST (crossed with
# every persona in tests/riesgo/test_vistas_modelos.py) and an import's retry,
# POST only too (crossed with every persona in tests/siagie_import/test_sin_cola.py),
# starting the outcome report, POST only (crossed with every persona in
# tests/resultados/test_vistas.py),
# revoking an API token, POST only and only one's own (crossed with every persona
# in tests/api/test_tokens_portal.py), the offline service worker and the web
# app manifest (the same text for everyone; tests/seguimiento/test_sin_conexion.py).
# The API (namespace `api`) answers 401
# rather than a redirect to sign in: its own table, walked the same way, is in
# tests/api/test_permisos_api.py.
SIN_ALCANCE = {
    "login",
    "logout",
    "primer_ingreso",
    "primer_ingreso_hecho",
    "clave_olvidada",
    "clave_olvidada_enviada",
    "clave_restablecer",
    "clave_restablecida",
    "clave_cambiada",
    "salud",
    "orientaciones:lista",
    "orientaciones:detalle",
    "modelos:entrenar",
    "modelos:restaurar",
    "modelos:publicar",
    "modelos:retirar",
    "importacion:reintentar",
    "resultados:calcular",
    "token_revocar",
    "service_worker",
    "manifest",
    # POST only: crossed with every persona in tests/pilotos/test_vistas.py.
    "pilotos:sortear",
}


def _nombres_de_urls(resolver, namespace: str = "") -> set[str]:
    nombres = set()
    for p in resolver.url_patterns:
        if hasattr(p, "url_patterns"):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            if ns not in ("admin:", "api:"):
                nombres |= _nombres_de_urls(p, ns)
        elif p.name:
            nombres.add(f"{namespace}{p.name}")
    return nombres


def test_every_named_url_is_in_the_table_or_shows_nothing_scoped():
    from django.urls import get_resolver

    en_tabla = {nombre for nombre, _arg, _q in URLS}
    assert _nombres_de_urls(get_resolver()) - SIN_ALCANCE == en_tabla


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
    client, mundo_con_pasado, puntajes, nombre, arg, persona, puede
):
    client.force_login(getattr(mundo_con_pasado, persona))
    r = client.get(_url(nombre, arg, mundo_con_pasado))
    assert r.status_code == (200 if puede else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("nombre,arg,_q", URLS)
def test_anonymous_is_sent_to_login(client, mundo_con_pasado, nombre, arg, _q):
    r = client.get(_url(nombre, arg, mundo_con_pasado))
    assert r.status_code == 302
    assert r["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_guessed_seccion_uuid_is_404_even_for_national(client, mundo):
    import uuid

    client.force_login(mundo.nacional)
    r = client.get(reverse("seccion_detalle", args=[uuid.uuid4()]))
    assert r.status_code == 404
