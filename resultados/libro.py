"""The outcome report's workbook of a scope (country, DRE, UGEL), built with
the one workbook builder (alerta.xlsx): figures per risk level, quality, the
breakdowns and the scope's parts. Aggregates only: no student is named."""

from typing import IO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerta.models import Usuario
from alerta.presentacion.libros import RELLENO_NIVEL, descargado_por
from alerta.xlsx import Columna, Libro

from . import selectors
from .models import Dimension, InformeResultados

PCT = "0.0%"


def _columnas_niveles() -> list[Columna]:
    columnas = []
    for nivel in selectors.NIVELES:
        etiqueta = str(nivel.label)
        relleno = RELLENO_NIVEL[nivel]
        columnas += [
            Columna(_("%(n)s: marcados") % {"n": etiqueta}, 11, relleno),
            Columna(_("%(n)s: desertaron") % {"n": etiqueta}, 11, relleno),
            Columna(_("%(n)s: tasa") % {"n": etiqueta}, 10, relleno),
        ]
    return [
        *columnas,
        Columna(_("Total con resultado"), 12),
        Columna(_("Total desertaron"), 12),
        Columna(_("Tasa total"), 10),
    ]


def _valores_niveles(conteo: selectors.Conteo) -> list:
    valores = []
    for nivel in selectors.NIVELES:
        n = conteo.niveles[nivel]
        valores += [n.marcados, n.desertores, n.tasa]
    total = conteo.total
    return [*valores, total.marcados, total.desertores, total.tasa]


def _formatos(desde: int) -> dict[int, str]:
    return {desde + i: PCT for i in (2, 5, 8, 11)}


NOTA_CAUSAL = gettext_lazy(
    "Comparación descriptiva: quienes recibieron acciones pueden diferir de "
    "quienes no en muchos aspectos; no mide el efecto de las acciones."
)


def libro_resultados(
    *,
    informe: InformeResultados | None,
    titulo: str,
    ambito: str,
    clave: int,
    hijos: list,
    usuario: Usuario,
) -> IO[bytes]:
    comun = [
        (_("Ámbito"), titulo),
        descargado_por(usuario),
    ]
    if informe is not None:
        comun[1:1] = [
            (_("Año escolar puntuado"), informe.anio),
            (_("Resultado observado en"), informe.anio + 1),
            (_("Versión del modelo"), informe.modelo.version),
            (
                _("Cifras calculadas"),
                date_format(timezone.localtime(informe.fin), "DATETIME_FORMAT"),
            ),
        ]
    libro = Libro(bloque_comun=comun)
    if informe is None:
        libro.hoja(
            _("Resultados"),
            bloque=[(_("Contenido"), _("Aún no hay un informe de resultados."))],
            columnas=[Columna(_("Nota"), 40)],
        )
        return libro.guardar()

    datos = selectors.desgloses(informe, ambito, clave)
    metricas = selectors.calidad(informe, ambito, clave)

    hoja = libro.hoja(
        _("Resumen"),
        bloque=[
            (
                _("Contenido"),
                _(
                    "Estudiantes de cada nivel de riesgo publicado y cuántos no se "
                    "matricularon el año siguiente. No contiene datos de estudiantes."
                ),
            ),
            (
                _("Sin resultado (5.º de secundaria, fallecidos u otros)"),
                metricas.get("sin_resultado", 0),
            ),
        ],
        columnas=[Columna(_("Indicador"), 40), Columna(_("Valor"), 14)],
    )
    total = datos["total"]
    hoja.agregar([_("Estudiantes con resultado"), total.total.marcados])
    hoja.agregar([_("Desertaron"), total.total.desertores])
    hoja.agregar([_("Tasa de deserción"), total.total.tasa], formatos={1: PCT})
    for nivel, etiqueta, n in total.por_nivel:
        hoja.agregar(
            [_("Tasa de deserción en riesgo %(n)s") % {"n": etiqueta}, n.tasa],
            formatos={1: PCT},
            rellenos={0: RELLENO_NIVEL[nivel]},
        )
    hoja.agregar([_("ROC-AUC"), metricas.get("roc_auc")])
    for clave_m, nombre in (("alto", _("alto")), ("alto_medio", _("alto y medio"))):
        m = metricas.get(clave_m, {})
        hoja.agregar(
            [_("Sensibilidad (recall) de %(n)s") % {"n": nombre}, m.get("recall")],
            formatos={1: PCT},
        )
        hoja.agregar(
            [_("Precisión de %(n)s") % {"n": nombre}, m.get("precision")],
            formatos={1: PCT},
        )

    hoja = libro.hoja(
        _("Calibración"),
        bloque=[
            (
                _("Contenido"),
                _(
                    "Deciles de la probabilidad estimada: deserción estimada frente "
                    "a observada."
                ),
            )
        ],
        columnas=[
            Columna(_("Decil"), 8),
            Columna(_("Desde"), 10),
            Columna(_("Hasta"), 10),
            Columna(_("Estudiantes"), 12),
            Columna(_("Deserción estimada"), 12),
            Columna(_("Deserción observada"), 12),
        ],
    )
    for i, t in enumerate(metricas.get("calibracion", []), 1):
        hoja.agregar(
            [i, t["desde"], t["hasta"], t["n"], t["predicho"], t["observado"]],
            formatos={1: PCT, 2: PCT, 4: PCT, 5: PCT},
        )

    hoja = libro.hoja(
        _("Por grupo"),
        bloque=[
            (_("Contenido"), _("Resultados por grupo de estudiantes.")),
            (_("Nota"), str(NOTA_CAUSAL)),
        ],
        columnas=[
            Columna(_("Desglose"), 20),
            Columna(_("Grupo"), 36),
            *_columnas_niveles(),
        ],
    )
    for dimension in selectors.DESGLOSES:
        for conteo in datos[dimension]:
            hoja.agregar(
                [
                    str(Dimension(dimension).label),
                    conteo.etiqueta,
                    *_valores_niveles(conteo),
                ],
                formatos=_formatos(2),
            )

    hoja = libro.hoja(
        _("Por ámbito"),
        bloque=[(_("Contenido"), _("Resultados de cada parte del ámbito."))],
        columnas=[
            Columna(_("Código"), 16),
            Columna(_("Nombre"), 40),
            *_columnas_niveles(),
        ],
    )
    for objeto, conteo in hijos:
        codigo = getattr(objeto, "codigo", None) or str(objeto.pk)
        hoja.agregar(
            [codigo, objeto.nombre, *_valores_niveles(conteo)], formatos=_formatos(2)
        )
    return libro.guardar()
