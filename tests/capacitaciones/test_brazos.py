"""Trainings follow a pilot's arms while they act (pilotos.brazos): an invitee
whose IE's arm does not admit the session's modality is refused when planning,
withheld when sending, and what each unit received is recorded."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from capacitaciones import services
from capacitaciones.models import Capacitacion, Invitacion, Modalidad
from pilotos.models import Recepcion, TipoRecepcion, UnidadEvaluacion
from pilotos.services import evaluacion_publicar, evaluacion_sortear
from tests.pilotos.conftest import ARMADOS, crear

pytestmark = pytest.mark.django_db

CASOS = [(b, m) for b in ARMADOS for m in Modalidad.values]


def piloto(mundo, brazo_uno: str, publicar=True):
    """UGEL Norte's IEs drawn with ARMADOS; IE Uno planted in `brazo_uno`,
    IE Dos in T1 (individual trainings only)."""
    e = evaluacion_sortear(
        evaluacion=crear(mundo, brazos=ARMADOS, ugeles=[mundo.ugel_norte])
    )
    UnidadEvaluacion.objects.filter(evaluacion=e, ies=mundo.ie_dos).update(brazo="T1")
    UnidadEvaluacion.objects.filter(evaluacion=e, ies=mundo.ie_uno).update(
        brazo=brazo_uno
    )
    if publicar:
        evaluacion_publicar(evaluacion=e)
    return e


def planificar(mundo, docentes, modalidad):
    return services.capacitacion_crear(
        ugel=mundo.ugel_norte,
        anio=2026,
        modalidad=modalidad,
        fecha=dt.date(2026, 12, 20),
        lugar="UGEL",
        docentes=docentes,
        por=mundo.ugel,
    )


def recepciones(tipo) -> set[tuple]:
    return set(
        Recepcion.objects.filter(tipo=tipo).values_list(
            "usuario_id", "unidad__brazo", "entregada"
        )
    )


@pytest.mark.parametrize(
    "brazo, modalidad", CASOS, ids=[f"{b['codigo']}-{m}" for b, m in CASOS]
)
def test_planning_admits_only_the_arms_modality(
    mundo, puntajes, docentes_norte, brazo, modalidad
):
    piloto(mundo, brazo["codigo"])
    if brazo["capacitacion"] == modalidad:
        c = planificar(mundo, docentes_norte[:1], modalidad)
        assert c.invitaciones.count() == 1
        return
    with pytest.raises(ValidationError) as exc:
        planificar(mundo, docentes_norte[:1], modalidad)
    (mensaje,) = exc.value.messages
    assert f"La IE {mundo.ie_uno.codigo} está en el brazo {brazo['codigo']}" in (
        mensaje
    )
    assert "«Capacitaciones 2026»" in mensaje
    assert not Capacitacion.objects.exists()


def test_a_draft_or_a_finished_pilot_limits_nothing(mundo, puntajes, docentes_norte):
    e = piloto(mundo, "C", publicar=False)
    planificar(mundo, docentes_norte[:1], Modalidad.INDIVIDUAL)
    evaluacion_publicar(evaluacion=e, actua_hasta=timezone.localdate())
    with pytest.raises(ValidationError):
        planificar(mundo, docentes_norte[:1], Modalidad.INDIVIDUAL)
    type(e).objects.filter(pk=e.pk).update(
        actua_hasta=timezone.localdate() - dt.timedelta(days=1)
    )
    planificar(mundo, docentes_norte[:1], Modalidad.INDIVIDUAL)
    assert Capacitacion.objects.count() == 2
    assert not Recepcion.objects.exists()


def test_the_planning_page_marks_the_ie_and_explains_a_refusal(
    client, mundo, puntajes, docentes_norte
):
    piloto(mundo, "C")
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:nueva", args=[mundo.ugel_norte.codigo])
    html = client.get(url, {"ies": [mundo.ie_uno.pk, mundo.ie_dos.pk]}).content
    html = html.decode()
    assert "En el brazo C de la evaluación «Capacitaciones 2026»" in html
    assert "no reciben invitaciones a capacitaciones" in html
    assert "En el brazo T1" in html and "(individual)" in html
    r = client.post(
        url,
        {
            "ies": [mundo.ie_uno.pk],
            "modalidad": Modalidad.GRUPO_PEQUENO,
            "fecha": "2026-12-20",
            "lugar": "Auditorio",
            "docentes": [docentes_norte[0].pk],
        },
    )
    assert r.status_code == 200
    assert f"La IE {mundo.ie_uno.codigo} está en el brazo C" in r.content.decode()
    assert not Capacitacion.objects.exists()


def test_a_teacher_also_in_a_withholding_ie_is_refused(mundo, puntajes, docentes_norte):
    from tests.factories import Rol, asignar

    piloto(mundo, "T1")
    # docentes_norte[0] tutors at IE Uno (T1) and now directs IE Dos too; IE
    # Dos goes to the control.
    asignar(docentes_norte[0], Rol.DIRECTOR, ie=mundo.ie_dos, anio=2026)
    UnidadEvaluacion.objects.filter(ies=mundo.ie_dos).update(brazo="C")
    with pytest.raises(ValidationError) as exc:
        planificar(mundo, docentes_norte[:1], Modalidad.INDIVIDUAL)
    assert mundo.ie_dos.codigo in exc.value.messages[0]
    planificar(mundo, docentes_norte[1:2], Modalidad.INDIVIDUAL)


class TestEnviar:
    def test_published_after_planning_the_invitations_are_withheld(
        self, client, mundo, puntajes, sesion, mailoutbox
    ):
        piloto(mundo, "C")
        client.force_login(mundo.ugel)
        r = client.post(
            reverse("capacitaciones:invitar", args=[sesion.uuid]), follow=True
        )
        assert mailoutbox == []
        assert "2 invitaciones no se enviaron" in r.content.decode()
        assert recepciones(TipoRecepcion.INVITACION) == {
            (mundo.tutora.pk, "C", False),
            (mundo.director.pk, "C", False),
        }
        assert not Invitacion.objects.filter(invitada__isnull=False).exists()
        # A second press: nothing sent, nothing recorded twice.
        assert services.invitaciones_enviar(capacitacion=sesion) == (0, 0, 2)
        assert Recepcion.objects.count() == 2
        assert set(Recepcion.objects.values_list("referencia", flat=True)) == {
            str(sesion.pk)
        }

    def test_the_invitation_page_says_who_will_not_get_it(
        self, client, mundo, puntajes, sesion
    ):
        piloto(mundo, "C")
        client.force_login(mundo.ugel)
        r = client.get(reverse("capacitaciones:invitar", args=[sesion.uuid]))
        assert r.context["con_correo"] == [] and r.context["sin_correo"] == []
        assert {i.usuario_id for i in r.context["retenidas"]} == {
            mundo.tutora.pk,
            mundo.director.pk,
        }
        assert "No se les enviará" in r.content.decode()

    def test_the_arms_modality_is_sent_and_recorded(
        self, mundo, puntajes, sesion, mailoutbox
    ):
        piloto(mundo, "T2")  # small groups, as the session
        assert services.invitaciones_enviar(capacitacion=sesion) == (1, 1, 0)
        assert len(mailoutbox) == 1
        # The director has no address: not sent, not recorded.
        assert recepciones(TipoRecepcion.INVITACION) == {(mundo.tutora.pk, "T2", True)}
        assert Recepcion.objects.get().modalidad == Modalidad.GRUPO_PEQUENO
        services.invitaciones_enviar(capacitacion=sesion)
        assert Recepcion.objects.count() == 1

    def test_outside_any_pilot_nothing_is_recorded(
        self, mundo, puntajes, sesion, mailoutbox
    ):
        e = evaluacion_sortear(
            evaluacion=crear(mundo, brazos=ARMADOS, ugeles=[mundo.ugel_sur])
        )
        UnidadEvaluacion.objects.filter(evaluacion=e).update(brazo="C")
        evaluacion_publicar(evaluacion=e)
        assert services.invitaciones_enviar(capacitacion=sesion) == (1, 1, 0)
        assert not Recepcion.objects.exists()


class TestAsistencia:
    def test_attendance_within_the_arms_days_is_recorded_and_corrected(
        self, client, mundo, puntajes, sesion
    ):
        piloto(mundo, "T2")
        sesion.fecha = timezone.localdate()
        sesion.save()
        client.force_login(mundo.ugel)
        url = reverse("capacitaciones:asistencia", args=[sesion.uuid])
        client.post(url, {"asistieron": [mundo.tutora.pk]})
        assert recepciones(TipoRecepcion.ASISTENCIA) == {(mundo.tutora.pk, "T2", True)}
        client.post(url, {"asistieron": [mundo.director.pk]})
        assert recepciones(TipoRecepcion.ASISTENCIA) == {
            (mundo.director.pk, "T2", True)
        }

    def test_a_session_before_the_arms_acted_is_not_recorded(
        self, mundo, puntajes, sesion
    ):
        piloto(mundo, "T2")
        services.asistencia_registrar(capacitacion=sesion, asistieron={mundo.tutora.pk})
        assert not Recepcion.objects.exists()


def test_editing_to_a_modality_the_arm_refuses_is_refused(mundo, puntajes, sesion):
    piloto(mundo, "T2")
    with pytest.raises(ValidationError) as exc:
        services.capacitacion_editar(
            capacitacion=sesion, modalidad=Modalidad.GRUPO_GRANDE
        )
    assert mundo.ie_uno.codigo in exc.value.messages[0]
    sesion.refresh_from_db()
    assert sesion.modalidad == Modalidad.GRUPO_PEQUENO


def test_a_session_planned_before_the_pilot_stays_editable(mundo, puntajes, sesion):
    piloto(mundo, "C")
    services.capacitacion_editar(
        capacitacion=sesion, modalidad=sesion.modalidad, lugar="Otro auditorio"
    )
    sesion.refresh_from_db()
    assert sesion.lugar == "Otro auditorio"
