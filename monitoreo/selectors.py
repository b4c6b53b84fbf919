"""What the monitoring pages read: the nightly aggregates (monitoreo.calculo),
never the raw events. Every function takes scopes already checked by
alerta.scoping; the teachers' names are read only by the nominal pages."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from alerta.models import InstitucionEducativa, Usuario
from seguimiento.agregados import porcentaje

from .calculo import lunes_de
from .models import (
    CalculoUso,
    Medidas,
    UsoAmbito,
    UsoAmbitoSemana,
    UsoDocente,
    UsoDocenteSemana,
    UsoIE,
)

CAMPOS = Medidas.CAMPOS
# Weeks shown in a series (chart and table).
SEMANAS_SERIE = 12


def ultimo_calculo() -> CalculoUso | None:
    """The last aggregation that ended well."""
    return CalculoUso.objects.filter(fin__isnull=False, error="").first()


def semanas_de_la_serie(hoy: date | None = None) -> list[date]:
    actual = lunes_de(hoy or timezone.localdate())
    return [actual - timedelta(weeks=i) for i in range(SEMANAS_SERIE - 1, -1, -1)]


@dataclass
class _Medidas:
    """The counts of `Medidas.CAMPOS`, as read from an aggregate row."""

    ingresos: int = 0
    listas: int = 0
    fichas: int = 0
    descargas: int = 0
    lecturas: int = 0
    acciones: int = 0
    registros: int = 0


@dataclass(kw_only=True)
class Semana(_Medidas):
    semana: date
    docentes: int = 0
    activos: int = 0

    @property
    def pct_activos(self) -> float | None:
        return porcentaje(self.activos, self.docentes)


def serie(tipo: str, ambito_id: int, hoy: date | None = None) -> list[Semana]:
    """The scope's last weeks, oldest first; a week not computed yet is
    empty. One query."""
    semanas = semanas_de_la_serie(hoy)
    filas = {
        f["semana"]: f
        for f in UsoAmbitoSemana.objects.filter(
            tipo=tipo, ambito_id=ambito_id, semana__in=semanas
        ).values("semana", "docentes", "activos", *CAMPOS)
    }
    return [Semana(**(filas.get(s) or {"semana": s})) for s in semanas]


def serie_de_docente(
    usuario: Usuario, ies: QuerySet, hoy: date | None = None
) -> list[Semana]:
    """A teacher's last weeks. Their counts are the same at each of their
    IEs: one IE of `ies` (those the reader sees) is read."""
    semanas = semanas_de_la_serie(hoy)
    filas = {}
    for f in (
        UsoDocenteSemana.objects.filter(usuario=usuario, ie__in=ies, semana__in=semanas)
        .order_by("semana", "ie_id")
        .values("semana", *CAMPOS)
    ):
        filas.setdefault(f["semana"], f)
    return [
        Semana(docentes=1, activos=int(s in filas), **(filas.get(s) or {"semana": s}))
        for s in semanas
    ]


def datos_grafico(semanas: list[Semana], *, de_docente: bool = False) -> dict:
    """What the chart draws (passed with json_script); the table beside has
    the same numbers."""
    etiquetas = [s.semana.strftime("%d/%m") for s in semanas]
    if de_docente:
        return {
            "etiquetas": etiquetas,
            "barras": [
                {
                    "etiqueta": _("Listas abiertas"),
                    "valores": [s.listas for s in semanas],
                },
                {
                    "etiqueta": _("Acciones registradas"),
                    "valores": [s.acciones for s in semanas],
                },
                {
                    "etiqueta": _("Orientaciones leídas"),
                    "valores": [s.lecturas for s in semanas],
                },
            ],
            "eje_y": _("Cantidad en la semana"),
        }
    return {
        "etiquetas": etiquetas,
        "barras": [
            {
                "etiqueta": _("Docentes que usaron el portal"),
                "valores": [s.activos for s in semanas],
            },
        ],
        "linea": {
            "etiqueta": _("Docentes con cuenta"),
            "valores": [s.docentes for s in semanas],
        },
        "eje_y": _("Docentes"),
    }


@dataclass
class Resumen(_Medidas):
    """A scope's snapshot, summed over its IEs."""

    ies: int = 0
    docentes: int = 0
    activos: int = 0
    nunca_ingresaron: int = 0
    alto: int = 0
    medio: int = 0
    alto_medio_con_accion: int = 0
    estudiantes: int = 0
    con_registro_mes: int = 0
    sin_uso_30_dias: int = 0
    ultimo_uso: object = None

    @property
    def alto_medio(self) -> int:
        return self.alto + self.medio

    @property
    def pct_activos(self) -> float | None:
        return porcentaje(self.activos, self.docentes)

    @property
    def pct_accion(self) -> float | None:
        return porcentaje(self.alto_medio_con_accion, self.alto_medio)

    @property
    def pct_registro(self) -> float | None:
        return porcentaje(self.con_registro_mes, self.estudiantes)


_SUMAS = {
    c: Sum(c)
    for c in (
        "docentes",
        "activos",
        "nunca_ingresaron",
        "alto",
        "medio",
        "alto_medio_con_accion",
        "estudiantes",
        "con_registro_mes",
        *CAMPOS,
    )
}


def _resumen(fila: dict) -> Resumen:
    return Resumen(**{k: v or 0 if k != "ultimo_uso" else v for k, v in fila.items()})


# The teachers of a scope are counted once each (UsoAmbito), not summed over
# its IEs: a person may teach at two.
_PERSONAS = ("docentes", "activos", "nunca_ingresaron")


def _personas(tipo: str, ids) -> dict[int, dict]:
    return {
        f.pop("ambito_id"): f
        for f in UsoAmbito.objects.filter(tipo=tipo, ambito_id__in=ids).values(
            "ambito_id", *_PERSONAS
        )
    }


def resumen(ies: QuerySet[InstitucionEducativa], tipo: str, ambito_id: int) -> Resumen:
    """The snapshot of the scope (`tipo`, `ambito_id`) whose IEs are `ies`:
    its students' figures summed over the IEs, its teachers counted once.
    Two queries."""
    fila = UsoIE.objects.filter(ie__in=ies.values("pk")).aggregate(
        ies=Count("pk"),
        sin_uso_30_dias=Count("pk", filter=Q(sin_uso_30_dias=True)),
        ultimo_uso=Max("ultimo_uso"),
        **_SUMAS,
    )
    personas = _personas(tipo, [ambito_id]).get(ambito_id, dict.fromkeys(_PERSONAS, 0))
    return _resumen({**fila, **personas})


def resumen_por(ies: QuerySet[InstitucionEducativa], tipo: str) -> dict[int, Resumen]:
    """The snapshot of each UGEL or DRE (`tipo`) of the IEs of `ies`. Two
    queries."""
    campo = f"{tipo}_id"
    filas = list(
        UsoIE.objects.filter(ie__in=ies.values("pk"))
        .values(campo)
        .annotate(
            ies=Count("pk"),
            sin_uso_30_dias=Count("pk", filter=Q(sin_uso_30_dias=True)),
            ultimo_uso=Max("ultimo_uso"),
            **_SUMAS,
        )
        .order_by()
    )
    personas = _personas(tipo, [f[campo] for f in filas])
    vacio = dict.fromkeys(_PERSONAS, 0)
    return {
        f[campo]: _resumen(
            {
                **{k: v for k, v in f.items() if k != campo},
                **personas.get(f[campo], vacio),
            }
        )
        for f in filas
    }


def por_ie(ies: QuerySet[InstitucionEducativa]) -> QuerySet[UsoIE]:
    """Each IE's snapshot with its name and codes, by name."""
    return (
        UsoIE.objects.filter(ie__in=ies.values("pk"))
        .select_related("ie")
        .only(
            *(f.name for f in UsoIE._meta.concrete_fields if f.name != "ie"),
            "ie__nombre",
            "ie__codigo_modular",
            "ie__anexo",
        )
        .order_by("ie__nombre", "ie_id")
    )


def sin_uso(ies: QuerySet[InstitucionEducativa]) -> QuerySet[UsoIE]:
    """IEs with alto students and no use in 30 days, most alto first."""
    return (
        por_ie(ies)
        .filter(sin_uso_30_dias=True)
        .order_by("-alto", "ie__nombre", "ie_id")
    )


# The nominal part: teachers, by name.

NUNCA = "nunca"
FILTROS_DOCENTES = (NUNCA,)


def docentes(
    ies: QuerySet[InstitucionEducativa], filtro: str = ""
) -> QuerySet[UsoDocente]:
    """The teachers of the IEs of `ies`, each with their IE, by IE then
    surname; `filtro` NUNCA keeps those who never signed in."""
    filas = UsoDocente.objects.filter(ie__in=ies.values("pk"))
    if filtro == NUNCA:
        filas = filas.filter(ultimo_ingreso__isnull=True)
    return (
        filas.select_related("usuario", "ie")
        .only(
            *(
                f.name
                for f in UsoDocente._meta.concrete_fields
                if f.name not in ("usuario", "ie")
            ),
            "usuario__first_name",
            "usuario__last_name",
            "usuario__username",
            "ie__nombre",
            "ie__codigo_modular",
            "ie__anexo",
        )
        .order_by(
            "ie__nombre",
            "ie_id",
            "usuario__last_name",
            "usuario__first_name",
            "usuario_id",
        )
    )


def docente_o_none(
    usuario_id: int, ies: QuerySet[InstitucionEducativa]
) -> list[UsoDocente]:
    """The teacher's rows at the IEs of `ies` (empty when none: a 404)."""
    return list(
        UsoDocente.objects.filter(usuario_id=usuario_id, ie__in=ies.values("pk"))
        .select_related("usuario", "ie")
        .order_by("ie__nombre", "ie_id")
    )


def rol_de(fila: UsoDocente) -> str:
    if fila.es_tutor and fila.es_director:
        return _("Director y tutor")
    return _("Director") if fila.es_director else _("Tutor")


def pct_registro(fila) -> float | None:
    return porcentaje(fila.con_registro_mes, fila.estudiantes)


def nombre_de(usuario: Usuario) -> str:
    """ "Apellidos, nombres" as the lists of teachers show them."""
    if usuario.last_name and usuario.first_name:
        return f"{usuario.last_name}, {usuario.first_name}"
    return usuario.get_full_name() or usuario.username
