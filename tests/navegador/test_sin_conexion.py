"""Offline for the tutor, in Chromium: the sección's pages open without a
connection once opened, a record written offline waits in the browser's
outbox (IndexedDB) and arrives once when the connection returns, a conflict is
shown, and logging out warns about waiting records and leaves nothing behind."""

import pytest
from django.urls import reverse
from django.utils import timezone

from seguimiento.models import AccionSeguimiento, RegistroMensual, TipoAccion
from seguimiento.services import mes_actual, registro_mensual_guardar

from .ayudas import expect, ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]
# The service worker is what these tests are about (see conftest.TRABAJADORES).
TRABAJADORES = "allow"

PENDIENTES_EN_LA_BASE = """async () => {
  const d = await idb.openDB("alerta-bandeja");
  const todos = await d.getAll("pendientes");
  d.close();
  return todos;
}"""

VACIO = """async () => ({
  caches: await caches.keys(),
  bases: (await indexedDB.databases()).map(b => b.name),
  workers: (await navigator.serviceWorker.getRegistrations()).length,
  borradores: Object.keys(localStorage).filter(k => k.startsWith("alerta:")),
})"""


def _fila(pagina, escuela, clave: str):
    estudiante = escuela.estudiante(clave)
    return pagina.locator(f'.registro-fila[data-estudiante="{estudiante.uuid}"]')


def _abrir_la_seccion(pagina, escuela):
    """Sign in as the tutor, open her sección and wait until the service worker
    has kept its pages: the home page, the sección, its three students, the
    new-action form of each and the monthly record."""
    m = escuela.mundo
    ingresar(pagina, m.tutora)
    pagina.goto(reverse("seccion_detalle", args=[m.seccion_a.uuid]))
    expect(pagina.locator("#bandeja")).to_have_attribute("data-precargado", "9")


def _no(fila):
    fila.get_by_role("group", name="Contactado").get_by_text("No", exact=True).click()


def test_offline_pages_and_a_record_that_arrives_once(contexto, pagina, escuela):
    m = escuela.mundo
    _abrir_la_seccion(pagina, escuela)
    seccion = reverse("seccion_detalle", args=[m.seccion_a.uuid])
    alumno = reverse("estudiante_detalle", args=[escuela.estudiante("a1").uuid])
    registro = reverse("seguimiento:registro-mensual", args=[m.seccion_a.uuid])
    # The pages are in the user's cache although they say no-store.
    guardadas = pagina.evaluate(
        """async (ruta) => {
          const nombres = await caches.keys();
          const c = await caches.open(nombres[0]);
          const r = await c.match(location.origin + ruta);
          return {nombres, control: r && r.headers.get("Cache-Control")};
        }""",
        registro,
    )
    assert guardadas["nombres"] == [f"alerta-{m.tutora.pk}-v1"]
    assert "no-store" in guardadas["control"]

    contexto.set_offline(True)
    for ruta in (seccion, alumno, registro):
        respuesta = pagina.goto(ruta)
        assert respuesta.from_service_worker, ruta
        assert respuesta.status == 200, ruta
    expect(pagina.get_by_role("heading", level=1)).to_contain_text("Registro mensual")

    # A tap offline: kept on the device, the counter shows 1.
    _no(_fila(pagina, escuela, "a1"))
    cuenta = pagina.locator("#bandeja-cuenta")
    expect(cuenta).to_have_text("1")
    expect(pagina.get_by_role("button", name="Sincronizar ahora (1)")).to_be_visible()
    pagina.reload()
    expect(cuenta).to_have_text("1")
    [pendiente] = pagina.evaluate(PENDIENTES_EN_LA_BASE)
    assert pendiente["clave"].startswith(f"registro:{escuela.estudiante('a1').uuid}:")
    assert RegistroMensual.objects.count() == 0

    # Back online: sent once, with the id made on the device.
    contexto.set_offline(False)
    pagina.get_by_role("button", name="Sincronizar ahora").click()
    expect(cuenta).to_have_text("0")
    guardado = RegistroMensual.objects.get()
    assert str(guardado.uuid) == pendiente["cuerpo"]["id"]
    assert guardado.autor == m.tutora and guardado.contactado is False

    # The same record once more (a replay): the server answers with the one it
    # has, nothing new is stored.
    pagina.evaluate(
        "(p) => window.Bandeja.encolar({clave: p.clave, metodo: 'POST',"
        " url: p.url, cuerpo: p.cuerpo})",
        pendiente,
    )
    expect(cuenta).to_have_text("0")
    assert RegistroMensual.objects.count() == 1
    expect(pagina.locator("#bandeja-conflictos")).to_be_hidden()


def test_a_conflict_written_offline_is_shown_to_the_tutor(contexto, pagina, escuela):
    m = escuela.mundo
    _abrir_la_seccion(pagina, escuela)
    pagina.goto(reverse("seguimiento:registro-mensual", args=[m.seccion_a.uuid]))
    # Meanwhile the director records the same student this month.
    registro_mensual_guardar(
        autor=m.director,
        estudiante=escuela.estudiante("a2"),
        seccion=m.seccion_a,
        mes=mes_actual(),
        contactado=True,
        medio="PRESENCIAL",
        sigue_clases="SI",
    )
    contexto.set_offline(True)
    _no(_fila(pagina, escuela, "a2"))
    expect(pagina.locator("#bandeja-cuenta")).to_have_text("1")
    contexto.set_offline(False)
    pagina.get_by_role("button", name="Sincronizar ahora").click()
    panel = pagina.locator("#bandeja-conflictos")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Este estudiante ya tiene registro de ese mes")
    expect(pagina.locator("#bandeja-cuenta")).to_have_text("0")
    # The director's record stands; the row shows it.
    registro = RegistroMensual.objects.get()
    assert registro.autor == m.director and registro.contactado is True
    expect(_fila(pagina, escuela, "a2")).to_have_class("registro-fila conflicto")
    # Still listed after a reload, until dismissed.
    pagina.reload()
    expect(panel).to_contain_text("Este estudiante ya tiene registro de ese mes")
    panel.get_by_role("button", name="Descartar").click()
    expect(panel).to_be_hidden()


def test_logout_warns_about_waiting_records_and_leaves_nothing(
    contexto, pagina, escuela
):
    m = escuela.mundo
    _abrir_la_seccion(pagina, escuela)
    pagina.goto(reverse("seguimiento:registro-mensual", args=[m.seccion_a.uuid]))
    # Another tab holds the outbox's lock: the record waits.
    pagina.evaluate(
        "() => { navigator.locks.request('alerta-bandeja',"
        " () => new Promise(() => {}));"
        " localStorage.setItem('alerta:borrador', '{}'); }"
    )
    _no(_fila(pagina, escuela, "a0"))
    expect(pagina.locator("#bandeja-cuenta")).to_have_text("1")

    mensajes = []

    def responder(aceptar):
        def manejar(dialogo):
            mensajes.append(dialogo.message)
            dialogo.accept() if aceptar else dialogo.dismiss()

        return manejar

    def esperar_aviso(cuantos):
        for _ in range(100):
            if len(mensajes) >= cuantos:
                return
            pagina.wait_for_timeout(50)

    pagina.once("dialog", responder(False))
    pagina.get_by_role("button", name="Salir").click()
    esperar_aviso(1)
    expect(pagina.locator("#bandeja-cuenta")).to_have_text("1")
    assert mensajes == [
        "Hay 1 registros sin enviar; si sale ahora se perderán. ¿Salir de todos modos?"
    ]
    assert pagina.url.endswith("/registro-mensual/")

    pagina.once("dialog", responder(True))
    pagina.get_by_role("button", name="Salir").click()
    pagina.wait_for_url("**/ingresar/")
    assert len(mensajes) == 2
    pagina.wait_for_function(
        "async () => (await caches.keys()).length === 0"
        " && (await navigator.serviceWorker.getRegistrations()).length === 0"
    )
    assert pagina.evaluate(VACIO) == {
        "caches": [],
        "bases": [],
        "workers": 0,
        "borradores": [],
    }
    assert RegistroMensual.objects.count() == 0


FORMULARIO = """([estudiante, tipo, fecha]) => {
  const f = document.createElement("form");
  f.method = "post";
  f.setAttribute("data-formulario-accion", "");
  f.dataset.bandejaUrl = "/api/v1/acciones/";
  f.dataset.estudiante = estudiante;
  f.innerHTML = `
    <input type="hidden" name="csrfmiddlewaretoken" value="x">
    <input type="hidden" name="id" value="">
    <select name="tipo"><option value="${tipo}" selected>Visita</option></select>
    <input name="fecha" value="${fecha}">
    <input type="radio" name="estado" value="PLANIFICADA">
    <input type="radio" name="estado" value="REALIZADA" checked>
    <textarea name="nota">Habló con la madre</textarea>
    <input type="checkbox" name="reservada" checked>
    <input type="checkbox" name="factores" value="inasistencias" checked>
    <input type="checkbox" name="factores" value="pobreza">
    <input type="checkbox" name="factores" value="extraedad" checked>
    <select name="orientacion"><option value="" selected>—</option></select>
    <button type="submit">Guardar acción</button>`;
  document.querySelector("main").appendChild(f);
}"""


def test_an_action_written_offline_arrives_once(contexto, pagina, escuela):
    """The action form, offline: its fields become the API's body (a checkbox a
    boolean, a multiple choice a list, no orientacion null), kept in the
    outbox, and the action is stored once when the connection returns."""
    m = escuela.mundo
    estudiante = escuela.estudiante("a1")
    tipo = TipoAccion.objects.vigentes().first() or TipoAccion.objects.create(
        codigo="visita", nombre="Visita domiciliaria"
    )
    hoy = timezone.localdate().isoformat()
    _abrir_la_seccion(pagina, escuela)
    pagina.evaluate(FORMULARIO, [str(estudiante.uuid), tipo.codigo, hoy])
    contexto.set_offline(True)
    pagina.get_by_role("button", name="Guardar acción").click()
    expect(
        pagina.get_by_role("status").filter(has_text="Guardado en este")
    ).to_have_text("Guardado en este dispositivo; se enviará al volver la conexión")
    expect(pagina.locator("#bandeja-cuenta")).to_have_text("1")
    assert "/seccion/" in pagina.url  # nothing was posted
    [pendiente] = pagina.evaluate(PENDIENTES_EN_LA_BASE)
    cuerpo = dict(pendiente["cuerpo"])
    assert pendiente["clave"] == "accion:" + cuerpo["id"]
    assert pendiente["url"] == "/api/v1/acciones/"
    assert pendiente["usuario"] == str(m.tutora.pk)
    assert len(cuerpo.pop("id")) == 36
    assert cuerpo == {
        "tipo": tipo.codigo,
        "fecha": hoy,
        "estado": "REALIZADA",
        "nota": "Habló con la madre",
        "reservada": True,
        "factores": ["inasistencias", "extraedad"],
        "orientacion": None,
        "estudiante": str(estudiante.uuid),
    }
    assert AccionSeguimiento.objects.count() == 0

    contexto.set_offline(False)
    pagina.get_by_role("button", name="Sincronizar ahora").click()
    expect(pagina.locator("#bandeja-cuenta")).to_have_text("0")
    accion = AccionSeguimiento.objects.get()
    assert str(accion.uuid) == pendiente["cuerpo"]["id"]
    assert (accion.estudiante, accion.autor, accion.reservada) == (
        estudiante,
        m.tutora,
        True,
    )
    assert sorted(accion.factores) == ["extraedad", "inasistencias"]

    # Replayed: answered with the stored action, nothing new.
    pagina.evaluate(
        "(p) => window.Bandeja.encolar({clave: p.clave, metodo: 'POST',"
        " url: p.url, cuerpo: p.cuerpo})",
        pendiente,
    )
    expect(pagina.locator("#bandeja-cuenta")).to_have_text("0")
    assert AccionSeguimiento.objects.count() == 1
    expect(pagina.locator("#bandeja-conflictos")).to_be_hidden()


def test_two_actions_written_offline_in_the_real_form_arrive_as_two(
    contexto, pagina, escuela
):
    """The new-action form is kept with its sección: opened offline twice
    from the worker's cache, each opening writes its own action (its own id),
    and both are stored when the connection returns."""
    estudiante = escuela.estudiante("a1")
    TipoAccion.objects.get_or_create(
        codigo="llamada_visita", defaults={"nombre": "Llamada o visita a la familia"}
    )
    _abrir_la_seccion(pagina, escuela)
    contexto.set_offline(True)
    forma = reverse("seguimiento:accion_nueva", args=[estudiante.uuid])
    for nota in ("Llamé a la madre.", "Visité el hogar."):
        pagina.goto(forma)
        expect(pagina.get_by_role("heading", level=1)).to_have_text(
            "Registrar una acción"
        )
        pagina.get_by_label("Tipo de acción").select_option("llamada_visita")
        pagina.get_by_label("Nota breve").fill(nota)
        pagina.get_by_role("button", name="Registrar acción").click()
        expect(
            pagina.get_by_role("status").filter(has_text="Guardado en este")
        ).to_be_visible()
        assert forma in pagina.url  # nothing was posted
    ids = {p["cuerpo"]["id"] for p in pagina.evaluate(PENDIENTES_EN_LA_BASE)}
    assert len(ids) == 2
    assert AccionSeguimiento.objects.count() == 0

    contexto.set_offline(False)
    pagina.get_by_role("button", name="Sincronizar ahora").click()
    expect(pagina.locator("#bandeja-cuenta")).to_have_text("0")
    assert {
        str(u) for u in AccionSeguimiento.objects.values_list("uuid", flat=True)
    } == ids
    assert sorted(AccionSeguimiento.objects.values_list("nota", flat=True)) == [
        "Llamé a la madre.",
        "Visité el hogar.",
    ]
