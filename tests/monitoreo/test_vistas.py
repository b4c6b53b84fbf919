"""The use monitoring pages read the nightly aggregates within scope.

Scope (200 or 404 for every persona) is in tests/test_permisos.py and the
access log in tests/alerta/test_auditoria.py; here, what the pages say.
"""

from datetime import datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alerta.models import RegistroAcceso, Rol
from monitoreo import calculo
from monitoreo.models import Ingreso, UsoAmbitoSemana
from tests.factories import IEFactory, SeccionFactory, UsuarioFactory, asignar

pytestmark = pytest.mark.django_db

LIMA = ZoneInfo("America/Lima")


def _ingreso(usuario, momento):
    fila = Ingreso.objects.create(usuario=usuario)
    Ingreso.objects.filter(pk=fila.pk).update(fecha=momento)


@pytest.fixture
def calculado(mundo, puntajes):
    """Tania signed in this week; Diego never did; Tomás (IE Dos) neither.
    The whole world's figures, computed."""
    from django.utils import timezone

    hoy = timezone.localdate()
    _ingreso(mundo.tutora, datetime.combine(hoy, time(0, 5), tzinfo=LIMA))
    mundo.tutora.last_login = timezone.now()
    mundo.tutora.save(update_fields=["last_login"])
    calculo.uso_calcular()
    return mundo


def _texto(respuesta) -> str:
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def test_the_ugel_page_shows_its_series_its_ies_and_no_teacher_names(client, calculado):
    client.force_login(calculado.ugel)
    html = _texto(
        client.get(reverse("monitoreo:ugel", args=[calculado.ugel_norte.codigo]))
    )
    assert 'id="tabla-serie"' in html and 'id="datos-uso"' in html
    # Its two IEs, not UGEL Sur's.
    assert "IE UNO" in html and "IE DOS" in html and "IE SUR" not in html
    # No names on the aggregate page, and no access recorded.
    for persona in (calculado.tutora, calculado.director, calculado.tutor_otra_ie):
        assert persona.get_full_name() not in html
    assert not RegistroAcceso.objects.exists()


def test_the_ugel_headline_is_this_weeks_distinct_teachers(client, calculado):
    client.force_login(calculado.ugel)
    respuesta = client.get(
        reverse("monitoreo:ugel", args=[calculado.ugel_norte.codigo])
    )
    semanas = respuesta.context["semanas"]
    assert len(semanas) == 12
    # Three teachers with an account (Tania, Diego, Tomás); one used it.
    assert (semanas[-1].docentes, semanas[-1].activos) == (3, 1)
    resumen = respuesta.context["resumen"]
    assert (resumen.docentes, resumen.activos, resumen.nunca_ingresaron) == (3, 1, 2)
    # IE Uno: two alto and one medio students (the `puntajes` run).
    assert (resumen.alto, resumen.medio) == (2, 1)


def test_an_ie_with_alto_students_and_no_use_is_listed_first(client, mundo, puntajes):
    calculo.uso_calcular()
    client.force_login(mundo.ugel)
    respuesta = client.get(reverse("monitoreo:ugel", args=[mundo.ugel_norte.codigo]))
    sin_uso = [f.ie for f in respuesta.context["sin_uso"]]
    assert sin_uso == [mundo.ie_uno]
    assert respuesta.context["resumen"].sin_uso_30_dias == 1


def test_the_teachers_page_names_them_and_filters_who_never_signed_in(
    client, calculado
):
    client.force_login(calculado.ugel)
    url = reverse("monitoreo:ugel_docentes", args=[calculado.ugel_norte.codigo])
    todos = [f.usuario for f in client.get(url).context["docentes"]]
    assert set(todos) == {calculado.tutora, calculado.director, calculado.tutor_otra_ie}
    nunca = [
        f.usuario for f in client.get(url, {"filtro": "nunca"}).context["docentes"]
    ]
    assert set(nunca) == {calculado.director, calculado.tutor_otra_ie}
    # An unknown filter is ignored, not an error.
    assert len(client.get(url, {"filtro": "x"}).context["docentes"]) == 3


def test_the_ie_page_shows_its_own_teachers_only(client, calculado):
    client.force_login(calculado.director)
    html = _texto(client.get(reverse("monitoreo:ie", args=[calculado.ie_uno.codigo])))
    assert calculado.tutora.get_full_name() in html
    assert reverse("monitoreo:docente", args=[calculado.tutora.pk]) in html
    assert reverse("monitoreo:docente", args=[calculado.tutor_otra_ie.pk]) not in html


def test_a_teachers_page_shows_their_weeks(client, calculado):
    client.force_login(calculado.ugel)
    respuesta = client.get(reverse("monitoreo:docente", args=[calculado.tutora.pk]))
    semanas = respuesta.context["semanas"]
    assert semanas[-1].ingresos == 1
    assert sum(s.ingresos for s in semanas) == 1
    assert respuesta.context["grafico"]["barras"]


def test_a_teacher_of_two_ies_is_seen_only_where_the_reader_may_look(client, calculado):
    # Tomás also tutors at IE Sur (UGEL Sur): UGEL Norte's specialist sees his
    # IE Dos row only, UGEL Sur's his IE Sur row only.
    asignar(calculado.tutor_otra_ie, Rol.TUTOR, seccion=calculado.seccion_sur)
    calculo.uso_calcular()
    url = reverse("monitoreo:docente", args=[calculado.tutor_otra_ie.pk])
    client.force_login(calculado.ugel)
    assert [f.ie for f in client.get(url).context["filas"]] == [calculado.ie_dos]
    client.force_login(calculado.ugel_otra)
    assert [f.ie for f in client.get(url).context["filas"]] == [calculado.ie_sur]


def test_the_dre_and_the_country_compare_their_parts(client, calculado):
    client.force_login(calculado.dre)
    respuesta = client.get(reverse("monitoreo:dre", args=[calculado.ugel_norte.dre.pk]))
    hijos = dict(respuesta.context["hijos"])
    assert hijos[calculado.ugel_norte].docentes == 3
    assert hijos[calculado.ugel_sur].docentes == 0
    client.force_login(calculado.nacional)
    respuesta = client.get(reverse("monitoreo:nacional"))
    hijos = dict(respuesta.context["hijos"])
    assert hijos[calculado.ugel_norte.dre].activos == 1


def test_before_the_first_run_the_pages_say_so(client, mundo):
    client.force_login(mundo.ugel)
    html = _texto(client.get(reverse("monitoreo:ugel", args=[mundo.ugel_norte.codigo])))
    assert "todavía no se ha calculado" in html


def test_the_ugel_page_costs_the_same_queries_with_more_ies(
    client, calculado, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("monitoreo:ugel", args=[calculado.ugel_norte.codigo])
    client.force_login(calculado.ugel)
    with CaptureQueriesContext(connection) as antes:
        client.get(url)
    for n in range(30):
        ie = IEFactory(nombre=f"IE EXTRA {n}", ugel=calculado.ugel_norte)
        asignar(UsuarioFactory(), Rol.TUTOR, seccion=SeccionFactory(ie=ie))
    calculo.uso_calcular()
    with django_assert_max_num_queries(len(antes)):
        respuesta = client.get(url)
    assert respuesta.context["ies"].paginator.count == 32


def test_the_workbook_has_the_weeks_the_ies_and_the_teachers(client, calculado):
    client.force_login(calculado.ugel)
    respuesta = client.get(
        reverse("monitoreo:ugel_libro", args=[calculado.ugel_norte.codigo])
    )
    assert respuesta.status_code == 200
    libro = load_workbook(BytesIO(b"".join(respuesta.streaming_content)))
    assert libro.sheetnames == ["Semanas", "Instituciones", "Docentes"]

    encabezados = {"Semanas": "Semana (lunes)", "Instituciones": "Código modular"}

    def filas(hoja):
        # The table starts under its header, after the front block.
        valores = list(libro[hoja].iter_rows(values_only=True))
        titulo = encabezados.get(hoja, "Código modular")
        inicio = next(i for i, f in enumerate(valores) if f[0] == titulo)
        return valores[inicio + 1 :]

    assert len(filas("Semanas")) == 12
    instituciones = {f[2] for f in filas("Instituciones")}
    assert instituciones == {calculado.ie_uno.rotulo, calculado.ie_dos.rotulo}
    docentes = {f[2] for f in filas("Docentes")}
    assert "Apellido, Nombre" in docentes
    assert len(filas("Docentes")) == 3
    ultima = UsoAmbitoSemana.objects.filter(tipo="ugel").order_by("semana").last()
    assert filas("Semanas")[-1][2] == ultima.activos


def test_every_week_of_the_series_starts_on_a_monday(calculado):
    semanas = set(UsoAmbitoSemana.objects.values_list("semana", flat=True))
    assert len(semanas) == calculo.SEMANAS_HISTORIA
    assert {s.weekday() for s in semanas} == {0}


@pytest.mark.parametrize(
    ("persona", "pagina", "enlace"),
    [
        (
            "ugel",
            lambda m: reverse("inicio"),
            lambda m: ("monitoreo:ugel", [m.ugel_norte.codigo]),
        ),
        (
            "ugel",
            lambda m: reverse("ugel_detalle", args=[m.ugel_norte.codigo]),
            lambda m: ("monitoreo:ugel", [m.ugel_norte.codigo]),
        ),
        (
            "director",
            lambda m: reverse("ie_detalle", args=[m.ie_uno.codigo]),
            lambda m: ("monitoreo:ie", [m.ie_uno.codigo]),
        ),
        (
            "dre",
            lambda m: reverse("dre_detalle", args=[m.ugel_norte.dre.pk]),
            lambda m: ("monitoreo:dre", [m.ugel_norte.dre.pk]),
        ),
        (
            "nacional",
            lambda m: reverse("nacional"),
            lambda m: ("monitoreo:nacional", []),
        ),
    ],
)
def test_each_reader_finds_the_monitoring_from_their_pages(
    client, mundo, puntajes, persona, pagina, enlace
):
    client.force_login(getattr(mundo, persona))
    nombre, args = enlace(mundo)
    assert reverse(nombre, args=args) in _texto(client.get(pagina(mundo)))


def test_a_teacher_of_two_ies_is_one_teacher_of_the_ugel_and_of_the_dre(
    client, calculado
):
    asignar(calculado.tutora, Rol.TUTOR, seccion=calculado.seccion_dos)
    calculo.uso_calcular()
    client.force_login(calculado.dre)
    ugel = client.get(
        reverse("monitoreo:ugel", args=[calculado.ugel_norte.codigo])
    ).context["resumen"]
    assert (ugel.docentes, ugel.activos, ugel.nunca_ingresaron) == (3, 1, 2)
    # Each IE counts her.
    dos = client.get(reverse("monitoreo:ie", args=[calculado.ie_dos.codigo]))
    assert (dos.context["resumen"].docentes, dos.context["resumen"].activos) == (2, 1)
    hijos = dict(
        client.get(
            reverse("monitoreo:dre", args=[calculado.ugel_norte.dre.pk])
        ).context["hijos"]
    )
    assert (
        hijos[calculado.ugel_norte].docentes,
        hijos[calculado.ugel_norte].activos,
    ) == (3, 1)
