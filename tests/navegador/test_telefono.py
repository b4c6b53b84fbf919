"""On a 360 px wide phone no page scrolls sideways, no box inside it either, and
every figure of every table is on screen.

The pages are not listed by hand: each role starts at its home and follows
every link it is offered, and the walk must reach every page of the URL conf
(downloads and the pages that only answer a form or an e-mail aside).
"""

import datetime as dt
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.urls import get_resolver, resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook

from alerta.models import Asignacion, Estudiante, Rol
from capacitaciones.models import Capacitacion, Invitacion, Modalidad
from monitoreo.calculo import uso_calcular
from orientaciones.models import Audiencia, Orientacion
from pilotos.models import Unidad
from pilotos.services import (
    evaluacion_crear,
    evaluacion_publicar,
    evaluacion_sortear,
)
from resultados.calculo import resultados_calcular
from seguimiento.models import TipoAccion
from siagie_import.models import EstadoImportacion, Importacion, Rechazo
from tests.factories import accion
from tests.resultados.mundo import plantar
from tests.riesgo.test_vistas_modelos import debajo_de_la_base

from .ayudas import ESCRITORIO, TELEFONO, expect, ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

# URL names no link leads to, and why: a form's answer, an e-mail's link, a
# POST-only action, a machine's endpoint. Any other page must be reached.
FUERA_DEL_RECORRIDO = {
    "logout": "POST only",
    "primer_ingreso": "link in an e-mail, with a token",
    "primer_ingreso_hecho": "answer to the first-sign-in form",
    "clave_olvidada_enviada": "answer to the forgotten-password form",
    "clave_restablecer": "link in an e-mail, with a token",
    "clave_restablecida": "answer to the reset form",
    "clave_cambiada": "answer to the change-password form",
    "salud": "health check for the load balancer (text/plain)",
    "importacion:progreso": "JSON polled by the import page",
    "importacion:reintentar": "POST only",
    "modelos:entrenar": "POST only",
    "modelos:restaurar": "POST only",
    "modelos:publicar": "POST only",
    "modelos:retirar": "POST only",
    "token_revocar": "POST only",
    "resultados:calcular": "POST only",
    "capacitaciones:asistencia": "the session page's attendance form posts here",
    "pilotos:sortear": "POST only",
    "service_worker": "the offline script (JavaScript), registered by the page",
    "manifest": "the web app manifest (JSON), linked from every page's head",
}

# Problems of the page on screen, as short texts (empty: none).
PROBLEMAS = r"""() => {
  const problemas = [];
  const ancho = document.documentElement.clientWidth;
  const corto = e => e.outerHTML.slice(0, 140);
  const normal = t =>
    t.replace(/[▲◆●↓]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
  if (document.scrollingElement.scrollWidth > ancho)
    problemas.push(`the page is ${document.scrollingElement.scrollWidth} px wide`);
  for (const e of document.querySelectorAll('body *')) {
    const x = getComputedStyle(e).overflowX;
    if ((x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth + 1)
      problemas.push('a box scrolls sideways: ' + corto(e));
  }
  // A figure, a count, a share, a year: digits with spaces, dots, commas, %.
  const cifra = /^[-+−]?[\d\s.,%()\u00a0\u202f]*\d[\d\s.,%()\u00a0\u202f]*$/;
  const celdas = 'tbody td, tbody th, tfoot td, tfoot th';
  for (const c of document.querySelectorAll(celdas)) {
    // .texto: free text copied from a file, that may happen to look like one.
    const marcada = c.classList.contains('num') || c.classList.contains('texto');
    if (cifra.test(c.textContent.trim()) && !marcada)
      problemas.push('a figure without the .num mark: ' + corto(c));
  }
  for (const c of document.querySelectorAll('tbody .num, tfoot .num')) {
    // Scroll the page down to it, never a box sideways (that would hide the fault).
    const y = c.getBoundingClientRect().top + window.scrollY;
    window.scrollTo(0, y - window.innerHeight / 2);
    const r = c.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) {
      problemas.push('a figure not shown: ' + corto(c));
      continue;
    }
    if (r.left < 0 || r.right > ancho + 0.5)
      problemas.push(`a figure off screen (${r.left}-${r.right} px): ` + corto(c));
    const visto = document.elementFromPoint(
      Math.min(Math.max(r.left + r.width / 2, 0), ancho - 1), r.top + r.height / 2);
    if (!visto || !c.contains(visto))
      problemas.push('a figure covered or clipped: ' + corto(c));
    // A table turned into cards hides its header row: each figure names its column.
    const tabla = c.closest('table');
    const cabecera = tabla.tHead;
    if (tabla.classList.contains('apilable') && cabecera
        && cabecera.getBoundingClientRect().width <= 1) {
      const titulo = cabecera.rows[0].cells[c.cellIndex];
      const etiqueta = c.dataset.etiqueta || '';
      const dice = titulo && normal(titulo.textContent).includes(normal(etiqueta));
      if (!etiqueta || !dice)
        problemas.push(`a figure without its column's name (${etiqueta}): ` + corto(c));
    }
  }
  window.scrollTo(0, 0);
  return problemas;
}"""

ENLACES = """() => [...document.querySelectorAll('a[href]')].map(a => ({
  href: a.href, texto: a.innerText.trim(), descarga: a.hasAttribute('download')}))"""

CON_NOMBRES = "con nombres de estudiantes"


@dataclass
class Recorrido:
    paginas: dict[str, str] = field(default_factory=dict)  # url name -> path
    descargas: dict[str, str] = field(default_factory=dict)  # url name -> link text
    problemas: list[str] = field(default_factory=list)


def _nombre_de_url(ruta: str) -> str:
    return resolve(ruta).view_name


def _nombres_del_urlconf() -> set[str]:
    def recorrer(patrones, prefijo=""):
        for p in patrones:
            if hasattr(p, "url_patterns"):
                # The API answers JSON to programs; its documentation page,
                # linked from the tokens page, is walked like any other.
                if p.namespace not in ("admin", "api"):
                    ns = f"{prefijo}{p.namespace}:" if p.namespace else prefijo
                    yield from recorrer(p.url_patterns, ns)
            elif p.name:
                yield prefijo + p.name

    return set(recorrer(get_resolver().url_patterns))


def _nombra_estudiantes(contenido: bytes) -> bool:
    """Whether a workbook (or a CSV) holds the name of any student of the world."""
    nombres = [
        (e.apellido_paterno, e.nombres, e.nombre_completo)
        for e in Estudiante.objects.all()
    ]
    if not contenido.startswith(b"PK"):
        # Not a zip: a CSV download, read as text.
        texto = contenido.decode()
        return any(
            completo in texto or (paterno in texto and propios in texto)
            for paterno, propios, completo in nombres
        )
    libro = load_workbook(BytesIO(contenido), read_only=True)
    for hoja in libro.worksheets:
        for fila in hoja.iter_rows(values_only=True):
            for valor in fila:
                if not isinstance(valor, str):
                    continue
                for paterno, propios, completo in nombres:
                    if completo in valor or (paterno in valor and propios in valor):
                        return True
    return False


def _revisar(pagina, recorrido: Recorrido) -> None:
    for problema in pagina.evaluate(PROBLEMAS):
        recorrido.problemas.append(f"{pagina.url}: {problema}")


def _recorrer(pagina, live_server, recorrido: Recorrido) -> None:
    """Every page the signed-in user can reach from the home page, once per
    URL name, checked on screen; every download offered, fetched."""
    pendientes = [reverse("inicio")]
    propias: set[str] = set()
    while pendientes:
        ruta = pendientes.pop(0)
        nombre = _nombre_de_url(urlsplit(ruta).path)
        if nombre in propias:
            continue
        propias.add(nombre)
        respuesta = pagina.goto(ruta)
        assert respuesta.status == 200, ruta
        recorrido.paginas.setdefault(nombre, ruta)
        _revisar(pagina, recorrido)
        ofrece_nominal = False
        for enlace in pagina.evaluate(ENLACES):
            partes = urlsplit(enlace["href"])
            if f"{partes.scheme}://{partes.netloc}" != live_server.url:
                continue
            if partes.path.startswith("/admin/"):
                continue
            destino = partes.path + (f"?{partes.query}" if partes.query else "")
            if not enlace["descarga"]:
                pendientes.append(destino)
                continue
            # A download: does it name students, and does its link say so?
            archivo = pagina.request.get(enlace["href"])
            assert archivo.ok, destino
            nominal = _nombra_estudiantes(archivo.body())
            dice = CON_NOMBRES in enlace["texto"]
            if nominal != dice:
                recorrido.problemas.append(
                    f"{pagina.url}: the link «{enlace['texto']}» "
                    + ("does not say" if nominal else "says")
                    + " that its workbook names students"
                )
            ofrece_nominal |= nominal
            recorrido.descargas.setdefault(_nombre_de_url(partes.path), enlace["texto"])
        if (
            ofrece_nominal
            and pagina.get_by_text(
                "esta página no muestra datos de estudiantes"
            ).count()
        ):
            recorrido.problemas.append(
                f"{pagina.url}: says it shows no student data beside a download "
                "with names"
            )


@pytest.fixture
def mundo_completo(escuela):
    """The browser tests' world, with what the national pages list: an import
    with rejected rows, a version below its baseline beside the published one
    (so both Publicar and Retirar show), guidance for every audience, and a
    follow-up action of the tutor (so its Corregir and Historial show)."""
    m = escuela.mundo
    # A transactional database is flushed between tests: the catalogue of
    # kinds seeded by its migration may be gone.
    tipo, _creado = TipoAccion.objects.get_or_create(
        codigo="llamada_visita", defaults={"nombre": "Llamada o visita a la familia"}
    )
    accion(
        m.tutora,
        m.matriculas_a[1],
        tipo=tipo,
        nota="Se acordó con la familia que asistirá a la tutoría del lunes "
        "por la tarde.",
    )
    importacion = Importacion.objects.create(
        usuario=m.nacional,
        tipo="NOMINA",
        anio=2026,
        nombre_archivo="nomina_2026_ugel_norte_extracto_corregido.csv",
        sha256="0" * 64,
        estado=EstadoImportacion.COMPLETADA,
        filas_leidas=123_456,
        filas_aceptadas=123_000,
        filas_rechazadas=456,
    )
    Rechazo.objects.bulk_create(
        Rechazo(
            importacion=importacion,
            fila=10_000 + i,
            columna="FECHA_NACIMIENTO",
            valor="53948",
            motivo="La fecha de nacimiento está en el futuro.",
        )
        for i in range(3)
    )
    # A training of UGEL Norte, attended by the tutor: its pages and the
    # comparison have something to show.
    capacitacion = Capacitacion.objects.create(
        ugel=m.ugel_norte,
        modalidad=Modalidad.GRUPO_PEQUENO,
        fecha=dt.date(2026, 3, 4),
        hora=dt.time(9, 30),
        lugar="Auditorio de la UGEL Norte, segundo piso",
        tema="Cómo leer la lista de riesgo con los tutores",
        creada_por=m.ugel,
    )
    Invitacion.objects.create(
        capacitacion=capacitacion, usuario=m.tutora, ie=m.ie_uno, asistio=True
    )
    Invitacion.objects.create(
        capacitacion=capacitacion, usuario=m.director, ie=m.ie_uno
    )
    # And an upcoming one, not held yet: it may be cancelled.
    proxima = Capacitacion.objects.create(
        ugel=m.ugel_norte,
        modalidad=Modalidad.INDIVIDUAL,
        fecha=timezone.localdate() + dt.timedelta(days=30),
        enlace="https://reuniones.example.org/capacitacion-alerta-escuela",
        creada_por=m.ugel,
    )
    Invitacion.objects.create(capacitacion=proxima, usuario=m.director, ie=m.ie_uno)
    # A published evaluation of UGEL Norte and a newer draft of both UGELs,
    # listed first: the pilots' pages, the publishing page and the downloads
    # show.
    for publicada in (True, False):
        evaluacion = evaluacion_crear(
            creada_por=m.nacional,
            ugeles=[m.ugel_norte] if publicada else [m.ugel_norte, m.ugel_sur],
            nombre="Capacitaciones en grupos pequeños: piloto evaluable 2026",
            unidad=Unidad.IE,
            brazos=[
                {"codigo": "C", "proporcion": "0.5", "control": True},
                {"codigo": "T1", "proporcion": "0.5"},
            ],
            cortes_tamano=[100],
            semilla=20260412,
        )
        evaluacion_sortear(evaluacion=evaluacion)
        if publicada:
            evaluacion_publicar(evaluacion=evaluacion)
    debajo_de_la_base(2)
    for audiencia in Audiencia.values:
        Orientacion.objects.get_or_create(
            slug=f"prueba-{audiencia.lower()}",
            defaults={
                "titulo": "Llamar a la familia",
                "audiencia": audiencia,
                "resumen": "Cómo empezar.",
                "texto": "Primero…",
            },
        )
    # The use monitoring's nightly aggregates: its pages list IEs and teachers.
    uso_calcular()
    # Last year scored and its outcome computed: the outcome pages show figures.
    plantar(m, escuela.ejecucion.modelo)
    resultados_calcular()
    return escuela


def test_every_page_of_every_role_fits_a_360_px_phone(
    telefono, live_server, mundo_completo
):
    recorrido = Recorrido()
    pagina = telefono
    # Before signing in: the login page and what it links to.
    for ruta in (reverse("login"), reverse("clave_olvidada")):
        pagina.goto(ruta)
        recorrido.paginas[_nombre_de_url(ruta)] = ruta
        _revisar(pagina, recorrido)

    por_rol = {}
    for rol in Rol.values:
        asignacion = (
            Asignacion.objects.vigentes().filter(rol=rol).order_by("pk").first()
        )
        assert asignacion is not None, f"the world has no {rol}"
        pagina.context.clear_cookies()
        ingresar(pagina, asignacion.usuario)
        antes = set(recorrido.paginas)
        _recorrer(pagina, live_server, recorrido)
        por_rol[rol] = set(recorrido.paginas) - antes

    assert not recorrido.problemas, "\n".join(recorrido.problemas)
    alcanzadas = set(recorrido.paginas) | set(recorrido.descargas)
    faltan = _nombres_del_urlconf() - alcanzadas - set(FUERA_DEL_RECORRIDO)
    assert faltan == set(), f"no role reaches {faltan}"
    # The walk did go where each role works.
    assert {"seccion_detalle", "estudiante_detalle"} <= por_rol[Rol.TUTOR]
    assert {"ie_detalle", "ie_tutores"} <= por_rol[Rol.DIRECTOR]
    assert "ugel_detalle" in por_rol[Rol.ESPECIALISTA_UGEL]
    assert "dre_detalle" in por_rol[Rol.ESPECIALISTA_DRE]
    assert {"nacional", "modelos:lista", "importacion:detalle"} <= por_rol[Rol.NACIONAL]


def _sin_desplazamiento_lateral(pagina, ancho: int) -> None:
    assert pagina.evaluate("document.scrollingElement.scrollWidth") <= ancho


def _en_pantalla(localizador, ancho: int) -> None:
    """Visible and not cut by the screen's sides (it may be further down)."""
    expect(localizador).to_be_visible()
    caja = localizador.bounding_box()
    assert caja["x"] >= 0 and caja["x"] + caja["width"] <= ancho, caja


@pytest.mark.parametrize("pantalla", [ESCRITORIO, TELEFONO], ids=["1280", "360"])
def test_the_model_versions_page_fits_at_1280_and_at_360(
    navegador, live_server, mundo_completo, pantalla
):
    contexto = navegador.new_context(
        base_url=live_server.url, viewport=pantalla, locale="es-PE"
    )
    pagina = contexto.new_page()
    try:
        ingresar(pagina, mundo_completo.mundo.nacional)
        pagina.goto(reverse("modelos:lista"))
        ancho = pantalla["width"]
        _sin_desplazamiento_lateral(pagina, ancho)
        assert pagina.evaluate(PROBLEMAS) == []
        tabla = pagina.locator("#tabla-versiones")
        _en_pantalla(tabla.locator("caption"), ancho)
        columnas = tabla.locator("thead th").all_inner_texts()
        filas = tabla.locator("tbody tr")
        assert filas.count() == 2
        for i, columna in enumerate(columnas):
            if pantalla is ESCRITORIO:
                _en_pantalla(tabla.locator("thead th").nth(i), ancho)
            for f in range(filas.count()):
                celda = filas.nth(f).locator("td").nth(i)
                _en_pantalla(celda, ancho)
                if pantalla is TELEFONO and i > 0:
                    # Cards: each cell says its column.
                    assert celda.get_attribute("data-etiqueta") == columna
        _en_pantalla(pagina.get_by_role("button", name="Publicar la versión 2"), ancho)
        _en_pantalla(pagina.get_by_role("button", name="Retirar la versión 1"), ancho)
    finally:
        contexto.close()


def test_on_a_phone_the_main_actions_fit_the_screen(telefono, escuela):
    m = escuela.mundo
    pagina = telefono
    ancho = TELEFONO["width"]

    ingresar(pagina, m.tutora)
    pagina.goto(reverse("seccion_detalle", args=[m.seccion_a.uuid]))
    _en_pantalla(
        pagina.get_by_role(
            "link", name="Descargar lista con nombres de estudiantes (Excel)"
        ),
        ancho,
    )
    _en_pantalla(pagina.get_by_role("button", name="Filtrar"), ancho)
    _en_pantalla(pagina.get_by_label("Buscar por nombre"), ancho)
    _en_pantalla(pagina.get_by_role("link", name=escuela.nombre("a1")), ancho)
    # The list stacks on a phone: each student's factors read without scrolling.
    lista = pagina.get_by_role("region", name="Lista de estudiantes")
    assert lista.evaluate("e => e.scrollWidth <= e.clientWidth")
    _en_pantalla(
        pagina.get_by_role(
            "link", name="Tiene más edad de la esperada para su grado"
        ).first,
        ancho,
    )

    pagina.get_by_role("link", name=escuela.nombre("a1")).click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text(escuela.nombre("a1"))
    _en_pantalla(pagina.locator(".nivel-grande .nivel"), ancho)
    _en_pantalla(pagina.get_by_role("link", name="Ver orientaciones").first, ancho)

    pagina.context.clear_cookies()
    ingresar(pagina, m.ugel)
    pagina.goto(reverse("ugel_detalle", args=[m.ugel_norte.codigo]))
    _en_pantalla(pagina.locator(".tarjeta-alto"), ancho)
    _en_pantalla(
        pagina.get_by_role(
            "link",
            name="Descargar reporte de la UGEL con nombres de estudiantes (Excel)",
        ),
        ancho,
    )
    _en_pantalla(
        pagina.get_by_role(
            "link", name="Descargar hoja para planificar capacitaciones (xlsx)"
        ),
        ancho,
    )
    # The ranking's header row (with its sorting links) is hidden on a phone:
    # the choice of order is offered in words above the cards.
    por_porcentaje = pagina.locator(".solo-en-tarjetas").get_by_role(
        "link", name="% medio + alto"
    )
    _en_pantalla(por_porcentaje, ancho)
    por_porcentaje.click()
    expect(pagina.locator(".solo-en-tarjetas [aria-current]")).to_have_text(
        "% medio + alto"
    )


def test_the_api_tokens_page_fits_a_phone_with_a_new_secret(telefono, escuela):
    pagina = telefono
    ancho = TELEFONO["width"]
    ingresar(pagina, escuela.mundo.tutora)
    pagina.goto(reverse("tokens"))
    for nombre in ("Hoja semanal de la UGEL con un nombre largo", "Tablero"):
        pagina.get_by_label("Para qué es").fill(nombre)
        pagina.get_by_role("button", name="Crear token").click()
    secreto = pagina.locator(".secreto")
    _en_pantalla(secreto, ancho)
    assert secreto.inner_text().startswith("ae_")
    _sin_desplazamiento_lateral(pagina, ancho)
    assert pagina.evaluate(PROBLEMAS) == []
    # Two tokens, as cards: each says its expiry and offers its own Revocar.
    _en_pantalla(pagina.get_by_role("button", name="Revocar el token «Tablero»"), ancho)
    pagina.get_by_role("button", name="Revocar el token «Tablero»").click()
    expect(pagina.get_by_text("Se revocó el token «Tablero».")).to_be_visible()
    assert pagina.locator(".secreto").count() == 0
    _sin_desplazamiento_lateral(pagina, ancho)
    assert pagina.evaluate(PROBLEMAS) == []


def test_the_email_preferences_page_fits_a_phone_and_saves(telefono, escuela):
    pagina = telefono
    ancho = TELEFONO["width"]
    ingresar(pagina, escuela.mundo.tutora)
    pagina.goto(reverse("avisos:preferencias"))
    casilla = pagina.get_by_label("Recibir el resumen semanal por correo")
    _en_pantalla(casilla, ancho)
    expect(casilla).to_be_checked()
    _sin_desplazamiento_lateral(pagina, ancho)
    assert pagina.evaluate(PROBLEMAS) == []
    casilla.uncheck()
    pagina.get_by_role("button", name="Guardar").click()
    expect(pagina.get_by_text("Ya no recibirá el resumen semanal.")).to_be_visible()
    expect(
        pagina.get_by_label("Recibir el resumen semanal por correo")
    ).not_to_be_checked()
    _sin_desplazamiento_lateral(pagina, ancho)
