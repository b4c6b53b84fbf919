"""The weekly digest: who gets it, what it counts, and that it goes once a week
(world in tests/avisos/conftest.py)."""

import re
from datetime import date, timedelta

import pytest
from celery.exceptions import Retry
from django.conf import settings as django_settings
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerta.models import Estudiante
from avisos import selectors
from avisos.models import EnvioResumen
from avisos.services import ResumenesNoEnviados
from avisos.tasks import enviar_resumenes_lote, enviar_resumenes_semanales
from riesgo.models import EjecucionPuntaje
from tests.factories import MatriculaFactory

pytestmark = pytest.mark.django_db

ESTA_SEMANA = selectors.semana_de(timezone.localdate())


def _correos_de(mailoutbox, usuario) -> list:
    return [m for m in mailoutbox if m.to == [usuario.email]]


def _cifras(cuerpo: str) -> tuple[int, int, int]:
    """The three totals of a digest's text body, in their order."""
    subieron = re.search(r"(\d+) estudiantes? subi", cuerpo)
    sin_accion = re.search(r"(\d+) estudiantes? en riesgo alto o medio sin", cuerpo)
    sin_registro = re.search(r"(\d+) estudiantes? sin el registro mensual", cuerpo)
    assert subieron and sin_accion and sin_registro, cuerpo
    return tuple(int(m.group(1)) for m in (subieron, sin_accion, sin_registro))


class TestDestinatarios:
    def test_it_sends_one_to_each_current_tutor_and_director_with_scores(
        self, semana, mailoutbox
    ):
        assert enviar_resumenes_semanales() == 3
        assert sorted(m.to[0] for m in mailoutbox) == sorted(
            [semana.tutora.email, semana.director.email, semana.tutor_otra_ie.email]
        )

    @pytest.mark.parametrize(
        "persona",
        [
            "sin_puntajes",
            "tutor_anio_pasado",
            "director_anio_pasado",
            "sin_correo",
            "inactivo",
            "apagado",
            "ugel",
        ],
    )
    def test_it_sends_nothing_to(self, semana, mailoutbox, persona):
        enviar_resumenes_semanales()
        usuario = getattr(semana, persona)
        assert mailoutbox, "the digest went to nobody at all"
        assert all(usuario.email not in m.to for m in mailoutbox)
        assert not EnvioResumen.objects.filter(usuario=usuario).exists()

    def test_switching_it_back_on_sends_again(self, semana, mailoutbox):
        from avisos.services import preferencia_avisos_guardar

        preferencia_avisos_guardar(usuario=semana.apagado, resumen_semanal=True)
        enviar_resumenes_semanales()
        assert len(_correos_de(mailoutbox, semana.apagado)) == 1

    def test_without_a_published_run_nobody_gets_it(self, semana, mailoutbox):
        EjecucionPuntaje.objects.all().delete()
        assert enviar_resumenes_semanales() == 0
        assert mailoutbox == []


class TestContenido:
    def test_the_tutor_reads_her_seccions_counts(self, semana, mailoutbox):
        enviar_resumenes_semanales()
        (correo,) = _correos_de(mailoutbox, semana.tutora)
        # Went up: 3.º A's alto (medio eight days ago); without an action in
        # 30 days: that alto (its action is 31 days old), not the medio; this
        # month's record missing: alto and medio.
        assert _cifras(correo.body) == (1, 1, 2)

    def test_the_director_reads_the_totals_of_the_ie_and_one_line_per_seccion(
        self, semana, mailoutbox
    ):
        enviar_resumenes_semanales()
        (correo,) = _correos_de(mailoutbox, semana.director)
        assert _cifras(correo.body) == (2, 2, 3)
        assert "Por sección:" in correo.body
        assert "1 subió, 1 sin acción, 2 sin registro" in correo.body
        assert "1 subió, 1 sin acción, 1 sin registro" in correo.body
        html = correo.alternatives[0][0]
        assert "<strong>2</strong> estudiantes subieron de nivel" in html
        assert "<strong>3</strong> estudiantes sin el registro mensual" in html

    def test_a_student_at_bajo_since_last_week_did_not_go_up(self, semana, mailoutbox):
        enviar_resumenes_semanales()
        (correo,) = _correos_de(mailoutbox, semana.tutor_otra_ie)
        assert _cifras(correo.body) == (0, 0, 1)

    def test_it_compares_with_last_weeks_run_not_last_nights(self, semana, puntajes):
        anterior = selectors.ejecucion_de_comparacion(puntajes)
        assert (puntajes.inicio - anterior.inicio).days == 8

    def test_in_the_first_week_it_compares_with_the_previous_run(
        self, semana, puntajes
    ):
        EjecucionPuntaje.objects.filter(
            inicio__lt=puntajes.inicio - timedelta(days=7)
        ).delete()
        anterior = selectors.ejecucion_de_comparacion(puntajes)
        assert (puntajes.inicio - anterior.inicio).days == 2

    def test_with_only_one_run_it_says_there_is_nothing_to_compare_with(
        self, semana, puntajes, mailoutbox
    ):
        EjecucionPuntaje.objects.exclude(pk=puntajes.pk).delete()
        enviar_resumenes_semanales()
        (correo,) = _correos_de(mailoutbox, semana.director)
        assert "aún no hay un cálculo anterior con qué comparar" in correo.body
        assert "subieron de nivel" not in correo.body
        assert "2 estudiantes en riesgo alto o medio sin una acción" in correo.body
        assert "3 estudiantes sin el registro mensual" in correo.body
        assert "3.º de primaria A (IE UNO): 1 sin acción, 2 sin registro" in correo.body
        assert ">Subieron</th>" not in correo.alternatives[0][0]

    def test_it_links_to_the_seccion_the_ie_and_the_preferences(
        self, semana, mundo, mailoutbox
    ):
        enviar_resumenes_semanales()
        sitio = django_settings.SITIO_URL.rstrip("/")
        (tutora,) = _correos_de(mailoutbox, semana.tutora)
        (director,) = _correos_de(mailoutbox, semana.director)
        preferencias = sitio + reverse("avisos:preferencias")
        seccion = sitio + reverse("seccion_detalle", args=[mundo.seccion_a.uuid])
        ie = sitio + reverse("ie_detalle", args=[mundo.ie_uno.codigo])
        assert seccion in tutora.body and ie not in tutora.body
        assert ie in director.body and seccion not in director.body
        for correo in (tutora, director):
            assert preferencias in correo.body
            html, tipo = correo.alternatives[0]
            assert tipo == "text/html"
            assert preferencias in html

    def test_several_places_link_to_the_home_page(self, semana, mundo, mailoutbox):
        from alerta.models import Rol
        from tests.factories import asignar

        asignar(semana.tutora, Rol.TUTOR, seccion=mundo.seccion_dos)
        enviar_resumenes_semanales()
        (correo,) = _correos_de(mailoutbox, semana.tutora)
        inicio = django_settings.SITIO_URL.rstrip("/") + reverse("inicio") + "\n"
        assert inicio in correo.body
        assert _cifras(correo.body) == (1, 1, 3)

    def test_a_director_who_also_tutors_counts_each_student_once(
        self, semana, mundo, mailoutbox
    ):
        from alerta.models import Rol
        from tests.factories import asignar

        asignar(semana.director, Rol.TUTOR, seccion=mundo.seccion_a)
        enviar_resumenes_semanales()
        (correo,) = _correos_de(mailoutbox, semana.director)
        assert _cifras(correo.body) == (2, 2, 3)
        ie = django_settings.SITIO_URL.rstrip("/") + reverse(
            "ie_detalle", args=[mundo.ie_uno.codigo]
        )
        assert ie in correo.body

    def test_it_greets_by_first_name_and_never_by_username(self, semana, mailoutbox):
        semana.tutora.first_name = "Rosa María"
        semana.tutora.save(update_fields=["first_name"])
        semana.director.first_name = ""
        semana.director.save(update_fields=["first_name"])
        enviar_resumenes_semanales()
        (tutora,) = _correos_de(mailoutbox, semana.tutora)
        (director,) = _correos_de(mailoutbox, semana.director)
        assert tutora.body.startswith("Estimado(a) Rosa María:\n")
        assert director.body.startswith("Buenos días:\n")
        for correo, usuario in ((tutora, semana.tutora), (director, semana.director)):
            assert usuario.username not in correo.body
            assert usuario.username not in correo.alternatives[0][0]

    def test_no_student_name_or_document_appears(self, semana, mailoutbox):
        enviar_resumenes_semanales()
        assert len(mailoutbox) == 3
        estudiantes = Estudiante.objects.all()
        palabras = set()
        for e in estudiantes:
            palabras |= {e.apellido_paterno, e.apellido_materno, e.codigo_siagie}
            palabras |= {e.numero_documento, *e.nombres.split()}
        palabras.discard("")
        assert len(palabras) > 10
        for correo in mailoutbox:
            html = correo.alternatives[0][0]
            for texto in (correo.subject, correo.body, html):
                encontradas = {
                    p
                    for p in palabras
                    if re.search(rf"\b{re.escape(p)}\b", texto, re.IGNORECASE)
                }
                assert not encontradas, (correo.to, encontradas)

    def test_the_queries_do_not_grow_with_the_students(self, semana, mundo, mailoutbox):
        def consultas() -> int:
            EnvioResumen.objects.all().delete()
            with CaptureQueriesContext(connection) as c:
                enviar_resumenes_lote(
                    [semana.tutora.pk, semana.director.pk], ESTA_SEMANA.isoformat()
                )
            return len(c)

        antes = consultas()
        MatriculaFactory.create_batch(15, seccion=mundo.seccion_a)
        MatriculaFactory.create_batch(15, seccion=mundo.seccion_b)
        assert consultas() == antes
        # The runs, the recipients and whether a pilot's arms act, then six per
        # digest: the user's assignments, secciones and counts, and the claim
        # (with its savepoint).
        assert antes <= 6 + 2 * 6


class TestUnaVezPorSemana:
    def test_running_twice_in_the_same_week_sends_nothing_more(
        self, semana, mailoutbox
    ):
        enviar_resumenes_semanales()
        assert len(mailoutbox) == 3
        assert enviar_resumenes_semanales() == 0
        # Even a batch queued twice (two workers): its claims stop it.
        ids = [semana.tutora.pk, semana.director.pk, semana.tutor_otra_ie.pk]
        assert enviar_resumenes_lote(ids, ESTA_SEMANA.isoformat()) == 0
        assert len(mailoutbox) == 3
        assert set(EnvioResumen.objects.values_list("semana", flat=True)) == {
            ESTA_SEMANA
        }

    def test_a_claim_taken_meanwhile_by_another_worker_stops_the_send(
        self, semana, mailoutbox, monkeypatch
    ):
        # The other worker claims the tutor's week after this one read its
        # recipients and before it sends.
        resumen_de = selectors.resumen_de

        def y_otro_worker(usuario, **kwargs):
            if usuario.pk == semana.tutora.pk:
                EnvioResumen.objects.create(usuario=usuario, semana=ESTA_SEMANA)
            return resumen_de(usuario, **kwargs)

        monkeypatch.setattr(selectors, "resumen_de", y_otro_worker)
        ids = [semana.tutora.pk, semana.director.pk]
        assert enviar_resumenes_lote(ids, ESTA_SEMANA.isoformat()) == 1
        assert [m.to for m in mailoutbox] == [[semana.director.email]]
        assert EnvioResumen.objects.filter(usuario=semana.tutora).count() == 1

    def test_the_week_of_a_claim_is_a_monday(self, semana):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            EnvioResumen.objects.create(
                usuario=semana.tutora, semana=ESTA_SEMANA + timedelta(days=1)
            )
        EnvioResumen.objects.create(usuario=semana.tutora, semana=ESTA_SEMANA)

    def test_a_new_week_sends_again(self, semana, mailoutbox):
        enviar_resumenes_semanales()
        proxima = ESTA_SEMANA + timedelta(days=7)
        ids = [semana.tutora.pk, semana.director.pk, semana.tutor_otra_ie.pk]
        assert enviar_resumenes_lote(ids, proxima.isoformat()) == 3
        assert len(mailoutbox) == 6
        assert EnvioResumen.objects.filter(semana=proxima).count() == 3

    def test_the_week_is_the_monday_of_lima(self):
        assert selectors.semana_de(date(2026, 12, 7)) == date(2026, 12, 7)
        assert selectors.semana_de(date(2026, 12, 13)) == date(2026, 12, 7)
        assert selectors.semana_de(date(2026, 12, 14)) == date(2026, 12, 14)

    def test_it_queues_batches_of_the_set_size(self, semana, mailoutbox, settings):
        settings.AVISOS_LOTE_USUARIOS = 2
        from unittest import mock

        with mock.patch.object(
            enviar_resumenes_lote, "run", wraps=enviar_resumenes_lote.run
        ) as lote:
            enviar_resumenes_semanales()
        assert [len(c.args[0]) for c in lote.call_args_list] == [2, 1]
        assert len(mailoutbox) == 3


class CorreoQueFallaParaDiego(EmailBackend):
    """The in-memory backend, with the director's mail server down."""

    def send_messages(self, messages):
        if any("diego@ejemplo.pe" in m.to for m in messages):
            raise ConnectionError("servidor caído")
        return super().send_messages(messages)


class TestEnvioFallido:
    def test_a_failed_send_leaves_no_claim_and_the_next_run_sends_it(
        self, semana, mailoutbox, settings
    ):
        settings.EMAIL_BACKEND = f"{__name__}.CorreoQueFallaParaDiego"
        # A worker would retry the batch later; run in process, Celery raises
        # the retry it would schedule.
        with pytest.raises(Retry) as error:
            enviar_resumenes_semanales()
        assert isinstance(error.value.exc, ResumenesNoEnviados)
        # The others got theirs; the director's claim was undone.
        assert sorted(m.to[0] for m in mailoutbox) == sorted(
            [semana.tutora.email, semana.tutor_otra_ie.email]
        )
        assert not EnvioResumen.objects.filter(usuario=semana.director).exists()

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        # The retry: the whole batch again, and only the director's goes.
        ids = [semana.tutora.pk, semana.director.pk, semana.tutor_otra_ie.pk]
        assert enviar_resumenes_lote(ids, ESTA_SEMANA.isoformat()) == 1
        assert [m.to[0] for m in mailoutbox][-1] == semana.director.email
        assert len(mailoutbox) == 3
        assert EnvioResumen.objects.filter(usuario=semana.director).exists()


def test_the_beat_schedule_sends_it_on_monday_at_seven(settings):
    entrada = settings.CELERY_BEAT_SCHEDULE["resumen-semanal"]
    assert entrada["task"] == "avisos.tasks.enviar_resumenes_semanales"
    horario = entrada["schedule"]
    assert horario.day_of_week == {1}
    assert (horario.hour, horario.minute) == ({7}, {0})
    assert settings.CELERY_TIMEZONE == "America/Lima"
    from alerta.celery import app

    assert {entrada["task"], "avisos.tasks.enviar_resumenes_lote"} <= set(app.tasks)


@pytest.mark.parametrize("valor", ["0", "quinientos"])
def test_a_bad_batch_size_refuses_to_start(valor):
    from tests.test_settings import _settings_en

    r = _settings_en({"AVISOS_LOTE_USUARIOS": valor}, "pass")
    assert r.returncode != 0
    assert "AVISOS_LOTE_USUARIOS" in r.stderr or "invalid literal" in r.stderr


def test_the_batch_size_is_read_from_the_environment():
    from tests.test_settings import _settings_en

    codigo = "from django.conf import settings as s; print(s.AVISOS_LOTE_USUARIOS)"
    assert _settings_en({"AVISOS_LOTE_USUARIOS": "50"}, codigo).stdout.strip() == "50"
    assert _settings_en({}, codigo).stdout.strip() == "500"
