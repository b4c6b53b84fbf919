"""The weekly digest follows a pilot's arms while they act (pilotos.brazos):
an arm without the digest withholds it from its teachers, and what each unit
received is recorded (world in tests/avisos/conftest.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from avisos import selectors
from avisos.models import EnvioResumen
from avisos.tasks import enviar_resumenes_lote, enviar_resumenes_semanales
from pilotos.models import Evaluacion, Recepcion, TipoRecepcion, UnidadEvaluacion
from pilotos.services import evaluacion_publicar, evaluacion_sortear
from tests.factories import Rol, asignar
from tests.pilotos.conftest import ARMADOS, crear

pytestmark = pytest.mark.django_db

ESTA_SEMANA = selectors.semana_de(timezone.localdate())


def piloto(mundo, arma: dict, brazos=ARMADOS, publicar=True) -> Evaluacion:
    """An evaluation of UGEL Norte's IEs with each IE of `arma` planted in its
    arm, published (acting to the end of the school year) unless told not."""
    e = evaluacion_sortear(
        evaluacion=crear(mundo, brazos=brazos, ugeles=[mundo.ugel_norte])
    )
    for ie, codigo in arma.items():
        UnidadEvaluacion.objects.filter(evaluacion=e, ies=ie).update(brazo=codigo)
    if publicar:
        evaluacion_publicar(evaluacion=e)
    return e


def recibidos(mailoutbox) -> set[tuple]:
    return {(m.to[0], m.subject, m.body) for m in mailoutbox}


def recepciones(usuario) -> list[tuple]:
    return list(
        Recepcion.objects.filter(usuario=usuario)
        .order_by("unidad__codigo")
        .values_list("unidad__brazo", "tipo", "entregada", "referencia")
    )


@pytest.mark.parametrize("brazo", ARMADOS, ids=lambda b: b["codigo"])
def test_each_arm_sends_or_withholds_and_records_it(semana, mundo, mailoutbox, brazo):
    # IE Uno in the arm; IE Dos in T3 (the digest, no training).
    piloto(mundo, {mundo.ie_uno: brazo["codigo"], mundo.ie_dos: "T3"})
    enviar_resumenes_semanales()
    a = [m.to[0] for m in mailoutbox]
    for persona in (semana.tutora, semana.director):
        assert (persona.email in a) is brazo["resumen"]
        assert recepciones(persona) == [
            (
                brazo["codigo"],
                TipoRecepcion.RESUMEN,
                brazo["resumen"],
                ESTA_SEMANA.isoformat(),
            )
        ]
        # A withheld digest is not claimed: it was not sent.
        assert EnvioResumen.objects.filter(usuario=persona).exists() is brazo["resumen"]
    assert semana.tutor_otra_ie.email in a
    assert recepciones(semana.tutor_otra_ie) == [
        ("T3", TipoRecepcion.RESUMEN, True, ESTA_SEMANA.isoformat())
    ]


def test_the_default_control_withholds_and_a_treatment_sends(semana, mundo, mailoutbox):
    sin_banderas = [
        {"codigo": "C", "proporcion": "0.5", "control": True},
        {"codigo": "T", "proporcion": "0.5"},
    ]
    piloto(mundo, {mundo.ie_uno: "C", mundo.ie_dos: "T"}, brazos=sin_banderas)
    enviar_resumenes_semanales()
    assert sorted(m.to[0] for m in mailoutbox) == [semana.tutor_otra_ie.email]


def test_withheld_is_recorded_once_per_week_and_never_sent(semana, mundo, mailoutbox):
    piloto(mundo, {mundo.ie_uno: "C", mundo.ie_dos: "C"})
    assert enviar_resumenes_semanales() == 3
    assert enviar_resumenes_semanales() == 3
    ids = [semana.tutora.pk, semana.director.pk, semana.tutor_otra_ie.pk]
    assert enviar_resumenes_lote(ids, ESTA_SEMANA.isoformat()) == 0
    assert mailoutbox == []
    assert Recepcion.objects.count() == 3
    assert set(Recepcion.objects.values_list("entregada", flat=True)) == {False}
    # Next week, once more.
    siguiente = ESTA_SEMANA + timedelta(days=7)
    enviar_resumenes_lote(ids, siguiente.isoformat())
    assert Recepcion.objects.filter(referencia=siguiente.isoformat()).count() == 3


def test_a_sent_one_is_recorded_once_however_often_it_runs(semana, mundo, mailoutbox):
    piloto(mundo, {mundo.ie_uno: "T1", mundo.ie_dos: "T3"})
    enviar_resumenes_semanales()
    enviar_resumenes_semanales()
    ids = [semana.tutora.pk, semana.director.pk, semana.tutor_otra_ie.pk]
    enviar_resumenes_lote(ids, ESTA_SEMANA.isoformat())
    assert len(mailoutbox) == 3
    assert Recepcion.objects.filter(entregada=True).count() == 3


@pytest.mark.parametrize(
    "arma",
    [
        {"ie_uno": "C", "ie_dos": "C"},
        {"ie_uno": "C", "ie_dos": "T1"},
        {"ie_uno": "T2", "ie_dos": "T3"},
    ],
)
def test_with_every_arm_sending_the_digests_are_those_without_a_pilot(
    semana, mundo, mailoutbox, arma
):
    enviar_resumenes_semanales()
    sin_piloto = recibidos(mailoutbox)
    assert len(sin_piloto) == 3
    EnvioResumen.objects.all().delete()
    mailoutbox.clear()

    todos = [{**b, "resumen": True} for b in ARMADOS]
    piloto(mundo, {getattr(mundo, k): v for k, v in arma.items()}, brazos=todos)
    enviar_resumenes_semanales()
    assert recibidos(mailoutbox) == sin_piloto
    # And each teacher in a unit has it recorded as received.
    assert Recepcion.objects.filter(entregada=True).count() == 3
    assert not Recepcion.objects.filter(entregada=False).exists()


def test_teachers_outside_any_pilot_get_it_as_always_and_nothing_is_recorded(
    semana, mundo, mailoutbox
):
    e = evaluacion_sortear(
        evaluacion=crear(mundo, brazos=ARMADOS, ugeles=[mundo.ugel_sur])
    )
    UnidadEvaluacion.objects.filter(evaluacion=e).update(brazo="C")
    evaluacion_publicar(evaluacion=e)
    assert enviar_resumenes_semanales() == 3
    assert len(mailoutbox) == 3
    assert not Recepcion.objects.exists()


@pytest.mark.parametrize("como", ["borrador", "terminada"])
def test_arms_that_do_not_act_change_nothing(semana, mundo, mailoutbox, como):
    e = piloto(
        mundo, {mundo.ie_uno: "C", mundo.ie_dos: "C"}, publicar=como != "borrador"
    )
    if como == "terminada":
        Evaluacion.objects.filter(pk=e.pk).update(
            actua_hasta=timezone.localdate() - timedelta(days=1)
        )
    enviar_resumenes_semanales()
    assert len(mailoutbox) == 3
    assert not Recepcion.objects.exists()


def test_a_teacher_in_a_withholding_unit_and_a_sending_one_gets_nothing(
    semana, mundo, mailoutbox
):
    # Tomás tutors at IE Dos (T1: the digest) and now directs IE Uno (C: none).
    asignar(semana.tutor_otra_ie, Rol.DIRECTOR, ie=mundo.ie_uno, anio=2026)
    piloto(mundo, {mundo.ie_uno: "C", mundo.ie_dos: "T1"})
    enviar_resumenes_semanales()
    assert semana.tutor_otra_ie.email not in [m.to[0] for m in mailoutbox]
    assert sorted(recepciones(semana.tutor_otra_ie)) == [
        ("C", TipoRecepcion.RESUMEN, False, ESTA_SEMANA.isoformat()),
        ("T1", TipoRecepcion.RESUMEN, False, ESTA_SEMANA.isoformat()),
    ]


def test_a_user_who_switched_it_off_is_not_recorded(semana, mundo, mailoutbox):
    # The arm did not withhold it: the user did.
    piloto(mundo, {mundo.ie_uno: "T1", mundo.ie_dos: "T1"})
    enviar_resumenes_semanales()
    assert not Recepcion.objects.filter(usuario=semana.apagado).exists()


def test_a_failed_send_records_nothing(semana, mundo, mailoutbox, settings):
    from celery.exceptions import Retry

    piloto(mundo, {mundo.ie_uno: "T1", mundo.ie_dos: "T1"})
    settings.EMAIL_BACKEND = "tests.avisos.test_resumen_semanal.CorreoQueFallaParaDiego"
    with pytest.raises(Retry):
        enviar_resumenes_semanales()
    assert not Recepcion.objects.filter(usuario=semana.director).exists()
    assert Recepcion.objects.filter(usuario=semana.tutora, entregada=True).exists()
