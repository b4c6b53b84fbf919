import os
import subprocess
import sys

import pytest
from django.conf import settings

from alerta.models import Asignacion, Rol
from tests.factories import SeccionFactory, UsuarioFactory


def _settings_en(entorno: dict[str, str], codigo: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(entorno)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {codigo}"],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "alerta.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_a_secret_key_refuses_to_start():
    r = _settings_en({"DEBUG": "false", "ALLOWED_HOSTS": "x"}, "pass")
    assert r.returncode != 0
    assert "SECRET_KEY" in r.stderr


def test_a_short_secret_key_refuses_to_start():
    r = _settings_en({"DEBUG": "false", "SECRET_KEY": "corta"}, "pass")
    assert r.returncode != 0
    assert "at least 32" in r.stderr


def test_a_malformed_boolean_fails_loudly():
    r = _settings_en({"DEBUG": "quizas"}, "pass")
    assert r.returncode != 0


def test_without_a_broker_tasks_run_in_process_and_with_one_they_do_not():
    codigo = "from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER)"
    sin = _settings_en({"CELERY_BROKER_URL": ""}, codigo)
    con = _settings_en({"CELERY_BROKER_URL": "redis://127.0.0.1:6379/9"}, codigo)
    assert sin.stdout.strip() == "True"
    assert con.stdout.strip() == "False"


def test_the_nightly_run_is_at_two_in_the_morning_lima_time():
    entrada = settings.CELERY_BEAT_SCHEDULE["puntaje-nocturno"]
    assert entrada["task"] == "riesgo.tasks.puntuar_estudiantes"
    assert entrada["schedule"].hour == {2} and entrada["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "America/Lima"
    assert settings.LANGUAGE_CODE == "es-pe"


@pytest.mark.django_db
def test_a_role_without_its_scope_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    usuario = UsuarioFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Asignacion.objects.create(usuario=usuario, rol=Rol.TUTOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Asignacion.objects.create(
            usuario=usuario, rol=Rol.ESPECIALISTA_UGEL, seccion=SeccionFactory()
        )


@pytest.mark.django_db
def test_a_grade_that_does_not_exist_for_the_nivel_is_refused_by_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        SeccionFactory(nivel="SECUNDARIA", grado=6)


def test_email_url_configures_smtp_and_its_absence_the_console():
    codigo = (
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST)"
    )
    smtp = _settings_en({"EMAIL_URL": "smtp+tls://u:p@smtp.ugel.pe:587"}, codigo)
    consola = _settings_en({"EMAIL_URL": ""}, codigo)
    assert smtp.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.ugel.pe",
    ]
    assert consola.stdout.startswith("django.core.mail.backends.console")


def test_kept_connections_are_checked_before_reuse():
    r = _settings_en(
        {"CONN_MAX_AGE": "60"},
        "from django.db import connection as c; "
        "print(c.settings_dict['CONN_MAX_AGE'], c.settings_dict['CONN_HEALTH_CHECKS'])",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["60", "True"]


def test_gunicorn_workers_freeze_what_the_app_loaded():
    import gc
    import runpy
    from pathlib import Path

    ruta = Path(settings.BASE_DIR) / "docker" / "gunicorn.conf.py"
    config = runpy.run_path(str(ruta))
    # The container runs it, and so does the benchmark that measures it.
    assert (
        f'--config", "{ruta.relative_to(settings.BASE_DIR)}'
        in (Path(settings.BASE_DIR) / "Dockerfile").read_text()
    )
    gc.unfreeze()
    try:
        config["post_worker_init"](None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.parametrize(
    "entorno",
    [
        {"API_LIMITE_POR_TOKEN": "120"},
        {"API_LIMITE_POR_USUARIO": "0/min"},
        {"API_LIMITE_POR_TOKEN": "muchos/min"},
        {"TOKEN_API_DIAS_POR_DEFECTO": "400", "TOKEN_API_DIAS_MAXIMO": "365"},
        {"TOKEN_API_DIAS_POR_DEFECTO": "0"},
    ],
    ids=[
        "rate_without_period",
        "zero_rate",
        "rate_not_a_number",
        "default_over_max",
        "zero_days",
    ],
)
def test_malformed_api_token_settings_refuse_to_start(entorno):
    r = _settings_en(entorno, "pass")
    assert r.returncode != 0
    assert "ImproperlyConfigured" in r.stderr


def test_api_limits_are_read_from_the_environment():
    codigo = (
        "from django.conf import settings as s; "
        "print(s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'])"
    )
    r = _settings_en(
        {"API_LIMITE_POR_TOKEN": "30/min", "API_LIMITE_POR_USUARIO": "1000/hour"},
        codigo,
    )
    assert r.stdout.strip() == "{'token': '30/min', 'usuario': '1000/hour'}"


@pytest.mark.parametrize(
    "entorno",
    [
        {"DERIVA_PSI_MODERADA": "0.3", "DERIVA_PSI_IMPORTANTE": "0.2"},
        {"DERIVA_PSI_MODERADA": "0"},
        {"DERIVA_PSI_IMPORTANTE": "mucho"},
    ],
    ids=["moderate_over_important", "zero_moderate", "not_a_number"],
)
def test_malformed_drift_thresholds_refuse_to_start(entorno):
    r = _settings_en(entorno, "pass")
    assert r.returncode != 0
    assert "DERIVA_PSI" in r.stderr or "could not convert" in r.stderr


def test_drift_thresholds_default_to_the_usual_cuts():
    assert settings.DERIVA_PSI_MODERADA == 0.10
    assert settings.DERIVA_PSI_IMPORTANTE == 0.25
