"""Accounts: login by DNI or e-mail, lockout, forgotten and changed passwords,
session expiry, and the director's tutor page."""

import datetime as dt
import json
import logging
import os
import re
import smtplib
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerta import cuentas, tasks
from alerta.models import Asignacion, Rol, Usuario
from alerta.services import enlace_con_token
from alerta.tokens import token_clave_olvidada, token_primer_ingreso
from tests.factories import CLAVE, SeccionFactory, UsuarioFactory, asignar

DNI = "41234567"
CORREO = "Tania.Quispe@Colegio.edu.pe"
NUEVA = "otra-clave-segura-2026"


def _ingresar(client, identificador, clave=CLAVE):
    return client.post(reverse("login"), {"username": identificador, "password": clave})


def _sesion_de(client) -> str | None:
    return client.session.get("_auth_user_id")


def _enlace(correo) -> str:
    return re.search(r"https?://\S+", correo.body).group(0)


def _pedir_clave(client, email: str):
    """Ask for a reset link, running what the request queues once it commits
    (the task runs in-process, as without a broker)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("clave_olvidada"), {"email": email})


def _ruta(enlace: str) -> str:
    assert enlace.startswith(settings.SITIO_URL.rstrip("/") + "/")
    return enlace[len(settings.SITIO_URL.rstrip("/")) :]


@pytest.fixture
def tania(mundo):
    t = mundo.tutora
    t.numero_documento = DNI
    t.email = CORREO
    t.first_name, t.last_name = "Tania", "Quispe"
    t.save()
    return t


# --- Login -----------------------------------------------------------------


@pytest.mark.django_db
class TestIngreso:
    def test_the_label_names_the_three_ways_in_and_a_reset_is_offered(self, client):
        r = client.get(reverse("login"))
        etiqueta = str(r.context["form"]["username"].label)
        # Teachers know their DNI and e-mail; specialists get a username.
        assert etiqueta == "DNI, correo electrónico o usuario"
        html = r.content.decode()
        assert f">{etiqueta}</label>" in html
        assert reverse("clave_olvidada") in html
        assert "¿Olvidó su contraseña?" in html

    def test_it_logs_in_with_the_dni(self, client, tania):
        r = _ingresar(client, DNI)
        assert r.status_code == 302 and r["Location"] == reverse("inicio")
        assert _sesion_de(client) == str(tania.pk)

    @pytest.mark.parametrize(
        "escrito", [CORREO, CORREO.lower(), CORREO.upper(), f"  {CORREO} "]
    )
    def test_it_logs_in_with_the_email_in_any_case(self, client, tania, escrito):
        assert _ingresar(client, escrito).status_code == 302
        assert _sesion_de(client) == str(tania.pk)

    def test_it_still_logs_in_with_the_username(self, client, tania):
        assert _ingresar(client, "tania").status_code == 302
        assert _sesion_de(client) == str(tania.pk)

    @pytest.mark.parametrize("identificador", [DNI, CORREO, "tania"])
    def test_a_wrong_password_is_refused_in_spanish(self, client, tania, identificador):
        r = _ingresar(client, identificador, "no-es-la-clave")
        assert r.status_code == 200
        assert _sesion_de(client) is None
        assert (
            "Usuario o contraseña incorrectos. Revise su DNI, correo electrónico o "
            "usuario y su contraseña" in r.content.decode()
        )

    def test_an_inactive_user_is_refused_like_a_wrong_password(self, client, tania):
        tania.is_active = False
        tania.save()
        r = _ingresar(client, DNI)
        assert r.status_code == 200
        assert _sesion_de(client) is None
        assert (
            "Usuario o contraseña incorrectos. Revise su DNI, correo electrónico o "
            "usuario y su contraseña" in r.content.decode()
        )

    def test_an_unknown_account_still_runs_the_hasher_once(
        self, client, mundo, monkeypatch
    ):
        from django.contrib.auth.hashers import MD5PasswordHasher

        llamadas = []
        original = MD5PasswordHasher.encode
        monkeypatch.setattr(
            MD5PasswordHasher,
            "encode",
            lambda self, *a, **k: llamadas.append(1) or original(self, *a, **k),
        )
        _ingresar(client, "99999999")
        assert len(llamadas) == 1

    def test_an_address_on_two_accounts_signs_in_neither(self, client, tania):
        UsuarioFactory(username="gemela", email=CORREO.lower())
        assert _ingresar(client, CORREO).status_code == 200
        assert _sesion_de(client) is None
        # The DNI stays unambiguous.
        assert _ingresar(client, DNI).status_code == 302

    def test_a_dni_never_matches_another_persons_username(self, client, tania):
        UsuarioFactory(username="41234568", numero_documento="41234568")
        assert _ingresar(client, "41234568").status_code == 302
        assert _sesion_de(client) != str(tania.pk)


@pytest.mark.django_db
class TestBloqueo:
    def test_after_the_limit_even_the_right_password_waits(self, client, tania):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert _ingresar(client, DNI, "mala").status_code == 200
        r = _ingresar(client, CORREO, "mala")
        assert r.status_code == 429
        assert "demasiados intentos fallidos" in r.content.decode().lower()
        r = _ingresar(client, DNI)
        assert r.status_code == 429
        assert _sesion_de(client) is None

    def test_other_accounts_from_the_same_computer_are_not_locked(
        self, client, tania, mundo
    ):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _ingresar(client, DNI, "mala")
        assert _ingresar(client, "diego").status_code == 302

    def test_a_success_clears_the_failures(self, client, tania):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            _ingresar(client, CORREO.lower(), "mala")
        assert _ingresar(client, DNI).status_code == 302
        client.logout()
        assert _ingresar(client, DNI, "mala").status_code == 200

    def test_failures_are_stored_and_logged_without_dni_or_email(
        self, client, tania, caplog
    ):
        caplog.set_level(logging.DEBUG)
        caplog.set_level(logging.DEBUG, logger="axes")
        for identificador in (DNI, CORREO, "77777777", "nadie@ejemplo.pe"):
            _ingresar(client, identificador, "mala")
        guardado = " ".join(
            f"{a.username} {a.get_data} {a.post_data}"
            for a in AccessAttempt.objects.all()
        )
        assert "login failure" in caplog.text  # axes did log the failures
        for secreto in (DNI, CORREO.lower(), "77777777", "nadie@ejemplo.pe", "mala"):
            assert secreto not in guardado.lower()
            assert secreto not in caplog.text.lower()
        assert {a.username for a in AccessAttempt.objects.all()} >= {
            f"usuario:{tania.pk}"
        }


def _ajustes_con_proxies(n: int) -> dict:
    """axes' address settings as alerta/settings.py makes them from
    INGRESO_PROXIES_DE_CONFIANZA=n (read in a fresh process)."""
    codigo = (
        "import json; from django.conf import settings as s; print(json.dumps({k: "
        "getattr(s, k) for k in ('AXES_IPWARE_META_PRECEDENCE_ORDER', "
        "'AXES_IPWARE_PROXY_COUNT', 'AXES_IPWARE_PROXY_ORDER', 'IPWARE_STRICT')}))"
    )
    r = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {codigo}"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "alerta.settings",
            "INGRESO_PROXIES_DE_CONFIANZA": str(n),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(r.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def ajustes_proxies() -> dict[int, dict]:
    return {n: _ajustes_con_proxies(n) for n in (0, 1, 2)}


@pytest.fixture
def proxies(settings, ajustes_proxies):
    """Configure N trusted proxies as the environment variable would."""

    def configurar(n: int) -> None:
        for clave, valor in ajustes_proxies[n].items():
            setattr(settings, clave, valor)

    return configurar


PROXY = "172.18.0.3"  # the reverse proxy, as gunicorn sees it
A, B, C = "190.12.34.56", "181.65.43.21", "200.48.1.9"  # clients


def _desde(client, xff: str | None, identificador=DNI, clave=CLAVE):
    extra = {"REMOTE_ADDR": PROXY}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return client.post(
        reverse("login"), {"username": identificador, "password": clave}, **extra
    )


@pytest.mark.django_db
class TestBloqueoTrasProxy:
    def test_with_one_proxy_a_lockout_holds_only_for_that_address(self, tania, proxies):
        proxies(1)
        for _ in range(settings.AXES_FAILURE_LIMIT):
            assert _desde(Client(), A, clave="mala").status_code in (200, 429)
        assert _desde(Client(), A).status_code == 429
        assert AccessAttempt.objects.get().ip_address == A
        # The teacher, from school, is not locked out.
        r = _desde(Client(), B)
        assert r.status_code == 302 and r["Location"] == reverse("inicio")

    def test_with_one_proxy_a_forged_hop_does_not_change_the_address(
        self, tania, proxies
    ):
        proxies(1)
        # An attacker at A writes a header of their own; the proxy appends A.
        for falso in range(settings.AXES_FAILURE_LIMIT):
            _desde(Client(), f"10.0.0.{falso}, {B}, {A}", clave="mala")
        assert {a.ip_address for a in AccessAttempt.objects.all()} == {A}
        assert _desde(Client(), f"{C}, {A}").status_code == 429
        assert _desde(Client(), B).status_code == 302

    def test_with_two_proxies_the_client_is_second_from_the_right(self, tania, proxies):
        proxies(2)
        cdn = "104.16.0.1"
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _desde(Client(), f"{B}, {A}, {cdn}", clave="mala")
        assert AccessAttempt.objects.get().ip_address == A
        assert _desde(Client(), f"{A}, {cdn}").status_code == 429
        assert _desde(Client(), f"{B}, {cdn}").status_code == 302

    def test_without_trusted_proxies_the_header_is_ignored(self, tania, proxies):
        proxies(0)
        # Forging a new address each time does not escape the lockout...
        for i in range(settings.AXES_FAILURE_LIMIT):
            _desde(Client(), f"198.51.100.{i}", clave="mala")
        assert AccessAttempt.objects.get().ip_address == PROXY
        assert _desde(Client(), A).status_code == 429
        assert _desde(Client(), None).status_code == 429
        # ...and the lock is still per account: another one gets in.
        assert _desde(Client(), A, identificador="diego").status_code == 302

    def test_the_default_trusts_no_proxy(self, ajustes_proxies):
        assert settings.INGRESO_PROXIES_DE_CONFIANZA == 0
        assert tuple(settings.AXES_IPWARE_META_PRECEDENCE_ORDER) == ("REMOTE_ADDR",)
        assert settings.AXES_IPWARE_PROXY_COUNT is None
        assert ajustes_proxies[0]["AXES_IPWARE_META_PRECEDENCE_ORDER"] == [
            "REMOTE_ADDR"
        ]
        assert ajustes_proxies[1]["AXES_IPWARE_META_PRECEDENCE_ORDER"] == [
            "HTTP_X_FORWARDED_FOR"
        ]

    def test_the_lockout_is_per_account_and_address(self):
        assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


# --- Forgotten password -----------------------------------------------------


@pytest.mark.django_db
class TestClaveOlvidada:
    def test_it_mails_a_working_link_in_spanish(self, client, tania, mailoutbox):
        r = _pedir_clave(client, CORREO.upper())
        assert r.status_code == 302
        assert r["Location"] == reverse("clave_olvidada_enviada")
        assert len(mailoutbox) == 1
        correo = mailoutbox[0]
        assert correo.to == [CORREO]
        assert "restablezca su contraseña" in correo.subject
        assert "Estimado(a) Tania" in correo.body
        assert DNI not in correo.body

        r = client.get(_ruta(_enlace(correo)), follow=True)
        assert r.status_code == 200 and r.context["validlink"]
        r = client.post(
            r.redirect_chain[-1][0],
            {"new_password1": NUEVA, "new_password2": NUEVA},
        )
        assert r.status_code == 302 and r["Location"] == reverse("clave_restablecida")
        assert _ingresar(client, DNI, NUEVA).status_code == 302

    def test_the_link_works_only_once(self, client, tania, mailoutbox):
        _pedir_clave(client, CORREO)
        ruta = _ruta(_enlace(mailoutbox[0]))
        r = client.get(ruta, follow=True)
        client.post(
            r.redirect_chain[-1][0], {"new_password1": NUEVA, "new_password2": NUEVA}
        )
        r = Client().get(ruta, follow=True)
        assert not r.context["validlink"]
        assert "ya no es válido" in r.content.decode()

    def test_the_link_expires_after_a_day(self, client, tania, mailoutbox, monkeypatch):
        _pedir_clave(client, CORREO)
        ruta = _ruta(_enlace(mailoutbox[0]))
        despues = dt.datetime.now() + dt.timedelta(hours=25)  # noqa: DTZ005
        monkeypatch.setattr(cuentas.token_clave_olvidada, "_now", lambda: despues)
        r = client.get(ruta, follow=True)
        assert not r.context["validlink"]

    def test_an_unknown_address_gets_the_same_answer_and_no_mail(
        self, client, tania, mailoutbox
    ):
        conocida = _pedir_clave(client, CORREO)
        desconocida = _pedir_clave(client, "nadie@ejemplo.pe")
        assert len(mailoutbox) == 1
        assert desconocida.status_code == conocida.status_code == 302
        assert desconocida["Location"] == conocida["Location"]
        pagina = client.get(desconocida["Location"]).content.decode()
        assert "Si el correo que escribió corresponde a una cuenta" in pagina

    def test_an_inactive_account_gets_no_mail(self, client, tania, mailoutbox):
        tania.is_active = False
        tania.save()
        r = _pedir_clave(client, CORREO)
        assert r.status_code == 302
        assert mailoutbox == []

    def test_an_account_never_activated_gets_its_first_login_link(
        self, client, tania, mailoutbox
    ):
        tania.set_unusable_password()
        tania.save()
        _pedir_clave(client, CORREO)
        assert len(mailoutbox) == 1
        assert "/primer-ingreso/" in mailoutbox[0].body

    def test_a_mail_server_failure_does_not_show(self, client, tania, monkeypatch):
        def falla(*a, **k):
            raise OSError("smtp caído")

        monkeypatch.setattr(cuentas, "send_mail", falla)
        r = _pedir_clave(client, CORREO)
        assert r.status_code == 302


@pytest.fixture
def cola(monkeypatch):
    """Records what the forgotten-password request queues, without running it."""
    encoladas = []
    monkeypatch.setattr(
        tasks.enviar_clave_olvidada,
        "apply_async",
        lambda *a, **k: encoladas.append(k),
    )
    return encoladas


@pytest.mark.django_db
class TestClaveOlvidadaSinPistas:
    """The request does the same whether or not an account has the address."""

    DESCONOCIDO = "nadie@ejemplo.pe"

    def test_known_and_unknown_get_the_same_answer_byte_for_byte(self, tania):
        respuestas = []
        for email in (CORREO, self.DESCONOCIDO):
            c = Client()
            r = _pedir_clave(c, email)
            pagina = c.get(r["Location"])
            respuestas.append(
                (
                    r.status_code,
                    r["Location"],
                    r.content,
                    pagina.status_code,
                    pagina.content,
                )
            )
        assert respuestas[0] == respuestas[1]
        assert respuestas[0][0] == 302

    def test_the_request_only_queues_the_task_with_the_address(self, tania, cola):
        tabla = Usuario._meta.db_table
        for email in (CORREO, self.DESCONOCIDO):
            with CaptureQueriesContext(connection) as consultas:
                _pedir_clave(Client(), email)
            assert not [q for q in consultas if tabla in q["sql"]]
        assert [k["kwargs"] for k in cola] == [
            {"email": CORREO},
            {"email": self.DESCONOCIDO},
        ]

    def test_the_queued_task_shows_no_address_in_celerys_logs(self, tania, cola):
        _pedir_clave(Client(), CORREO)
        assert CORREO not in cola[0]["kwargsrepr"]

    def test_the_task_does_the_lookup_and_the_mailing(self, tania, cola, mailoutbox):
        _pedir_clave(Client(), CORREO)
        assert mailoutbox == []
        with CaptureQueriesContext(connection) as consultas:
            tasks.enviar_clave_olvidada.apply(kwargs=cola[0]["kwargs"])
        assert [q for q in consultas if Usuario._meta.db_table in q["sql"]]
        assert [m.to for m in mailoutbox] == [[CORREO]]

    def test_the_task_mails_only_a_known_address_and_returns_nothing(
        self, tania, mailoutbox
    ):
        assert tasks.enviar_clave_olvidada(email=self.DESCONOCIDO) is None
        assert mailoutbox == []
        assert tasks.enviar_clave_olvidada(email=CORREO) is None
        assert len(mailoutbox) == 1

    def test_the_address_is_never_logged(self, tania, caplog, monkeypatch):
        caplog.set_level(logging.DEBUG)
        for email in (CORREO, self.DESCONOCIDO):
            _pedir_clave(Client(), email)

        def falla(*a, **k):
            # Mail servers quote the refused address in their errors.
            raise smtplib.SMTPRecipientsRefused({CORREO: (550, b"no such user")})

        monkeypatch.setattr(cuentas, "send_mail", falla)
        _pedir_clave(Client(), CORREO)
        assert "No se pudo enviar el correo de clave" in caplog.text
        assert "SMTPRecipientsRefused" in caplog.text
        for texto in (CORREO, CORREO.lower(), self.DESCONOCIDO):
            assert texto not in caplog.text


# --- The two kinds of link -------------------------------------------------


def _ruta_con(vista: str, generador, usuario) -> str:
    return _ruta(enlace_con_token(usuario, vista, generador))


def _valido(client, ruta: str) -> bool:
    return client.get(ruta, follow=True).context["validlink"]


def _reloj(monkeypatch, generador, **desplazamiento):
    despues = dt.datetime.now() + dt.timedelta(**desplazamiento)  # noqa: DTZ005
    monkeypatch.setattr(generador, "_now", lambda: despues)


@pytest.mark.django_db
class TestEnlaces:
    def test_the_two_links_are_signed_differently(self, tania):
        assert token_primer_ingreso.make_token(
            tania
        ) != token_clave_olvidada.make_token(tania)

    def test_the_first_login_page_refuses_a_reset_token(self, client, tania):
        ruta = _ruta_con("primer_ingreso", token_clave_olvidada, tania)
        assert not _valido(client, ruta)
        # Its own token works at the same address.
        assert _valido(client, _ruta_con("primer_ingreso", token_primer_ingreso, tania))

    def test_the_reset_page_refuses_a_first_login_token(self, client, tania):
        ruta = _ruta_con("clave_restablecer", token_primer_ingreso, tania)
        assert not _valido(client, ruta)
        assert _valido(
            client, _ruta_con("clave_restablecer", token_clave_olvidada, tania)
        )

    def test_a_mailed_reset_link_does_not_open_the_first_login_page(
        self, client, tania, mailoutbox
    ):
        _pedir_clave(client, CORREO)
        ruta = _ruta(_enlace(mailoutbox[0]))
        assert ruta.startswith("/clave/restablecer/")
        assert not _valido(
            client, ruta.replace("/clave/restablecer/", "/primer-ingreso/")
        )

    def test_a_first_login_link_lasts_two_weeks(self, client, tania, monkeypatch):
        ruta = _ruta_con("primer_ingreso", token_primer_ingreso, tania)
        _reloj(monkeypatch, token_primer_ingreso, days=13, hours=23)
        assert _valido(client, ruta)
        _reloj(monkeypatch, token_primer_ingreso, days=14, hours=1)
        assert not _valido(client, ruta)

    def test_a_reset_link_lasts_a_day(self, client, tania, monkeypatch):
        ruta = _ruta_con("clave_restablecer", token_clave_olvidada, tania)
        _reloj(monkeypatch, token_clave_olvidada, hours=23)
        assert _valido(client, ruta)
        _reloj(monkeypatch, token_clave_olvidada, hours=25)
        assert not _valido(client, ruta)

    def test_the_lifetimes_come_from_the_settings(
        self, client, tania, monkeypatch, settings
    ):
        settings.ENLACE_PRIMER_INGRESO_HORAS = 48
        settings.ENLACE_CLAVE_OLVIDADA_HORAS = 2
        primer = _ruta_con("primer_ingreso", token_primer_ingreso, tania)
        clave = _ruta_con("clave_restablecer", token_clave_olvidada, tania)
        _reloj(monkeypatch, token_primer_ingreso, hours=47)
        _reloj(monkeypatch, token_clave_olvidada, hours=1)
        assert _valido(client, primer) and _valido(client, clave)
        _reloj(monkeypatch, token_primer_ingreso, hours=49)
        _reloj(monkeypatch, token_clave_olvidada, hours=3)
        assert not _valido(client, primer)
        assert not _valido(client, clave)

    def test_a_first_login_link_works_only_once(self, client, tania):
        tania.set_unusable_password()
        tania.save()
        ruta = _ruta_con("primer_ingreso", token_primer_ingreso, tania)
        r = client.get(ruta, follow=True)
        r = client.post(
            r.redirect_chain[-1][0], {"new_password1": NUEVA, "new_password2": NUEVA}
        )
        assert r.status_code == 302
        assert r["Location"] == reverse("primer_ingreso_hecho")
        assert not _valido(Client(), ruta)


# --- Password change --------------------------------------------------------


@pytest.mark.django_db
class TestCambiarClave:
    def test_the_header_links_to_it(self, client, tania):
        client.force_login(tania)
        html = client.get(reverse("inicio")).content.decode()
        assert reverse("clave_cambiar") in html

    def test_it_changes_the_password_and_keeps_the_session(self, client, tania):
        client.force_login(tania)
        r = client.post(
            reverse("clave_cambiar"),
            {"old_password": CLAVE, "new_password1": NUEVA, "new_password2": NUEVA},
        )
        assert r.status_code == 302 and r["Location"] == reverse("clave_cambiada")
        tania.refresh_from_db()
        assert tania.check_password(NUEVA)
        assert client.get(reverse("inicio")).status_code == 200

    def test_a_wrong_old_password_changes_nothing(self, client, tania):
        client.force_login(tania)
        r = client.post(
            reverse("clave_cambiar"),
            {"old_password": "mala", "new_password1": NUEVA, "new_password2": NUEVA},
        )
        assert r.status_code == 200
        tania.refresh_from_db()
        assert tania.check_password(CLAVE)

    def test_anonymous_is_sent_to_login(self, client):
        r = client.get(reverse("clave_cambiar"))
        assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


# --- Session expiry ---------------------------------------------------------


@pytest.mark.django_db
class TestSesion:
    def _sesion(self, client) -> Session:
        return Session.objects.get(session_key=client.session.session_key)

    def test_sessions_end_when_idle_and_with_the_browser(self):
        assert settings.SESSION_ENGINE == "alerta.sesiones"
        assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        assert settings.SESSION_COOKIE_AGE == settings.SESION_INACTIVIDAD_MINUTOS * 60
        assert 1 <= settings.SESION_INACTIVIDAD_MINUTOS <= 8 * 60

    def test_an_expired_session_redirects_to_login(self, client, tania):
        assert _ingresar(client, DNI).status_code == 302
        assert client.get(reverse("inicio")).status_code == 200
        Session.objects.filter(session_key=client.session.session_key).update(
            expire_date=timezone.now() - dt.timedelta(seconds=1)
        )
        r = client.get(reverse("inicio"))
        assert r.status_code == 302
        assert r["Location"].startswith(reverse("login"))

    def test_each_request_pushes_the_end_back(self, client, tania):
        _ingresar(client, DNI)
        Session.objects.filter(session_key=client.session.session_key).update(
            expire_date=timezone.now() + dt.timedelta(seconds=60)
        )
        antes = timezone.now()
        assert client.get(reverse("inicio")).status_code == 200
        fin = self._sesion(client).expire_date
        assert fin >= antes + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)

    def test_a_request_just_after_the_last_renewal_writes_nothing(self, client, tania):
        _ingresar(client, DNI)
        fin = self._sesion(client).expire_date
        client.get(reverse("inicio"))
        assert self._sesion(client).expire_date == fin

    def test_a_malformed_or_zero_timeout_refuses_to_start(self):
        from tests.test_settings import _settings_en

        assert _settings_en({"SESION_INACTIVIDAD_MINUTOS": "media"}, "pass").returncode
        r = _settings_en({"SESION_INACTIVIDAD_MINUTOS": "0"}, "pass")
        assert r.returncode != 0 and "SESION_INACTIVIDAD_MINUTOS" in r.stderr


# --- The director's tutor page ----------------------------------------------


@pytest.fixture
def olga(mundo):
    """A teacher who tutored sección B of IE Uno before: a candidate there."""
    o = UsuarioFactory(username="olga", first_name="Olga", last_name="Mamani")
    a = asignar(o, Rol.TUTOR, seccion=mundo.seccion_b)
    a.activa = False
    a.save()
    return o


def _tutores(ie) -> str:
    return reverse("ie_tutores", args=[ie.codigo])


def _nuevo(ie) -> str:
    return reverse("ie_tutor_nuevo", args=[ie.codigo])


def _tutores_activos(seccion) -> set[str]:
    return set(
        Asignacion.objects.vigentes()
        .filter(rol=Rol.TUTOR, seccion=seccion)
        .values_list("usuario__username", flat=True)
    )


def _datos_nuevo(seccion, **cambios) -> dict:
    datos = {
        "seccion": str(seccion.uuid),
        "numero_documento": "45678912",
        "nombres": "Rosa",
        "apellidos": "Huamán Ccori",
        "email": "rosa.huaman@colegio.edu.pe",
    }
    datos.update(cambios)
    return datos


@pytest.mark.django_db
class TestTutores:
    def test_director_sees_this_years_secciones_with_their_tutors(
        self, client, mundo, tania, olga
    ):
        SeccionFactory(ie=mundo.ie_uno, anio=2025, letra="Z")
        client.force_login(mundo.director)
        r = client.get(_tutores(mundo.ie_uno))
        assert r.status_code == 200
        filas = r.context["filas"]
        assert [s for s, _n, _a in filas] == [mundo.seccion_a, mundo.seccion_b]
        assert filas[0][1] == ["Quispe, Tania"]
        assert filas[1][1] == []
        nombres = [n for _pk, n in r.context["docentes"]]
        # Tania tutors here, Olga did, Diego directs; Tomás is of another IE.
        assert "Mamani, Olga" in nombres and "Quispe, Tania" in nombres
        assert all("tomas" not in n.lower() for n in nombres)
        assert {pk for pk, _n in r.context["docentes"]} == {
            tania.pk,
            olga.pk,
            mundo.director.pk,
        }

    def test_the_page_takes_a_constant_number_of_queries(
        self, client, mundo, tania, olga, django_assert_max_num_queries
    ):
        client.force_login(mundo.director)
        with django_assert_max_num_queries(12):
            client.get(_tutores(mundo.ie_uno))
        for letra in "CDEFG":
            s = SeccionFactory(ie=mundo.ie_uno, letra=letra)
            asignar(UsuarioFactory(), Rol.TUTOR, seccion=s)
        with django_assert_max_num_queries(12):
            r = client.get(_tutores(mundo.ie_uno))
        assert len(r.context["filas"]) == 7

    def test_director_changes_the_tutor_and_the_classroom_follows(
        self, client, mundo, tania, olga, django_capture_on_commit_callbacks
    ):
        client.force_login(mundo.director)
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(
                _tutores(mundo.ie_uno),
                {"seccion": str(mundo.seccion_a.uuid), "tutor": olga.pk},
            )
        assert r.status_code == 302 and r["Location"] == _tutores(mundo.ie_uno)
        assert _tutores_activos(mundo.seccion_a) == {"olga"}
        # History kept: Tania's assignment is deactivated, not deleted.
        anterior = Asignacion.objects.get(usuario=tania, seccion=mundo.seccion_a)
        assert anterior.activa is False
        # Who did it and when, without naming anyone.
        registros = LogEntry.objects.filter(user=mundo.director)
        assert registros.count() == 2
        assert all(
            DNI not in e.object_repr and "olga" not in e.object_repr for e in registros
        )

        seccion = reverse("seccion_detalle", args=[mundo.seccion_a.uuid])
        olga_c, tania_c = Client(), Client()
        olga_c.force_login(olga)
        tania_c.force_login(tania)
        assert olga_c.get(seccion).status_code == 200
        assert tania_c.get(seccion).status_code == 404

        r = client.get(_tutores(mundo.ie_uno))
        assert "Mamani, Olga es ahora tutor(a) de" in r.content.decode()

    def test_a_former_tutor_can_come_back(self, client, mundo, tania, olga):
        client.force_login(mundo.director)
        url = _tutores(mundo.ie_uno)
        client.post(url, {"seccion": str(mundo.seccion_a.uuid), "tutor": olga.pk})
        client.post(url, {"seccion": str(mundo.seccion_a.uuid), "tutor": tania.pk})
        assert _tutores_activos(mundo.seccion_a) == {"tania"}
        assert Asignacion.objects.filter(seccion=mundo.seccion_a).count() == 2

    def test_choosing_the_current_tutor_changes_nothing(self, client, mundo, tania):
        client.force_login(mundo.director)
        client.post(
            _tutores(mundo.ie_uno),
            {"seccion": str(mundo.seccion_a.uuid), "tutor": tania.pk},
        )
        assert _tutores_activos(mundo.seccion_a) == {"tania"}
        assert not LogEntry.objects.exists()

    def test_a_teacher_of_another_ie_cannot_be_chosen(self, client, mundo, tania):
        client.force_login(mundo.director)
        r = client.post(
            _tutores(mundo.ie_uno),
            {"seccion": str(mundo.seccion_a.uuid), "tutor": mundo.tutor_otra_ie.pk},
        )
        assert r.status_code == 200
        assert "Elija un docente de la lista." in r.content.decode()
        assert _tutores_activos(mundo.seccion_a) == {"tania"}

    def test_a_seccion_of_another_ie_cannot_be_posted(self, client, mundo, tania):
        client.force_login(mundo.director)
        r = client.post(
            _tutores(mundo.ie_uno),
            {"seccion": str(mundo.seccion_dos.uuid), "tutor": tania.pk},
        )
        assert r.status_code == 200
        assert "Elija una sección de la lista." in r.content.decode()
        assert _tutores_activos(mundo.seccion_dos) == {"tomas"}

    def test_the_post_needs_the_csrf_token(self, mundo, tania, olga):
        c = Client(enforce_csrf_checks=True)
        c.force_login(mundo.director)
        r = c.post(
            _tutores(mundo.ie_uno),
            {"seccion": str(mundo.seccion_a.uuid), "tutor": olga.pk},
        )
        assert r.status_code == 403
        assert _tutores_activos(mundo.seccion_a) == {"tania"}

    def test_nacional_may_assign(self, client, mundo, tania, olga):
        client.force_login(mundo.nacional)
        r = client.post(
            _tutores(mundo.ie_uno),
            {"seccion": str(mundo.seccion_a.uuid), "tutor": olga.pk},
        )
        assert r.status_code == 302
        assert _tutores_activos(mundo.seccion_a) == {"olga"}

    @pytest.mark.parametrize(
        "persona", ["tutora", "tutor_otra_ie", "ugel", "ugel_otra", "dre", "otro_dir"]
    )
    def test_outsiders_get_404_on_the_pages_and_the_posts(
        self, client, mundo, tania, olga, persona
    ):
        if persona == "otro_dir":
            usuario = UsuarioFactory(username="dario")
            asignar(usuario, Rol.DIRECTOR, ie=mundo.ie_dos, anio=2026)
        else:
            usuario = getattr(mundo, persona)
        client.force_login(usuario)
        asignacion = {"seccion": str(mundo.seccion_a.uuid), "tutor": olga.pk}
        assert client.get(_tutores(mundo.ie_uno)).status_code == 404
        assert client.post(_tutores(mundo.ie_uno), asignacion).status_code == 404
        assert client.get(_nuevo(mundo.ie_uno)).status_code == 404
        nuevo = _datos_nuevo(mundo.seccion_a)
        assert client.post(_nuevo(mundo.ie_uno), nuevo).status_code == 404
        assert _tutores_activos(mundo.seccion_a) == {"tania"}
        assert not Usuario.objects.filter(numero_documento="45678912").exists()

    def test_a_director_of_another_year_gets_404(self, client, mundo):
        antiguo = UsuarioFactory(username="antiguo")
        asignar(antiguo, Rol.DIRECTOR, ie=mundo.ie_uno, anio=2025)
        client.force_login(antiguo)
        assert client.get(_tutores(mundo.ie_uno)).status_code == 404

    def test_a_malformed_code_is_404(self, client, mundo):
        client.force_login(mundo.nacional)
        url = reverse("ie_tutores", args=[mundo.ie_uno.codigo_modular])
        assert client.get(url).status_code == 404


@pytest.mark.django_db
class TestTutorNuevo:
    def test_the_form_preselects_the_seccion(self, client, mundo):
        client.force_login(mundo.director)
        r = client.get(_nuevo(mundo.ie_uno) + f"?seccion={mundo.seccion_b.uuid}")
        assert r.status_code == 200
        assert r.context["form"]["seccion"].value() == str(mundo.seccion_b.uuid)
        assert "DNI" in r.content.decode()

    def test_director_creates_a_tutor_who_then_sees_the_classroom(
        self, client, mundo, tania, mailoutbox, django_capture_on_commit_callbacks
    ):
        client.force_login(mundo.director)
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(_nuevo(mundo.ie_uno), _datos_nuevo(mundo.seccion_a))
        assert r.status_code == 302 and r["Location"] == _tutores(mundo.ie_uno)
        rosa = Usuario.objects.get(numero_documento="45678912")
        assert rosa.username == "45678912"
        assert (rosa.first_name, rosa.last_name) == ("Rosa", "Huamán Ccori")
        assert not rosa.has_usable_password()
        assert _tutores_activos(mundo.seccion_a) == {"45678912"}
        assert not Asignacion.objects.get(usuario=tania).activa

        # The first-login e-mail, with its link on the public address.
        assert len(mailoutbox) == 1
        assert mailoutbox[0].to == ["rosa.huaman@colegio.edu.pe"]
        ruta = _ruta(_enlace(mailoutbox[0]))
        assert "45678912" not in ruta
        rosa_c = Client()
        r = rosa_c.get(ruta, follow=True)
        r = rosa_c.post(
            r.redirect_chain[-1][0], {"new_password1": NUEVA, "new_password2": NUEVA}
        )
        assert r.status_code == 302
        assert _ingresar(rosa_c, "45678912", NUEVA).status_code == 302
        seccion = reverse("seccion_detalle", args=[mundo.seccion_a.uuid])
        assert rosa_c.get(seccion).status_code == 200
        otra = reverse("seccion_detalle", args=[mundo.seccion_b.uuid])
        assert rosa_c.get(otra).status_code == 404

    def test_an_existing_dni_is_assigned_without_changing_its_data(
        self, client, mundo, tania, mailoutbox, django_capture_on_commit_callbacks
    ):
        client.force_login(mundo.director)
        datos = _datos_nuevo(
            mundo.seccion_b,
            numero_documento=DNI,
            nombres="Otra",
            apellidos="Persona",
            email="intruso@ejemplo.pe",
        )
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post(_nuevo(mundo.ie_uno), datos)
        assert r.status_code == 302
        tania.refresh_from_db()
        assert (tania.first_name, tania.email) == ("Tania", CORREO)
        assert _tutores_activos(mundo.seccion_b) == {"tania"}
        # She has a password already: no first-login e-mail.
        assert mailoutbox == []

    @pytest.mark.parametrize("dni", ["1234567", "123456789", "4123456A", "41 23456"])
    def test_a_dni_that_is_not_8_digits_is_refused_in_spanish(self, client, mundo, dni):
        client.force_login(mundo.director)
        r = client.post(
            _nuevo(mundo.ie_uno), _datos_nuevo(mundo.seccion_a, numero_documento=dni)
        )
        assert r.status_code == 200
        assert "El DNI debe tener 8 dígitos." in r.content.decode()
        assert Usuario.objects.count() == 7
        assert _tutores_activos(mundo.seccion_a) == {"tania"}

    def test_an_email_of_another_account_is_refused(self, client, mundo, tania):
        client.force_login(mundo.director)
        r = client.post(
            _nuevo(mundo.ie_uno), _datos_nuevo(mundo.seccion_b, email=CORREO.upper())
        )
        assert r.status_code == 200
        assert "Ese correo electrónico ya lo usa otra cuenta" in r.content.decode()
        assert not Usuario.objects.filter(numero_documento="45678912").exists()

    def test_a_deactivated_account_is_not_assigned(self, client, mundo, tania):
        tania.is_active = False
        tania.save()
        client.force_login(mundo.director)
        r = client.post(
            _nuevo(mundo.ie_uno), _datos_nuevo(mundo.seccion_b, numero_documento=DNI)
        )
        assert r.status_code == 200
        assert "está desactivada" in r.content.decode()
        assert _tutores_activos(mundo.seccion_b) == set()

    def test_a_seccion_of_another_ie_is_refused(self, client, mundo):
        client.force_login(mundo.director)
        r = client.post(_nuevo(mundo.ie_uno), _datos_nuevo(mundo.seccion_dos))
        assert r.status_code == 200
        assert "Elija una sección de la lista." in r.content.decode()
        assert not Usuario.objects.filter(numero_documento="45678912").exists()
