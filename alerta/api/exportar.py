"""A UGEL's students at alto and medio risk as CSV, for the data teams'
own dashboards and spreadsheets.

The rows are the UGEL workbook's nominal sheet (`filas.filas_alto_medio`, the
same scope, order and probability rule), read from the database in batches of
`filas.LOTE` and written as they arrive: memory stays the same whether the
UGEL has a hundred students at risk or fifty thousand (bench/api.py measures
it at national size).
"""

import csv
import io
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from riesgo import selectors as riesgo_selectors
from riesgo.cortes import probabilidad_en_porcentaje
from riesgo.factores import frase
from riesgo.models import EjecucionPuntaje

from .. import scoping
from ..auditoria import registra_acceso
from ..models import Accion, Matricula
from ..presentacion import filas
from ..presentacion.niveles import codigos_mostrados

COLUMNAS = (
    "codigo_ie",
    "institucion_educativa",
    "nivel",
    "grado",
    "seccion",
    "estudiante",
    "apellidos_y_nombres",
    "nivel_riesgo",
    "probabilidad_pct",
    "factores",
    "factores_en_palabras",
)

# A cell that a spreadsheet would read as a formula ("=HYPERLINK(...)") is
# written as text: names and school names come from outside files.
_INICIO_DE_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def texto_seguro(valor: str) -> str:
    return f"'{valor}" if valor.startswith(_INICIO_DE_FORMULA) else valor


class TextoCsv(BaseRenderer):
    """The media type the export streams. Its answer does not go through a
    renderer; an error asked for as CSV is written as its message."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, dict) and "detail" in data:
            return f"{data['detail']}\n".encode()
        return b""


def fila_csv(m: Matricula, ejecucion: EjecucionPuntaje) -> list[str]:
    modelo = ejecucion.modelo
    ie, seccion = m.seccion.ie, m.seccion
    codigos = codigos_mostrados(m)
    return [
        ie.codigo,
        texto_seguro(ie.rotulo),
        seccion.nivel,
        str(seccion.grado),
        texto_seguro(seccion.letra),
        str(m.estudiante.uuid),
        texto_seguro(m.estudiante.nombre_completo),
        m.nivel_riesgo,
        str(
            probabilidad_en_porcentaje(
                m.probabilidad, modelo.corte_alto, modelo.corte_medio, minimo=1
            )
        ),
        ";".join(codigos),
        texto_seguro("; ".join(frase(c) for c in codigos)),
    ]


def csv_en_partes(
    matriculas: Iterable[Matricula], ejecucion: EjecucionPuntaje | None, *, lote: int
) -> Iterator[bytes]:
    """The CSV (UTF-8 with a BOM, so that Excel reads the accents), `lote`
    rows per part."""
    buffer = io.StringIO()
    escritor = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    escritor.writerow(COLUMNAS)
    n = 0
    for m in matriculas:
        escritor.writerow(fila_csv(m, ejecucion))
        n += 1
        if n % lote == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


class UgelAltoMedioCsv(APIView):
    renderer_classes = [JSONRenderer, TextoCsv]

    @extend_schema(
        summary="Estudiantes en riesgo alto y medio de una UGEL, en CSV",
        description=(
            "Las filas de la hoja nominal del Excel de la UGEL, en CSV (UTF-8 "
            "con BOM), enviadas a medida que se leen. Columnas: "
            + ", ".join(f"`{c}`" for c in COLUMNAS)
            + ". La descarga queda en el registro de accesos."
        ),
        parameters=[
            OpenApiParameter(
                "codigo",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Código de la UGEL.",
            )
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    def get(self, request: Request, codigo: str) -> StreamingHttpResponse:
        ugel = scoping.ugel_o_404(request.user, codigo)
        ejecucion = riesgo_selectors.ejecucion_vigente()
        anio = scoping.anio_mostrado(request.user)
        secciones = scoping.secciones_visibles(request.user).filter(
            ie__ugel=ugel, anio=anio
        )
        # Without a run there is no row (filas_alto_medio is empty): the
        # header alone.
        partes = csv_en_partes(
            filas.filas_alto_medio(secciones, ejecucion).iterator(
                chunk_size=filas.LOTE
            ),
            ejecucion,
            lote=filas.LOTE,
        )
        nombre = slugify(f"riesgo-ugel-{ugel.codigo}-{anio}-alto-medio")
        return StreamingHttpResponse(
            partes,
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{nombre}.csv"'},
        )


# Recorded as the UGEL workbook is: one row per download that starts (a 200).
ugel_alto_medio_csv = registra_acceso(Accion.DESCARGAR, "ugel:{codigo}")(
    UgelAltoMedioCsv.as_view()
)
