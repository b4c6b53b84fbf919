"""Browser tests: Debian's Chromium, driven by Playwright, against the live server.

One browser for all the tests of this folder; each test gets a fresh context
(its own cookies and cache), so that logging in as one persona never leaks
into the next test.
The live server runs in another thread: the data it serves must be committed,
hence transactional database access in every test of this folder.
"""

import os
import shutil

import pytest

from riesgo.scoring import agregados_escribir
from tests.factories import DreFactory, UgelFactory

from .ayudas import ESCRITORIO, FACTORES, NOMBRES, TELEFONO, Escuela


def _requerido(mensaje: str) -> None:
    """Skip, or fail when CI requires every part (ALERTA_SERVICIOS_OBLIGATORIOS)."""
    if os.environ.get("ALERTA_SERVICIOS_OBLIGATORIOS"):
        pytest.fail(mensaje)
    pytest.skip(mensaje)


@pytest.fixture(scope="package")
def navegador(django_db_setup):
    """One Chromium for every test of this folder, closed after the last one.

    Package scope, not session scope: while Playwright's sync API is started,
    its event loop counts as running in this thread, and Django refuses
    database queries there unless DJANGO_ALLOW_ASYNC_UNSAFE is set. That
    allowance must not outlive these tests. The test database is set up first
    for the same reason."""
    ruta = shutil.which("chromium")
    if ruta is None:
        _requerido("needs Debian's chromium on the PATH (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _requerido("needs the playwright package (pip install -e '.[dev]')")

    # Chromium refuses its sandbox to root (containers, CI).
    argumentos = ["--no-sandbox"] if os.geteuid() == 0 else []
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as p:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(
            executable_path=ruta, headless=True, args=argumentos
        )
        yield browser
        browser.close()


# The pages register a service worker that pre-caches a sección's students in
# the background: requests a test does not wait for, still running in the live
# server when the test's database is flushed (a deadlock on PostgreSQL). Only
# the offline tests, which wait for the pre-cache, let it register.
TRABAJADORES = "block"


@pytest.fixture
def contexto(navegador, live_server, request):
    ctx = navegador.new_context(
        base_url=live_server.url,
        viewport=ESCRITORIO,
        locale="es-PE",
        accept_downloads=True,
        service_workers=getattr(request.module, "TRABAJADORES", TRABAJADORES),
    )
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def pagina(contexto):
    return contexto.new_page()


@pytest.fixture
def telefono(navegador, live_server):
    ctx = navegador.new_context(
        base_url=live_server.url,
        viewport=TELEFONO,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="es-PE",
        service_workers=TRABAJADORES,
    )
    ctx.set_default_timeout(15_000)
    yield ctx.new_page()
    ctx.close()


@pytest.fixture
def escuela(transactional_db, mundo, puntajes) -> Escuela:
    from alerta.models import Estudiante
    from riesgo.models import Puntaje

    lejana = UgelFactory(nombre="UGEL LEJANA", dre=DreFactory(nombre="DRE LEJANA"))
    e = Escuela(mundo=mundo, ejecucion=puntajes, ugel_lejana=lejana)
    for clave, (paterno, materno, nombres) in NOMBRES.items():
        estudiante = e.estudiante(clave)
        Estudiante.objects.filter(pk=estudiante.pk).update(
            apellido_paterno=paterno, apellido_materno=materno, nombres=nombres
        )
        estudiante.refresh_from_db()
    Puntaje.objects.filter(ejecucion=puntajes).update(**FACTORES)
    agregados_escribir(puntajes)
    return e
