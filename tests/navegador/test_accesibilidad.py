"""Basic accessibility checks, done by hand in the browser (what axe would flag
first): names of controls, text alternatives of charts, one h1 and headings in
order, contrast of text (the level colours included), the skip link and a
visible keyboard focus."""

import pytest
from django.urls import reverse

from .ayudas import expect, ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]

# Problems of one page, as short texts (empty: none found).
ESTRUCTURA = """() => {
  const problemas = [];
  const corto = e => e.outerHTML.slice(0, 90);
  const porId = id => (document.getElementById(id)?.textContent || '').trim();
  const nombre = e =>
    (e.getAttribute('aria-label') || '').trim()
    || (e.getAttribute('aria-labelledby') || '').split(/\\s+/)
         .map(porId).join(' ').trim()
    || [...(e.labels || [])].map(l => l.textContent.trim()).join(' ').trim()
    || (e.getAttribute('title') || '').trim();

  for (const e of document.querySelectorAll(
      'input:not([type=hidden]), select, textarea')) {
    if (!nombre(e)) problemas.push('control without a name: ' + corto(e));
  }
  for (const e of document.querySelectorAll('a[href], button')) {
    const alt = [...e.querySelectorAll('img[alt]')].map(i => i.alt).join(' ');
    if (!(nombre(e) || e.textContent.trim() || alt.trim()))
      problemas.push('link or button without a name: ' + corto(e));
  }
  for (const e of document.querySelectorAll('img')) {
    if (!e.hasAttribute('alt')) problemas.push('image without alt: ' + corto(e));
  }
  for (const e of document.querySelectorAll('canvas, svg')) {
    if (e.closest('[aria-hidden=true]')) continue;
    if (e.getAttribute('role') !== 'img' || !nombre(e))
      problemas.push('chart without role=img and a label: ' + corto(e));
  }
  for (const e of document.querySelectorAll('[role=region], [tabindex="0"]')) {
    if (!nombre(e)) problemas.push('focusable region without a name: ' + corto(e));
  }
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i)))
    problemas.push('repeated id: ' + id);

  const niveles = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .map(h => Number(h.tagName[1]));
  const h1 = niveles.filter(n => n === 1).length;
  if (h1 !== 1) problemas.push(`${h1} h1 elements`);
  if (niveles[0] !== 1) problemas.push('the first heading is not the h1');
  niveles.forEach((n, i) => {
    if (i > 0 && n > niveles[i - 1] + 1)
      problemas.push(`heading h${n} right after h${niveles[i - 1]}`);
  });
  if (!document.documentElement.lang) problemas.push('no lang on <html>');
  if (!document.title.trim()) problemas.push('no <title>');
  return problemas;
}"""

# WCAG 2 contrast of every text against the colours behind it.
CONTRASTE = """() => {
  const rgba = c => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const sobre = (arriba, abajo) =>
    [0, 1, 2].map(i => arriba[i] * arriba[3] + abajo[i] * (1 - arriba[3]));
  const fondo = e => {
    const capas = [];
    for (let n = e; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0) { capas.push(c); if (c[3] >= 1) break; }
    }
    return capas.reverse().reduce((abajo, c) => sobre(c, abajo), [255, 255, 255]);
  };
  const luminancia = rgb => {
    const [r, g, b] = rgb.map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const problemas = [];
  let niveles = 0;
  for (const e of document.querySelectorAll('body *')) {
    const propio = [...e.childNodes].some(
      n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!propio) continue;
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden') continue;
    const detras = fondo(e);
    const texto = sobre(rgba(s.color), detras);
    const [l1, l2] = [luminancia(texto), luminancia(detras)].sort((a, b) => b - a);
    const razon = (l1 + 0.05) / (l2 + 0.05);
    const px = parseFloat(s.fontSize);
    const grande = px >= 24 || (px >= 18.66 && Number(s.fontWeight) >= 700);
    if (e.closest('.nivel')) niveles += 1;
    if (razon < (grande ? 3 : 4.5))
      problemas.push(`${razon.toFixed(2)}:1 for "${e.textContent.trim().slice(0, 40)}"`
                     + ` (${s.color} on rgb(${detras.map(Math.round)}))`);
  }
  return {problemas, niveles};
}"""


def _paginas(escuela) -> list[str]:
    m = escuela.mundo
    return [
        reverse("inicio"),
        reverse("seccion_detalle", args=[m.seccion_a.uuid]),
        reverse("estudiante_detalle", args=[escuela.estudiante("a1").uuid]),
        reverse("ie_detalle", args=[m.ie_uno.codigo]),
        reverse("ie_tutores", args=[m.ie_uno.codigo]),
        reverse("ugel_detalle", args=[m.ugel_norte.codigo]),
        reverse("dre_detalle", args=[m.ugel_norte.dre.pk]),
        reverse("nacional"),
        reverse("orientaciones:lista"),
        reverse("importacion:lista"),
        reverse("modelos:lista"),
        reverse("clave_cambiar"),
        reverse("avisos:preferencias"),
    ]


def test_every_control_and_chart_has_a_name_and_headings_are_in_order(pagina, escuela):
    problemas = {}
    for url in (reverse("login"), reverse("clave_olvidada")):
        pagina.goto(url)
        problemas[url] = pagina.evaluate(ESTRUCTURA)
    ingresar(pagina, escuela.mundo.nacional)
    for url in _paginas(escuela):
        pagina.goto(url)
        problemas[url] = pagina.evaluate(ESTRUCTURA)
    # The checks saw the charts they are about.
    pagina.goto(reverse("nacional"))
    expect(pagina.locator("canvas[role=img]").first).to_be_attached()
    assert {url: p for url, p in problemas.items() if p} == {}


def test_all_text_including_the_level_pills_meets_aa_contrast(pagina, escuela):
    ingresar(pagina, escuela.mundo.nacional)
    problemas, niveles = {}, 0
    for url in _paginas(escuela):
        pagina.goto(url)
        resultado = pagina.evaluate(CONTRASTE)
        problemas[url] = resultado["problemas"]
        niveles += resultado["niveles"]
    # Alto, medio and bajo pills were among the texts checked.
    assert niveles >= 3
    assert {url: p for url, p in problemas.items() if p} == {}


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(
    pagina, escuela
):
    ingresar(pagina, escuela.mundo.tutora)
    pagina.goto(reverse("seccion_detalle", args=[escuela.mundo.seccion_a.uuid]))
    pagina.keyboard.press("Tab")
    saltar = pagina.get_by_role("link", name="Saltar al contenido")
    expect(saltar).to_be_focused()
    expect(saltar).to_be_in_viewport()

    pagina.keyboard.press("Enter")
    expect(pagina.locator("main")).to_be_focused()
    pagina.keyboard.press("Tab")
    assert pagina.evaluate("document.activeElement.closest('main') !== null")


def test_keyboard_focus_is_visible_on_every_stop(pagina, escuela):
    ingresar(pagina, escuela.mundo.director)
    pagina.goto(reverse("ie_detalle", args=[escuela.mundo.ie_uno.codigo]))
    sin_foco_visible = []
    for _ in range(25):
        pagina.keyboard.press("Tab")
        estilo = pagina.evaluate(
            """() => {
              const e = document.activeElement, s = getComputedStyle(e);
              return {html: e.outerHTML.slice(0, 80), estilo: s.outlineStyle,
                      ancho: parseFloat(s.outlineWidth), sombra: s.boxShadow};
            }"""
        )
        visible = estilo["estilo"] != "none" and estilo["ancho"] >= 2
        if not visible and estilo["sombra"] == "none":
            sin_foco_visible.append(estilo["html"])
    assert sin_foco_visible == []


def test_the_outcome_pages_have_names_headings_and_contrast(pagina, escuela):
    from resultados.calculo import resultados_calcular
    from tests.resultados.mundo import plantar

    m = escuela.mundo
    plantar(m, escuela.ejecucion.modelo)
    resultados_calcular()
    ingresar(pagina, m.nacional)
    problemas, niveles = {}, 0
    for url in (
        reverse("resultados:nacional"),
        reverse("resultados:dre", args=[m.ugel_norte.dre.pk]),
        reverse("resultados:ugel", args=[m.ugel_norte.codigo]),
        reverse("modelos:detalle", args=[escuela.ejecucion.modelo.version]),
    ):
        pagina.goto(url)
        resultado = pagina.evaluate(CONTRASTE)
        problemas[url] = pagina.evaluate(ESTRUCTURA) + resultado["problemas"]
        niveles += resultado["niveles"]
    # The calibration chart and the level pills were among what was checked.
    pagina.goto(reverse("resultados:nacional"))
    expect(pagina.locator("#grafico-calibracion[role=img]")).to_be_attached()
    assert niveles >= 3
    assert {url: p for url, p in problemas.items() if p} == {}
