"""Arms that act: what each arm lets its teachers receive, when the arms act,
publishing with its date, the policy (pilotos.brazos) and the record of what
each unit received, on the evaluation's page and in its workbook."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from capacitaciones.models import Modalidad
from pilotos import brazos
from pilotos.forms import EvaluacionForm
from pilotos.models import (
    Estado,
    Recepcion,
    TipoRecepcion,
    UnidadEvaluacion,
    capacitacion_de,
    recibe_resumen,
    validar_brazos,
)
from pilotos.services import (
    actua_hasta_por_defecto,
    evaluacion_publicar,
    evaluacion_sortear,
)
from seguimiento.agregados import anio_escolar
from tests.factories import IEFactory, Rol, SeccionFactory, UsuarioFactory, asignar

from .conftest import ARMADOS, BRAZOS, crear

HOY = timezone.localdate


def unidad_de(evaluacion, ie) -> UnidadEvaluacion:
    return evaluacion.unidades.get(ies=ie)


def poner_en_brazo(evaluacion, ie, codigo: str) -> UnidadEvaluacion:
    """Move the unit holding `ie` into arm `codigo` (tests plant the arm)."""
    unidad = unidad_de(evaluacion, ie)
    UnidadEvaluacion.objects.filter(pk=unidad.pk).update(brazo=codigo)
    unidad.refresh_from_db()
    return unidad


class TestPolitica:
    def test_defaults_control_withholds_treatments_get_the_digest(self):
        control, *tratamientos = BRAZOS
        assert recibe_resumen(control) is False
        assert capacitacion_de(control) == ""
        for t in tratamientos:
            assert recibe_resumen(t) is True
            assert capacitacion_de(t) == ""

    def test_explicit_flags_win_on_every_arm(self):
        validar_brazos(ARMADOS)
        assert [recibe_resumen(b) for b in ARMADOS] == [False, True, False, True]
        assert [capacitacion_de(b) for b in ARMADOS] == [
            "",
            Modalidad.INDIVIDUAL,
            Modalidad.GRUPO_PEQUENO,
            "",
        ]

    @pytest.mark.parametrize(
        "cambio, codigo",
        [
            ({"resumen": "sí"}, "resumen"),
            ({"resumen": 1}, "resumen"),
            ({"capacitacion": "TALLER"}, "capacitacion"),
        ],
    )
    def test_bad_flags_are_refused_in_spanish(self, cambio, codigo):
        malos = [dict(ARMADOS[0]), {**ARMADOS[1], **cambio}, *ARMADOS[2:]]
        with pytest.raises(ValidationError) as exc:
            validar_brazos(malos)
        assert exc.value.code == codigo
        assert "brazo T1" in exc.value.messages[0]


class TestFormulario:
    def _brazos(self, mundo, texto):
        form = EvaluacionForm(
            data={
                "nombre": "P",
                "unidad": "IE",
                "ugeles": [mundo.ugel_norte.pk],
                "minimo_en_riesgo": "0",
                "area": "",
                "semilla": "1",
                "brazos_texto": texto,
            }
        )
        assert form.is_valid(), form.errors
        return form.cleaned_data["brazos_texto"]

    def test_the_initial_text_gives_every_arm_its_training(self, mundo):
        from pilotos.forms import BRAZOS_INICIALES

        b = self._brazos(mundo, BRAZOS_INICIALES)
        assert [(x["resumen"], x["capacitacion"]) for x in b] == [
            (False, ""),
            (True, Modalidad.INDIVIDUAL),
            (True, Modalidad.GRUPO_PEQUENO),
            (True, Modalidad.GRUPO_GRANDE),
        ]

    def test_labels_codes_and_accents_are_read(self, mundo):
        b = self._brazos(
            mundo,
            "C; Control; 0.5; Sí; GRUPO_GRANDE\nT; Trat; 0.5; no; Grupo pequeno",
        )
        assert (b[0]["resumen"], b[0]["capacitacion"]) == (
            True,
            Modalidad.GRUPO_GRANDE,
        )
        assert (b[1]["resumen"], b[1]["capacitacion"]) == (
            False,
            Modalidad.GRUPO_PEQUENO,
        )

    def test_without_the_last_parts_the_defaults_hold(self, mundo):
        b = self._brazos(mundo, "C; Control; 0.5\nT; Trat; 0.5")
        assert "resumen" not in b[0] and "capacitacion" not in b[1]
        assert [recibe_resumen(x) for x in b] == [False, True]

    @pytest.mark.parametrize(
        "texto, mensaje",
        [
            ("C; Control; 0.5; quizá\nT; T; 0.5", "«sí» o «no»"),
            ("C; Control; 0.5; no; taller\nT; T; 0.5", "grupo pequeño, grupo grande"),
            ("C; Control; 0.5; no; ninguna; extra\nT; T; 0.5", "tres partes"),
        ],
    )
    def test_bad_parts_are_explained(self, mundo, texto, mensaje):
        form = EvaluacionForm(data={"brazos_texto": texto})
        form.is_valid()
        assert mensaje in form.errors["brazos_texto"][0]


class TestPublicar:
    def test_by_default_arms_act_to_the_end_of_the_runs_school_year(
        self, evaluacion, puntajes
    ):
        esperado = anio_escolar(puntajes.anio)[1]
        assert actua_hasta_por_defecto(evaluacion) == esperado
        evaluacion_publicar(evaluacion=evaluacion)
        evaluacion.refresh_from_db()
        assert evaluacion.actua_hasta == esperado

    def test_a_date_in_the_past_is_refused(self, evaluacion):
        with pytest.raises(ValidationError) as exc:
            evaluacion_publicar(
                evaluacion=evaluacion, actua_hasta=HOY() - timedelta(days=1)
            )
        assert exc.value.code == "actua_hasta"
        evaluacion.refresh_from_db()
        assert evaluacion.estado == Estado.BORRADOR

    def test_another_acting_evaluation_with_the_same_ies_is_refused(
        self, mundo, evaluacion
    ):
        evaluacion_publicar(evaluacion=evaluacion, actua_hasta=HOY())
        otra = evaluacion_sortear(
            evaluacion=crear(mundo, nombre="Otra", ugeles=[mundo.ugel_sur])
        )
        with pytest.raises(ValidationError) as exc:
            evaluacion_publicar(evaluacion=otra)
        assert exc.value.code == "superpuesta"
        assert "«Capacitaciones 2026»" in exc.value.messages[0]
        otra.refresh_from_db()
        assert otra.estado == Estado.BORRADOR

    def test_once_the_other_stops_acting_it_may_be_published(self, mundo, evaluacion):
        evaluacion_publicar(evaluacion=evaluacion, actua_hasta=HOY())
        type(evaluacion).objects.filter(pk=evaluacion.pk).update(
            actua_hasta=HOY() - timedelta(days=1)
        )
        otra = evaluacion_sortear(evaluacion=crear(mundo, ugeles=[mundo.ugel_sur]))
        evaluacion_publicar(evaluacion=otra)
        otra.refresh_from_db()
        assert otra.publicada

    def test_evaluations_without_shared_ies_both_act(self, mundo, red):
        norte = evaluacion_sortear(evaluacion=crear(mundo, ugeles=[mundo.ugel_norte]))
        sur = evaluacion_sortear(evaluacion=crear(mundo, ugeles=[mundo.ugel_sur]))
        evaluacion_publicar(evaluacion=norte)
        evaluacion_publicar(evaluacion=sur)
        assert set(brazos.evaluaciones_que_actuan(HOY())) == {norte, sur}

    def test_the_page_asks_for_the_date_and_publishes_with_it(
        self, client, mundo, evaluacion, puntajes
    ):
        client.force_login(mundo.nacional)
        url = reverse("pilotos:publicar", args=[evaluacion.uuid])
        html = client.get(url).content.decode()
        assert 'type="date"' in html
        assert anio_escolar(puntajes.anio)[1].isoformat() in html
        hasta = HOY() + timedelta(days=30)
        r = client.post(url, {"actua_hasta": hasta.isoformat()})
        assert r.status_code == 302
        evaluacion.refresh_from_db()
        assert evaluacion.actua_hasta == hasta

    def test_the_page_explains_a_refusal(self, client, mundo, evaluacion):
        client.force_login(mundo.nacional)
        url = reverse("pilotos:publicar", args=[evaluacion.uuid])
        r = client.post(url, {"actua_hasta": "2001-01-01"})
        assert r.status_code == 200
        assert "no puede ser anterior a hoy" in r.content.decode()

    def test_the_date_is_read_only_in_the_admin(self):
        from django.contrib.admin.sites import site

        from pilotos.models import Evaluacion

        assert "actua_hasta" in site._registry[Evaluacion].readonly_fields


class TestBrazosVigentes:
    def test_only_a_published_evaluation_within_its_dates_acts(self, mundo, evaluacion):
        ie = mundo.ie_uno.pk
        assert brazos.brazos_vigentes([ie], HOY()) == {}
        evaluacion_publicar(evaluacion=evaluacion, actua_hasta=HOY())
        vigente = brazos.brazos_vigentes([ie], HOY())[ie]
        assert vigente.evaluacion == evaluacion
        assert vigente.unidad == unidad_de(evaluacion, mundo.ie_uno)
        assert vigente.brazo["codigo"] == vigente.unidad.brazo
        assert vigente.ie_codigo == mundo.ie_uno.codigo
        # Not after its last day, nor before the day it was published.
        assert brazos.brazos_vigentes([ie], HOY() + timedelta(days=1)) == {}
        assert brazos.brazos_vigentes([ie], HOY() - timedelta(days=1)) == {}

    def test_evaluations_published_before_arms_could_act_never_act(
        self, mundo, evaluacion
    ):
        evaluacion_publicar(evaluacion=evaluacion)
        type(evaluacion).objects.filter(pk=evaluacion.pk).update(actua_hasta=None)
        assert brazos.brazos_vigentes([mundo.ie_uno.pk], HOY()) == {}

    def test_one_query_whatever_the_ies(
        self, mundo, red, evaluacion, django_assert_num_queries
    ):
        evaluacion_publicar(evaluacion=evaluacion)
        with django_assert_num_queries(1):
            vigentes = brazos.brazos_vigentes([ie.pk for ie in red], HOY())
        assert len(vigentes) == 24

    @pytest.mark.parametrize("brazo", ARMADOS, ids=lambda b: b["codigo"])
    def test_each_arm_decides_digest_and_trainings(self, mundo, red, brazo):
        e = evaluacion_sortear(evaluacion=crear(mundo, brazos=ARMADOS))
        poner_en_brazo(e, mundo.ie_uno, brazo["codigo"])
        evaluacion_publicar(evaluacion=e)
        ie = mundo.ie_uno.pk
        repartos = brazos.resumen_permitido([mundo.tutora.pk], HOY(), anio=2026)
        assert list(repartos) == [mundo.tutora.pk]
        reparto = repartos[mundo.tutora.pk]
        assert reparto.permitido is brazo["resumen"]
        assert reparto.unidades == (unidad_de(e, mundo.ie_uno).pk,)
        for modalidad in Modalidad.values:
            esperado = brazo["capacitacion"] == modalidad
            assert brazos.invitacion_permitida(ie, modalidad, HOY()) is esperado
            por_usuario = brazos.invitaciones_permitidas(
                [mundo.director.pk], modalidad, HOY(), anio=2026
            )
            assert por_usuario[mundo.director.pk].permitido is esperado

    def test_teachers_outside_any_pilot_are_not_in_the_answer(self, mundo, red):
        e = evaluacion_sortear(
            evaluacion=crear(mundo, brazos=ARMADOS, ugeles=[mundo.ugel_sur])
        )
        evaluacion_publicar(evaluacion=e)
        assert (
            brazos.resumen_permitido(
                [mundo.tutora.pk, mundo.director.pk], HOY(), anio=2026
            )
            == {}
        )
        assert brazos.invitacion_permitida(mundo.ie_uno.pk, "INDIVIDUAL", HOY())

    def test_a_teacher_in_two_units_is_withheld_if_any_arm_withholds(self, mundo, red):
        e = evaluacion_sortear(evaluacion=crear(mundo, brazos=ARMADOS))
        poner_en_brazo(e, mundo.ie_uno, "T1")  # digest, individual trainings
        poner_en_brazo(e, mundo.ie_dos, "C")  # neither
        evaluacion_publicar(evaluacion=e)
        # Tomás tutors at IE Dos; he also becomes director of IE Uno.
        asignar(mundo.tutor_otra_ie, Rol.DIRECTOR, ie=mundo.ie_uno, anio=2026)
        u = mundo.tutor_otra_ie.pk
        reparto = brazos.resumen_permitido([u], HOY(), anio=2026)[u]
        assert reparto.permitido is False
        assert set(reparto.unidades) == {
            unidad_de(e, mundo.ie_uno).pk,
            unidad_de(e, mundo.ie_dos).pk,
        }
        assert [b.ie_codigo for b in reparto.retienen] == [mundo.ie_dos.codigo]
        invitado = brazos.invitaciones_permitidas(
            [u], Modalidad.INDIVIDUAL, HOY(), anio=2026
        )[u]
        assert invitado.permitido is False
        # Her sole IE's arm admits it: Tania may be invited.
        t = mundo.tutora.pk
        assert brazos.invitaciones_permitidas(
            [t], Modalidad.INDIVIDUAL, HOY(), anio=2026
        )[t].permitido

    def test_last_years_assignment_puts_nobody_in_a_unit(self, mundo, red):
        e = evaluacion_sortear(evaluacion=crear(mundo, brazos=ARMADOS))
        evaluacion_publicar(evaluacion=e)
        pasado = UsuarioFactory()
        asignar(pasado, Rol.TUTOR, seccion=SeccionFactory(ie=mundo.ie_uno, anio=2025))
        assert brazos.resumen_permitido([pasado.pk], HOY(), anio=2026) == {}

    def test_few_queries_for_many_teachers(self, mundo, red, django_assert_num_queries):
        e = evaluacion_sortear(evaluacion=crear(mundo, brazos=ARMADOS))
        evaluacion_publicar(evaluacion=e)
        docentes = []
        for ie in red[:10]:
            d = UsuarioFactory()
            asignar(d, Rol.DIRECTOR, ie=ie, anio=2026)
            docentes.append(d.pk)
        with django_assert_num_queries(3):
            repartos = brazos.resumen_permitido(docentes, HOY(), anio=2026)
        assert set(repartos) == set(docentes)
        # Without a pilot acting, one.
        type(e).objects.filter(pk=e.pk).update(actua_hasta=HOY() - timedelta(days=1))
        with django_assert_num_queries(1):
            assert brazos.resumen_permitido(docentes, HOY(), anio=2026) == {}

    def test_recording_twice_keeps_one_row(self, mundo, evaluacion):
        evaluacion_publicar(evaluacion=evaluacion)
        repartos = brazos.resumen_permitido([mundo.tutora.pk], HOY(), anio=2026)
        for _vez in range(2):
            brazos.recepciones_registrar(
                repartos=repartos, tipo=TipoRecepcion.RESUMEN, referencia="2026-11-30"
            )
        (r,) = Recepcion.objects.all()
        assert r.unidad == unidad_de(evaluacion, mundo.ie_uno)
        assert r.entregada is repartos[mundo.tutora.pk].permitido


def _recepcion(unidad, usuario, tipo, entregada, referencia="1"):
    return Recepcion.objects.create(
        unidad=unidad,
        usuario=usuario,
        tipo=tipo,
        entregada=entregada,
        referencia=referencia,
    )


@pytest.fixture
def recibido(mundo, evaluacion):
    """Published; IE Uno in C and IE Sur in T1, with planted receptions."""
    evaluacion_publicar(evaluacion=evaluacion)
    uno = poner_en_brazo(evaluacion, mundo.ie_uno, "C")
    sur = poner_en_brazo(evaluacion, mundo.ie_sur, "T1")
    R, INV, A = (
        TipoRecepcion.RESUMEN,
        TipoRecepcion.INVITACION,
        TipoRecepcion.ASISTENCIA,
    )
    _recepcion(uno, mundo.tutora, R, False, "2026-11-23")
    _recepcion(uno, mundo.tutora, R, False, "2026-11-30")
    _recepcion(uno, mundo.director, INV, False)
    otro = UsuarioFactory()
    _recepcion(sur, otro, R, True, "2026-11-23")
    _recepcion(sur, otro, INV, True)
    _recepcion(sur, otro, A, True)
    _recepcion(sur, UsuarioFactory(), R, True, "2026-11-23")
    return evaluacion


class TestQueRecibio:
    def test_minedu_reads_every_arms_figures(self, client, mundo, recibido):
        client.force_login(mundo.nacional)
        r = client.get(reverse("pilotos:detalle", args=[recibido.uuid]))
        html = r.content.decode()
        assert "Qué recibió cada brazo" in html and "Qué recibe cada brazo" in html
        filas = {b.codigo: b for b in r.context["brazos_actuan"]}
        c, t1 = filas["C"].recibido, filas["T1"].recibido
        assert (c.resumenes, c.resumenes_retenidos, c.invitaciones_retenidas) == (
            0,
            2,
            1,
        )
        assert c.docentes == 0
        assert (t1.resumenes, t1.invitaciones, t1.asistencias, t1.docentes) == (
            2,
            1,
            1,
            2,
        )
        assert filas["T2"].recibido.resumenes == 0
        # What each arm receives, with the defaults.
        assert (filas["C"].resumen, filas["T1"].resumen) == (False, True)
        assert filas["T1"].capacitacion_texto == "ninguna"
        # Never a teacher.
        assert mundo.tutora.last_name not in html
        assert mundo.tutora.username not in html

    def test_a_ugel_reads_only_its_own_units_figures(self, client, mundo, recibido):
        client.force_login(mundo.ugel)
        r = client.get(reverse("pilotos:detalle", args=[recibido.uuid]))
        filas = {b.codigo: b.recibido for b in r.context["brazos_actuan"]}
        # IE Sur (T1) is UGEL Sur's: Úrsula of UGEL Norte does not count it.
        assert filas["T1"].resumenes == 0 and filas["C"].resumenes_retenidos == 2
        client.force_login(mundo.ugel_otra)
        r = client.get(reverse("pilotos:detalle", args=[recibido.uuid]))
        filas = {b.codigo: b.recibido for b in r.context["brazos_actuan"]}
        assert filas["T1"].resumenes == 2 and filas["C"].resumenes_retenidos == 0

    @pytest.mark.parametrize("persona", ["tutora", "director", "dre"])
    def test_others_get_404(self, client, mundo, recibido, persona):
        client.force_login(getattr(mundo, persona))
        for nombre in ("detalle", "xlsx"):
            r = client.get(reverse(f"pilotos:{nombre}", args=[recibido.uuid]))
            assert r.status_code == 404

    def test_the_page_says_until_when_the_arms_act(self, client, mundo, recibido):
        client.force_login(mundo.nacional)
        html = client.get(reverse("pilotos:detalle", args=[recibido.uuid])).content
        assert "desde la publicación hasta el" in html.decode()

    def test_the_workbook_has_each_units_figures_in_scope(
        self, client, mundo, recibido
    ):
        client.force_login(mundo.ugel_otra)
        r = client.get(reverse("pilotos:xlsx", args=[recibido.uuid]))
        libro = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
        hoja = libro["Recepciones"]
        filas = [[c.value for c in f] for f in hoja.iter_rows()]
        titulos = next(f for f in filas if f[0] == "Código de la unidad")
        datos = {
            f[0]: dict(zip(titulos, f, strict=True))
            for f in filas
            if f[0]
            in set(
                UnidadEvaluacion.objects.filter(evaluacion=recibido).values_list(
                    "codigo", flat=True
                )
            )
        }
        # Only UGEL Sur's nine units.
        assert len(datos) == 9
        sur = datos[unidad_de(recibido, mundo.ie_sur).codigo]
        assert sur["Resúmenes enviados"] == 2
        assert sur["Invitaciones enviadas"] == 1 and sur["Asistencias"] == 1
        assert sur["Docentes alcanzados"] == 2
        assert unidad_de(recibido, mundo.ie_uno).codigo not in datos


def test_recepcion_admin_only_reads(rf):
    from django.contrib.admin.sites import site

    admin = site._registry[Recepcion]
    request = rf.get("/")
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)


def test_a_local_unit_covers_its_ies(mundo, red):
    e = evaluacion_sortear(evaluacion=crear(mundo, unidad="LOCAL", brazos=ARMADOS))
    evaluacion_publicar(evaluacion=e)
    a, b = red[0], red[1]  # both in local 500001
    vigentes = brazos.brazos_vigentes([a.pk, b.pk], HOY())
    assert vigentes[a.pk].unidad == vigentes[b.pk].unidad
    assert vigentes[a.pk].unidad.codigo == "500001"


def test_an_ie_of_no_unit_has_no_arm(mundo, evaluacion):
    evaluacion_publicar(evaluacion=evaluacion)
    nueva = IEFactory(ugel=mundo.ugel_norte)
    assert brazos.brazos_vigentes([nueva.pk], HOY()) == {}
    assert brazos.brazos_vigentes([], date(2026, 5, 1)) == {}


def test_the_figures_take_the_same_queries_however_many_receptions(
    client, mundo, red, recibido
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(mundo.nacional)

    def consultas() -> tuple[int, int]:
        cuentas = []
        for nombre in ("detalle", "xlsx"):
            with CaptureQueriesContext(connection) as c:
                r = client.get(reverse(f"pilotos:{nombre}", args=[recibido.uuid]))
                if nombre == "xlsx":
                    b"".join(r.streaming_content)
            cuentas.append(len(c))
        return tuple(cuentas)

    antes = consultas()
    for ie in red:
        unidad = unidad_de(recibido, ie)
        for tipo in TipoRecepcion.values:
            _recepcion(unidad, UsuarioFactory(), tipo, True)
    assert consultas() == antes


def test_a_drafts_page_says_the_arms_act_once_published(client, mundo, evaluacion):
    client.force_login(mundo.nacional)
    html = client.get(reverse("pilotos:detalle", args=[evaluacion.uuid])).content
    assert "desde que se publique" in html.decode()
