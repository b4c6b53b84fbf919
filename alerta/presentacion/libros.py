"""The risk workbooks (xlsx): a sección, an IE, a UGEL, and the UGEL's
training planning, built with the one workbook builder (alerta.xlsx).

Every sheet of a risk workbook ends its front block with which scores it shows,
what the levels mean and who downloaded it when. The counts are the pages'
(alerta.presentacion.conteos): a workbook and the page of the same scope agree.
"""

from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import IO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from riesgo.cortes import probabilidad_en_porcentaje, texto_corte
from riesgo.factores import frase
from riesgo.models import EjecucionPuntaje, ModeloRiesgo, NivelRiesgo
from seguimiento.selectors import ultimas_acciones

from ..models import (
    POR_QUE_SIN_RIESGO_QUINTO,
    SIN_RIESGO_QUINTO,
    Area,
    Gestion,
    InstitucionEducativa,
    Matricula,
    Seccion,
    SituacionMatricula,
    Ugel,
    Usuario,
)
from ..xlsx import Columna, Libro, Relleno
from .conteos import Conteo
from .formato import etiqueta
from .niveles import codigos_mostrados
from .tableros import REGLA_GRUPOS, grupos_sugeridos

RELLENO_NIVEL = {
    NivelRiesgo.ALTO: Relleno("F28C28"),
    NivelRiesgo.MEDIO: Relleno("FFD93D"),
    NivelRiesgo.BAJO: Relleno("6BCB77"),
}


def descargado_por(usuario: Usuario) -> tuple[str, str]:
    """The front-block line every workbook ends with: who downloaded it, when."""
    generado = date_format(timezone.localtime(), "DATETIME_FORMAT")
    return (
        _("Descargado por"),
        f"{usuario.get_full_name() or usuario.username}, {generado}",
    )


class LibroRiesgo(Libro):
    """A workbook whose sheets share the scores' and the download's lines."""

    def __init__(self, *, ejecucion: EjecucionPuntaje | None, usuario: Usuario):
        self.modelo = ejecucion.modelo if ejecucion else None
        super().__init__(
            bloque_comun=[
                (
                    _("Puntajes"),
                    _("modelo v%(v)s, calculados el %(f)s")
                    % {
                        "v": ejecucion.modelo.version,
                        "f": date_format(
                            timezone.localtime(ejecucion.inicio), "DATE_FORMAT"
                        ),
                    }
                    if ejecucion
                    else _("sin puntajes"),
                ),
                *(
                    [(_("Niveles de riesgo"), _niveles_en_palabras(self.modelo))]
                    if self.modelo
                    else []
                ),
                descargado_por(usuario),
            ]
        )

    def probabilidad(self, probabilidad: float | None) -> float | None:
        """A score's probability as a percentage, with one decimal or as many
        more as keep it on its level's side of the cut-offs."""
        if probabilidad is None or self.modelo is None:
            return None
        return float(
            probabilidad_en_porcentaje(
                probabilidad, self.modelo.corte_alto, self.modelo.corte_medio, minimo=1
            )
        )


def _rellenos(niveles: dict[int, str | None]) -> dict[int, Relleno]:
    """The cells (column from 0) coloured by their risk level."""
    return {i: RELLENO_NIVEL[n] for i, n in niveles.items() if n in RELLENO_NIVEL}


def _nivel(nivel: str | None) -> str:
    return str(NivelRiesgo(nivel).label) if nivel else _("Sin puntaje")


def _niveles_en_palabras(modelo: ModeloRiesgo) -> str:
    return _(
        "alto: %(alto)s o más; medio: %(medio)s o más; bajo: menos de %(medio)s"
    ) % {
        "alto": texto_corte(modelo.corte_alto),
        "medio": texto_corte(modelo.corte_medio),
    }


def _factores(m: Matricula) -> str:
    return "; ".join(frase(c) for c in codigos_mostrados(m))


# The list of a sección: the classroom workbook and each sheet of the IE's.


def _columnas_seccion() -> list[Columna]:
    return [
        Columna(_("N.º"), 24),
        Columna(_("Apellidos y nombres"), 45),
        Columna(_("Nivel de riesgo"), 16),
        Columna(_("Probabilidad estimada (%)"), 16),
        Columna(_("Situación de matrícula"), 22),
        Columna(_("Qué eleva su riesgo"), 60),
        Columna(_("Registro del mes"), 18),
        Columna(_("Última acción"), 40),
    ]


def _registro_del_mes(contactados: dict[int, bool], m: Matricula) -> str:
    # This month's contact record (seguimiento): done, and how, or not yet.
    contactado = contactados.get(m.estudiante_id)
    if contactado is None:
        return _("pendiente")
    return _("contactado") if contactado else _("no contactado")


def _contactados(secciones) -> dict[int, bool]:
    from seguimiento.resumen import contactados_del_mes
    from seguimiento.services import mes_actual

    return contactados_del_mes(secciones, mes_actual())


def _ultima_accion(accion) -> str:
    """The "Última acción" cell: date and kind, empty when there is none."""
    if accion is None:
        return ""
    return f"{accion.fecha:%d/%m/%Y} · {accion.tipo.nombre}"


def _hoja_seccion(
    libro: LibroRiesgo,
    seccion: Seccion,
    filas: Iterable[Matricula],
    ultimas: dict[int, object],
    contactados: dict[int, bool] | None = None,
) -> None:
    if contactados is None:
        contactados = _contactados([seccion])
    bloque = [
        (_("Institución educativa"), str(seccion.ie)),
        (_("Sección"), f"{seccion} — {seccion.anio}"),
    ]
    if seccion.sin_riesgo:
        bloque.append((str(SIN_RIESGO_QUINTO), str(POR_QUE_SIN_RIESGO_QUINTO)))
    hoja = libro.hoja(str(seccion), bloque=bloque, columnas=_columnas_seccion())
    for n, m in enumerate(filas, start=1):
        ultima = _ultima_accion(ultimas.get(m.estudiante_id))
        if seccion.sin_riesgo:
            # No level, even where an older run scored the student.
            hoja.agregar(
                [
                    n,
                    m.estudiante.nombre_completo,
                    str(SIN_RIESGO_QUINTO),
                    None,
                    etiqueta(SituacionMatricula, m.situacion_matricula),
                    "",
                    _registro_del_mes(contactados, m),
                    ultima,
                ]
            )
            continue
        nivel = getattr(m, "nivel_riesgo", None)
        hoja.agregar(
            [
                n,
                m.estudiante.nombre_completo,
                _nivel(nivel),
                libro.probabilidad(getattr(m, "probabilidad", None)),
                etiqueta(SituacionMatricula, m.situacion_matricula),
                _factores(m),
                _registro_del_mes(contactados, m),
                ultima,
            ],
            rellenos=_rellenos({2: nivel}),
        )


def libro_seccion(
    *,
    seccion: Seccion,
    filas: Iterable[Matricula],
    ejecucion: EjecucionPuntaje | None,
    usuario: Usuario,
) -> IO[bytes]:
    libro = LibroRiesgo(ejecucion=ejecucion, usuario=usuario)
    filas = list(filas)
    ultimas = ultimas_acciones(m.estudiante_id for m in filas)
    _hoja_seccion(libro, seccion, filas, ultimas)
    return libro.guardar()


# The IE workbook: a summary, then one sheet per sección.


def _columnas_conteo() -> list[Columna]:
    return [
        Columna(_("Estudiantes"), 13),
        Columna(_("Alto"), 9),
        Columna(_("Medio"), 9),
        Columna(_("Bajo"), 9),
        Columna(_("Sin puntaje"), 12),
        Columna(_("5.º de secundaria: sin riesgo calculado"), 16),
        Columna(_("% alto + medio"), 14),
    ]


def _conteo(r: Conteo) -> list[object]:
    return [
        r.estudiantes,
        r.alto,
        r.medio,
        r.bajo,
        r.sin_puntaje,
        r.sin_riesgo,
        r.pct_alto_medio,
    ]


def _niveles_conteo(desde: int) -> dict[int, str]:
    """The alto, medio and bajo count cells, coloured by their level."""
    return {
        desde + 1: NivelRiesgo.ALTO,
        desde + 2: NivelRiesgo.MEDIO,
        desde + 3: NivelRiesgo.BAJO,
    }


def _por_seccion(
    secciones: Sequence[Seccion], filas: Iterable[Matricula]
) -> Iterator[tuple[Seccion, Iterable[Matricula]]]:
    """Walk the secciones and the rows (both in filas.ORDEN_SECCION) side by
    side: each sección with its rows, none for a sección without students."""
    grupos = groupby(filas, key=lambda m: m.seccion_id)
    actual = next(grupos, None)
    for seccion in secciones:
        if actual is not None and actual[0] == seccion.pk:
            yield seccion, actual[1]
            actual = next(grupos, None)
        else:
            yield seccion, ()


def libro_ie(
    *,
    ie: InstitucionEducativa,
    anio: int | None,
    secciones: Sequence[Seccion],
    resumen: dict[int, Conteo],
    tutores: dict[int, list[str]],
    filas: Iterable[Matricula],
    ejecucion: EjecucionPuntaje | None,
    usuario: Usuario,
) -> IO[bytes]:
    libro = LibroRiesgo(ejecucion=ejecucion, usuario=usuario)
    hoja = libro.hoja(
        _("Resumen"),
        bloque=[
            (_("Institución educativa"), str(ie)),
            (_("Año escolar"), anio or "—"),
        ],
        columnas=[
            Columna(_("Nivel"), 24),
            Columna(_("Grado"), 8),
            Columna(_("Sección"), 10),
            *_columnas_conteo(),
            Columna(_("Tutor(es)"), 40),
        ],
    )
    total = Conteo()
    for s in secciones:
        r = resumen.get(s.pk, Conteo())
        total += r
        hoja.agregar(
            [
                s.get_nivel_display(),
                s.grado_corto,
                s.letra_texto,
                *_conteo(r),
                ", ".join(tutores.get(s.pk, [])),
            ],
            rellenos=_rellenos(_niveles_conteo(3)),
        )
    hoja.pie([_("Total"), None, None, *_conteo(total)])
    _hoja_seguimiento(libro, ie, anio, secciones, ejecucion)

    # One query for the latest actions and one for this month's records
    # of the whole IE.
    filas = list(filas)
    ultimas = ultimas_acciones(m.estudiante_id for m in filas)
    contactados = _contactados(secciones)
    for seccion, filas_seccion in _por_seccion(secciones, filas):
        _hoja_seccion(libro, seccion, filas_seccion, ultimas, contactados)
    return libro.guardar()


def _hoja_seguimiento(
    libro: LibroRiesgo,
    ie: InstitucionEducativa,
    anio: int | None,
    secciones: Sequence[Seccion],
    ejecucion: EjecucionPuntaje | None,
) -> None:
    """Follow-up per sección, as the IE page shows it (seguimiento.agregados)."""
    from seguimiento.agregados import bimestre_de, por_seccion
    from seguimiento.services import mes_actual

    inicio, fin = bimestre_de(timezone.localdate())
    figuras = por_seccion(ie, anio, secciones=secciones, ejecucion=ejecucion)
    hoja = libro.hoja(
        _("Seguimiento por sección"),
        bloque=[
            (_("Institución educativa"), str(ie)),
            (_("Año escolar"), anio or "—"),
            (
                _("Bimestre"),
                f"{date_format(inicio, 'SHORT_DATE_FORMAT')} – "
                f"{date_format(fin, 'SHORT_DATE_FORMAT')}",
            ),
            (_("Mes del registro"), date_format(mes_actual(), "YEAR_MONTH_FORMAT")),
            (
                _("Qué cuenta"),
                _(
                    "Acciones realizadas o intentadas sin contacto (no las "
                    "planificadas) del bimestre con estudiantes vigentes en riesgo "
                    "alto o medio. Una sección está atrasada si el registro del mes "
                    "anterior quedó incompleto o si, pasado el día 15, el de este "
                    "mes no llega a la mitad."
                ),
            ),
        ],
        columnas=[
            Columna(_("Nivel"), 24),
            Columna(_("Grado"), 8),
            Columna(_("Sección"), 10),
            Columna(_("Alto y medio"), 12),
            Columna(_("Con acción en el bimestre"), 16),
            Columna(_("% con acción"), 12),
            Columna(_("Estudiantes"), 13),
            Columna(_("Registro del mes"), 14),
            Columna(_("% registro del mes"), 14),
            Columna(_("Tutor(es)"), 40),
            Columna(_("Atrasado"), 10),
        ],
    )
    for f in figuras:
        s = f.seccion
        hoja.agregar(
            [
                s.get_nivel_display(),
                s.grado_corto,
                s.letra_texto,
                f.alto_medio,
                f.con_accion,
                f.pct_accion,
                f.estudiantes,
                f.registros,
                f.pct_registro,
                ", ".join(f.tutores),
                _("Sí") if f.atrasada else _("No"),
            ]
        )


# The UGEL workbook: a summary per IE (ranked as the UGEL's page ranks them),
# then its students at alto and medio.


def libro_ugel(
    *,
    ugel: Ugel,
    anio: int | None,
    ies: Sequence[tuple[InstitucionEducativa, Conteo]],
    filas: Iterable[Matricula],
    ejecucion: EjecucionPuntaje | None,
    usuario: Usuario,
) -> IO[bytes]:
    libro = LibroRiesgo(ejecucion=ejecucion, usuario=usuario)
    ambito = [
        (_("UGEL"), f"{ugel} ({ugel.codigo})"),
        (_("DRE"), str(ugel.dre)),
        (_("Año escolar"), anio or "—"),
    ]
    hoja = libro.hoja(
        _("Resumen por IE"),
        bloque=ambito,
        columnas=[
            Columna(_("Código modular"), 24),
            Columna(_("Anexo"), 8),
            Columna(_("Institución educativa"), 40),
            Columna(_("Distrito"), 22),
            Columna(_("Área"), 10),
            Columna(_("Gestión"), 10),
            *_columnas_conteo(),
        ],
    )
    total = Conteo()
    for ie, r in ies:
        total += r
        hoja.agregar(
            [
                ie.codigo_modular,
                ie.anexo,
                ie.rotulo,
                ie.distrito.nombre,
                etiqueta(Area, ie.area),
                etiqueta(Gestion, ie.gestion),
                *_conteo(r),
            ],
            rellenos=_rellenos(_niveles_conteo(6)),
        )
    hoja.pie([_("Total"), None, None, None, None, None, *_conteo(total)])

    columnas = [
        Columna(_("Código modular"), 24),
        Columna(_("Institución educativa"), 40),
        Columna(_("Sección"), 22),
        Columna(_("Apellidos y nombres"), 45),
        Columna(_("Nivel de riesgo"), 16),
        Columna(_("Probabilidad estimada (%)"), 16),
        Columna(_("Qué eleva su riesgo"), 60),
    ]
    bloque = [*ambito, (_("Contenido"), _("Estudiantes en riesgo alto y medio"))]
    partes = 1
    hoja = libro.hoja(_("Nominal"), bloque=bloque, columnas=columnas)
    for m in filas:
        if hoja.llena:
            partes += 1
            hoja = libro.hoja(
                _("Nominal %(n)s") % {"n": partes}, bloque=bloque, columnas=columnas
            )
        ie = m.seccion.ie
        hoja.agregar(
            [
                ie.codigo,
                ie.rotulo,
                str(m.seccion),
                m.estudiante.nombre_completo,
                _nivel(m.nivel_riesgo),
                libro.probabilidad(m.probabilidad),
                _factores(m),
            ],
            rellenos=_rellenos({4: m.nivel_riesgo}),
        )
    return libro.guardar()


# The UGEL's training planning: its IEs ranked, and the suggested groups.


def libro_capacitaciones(
    *,
    ugel: Ugel,
    filas: Sequence[tuple[InstitucionEducativa, Conteo]],
    ejecucion: EjecucionPuntaje | None,
    usuario: Usuario,
) -> IO[bytes]:
    """The UGEL's IEs ranked by students at medio+alto, with the suggested
    training groups (sheet "Ranking") and the groups themselves ("Grupos").

    `filas` are ranked by count (see `tableros.ranking`). Counts only: no
    student names.
    """
    grupos = grupos_sugeridos(filas)
    libro = Libro(bloque_comun=[descargado_por(usuario)])
    bloque = [
        (_("UGEL"), f"{ugel.nombre} ({ugel.codigo})"),
        (_("DRE"), ugel.dre.nombre),
        (
            _("Puntajes"),
            _("año escolar %(a)s, modelo v%(v)s, calculados el %(f)s")
            % {
                "a": ejecucion.anio,
                "v": ejecucion.modelo.version,
                "f": date_format(timezone.localtime(ejecucion.inicio), "DATE_FORMAT"),
            }
            if ejecucion
            else _("sin puntajes"),
        ),
        (_("Contenido"), _("Solo cifras por IE: no contiene datos de estudiantes.")),
        (_("Regla de agrupación"), str(REGLA_GRUPOS)),
    ]
    hoja = libro.hoja(
        _("Ranking"),
        bloque=bloque,
        columnas=[
            # Column A also holds the labels of the front block.
            Columna(_("Prioridad"), 22),
            Columna(_("Código modular"), 14),
            Columna(_("Anexo"), 8),
            Columna(_("Institución educativa"), 40),
            Columna(_("Distrito"), 20),
            Columna(_("Provincia"), 18),
            Columna(_("Área"), 10),
            *(
                Columna(titulo, 9, relleno=RELLENO_NIVEL[nivel])
                for titulo, nivel in (
                    (_("Alto"), NivelRiesgo.ALTO),
                    (_("Medio"), NivelRiesgo.MEDIO),
                    (_("Bajo"), NivelRiesgo.BAJO),
                )
            ),
            Columna(_("Estudiantes con puntaje"), 13),
            Columna(_("Medio + alto"), 11),
            Columna(_("% medio + alto"), 11),
            Columna(_("Grupo sugerido"), 11),
        ],
    )
    for prioridad, (ie, c) in enumerate(filas, start=1):
        hoja.agregar(
            [
                prioridad,
                ie.codigo_modular,
                ie.anexo,
                ie.rotulo,
                ie.distrito.nombre,
                ie.distrito.provincia,
                etiqueta(Area, ie.area),
                c.alto,
                c.medio,
                c.bajo,
                c.total,
                c.en_riesgo,
                round(c.pct_en_riesgo / 100, 4),
                grupos.get(ie.pk),
            ],
            formatos={12: "0.0%"},
        )

    hoja = libro.hoja(
        _("Grupos"),
        bloque=[(_("Regla de agrupación"), str(REGLA_GRUPOS))],
        columnas=[
            Columna(_("Grupo sugerido"), 22),
            Columna(_("Distrito"), 20),
            Columna(_("Provincia"), 18),
            Columna(_("IE del grupo"), 10),
            Columna(_("Estudiantes en riesgo medio o alto"), 14),
            Columna(_("Instituciones educativas"), 80),
        ],
    )
    por_grupo: dict[int, list[tuple[InstitucionEducativa, Conteo]]] = {}
    for ie, c in filas:
        if ie.pk in grupos:
            por_grupo.setdefault(grupos[ie.pk], []).append((ie, c))
    for numero in sorted(por_grupo):
        miembros = por_grupo[numero]
        primera = miembros[0][0]
        hoja.agregar(
            [
                numero,
                primera.distrito.nombre,
                primera.distrito.provincia,
                len(miembros),
                sum(c.en_riesgo for _ie, c in miembros),
                "; ".join(f"{ie.rotulo} ({ie.codigo})" for ie, _c in miembros),
            ]
        )
    return libro.guardar()
