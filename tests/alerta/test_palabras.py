"""The words people read: what raises the risk (alto and medio only), whom the
home page greets, grado and sección as people write them, and downloads that
say when they hold students' names."""

import re
from io import StringIO

import pytest
from django.urls import reverse

from alerta.management.commands.demo import Command as Demo
from alerta.models import (
    GRADOS_POR_NIVEL,
    Asignacion,
    Nivel,
    Rol,
    Usuario,
    grado_corto,
    grado_en_palabras,
    letra_en_palabras,
)
from alerta.presentacion.conteos import Conteo
from alerta.presentacion.tableros import FilaGrado
from riesgo.factores import NIVELES_CON_FACTORES, frase
from riesgo.models import NivelRiesgo, Puntaje
from tests.factories import MatriculaFactory, SeccionFactory, UsuarioFactory, asignar

from .libros import libro, tabla

FACTOR = "inasistencias"
FRASE = frase(FACTOR)

pytestmark = pytest.mark.django_db


def _h1(r) -> str:
    return re.search(r"<h1>(.*?)</h1>", r.content.decode(), re.S).group(1).strip()


# --- What raises the risk: for alto and medio only -------------------------------


@pytest.fixture
def con_factores(mundo, puntajes):
    """Every score of the run names the same factor; sección A has one student
    at each level (0.05 bajo, 0.6 alto, 0.2 medio)."""
    Puntaje.objects.filter(ejecucion=puntajes).update(factor_1=FACTOR)
    niveles = dict(
        Puntaje.objects.filter(
            ejecucion=puntajes, matricula__seccion=mundo.seccion_a
        ).values_list("matricula__estudiante__nombres", "nivel")
    )
    # The world walks every level, or the tests below prove nothing.
    assert set(niveles.values()) == set(NivelRiesgo.values)
    return puntajes


def _se_muestra(nivel: str) -> bool:
    return nivel in (NivelRiesgo.ALTO, NivelRiesgo.MEDIO)


def test_factors_are_shown_for_alto_and_medio_and_nothing_else():
    assert {_se_muestra(n) for n in NIVELES_CON_FACTORES} == {True}
    assert set(NivelRiesgo.values) - NIVELES_CON_FACTORES == {NivelRiesgo.BAJO}


def test_the_list_shows_what_raises_the_risk_of_alto_and_medio_only(
    client, mundo, con_factores
):
    client.force_login(mundo.tutora)
    r = client.get(reverse("seccion_detalle", args=[mundo.seccion_a.uuid]))
    filas = r.context["filas"]
    for fila in filas:
        assert bool(fila.factores) == _se_muestra(fila.nivel_riesgo), fila.nivel_riesgo
    en_riesgo = sum(_se_muestra(f.nivel_riesgo) for f in filas)
    assert r.content.decode().count(FRASE) == en_riesgo == 2


def test_the_student_page_says_what_raises_the_risk_of_alto_and_medio_only(
    client, mundo, con_factores
):
    client.force_login(mundo.tutora)
    for m in mundo.matriculas_a:
        nivel = Puntaje.objects.get(ejecucion=con_factores, matricula=m).nivel
        html = client.get(
            reverse("estudiante_detalle", args=[m.estudiante.uuid])
        ).content.decode()
        assert ("Qué eleva su riesgo" in html) == _se_muestra(nivel), nivel
        assert (FRASE in html) == _se_muestra(nivel), nivel


def _factores_por_nivel(ws) -> list[tuple[str, str]]:
    _n, encabezado, filas = tabla(ws, "N.º")
    nivel = encabezado.index("Nivel de riesgo")
    factores = encabezado.index("Qué eleva su riesgo")
    return [(f[nivel], f[factores] or "") for f in filas]


def test_the_workbooks_say_what_raises_the_risk_of_alto_and_medio_only(
    client, mundo, con_factores
):
    etiquetas = {str(n.label): n.value for n in NivelRiesgo}
    client.force_login(mundo.director)
    seccion = libro(
        client.get(reverse("seccion_excel", args=[mundo.seccion_a.uuid]))
    ).active
    ie = libro(client.get(reverse("ie_excel", args=[mundo.ie_uno.codigo])))[
        str(mundo.seccion_a)
    ]
    for ws in (seccion, ie):
        filas = _factores_por_nivel(ws)
        assert {etiquetas[n] for n, _f in filas} == set(NivelRiesgo.values)
        for nivel, factores in filas:
            assert (FRASE in factores) == _se_muestra(etiquetas[nivel]), nivel
            assert factores in ("", FRASE)

    client.force_login(mundo.ugel)
    wb = libro(client.get(reverse("ugel_excel", args=[mundo.ugel_norte.codigo])))
    _n, encabezado, filas = tabla(wb["Nominal"], "Código modular")
    nivel, factores = (
        encabezado.index("Nivel de riesgo"),
        encabezado.index("Qué eleva su riesgo"),
    )
    assert filas and all(f[factores] == FRASE for f in filas)
    assert {etiquetas[f[nivel]] for f in filas} <= NIVELES_CON_FACTORES


# --- Greeting by name, never by username ---------------------------------------


@pytest.mark.parametrize("rol", Rol.values)
def test_the_home_page_greets_each_role_by_name(client, mundo, rol):
    usuario = Asignacion.objects.filter(rol=rol).order_by("pk").first().usuario
    usuario.first_name, usuario.last_name = "Rosa María", "Quispe Condori"
    usuario.save()
    client.force_login(usuario)
    saludo = _h1(client.get(reverse("inicio")))
    assert saludo == "Hola, Rosa María"


def test_without_a_name_the_greeting_is_still_human_and_never_the_username(
    client, mundo
):
    usuario = UsuarioFactory(username="especialista.ugel", first_name="", last_name="")
    asignar(usuario, Rol.ESPECIALISTA_UGEL, ugel=mundo.ugel_norte)
    client.force_login(usuario)
    r = client.get(reverse("inicio"))
    assert _h1(r) == "Hola, le damos la bienvenida"
    assert "especialista.ugel" not in r.content.decode()


def test_every_account_the_demo_creates_has_a_name_to_be_greeted_by(client, mundo):
    antes = set(Usuario.objects.values_list("pk", flat=True))
    Demo(stdout=StringIO())._cuentas()
    nuevas = Usuario.objects.exclude(pk__in=antes)
    assert nuevas.filter(username="especialista.ugel").exists()
    for usuario in nuevas:
        assert usuario.first_name and usuario.last_name, usuario.username
        client.force_login(usuario)
        assert _h1(client.get(reverse("inicio"))) == f"Hola, {usuario.first_name}"


# --- Grado and sección as people write them --------------------------------------


@pytest.mark.parametrize("nivel", Nivel.values)
def test_every_grado_reads_as_people_write_it(nivel):
    for grado in GRADOS_POR_NIVEL[nivel]:
        corto = grado_corto(nivel, grado)
        # Inicial counts years of age; the other niveles, ordinal grades.
        assert corto == (f"{grado} años" if nivel == Nivel.INICIAL else f"{grado}.º")
        assert grado_en_palabras(nivel, grado).startswith(corto)
        # The dashboards' rows by grado say it the same way.
        assert FilaGrado(nivel, grado, Conteo()).etiqueta == grado_en_palabras(
            nivel, grado
        )


@pytest.mark.parametrize("guardada", ["ÚNICA", "UNICA", "única"])
def test_a_single_seccion_reads_unica(guardada):
    assert letra_en_palabras(guardada) == "Única"


def test_a_seccion_letter_stays_as_it_is():
    assert letra_en_palabras("B") == "B"


@pytest.fixture
def cinco_anios(mundo, puntajes):
    """An inicial sección of 5-year-olds, the only one of its grado (ÚNICA), in
    IE Uno, with one student."""
    seccion = SeccionFactory(
        ie=mundo.ie_uno, nivel=Nivel.INICIAL, grado=5, letra="ÚNICA"
    )
    return MatriculaFactory(seccion=seccion)


def test_pages_and_workbooks_write_grado_and_seccion_as_people_do(
    client, mundo, cinco_anios
):
    seccion = cinco_anios.seccion
    assert str(seccion) == "5 años (inicial) Única"
    client.force_login(mundo.director)

    html = client.get(reverse("ie_detalle", args=[mundo.ie_uno.codigo])).content
    html = html.decode()
    assert "5 años (inicial) Única" in html
    assert "ÚNICA" not in html and "UNICA" not in html
    # The grado filter of the list.
    assert re.search(r'<option value="5">5 años</option>', html)
    assert re.search(r'<option value="3">3\.º</option>', html)

    ficha = client.get(
        reverse("estudiante_detalle", args=[cinco_anios.estudiante.uuid])
    ).content.decode()
    assert 'data-etiqueta="Grado">5 años</td>' in ficha
    assert 'data-etiqueta="Sección">Única</td>' in ficha

    wb = libro(client.get(reverse("ie_excel", args=[mundo.ie_uno.codigo])))
    _n, _e, filas = tabla(wb["Resumen"], "Nivel")
    assert ("Inicial", "5 años", "Única") in {f[:3] for f in filas}
    assert "5 años (inicial) Única" in wb.sheetnames


# --- Downloads with names say so ---------------------------------------------------


def test_the_ugel_dashboard_says_its_report_names_students(client, mundo, puntajes):
    from riesgo.scoring import agregados_escribir

    agregados_escribir(puntajes)
    client.force_login(mundo.ugel)
    html = client.get(
        reverse("ugel_detalle", args=[mundo.ugel_norte.codigo])
    ).content.decode()
    assert "Descargar reporte de la UGEL con nombres de estudiantes (Excel)" in html
    assert "esta página no muestra datos de estudiantes" not in html
    assert "el reporte que se descarga incluye nombres de estudiantes" in html
