"""The UGEL's monitoring workbook, built with the one workbook builder
(alerta.xlsx): the weekly series, its IEs, and its teachers by name (which is
why its download is recorded)."""

from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerta.models import InstitucionEducativa, Ugel, Usuario
from alerta.presentacion.libros import descargado_por
from alerta.xlsx import Columna, Libro

from . import selectors
from .models import TipoAmbito

TITULOS_MEDIDAS = {
    "ingresos": gettext_lazy("Ingresos"),
    "listas": gettext_lazy("Listas abiertas"),
    "fichas": gettext_lazy("Fichas de estudiantes abiertas"),
    "descargas": gettext_lazy("Descargas"),
    "lecturas": gettext_lazy("Orientaciones leídas"),
    "acciones": gettext_lazy("Acciones registradas"),
    "registros": gettext_lazy("Registros mensuales"),
}


def _titulos_medidas() -> list[Columna]:
    # Translated when the workbook is built, in the reader's language.
    return [Columna(str(TITULOS_MEDIDAS[c]), 12) for c in selectors.CAMPOS]


def _local(momento):
    return timezone.localtime(momento) if momento else None


def _fraccion(valor: float | None) -> float | None:
    return None if valor is None else round(valor / 100, 4)


def libro_uso_ugel(
    *, ugel: Ugel, ies: QuerySet[InstitucionEducativa], usuario: Usuario
) -> IO[bytes]:
    calculo = selectors.ultimo_calculo()
    libro = Libro(
        bloque_comun=[
            (_("UGEL"), f"{ugel.nombre} ({ugel.codigo})"),
            (
                _("Cifras calculadas"),
                date_format(_local(calculo.fin), "DATETIME_FORMAT")
                if calculo
                else _("aún no calculadas"),
            ),
            descargado_por(usuario),
        ]
    )
    medidas = list(selectors.CAMPOS)

    hoja = libro.hoja(
        _("Semanas"),
        bloque=[
            (
                _("Contenido"),
                _(
                    "Docentes (tutores y directores con cuenta) que usaron el portal "
                    "cada semana, de lunes a domingo, y lo que hicieron."
                ),
            )
        ],
        columnas=[
            Columna(_("Semana (lunes)"), 22),
            Columna(_("Docentes con cuenta"), 12),
            Columna(_("Docentes que usaron el portal"), 14),
            Columna(_("% que usó el portal"), 12),
            *_titulos_medidas(),
        ],
    )
    for s in selectors.serie(TipoAmbito.UGEL, ugel.pk):
        hoja.agregar(
            [
                s.semana,
                s.docentes,
                s.activos,
                _fraccion(s.pct_activos),
                *(getattr(s, c) for c in medidas),
            ],
            formatos={3: "0.0%"},
        )

    hoja = libro.hoja(
        _("Instituciones"),
        bloque=[
            (
                _("Contenido"),
                _(
                    "Cifras por IE de las últimas cuatro semanas; no contiene "
                    "datos de estudiantes."
                ),
            )
        ],
        columnas=[
            Columna(_("Código modular"), 24),
            Columna(_("Anexo"), 8),
            Columna(_("Institución educativa"), 40),
            Columna(_("Docentes con cuenta"), 12),
            Columna(_("Usaron el portal (4 semanas)"), 14),
            Columna(_("Nunca ingresaron"), 12),
            Columna(_("Último uso"), 18),
            Columna(_("Riesgo alto"), 10),
            Columna(_("Riesgo medio"), 10),
            Columna(_("Alto y medio con acción en el año"), 14),
            Columna(_("% con acción"), 10),
            Columna(_("Estudiantes"), 11),
            Columna(_("Con registro del mes"), 12),
            Columna(_("% registro del mes"), 10),
            Columna(_("Riesgo alto y sin uso en 30 días"), 14),
            *_titulos_medidas(),
        ],
    )
    for f in selectors.por_ie(ies).iterator(chunk_size=2000):
        resumen = selectors.Resumen(
            alto=f.alto,
            medio=f.medio,
            alto_medio_con_accion=f.alto_medio_con_accion,
            estudiantes=f.estudiantes,
            con_registro_mes=f.con_registro_mes,
        )
        hoja.agregar(
            [
                f.ie.codigo_modular,
                f.ie.anexo,
                f.ie.rotulo,
                f.docentes,
                f.activos,
                f.nunca_ingresaron,
                _local(f.ultimo_uso),
                f.alto,
                f.medio,
                f.alto_medio_con_accion,
                _fraccion(resumen.pct_accion),
                f.estudiantes,
                f.con_registro_mes,
                _fraccion(resumen.pct_registro),
                _("Sí") if f.sin_uso_30_dias else _("No"),
                *(getattr(f, c) for c in medidas),
            ],
            formatos={10: "0.0%", 13: "0.0%"},
        )

    hoja = libro.hoja(
        _("Docentes"),
        bloque=[
            (
                _("Contenido"),
                _(
                    "Tutores y directores de este año escolar, con su uso de las "
                    "últimas cuatro semanas. Contiene nombres de docentes: "
                    "la descarga queda registrada."
                ),
            )
        ],
        columnas=[
            Columna(_("Código modular"), 24),
            Columna(_("Institución educativa"), 40),
            Columna(_("Apellidos y nombres"), 36),
            Columna(_("Rol"), 14),
            Columna(_("Último ingreso"), 18),
            Columna(_("Último uso"), 18),
            *_titulos_medidas(),
            Columna(_("Estudiantes a su cargo"), 12),
            Columna(_("Con registro del mes"), 12),
            Columna(_("% registro del mes"), 10),
        ],
    )
    for f in selectors.docentes(ies).iterator(chunk_size=2000):
        hoja.agregar(
            [
                f.ie.codigo,
                f.ie.rotulo,
                selectors.nombre_de(f.usuario),
                selectors.rol_de(f),
                _local(f.ultimo_ingreso) or _("Nunca"),
                _local(f.ultimo_uso),
                *(getattr(f, c) for c in medidas),
                f.estudiantes,
                f.con_registro_mes,
                _fraccion(selectors.pct_registro(f)),
            ],
            formatos={15: "0.0%"},
        )
    return libro.guardar()
