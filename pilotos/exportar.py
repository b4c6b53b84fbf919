"""An evaluation's downloads: the workbook (the assignment and the balance
table, with the seed, versions and hash in the front block) and the CSV of the
assignment. Both list the units the reader may see (pilotos.scoping)."""

import csv
import io
from typing import IO

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from alerta.xlsx import Columna, Libro, texto_seguro

from .balance import COVARIABLES, FilaBrazo
from .lectura import lectura_de_balance
from .models import Evaluacion, UnidadEvaluacion
from .selectors import Recibido, recibido_por_unidad


def bloque_del_sorteo(evaluacion: Evaluacion) -> list[tuple[str, object]]:
    return [
        (_("Evaluación"), evaluacion.nombre),
        (_("Estado"), evaluacion.get_estado_display()),
        (_("Unidad"), evaluacion.get_unidad_display()),
        (_("Semilla"), str(evaluacion.semilla)),
        (_("Versión de NumPy"), evaluacion.version_numpy),
        (_("Versión de Python"), evaluacion.version_python),
        (_("SHA-256 de la lista elegible"), evaluacion.hash_elegibles),
    ]


def _nombres_de_ies(unidad: UnidadEvaluacion) -> str:
    return "; ".join(ie.rotulo for ie in unidad.ies.all())


def _filas(unidades: QuerySet[UnidadEvaluacion]):
    for u in unidades.select_related("ugel").prefetch_related("ies"):
        yield [
            u.codigo,
            _nombres_de_ies(u),
            u.ugel.codigo,
            u.estrato,
            u.brazo,
            u.tamano,
            round(u.proporcion_rural, 4),
            None
            if u.proporcion_medio_alto is None
            else round(u.proporcion_medio_alto, 4),
            None if u.desercion_anterior is None else round(u.desercion_anterior, 4),
        ]


def _titulos() -> list[str]:
    return [
        _("Código de la unidad"),
        _("Instituciones educativas"),
        _("UGEL"),
        _("Estrato"),
        _("Brazo"),
        *[str(t) for t in COVARIABLES.values()],
    ]


def libro_de_evaluacion(
    evaluacion: Evaluacion,
    unidades: QuerySet[UnidadEvaluacion],
    balance: list[FilaBrazo],
) -> IO[bytes]:
    libro = Libro(bloque_comun=bloque_del_sorteo(evaluacion))
    anchos = [14, 40, 10, 18, 8, 12, 12, 14, 12]
    hoja = libro.hoja(
        _("Asignación"),
        bloque=[(_("Asignación de unidades a brazos"), "")],
        columnas=[Columna(t, a) for t, a in zip(_titulos(), anchos, strict=True)],
    )
    for fila in _filas(unidades):
        hoja.agregar(fila)
    columnas = [Columna(_("Brazo"), 10), Columna(_("Unidades"), 10)]
    for titulo in COVARIABLES.values():
        columnas.append(Columna(_("Media: %(c)s") % {"c": titulo}, 14))
    for titulo in COVARIABLES.values():
        columnas.append(Columna(_("Diferencia normalizada: %(c)s") % {"c": titulo}, 16))
    columnas += [Columna(_("F conjunta"), 10), Columna(_("Valor p"), 10)]
    hoja = libro.hoja(
        _("Balance"),
        bloque=[(_("Lectura"), lectura_de_balance(balance))],
        columnas=columnas,
    )
    for f in balance:
        hoja.agregar(
            [
                f.brazo,
                f.n,
                *[f.medias[c] for c in COVARIABLES],
                *[f.diferencias.get(c) for c in COVARIABLES],
                f.f,
                f.p,
            ]
        )
    _hoja_de_recepciones(libro, evaluacion, unidades)
    return libro.guardar()


def _hoja_de_recepciones(
    libro: Libro, evaluacion: Evaluacion, unidades: QuerySet[UnidadEvaluacion]
) -> None:
    """What each unit received while its arm acted (aggregates, no teacher)."""
    if evaluacion.actua_hasta:
        cuando = _("Desde la publicación hasta el %(hasta)s") % {
            "hasta": formats.date_format(evaluacion.actua_hasta, "SHORT_DATE_FORMAT")
        }
    else:
        cuando = _("Los brazos de esta evaluación no actúan.")
    titulos = [
        (_("Código de la unidad"), 14),
        (_("UGEL"), 10),
        (_("Brazo"), 8),
        (_("Resúmenes enviados"), 12),
        (_("Resúmenes retenidos"), 12),
        (_("Invitaciones enviadas"), 12),
        (_("Invitaciones retenidas"), 12),
        (_("Asistencias"), 12),
        (_("Docentes alcanzados"), 12),
    ]
    hoja = libro.hoja(
        _("Recepciones"),
        bloque=[
            (_("Qué recibió cada unidad mientras su brazo actuó"), ""),
            (_("Los brazos actúan"), cuando),
        ],
        columnas=[Columna(t, a) for t, a in titulos],
    )
    cifras = recibido_por_unidad(unidades)
    for u in unidades.select_related("ugel").order_by("codigo"):
        r = cifras.get(u.pk) or Recibido(u.codigo)
        hoja.agregar(
            [
                u.codigo,
                u.ugel.codigo,
                u.brazo,
                r.resumenes,
                r.resumenes_retenidos,
                r.invitaciones,
                r.invitaciones_retenidas,
                r.asistencias,
                r.docentes,
            ]
        )


def csv_de_evaluacion(
    evaluacion: Evaluacion, unidades: QuerySet[UnidadEvaluacion]
) -> str:
    salida = io.StringIO()
    escritor = csv.writer(salida)
    escritor.writerow(["codigo", "ies", "ugel", "estrato", "brazo", *COVARIABLES])
    for fila in _filas(unidades):
        escritor.writerow(["" if v is None else texto_seguro(v) for v in fila])
    return salida.getvalue()
