"""Who gets the weekly digest and what it counts.

Counts only: the digest names no student. A user's students are those of the
secciones they tutor and the IEs they direct in the school year shown
(`alerta.scoping`: last year's assignments open nothing), each counted once.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.urls import reverse

from alerta import scoping
from alerta.models import (
    Asignacion,
    InstitucionEducativa,
    Matricula,
    Rol,
    Seccion,
    Usuario,
    q_quinto_de_secundaria,
)
from alerta.selectors import anio_vigente
from monitoreo.calculo import lunes_de
from riesgo.models import EjecucionPuntaje
from riesgo.selectors import con_puntaje, ejecucion_anterior, nivel_en, q_subio
from seguimiento.resumen import q_alto_o_medio_sin_accion, q_con_registro_del_mes

# "Moved up a level" compares with the latest run at least this old, so that
# the digest speaks of the week and not of last night.
DIAS_DE_COMPARACION = 7


def semana_de(dia: date) -> date:
    """The Monday of `dia`'s week (the use monitoring's weeks)."""
    return lunes_de(dia)


def ejecucion_de_comparacion(
    ejecucion: EjecucionPuntaje | None,
) -> EjecucionPuntaje | None:
    """The run the digest compares `ejecucion` with: the latest one at least a
    week older, or else the previous one (a school year's first week)."""
    if ejecucion is None:
        return None
    hace_una_semana = ejecucion.inicio - timedelta(days=DIAS_DE_COMPARACION)
    return ejecucion_anterior(ejecucion, hasta=hace_una_semana) or ejecucion_anterior(
        ejecucion
    )


def destinatarios(
    *, semana: date, ejecucion: EjecucionPuntaje | None
) -> QuerySet[Usuario]:
    """Active users with an address, a tutor's or director's assignment of the
    school year shown and at least one current student of it scored by
    `ejecucion`, who did not switch the digest off and were not sent this
    week's yet. One query."""
    anio = anio_vigente()
    if ejecucion is None or anio is None:
        return Usuario.objects.none()
    puntuadas = (
        Matricula.objects.vigentes()
        .filter(seccion__anio=anio, puntajes__ejecucion=ejecucion)
        .exclude(q_quinto_de_secundaria("seccion__"))
    )
    tutor = Exists(
        puntuadas.filter(
            seccion__tutores__usuario=OuterRef("pk"),
            seccion__tutores__rol=Rol.TUTOR,
            seccion__tutores__activa=True,
        )
    )
    director = Exists(
        puntuadas.filter(
            seccion__ie__directores__usuario=OuterRef("pk"),
            seccion__ie__directores__rol=Rol.DIRECTOR,
            seccion__ie__directores__anio=anio,
            seccion__ie__directores__activa=True,
        )
    )
    return (
        Usuario.objects.filter(is_active=True)
        .exclude(email="")
        .filter(tutor | director)
        .exclude(preferencia_avisos__resumen_semanal=False)
        .exclude(resumenes_enviados__semana=semana)
    )


@dataclass
class Cifras:
    subieron: int = 0
    sin_accion: int = 0
    sin_registro: int = 0

    def __add__(self, otra: "Cifras") -> "Cifras":
        return Cifras(
            subieron=self.subieron + otra.subieron,
            sin_accion=self.sin_accion + otra.sin_accion,
            sin_registro=self.sin_registro + otra.sin_registro,
        )


@dataclass
class Resumen:
    total: Cifras
    # (sección, its figures), when the user has more than one sección.
    por_seccion: list[tuple[Seccion, Cifras]] = field(default_factory=list)
    # The portal's page for the user's students, relative to the site.
    ruta: str = ""
    anterior: EjecucionPuntaje | None = None


def _secciones(usuario: Usuario) -> list[Seccion]:
    """The secciones the user tutors or whose IE they direct this school year,
    each marked `tutorada` / `dirigida`."""
    anio = scoping.anio_mostrado(usuario)
    asignaciones = Asignacion.objects.vigentes().filter(usuario_id=usuario.pk)
    return list(
        scoping.secciones_visibles(usuario)
        .filter(anio=anio)
        .annotate(
            tutorada=Exists(
                asignaciones.filter(rol=Rol.TUTOR, seccion_id=OuterRef("pk"))
            ),
            dirigida=Exists(
                asignaciones.filter(
                    rol=Rol.DIRECTOR, ie_id=OuterRef("ie_id"), anio=OuterRef("anio")
                )
            ),
        )
        .filter(Q(tutorada=True) | Q(dirigida=True))
        .select_related("ie")
        .order_by("ie__nombre", "ie_id", "nivel", "grado", "letra")
    )


def _ruta(secciones: list[Seccion]) -> str:
    """The director's IE page, or the tutor's sección page, when the digest is
    about one of them; the home page otherwise."""
    ies = {s.ie_id: s.ie for s in secciones if s.dirigida}
    fuera = [s for s in secciones if s.tutorada and s.ie_id not in ies]
    if len(ies) == 1 and not fuera:
        ie: InstitucionEducativa = next(iter(ies.values()))
        return reverse("ie_detalle", args=[ie.codigo])
    if not ies and len(fuera) == 1:
        return reverse("seccion_detalle", args=[fuera[0].uuid])
    return reverse("inicio")


def resumen_de(
    usuario: Usuario,
    *,
    ejecucion: EjecucionPuntaje | None,
    anterior: EjecucionPuntaje | None,
    mes: date,
) -> Resumen:
    """The digest's figures for `usuario`: students who moved up a level since
    `anterior`, alto and medio students without an action in 30 days, and
    students without `mes`'s record. Three queries, whatever the students."""
    secciones = _secciones(usuario)
    filas = con_puntaje(
        Matricula.objects.vigentes().filter(seccion__in=[s.pk for s in secciones]),
        ejecucion,
    )
    if anterior is not None:
        filas = filas.annotate(nivel_anterior=nivel_en(anterior))
        subieron = Count("pk", filter=q_subio())
    else:
        subieron = Value(0)
    cifras = {
        f.pop("seccion_id"): Cifras(**f)
        for f in filas.values("seccion_id")
        .annotate(
            subieron=subieron,
            sin_accion=Count("pk", filter=q_alto_o_medio_sin_accion()),
            sin_registro=Count("pk", filter=~Q(q_con_registro_del_mes(mes))),
        )
        .order_by()
    }
    por_seccion = [(s, cifras.get(s.pk, Cifras())) for s in secciones]
    return Resumen(
        total=sum((c for _s, c in por_seccion), Cifras()),
        por_seccion=por_seccion if len(por_seccion) > 1 else [],
        ruta=_ruta(secciones),
        anterior=anterior,
    )
