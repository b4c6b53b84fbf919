"""The rows of the student lists and the risk badge, built in Python.

A list page shows up to 50 rows. In the template language each row cost about
200 µs of CPU (an inclusion for the badge, a URL, a dozen lookups, a loop over
the factors): most of what a list page costs to render (decision 0017). The
same HTML built with format_html costs a fraction of it. The table around the
rows stays in templates/alerta/_tabla_estudiantes.html.
"""

from functools import cache

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from alerta.models import SIN_RIESGO_QUINTO
from riesgo.models import NivelRiesgo

register = template.Library()

QUINTO = "QUINTO"  # 5.º de secundaria: never scored, its own badge

# Level → (CSS class, the shape a reader who sees no colour tells it by).
_FORMA = {
    NivelRiesgo.ALTO: ("nivel-alto", "▲"),
    NivelRiesgo.MEDIO: ("nivel-medio", "◆"),
    NivelRiesgo.BAJO: ("nivel-bajo", "●"),
}


@cache
def _insignias(idioma: str | None) -> dict[str | None, SafeString]:
    """Every badge in one language, built once per process."""
    insignias: dict[str | None, SafeString] = {
        nivel: format_html(
            '<span class="nivel {}"><span aria-hidden="true">{}</span> {}</span>',
            clase,
            forma,
            NivelRiesgo(nivel).label,
        )
        for nivel, (clase, forma) in _FORMA.items()
    }
    insignias[None] = format_html(
        '<span class="nivel nivel-sin">{}</span>', gettext("Sin puntaje")
    )
    insignias[QUINTO] = format_html(
        '<span class="nivel nivel-sin nivel-quinto">{}</span>', SIN_RIESGO_QUINTO
    )
    return insignias


@register.simple_tag
def insignia_nivel(nivel: str | None, cambio=None, quinto: bool = False) -> SafeString:
    """The risk badge: the level in words, colour and shape, and an arrow when
    it moved since the previous run (`cambio`, a riesgo.selectors.CambioNivel)."""
    insignias = _insignias(get_language())
    if quinto:
        return insignias[QUINTO]
    insignia = insignias.get(nivel, insignias[None])
    if cambio is None:
        return insignia
    return insignia + format_html(
        ' <span class="cambio {}" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="solo-lectores">{}</span></span>',
        "cambio-sube" if cambio.sube else "cambio-baja",
        cambio.texto,
        cambio.flecha,
        cambio.texto,
    )


def _factores(fila) -> SafeString:
    if not fila.factores or fila.seccion.sin_riesgo:
        return mark_safe("")
    return _lista_de_factores(tuple(fila.factores))


@cache
def _lista_de_factores(factores: tuple) -> SafeString:
    # Rows repeat the same few factors (at most 15 × 14 × 13 lists of three
    # per nivel and language): each list is built once per process.
    return format_html(
        '<ul class="factores">{}</ul>',
        format_html_join(
            "",
            "<li>{}</li>",
            (
                (
                    format_html('<a href="{}">{}</a>', f.url, f.frase)
                    if f.url
                    else f.frase,
                )
                for f in factores
            ),
        ),
    )


def _seguimiento(resumen: tuple | None) -> SafeString:
    # The last action's date and this month's record (seguimiento.resumen).
    ultima, hecho = resumen or (None, False)
    return format_html(
        '<td class="fecha" data-etiqueta="{}">{}</td>'
        '<td class="registro-mes-{}" data-etiqueta="{}">{}</td>',
        gettext("Última acción"),
        date_format(ultima, "SHORT_DATE_FORMAT") if ultima else "—",
        "hecho" if hecho else "pendiente",
        gettext("Registro del mes"),
        gettext("✓ hecho") if hecho else gettext("pendiente"),
    )


@register.simple_tag
def filas_de_estudiantes(
    lista, con_seccion: bool = False, seguimiento: dict | None = None
) -> SafeString:
    """The rows of one page of a list (alerta.filtros.Listado): number, name
    with the link to the student's page, grado and sección when the list
    spans several, the badge and what raises the risk; with `seguimiento`
    ({student id: (last action's date, month's record done)}) those two."""
    inicio = lista.pagina.start_index()
    # With `seguimiento` the table turns into cards on a phone (.apilable):
    # the number names its column, the name leads the card.
    numero = (
        format_html(
            '<td class="num orden" data-etiqueta="{}">{{}}</td>', gettext("N.º")
        )
        if seguimiento
        else '<td class="num">{}</td>'
    )
    filas = []
    for i, fila in enumerate(lista.filas):
        estudiante = fila.estudiante
        seccion = (
            format_html("<td>{}</td>", fila.seccion) if con_seccion else mark_safe("")
        )
        filas.append(
            format_html(
                '<tr>{}<td{}><a href="{}">{}</a></td>{}<td>{}</td><td>{}</td>{}</tr>',
                format_html(numero, inicio + i),
                mark_safe(' class="titulo-fila"') if seguimiento else "",
                reverse("estudiante_detalle", args=[estudiante.uuid]),
                estudiante.nombre_completo,
                seccion,
                insignia_nivel(fila.nivel_riesgo, fila.cambio, fila.seccion.sin_riesgo),
                _factores(fila),
                _seguimiento(seguimiento.get(fila.estudiante_id))
                if seguimiento
                else mark_safe(""),
            )
        )
    return mark_safe("\n".join(filas))
