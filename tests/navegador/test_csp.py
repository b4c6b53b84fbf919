"""The Content-Security-Policy allows no inline code, and no page needs any:
Chromium reports no violation on the pages with charts and forms."""

import pytest
from django.urls import reverse

from .ayudas import expect, ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

# Collects the page's CSP violations, from its first script on (DevTools
# injects this one, so the policy does not apply to it).
ESCUCHAR = """
window.__violaciones = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violaciones.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


class Violaciones:
    """Console messages and securitypolicyviolation events of one page."""

    def __init__(self, pagina):
        self.pagina = pagina
        self.consola: list[str] = []
        pagina.add_init_script(ESCUCHAR)
        pagina.on("console", self._consola)

    def _consola(self, mensaje) -> None:
        if "Content Security Policy" in mensaje.text:
            self.consola.append(mensaje.text)

    def de(self, url: str) -> list[str]:
        self.pagina.goto(url)
        self.pagina.wait_for_load_state("networkidle")
        eventos = self.pagina.evaluate("window.__violaciones")
        encontradas, self.consola = [*self.consola, *eventos], []
        return encontradas


def test_pages_with_charts_and_forms_raise_no_csp_violation(pagina, escuela):
    violaciones = Violaciones(pagina)
    m = escuela.mundo
    problemas = {}
    for url in (reverse("login"), reverse("clave_olvidada")):
        problemas[url] = violaciones.de(url)

    ingresar(pagina, m.nacional)
    paginas = [
        reverse("nacional"),
        reverse("dre_detalle", args=[m.ugel_norte.dre.pk]),
        reverse("ugel_detalle", args=[m.ugel_norte.codigo]),
        reverse("ie_detalle", args=[m.ie_uno.codigo]),
        reverse("seccion_detalle", args=[m.seccion_a.uuid]),
        reverse("estudiante_detalle", args=[escuela.estudiante("a1").uuid]),
        reverse("ie_tutores", args=[m.ie_uno.codigo]),
        reverse("modelos:lista"),
        reverse("modelos:detalle", args=[escuela.ejecucion.modelo.version]),
        reverse("importacion:lista"),
        reverse("clave_cambiar"),
        reverse("tokens"),
    ]
    for url in paginas:
        problemas[url] = violaciones.de(url)
    # The charts did draw under the policy.
    pagina.goto(reverse("nacional"))
    expect(pagina.locator("canvas[role=img]").first).to_be_attached()
    assert pagina.evaluate(
        "[...document.querySelectorAll('canvas')].some(c => c.width > 0)"
    )
    assert {url: p for url, p in problemas.items() if p} == {}


def test_inline_code_would_be_reported(pagina, escuela):
    # The listener above could not fail if the browser reported nothing:
    # an inline script and an inline style added to a page are.
    violaciones = Violaciones(pagina)
    ingresar(pagina, escuela.mundo.tutora)
    url = reverse("seccion_detalle", args=[escuela.mundo.seccion_a.uuid])
    assert violaciones.de(url) == []
    pagina.evaluate(
        """() => {
          const s = document.createElement('script');
          s.textContent = 'window.__inyectado = true;';
          document.body.appendChild(s);
          const d = document.createElement('div');
          d.innerHTML = '<p style="color: red">x</p>';
          document.body.appendChild(d);
        }"""
    )
    expect(pagina.locator("p[style]")).to_be_attached()
    pagina.wait_for_function("window.__violaciones.length >= 2")
    assert pagina.evaluate("window.__inyectado === undefined")
    assert any("script-src" in v for v in pagina.evaluate("window.__violaciones"))
